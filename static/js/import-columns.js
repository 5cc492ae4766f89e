// The import page: show the column list of the kind chosen in the form (all are shown without
// JavaScript).
(function () {
  const select = document.querySelector("select[name=kind]");
  const sections = document.querySelectorAll("[data-import-kind]");
  if (!select || !sections.length) { return; }
  function show() {
    sections.forEach(function (section) {
      section.hidden = section.dataset.importKind !== select.value;
    });
  }
  select.addEventListener("change", show);
  show();
})();
