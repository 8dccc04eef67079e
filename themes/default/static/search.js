// gongshi full-text search: no dependencies, no external requests.
// The index (built by gongshi) maps n-grams (single Han characters, Han bigrams, Latin/digit
// words) to reports; bigrams and words also carry where they occur. A query word such as
// 发改委员 is looked up by a cover of its bigrams (发改 at 0, 委员 at 2) and a report matches only
// where they lie side by side as typed, so 发改委 … 委员 apart is no match; no report page is read.
// Grams live in shards chosen by FNV-1a of their UTF-8 bytes, so a query loads only its shards.
// A shard (index version 3) is binary: each gram as varint(length) UTF-8 bytes, then
// varint(length) of its postings, LEB128 varints read here from the bytes as they are.
// Two front ends share this: the search page (#search-form) and the search box in the header
// of every other page (#header-q), which theme.js loads this script for on first focus and
// which shows the first results as one types in a list under the box.
(function () {
  'use strict';
  var script = document.currentScript;
  var base = (script && script.getAttribute('data-base')) || '/';
  var FALLBACK = {
    searching: '正在检索…', found: '找到 {n} 篇相关报告', none: '没有找到包含“{q}”的报告',
    error: '检索出错：{e}'
  };
  var PAGE = 10;
  // Results listed under the header's search box.
  var HEADER_RESULTS = 8;
  var IN_TITLE = 1, IN_KEYWORDS = 2;
  // Set on a posting found only through a prefix gram (`displ*` for `display`), not the word.
  var BY_PREFIX = 8;
  // Prefix grams the index holds: Latin words' prefixes of 3 to 16 characters.
  var MIN_PREFIX = 3, MAX_PREFIX = 16;
  // Grams looked up for a query: for a run of Han characters every other bigram, so a query
  // of up to 10 characters is matched exactly; a longer one (a whole title) is matched by
  // MAX_GRAMS of its grams at their offsets, which keeps its bytes near a short query's.
  var MAX_GRAMS = 7;
  // The index format this script reads (`version` in search/index.json).
  var VERSION = 3;
  var cache = {};

  // A file of the index: JSON, or the bytes of a shard (`.bin`) as a Uint8Array.
  function load(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (response) {
        if (!response.ok) { throw new Error(path + ': ' + response.status); }
        if (/\.bin$/.test(path)) {
          return response.arrayBuffer().then(function (buffer) { return new Uint8Array(buffer); });
        }
        return response.json();
      });
    }
    return cache[path];
  }

  // search/index.json, refused when it describes another format (an old index or script
  // kept by a cache), so a query fails with a message instead of reading wrong numbers.
  function loadIndex() {
    return load('search/index.json').then(function (index) {
      if (index.version !== VERSION) { throw new Error('search/index.json: version ' + index.version + ' ≠ ' + VERSION); }
      return index;
    });
  }

  function isHan(c) {
    var n = c.codePointAt(0);
    return (n >= 0x3400 && n <= 0x4DBF) || (n >= 0x4E00 && n <= 0x9FFF) ||
      (n >= 0xF900 && n <= 0xFAFF) || (n >= 0x20000 && n <= 0x3134F);
  }

  function isWordChar(c) { return /[\p{L}\p{N}]/u.test(c); }

  // Traditional -> Simplified pairs loaded so far from search/fold-<n>.json: the file of a
  // character holds its Simplified form, the file of that form all its Traditional ones, so
  // once a query's files are loaded every character of a title that folds to one of the
  // query's is known.
  var fold = Object.create(null);

  function loadFold(path) {
    return load(path).then(function (table) {
      var from = Array.from(table.from), to = Array.from(table.to);
      for (var i = 0; i < from.length; i++) { fold[from[i]] = to[i]; }
    });
  }

  function foldFor(text, files) {
    var han = Array.from(text).filter(function (c) { return /[\u4E00-\u9FFF]/.test(c); });
    function fileOf(c) { return 'search/fold-' + (c.codePointAt(0) % files) + '.json'; }
    return Promise.all(han.map(function (c) { return loadFold(fileOf(c)); })).then(function () {
      return Promise.all(han.map(function (c) { return loadFold(fileOf(fold[c] || c)); }));
    });
  }

  // Full-width letters, digits and signs as their ASCII forms, lower case, Traditional
  // characters as Simplified: what the index holds. Chinese and ASCII text keep their length,
  // so offsets into the normalized text are offsets into the text.
  function normalize(text) {
    return text.replace(/[\uFF01-\uFF5E]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xFEE0);
    }).replace(/\u3000/g, ' ').toLowerCase().replace(/[\u4E00-\u9FFF]/g, function (c) {
      return fold[c] || c;
    });
  }

  // True for a word that also matches longer words starting with it.
  function isPrefix(word) {
    return /^[a-z]/.test(word) && Array.from(word).length >= MIN_PREFIX;
  }

  // The offsets of the bigrams looked up for a run of `length` Han characters.
  function cover(length) {
    var all = [];
    for (var at = 0; at + 2 < length; at += 2) { all.push(at); }
    all.push(length - 2);
    return all;
  }

  // At most MAX_GRAMS parts of the query's words: the first part of each word in turn, then
  // the second…, so that most words are constrained; a word left with no part is not looked up.
  function budget(words) {
    var parts = [];
    words.forEach(function (word, w) { word.forEach(function (part, i) { parts.push({ part: part, w: w, i: i }); }); });
    if (parts.length <= MAX_GRAMS) { return words; }
    function rank(entry) { return entry.i * 1000 + entry.w; }
    parts.sort(function (a, b) { return rank(a) - rank(b); });
    var kept = parts.slice(0, MAX_GRAMS);
    return words.map(function (word, w) {
      return word.filter(function (part) { return kept.some(function (entry) { return entry.part === part && entry.w === w; }); });
    }).filter(function (word) { return word.length; });
  }

  // The grams of one query word (normalized), each with its offset in the word; `exact` when
  // the report must have it at that offset (bigrams and whole words), `prefix` for a last
  // Latin word that may be the start of a longer one.
  function plan(word, last) {
    var chars = Array.from(word);
    var parts = [];
    var i = 0;
    while (i < chars.length) {
      var start = i;
      if (isHan(chars[i])) {
        while (i < chars.length && isHan(chars[i])) { i++; }
        if (i - start === 1) { parts.push({ gram: chars[start], at: start }); continue; }
        cover(i - start).forEach(function (offset) {
          parts.push({ gram: chars[start + offset] + chars[start + offset + 1], at: start + offset, exact: true });
        });
      } else if (isWordChar(chars[i])) {
        while (i < chars.length && !isHan(chars[i]) && isWordChar(chars[i])) { i++; }
        var gram = chars.slice(start, i).join('');
        var prefix = last && i === chars.length && isPrefix(gram);
        parts.push({ gram: gram, at: start, exact: !prefix, prefix: prefix });
      } else {
        i++;
      }
    }
    return parts;
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

  // Reads LEB128 varints from `bytes` starting at `at`; `next()` returns one, `at` moves on.
  function varints(bytes, at) {
    var reader = { at: at };
    reader.next = function () {
      var value = 0, scale = 1, byte;
      do {
        if (reader.at >= bytes.length) { throw new Error('search shard: truncated'); }
        byte = bytes[reader.at++];
        value += (byte & 0x7f) * scale;
        scale *= 128;
      } while (byte >= 0x80);
      return value;
    };
    return reader;
  }

  // Where `key` (UTF-8 bytes) has its postings in a shard: [start, end) of their bytes, or
  // null. Grams are skipped by their lengths; none is decoded but the one asked for.
  function postingRange(bytes, key) {
    var reader = varints(bytes, 0);
    while (reader.at < bytes.length) {
      var length = reader.next(), start = reader.at, same = length === key.length;
      for (var i = 0; same && i < length; i++) { same = bytes[start + i] === key[i]; }
      reader.at = start + length;
      var size = reader.next();
      if (same) { return [reader.at, reader.at + size]; }
      reader.at += size;
    }
    return null;
  }

  // A gram's postings in a shard (delta*8+mask; for bigrams and whole words that *4 plus the
  // count of positions if 1 to 3, else *4 and the count after it, then the first position and
  // the gaps): Map(report id -> {mask, positions}).
  function decode(gram, bytes) {
    var chars = Array.from(gram);
    var positioned = isHan(chars[0]) ? chars.length === 2 : !/\*$/.test(gram);
    var map = new Map();
    var range = postingRange(bytes, new TextEncoder().encode(gram));
    if (!range) { return map; }
    var reader = varints(bytes, range[0]);
    var doc = 0;
    while (reader.at < range[1]) {
      var packed = reader.next(), count = 0;
      if (positioned) {
        count = packed % 4 || reader.next();
        packed = Math.floor(packed / 4);
      }
      doc += Math.floor(packed / 8);
      var posting = { mask: packed % 8, positions: [] };
      for (var k = 0, at = 0; k < count; k++) { at += reader.next(); posting.positions.push(at); }
      map.set(doc, posting);
    }
    return map;
  }

  // The postings of one part of a query word; a prefix also matches the reports whose words
  // start with it, marked BY_PREFIX when only those have it.
  function postingsOf(part, shards) {
    function lookup(key) {
      return load(shardOf(key, shards)).then(function (shard) { return decode(key, shard); });
    }
    var keys = keysOf(part);
    if (keys.length === 1) { return lookup(keys[0]); }
    return Promise.all(keys.map(lookup)).then(function (maps) {
      var merged = new Map();
      maps[1].forEach(function (posting, doc) { merged.set(doc, { mask: posting.mask | BY_PREFIX, positions: [] }); });
      maps[0].forEach(function (posting, doc) { merged.set(doc, posting); });
      return merged;
    });
  }

  function shardOf(key, shards) { return 'search/shard-' + (fnv1a(key) % shards) + '.bin'; }

  // The index keys of one part of a query word: the gram, and for a prefix its prefix gram.
  function keysOf(part) {
    return part.prefix ? [part.gram, Array.from(part.gram).slice(0, MAX_PREFIX).join('') + '*'] : [part.gram];
  }

  // The parts of each word of `text` (normalized) that are looked up.
  function planOf(text) {
    var typed = text.split(/\s+/).filter(Boolean);
    return budget(typed.map(function (word, i) { return plan(word, i === typed.length - 1); }).filter(function (parts) { return parts.length; }));
  }

  // Starts loading the shards `text` needs, so they arrive while the folding pairs of its
  // characters do; a query whose characters fold differently loads its other shards after.
  function prefetch(text, shards) {
    planOf(text).forEach(function (parts) {
      parts.forEach(function (part) {
        keysOf(part).forEach(function (key) { load(shardOf(key, shards)).catch(function () {}); });
      });
    });
  }

  function contains(sorted, value) {
    var low = 0, high = sorted.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (sorted[middle] < value) { low = middle + 1; } else { high = middle; }
    }
    return low < sorted.length && sorted[low] === value;
  }

  // Where in report `doc` a query word starts (its parts at their offsets); [] when nowhere,
  // [-1] when the word has no part with positions (a single character or a prefix).
  function starts(parts, maps, doc) {
    var exact = [];
    parts.forEach(function (part, i) { if (part.exact) { exact.push(i); } });
    if (exact.length === 0) { return [-1]; }
    var first = exact[0];
    return maps[first].get(doc).positions.map(function (at) { return at - parts[first].at; }).filter(function (start) {
      return exact.every(function (i) { return contains(maps[i].get(doc).positions, start + parts[i].at); });
    });
  }

  // The reports that match `text` (normalized), best first, after `filter` (hits -> hits or a
  // promise of them).
  function search(text, filter) {
    var words = planOf(text);
    if (words.length === 0) { return Promise.resolve([]); }
    return loadIndex().then(function (index) {
      return Promise.all(words.map(function (parts) {
        return Promise.all(parts.map(function (part) { return postingsOf(part, index.shards); }));
      }));
    }).then(function (wordMaps) {
      var smallest = wordMaps[0][0];
      wordMaps.forEach(function (maps) { maps.forEach(function (map) { if (map.size < smallest.size) { smallest = map; } }); });
      var hits = [];
      smallest.forEach(function (_, doc) {
        var allTitle = true, allKeywords = true, allWords = true, titleStart = false;
        for (var w = 0; w < wordMaps.length; w++) {
          var maps = wordMaps[w];
          for (var i = 0; i < maps.length; i++) {
            var posting = maps[i].get(doc);
            if (posting === undefined) { return; }
            allTitle = allTitle && (posting.mask & IN_TITLE) !== 0;
            allKeywords = allKeywords && (posting.mask & (IN_TITLE | IN_KEYWORDS)) !== 0;
            allWords = allWords && (posting.mask & BY_PREFIX) === 0;
          }
          var found = starts(words[w], maps, doc);
          if (found.length === 0) { return; }
          titleStart = titleStart || (w === 0 && found[0] === 0);
        }
        // Whole words before prefixes, then a title that starts with the query, then by field.
        hits.push({ doc: doc, score: (allWords ? 8 : 0) + (titleStart ? 4 : 0) + (allTitle ? 3 : allKeywords ? 2 : 1) });
      });
      return filter(hits);
    }).then(function (hits) {
      // Better first, then newer (lower ids are newer reports).
      hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
      return hits;
    });
  }

  // Appends `text` to `parent`, wrapping each occurrence of a word of `query` in <mark>.
  function highlight(parent, text, query) {
    var haystack = normalize(text);
    var marked = [];
    normalize(query).split(/\s+/).filter(Boolean).forEach(function (needle) {
      for (var found = haystack.indexOf(needle); found >= 0; found = haystack.indexOf(needle, found + 1)) {
        for (var k = found; k < found + needle.length; k++) { marked[k] = true; }
      }
    });
    var at = 0;
    while (at < text.length) {
      var end = at;
      while (end < text.length && !!marked[end] === !!marked[at]) { end++; }
      var piece = text.slice(at, end);
      if (marked[at]) {
        var mark = document.createElement('mark');
        mark.textContent = piece;
        parent.appendChild(mark);
      } else {
        parent.appendChild(document.createTextNode(piece));
      }
      at = end;
    }
  }

  // The document-list entry (title, URL, date, department, excerpt) of a hit.
  function docOf(hit) {
    return loadIndex().then(function (index) {
      return load('search/docs-' + Math.floor(hit.doc / index.per_file) + '.json').then(function (docs) {
        return docs[hit.doc % index.per_file];
      });
    });
  }

  // Among the first results whose title starts with `query`, the one titled exactly so first.
  // The document lists of the whole first page load at once, in one round trip with these.
  function exactTitleFirst(hits, query) {
    var first = hits.slice(0, PAGE);
    var leading = first.filter(function (hit) { return hit.score & 4; });
    var wanted = normalize(query);
    first.forEach(function (hit) { docOf(hit).catch(function () {}); });
    return Promise.all(leading.map(docOf)).then(function (docs) {
      var exact = leading.filter(function (_, i) { return normalize(docs[i][0]).trim() === wanted; });
      return exact.concat(hits.filter(function (hit) { return exact.indexOf(hit) < 0; }));
    });
  }

  // The reports that match what was typed, best first: loads the folding pairs of its
  // characters, then the shards of its grams.
  function find(query, filter) {
    return loadIndex().then(function (index) {
      prefetch(normalize(query), index.shards);
      return foldFor(query, index.fold_files);
    }).then(function () {
      return search(normalize(query), filter);
    }).then(function (hits) { return exactTitleFirst(hits, query); });
  }

  // Moves focus with the arrow keys from `input` through `links()` and back; Escape returns.
  function arrowKeys(input, links, escape) {
    document.addEventListener('keydown', function (event) {
      var all = links();
      var at = document.activeElement === input ? -1 : all.indexOf(document.activeElement);
      if ((at < 0 && document.activeElement !== input) || ['ArrowDown', 'ArrowUp', 'Escape'].indexOf(event.key) < 0) { return; }
      var next = event.key === 'ArrowDown' ? at + 1 : event.key === 'ArrowUp' ? at - 1 : -1;
      if (event.key === 'Escape' && escape) { escape(); }
      if (next >= all.length || (next < 0 && at < 0)) { return; }
      event.preventDefault();
      (next < 0 ? input : all[next]).focus();
    });
  }

  // The search page: results in pages of ten, filters, `?q=` in the address.
  function searchPage(form) {
    var input = document.getElementById('search-q');
    var departmentSelect = document.getElementById('search-department');
    var yearSelect = document.getElementById('search-year');
    var statusLine = document.getElementById('search-status');
    var list = document.getElementById('search-results');
    var more = document.getElementById('search-more');
    // Status lines come from the page, so an edition's converter puts them in its script.
    var messages = document.getElementById('search-messages');
    var results = [];
    var shown = 0;
    var generation = 0;
    var query = '';

    // The status line `key` with `{n}`, `{q}`, `{e}` filled in from `values`.
    function message(key, values) {
      var node = messages && messages.content.querySelector('[data-key="' + key + '"]');
      return (node ? node.textContent : FALLBACK[key]).replace(/\{([nqe])\}/g, function (_, name) {
        return String(values[name]);
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

    function showMore(run) {
      var page = results.slice(shown, shown + PAGE);
      shown += page.length;
      more.hidden = shown >= results.length;
      return Promise.all(page.map(docOf)).then(function (docs) {
        if (run !== generation) { return; }
        docs.forEach(function (doc) {
          var item = document.createElement('li');
          var heading = document.createElement('h2');
          heading.className = 'card-title';
          var link = document.createElement('a');
          link.href = doc[1];
          highlight(link, doc[0], query);
          heading.appendChild(link);
          var meta = document.createElement('p');
          meta.className = 'card-meta';
          meta.textContent = doc[2] + (doc[3] ? ' · ' + doc[3] : '');
          var passage = document.createElement('p');
          passage.className = 'card-summary';
          highlight(passage, doc[4] || '', query);
          item.appendChild(heading);
          item.appendChild(meta);
          item.appendChild(passage);
          list.appendChild(item);
        });
      });
    }

    function run() {
      query = input.value.trim();
      var current = ++generation;
      list.textContent = '';
      results = [];
      shown = 0;
      more.hidden = true;
      var params = new URLSearchParams();
      if (query) { params.set('q', query); }
      if (departmentSelect.value) { params.set('department', departmentSelect.value); }
      if (yearSelect.value) { params.set('year', yearSelect.value); }
      history.replaceState(null, '', params.toString() ? '?' + params.toString() : location.pathname);
      if (!query) { statusLine.textContent = ''; return; }
      statusLine.textContent = message('searching', {});
      find(query, applyFilters).then(function (hits) {
        if (current !== generation) { return; }
        results = hits;
        statusLine.textContent = message(hits.length ? 'found' : 'none', { n: hits.length, q: query });
        return showMore(current);
      }).catch(function (error) {
        if (current === generation) { statusLine.textContent = message('error', { e: error.message }); }
      });
    }

    var timer = null;
    // Enter runs the query now and drops the run still waiting for typing to pause, which
    // would empty the list (and the focus in it) once results are already shown.
    form.addEventListener('submit', function (event) { event.preventDefault(); clearTimeout(timer); run(); });
    input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 250); });
    departmentSelect.addEventListener('change', run);
    yearSelect.addEventListener('change', run);
    more.addEventListener('click', function () { showMore(generation); });
    arrowKeys(input, function () { return Array.from(list.querySelectorAll('h2 a')); });
    var initial = new URLSearchParams(location.search);
    input.value = initial.get('q') || '';
    departmentSelect.value = initial.get('department') || '';
    yearSelect.value = initial.get('year') || '';
    if (input.value) { run(); }
  }

  // The header's search box: the first results under it as one types; Enter submits the form
  // to the search page (`?q=`), the arrow keys walk the list, Escape closes it.
  function headerBox(input) {
    var form = input.form;
    var box = document.createElement('ul');
    box.id = 'header-results';
    box.className = 'header-results';
    box.hidden = true;
    box.style.cssText = 'position:absolute;top:100%;left:0;z-index:10;margin:.2rem 0 0;padding:.25rem 0;' +
      'list-style:none;width:min(32rem,100%);background:var(--bg,#fff);border:1px solid var(--muted,#888);' +
      'border-radius:3px;box-shadow:0 2px 6px rgba(0,0,0,.15)';
    form.style.position = 'relative';
    form.appendChild(box);
    var generation = 0;
    var timer = null;

    function close() { box.hidden = true; }

    function show() {
      var query = input.value.trim();
      var current = ++generation;
      if (!query) { box.textContent = ''; close(); return; }
      find(query, function (hits) { return hits; }).then(function (hits) {
        return Promise.all(hits.slice(0, HEADER_RESULTS).map(docOf));
      }).then(function (docs) {
        if (current !== generation) { return; }
        box.textContent = '';
        docs.forEach(function (doc) {
          var item = document.createElement('li');
          var link = document.createElement('a');
          link.href = doc[1];
          link.style.cssText = 'display:block;padding:.3rem .6rem;text-decoration:none';
          highlight(link, doc[0], query);
          var date = document.createElement('small');
          date.textContent = ' ' + doc[2];
          link.appendChild(date);
          item.appendChild(link);
          box.appendChild(item);
        });
        box.hidden = docs.length === 0;
      }).catch(function () { if (current === generation) { close(); } });
    }

    input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(show, 150); });
    input.addEventListener('click', function () { box.hidden = !box.childNodes.length; });
    document.addEventListener('click', function (event) { if (!form.contains(event.target)) { close(); } });
    arrowKeys(input, function () { return box.hidden ? [] : Array.from(box.querySelectorAll('a')); }, close);
    if (input.value.trim()) { show(); }
  }

  // The index's sizes are needed by every query: fetched now, before the first is typed.
  loadIndex().catch(function () {});
  var page = document.getElementById('search-form');
  var header = document.getElementById('header-q');
  if (page && document.getElementById('search-q')) { searchPage(page); } else if (header && header.form) { headerBox(header); }
})();
