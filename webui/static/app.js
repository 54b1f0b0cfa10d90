// Agora: small additions over pages that work without script.
//   "/" focuses the search box; long facet lists get a box that filters them as you type.
(function () {
  "use strict";

  function typingIn(target) {
    if (!target) return false;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
    var box = document.getElementById("q") || document.getElementById("prefix");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  var MIN_VALUES = 12;

  function addFilter(list) {
    var items = Array.prototype.slice.call(list.querySelectorAll("li"));
    if (items.length < MIN_VALUES) return;
    var label = list.getAttribute("data-filter-label") || "Filter";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "facet-filter";
    input.placeholder = label + "…";
    input.setAttribute("aria-label", label);
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.addEventListener("input", function () {
      var wanted = input.value.trim().toLowerCase();
      var shown = 0;
      items.forEach(function (item) {
        var name = item.querySelector(".name");
        var text = (name ? name.textContent : item.textContent).toLowerCase();
        var match = !wanted || text.indexOf(wanted) !== -1;
        item.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = shown + " of " + items.length + " shown";
    });
    list.parentNode.insertBefore(input, list);
    list.parentNode.insertBefore(status, list);
  }

  function ready() {
    Array.prototype.forEach.call(document.querySelectorAll("ul.facet-values"), addFilter);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
