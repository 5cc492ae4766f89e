// Progress of a background job: polls the element's data-url (JSON: finished, done, total,
// percent) every second and reloads the page when the job has finished.
(function () {
  document.querySelectorAll("[data-job-progress]").forEach(function (box) {
    const bar = box.querySelector(".progress-bar");
    function poll() {
      fetch(box.dataset.url, {headers: {"Accept": "application/json"}})
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (data.finished) { window.location.reload(); return; }
          bar.style.width = data.percent + "%";
          bar.parentElement.setAttribute("aria-valuenow", data.percent);
          bar.textContent = data.done + " / " + data.total;
          setTimeout(poll, 1000);
        })
        .catch(function () { setTimeout(poll, 3000); });
    }
    setTimeout(poll, 1000);
  });
})();
