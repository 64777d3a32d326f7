// The message page: a button to print the letter. Without JavaScript the button stays hidden and the page can be
// printed from the browser's menu; either way only the letter is printed (GOV.UK's print styles).
(function () {
  "use strict";
  var actions = document.getElementById("message-print-actions");
  var button = document.getElementById("message-print");
  if (!actions || !button) { return; }
  button.addEventListener("click", function () { window.print(); });
  actions.hidden = false;
})();
