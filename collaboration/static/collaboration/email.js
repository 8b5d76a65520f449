// Turns "user (at) domain" spans (collaboration/_email.html) into mailto links.
(function () {
  "use strict";
  function reverse(text) { return (text || "").split("").reverse().join(""); }
  function enhance() {
    document.querySelectorAll(".email-address[data-u][data-d]").forEach(function (span) {
      var address = reverse(span.dataset.u) + "@" + reverse(span.dataset.d);
      var link = document.createElement("a");
      link.href = "mailto:" + address;
      link.textContent = address;
      span.replaceWith(link);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
