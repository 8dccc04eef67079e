// Theme tests in a real browser (Debian's Chromium via playwright-core, never a downloaded one):
// keyboard-only navigation, axe-core, console errors, elderly mode, Nu HTML checker, screenshots.
// Usage: node theme.mjs <built site folder> <screenshot folder>
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFile, readdir, stat, mkdir } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const [siteDir, shotDir] = process.argv.slice(2);
if (!siteDir || !shotDir) { console.error('usage: node theme.mjs <site> <screenshots>'); process.exit(2); }
const require = createRequire(import.meta.url);
const failures = [];
const fail = (message) => { failures.push(message); console.error('FAIL ' + message); };

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json', '.xml': 'application/xml', '.png': 'image/png', '.svg': 'image/svg+xml' };
async function serveFile(request, response) {
  const url = decodeURIComponent(new URL(request.url, 'http://x').pathname);
  let file = path.join(siteDir, url);
  if (!file.startsWith(path.resolve(siteDir))) { response.writeHead(403).end(); return; }
  try {
    if ((await stat(file)).isDirectory()) { file = path.join(file, 'index.html'); }
    const body = await readFile(file);
    response.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' }).end(body);
  } catch {
    const body = await readFile(path.join(siteDir, '404.html')).catch(() => 'not found');
    response.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  }
}
const server = createServer((q, r) => { serveFile(q, r).catch(() => r.writeHead(500).end()); });
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
const page = await context.newPage();
// The deliberately missing page answers 404, which Chromium logs; anything else is a failure.
const expected404 = (url) => url.includes('/no-such-page/');
page.on('console', (m) => { if (m.type() === 'error' && !expected404(page.url())) { fail(`console error on ${page.url()}: ${m.text()}`); } });
page.on('pageerror', (e) => fail(`uncaught exception on ${page.url()}: ${e.message}`));
// A request the browser itself cancels because the test navigated on (ERR_ABORTED) is not a fault.
page.on('requestfailed', (r) => { const why = r.failure() ? r.failure().errorText : ''; if (!why.includes('ERR_ABORTED')) { fail(`failed request ${r.url()}: ${why}`); } });
page.on('response', (r) => { if (r.status() >= 400 && !expected404(r.url())) { fail(`${r.status()} for ${r.url()}`); } });

// Presses Tab until the focused element matches `test` (at most `limit` presses); returns its href.
async function tabTo(test, description, limit = 300) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const e = document.activeElement;
      return e ? { tag: e.tagName, href: e.getAttribute('href') || '', inRelated: !!e.closest('.related'), cls: e.className } : null;
    });
    if (focused && test(focused)) { return focused.href; }
  }
  fail(`keyboard: never reached ${description} on ${page.url()}`);
  return null;
}

// 1. Keyboard only: home → a keyword page → a report → one of its related reports.
await page.goto(origin + '/');
await page.keyboard.press('Tab');
const first = await page.evaluate(() => document.activeElement && document.activeElement.className);
if (first !== 'skip-link') { fail(`the first Tab stop is "${first}", not the skip link`); }
const tagHref = await tabTo((f) => f.tag === 'A' && /\/tags\/[^/]+\/$/.test(f.href), 'a keyword link');
if (tagHref) {
  await Promise.all([page.waitForURL('**' + tagHref), page.keyboard.press('Enter')]);
  const reportHref = await tabTo((f) => f.tag === 'A' && /\/reports\/[^/]+\/$/.test(f.href), 'a report link');
  if (reportHref) {
    await Promise.all([page.waitForURL('**' + reportHref), page.keyboard.press('Enter')]);
    const relatedHref = await tabTo((f) => f.tag === 'A' && f.inRelated, 'a related report');
    if (relatedHref) {
      await Promise.all([page.waitForURL('**' + relatedHref), page.keyboard.press('Enter')]);
      if (page.url() === origin + reportHref) { fail('the related link led back to the same report'); }
      console.log(`keyboard: / → ${tagHref} → ${reportHref} → ${relatedHref}`);
    }
  }
}

// 2. axe-core on the key pages: no serious or critical violations.
const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
const reportPath = (await readdir(path.join(siteDir, 'reports')))[0];
const tagPath = (await readdir(path.join(siteDir, 'tags'))).find((n) => !n.includes('.'));
const keyPages = ['/', `/reports/${reportPath}/`, '/tags/', `/tags/${tagPath}/`, '/search/?q=评议', '/no-such-page/'];
for (const url of keyPages) {
  await page.goto(origin + url);
  if (url.startsWith('/search/')) { await page.waitForSelector('#search-results li', { timeout: 10000 }).catch(() => fail('search showed no results')); }
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad) { fail(`axe ${v.impact} on ${url}: ${v.id} (${v.nodes.length}×) ${v.help}`); }
  console.log(`axe ${url}: ${result.violations.length} violations, ${bad.length} serious or critical`);
}

// Dark mode (it follows the system) must keep its contrast too.
await page.emulateMedia({ colorScheme: 'dark' });
for (const url of ['/', `/reports/${reportPath}/`]) {
  await page.goto(origin + url);
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  for (const v of result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
    fail(`axe (dark mode) ${v.impact} on ${url}: ${v.id} ${v.help}`);
  }
}
await page.emulateMedia({ colorScheme: 'light' });

// 3. Elderly mode: toggles, persists across pages, and survives 200 % zoom without sideways scrolling.
await page.goto(origin + '/');
await page.click('#elderly-toggle');
const on = await page.evaluate(() => [document.documentElement.classList.contains('elderly'), document.getElementById('elderly-toggle').getAttribute('aria-pressed')]);
if (!on[0] || on[1] !== 'true') { fail(`elderly mode did not switch on: ${on}`); }
await page.goto(origin + `/reports/${reportPath}/`);
const persisted = await page.evaluate(() => [document.documentElement.classList.contains('elderly'), getComputedStyle(document.documentElement).fontSize]);
if (!persisted[0]) { fail('elderly mode did not persist to the next page'); }
if (persisted[1] !== '20px') { fail(`elderly mode root font size is ${persisted[1]}, expected 20px`); }
await page.setViewportSize({ width: 683, height: 450 }); // 1366×900 at 200 % zoom
for (const url of ['/', `/reports/${reportPath}/`, '/tags/']) {
  await page.goto(origin + url);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow > 1) { fail(`at 200 % zoom in elderly mode ${url} scrolls sideways by ${overflow}px`); }
}
await page.click('#elderly-toggle');
await page.setViewportSize({ width: 1366, height: 900 });

// 4. Screenshots, desktop and mobile.
await mkdir(shotDir, { recursive: true });
for (const [name, url] of [['index', '/'], ['report', `/reports/${reportPath}/`]]) {
  await page.goto(origin + url);
  await page.screenshot({ path: path.join(shotDir, `desktop-${name}.png`), fullPage: false });
}
const smallest = await browser.newContext({ locale: 'zh-CN', viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true });
const small = await smallest.newPage();
for (const url of ['/', `/reports/${reportPath}/`, '/tags/', '/search/']) {
  await small.goto(origin + url);
  const overflow = await small.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow > 1) { fail(`on a 320px phone ${url} scrolls sideways by ${overflow}px`); }
}
for (const [name, url] of [['tags', `/tags/${tagPath}/`], ['search', '/search/?q=评议']]) {
  await page.goto(origin + url);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(shotDir, `desktop-${name}.png`), fullPage: false });
}
const mobile = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
const phone = await mobile.newPage();
for (const [name, url] of [['index', '/'], ['report', `/reports/${reportPath}/`], ['tags', `/tags/${tagPath}/`], ['search', '/search/?q=评议']]) {
  await phone.goto(origin + url);
  await phone.waitForTimeout(name === 'search' ? 300 : 0);
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow > 1) { fail(`on a 390px phone ${url} scrolls sideways by ${overflow}px`); }
  await phone.screenshot({ path: path.join(shotDir, `mobile-${name}.png`) });
}

// 4b. On a 390 × 844 phone the report's first words are on the first screen, in both reading
// modes; in 长辈模式 navigation links and buttons are at least 44 × 44 px.
const firstLine = () => {
  const first = document.querySelector('.report-body p, .report-body li, .report-body h2');
  return first ? Math.round(first.getBoundingClientRect().top + window.scrollY) : -1;
};
for (const elderly of [false, true]) {
  await phone.goto(origin + `/reports/${reportPath}/`);
  await phone.evaluate((on) => { localStorage.setItem('gongshi-elderly', on ? '1' : '0'); }, elderly);
  await phone.reload();
  const top = await phone.evaluate(firstLine);
  console.log(`390px phone, ${elderly ? '长辈模式' : 'normal'}: the body's first line starts at ${top}px`);
  if (top < 0 || top >= 844) { fail(`on a 390x844 phone (${elderly ? 'elderly' : 'normal'}) the body starts at ${top}px, below the first screen`); }
  // A label of the compact metadata block (发布日期, 阅读时间) never breaks inside itself.
  const broken = await phone.evaluate(() => Array.from(document.querySelectorAll('.report-meta th'))
    .filter((th) => new Set(Array.from(th.getClientRects()).map((r) => Math.round(r.top))).size > 1)
    .map((th) => th.textContent));
  if (broken.length) { fail(`on a 390px phone (${elderly ? 'elderly' : 'normal'}) metadata labels break across lines: ${broken.join(', ')}`); }
  if (elderly) {
    await phone.screenshot({ path: path.join(shotDir, 'mobile-report-elderly.png') });
    const small = await phone.evaluate(() => Array.from(document.querySelectorAll('.site-nav a, .header-search button, #elderly-toggle'))
      .map((e) => { const r = e.getBoundingClientRect(); return [e.textContent.trim(), Math.round(r.width), Math.round(r.height)]; })
      .filter(([, w, h]) => w < 44 || h < 44));
    if (small.length) { fail(`elderly mode touch targets under 44x44px: ${JSON.stringify(small)}`); }
  }
}
await phone.evaluate(() => localStorage.removeItem('gongshi-elderly'));

// 4c. The header search box on a report page runs a query on the search page.
await phone.goto(origin + `/reports/${reportPath}/`);
await phone.fill('#header-q', '评议');
await phone.press('#header-q', 'Enter');
await phone.waitForURL(/\/search\/\?q=/);
await phone.waitForSelector('#search-results li');
const found = await phone.evaluate(() => document.querySelectorAll('#search-results li').length);
if (!(found > 0)) { fail('the header search box found nothing for 评议'); }
await browser.close();
server.close();

// 5. Nu HTML checker on every generated HTML file.
async function htmlFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) { out.push(...await htmlFiles(full)); } else if (entry.name.endsWith('.html')) { out.push(full); }
  }
  return out;
}
const files = await htmlFiles(siteDir);
const vnu = require.resolve('vnu-jar/build/dist/vnu.jar');
let report;
try {
  report = execFileSync('java', ['-jar', vnu, '--errors-only', '--format', 'json', ...files], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
} catch (error) {
  report = error.stderr || error.stdout || '';
}
const messages = JSON.parse(report.trim() || '{"messages":[]}').messages.filter((m) => m.type === 'error');
for (const m of messages) { fail(`vnu ${m.url.replace('file:', '')}:${m.lastLine}: ${m.message}`); }
console.log(`vnu: ${files.length} HTML files, ${messages.length} errors`);

if (failures.length) { console.error(`${failures.length} failure(s)`); process.exit(1); }
console.log('theme browser tests: ok');
