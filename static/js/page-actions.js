// Small page behaviours, kept out of the templates so the Content-Security-Policy allows no
// inline script (config/settings.py CONTENT_SECURITY_POLICY):
// - a select with data-autosubmit submits its form when changed;
// - a button with data-print prints the page;
// - an element with data-focus-on-load takes the focus (a form's error summary).
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-autosubmit]") && event.target.form) {
    event.target.form.submit();
  }
});
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
document.addEventListener("DOMContentLoaded", function () {
  var target = document.querySelector("[data-focus-on-load]");
  if (target) {
    target.focus();
  }
});
