/* The lesson page at the water: every tap is its own small POST with its own client_id (htmx sends it, the outbox
   keeps it when there is no network). Once htmx has built a tap's request, or the outbox has kept it, the button
   shows its new state at once and the row gets a fresh client_id for the next tap, so no tap waits for the network
   or is taken for a replay. */
(function () {
  "use strict";
  function uuid() {
    if (self.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }
  // htmx built the request (online), or the outbox kept the tap on the phone (offline): show it either way.
  document.addEventListener("htmx:config:request", function (event) {
    var request = event.detail && event.detail.ctx && event.detail.ctx.request;
    if (request) show(request.form, request.submitter);
  });
  document.addEventListener("sotay:kept", function (event) {
    show(event.target, event.detail && event.detail.submitter);
  });
  // The page is shown (often a kept copy) while taps made on it still wait in the outbox: show them as made, in
  // the order they were made, so the teacher sees every tap she gave.
  document.addEventListener("sotay:waiting", function (event) {
    var form = event.target, fields = (event.detail && event.detail.fields) || [];
    var tap = fields.filter(function (f) { return f.name === "tap"; })[0];
    if (!form.classList || !form.classList.contains("taps") || !tap) return;
    var parts = tap.value.split(":");
    var prefix = parts[0] === "result" ? tap.value : parts.slice(0, -1).join(":") + ":";
    var button = Array.prototype.find.call(form.querySelectorAll("button[name=tap]"), function (b) {
      return parts[0] === "result" ? b.value === tap.value : b.value.indexOf(prefix) === 0;
    });
    if (!button) return;
    if (parts[0] !== "result") button.value = tap.value; // the button as it was when tapped
    show(form, button, true);
  });

  function show(form, button, keepId) {
    if (!form || !form.classList || !form.classList.contains("taps") || !button) return;
    var parts = button.value.split(":");
    if (parts[0] === "result") {
      form.querySelectorAll("button[value^='result:']").forEach(function (b) {
        b.setAttribute("aria-pressed", b === button ? "true" : "false");
      });
    } else {
      var on = parts[parts.length - 1] === "1";
      button.setAttribute("aria-pressed", on ? "true" : "false");
      parts[parts.length - 1] = on ? "0" : "1";
      button.value = parts.join(":");
    }
    if (parts[0] !== "present") {  // a skill shown or a test taken means the child was there
      var who = form.querySelector("button.who");
      if (who && (parts[0] === "result" || button.getAttribute("aria-pressed") === "true")) {
        who.setAttribute("aria-pressed", "true");
        who.value = "present:0";
      }
    }
    if (!keepId) form.querySelector("input[name=client_id]").value = uuid();
  }
})();
