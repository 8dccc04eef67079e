#!/usr/bin/env python3
"""Where the bytes of a built site go: MB and files per kind of output, then the average bytes of
each part of a report page (a sample of them), so that each cut in output size can be measured.
   bench/bytes.py PUBLIC_DIR [--sample N]
Kinds: report pages, list pages (home, tags, departments, sources, archive; first pages and later
pages apart), keyword feeds, open data, search, the rest. Sizes are file bytes (folders not
counted); `files` and `folders` count what a copy of the site must create."""
import argparse, collections, os, re

def kind(rel):
    """The kind of output a path (relative to public/, `/`-separated) is."""
    top = rel.split("/", 1)[0]
    if top == "reports":
        return "report pages"
    if top in ("search", "data"):
        return {"search": "search", "data": "open data"}[top]
    if rel.endswith("feed.xml"):
        return "site feed" if rel == "feed.xml" else "keyword feeds"
    if rel.endswith(".html") and (top in ("tags", "departments", "sources", "archive", "page")
                                  or rel == "index.html"):
        return "list pages, later" if "/page/" in "/" + rel else "list pages, first"
    return "the rest"

# Parts of a report page, in page order; each is cut from the first match of its start to the
# end of its element. What no part claims is "other" (doctype, blank lines, wrappers).
PARTS = [
    ("head", r"<head>.*?</head>"),
    ("site header", r'<a class="skip-link".*?</header>'),
    ("metadata table", r'<article class="report">.*?</header>'),
    ("toc", r'<nav class="toc".*?</nav>'),
    ("body", r'<div class="report-body">.*?\n</div>'),
    ("keywords", r'<section class="keywords".*?</section>'),
    ("related", r'<section class="related".*?</section>'),
    ("hot", r'<section class="hot".*?</section>'),
    ("prev/next", r'<nav class="prev-next".*?</nav>'),
    ("footer", r'<p class="print-url">.*</html>'),
]

def report_parts(path):
    """Bytes of each part of one report page, as a dict."""
    text = open(path, encoding="utf-8").read()
    sizes, claimed = {}, 0
    for name, pattern in PARTS:
        m = re.search(pattern, text, re.S)
        n = len(m.group(0).encode()) if m else 0
        sizes[name] = n
        claimed += n
    sizes["other"] = len(text.encode()) - claimed
    return sizes

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("public")
    ap.add_argument("--sample", type=int, default=500, help="report pages to split (default 500)")
    args = ap.parse_args()
    size, files = collections.Counter(), collections.Counter()
    folders, reports = 0, []
    for dirpath, dirnames, filenames in os.walk(args.public):
        dirnames.sort()
        folders += len(dirnames)
        for f in sorted(filenames):
            full = os.path.join(dirpath, f)
            rel = os.path.relpath(full, args.public).replace(os.sep, "/")
            k = kind(rel)
            size[k] += os.path.getsize(full)
            files[k] += 1
            if k == "report pages" and f == "index.html":
                reports.append(full)
    print(f"{'kind':20} {'MB':>8} {'files':>7} {'KB/file':>8}")
    for k, n in size.most_common():
        print(f"{k:20} {n / 1e6:8.2f} {files[k]:7} {n / files[k] / 1e3:8.2f}")
    total = sum(size.values())
    print(f"{'total':20} {total / 1e6:8.2f} {sum(files.values()):7}   folders {folders}")
    if not reports:
        return
    step = max(1, len(reports) // args.sample)
    sample = reports[::step][: args.sample]
    sums = collections.Counter()
    for path in sample:
        sums.update(report_parts(path))
    print(f"\nreport page parts, mean of {len(sample)} pages (bytes):")
    for name, _ in PARTS + [("other", None)]:
        print(f"  {name:16} {sums[name] / len(sample):8.0f}")
    print(f"  {'page':16} {sum(sums.values()) / len(sample):8.0f}")

if __name__ == "__main__":
    main()
