// How long headless Chromium takes to read one gram's postings out of a site's largest search
// shard, as a query does: from the fetched bytes (a Response made in the page, so no network)
// to the Map of postings, with the decoder of the search.js that built the site. The gram is
// the one with the most postings bytes in that shard. Median of RUNS runs after a warm-up.
//
//   node bench/shard-decode.mjs PUBLIC_DIR SEARCH_JS [RUNS]
//
// Reads `.bin` shards (index version 3) or `.json` shards (version 2) and the matching
// search.js (for version 2: `git show <commit>:themes/default/static/search.js`).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(new URL('../tests/browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const [publicDir, searchJs, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 31);
const folder = path.join(publicDir, 'search');
const shards = fs.readdirSync(folder).filter((n) => /^shard-\d+\.(bin|json)$/.test(n));
const largest = shards.reduce((a, b) => (fs.statSync(path.join(folder, a)).size >= fs.statSync(path.join(folder, b)).size ? a : b));
const bytes = fs.readFileSync(path.join(folder, largest));
const binary = largest.endsWith('.bin');
const source = fs.readFileSync(searchJs, 'utf8');

// The text of `function name(...) {...}` in search.js.
function grab(name) {
  const start = source.indexOf(`  function ${name}(`);
  if (start < 0) { return ''; }
  let depth = 0;
  for (let k = source.indexOf('{', start); ; k++) {
    if (source[k] === '{') { depth++; }
    if (source[k] === '}' && --depth === 0) { return source.slice(start, k + 1); }
  }
}
const functions = ['isHan', 'varints', 'postingRange', 'decode'].map(grab).join('\n');

// The gram with the most postings bytes: parsed here, not by the code under test.
function biggestGram() {
  if (!binary) {
    const shard = JSON.parse(bytes.toString('utf8'));
    return Object.keys(shard).reduce((a, b) => (JSON.stringify(shard[a]).length >= JSON.stringify(shard[b]).length ? a : b));
  }
  let at = 0, best = null, bestSize = -1;
  const varint = () => { let v = 0, s = 1, b; do { b = bytes[at++]; v += (b & 0x7f) * s; s *= 128; } while (b >= 0x80); return v; };
  while (at < bytes.length) {
    const len = varint(); const gram = bytes.subarray(at, at + len).toString('utf8'); at += len;
    const size = varint(); at += size;
    if (size > bestSize) { best = gram; bestSize = size; }
  }
  return best;
}
const gram = biggestGram();

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage();
const result = await page.evaluate(async ({ functions, data, binary, gram, runs }) => {
  const decode = new Function(`${functions}; return decode;`)();
  const payload = new Uint8Array(data);
  async function once() {
    const start = performance.now();
    const response = new Response(payload);
    const shard = binary ? new Uint8Array(await response.arrayBuffer()) : await response.json();
    const map = binary ? decode(gram, shard) : decode(gram, shard[gram]);
    return [performance.now() - start, map.size];
  }
  for (let i = 0; i < 5; i++) { await once(); }
  const times = [];
  let size = 0;
  for (let i = 0; i < runs; i++) { const [ms, n] = await once(); times.push(ms); size = n; }
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1], min: times[0], postings: size };
}, { functions, data: Array.from(bytes), binary, gram, runs });
await browser.close();
console.log(`${largest}: ${bytes.length} bytes; gram ${gram}: ${result.postings} reports; ` +
  `median ${result.median.toFixed(2)} ms, fastest ${result.min.toFixed(2)} ms over ${runs} runs`);
