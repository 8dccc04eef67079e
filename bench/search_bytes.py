#!/usr/bin/env python3
"""Bytes a browser downloads for search queries on a built site, following search.js step by step.

    bench/search_bytes.py PUBLIC_DIR QUERY...           # what search.js does now
    bench/search_bytes.py --grams-only PUBLIC_DIR QUERY # the old rule: every gram anywhere

For each query it prints the candidates (reports with every gram), the results (after the
phrase check), and the bytes of the files fetched to show the first page of 10 results with
snippets: index.json, the shards, the document lists and the report pages read (to check a
phrase and to cut a snippet; fold.json for Traditional queries). Files are counted once per query, uncompressed.
"""
import html
import json
import os
import re
import sys

PAGE = 10
BATCH = 6
CHECK_BUDGET = 30


def is_han(c):
    n = ord(c)
    return 0x3400 <= n <= 0x4DBF or 0x4E00 <= n <= 0x9FFF or 0xF900 <= n <= 0xFAFF or 0x20000 <= n <= 0x3134F


FOLD = {}


def normalize(text):
    text = re.sub('[\uFF01-\uFF5E]', lambda m: chr(ord(m.group()) - 0xFEE0), text)
    return ''.join(FOLD.get(c, c) for c in text.replace('\u3000', ' ').lower())


def query_grams(text):
    grams, run, word = [], [], ''

    def flush_run():
        nonlocal run
        if len(run) == 1:
            grams.append(run[0])
        grams.extend(run[i - 1] + run[i] for i in range(1, len(run)))
        run = []

    for c in text:
        if is_han(c):
            if word:
                grams.append(word)
                word = ''
            run.append(c)
        elif c.isalnum():
            flush_run()
            word += c
        else:
            flush_run()
            if word:
                grams.append(word)
                word = ''
    flush_run()
    if word:
        grams.append(word)
    return list(dict.fromkeys(grams))


def fnv1a(text):
    h = 0x811C9DC5
    for b in text.encode():
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def page_text(raw):
    article = raw.split('<article', 1)[-1]
    for cut in ('<section class="related"', '<nav class="prev-next"'):
        article = article.split(cut, 1)[0]
    description = re.search(r'<meta name="description" content="([^"]*)"', raw)
    text = re.sub(r'<[^>]*>', ' ', article) + ' ' + (description.group(1) if description else '')
    return re.sub(r'\s+', ' ', normalize(html.unescape(text)))


def run(public, query, grams_only):
    fetched = {}

    def load(path):
        if path not in fetched:
            with open(os.path.join(public, path), 'rb') as f:
                fetched[path] = f.read()
        return fetched[path]

    if not grams_only and os.path.exists(os.path.join(public, 'search/fold.json')):
        table = json.loads(load('search/fold.json'))
        FOLD.update(zip(table['from'], table['to']))
    q = normalize(query.strip())
    grams = query_grams(q)
    index = json.loads(load('search/index.json'))
    maps = []
    for gram in grams:
        shard = json.loads(load(f'search/shard-{fnv1a(gram) % index["shards"]}.json'))
        doc, found = 0, {}
        for value in shard.get(gram, []):
            doc += value // 8
            found[doc] = value % 8
        maps.append(found)
    hits = []
    if maps:
        maps.sort(key=len)
        for doc in maps[0]:
            masks = [m.get(doc) for m in maps]
            if None in masks:
                continue
            title = all(m & 1 for m in masks)
            keywords = all(m & 3 for m in masks)
            hits.append((-(3 if title else 2 if keywords else 1), doc))
    hits.sort()
    docs = [doc for _, doc in hits]

    def entry(doc):
        per = index['per_file']
        return json.loads(load(f'search/docs-{doc // per}.json'))[doc % per]

    def page(doc):
        url = entry(doc)[1]
        path = url.split('/reports/', 1)[1]
        return page_text(load(os.path.join('reports', path, 'index.html')).decode())

    phrases = [] if grams_only else [w for w in q.split() if len(query_grams(w)) > 1]
    results, pending = ([], docs) if phrases else (docs, [])
    checked = 0
    while pending and len(results) < PAGE and checked < CHECK_BUDGET:
        batch, pending = pending[:BATCH], pending[BATCH:]
        checked += len(batch)
        results += [d for d in batch if all(p in page(d) for p in phrases)]
    for doc in results[:PAGE]:
        page(doc)
    return len(docs), len(results), bool(pending), sum(len(b) for b in fetched.values())


def main():
    args = sys.argv[1:]
    grams_only = '--grams-only' in args
    args = [a for a in args if a != '--grams-only']
    if len(args) < 2:
        sys.exit(__doc__)
    public, queries = args[0], args[1:]
    print(f'{"query":<12} {"candidates":>10} {"results":>8} {"KB fetched":>10}')
    total = 0
    for query in queries:
        candidates, results, more, size = run(public, query, grams_only)
        total += size
        shown = f'{results}+' if more else str(results)
        print(f'{query:<12} {candidates:>10} {shown:>8} {size / 1024:>10.1f}')
    print(f'{"mean":<12} {"":>10} {"":>8} {total / len(queries) / 1024:>10.1f}')


if __name__ == '__main__':
    main()
