// Citizens' pages: small improvements over plain forms, which work without this file.
(function () {
  'use strict';
  // The invitation link carries the survey code in its fragment, which the browser never sends to a server.
  var code = /^#([A-Za-z0-9_-]{43})$/.exec(window.location.hash);

  document.addEventListener('DOMContentLoaded', function () {
    var open = document.getElementById('survey-open');
    if (code && open) {
      open.elements.token.value = code[1];
      // A one-time secret: out of the address bar and the history before the survey opens.
      if (window.history.replaceState) {
        window.history.replaceState(null, '', window.location.pathname + window.location.search);
      }
      open.submit();
      return;
    }

    var summary = document.getElementById('errors');
    if (summary) {
      summary.focus();
    }

    // A double tap sends a form once; the complaint form's key makes a second send harmless anyway.
    var forms = document.querySelectorAll('form[method=post]');
    for (var i = 0; i < forms.length; i++) {
      forms[i].addEventListener('submit', function (event) {
        if (this.getAttribute('data-sent')) {
          event.preventDefault();
          return;
        }
        this.setAttribute('data-sent', '1');
      });
    }
  });
})();
