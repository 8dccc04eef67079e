#!/bin/sh
# Runs each fuzz target for a while with libFuzzer (not part of CI).
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET…]      default: 600 s, every target
# Needs a nightly toolchain (`rustup toolchain install nightly`) and a C++ compiler; runs at the
# lowest priority. Findings land in fuzz/artifacts/<target>/; reproduce one with
#   fuzz/target/x86_64-unknown-linux-gnu/release/<target> fuzz/artifacts/<target>/crash-…
set -eu
cd "$(dirname "$0")"
seconds=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-front_matter dates tags slugs markdown big_report}
triple=x86_64-unknown-linux-gnu
# The flags cargo-fuzz passes: coverage counters and comparison tracing for libFuzzer.
RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing" \
    nice -n 19 cargo +nightly build --release --target "$triple" --bins
for target in $targets; do
    mkdir -p "corpus/$target" "artifacts/$target" "seeds/$target"
    echo "== $target: ${seconds}s"
    nice -n 19 "target/$triple/release/$target" "corpus/$target" "seeds/$target" \
        -max_total_time="$seconds" -print_final_stats=1 -timeout=10 \
        -artifact_prefix="artifacts/$target/" 2>&1 | tee "artifacts/$target.log" | grep -E \
        '^(stat::|Done|==.*ERROR|SUMMARY|.*panicked)' || true
done
