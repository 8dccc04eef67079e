#!/usr/bin/env bash
# Builds Zola from source once, for compare.sh (Zola is on no package registry
# this project uses).
#
#   bench/zola-setup.sh [--git-dir DIR] [--ref REF]
#
# Gets the source of https://github.com/getzola/zola at REF (default v0.22.1):
# from a local bare clone when --git-dir is given (e.g. a mirror), else with
# `git clone --depth 1 --branch REF`. Builds it with `cargo build --release
# --locked` into bench/.zola/target and copies the binary to bench/.zola/bin/zola
# (git-ignored), which compare.sh uses when it exists. Takes about 10 minutes on
# 2 cores; rerun to rebuild.
set -euo pipefail

usage() { sed -n '2,12s/^# \{0,1\}//p' "$0"; }

GIT_DIR_SRC="" REF="v0.22.1"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --git-dir) GIT_DIR_SRC="${2:?--git-dir needs a value}"; shift 2 ;;
        --ref) REF="${2:?--ref needs a value}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "zola-setup.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ZOLA_DIR="$SCRIPT_DIR/.zola"
SRC="$ZOLA_DIR/src"
mkdir -p "$ZOLA_DIR/bin"
rm -rf "$SRC"
mkdir -p "$SRC"
if [[ -n "$GIT_DIR_SRC" ]]; then
    echo "==> zola $REF from $GIT_DIR_SRC" >&2
    # Without docs/: a mirror may lack its large images, and the build needs none.
    git --git-dir="$GIT_DIR_SRC" archive "$REF" -- . ':!docs' | tar -x -C "$SRC"
else
    echo "==> zola $REF from github.com/getzola/zola" >&2
    git clone --quiet --depth 1 --branch "$REF" https://github.com/getzola/zola "$SRC"
fi
echo "==> cargo build --release --locked (several minutes)" >&2
(cd "$SRC" && CARGO_TARGET_DIR="$ZOLA_DIR/target" cargo build --release --locked)
cp "$ZOLA_DIR/target/release/zola" "$ZOLA_DIR/bin/zola"
"$ZOLA_DIR/bin/zola" --version
