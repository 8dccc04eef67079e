// Search benchmark: headless Chromium types each query of bench/search_queries.py's set into
// gongshi's real search page and into a page running Pagefind over the same reports, and
// prints recall, precision, precision@10, MRR for titles, time to first results and the
// compressed bytes each query downloads. Run by bench/search-bench.sh.
//
//   node bench/search-bench.mjs PUBLIC_DIR QUERIES.json
//
// A static server serves PUBLIC_DIR gzip-compressed (level 6, as a static host would) and
// records the compressed bytes of every response. Each query is typed into a fresh browser
// context (empty cache): its bytes are the "first query of a visit", counting the search code
// (search.js; Pagefind's pagefind.js and WebAssembly) and every index file fetched until the
// first page of results is shown. The next query of the set is then typed into the same page:
// its bytes are a "later query". Result sets (for recall and precision) are read after that,
// their extra fetches not counted.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';

const require = createRequire(new URL('../tests/browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const [publicDir, queriesFile] = process.argv.slice(2);
const set = JSON.parse(fs.readFileSync(queriesFile, 'utf8'));
const docs = set.docs;
// SEARCH_BENCH_EVERY=N keeps every Nth query (a quicker, rougher run).
const every = Number(process.env.SEARCH_BENCH_EVERY || 1);
const kindsWanted = process.env.SEARCH_BENCH_KINDS ? process.env.SEARCH_BENCH_KINDS.split(',') : null;
const queries = set.queries.filter((q, i) => i % every === 0 && (!kindsWanted || kindsWanted.includes(q.kind)));

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.wasm': 'application/wasm' };
const compressed = new Map();
let log = [];
const server = http.createServer((request, response) => {
  let file = path.join(publicDir, decodeURIComponent(new URL(request.url, 'http://x').pathname));
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) { file = path.join(file, 'index.html'); }
  if (!file.startsWith(publicDir) || !fs.existsSync(file)) { response.writeHead(404); response.end(); return; }
  if (!compressed.has(file)) {
    const raw = fs.readFileSync(file);
    const gz = zlib.gzipSync(raw, { level: 6 });
    compressed.set(file, gz.length < raw.length ? { body: gz, gzip: true } : { body: raw, gzip: false });
  }
  const { body, gzip } = compressed.get(file);
  const headers = { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'max-age=3600' };
  if (gzip) { headers['content-encoding'] = 'gzip'; }
  response.writeHead(200, headers);
  response.end(body);
  log.push({ path: new URL(request.url, 'http://x').pathname, bytes: body.length });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

// The page that runs Pagefind: a search box and a list of result links, like gongshi's.
fs.mkdirSync(path.join(publicDir, 'pagefind-bench'), { recursive: true });
fs.writeFileSync(path.join(publicDir, 'pagefind-bench/index.html'), `<!doctype html>
<html lang="zh-CN"><meta charset="utf-8"><title>Pagefind</title>
<form id="f"><input id="q" type="search"><button>检索</button></form>
<p id="status"></p><ol id="results"></ol>
<script type="module">
const pagefind = await import('/pagefind/pagefind.js');
await pagefind.init();
let all = [];
document.getElementById('f').addEventListener('submit', async (event) => {
  event.preventDefault();
  const q = document.getElementById('q').value;
  const search = await pagefind.search(q);
  all = search.results;
  const first = await Promise.all(all.slice(0, 10).map((r) => r.data()));
  const list = document.getElementById('results');
  list.textContent = '';
  for (const d of first) { const li = document.createElement('li'); const a = document.createElement('a'); a.href = d.url; a.textContent = d.meta.title; li.append(a); list.append(li); }
  document.getElementById('status').textContent = 'done ' + all.length + ' ' + q;
});
window.allResults = async () => (await Promise.all(all.map((r) => r.data()))).map((d) => d.url);
</script>`);

const engines = {
  gongshi: {
    page: '/search/',
    counts: (p) => p.startsWith('/search/') || p.endsWith('/search.js'),
    done: (q) => `(() => { const s = document.getElementById('search-status').textContent; return s && s !== '正在检索…' && document.getElementById('search-q').value === ${JSON.stringify(q)} && (document.querySelector('#search-results li') || /没有|出错/.test(s)); })()`,
    firstPage: () => Array.from(document.querySelectorAll('#search-results li h2 a')).map((a) => a.getAttribute('href')),
    all: async (page) => {
      for (let i = 0; i < 500; i++) {
        const hidden = await page.evaluate(() => document.getElementById('search-more').hidden);
        if (hidden) { break; }
        const count = await page.evaluate(() => document.querySelectorAll('#search-results li').length);
        await page.click('#search-more');
        await page.waitForFunction((n) => document.querySelectorAll('#search-results li').length > n, count);
      }
      return page.evaluate(() => Array.from(document.querySelectorAll('#search-results li h2 a')).map((a) => a.getAttribute('href')));
    },
    input: '#search-q',
  },
  pagefind: {
    page: '/pagefind-bench/',
    counts: (p) => p.startsWith('/pagefind/'),
    done: (q) => `document.getElementById('status').textContent.endsWith(' ' + ${JSON.stringify(q)})`,
    firstPage: () => Array.from(document.querySelectorAll('#results a')).map((a) => a.getAttribute('href')),
    all: (page) => page.evaluate(() => window.allResults()),
    input: '#q',
  },
};

function bytesSince(mark, counts) {
  return log.slice(mark).filter((entry) => counts(entry.path)).reduce((sum, entry) => sum + entry.bytes, 0);
}

async function type(page, engine, q) {
  await page.$eval(engine.input, (element, value) => { element.value = value; }, q);
  const start = Date.now();
  await page.press(engine.input, 'Enter');
  await page.waitForFunction(engine.done(q), null, { timeout: 60000 });
  return Date.now() - start;
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const runs = {};
for (const [name, engine] of Object.entries(engines)) {
  runs[name] = [];
  for (let i = 0; i < queries.length; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const mark = log.length;
    await page.goto(origin + engine.page, { waitUntil: 'load' });
    let ms;
    try {
      ms = await type(page, engine, queries[i].q);
    } catch (error) {
      // A query that shows nothing within a minute counts as finding nothing.
      console.error(`${name}: no results shown for ${queries[i].q}: ${error.message.split('\n')[0]}`);
      runs[name].push({ ms: 60000, first: bytesSince(mark, engine.counts), later: 0, shown: [], all: [] });
      await context.close();
      continue;
    }
    const first = bytesSince(mark, engine.counts);
    const shown = await page.evaluate(engine.firstPage);
    const all = await engine.all(page);
    const next = queries[(i + 1) % queries.length].q;
    const laterMark = log.length;
    await type(page, engine, next);
    const later = bytesSince(laterMark, engine.counts);
    runs[name].push({ ms, first, later, shown, all });
    await context.close();
  }
}
await browser.close();
server.close();

const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]; };
function metrics(name, filter) {
  const rows = queries.map((q, i) => [q, runs[name][i]]).filter(([q]) => filter(q));
  const recall = mean(rows.filter(([q]) => q.relevant.length).map(([q, r]) => r.all.filter((u) => q.relevant.includes(u)).length / q.relevant.length));
  const precision = mean(rows.filter(([, r]) => r.all.length).map(([q, r]) => r.all.filter((u) => q.relevant.includes(u)).length / r.all.length));
  const p10 = mean(rows.filter(([, r]) => r.shown.length).map(([q, r]) => r.shown.filter((u) => q.relevant.includes(u)).length / r.shown.length));
  const mrr = mean(rows.filter(([q]) => q.target).map(([q, r]) => { const at = r.all.indexOf(q.target); return at < 0 ? 0 : 1 / (at + 1); }));
  return { recall, precision, p10, mrr, rows };
}
const kinds = ['han2', 'han3-4', 'keyword', 'latin', 'title'];
const fmt = (x, d = 3) => (Number.isNaN(x) ? '   -' : x.toFixed(d));
console.log(`${docs} reports, ${queries.length} queries (${kinds.map((k) => k + ' ' + queries.filter((q) => q.kind === k).length).join(', ')})\n`);
console.log('kind      engine     recall  precision  P@10   MRR');
for (const kind of [...kinds, 'all']) {
  for (const name of Object.keys(engines)) {
    const m = metrics(name, (q) => kind === 'all' || q.kind === kind);
    console.log(`${kind.padEnd(9)} ${name.padEnd(9)}  ${fmt(m.recall)}   ${fmt(m.precision)}   ${fmt(m.p10)}  ${kind === 'title' || kind === 'all' ? fmt(m.mrr) : '   -'}`);
  }
}
console.log('\nengine     first results ms (median / p95)   first query KB (median / p95)   later query KB (median / p95)');
for (const name of Object.keys(engines)) {
  const r = runs[name];
  const ms = r.map((x) => x.ms), first = r.map((x) => x.first / 1024), later = r.map((x) => x.later / 1024);
  console.log(`${name.padEnd(9)}  ${String(quantile(ms, 0.5)).padStart(8)} / ${String(quantile(ms, 0.95)).padEnd(22)} ${fmt(quantile(first, 0.5), 1).padStart(8)} / ${fmt(quantile(first, 0.95), 1).padEnd(22)} ${fmt(quantile(later, 0.5), 1).padStart(8)} / ${fmt(quantile(later, 0.95), 1)}`);
}
if (process.env.SEARCH_BENCH_MISSES) {
  for (const name of Object.keys(engines)) {
    queries.forEach((q, i) => {
      const r = runs[name][i];
      const missed = q.relevant.filter((u) => !r.all.includes(u)).length;
      const wrong = r.all.filter((u) => !q.relevant.includes(u)).length;
      if (missed || wrong || r.later > 30 * 1024 || r.first > 60 * 1024) {
        console.error(`${name} ${q.kind} ${q.q}: ${missed} missed, ${wrong} wrong of ${r.all.length}; ${(r.first / 1024).toFixed(1)} KB first, ${(r.later / 1024).toFixed(1)} KB for the next query`);
      }
    });
  }
}
