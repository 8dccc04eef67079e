#!/usr/bin/env bash
# Clean and one-edit repeat builds of a generated site with two gongshi binaries, interleaved,
# with wall time and peak memory from /usr/bin/time -v. Prints one line per run.
#   bench/repeat.sh SITE ROUNDS BIN_A BIN_B …
# SITE is copied once per binary (their build caches may differ in format).
set -euo pipefail
site=$1; rounds=$2; shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
for bin in "$@"; do cp -r "$site" "$work/site-$n"; n=$((n + 1)); done
measure() { # label bin dir args…
  local label=$1 bin=$2 dir=$3; shift 3
  /usr/bin/time -v "$bin" build --root "$dir" "$@" >/dev/null 2>"$work/time" || { cat "$work/time"; exit 1; }
  local wall rss cpu
  wall=$(grep 'Elapsed (wall' "$work/time" | awk '{print $NF}')
  rss=$(grep 'Maximum resident' "$work/time" | awk '{print $NF}')
  cpu=$(awk -F": " '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$work/time")
  echo "$label $(basename "$bin") wall=$wall cpu_s=$cpu rss_kb=$rss"
}
for round in $(seq 1 "$rounds"); do
  n=0
  for bin in "$@"; do
    dir="$work/site-$n"; n=$((n + 1))
    rm -rf "$dir/public" "$dir/.gongshi-cache"
    measure clean "$bin" "$dir"
    # One report edited: a sentence appended to the first file.
    file=$(find "$dir/content" -name '*.md' | sort | sed -n 1p)
    echo "第 $round 轮修改：补充了一句说明。" >> "$file"
    measure repeat "$bin" "$dir"
    measure unchanged "$bin" "$dir"
  done
done
