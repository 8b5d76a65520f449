/* Click-to-load films: the iframe is created only when the visitor presses play, so no
 * request reaches the video host before that. The address comes from the server, which
 * built it from the parsed video id (YouTube via youtube-nocookie.com, Vimeo with dnt=1). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".film-play");
    if (!button) {
      return;
    }
    var player = button.closest(".film-player");
    var frame = document.createElement("iframe");
    frame.src = player.dataset.embedUrl;
    frame.title = player.dataset.title;
    frame.className = "film-frame";
    frame.allow = "autoplay; fullscreen; picture-in-picture";
    frame.setAttribute("allowfullscreen", "");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    var poster = player.querySelector(".film-poster");
    poster.replaceWith(frame);
    frame.focus();
  });
})();
