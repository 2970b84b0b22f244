/* Nexus page behaviour that htmx does not cover: the theme toggle (remembered in localStorage),
   the small-screen menu, and focus/announcements after htmx swaps. Loaded in <head>, no deps. */
(function () {
  "use strict";
  var KEY = "nexus-theme";
  var root = document.documentElement;
  var stored = null;
  try { stored = window.localStorage.getItem(KEY); } catch (e) { /* storage disabled */ }
  if (stored === "light" || stored === "dark") { root.setAttribute("data-theme", stored); }

  function effectiveTheme() {
    var chosen = root.getAttribute("data-theme");
    if (chosen) { return chosen; }
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  function syncToggle(button) {
    var dark = effectiveTheme() === "dark";
    button.setAttribute("aria-pressed", dark ? "true" : "false");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.getElementById("theme-toggle");
    if (toggle) {
      syncToggle(toggle);
      toggle.addEventListener("click", function () {
        var next = effectiveTheme() === "dark" ? "light" : "dark";
        root.setAttribute("data-theme", next);
        try { window.localStorage.setItem(KEY, next); } catch (e) { /* storage disabled */ }
        syncToggle(toggle);
      });
    }
    var navToggle = document.getElementById("nav-toggle");
    var nav = document.getElementById("site-nav");
    if (navToggle && nav) {
      navToggle.addEventListener("click", function () {
        var open = nav.classList.toggle("is-open");
        navToggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    /* Entry forms: the challenge fields show only while the kind is "challenge" (all show without JS). */
    Array.prototype.forEach.call(document.querySelectorAll("form[data-kind-form]"), function (form) {
      var kind = form.querySelector("select[name=kind]");
      if (!kind) { return; }
      function sync() {
        Array.prototype.forEach.call(form.querySelectorAll("[data-kind-only]"), function (el) {
          el.hidden = el.getAttribute("data-kind-only") !== kind.value;
        });
      }
      kind.addEventListener("change", sync);
      sync();
    });
    /* Forms marked data-confirm ask before they submit (deleting an entry). */
    document.addEventListener("submit", function (event) {
      var form = event.target;
      var question = form && form.getAttribute && form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) { event.preventDefault(); }
    }, true);
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      var menu = document.querySelector("details.user-menu[open], details.menu[open]");
      if (menu) { menu.removeAttribute("open"); var s = menu.querySelector("summary"); if (s) { s.focus(); } }
    });
  });

  /* A refused htmx request (400, 403, 404, 500) is said in the messages region, which is aria-live. */
  document.addEventListener("htmx:responseError", function (event) {
    var region = document.getElementById("messages");
    var xhr = event.detail && event.detail.xhr;
    if (!region || !xhr) { return; }
    var text = (xhr.getResponseHeader("Content-Type") || "").indexOf("text/plain") === 0 && xhr.responseText
      ? xhr.responseText
      : (xhr.status === 403 ? "You cannot do that." : xhr.status === 404 ? "That is gone or not shared with you."
        : "Something went wrong; please try again.");
    var p = document.createElement("p");
    p.className = "message message--error";
    p.textContent = text;
    region.appendChild(p);
  });

  /* A form marked data-swap-errors answers 400 with itself again, its errors on the fields (HTML):
     swap that in like a success, so the text typed stays and the errors show where they belong.
     Plain-text refusals keep going to #messages (above). */
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    var xhr = detail && detail.xhr;
    var form = detail && detail.requestConfig && detail.requestConfig.elt;
    if (!xhr || xhr.status !== 400 || !form || !form.hasAttribute || !form.hasAttribute("data-swap-errors")) { return; }
    if ((xhr.getResponseHeader("Content-Type") || "").indexOf("text/html") !== 0) { return; }
    detail.shouldSwap = true;
    detail.isError = false;
  });

  /* After htmx swaps in an element marked data-autofocus, move focus there (keyboard users keep their place). */
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.elt;
    if (!target || !target.querySelector) { return; }
    var focus = target.matches && target.matches("[data-autofocus]") ? target : target.querySelector("[data-autofocus]");
    if (focus) { focus.focus(); }
  });
})();
