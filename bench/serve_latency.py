#!/usr/bin/env python3
"""Save-to-visible latency of `gongshi serve`.

    bench/serve_latency.py [--n 10000] [--seed 42] [--runs 7] [--gongshi PATH] [--port 1311]
                           [--kinds report,site,template]

Copies the generated corpus bench/corpora/n<N>-seed<SEED> (made with the gen_corpus example
when missing, as build.sh does) into a temporary folder, starts `gongshi serve` on it and
waits for the first build. Then, --runs times per kind, it saves an edit and polls the page
over HTTP (every 2 ms) until the edit shows, and prints the time from the save to the first
response that shows it (milliseconds; median, min, max):

- report: the title of one report (content/<year>/r000006.md) gains a marker; polled page:
  /reports/r000006/.
- site:   site.yaml's title gains a marker; polled page: / (every page changes).
- template: a copy of the built-in base.html in the site's themes/default/templates/ (made
  before the server starts) gains a marker before </footer>; polled page: / (every page
  changes).

The server shows a saved report's own page first (a preview from the previous model) and
rebuilds the rest right behind it; the figure is the time to the first response showing the
edit, whichever build made it. Each run's line shows what the server printed meanwhile.

The save is an in-place write of the whole file, as most editors do. Between runs it waits
until the server has printed its "ready" line and 300 ms more, so a run never overlaps the
previous rebuild. The figure includes the watcher's debounce, the rebuild and one HTTP round
trip (the browser's reload over its live-reload stream is not part of it).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def target_dir():
    return os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))


def corpus(n, seed):
    """The cached corpus folder for n reports, generated when missing."""
    folder = os.path.join(os.environ.get("BENCH_DIR", os.path.join(ROOT, "bench", "corpora")),
                          f"n{n}-seed{seed}")
    if os.path.exists(os.path.join(folder, ".complete")):
        return folder
    gen = os.path.join(target_dir(), "release", "examples", "gen_corpus")
    if not os.access(gen, os.X_OK):
        subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "gen_corpus"],
                       cwd=ROOT, check=True)
    shutil.rmtree(folder + ".partial", ignore_errors=True)
    subprocess.run([gen, "--n", str(n), "--seed", str(seed), "--out", folder + ".partial"],
                   check=True, stdout=sys.stderr)
    open(os.path.join(folder + ".partial", ".complete"), "w").close()
    shutil.rmtree(folder, ignore_errors=True)
    os.rename(folder + ".partial", folder)
    return folder


class Server:
    """`gongshi serve` with its stderr read on a thread, counting "ready" lines."""

    def __init__(self, gongshi, site, port):
        self.process = subprocess.Popen([gongshi, "serve", "--lang", "en", "--root", site, "--port", str(port)],
                                        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                        text=True)
        self.ready = 0
        self.address = None
        self.lines = []
        self.times = []
        self.mark = 0
        self.saved = 0.0
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stderr:
            with self.changed:
                self.lines.append(line.rstrip())
                self.times.append(time.perf_counter())
                if line.startswith("serving ") and " at " in line:
                    self.address = line.split(" at ", 1)[1].split(" ", 1)[0].rstrip("/")
                if line.startswith("ready in") or line.startswith("build failed"):
                    self.ready += 1
                self.changed.notify_all()

    def wait_ready(self, count, timeout=600):
        with self.changed:
            ok = self.changed.wait_for(lambda: self.ready >= count and self.address, timeout)
        if not ok:
            raise SystemExit("serve_latency.py: the server did not get ready:\n"
                             + "\n".join(self.lines[-20:]))

    def since_mark(self):
        """The server's outcome lines (previews, ready, failed) since the last save, each with
        the time since the save when it was read."""
        with self.changed:
            return "; ".join(f"{line} @{(at - self.saved) * 1000:.0f} ms"
                             for line, at in zip(self.lines[self.mark:], self.times[self.mark:])
                             if line.startswith(("ready in", "build failed", "report page")))

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.read().decode("utf-8", "replace")


def measure(server, path, edit, url, marker):
    """Saves `edit` into `path`, then polls `url` until `marker` shows; milliseconds."""
    before = server.ready
    server.mark = len(server.lines)
    started = time.perf_counter()
    server.saved = started
    with open(path, "w", encoding="utf-8") as f:
        f.write(edit)
    while True:
        if marker in fetch(url):
            elapsed = (time.perf_counter() - started) * 1000
            break
        if time.perf_counter() - started > 60:
            raise SystemExit(f"serve_latency.py: {marker} never showed at {url}")
        time.sleep(0.002)
    server.wait_ready(before + 1)
    time.sleep(0.3)
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--gongshi", default=os.path.join(target_dir(), "release", "gongshi"))
    parser.add_argument("--port", type=int, default=1311)
    parser.add_argument("--kinds", default="report,site,template")
    args = parser.parse_args()
    if not os.access(args.gongshi, os.X_OK):
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "gongshi"],
                       cwd=ROOT, check=True)
    source = corpus(args.n, args.seed)
    work = tempfile.mkdtemp(prefix="gongshi-serve-latency.")
    site = os.path.join(work, "site")
    shutil.copytree(source, site)
    report = next(os.path.join(d, "r000006.md") for d, _, files in os.walk(os.path.join(site, "content"))
                  if "r000006.md" in files)
    site_yaml = os.path.join(site, "site.yaml")
    templates = os.path.join(site, "themes", "default", "templates")
    os.makedirs(templates, exist_ok=True)
    base_html = os.path.join(templates, "base.html")
    shutil.copyfile(os.path.join(ROOT, "themes", "default", "templates", "base.html"), base_html)
    server = Server(args.gongshi, site, args.port)
    try:
        started = time.perf_counter()
        server.wait_ready(1)
        print(f"first build: {(time.perf_counter() - started) * 1000:.0f} ms "
              f"({server.lines[-1]})", file=sys.stderr)
        results = {}
        for kind in args.kinds.split(","):
            path, url_path, anchor = {"report": (report, "/reports/r000006/", "title: "),
                                      "site": (site_yaml, "/", "title: "),
                                      "template": (base_html, "/", "</footer>")}[kind]
            original = open(path, encoding="utf-8").read()
            times = []
            for run in range(1, args.runs + 1):
                marker = f"修订{run}号"
                edit = original.replace(anchor, f"{anchor}{marker}" if anchor.endswith(" ")
                                        else f"{marker}{anchor}", 1)
                ms = measure(server, path, edit, server.address + url_path, marker)
                print(f"{kind} run {run}: {ms:.0f} ms ({server.since_mark()})", file=sys.stderr)
                times.append(ms)
            before = server.ready
            with open(path, "w", encoding="utf-8") as f:
                f.write(original)
            server.wait_ready(before + 1)
            results[kind] = times
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"gongshi serve, {args.n} reports, {args.runs} runs, load average {os.getloadavg()[0]:.2f}")
    for kind, times in results.items():
        print(f"{kind:>7} edit: median {statistics.median(times):.0f} ms "
              f"(min {min(times):.0f}, max {max(times):.0f})")


if __name__ == "__main__":
    main()
