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
