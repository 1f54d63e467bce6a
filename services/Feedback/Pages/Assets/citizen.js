// Citizens' pages: small improvements over plain forms, which work without this file.
(function () {
  'use strict';
  // The invitation link carries the survey code in its fragment, which the browser never sends to a server.
  var shape = /^#([A-Za-z0-9_-]{43})$/;
  var code = shape.exec(window.location.hash);

  // Another link opened in the same tab changes only the fragment, which loads nothing: start afresh with its code.
  window.addEventListener('hashchange', function () {
    if (shape.test(window.location.hash)) {
      window.location.reload();
    }
  });

  document.addEventListener('DOMContentLoaded', function () {
    var survey = document.getElementById('survey-answer');
    var field = survey && survey.elements.token;
    if (code && field && field.type === 'text') {
      openSurvey(survey, field, code[1]);
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

  // The code goes into the form and out of the address bar (a one-time secret); the language links keep it in their own
  // fragments. The description comes in one small request; if the link can't be answered, that news replaces the form.
  function openSurvey(form, field, token) {
    field.value = token;
    document.getElementById('code-field').hidden = true;
    var languages = document.querySelectorAll('.langs a');
    for (var i = 0; i < languages.length; i++) {
      languages[i].hash = token;
    }
    if (window.history.replaceState) {
      window.history.replaceState(null, '', window.location.pathname + window.location.search);
    }

    var request = new XMLHttpRequest();
    request.open('POST', form.getAttribute('data-describe'));
    request.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
    request.onload = function () {
      var about = document.getElementById('survey-about');
      if (request.status === 200) {
        about.innerHTML = request.responseText;
      } else if (request.status === 404 || request.status === 409 || request.status === 410) {
        about.innerHTML = request.responseText;
        form.parentNode.removeChild(form);
        document.getElementById('outcome-title').focus();
      }
    };
    request.send('token=' + encodeURIComponent(token) + '&csrf=' + encodeURIComponent(form.elements.csrf.value));
  }
})();
