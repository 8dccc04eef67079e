#!/usr/bin/env python3
"""Writes a synthetic access log in the combined format, for gongshi's readership tests and
benchmarks: people and crawlers reading report, keyword and list pages, assets, searches, 404s,
redirects and a few malformed lines, in time order.

    python3 bench/access-log.py LINES [--site CORPUS] [--base /] [--seed 42] > access.log

With --site, report URLs are the slugs of CORPUS/content/**/*.md (file stems); else r0…r9999.
"""
import argparse
import os
import random
import sys
import time
import urllib.parse

AGENTS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 MicroMessenger/8.0.44",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 Chrome/118.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 Version/17.1 Safari/605.1.15",
]
ROBOTS = [
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
    "curl/8.5.0",
]
QUERIES = ["评议", "发改委", "营商环境", "整改", "教育", "双减", "民生实事", "13812345678"]
ASSETS = ["style.css", "theme.js", "search.js", "favicon.svg", "search/index.json", "search/shard-3.bin"]


def slugs(site):
    found = []
    for folder, _, files in os.walk(os.path.join(site, "content")):
        found += [name[:-3] for name in files if name.endswith(".md")]
    return sorted(found) or ["r0"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("lines", type=int)
    parser.add_argument("--site")
    parser.add_argument("--base", default="/")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    reports = slugs(args.site) if args.site else [f"r{i}" for i in range(10000)]
    # Popularity follows a power law: a few reports are read most.
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(reports))]
    picks = rng.choices(reports, weights, k=min(args.lines, 200_000))
    second = int(time.mktime((2026, 10, 1, 0, 0, 0, 0, 0, -1)))
    out = sys.stdout
    buffer = []
    for n in range(args.lines):
        second += rng.choice((0, 0, 1, 1, 2, 5))
        stamp = time.strftime("%d/%b/%Y:%H:%M:%S +0800", time.gmtime(second + 8 * 3600))
        client = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        kind = rng.random()
        agent = rng.choice(AGENTS)
        status = 200
        method = "GET"
        if kind < 0.55:
            path = f"{args.base}reports/{picks[n % len(picks)]}/"
        elif kind < 0.65:
            path = args.base + rng.choice(ASSETS)
        elif kind < 0.72:
            query = urllib.parse.quote(rng.choice(QUERIES))
            path = f"{args.base}search/?q={query}"
        elif kind < 0.85:
            path = f"{args.base}reports/{picks[n % len(picks)]}/"
            agent = rng.choice(ROBOTS)
        elif kind < 0.9:
            path, status = f"{args.base}reports/missing-{n}/", 404
        elif kind < 0.93:
            path, status = f"{args.base}reports/{picks[n % len(picks)]}", 301
        elif kind < 0.9999:
            path = args.base + rng.choice(["", "tags/", "departments/", "archive/2025/"])
        else:
            buffer.append("garbled line without a request\n")
            continue
        buffer.append(f'{client} - - [{stamp}] "{method} {path} HTTP/1.1" {status} {rng.randrange(200, 90000)} "-" "{agent}"\n')
        if len(buffer) >= 10000:
            out.write("".join(buffer))
            buffer.clear()
    out.write("".join(buffer))


if __name__ == "__main__":
    main()
