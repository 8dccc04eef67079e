#!/usr/bin/env python3
"""Lines of non-test code per top-level module of src/ at a git revision (default HEAD):
lines before a trailing `#[cfg(test)] mod …`, blank lines and comments excluded.
   bench/lines.py [REV]"""
import collections, subprocess, sys

rev = sys.argv[1] if len(sys.argv) > 1 else "HEAD"
files = subprocess.run(["git", "ls-tree", "-r", "--name-only", rev, "src"],
                       capture_output=True, text=True, check=True).stdout.split()
counts = collections.Counter()
for path in files:
    if not path.endswith(".rs"):
        continue
    text = subprocess.run(["git", "show", f"{rev}:{path}"], capture_output=True, text=True,
                          check=True).stdout.split("\n")
    module = path.split("/")[1].removesuffix(".rs")
    for i, line in enumerate(text):
        nxt = text[i + 1].lstrip() if i + 1 < len(text) else ""
        if line.strip() == "#[cfg(test)]" and nxt.startswith("mod "):
            break
        if line.strip() and not line.lstrip().startswith("//"):
            counts[module] += 1
for module, n in sorted(counts.items()):
    print(f"{module:12} {n:6}")
print(f"{'total':12} {sum(counts.values()):6}")
