#!/usr/bin/env python3
"""What a built site's search index weighs, file kind by file kind: files, bytes on disk, bytes
gzipped at level 6 (what a static host that compresses sends), the largest file of each kind and
its gzipped size. Several PUBLIC_DIRs side by side (main's build beside a branch's).
   bench/search-files.py PUBLIC_DIR [PUBLIC_DIR ...]"""
import collections, gzip, os, re, sys

def kind(name):
    """`shard`, `docs`, `fold` or the file's own name (index.json, filters.json)."""
    found = re.match(r"(shard|docs|fold)-\d+\.", name)
    return found.group(1) if found else name

for public in sys.argv[1:]:
    folder = os.path.join(public, "search")
    rows = collections.defaultdict(lambda: [0, 0, 0, 0, 0])  # files, bytes, gz, largest, its gz
    for name in sorted(os.listdir(folder)):
        if name == "index.html":
            continue
        raw = open(os.path.join(folder, name), "rb").read()
        row = rows[kind(name)]
        gz = len(gzip.compress(raw, 6))
        row[0] += 1; row[1] += len(raw); row[2] += gz
        if len(raw) > row[3]:
            row[3], row[4] = len(raw), gz
    print(public)
    print(f"  {'kind':12} {'files':>6} {'bytes':>12} {'gzip -6':>12} {'largest':>9} {'its gz':>8}")
    for name, (files, size, gz, largest, largest_gz) in sorted(rows.items()):
        print(f"  {name:12} {files:6} {size:12,} {gz:12,} {largest:9,} {largest_gz:8,}")
