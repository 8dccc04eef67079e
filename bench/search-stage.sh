#!/bin/sh
# The `search index` stage of two gongshi binaries on one site, interleaved runs of
# `build --no-cache --verbose`: each run's stage time (wall, ms) and the whole build's CPU
# seconds (user + sys), then the medians. Outputs go under $WORK (default /tmp/search-stage).
#   bench/search-stage.sh OLD_BINARY NEW_BINARY SITE [RUNS]
set -eu
old=$1 new=$2 site=$3 runs=${4:-5}
work=${WORK:-/tmp/search-stage}
mkdir -p "$work"
: >"$work/runs.tsv"
for run in $(seq "$runs"); do
  for which in old new; do
    eval binary=\$$which
    /usr/bin/time -f '%U %S' -o "$work/time" "$binary" build --root "$site" \
      --output "$work/public-$which" --no-cache --verbose 2>"$work/log" >/dev/null
    stage=$(sed -n 's/^ *search index *\([0-9.]*\) ms$/\1/p' "$work/log")
    cpu=$(awk '{ print $1 + $2 }' "$work/time")
    printf '%s\t%s\t%s\t%s\n' "$which" "$run" "$stage" "$cpu" | tee -a "$work/runs.tsv"
  done
done
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for which in old new; do
  stage=$(awk -v w="$which" '$1 == w { print $3 }' "$work/runs.tsv" | median)
  cpu=$(awk -v w="$which" '$1 == w { print $4 }' "$work/runs.tsv" | median)
  echo "$which: median search index $stage ms, median build CPU $cpu s ($runs runs)"
done
