// The recovery codes page: buttons to print the codes or copy them (to paste into a password manager). Without
// JavaScript the buttons stay hidden and the codes can be selected and copied, or the page printed, as any page.
(function () {
  "use strict";
  var actions = document.getElementById("recovery-code-actions");
  var list = document.getElementById("recovery-codes");
  if (!actions || !list) { return; }
  var status = document.getElementById("recovery-codes-status");
  var copy = document.getElementById("recovery-codes-copy");
  var codes = Array.prototype.map.call(list.querySelectorAll("code"), function (code) {
    return code.textContent.trim();
  });
  document.getElementById("recovery-codes-print").addEventListener("click", function () { window.print(); });
  if (navigator.clipboard && window.isSecureContext) {
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(codes.join("\n")).then(
        function () { status.textContent = "Recovery codes copied. Paste them somewhere safe."; },
        function () { status.textContent = "The codes could not be copied. Select them and copy them instead."; }
      );
    });
  } else {
    copy.parentNode.removeChild(copy);
  }
  actions.hidden = false;
})();
