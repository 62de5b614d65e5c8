// Progressive help only: every page works without this file.
// A live count of the characters left in a woof, counted as the server
// counts them (grapheme clusters of the trimmed text) where the browser
// can, else by code points.
"use strict";
(function () {
  var segmenter = (typeof Intl !== "undefined" && Intl.Segmenter)
    ? new Intl.Segmenter(undefined, { granularity: "grapheme" })
    : null;

  function length(text) {
    text = text.trim();
    if (!segmenter) return Array.from(text).length;
    var n = 0;
    for (var it = segmenter.segment(text)[Symbol.iterator](), s = it.next(); !s.done; s = it.next()) n++;
    return n;
  }

  var areas = document.querySelectorAll("textarea[data-max][data-counter]");
  Array.prototype.forEach.call(areas, function (area) {
    var counter = document.getElementById(area.getAttribute("data-counter"));
    var max = parseInt(area.getAttribute("data-max"), 10);
    if (!counter || !max) return;
    function update() {
      var left = max - length(area.value);
      counter.textContent = left >= 0
        ? left + (left === 1 ? " character left" : " characters left")
        : -left + (left === -1 ? " character too many" : " characters too many");
      counter.classList.toggle("over", left < 0);
    }
    area.addEventListener("input", update);
    update();
  });
})();
