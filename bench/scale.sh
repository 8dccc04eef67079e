#!/usr/bin/env bash
# How gongshi's clean build time grows with the number of reports.
#
#   bench/scale.sh [--sizes "10000 100000"] [--runs 3] [--seed 42] [--out-dir DIR]
#
# For each size, the generated corpus bench/corpora/n<N>-seed<SEED> (made with the
# gen_corpus example when missing, as build.sh does) is built --runs times with
# `gongshi build --no-cache --verbose` into a fresh folder after a sync, sizes
# interleaved, under /usr/bin/time. Prints per size the median wall time, peak
# memory and each stage's median, then each stage's growth from the smallest size
# to the largest (issue 23's target: the whole build at 100k within 10.5 x 10k).
# Output folders go under --out-dir (default $TMPDIR or /tmp: a real disk) and
# are all removed at the end: removing 100k reports' output just before a timed
# build makes ext4 search its recently freed inodes on every file and folder the
# next build creates (10k builds took 12-14 s instead of 4 s in one such run).
# Each corpus is read once before the first timed build, so no size pays for a
# cold page cache that the other does not.
set -euo pipefail

SIZES="10000 100000"
RUNS=3
SEED=42
OUT_PARENT="${TMPDIR:-/tmp}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --sizes) SIZES="${2:?--sizes needs a value}"; shift 2 ;;
        --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
        --seed) SEED="${2:?--seed needs a value}"; shift 2 ;;
        --out-dir) OUT_PARENT="${2:?--out-dir needs a value}"; shift 2 ;;
        -h|--help) sed -n '2,13s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "scale.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
done
for v in $SIZES "$RUNS" "$SEED"; do
    [[ "$v" =~ ^[0-9]+$ ]] || { echo "scale.sh: not a non-negative integer: $v" >&2; exit 2; }
done

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-$SCRIPT_DIR/corpora}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
GONGSHI="${GONGSHI:-$TARGET_DIR/release/gongshi}"
GEN="$TARGET_DIR/release/examples/gen_corpus"

[[ -x "$GONGSHI" && -x "$GEN" ]] || (cd "$ROOT" && cargo build --release --quiet --bin gongshi --example gen_corpus)
WORK="$(mktemp -d "$OUT_PARENT/gongshi-scale.XXXXXX")"
echo "scale.sh: work folder $WORK" >&2

corpus_dir() { echo "$BENCH_DIR/n$1-seed$SEED"; }
for n in $SIZES; do
    dir="$(corpus_dir "$n")"
    if [[ ! -e "$dir/.complete" ]]; then
        echo "scale.sh: generating $n reports into $dir" >&2
        rm -rf "$dir.partial"
        "$GEN" --n "$n" --seed "$SEED" --out "$dir.partial" >&2
        touch "$dir.partial/.complete"
        rm -rf "$dir" && mv "$dir.partial" "$dir"
    fi
done

for n in $SIZES; do
    tar -cf - -C "$(corpus_dir "$n")" . | wc -c > /dev/null
done

# samples.tsv: size, run, stage, milliseconds ("wall" and "peak_kb" are the whole build).
: > "$WORK/samples.tsv"
for run in $(seq 1 "$RUNS"); do
    for n in $SIZES; do
        out="$WORK/out-$n-$run"
        sync
        /usr/bin/time -f 'wall %e\npeak_kb %M' -o "$WORK/time" \
            "$GONGSHI" build --no-cache --verbose --lang en --root "$(corpus_dir "$n")" \
            --output "$out" 2> "$WORK/log" > /dev/null \
            || { cat "$WORK/log" >&2; echo "scale.sh: the build of $n reports failed" >&2; exit 1; }
        awk -v n="$n" -v run="$run" '
            $1 == "wall" { printf "%s\t%s\twall\t%.1f\n", n, run, $2 * 1000 }
            $1 == "peak_kb" { printf "%s\t%s\tpeak_kb\t%s\n", n, run, $2 }' "$WORK/time" >> "$WORK/samples.tsv"
        # Stage lines look like "  search index    6996.9 ms".
        sed -n 's/^  \(.*[^ ]\)  *\([0-9.]*\) ms$/\1\t\2/p' "$WORK/log" \
            | awk -F'\t' -v n="$n" -v run="$run" '{ printf "%s\t%s\t%s\t%s\n", n, run, $1, $2 }' \
            >> "$WORK/samples.tsv"
        echo "scale.sh: $n reports, run $run: $(awk '$1 == "wall" { print $2 }' "$WORK/time") s" >&2
    done
done

python3 - "$WORK/samples.tsv" $SIZES <<'EOF'
import statistics, sys
path, sizes = sys.argv[1], [int(s) for s in sys.argv[2:]]
samples = {}
stages = []
for line in open(path):
    n, run, stage, value = line.rstrip("\n").split("\t")
    samples.setdefault((int(n), stage), []).append(float(value))
    if stage not in stages:
        stages.append(stage)
med = lambda n, stage: statistics.median(samples.get((n, stage), [0.0]))
print("| stage | " + " | ".join(f"{n:,} reports" for n in sizes) + " | growth |")
print("|---|" + "---|" * (len(sizes) + 1))
for stage in stages:
    cells = []
    for n in sizes:
        v = med(n, stage)
        cells.append(f"{v / 1024:.0f} MiB" if stage == "peak_kb" else f"{v:,.0f} ms")
    small, large = med(sizes[0], stage), med(sizes[-1], stage)
    growth = f"{large / small:.1f}x" if small > 0 else "-"
    print(f"| {stage} | " + " | ".join(cells) + f" | {growth} |")
if len(sizes) > 1:
    ratio = med(sizes[-1], "wall") / med(sizes[0], "wall")
    factor = sizes[-1] / sizes[0]
    print(f"\nwall time grows {ratio:.2f}x for {factor:g}x the reports "
          f"(target: within {1.05 * factor:g}x); medians of {len(samples[(sizes[0], 'wall')])} runs")
EOF
rm -rf "$WORK"
