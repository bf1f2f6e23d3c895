// newsdesk: keyboard shortcuts and buttons that update in place.
// Every action is a plain form that works without this script.
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function items() { return Array.prototype.slice.call(document.querySelectorAll(".item")); }
  function current() { return document.querySelector(".item.current"); }

  function select(el) {
    var was = current();
    if (was) { was.classList.remove("current"); }
    if (!el) { return; }
    el.classList.add("current");
    var link = el.querySelector(".item-link");
    if (link) { link.focus(); }
    el.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var list = items();
    if (!list.length) { return; }
    var at = list.indexOf(current());
    var next = at < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(Math.max(at + step, 0), list.length - 1);
    select(list[next]);
  }

  function scope() { return current() || document; }

  function press(selector) {
    var button = scope().querySelector(selector + " button") || document.querySelector(selector + " button");
    if (button) { button.click(); }
  }

  function submitInPlace(form) {
    var body = new URLSearchParams(new FormData(form));
    return fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRF-Token": csrf }
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      var button = form.querySelector("button");
      var on = form.querySelector('input[name="on"]');
      if (data.label && button) { button.textContent = data.label; }
      if (data.on !== undefined && on) { on.value = data.on; }
      var status = document.getElementById("live-status");
      if (status && data.label) { status.textContent = "Done: " + data.label; }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("inplace") || !window.fetch) { return; }
    event.preventDefault();
    submitInPlace(form).catch(function () { form.submit(); });
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) { return; }
    var key = event.key;
    if (key === "j") { move(1); }
    else if (key === "k") { move(-1); }
    else if (key === "o" || (key === "Enter" && current() && event.target === document.body)) {
      var cur = current();
      var link = cur && cur.querySelector(".item-link");
      if (link) { window.location.href = link.href; } else { return; }
    }
    else if (key === "m") { press(".read-toggle"); }
    else if (key === "s") { press(".star-toggle"); }
    else if (key === "f") { press(".follow"); }
    else if (key === "/") {
      var q = document.getElementById("q");
      if (q) { q.focus(); } else { window.location.href = "/search"; }
    }
    else if (key === "?") {
      var dialog = document.getElementById("help-dialog");
      if (dialog && dialog.showModal) { dialog.showModal(); } else { window.location.href = "/help"; }
    }
    else { return; }
    event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () {
    var status = document.createElement("p");
    status.id = "live-status";
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    var main = document.getElementById("main");
    if (main) { main.appendChild(status); }
  });
})();
