/* What keyboard and screen reader users need after a form comes back with errors
   (issue #9). The pages work without it; with it, focus lands where the user must look.
   Loaded with `defer` from base.html; the CSP allows scripts from this site only. */
(function () {
  "use strict";

  var FIELDS = "input:not([type=hidden]), select, textarea, button";

  /* The error summary of a refused form takes focus, so it is read out first and the
     next Tab reaches its links. */
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  /* The field a summary link names: the element itself, or, for a group (a fieldset,
     a section), its checked radio or its first field. */
  function fieldFor(target) {
    if (target.matches(FIELDS)) {
      return target;
    }
    return target.querySelector("input:checked:not([type=hidden])") || target.querySelector(FIELDS);
  }

  /* A summary link moves focus to its field, not only the view; a closed <details>
     around the field opens. */
  function followSummaryLink(event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    var field = target && fieldFor(target);
    if (!field) {
      return;
    }
    event.preventDefault();
    var details = field.closest("details");
    if (details) {
      details.open = true;
    }
    var label = field.labels && field.labels[0];
    (label || field).scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  }

  /* Below 48em site.css turns a .stack-table into labelled cards with `display: block`,
     and some screen readers (Safari with VoiceOver, at times Chrome) then stop exposing it
     as a table. Explicit roles keep its rows, headers and cells announced (Adrian Roselli,
     "Tables, CSS Display Properties, and ARIA"). A script rather than markup: twelve
     tables in eight templates, rows drawn in loops and macros, and every future
     stack-table is covered by its class alone. Without JS only a phone's table semantics
     are lost; the cards still read in order with their data-label captions. */
  var TABLE_ROLES = [
    ["", "table"],
    ["thead, tbody, tfoot", "rowgroup"],
    ["tr", "row"],
    ["thead th, th[scope=col], th[scope=colgroup]", "columnheader"],
    ["tbody th:not([scope=col]):not([scope=colgroup]), th[scope=row]", "rowheader"],
    ["td", "cell"]
  ];

  function restoreTableRoles() {
    document.querySelectorAll("table.stack-table").forEach(function (table) {
      TABLE_ROLES.forEach(function (pair) {
        var found = pair[0] ? table.querySelectorAll(pair[0]) : [table];
        Array.prototype.forEach.call(found, function (el) {
          if (!el.hasAttribute("role") && el.closest("table") === table) {
            el.setAttribute("role", pair[1]);
          }
        });
      });
    });
  }

  function onReady() {
    restoreTableRoles();
    focusErrorSummary();
  }

  document.addEventListener("click", followSummaryLink);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onReady);
  } else {
    onReady();
  }
})();
