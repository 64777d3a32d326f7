// Polls the import's progress and moves on to its result when it finishes. Without JavaScript the page refreshes
// itself instead (a meta refresh inside <noscript>).
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var text = document.getElementById("progress-text");
  var url = box.getAttribute("data-status-url");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.value = data.percent;
        bar.textContent = data.percent + "%";
        text.textContent = data.percent + "% done: " + data.done.toLocaleString("en-GB") + " of " +
          data.total.toLocaleString("en-GB") + " records.";
        if (data.status === "running") {
          window.setTimeout(poll, 1000);
        } else {
          window.location.assign(data.detail_url);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
