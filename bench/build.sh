#!/usr/bin/env bash
# Benchmark `gongshi build` on synthetic corpora.
#
#   bench/build.sh [--sizes "1000 10000 50000"] [--runs 3] [--seed 42] [--no-build]
#
# Corpora are generated with examples/gen_corpus.rs and cached under
# $BENCH_DIR (default: bench/corpora/, git-ignored); an existing, complete
# corpus is reused. Each size is built --runs times into a fresh temporary
# output directory under /usr/bin/time -v; the median wall time and the
# largest peak RSS are printed as a table. --no-build skips `cargo build`
# and uses the binaries already in the target directory.
set -euo pipefail

usage() {
    sed -n '2,12s/^# \{0,1\}//p' "$0"
}

SIZES="1000 10000"
RUNS=3
SEED=42
BUILD=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --sizes) SIZES="${2:?--sizes needs a value}"; shift 2 ;;
        --sizes=*) SIZES="${1#*=}"; shift ;;
        --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
        --runs=*) RUNS="${1#*=}"; shift ;;
        --seed) SEED="${2:?--seed needs a value}"; shift 2 ;;
        --seed=*) SEED="${1#*=}"; shift ;;
        --no-build) BUILD=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "build.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
for v in $SIZES "$RUNS" "$SEED"; do
    [[ "$v" =~ ^[0-9]+$ ]] || { echo "build.sh: not a non-negative integer: $v" >&2; exit 2; }
done
[[ -n "${SIZES// /}" ]] || { echo "build.sh: --sizes is empty" >&2; exit 2; }
(( RUNS >= 1 )) || { echo "build.sh: --runs must be >= 1" >&2; exit 2; }

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-$SCRIPT_DIR/corpora}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
GONGSHI="$TARGET_DIR/release/gongshi"
GEN="$TARGET_DIR/release/examples/gen_corpus"
TIME=/usr/bin/time

# GNU time is required for -v (max RSS); bash's `time` keyword can't do it.
if ! [[ -x "$TIME" ]] || ! "$TIME" -v true >/dev/null 2>&1; then
    echo "build.sh: GNU time not found at $TIME (install: apt-get install -y time)" >&2
    exit 1
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/gongshi-bench.XXXXXX")"
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

if (( BUILD )); then
    echo "==> building release binaries" >&2
    (cd "$ROOT" && cargo build --release --quiet --bin gongshi --example gen_corpus)
fi
for bin in "$GONGSHI" "$GEN"; do
    [[ -x "$bin" ]] || { echo "build.sh: missing binary $bin" >&2; exit 1; }
done

mkdir -p "$BENCH_DIR"
corpus_dir() { echo "$BENCH_DIR/n$1-seed$SEED"; }

# Generate missing corpora. A corpus counts as present only if it has the
# .complete marker, so an interrupted generation is redone, not reused.
for n in $SIZES; do
    dir="$(corpus_dir "$n")"
    if [[ -f "$dir/.complete" ]]; then
        echo "==> corpus n=$n: cached at $dir" >&2
        continue
    fi
    echo "==> corpus n=$n: generating into $dir" >&2
    rm -rf "$dir" "$dir.partial"
    "$GEN" --n "$n" --seed "$SEED" --out "$dir.partial" >&2
    touch "$dir.partial/.complete"
    mv "$dir.partial" "$dir"
done

# Convert GNU time's "Elapsed (wall clock)" value ([h:]m:ss.ss) to seconds.
to_seconds() {
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.3f\n", s }' <<<"$1"
}

# Median of numbers given one per line on stdin.
median() {
    sort -g | awk '{ a[NR] = $1 } END {
        if (NR % 2) printf "%.3f\n", a[(NR + 1) / 2];
        else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

RESULTS="$WORK/results.tsv"
: >"$RESULTS"
for n in $SIZES; do
    dir="$(corpus_dir "$n")"
    walls="$WORK/walls-$n"
    : >"$walls"
    max_rss=0
    for ((run = 1; run <= RUNS; run++)); do
        out="$WORK/out-$n-$run"
        log="$WORK/time-$n-$run.txt"
        errlog="$WORK/stderr-$n-$run.txt"
        echo "==> n=$n run $run/$RUNS" >&2
        if ! "$TIME" -v -o "$log" "$GONGSHI" build --root "$dir" --output "$out" \
                >/dev/null 2>"$errlog"; then
            echo "build.sh: gongshi build failed (n=$n, run $run); stderr:" >&2
            tail -n 40 "$errlog" >&2
            exit 1
        fi
        wall_raw="$(sed -n 's/^.*Elapsed (wall clock) time.*: //p' "$log")"
        rss="$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$log")"
        if [[ -z "$wall_raw" || -z "$rss" ]]; then
            echo "build.sh: could not parse $TIME output:" >&2
            cat "$log" >&2
            exit 1
        fi
        to_seconds "$wall_raw" >>"$walls"
        if (( rss > max_rss )); then max_rss=$rss; fi
        rm -rf "$out"
    done
    printf '%s\t%s\t%s\n' "$n" "$(median <"$walls")" "$max_rss" >>"$RESULTS"
done

echo
printf '%10s  %14s  %12s\n' "reports" "median wall s" "max RSS MiB"
printf '%10s  %14s  %12s\n' "----------" "--------------" "------------"
while IFS=$'\t' read -r n wall rss; do
    printf '%10s  %14s  %12s\n' "$n" "$wall" "$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')"
done <"$RESULTS"
echo "($RUNS runs per size, seed $SEED, corpora in $BENCH_DIR)"
