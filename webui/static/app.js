// Keyboard and clipboard conveniences. Every page works without this file.
//
// Pages register their keys with treatysearch.keys.add(key, description, handler, available):
// the handler runs on that key (not while typing in a field), and the "?" dialog lists every key
// whose available() is true on this page. Other scripts (the comparison page's) register theirs
// the same way, after this file (it is loaded first, with defer).
(function () {
  "use strict";
  var registered = [];

  function typing(event) {
    var t = event.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }

  function announce(text) {
    var live = document.getElementById("announce");
    if (live) { live.textContent = ""; setTimeout(function () { live.textContent = text; }, 50); }
  }

  function add(key, description, handler, available) {
    registered.push({ key: key, description: description, handler: handler, available: available || function () { return true; } });
  }

  function helpDialog() { return document.getElementById("keys-help"); }

  function fillHelp() {
    var list = document.getElementById("keys-list");
    if (!list) { return; }
    list.textContent = "";
    registered.forEach(function (entry) {
      if (!entry.available()) { return; }
      var dt = document.createElement("dt"), kbd = document.createElement("kbd"), dd = document.createElement("dd");
      kbd.textContent = entry.key === "Escape" ? "Esc" : entry.key;
      dt.appendChild(kbd);
      dd.textContent = entry.description;
      list.appendChild(dt);
      list.appendChild(dd);
    });
  }

  function showHelp() {
    var dialog = helpDialog();
    if (!dialog || dialog.open) { return; }
    fillHelp();
    dialog.showModal();
  }

  window.treatysearch = { keys: { add: add, showHelp: showHelp }, announce: announce, typing: typing };

  // Every page: the search box, leaving it, and the list of keys.
  function searchBox() { return document.getElementById("q"); }
  add("/", "go to the search box", function () {
    var box = searchBox();
    if (box) { box.focus(); box.select(); }
  }, function () { return !!searchBox(); });
  add("Escape", "leave the search box (or close this list)", function () {
    var main = document.getElementById("main");
    if (document.activeElement && document.activeElement.blur) { document.activeElement.blur(); }
    if (main) { main.focus({ preventScroll: true }); }
  });
  add("?", "show these keys", showHelp);

  // The search page: move between results and open one.
  var current = -1;
  function hits() { return Array.prototype.slice.call(document.querySelectorAll("#results .hit")); }
  function selectHit(index) {
    var list = hits();
    if (!list.length) { return; }
    current = Math.max(0, Math.min(list.length - 1, index));
    list.forEach(function (hit, i) { hit.classList.toggle("current", i === current); });
    list[current].scrollIntoView({ block: "nearest" });
    list[current].querySelector("a.hit-link").focus({ preventScroll: true });
  }
  function onSearchPage() { return hits().length > 0; }
  add("j", "next result", function () { selectHit(current + 1); }, onSearchPage);
  add("k", "previous result", function () { selectHit(current - 1); }, onSearchPage);
  add("Enter", "open the selected result", function (event) {
    var link = hits()[current] && hits()[current].querySelector("a.hit-link");
    if (current >= 0 && link && document.activeElement !== link) { window.location.href = link.href; return; }
    return false;  // let Enter do what it does
  }, onSearchPage);

  // The document page: move between clauses and copy a clause's permalink.
  function clauses() { return Array.prototype.slice.call(document.querySelectorAll("ol.clauses li.clause")); }
  function onDocumentPage() { return clauses().length > 0; }
  function currentClause() {
    var list = clauses(), id = window.location.hash.slice(1);
    return list.findIndex(function (c) { return c.id === id; });
  }
  function goToClause(step) {
    var list = clauses(), index = currentClause();
    index = index < 0 ? (step > 0 ? 0 : list.length - 1) : Math.max(0, Math.min(list.length - 1, index + step));
    var clause = list[index];
    history.replaceState(null, "", "#" + clause.id);
    clause.scrollIntoView({ block: "center" });
    clause.querySelector("a.permalink").focus({ preventScroll: true });
    document.querySelectorAll("li.clause.current").forEach(function (c) { c.classList.remove("current"); });
    clause.classList.add("current");
  }
  function permalinkOf(link) {
    return window.location.origin + window.location.pathname + window.location.search + link.getAttribute("href");
  }
  function copyLink(link) {
    var url = permalinkOf(link);
    var done = function () {
      link.classList.add("copied");
      announce("Copied the link to clause " + link.getAttribute("href").slice(2) + ".");
      setTimeout(function () { link.classList.remove("copied"); }, 1500);
    };
    if (navigator.clipboard) { navigator.clipboard.writeText(url).then(done, function () { announce(url); }); } else { announce(url); }
  }
  add("]", "next clause", function () { goToClause(1); }, onDocumentPage);
  add("[", "previous clause", function () { goToClause(-1); }, onDocumentPage);
  add("c", "copy the link to the current clause", function () {
    var index = currentClause();
    if (index < 0) { goToClause(1); index = 0; }
    copyLink(clauses()[index].querySelector("a.permalink"));
  }, onDocumentPage);

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var dialog = helpDialog();
    if (dialog && dialog.open) { return; }  // the dialog closes itself on Esc
    if (typing(event) && event.key !== "Escape") { return; }
    for (var i = 0; i < registered.length; i++) {
      var entry = registered[i];
      if (entry.key === event.key && entry.available()) {
        if (entry.handler(event) !== false) { event.preventDefault(); }
        return;
      }
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.permalink");
    if (link) { copyLink(link); return; }
    if (event.target.id === "keys-button") { showHelp(); }
  });

  // The year histogram is one control: one Tab stop, arrow keys move between the years that have documents.
  document.addEventListener("keydown", function (event) {
    var bar = event.target.closest && event.target.closest(".histogram a.bar");
    if (!bar) { return; }
    var bars = Array.prototype.slice.call(bar.closest(".histogram").querySelectorAll("a.bar"));
    var index = bars.indexOf(bar), next = null;
    if (event.key === "ArrowRight" || event.key === "ArrowUp") { next = bars[Math.min(bars.length - 1, index + 1)]; }
    if (event.key === "ArrowLeft" || event.key === "ArrowDown") { next = bars[Math.max(0, index - 1)]; }
    if (event.key === "Home") { next = bars[0]; }
    if (event.key === "End") { next = bars[bars.length - 1]; }
    if (!next) { return; }
    event.preventDefault();
    bars.forEach(function (b) { b.setAttribute("tabindex", b === next ? "0" : "-1"); });
    next.focus();
  });

  // Narrow screens: the filters start folded behind their "Filters (n active)" button.
  var filters = document.getElementById("filters");
  if (filters && window.matchMedia("(max-width: 52rem)").matches) { filters.open = false; }
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
