// Elderly-friendly mode (长辈模式): larger text and higher contrast, remembered across pages.
(function () {
  'use strict';
  var KEY = 'gongshi-elderly';
  var root = document.documentElement;
  var button = document.getElementById('elderly-toggle');
  if (!button) { return; }
  function show(on) {
    root.classList.toggle('elderly', on);
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
  }
  show(root.classList.contains('elderly'));
  button.addEventListener('click', function () {
    var on = !root.classList.contains('elderly');
    show(on);
    try { localStorage.setItem(KEY, on ? '1' : '0'); } catch (e) { /* private mode: this page only */ }
  });
})();

// The header's search box: search.js (results as one types) is loaded on first focus only, so
// pages that are only read carry none of it.
(function () {
  'use strict';
  var input = document.getElementById('header-q');
  if (!input || !input.getAttribute('data-script')) { return; }
  input.addEventListener('focus', function () {
    var script = document.createElement('script');
    script.src = input.getAttribute('data-script');
    script.setAttribute('data-base', input.getAttribute('data-base') || '/');
    document.head.appendChild(script);
  }, { once: true });
})();
