// The comparison page's own keys: n / p move to the next or previous change, s swaps A and B.
(function () {
  "use strict";
  function typing(event) {
    var t = event.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }
  var current = -1;
  function changed() { return Array.prototype.slice.call(document.querySelectorAll("#aligned tr.change")); }
  function go(step) {
    var rows = changed();
    if (!rows.length) { return; }
    current = Math.max(0, Math.min(rows.length - 1, current + step));
    rows.forEach(function (row, i) { row.classList.toggle("current", i === current); });
    rows[current].scrollIntoView({ block: "center" });
    if (history.replaceState) { history.replaceState(null, "", "#" + rows[current].id); }
  }
  var changes = document.getElementById("changes");  // on a phone the change list starts folded
  if (changes && window.matchMedia && window.matchMedia("(max-width: 40rem)").matches) { changes.open = false; }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) { return; }
    if (event.key === "n" || event.key === "p") {
      event.preventDefault();
      go(event.key === "n" ? 1 : -1);
    } else if (event.key === "s") {
      var swap = document.getElementById("swap");
      if (swap) { event.preventDefault(); window.location.href = swap.href; }
    }
  });
})();
