#!/bin/sh
# Search benchmark: gongshi against Pagefind on a real Chinese corpus, in headless Chromium.
#
#   bench/search-bench.sh [--no-build] [CONTENT_DIR]
#
# CONTENT_DIR is a folder of Hugo/Hexo/Jekyll posts (default: the Chinese blog of
# sofastack.tech, /work/corpora/sofastack.tech/content/zh/blog). Everything is made under
# $SEARCH_BENCH_DIR (default /tmp/search-bench); nothing from the corpus is written into the
# repository. Needs cargo, python3, node, npm (Pagefind 1.6.0 is installed there from npm) and
# /usr/bin/chromium; playwright-core comes from tests/browser/node_modules (npm ci there).
set -eu
cd "$(dirname "$0")/.."
build=1
if [ "${1:-}" = "--no-build" ]; then build=0; shift; fi
corpus=${1:-/work/corpora/sofastack.tech/content/zh/blog}
work=${SEARCH_BENCH_DIR:-/tmp/search-bench}
target=${CARGO_TARGET_DIR:-target}
[ $build = 1 ] && cargo build --release --bin gongshi >&2
gongshi=${GONGSHI:-$target/release/gongshi}

rm -rf "$work/site"
mkdir -p "$work"
"$gongshi" init "$work/site" >&2
# Only the corpus: the sample reports and guide page of `init` go.
rm -rf "$work/site/content"
"$gongshi" import --from hugo "$corpus" --out "$work/site/content" >"$work/import.log" 2>&1 || true
tail -1 "$work/import.log" >&2
# Old addresses do not matter here, and two posts of the corpus claim the same one.
find "$work/site/content" -name '*.md' -exec sed -i '/^aliases: /d' {} +
"$gongshi" build --root "$work/site" --no-cache >&2
public="$work/site/public"

if [ ! -x "$work/npm/node_modules/.bin/pagefind" ]; then
  npm install --silent --prefix "$work/npm" pagefind@1.6.0 >&2
fi
# The same pages and the same text: each report's article, without the labels of its
# information table, its table of contents and the lists of other reports.
"$work/npm/node_modules/.bin/pagefind" --site "$public" --glob 'reports/*/index.html' \
  --root-selector 'article.report' \
  --exclude-selectors '.report-meta th' --exclude-selectors '.report-meta caption' \
  --exclude-selectors '.toc' --exclude-selectors '#kw' --exclude-selectors '.related' \
  --exclude-selectors '.hot' --quiet >&2

echo "gongshi search/: $(du -sk "$public/search" | cut -f1) KB in $(ls "$public/search" | wc -l) files;" \
  "pagefind/: $(du -sk "$public/pagefind" | cut -f1) KB in $(find "$public/pagefind" -type f | wc -l) files" >&2
python3 bench/search_queries.py "$public" "$work/queries.json"
node bench/search-bench.mjs "$public" "$work/queries.json"
