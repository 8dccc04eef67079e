#!/usr/bin/env python3
"""The query set and ground truth of bench/search-bench.sh, from a built gongshi site.

    bench/search_queries.py PUBLIC_DIR OUT.json [--seed 21]

Reads every report page (`PUBLIC_DIR/reports/*/index.html`) and keeps its searchable visible
text: the title, the department, the body, the keywords, and the summary (meta description).
Text is normalized as search.js does: full-width letters/digits as ASCII, lower case,
Traditional characters as Simplified (gongshi's `search/fold-*.json`). Then draws, with a fixed
seed, 100 two-character Han substrings, 100 of three or four characters, 50 keywords (the
report's `相关热词`), 50 Latin words (a word's first 3+ letters) and 50 exact titles (titles that
no other report has), and lists for each the reports whose text contains it (Latin: a word
starting with it). Writes {"docs": N, "queries": [{"kind", "q", "relevant": [url...],
"target": url for titles}]}.
"""
import glob
import html
import json
import os
import random
import re
import sys

FOLD = {}


def normalize(text):
    text = re.sub('[\uFF01-\uFF5E]', lambda m: chr(ord(m.group()) - 0xFEE0), text)
    return ''.join(FOLD.get(c, c) for c in text.replace('\u3000', ' ').lower())


def is_han(c):
    n = ord(c)
    return 0x3400 <= n <= 0x4DBF or 0x4E00 <= n <= 0x9FFF or 0xF900 <= n <= 0xFAFF or 0x20000 <= n <= 0x3134F


def strip(fragment):
    fragment = re.sub(r'<(script|style)\b.*?</\1>', ' ', fragment, flags=re.S)
    return html.unescape(re.sub(r'<[^>]*>', ' ', fragment))


def page_parts(raw):
    """Title, department, body, keywords and summary of a report page, as shown."""
    title = re.search(r'<h1>(.*?)</h1>', raw, re.S)
    department = re.search(r'评议对象</th><td>(.*?)</td>', raw, re.S)
    body = raw.split('<div class="report-body">', 1)[-1]
    body = re.split(r'<section class="(?:keywords|related|hot)"|</article>', body, 1)[0]
    body = body.rsplit('</div>', 1)[0]
    keywords = re.search(r'<section class="keywords".*?<ul class="tag-list">(.*?)</ul>', raw, re.S)
    keyword_list = re.findall(r'<a [^>]*>(.*?)</a>', keywords.group(1)) if keywords else []
    summary = re.search(r'<meta name="description" content="([^"]*)"', raw)
    return {
        'title': strip(title.group(1)).strip() if title else '',
        'department': strip(department.group(1)).strip() if department else '',
        'body': strip(body),
        'keywords': [strip(k).strip() for k in keyword_list],
        'summary': html.unescape(summary.group(1)) if summary else '',
    }


def main():
    public, out = sys.argv[1], sys.argv[2]
    seed = int(sys.argv[sys.argv.index('--seed') + 1]) if '--seed' in sys.argv else 21
    for path in glob.glob(os.path.join(public, 'search/fold-*.json')):
        table = json.load(open(path, encoding='utf-8'))
        FOLD.update(zip(table['from'], table['to']))
    docs = []
    for path in sorted(glob.glob(os.path.join(public, 'reports/*/index.html'))):
        parts = page_parts(open(path, encoding='utf-8').read())
        url = '/' + os.path.relpath(os.path.dirname(path), public).replace(os.sep, '/') + '/'
        text = ' \n '.join([parts['title'], parts['department'], parts['body'],
                            ' \n '.join(parts['keywords']), parts['summary']])
        docs.append({'url': url, 'title': parts['title'], 'keywords': parts['keywords'],
                     'text': normalize(text)})
    rng = random.Random(seed)
    queries = []

    def han_substring(length):
        while True:
            doc = rng.choice(docs)
            runs = [m.group() for m in re.finditer(r'[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]+', doc['text'])
                    if len(m.group()) >= length]
            if runs:
                run = rng.choice(runs)
                start = rng.randrange(len(run) - length + 1)
                return run[start:start + length]

    def add(kind, q, target=None):
        nq = normalize(q)
        if kind == 'latin':
            pattern = re.compile(r'(?<![0-9a-z])' + re.escape(nq))
            relevant = [d['url'] for d in docs if pattern.search(d['text'])]
        else:
            relevant = [d['url'] for d in docs if nq in d['text']]
        entry = {'kind': kind, 'q': q, 'relevant': relevant}
        if target:
            entry['target'] = target
        queries.append(entry)

    seen = set()

    def fresh(q):
        if q in seen:
            return False
        seen.add(q)
        return True

    while sum(1 for q in queries if q['kind'] == 'han2') < 100:
        q = han_substring(2)
        if fresh(q):
            add('han2', q)
    while sum(1 for q in queries if q['kind'] == 'han3-4') < 100:
        q = han_substring(rng.choice([3, 4]))
        if fresh(q):
            add('han3-4', q)
    keywords = sorted({k for d in docs for k in d['keywords'] if k.strip()})
    for q in rng.sample(keywords, min(50, len(keywords))):
        if fresh(q):
            add('keyword', q)
    words = sorted({w for d in docs for w in re.findall(r'(?<![0-9a-z])[a-z][a-z0-9]{3,}', d['text'])})
    for word in rng.sample(words, min(50, len(words))):
        q = word[:rng.randint(3, len(word))]
        if fresh(q):
            add('latin', q)
    counts = {}
    for d in docs:
        counts[normalize(d['title'])] = counts.get(normalize(d['title']), 0) + 1
    unique = [d for d in docs if d['title'] and counts[normalize(d['title'])] == 1]
    for d in rng.sample(unique, min(50, len(unique))):
        if fresh(d['title']):
            add('title', d['title'], d['url'])
    json.dump({'docs': len(docs), 'queries': queries}, open(out, 'w', encoding='utf-8'), ensure_ascii=False)
    print(f'{len(docs)} reports, {len(queries)} queries -> {out}', file=sys.stderr)


main()
