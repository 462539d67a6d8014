// The privacy page's buttons, on top of the beacon's window.analytics API.
(function () {
  'use strict';
  window.analytics = window.analytics || [];
  var answer = document.getElementById('answer');

  function show(text) {
    answer.hidden = false;
    answer.textContent = text;
  }

  function api() {
    // The beacon replaces the stub array with its API once loaded.
    if (Array.isArray(window.analytics)) {
      show('The analytics script has not loaded (blocked, or the collector is not running).');
      return null;
    }
    return window.analytics;
  }

  document.getElementById('gpc').textContent = navigator.globalPrivacyControl === true ? 'on: nothing is sent' : 'off';
  document.getElementById('dnt').textContent = navigator.doNotTrack === '1' ? 'on: nothing is sent' : 'off';

  document.getElementById('opt-out').addEventListener('click', function () {
    window.analytics.push(['optOut']);
    show('Opted out: this page sends nothing more. The next page you open counts again unless GPC is on.');
  });
  document.getElementById('opt-in').addEventListener('click', function () {
    window.analytics.push(['optIn']);
    show('Opted back in (unless your browser sends GPC or DNT, which always win).');
  });
  document.getElementById('what-we-hold').addEventListener('click', function () {
    var a = api();
    if (!a) return;
    show('Asking…');
    a.whatWeHold().then(function (data) {
      show(JSON.stringify(data, null, 2));
    }, function (r) {
      show('The server could not answer' + (r && r.status ? ' (HTTP ' + r.status + ')' : '') + '.');
    });
  });
  document.getElementById('forget').addEventListener('click', function () {
    var a = api();
    if (!a) return;
    show('Asking the server to forget you…');
    a.forget().then(function (data) {
      show('Done.\n' + JSON.stringify(data, null, 2));
    }, function (r) {
      show('The server could not answer' + (r && r.status ? ' (HTTP ' + r.status + ')' : '') + '.');
    });
  });
})();
