#!/usr/bin/env python3
"""Writes a Zola-shaped copy of a generated corpus, for bench/compare.sh.

    bench/zola_corpus.py CORPUS OUT

Zola reads YAML front matter but wants terms under `taxonomies:` (it ignores top-level
`tags`, `department` and `source`), a `path` to publish a page elsewhere than its folder, an
`_index.md` per section, and `<!-- more -->` to have a summary. So each report of
CORPUS/content/<year>/rNNNNNN.md is written to OUT/content/<year>/ with: title and date as
they were; `path: reports/rNNNNNN` (gongshi's and the Hugo site's URL); `taxonomies:` with
tags, departments and sources; the body unchanged but for a `<!-- more -->` line after its
first paragraph (gongshi's summary rule when none is given). content/_index.md lists every
report, 20 a page, newest first; each year's _index.md does the same for its year (at
/<year>/) and is transparent, so the home page sees all. The generator's front matter is one
`key: value` a line with `tags: [a, b]`, which is all this reads.
"""

import os
import sys


def convert(text):
    _, front, body = text.split("---\n", 2)
    fields = {}
    for line in front.splitlines():
        key, _, value = line.partition(": ")
        fields[key] = value.strip()
    tags = [t.strip() for t in fields.get("tags", "[]").strip("[]").split(",") if t.strip()]
    out = ["---", f"title: {fields['title']}", f"date: {fields['date']}"]
    return out, tags, fields, body


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    source, out = sys.argv[1], sys.argv[2]
    content = os.path.join(out, "content")
    os.makedirs(content, exist_ok=True)
    with open(os.path.join(content, "_index.md"), "w", encoding="utf-8") as f:
        f.write('+++\nsort_by = "date"\npaginate_by = 20\n+++\n')
    reports = 0
    for year in sorted(os.listdir(os.path.join(source, "content"))):
        folder = os.path.join(source, "content", year)
        if not os.path.isdir(folder):
            continue
        os.makedirs(os.path.join(content, year), exist_ok=True)
        with open(os.path.join(content, year, "_index.md"), "w", encoding="utf-8") as f:
            f.write(f'+++\ntitle = "{year}"\nsort_by = "date"\npaginate_by = 20\n'
                    'transparent = true\n+++\n')
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".md"):
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                out_lines, tags, fields, body = convert(f.read())
            out_lines.append(f"path: reports/{name[:-3]}")
            out_lines.append("taxonomies:")
            out_lines.append(f"  tags: [{', '.join(tags)}]")
            if fields.get("department"):
                out_lines.append(f"  departments: [{fields['department']}]")
            if fields.get("source"):
                out_lines.append(f"  sources: [{fields['source']}]")
            out_lines.append("---")
            stripped = body.lstrip("\n")
            first, sep, rest = stripped.partition("\n\n")
            body = first + "\n\n<!-- more -->\n\n" + rest if sep else stripped
            with open(os.path.join(content, year, name), "w", encoding="utf-8") as f:
                f.write("\n".join(out_lines) + "\n\n" + body)
            reports += 1
    print(f"zola_corpus.py: {reports} reports into {content}", file=sys.stderr)


if __name__ == "__main__":
    main()
