// Keyboard and clipboard conveniences. Every page works without this file.
(function () {
  "use strict";
  function typing(event) {
    var t = event.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }
  var current = -1;
  function hits() { return Array.prototype.slice.call(document.querySelectorAll("#results .hit")); }
  function select(index) {
    var list = hits();
    if (!list.length) { return; }
    current = Math.max(0, Math.min(list.length - 1, index));
    list.forEach(function (hit, i) { hit.classList.toggle("current", i === current); });
    list[current].scrollIntoView({ block: "nearest" });
    list[current].querySelector("a.hit-link").focus({ preventScroll: true });
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.key === "/" && !typing(event)) {
      var box = document.getElementById("q");
      if (box) { event.preventDefault(); box.focus(); box.select(); }
    } else if ((event.key === "j" || event.key === "k") && !typing(event)) {
      event.preventDefault();
      select(current + (event.key === "j" ? 1 : -1));
    } else if (event.key === "Enter" && !typing(event) && current >= 0) {
      var link = hits()[current] && hits()[current].querySelector("a.hit-link");
      if (link && document.activeElement !== link) { event.preventDefault(); window.location.href = link.href; }
    }
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.permalink");
    if (!link || !navigator.clipboard) { return; }
    var url = window.location.origin + window.location.pathname + window.location.search + link.getAttribute("href");
    navigator.clipboard.writeText(url).then(function () {
      link.classList.add("copied");
      setTimeout(function () { link.classList.remove("copied"); }, 1500);
    }, function () {});
  });
})();
// A facet's "show all" list: the filter box keeps the values whose label holds what is typed.
(function () {
  "use strict";
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.classList || !box.classList.contains("facet-filter")) { return; }
    var wanted = box.value.trim().toLowerCase();
    box.closest(".facet").querySelectorAll("li").forEach(function (item) {
      item.hidden = wanted !== "" && item.textContent.toLowerCase().indexOf(wanted) < 0;
    });
  });
})();
