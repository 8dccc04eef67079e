// gongshi full-text search: no dependencies, no external requests.
// The index (built by gongshi) maps n-grams (single Han characters, Han bigrams, Latin/digit
// words) to reports. A query is cut the same way; a report that has every gram is a candidate.
// A query word (space-separated) longer than one gram, such as 发改委员, must then appear as it
// was typed: the candidate's page is read and checked, so 发改委 … 委员 apart is no match.
// Grams live in shards chosen by FNV-1a of their UTF-8 bytes, so a query loads only its shards.
(function () {
  'use strict';
  var script = document.currentScript;
  var base = (script && script.getAttribute('data-base')) || '/';
  var form = document.getElementById('search-form');
  var input = document.getElementById('search-q');
  var departmentSelect = document.getElementById('search-department');
  var yearSelect = document.getElementById('search-year');
  var statusLine = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var more = document.getElementById('search-more');
  // Status lines come from the page, so an edition's converter puts them in its script.
  var messages = document.getElementById('search-messages');
  var FALLBACK = {
    searching: '正在检索…', found: '找到 {n} 篇相关报告', 'at-least': '找到至少 {n} 篇相关报告',
    none: '没有找到包含“{q}”的报告',
    unconfirmed: '已核对 {c} 篇候选，暂未找到包含“{q}”的报告', error: '检索出错：{e}'
  };
  var PAGE = 10;
  var IN_TITLE = 1, IN_KEYWORDS = 2;
  // Set on a posting found only through a prefix gram (`displ*` for `display`), not the word.
  var BY_PREFIX = 8;
  // Prefix grams the index holds: Latin words' prefixes of 3 to 16 characters.
  var MIN_PREFIX = 3, MAX_PREFIX = 16;
  var cache = {};
  var results = [];
  var pending = [];
  var phrases = [];
  var pages = {};
  var checked = 0;
  // Candidate pages read at once, and at most for one page of results (about 350 KB).
  var BATCH = 6, CHECK_BUDGET = 30;
  var shown = 0;
  var generation = 0;
  var query = '';

  // The status line `key` with `{n}`, `{q}`, `{e}`, `{c}` filled in from `values`.
  function message(key, values) {
    var node = messages && messages.content.querySelector('[data-key="' + key + '"]');
    return (node ? node.textContent : FALLBACK[key]).replace(/\{([nqec])\}/g, function (_, name) {
      return String(values[name]);
    });
  }

  function load(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (response) {
        if (!response.ok) { throw new Error(path + ': ' + response.status); }
        return response.json();
      });
    }
    return cache[path];
  }

  function isHan(c) {
    var n = c.codePointAt(0);
    return (n >= 0x3400 && n <= 0x4DBF) || (n >= 0x4E00 && n <= 0x9FFF) ||
      (n >= 0xF900 && n <= 0xFAFF) || (n >= 0x20000 && n <= 0x3134F);
  }

  // Traditional characters -> Simplified (search/fold.json), loaded before the first search.
  var fold = null;

  function loadFold() {
    return load('search/fold.json').then(function (table) {
      if (fold) { return; }
      fold = Object.create(null);
      var from = Array.from(table.from), to = Array.from(table.to);
      for (var i = 0; i < from.length; i++) { fold[from[i]] = to[i]; }
    });
  }

  // Full-width letters, digits and signs as their ASCII forms, lower case, Traditional
  // characters as Simplified: what the index holds. Chinese and ASCII text keep their length,
  // so offsets into the normalized text are offsets into the text.
  function normalize(text) {
    var folded = text.replace(/[\uFF01-\uFF5E]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xFEE0);
    }).replace(/\u3000/g, ' ').toLowerCase();
    return fold ? folded.replace(/[\u4E00-\u9FFF]/g, function (c) { return fold[c] || c; }) : folded;
  }

  // The grams a report must carry to match the query (already normalized).
  function queryGrams(text) {
    var grams = [];
    var run = [];
    var word = '';
    function flushRun() {
      if (run.length === 1) { grams.push(run[0]); }
      for (var i = 1; i < run.length; i++) { grams.push(run[i - 1] + run[i]); }
      run = [];
    }
    function flushWord() { if (word) { grams.push(word); word = ''; } }
    Array.from(text).forEach(function (c) {
      if (isHan(c)) { flushWord(); run.push(c); }
      else if (/[\p{L}\p{N}]/u.test(c)) { flushRun(); word += c; }
      else { flushRun(); flushWord(); }
    });
    flushRun();
    flushWord();
    return grams.filter(function (g, i) { return grams.indexOf(g) === i; });
  }

  function fnv1a(text) {
    var bytes = new TextEncoder().encode(text);
    var hash = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      hash ^= bytes[i];
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash >>> 0;
  }

  // Postings are [first*8+mask, delta*8+mask, ...]: returns Map(report id -> field mask).
  function decode(postings) {
    var map = new Map();
    var doc = 0;
    (Array.isArray(postings) ? postings : []).forEach(function (value) {
      doc += Math.floor(value / 8);
      map.set(doc, value % 8);
    });
    return map;
  }

  // True for a query word that also matches longer words starting with it.
  function isPrefix(gram) {
    return /^[a-z]/.test(gram) && Array.from(gram).length >= MIN_PREFIX;
  }

  // The query's words that no single gram vouches for: a candidate must contain each as typed.
  function phrasesOf(text) {
    return text.split(/\s+/).filter(function (word) {
      var grams = queryGrams(word);
      return grams.length > 1 || (grams.length === 1 && isPrefix(grams[0]) &&
        Array.from(grams[0]).length > MAX_PREFIX);
    });
  }

  // Map(report id -> field mask) of one gram; a Latin word of 3 letters or more also matches
  // the reports whose words start with it, marked BY_PREFIX when only those have it.
  function postingsOf(gram, shards) {
    function lookup(key) {
      return load('search/shard-' + (fnv1a(key) % shards) + '.json').then(function (shard) {
        // Own properties only: a query such as `constructor` must not read Object.prototype.
        return decode(Object.prototype.hasOwnProperty.call(shard, key) ? shard[key] : null);
      });
    }
    if (!isPrefix(gram)) { return lookup(gram); }
    var prefix = Array.from(gram).slice(0, MAX_PREFIX).join('') + '*';
    return Promise.all([lookup(gram), lookup(prefix)]).then(function (maps) {
      var merged = new Map();
      maps[1].forEach(function (mask, doc) { merged.set(doc, mask | BY_PREFIX); });
      maps[0].forEach(function (mask, doc) {
        merged.set(doc, merged.has(doc) ? (merged.get(doc) & ~BY_PREFIX) | mask : mask);
      });
      return merged;
    });
  }

  function search(text) {
    var grams = queryGrams(text);
    if (grams.length === 0) { return Promise.resolve([]); }
    return load('search/index.json').then(function (index) {
      return Promise.all(grams.map(function (gram) { return postingsOf(gram, index.shards); }));
    }).then(function (maps) {
      maps.sort(function (a, b) { return a.size - b.size; });
      var hits = [];
      maps[0].forEach(function (firstMask, doc) {
        var allTitle = true, allKeywords = true, allWords = true;
        for (var i = 0; i < maps.length; i++) {
          var mask = maps[i].get(doc);
          if (mask === undefined) { return; }
          allTitle = allTitle && (mask & IN_TITLE) !== 0;
          allKeywords = allKeywords && (mask & (IN_TITLE | IN_KEYWORDS)) !== 0;
          allWords = allWords && (mask & BY_PREFIX) === 0;
        }
        // Whole words before prefixes, then by field.
        hits.push({ doc: doc, score: (allWords ? 4 : 0) + (allTitle ? 3 : allKeywords ? 2 : 1) });
      });
      return applyFilters(hits);
    }).then(function (hits) {
      // Whole words and better fields first, then newer (lower ids are newer reports).
      hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
      return hits;
    });
  }

  function applyFilters(hits) {
    var department = departmentSelect ? departmentSelect.value : '';
    var year = yearSelect ? yearSelect.value : '';
    if (!department && !year) { return hits; }
    return load('search/filters.json').then(function (filters) {
      return hits.filter(function (hit) {
        return (!department || filters.department[hit.doc] === Number(department)) &&
          (!year || filters.year[hit.doc] === Number(year));
      });
    });
  }

  // Appends `text` to `parent`, wrapping each occurrence of the query in <mark>.
  function highlight(parent, text) {
    var needle = normalize(query);
    var haystack = normalize(text);
    var at = 0;
    while (needle) {
      var found = haystack.indexOf(needle, at);
      if (found < 0) { break; }
      parent.appendChild(document.createTextNode(text.slice(at, found)));
      var mark = document.createElement('mark');
      mark.textContent = text.slice(found, found + needle.length);
      parent.appendChild(mark);
      at = found + needle.length;
    }
    parent.appendChild(document.createTextNode(text.slice(at)));
  }

  // The document-list entry (title, URL, date, department) of a hit.
  function docOf(hit) {
    return load('search/index.json').then(function (index) {
      return load('search/docs-' + Math.floor(hit.doc / index.per_file) + '.json').then(function (docs) {
        return docs[hit.doc % index.per_file];
      });
    });
  }

  // The visible, searchable text of a report's page (title, metadata, body, keywords) and its
  // body alone, normalized, fetched once per page.
  function pageOf(url) {
    if (!pages[url]) {
      pages[url] = fetch(url).then(function (response) { return response.ok ? response.text() : ''; }).then(function (html) {
        var page = new DOMParser().parseFromString(html, 'text/html');
        function textOf(selector) {
          return Array.from(page.querySelectorAll(selector)).map(function (element) {
            return element.textContent;
          }).join(' ');
        }
        var description = page.querySelector('meta[name="description"]');
        var bodyText = textOf('.report-body').replace(/\s+/g, ' ').trim();
        var all = [textOf('h1'), textOf('.report-meta td'), bodyText, textOf('.keywords li'),
          description ? description.getAttribute('content') : ''].join(' ');
        return {
          text: normalize(all).replace(/\s+/g, ' '),
          body: bodyText,
          description: description ? description.getAttribute('content') : ''
        };
      });
    }
    return pages[url];
  }

  // Moves candidates from `pending` to `results`, a few pages at a time in rank order, until
  // `want` results are known, no candidate is left, or `budget` pages were read (a query whose
  // grams are common but never adjacent would otherwise read every candidate's page).
  function confirm(run, want, budget) {
    if (results.length >= want || pending.length === 0 || budget <= 0) { return Promise.resolve(); }
    var batch = pending.splice(0, Math.min(BATCH, budget));
    checked += batch.length;
    return Promise.all(batch.map(function (hit) {
      return docOf(hit).then(function (doc) { return pageOf(doc[1]); }).then(function (page) {
        return phrases.every(function (phrase) { return page.text.indexOf(phrase) >= 0; }) ? hit : null;
      }, function () { return null; });
    })).then(function (found) {
      if (run !== generation) { return; }
      found.forEach(function (hit) { if (hit) { results.push(hit); } });
      return confirm(run, want, budget - batch.length);
    });
  }

  // A passage of the report around the first occurrence of the query, from the report's page.
  function snippet(url, element) {
    pageOf(url).then(function (page) {
      var text = page.body;
      var found = normalize(text).indexOf(normalize(query));
      if (found < 0) {
        text = page.description;
      } else {
        var start = Math.max(0, found - 40);
        text = (start > 0 ? '…' : '') + text.slice(start, found + query.length + 60) + '…';
      }
      highlight(element, text);
    }).catch(function () { /* the title and date are still shown */ });
  }

  // The status line once `results` (and `pending`) say how many reports match.
  function showCount() {
    var key = results.length === 0 ? (pending.length ? 'unconfirmed' : 'none')
      : pending.length ? 'at-least' : 'found';
    statusLine.textContent = message(key, { n: results.length, q: query, c: checked });
  }

  function showMore(run) {
    return confirm(run, shown + PAGE, CHECK_BUDGET).then(function () {
      if (run !== generation) { return; }
      showCount();
      var page = results.slice(shown, shown + PAGE);
      shown += page.length;
      more.hidden = shown >= results.length && pending.length === 0;
      return Promise.all(page.map(docOf));
    }).then(function (docs) {
      if (!docs || run !== generation) { return; }
      docs.forEach(function (doc) {
        var item = document.createElement('li');
        var heading = document.createElement('h2');
        heading.className = 'card-title';
        var link = document.createElement('a');
        link.href = doc[1];
        highlight(link, doc[0]);
        heading.appendChild(link);
        var meta = document.createElement('p');
        meta.className = 'card-meta';
        meta.textContent = doc[2] + (doc[3] ? ' · ' + doc[3] : '');
        var passage = document.createElement('p');
        passage.className = 'card-summary';
        item.appendChild(heading);
        item.appendChild(meta);
        item.appendChild(passage);
        list.appendChild(item);
        snippet(doc[1], passage);
      });
    });
  }

  function run() {
    query = input.value.trim();
    var current = ++generation;
    list.textContent = '';
    results = [];
    pending = [];
    checked = 0;
    shown = 0;
    more.hidden = true;
    var params = new URLSearchParams();
    if (query) { params.set('q', query); }
    if (departmentSelect.value) { params.set('department', departmentSelect.value); }
    if (yearSelect.value) { params.set('year', yearSelect.value); }
    history.replaceState(null, '', params.toString() ? '?' + params.toString() : location.pathname);
    if (!query) { statusLine.textContent = ''; return; }
    statusLine.textContent = message('searching', {});
    loadFold().then(function () { return search(normalize(query)); }).then(function (hits) {
      if (current !== generation) { return; }
      phrases = phrasesOf(normalize(query));
      if (phrases.length) { pending = hits; } else { results = hits; }
      return showMore(current);
    }).catch(function (error) {
      statusLine.textContent = message('error', { e: error.message });
    });
  }

  if (!form || !input) { return; }
  var timer = null;
  form.addEventListener('submit', function (event) { event.preventDefault(); run(); });
  input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 250); });
  departmentSelect.addEventListener('change', run);
  yearSelect.addEventListener('change', run);
  more.addEventListener('click', function () { showMore(generation); });
  var initial = new URLSearchParams(location.search);
  input.value = initial.get('q') || '';
  departmentSelect.value = initial.get('department') || '';
  yearSelect.value = initial.get('year') || '';
  if (input.value) { run(); }
})();
