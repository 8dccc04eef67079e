#!/usr/bin/env bash
# Makes the real Chinese corpus for compare.sh --real: the Chinese posts of the SOFAStack
# site (a Hugo tree, https://github.com/sofastack/sofastack.tech), imported into a gongshi site.
#
#   bench/real-setup.sh [HUGO_TREE] [OUT]
#
# HUGO_TREE defaults to /work/corpora/sofastack.tech (else clone the repository above);
# OUT to bench/corpora/sofastack (git-ignored: the text is the site's, not ours to commit).
# Runs `gongshi import --from hugo --out OUT/content HUGO_TREE/content/zh` and writes a
# site.yaml. The import keeps the posts as they are; one post repeats another's old URL
# (/posts/2018-05-04-01, a build error), so that alias is dropped from the second one.
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
TREE="${1:-/work/corpora/sofastack.tech}"
OUT="${2:-$SCRIPT_DIR/corpora/sofastack}"
GONGSHI="${CARGO_TARGET_DIR:-$ROOT/target}/release/gongshi"
[[ -d "$TREE/content/zh" ]] || { echo "real-setup.sh: no $TREE/content/zh (git clone https://github.com/sofastack/sofastack.tech)" >&2; exit 1; }
[[ -x "$GONGSHI" ]] || (cd "$ROOT" && cargo build --release --quiet --bin gongshi)
rm -rf "$OUT"
mkdir -p "$OUT"
printf 'title: SOFAStack 中文博客\nbase_url: https://www.sofastack.tech/\n' >"$OUT/site.yaml"
"$GONGSHI" import --from hugo --out "$OUT/content" "$TREE/content/zh" >/dev/null
sed -i '/^aliases: \[\/posts\/2018-05-04-01\]$/d' "$OUT/content/sofa-boot-readiness-check-in-kubernetes/index.md"
# `gongshi check` also reports the posts' links to the old site's pages as errors; the build
# only warns about them.
"$GONGSHI" build --root "$OUT" --output "$OUT.public" >/dev/null 2>&1 || { echo "real-setup.sh: gongshi build fails on $OUT" >&2; exit 1; }
rm -rf "$OUT.public" "$OUT/.gongshi-cache"
touch "$OUT/.complete"
echo "real-setup.sh: $(find "$OUT/content" -name '*.md' | wc -l) posts in $OUT" >&2
