/* Sổ tay in the page: registers the worker, takes over every form that creates or changes a record (a hidden
   client_id or base_version, or data-outbox) so that nothing typed is lost without signal, shows the outbox badge,
   the outbox page, "offline copy from", "new version ready", and guards signing out. Words come from the server.
   Every form shown gets a new client_id (loaded, from the worker's cache, back-forward cache or an htmx swap): a
   page kept on the phone must never make two entries under one id. A page shows what still waits in the outbox
   for it. The "no signal" page lists what opens offline and goes back by itself when the network returns. */
(function () {
  "use strict";
  var body = document.body, O = window.SotayOutbox;
  var S = JSON.parse(document.getElementById("sotay-strings").textContent);
  var user = body.dataset.user || "";
  var notices = document.getElementById("notices") || document.getElementById("main");
  var delay = 10000, timer = null, updateAsked = false;

  function t(key, vars) {
    return S[key].replace(/\{(\w+)\}/g, function (m, k) { return vars && k in vars ? vars[k] : m; });
  }
  function when(ms) {
    var lang = document.documentElement.lang === "en" ? "en-GB" : "vi-VN";
    return new Date(ms).toLocaleString(lang, {hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit",
      year: "numeric"});
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) e.textContent = text;
    return e;
  }
  function notice(id, text, kind, extra) {
    var p = document.getElementById(id);
    if (!p) { p = el("p", {id: id, role: "status"}); notices.appendChild(p); }
    p.className = "flash flash-" + (kind || "info");
    p.textContent = text;
    if (extra) { p.appendChild(document.createTextNode(" ")); p.appendChild(extra); }
    return p;
  }
  function drop(id) { var p = document.getElementById(id); if (p) p.remove(); }

  /* --- the service worker and its updates ----------------------------------------------------------------- */
  if ("serviceWorker" in navigator && body.dataset.sw) {
    navigator.serviceWorker.register(body.dataset.sw, {scope: "/"}).then(function (reg) {
      if (reg.waiting && navigator.serviceWorker.controller) offerUpdate(reg.waiting);
      reg.addEventListener("updatefound", function () {
        var w = reg.installing;
        w.addEventListener("statechange", function () {
          if (w.state === "installed" && navigator.serviceWorker.controller) offerUpdate(w);
        });
      });
      // Activated while this page was on its way (signing in redirects at that moment): the claim missed it, so
      // without this the page would stay uncontrolled (not kept, no offline copy) until the next navigation.
      return navigator.serviceWorker.ready.then(function (ready) {
        if (!navigator.serviceWorker.controller && ready.active) ready.active.postMessage("claim");
      });
    }).catch(function () { /* no worker: pages still work online */ });
    navigator.serviceWorker.addEventListener("controllerchange", function () {
      if (updateAsked) { updateAsked = false; location.reload(); }
    });
    navigator.serviceWorker.addEventListener("message", function (e) {
      var data = e.data || {};
      if (data === "outbox-changed") refresh();
      // The server refused this browser's session while a kept copy was shown: that copy must not stay on screen.
      // (Asked again first: the page is left only when the server still says nobody is signed in.)
      if (data.type === "signed-out" && user && O) {
        O.session().then(function (s) { if (!s.user) location.assign(body.dataset.loginUrl); }, function () {});
      }
    });
    // Keep the pages this person needs without signal, once the page they are on has loaded.
    // The worker itself decides whether its copies are old enough to fetch again.
    if (user) {
      var warm = function () {
        navigator.serviceWorker.ready.then(function (reg) {
          if (navigator.onLine && reg.active) reg.active.postMessage({type: "warm", user: user});
        });
      };
      window.addEventListener("load", function () { setTimeout(warm, 1000); });
      window.addEventListener("online", function () { setTimeout(warm, 3000); });
    }
  }

  function offerUpdate(worker) {
    var button = el("button", {type: "button", id: "update-ready", "class": "primary"}, t("newVersion"));
    button.addEventListener("click", function () { updateAsked = true; worker.postMessage("skip-waiting"); });
    var p = notice("update-notice", "", "info", button);
    p.firstChild.remove();
  }

  var keptAt = document.documentElement.dataset.keptAt;
  if (keptAt) notice("offline-copy", t("offlineCopy", {time: when(Date.parse(keptAt))}), "warning");

  /* --- a new client_id every time a form is shown --------------------------------------------------------- */
  // The server's value serves only browsers without JavaScript: a page kept on the phone, restored by the back
  // button or swapped in by htmx would otherwise post its old id again, and the server would take a new entry for
  // a replay of an old one.
  function freshIds(root) {
    (root || document).querySelectorAll("input[name=client_id]").forEach(function (input) {
      var form = input.form;
      if (form && (form.dataset.sending || form.dataset.outboxId)) return; // being sent, or an entry being fixed
      input.value = O ? O.uuid() : crypto.randomUUID();
    });
  }
  freshIds();
  window.addEventListener("pageshow", function (e) { if (e.persisted) freshIds(); });
  document.addEventListener("htmx:after:settle", function () { freshIds(); });

  /* --- taking over forms ---------------------------------------------------------------------------------- */
  // Administration (accounts, plans, places) is done with signal: those forms are never kept or replayed.
  var onlineOnly = (body.dataset.onlineOnly || "").split(" ").filter(Boolean);
  function isOnlineOnly(url) {
    var path = new URL(url, location.href).pathname;
    return onlineOnly.some(function (prefix) { return path === prefix || path.indexOf(prefix + "/") === 0; });
  }

  function takesOver(form) {
    return form && form.method === "post" && user && O && !form.hasAttribute("data-no-outbox") &&
      !isOnlineOnly(form.action) &&
      (form.hasAttribute("data-outbox") || form.querySelector("input[name=client_id], input[name=base_version]"));
  }

  // A form htmx posts (one tap, one small POST, the answer swapped in place) stays htmx's while there is signal:
  // taking it over too would send it twice, or reload the page. The outbox keeps it when the phone is offline, and
  // when htmx's own send fails (see the htmx:error listener below).
  function htmxSends(form) {
    return !!window.htmx && form.hasAttribute("data-htmx-powered") &&
      ["post", "put", "patch", "delete"].some(function (verb) {
        return form.hasAttribute("hx-" + verb) || form.hasAttribute("data-hx-" + verb);
      });
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (isSignOut(form)) return guardSignOut(e, form);
    if (e.defaultPrevented || !takesOver(form)) return;
    if (htmxSends(form)) {
      if (navigator.onLine) return;
      e.preventDefault();
      e.stopPropagation(); // htmx must not try it as well
      return keepTap(form, O.serialise(form, e.submitter), form.action, e.submitter);
    }
    e.preventDefault();
    e.stopPropagation(); // htmx or anything else must not send it a second time
    if (form.dataset.sending) return;
    submit(form, e.submitter);
  }, true);

  // htmx could not reach the server (or the server failed): keep exactly what htmx sent, with its client_id, so a
  // request that did arrive after all is recognised as a replay and saved once.
  function htmxFailed(e) {
    var ctx = e.detail && e.detail.ctx, form = ctx && ctx.sourceElement;
    if (!ctx || !ctx.request || !form || form.tagName !== "FORM" || !takesOver(form)) return;
    if (ctx.response && ctx.response.status < 500) return; // an answer: htmx shows it
    var fields = [], sent = ctx.request.body;
    if (sent && sent.forEach) {
      sent.forEach(function (value, name) {
        if (typeof value === "string") fields.push({name: name, value: value});
        else fields.push({name: name, blob: value, filename: value.name, type: value.type});
      });
    } else {
      fields = O.serialise(form);
    }
    keepTap(form, fields, new URL(ctx.request.action || form.action, location.href).href, null);
  }
  document.addEventListener("htmx:error", htmxFailed);
  document.addEventListener("htmx:response:error", htmxFailed);

  // One tap kept on the phone. Taps come fast, several on one row: nothing here waits, nothing is refused as
  // "still sending". The page's own script shows the tap (event `sotay:kept`, like htmx:config:request), the row
  // is marked as waiting, and the form gets a new client_id so that the next tap is a record of its own.
  function keepTap(form, fields, url, submitter) {
    var item = O.entry(user, url, form.enctype, fields, location.pathname + location.search, pageTitle());
    item.summary = summarise(form, submitter);
    var sent = fields.filter(function (f) { return f.name === "client_id"; })[0];
    if (submitter) form.dispatchEvent(new CustomEvent("sotay:kept", {bubbles: true, detail: {submitter: submitter}}));
    var cid = form.querySelector("input[name=client_id]");
    if (cid && sent && cid.value === sent.value) cid.value = O.uuid(); // the next tap is a record of its own
    markWaiting(form, item.id);
    return O.put(item).then(function () {
      askToPersist();
      notice("outbox-saved", S.savedOnPhone, "success");
      requestSync();
      O.notify();
      schedule();
    });
  }

  function markWaiting(form, id) {
    var ids = (form.dataset.outboxWaiting || "").split(" ").filter(Boolean);
    ids.push(id);
    form.dataset.outboxWaiting = ids.join(" ");
    form.classList.remove("outbox-sent");
    form.classList.add("outbox-waiting");
    var note = form.querySelector(".outbox-note");
    if (!note) { note = el("small", {"class": "outbox-note", role: "status"}); form.appendChild(note); }
    note.textContent = S.tapWaiting;
  }

  // After a send: rows whose taps all left the outbox say so.
  function markSent(items) {
    var left = {};
    items.forEach(function (i) { left[i.id] = true; });
    document.querySelectorAll("form[data-outbox-waiting]").forEach(function (form) {
      var ids = form.dataset.outboxWaiting.split(" ").filter(function (id) { return left[id]; });
      if (ids.length) { form.dataset.outboxWaiting = ids.join(" "); return; }
      delete form.dataset.outboxWaiting;
      form.classList.remove("outbox-waiting");
      form.classList.add("outbox-sent");
      var note = form.querySelector(".outbox-note");
      if (note) note.textContent = S.tapSent;
    });
  }
  body.dataset.outboxReady = "1"; // forms are taken over from here on (tests and the benchmark wait for it)

  function pageTitle() { return document.title.replace(/ · Sổ tay\s*$/, ""); }

  // A line that tells one kept entry from another on the outbox page: what was entered, as the form labels it.
  function labelText(input) {
    var label = input.labels && input.labels[0];
    if (!label && input.closest) {
      var field = input.closest(".field, fieldset");
      label = field && field.querySelector("label, legend");
    }
    return label ? label.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function summarise(form, submitter) {
    var parts = [];
    if (htmxSends(form)) {
      var who = form.querySelector("button.who, button.tap");
      if (who) parts.push(who.textContent.trim());
      if (submitter && submitter !== who) parts.push(submitter.title || submitter.textContent.trim());
      return parts.join(" · ");
    }
    Array.prototype.forEach.call(form.elements, function (e) {
      if (parts.length >= 6 || !e.name || e.disabled || e.tagName === "BUTTON" ||
          ["hidden", "submit", "button", "file", "password"].indexOf(e.type) >= 0) return;
      if (e.type === "checkbox" || e.type === "radio") { if (e.checked) parts.push(labelText(e)); return; }
      var value = e.tagName === "SELECT" ? Array.prototype.map.call(e.selectedOptions, function (o) { return o.text; }).join(", ")
        : e.value.trim();
      if (value) parts.push((labelText(e) ? labelText(e) + ": " : "") + value);
    });
    return parts.join(" · ").slice(0, 240);
  }

  function submit(form, submitter) {
    var item = O.entry(user, form.action, form.enctype, O.serialise(form, submitter),
      location.pathname + location.search, pageTitle());
    item.summary = summarise(form, submitter);
    // Entries of one form are sent in the order they were made (a second gift in a round is the one flagged), unless
    // the form says its records are independent of each other (data-outbox-unordered: each activity logged).
    if (form.hasAttribute("data-outbox-unordered") && !form.querySelector("input[name=base_version]")) {
      item.ordered = false;
    }
    // An entry opened from the outbox to be fixed, or a kept edit shown again, replaces itself.
    if (form.dataset.outboxId) item.id = form.dataset.outboxId;
    form.dataset.sending = "1";
    form.setAttribute("aria-busy", "true");
    // Written to the phone before anything is sent: a send that dies on the way loses nothing.
    return O.put(item).then(function () {
      askToPersist();
      if (!navigator.onLine) return keptOnPhone(form);
      return sendLive(item).then(function (answer) { return answered(form, item, answer); },
        function () { return keptOnPhone(form); });
    }).finally(function () {
      delete form.dataset.sending;
      form.removeAttribute("aria-busy");
    });
  }

  function sendLive(item) {
    var token = (document.querySelector("input[name=csrf_token]") || {}).value || "";
    return O.send(item, token, "live", 15000).then(function (answer) {
      if (answer.status !== "csrf") return answer;
      return O.session().then(function (s) { token = s.token; return O.send(item, token, "live", 15000); });
    }).then(function (answer) {
      if (answer.status !== "reused_id") return answer;
      return O.renew(item).then(function () { return O.send(item, token, "live", 15000); });
    });
  }

  function answered(form, item, answer) {
    var s = answer.status;
    if (s === "saved" || s === "conflict") {
      return O.settle(item, answer).then(function () { location.assign(answer.url || location.href); });
    }
    if (s === "invalid") {
      // The person is looking at the form: show the server's messages there, like any page would. An entry being
      // fixed from the outbox stays there, with the new messages, until it is saved.
      var fixing = form.dataset.outboxId === item.id;
      return (fixing ? O.settle(item, answer) : O.remove(item.id)).then(function () {
        showErrors(form, answer.errors, answer.form_errors);
      });
    }
    return O.settle(item, answer).then(function () {
      if (s === "signed_out" || s === "csrf") return signInNotice();
      if (s === "refused") return showErrors(form, {}, [answer.message]);
      return keptOnPhone(form);
    });
  }

  function keptOnPhone(form) {
    notice("outbox-saved", S.savedOnPhone, "success").scrollIntoView({block: "center"});
    drop("outbox-all-sent");
    form.reset();
    clearErrors(form);
    delete form.dataset.outboxId;
    delete form.dataset.sending;
    freshIds(form); // the next record on this form is a new one
    requestSync();
    O.notify(); // every open tab updates its badge
    schedule();
  }

  function clearErrors(form) {
    form.querySelectorAll(".js-error").forEach(function (p) { p.remove(); });
    form.querySelectorAll(".field .error").forEach(function (p) { p.remove(); });
    form.querySelectorAll(".has-error").forEach(function (f) { f.classList.remove("has-error"); });
    form.querySelectorAll("[aria-invalid]").forEach(function (f) { f.removeAttribute("aria-invalid"); });
  }

  function showErrors(form, errors, formErrors) {
    clearErrors(form);
    var first = null;
    Object.keys(errors || {}).forEach(function (name) {
      var input = form.elements[name];
      if (input && !input.closest && input.length) input = input[0]; // a group of radios: the message goes by the group
      if (!input || !input.closest) { formErrors = (formErrors || []).concat([errors[name]]); return; }
      var field = input.closest(".field") || input.parentNode;
      field.classList.add("has-error");
      var p = el("p", {id: name + "-error", "class": "error"}, errors[name]);
      field.appendChild(p);
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + p.id).trim());
      first = first || input;
    });
    (formErrors || []).forEach(function (message) {
      form.insertBefore(el("p", {"class": "flash flash-error js-error", role: "alert"}, message), form.firstChild);
    });
    if (first) first.focus();
  }

  /* --- sending what waits --------------------------------------------------------------------------------- */
  function requestSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.sync) return reg.sync.register("sotay-outbox");
    }).catch(function () { /* no Background Sync: the page's own triggers send it */ });
  }

  function kick() {
    if (!user || !O) return Promise.resolve();
    clearTimeout(timer);
    return O.flush().then(function (r) {
      if (r.signedOut) signInNotice(); else drop("outbox-signin");
      delay = r.network ? 10000 : Math.min(delay * 2, 300000); // back off while the network stays away
      if (r.left) schedule();
      return r;
    });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(kick, delay);
  }

  function signInNotice() {
    var a = el("a", {href: body.dataset.loginUrl + "?next=" + encodeURIComponent(location.pathname)}, S.signInLink);
    notice("outbox-signin", S.signIn, "warning", a);
  }

  var persistAsked = false;
  function askToPersist() {
    if (persistAsked || !navigator.storage || !navigator.storage.persist) return;
    persistAsked = true;
    navigator.storage.persisted().then(function (yes) { return yes || navigator.storage.persist(); })
      .catch(function () { /* not offered */ });
  }

  /* --- the badge and the outbox page ---------------------------------------------------------------------- */
  function mine() { return user && O ? O.all(user) : Promise.resolve([]); }

  var hadPending = false;

  // "Everything is sent" is said once: on the page that waited, or on the next page opened when the sending
  // happened with no page watching (the worker's Background Sync, another tab) within the last minute.
  function allSentTold(waitedHere) {
    return Promise.all([O.getMeta(waitedHere ? "lastSent" : "lastReplayed"), O.getMeta("allSentTold")]).then(function (m) {
      var sent = m[0], told = m[1];
      if (!sent || (told && told >= sent)) return false;
      if (!waitedHere && Date.now() - sent > 60000) return false;
      return O.setMeta("allSentTold", sent).then(function () { return true; });
    });
  }

  function refresh() {
    return mine().then(function (items) {
      var pending = items.filter(function (i) { return i.status === "waiting" || i.status === "signin"; }).length;
      var failed = items.length - pending;
      var badge = document.getElementById("outbox-badge");
      if (badge) {
        var parts = [];
        if (pending) parts.push(t("waiting", {n: pending}));
        if (failed) parts.push(t("failed", {n: failed}));
        badge.textContent = parts.join(" · ");
        badge.hidden = !items.length;
        badge.dataset.pending = pending;
        badge.dataset.failed = failed;
      }
      if (!items.length) drop("outbox-saved");
      // Everything this page knew waiting has gone: the kept copy's banner goes and the person is told so.
      if (pending) hadPending = true;
      var told = !pending && !failed ? allSentTold(hadPending) : Promise.resolve(false);
      told.then(function (tell) {
        if (!tell) return;
        hadPending = false;
        ["offline-copy", "outbox-saved", "outbox-waiting-here", "outbox-unsent-edit"].forEach(drop);
        notice("outbox-all-sent", S.allSent, "success");
        document.dispatchEvent(new CustomEvent("sotay:all-sent"));
      });
      markSent(items);
      return O.getMeta("conflict").then(function (c) {
        if (!c) return;
        notice("outbox-conflict", S.conflict, "warning", el("a", {href: body.dataset.conflictsUrl}, "→"));
        return O.setMeta("conflict", null);
      }).then(function () { if (Sotay.onItems) return Sotay.onItems(items); });
    });
  }

  /* --- a form filled from a kept entry -------------------------------------------------------------------- */
  function fill(form, item) {
    var files = {};
    item.fields.forEach(function (f) {
      if (f.name === "csrf_token") return;
      var input = form.elements[f.name];
      if (!input) return;
      if (f.blob) { (files[f.name] = files[f.name] || []).push(new File([f.blob], f.filename, {type: f.type})); return; }
      if (input instanceof RadioNodeList || input.type === "checkbox" || input.type === "radio") {
        (input.length ? Array.prototype.slice.call(input) : [input]).forEach(function (i) {
          if (i.type === "checkbox" || i.type === "radio") { if (i.value === f.value) i.checked = true; } else i.value = f.value;
        });
      } else input.value = f.value;
    });
    Object.keys(files).forEach(function (name) {
      var dt = new DataTransfer();
      files[name].forEach(function (file) { dt.items.add(file); });
      form.elements[name].files = dt.files;
    });
  }

  function formFor(item) {
    return Array.prototype.find.call(document.forms, function (f) {
      if (f.action !== item.url) return false;
      // Several forms post to one address (a row per child): the row's own hidden keys must match the entry's.
      return Array.prototype.every.call(f.querySelectorAll("input[type=hidden]"), function (h) {
        if (h.name === "csrf_token" || h.name === "client_id" || h.name === "base_version") return true;
        var sent = item.fields.filter(function (x) { return x.name === h.name; })[0];
        return !sent || sent.value === h.value;
      });
    });
  }

  /* --- opening a refused record in its form to fix it ----------------------------------------------------- */
  function reopen() {
    var m = /^#fix=([\w-]+)$/.exec(location.hash);
    if (!m || !user) return;
    return O.get(m[1]).then(function (item) {
      if (!item || String(item.user) !== String(user)) return;
      var form = formFor(item);
      if (!form) return;
      fill(form, item);
      form.dataset.outboxId = item.id; // sent again it replaces this very item
      notice("outbox-fixing", S.fixing, "warning");
      showErrors(form, item.errors, item.formErrors && item.formErrors.length ? item.formErrors : (item.message && !Object.keys(item.errors || {}).length ? [item.message] : []));
      history.replaceState(null, "", location.pathname + location.search);
    });
  }

  /* --- a page shows the phone's truth --------------------------------------------------------------------- */
  // What waits in the outbox for this page is applied to it, in the order it was made: taps and check-ins are
  // shown as made (and marked waiting), a kept edit fills its form again. A form that creates a record is left
  // empty: what waits from it is a record already made, not one to make again.
  function applyWaiting(items) {
    var here = location.pathname + location.search, made = 0;
    items.forEach(function (item) {
      if (item.page !== here || (item.status !== "waiting" && item.status !== "signin")) return;
      var form = formFor(item);
      if (!form) return;
      if (htmxSends(form)) {
        markWaiting(form, item.id);
      } else if (form.querySelector("input[name=base_version]")) {
        fill(form, item);
        form.dataset.outboxId = item.id;
        notice("outbox-unsent-edit", S.unsentEdit, "warning");
      } else {
        made += 1;
      }
      // A feature's script shows it its own way (swim.js: the taps; gifts.js: the children who received).
      form.dispatchEvent(new CustomEvent("sotay:waiting", {bubbles: true, detail: {fields: item.fields}}));
    });
    if (made) notice("outbox-waiting-here", t("waitingHere", {n: made}), "info");
  }

  /* --- signing out ---------------------------------------------------------------------------------------- */
  function isSignOut(form) {
    return form && body.dataset.logoutUrl && new URL(form.action, location.href).pathname === body.dataset.logoutUrl;
  }

  // With unsent entries the person chooses: keep them on this phone for this account (sent after signing in
  // again; no other account sees them), or discard them. Either way the kept pages go.
  function guardSignOut(e, form) {
    if (form.dataset.clear === "done") return;
    e.preventDefault();
    e.stopPropagation();
    mine().then(function (items) {
      if (items.length && !form.dataset.confirmed) {
        var keepButton = el("button", {type: "button", "class": "primary", id: "sign-out-keep"}, S.signOutKeep);
        var discardButton = el("button", {type: "button", "class": "danger", id: "sign-out-discard"}, S.signOutDiscard);
        keepButton.addEventListener("click", function () { form.dataset.confirmed = "keep"; form.requestSubmit(); });
        discardButton.addEventListener("click", function () { form.dataset.confirmed = "discard"; form.requestSubmit(); });
        var p = notice("sign-out-warning", t("signOutWarn", {n: items.length}), "warning", keepButton);
        p.appendChild(document.createTextNode(" "));
        p.appendChild(discardButton);
        p.setAttribute("role", "alert");
        form.parentNode.insertBefore(p, form);
        return;
      }
      var discard = form.dataset.confirmed === "discard" ?
        Promise.all(items.map(function (i) { return O.remove(i.id); })) : Promise.resolve();
      // The worker is not to take the sign-in page that follows for a session ended elsewhere.
      return discard.then(function () { return O.dropKept(); }).then(function () {
        return O.setMeta("pagesOwner", null);
      }).then(function () {
        form.dataset.clear = "done";
        form.submit();
      });
    });
  }

  // Another account signed in on this phone (a session that ended without signing out): drop the kept pages.
  function checkOwner() {
    if (!user || !O) return Promise.resolve();
    return O.getMeta("pagesOwner").then(function (owner) {
      if (owner && String(owner) !== String(user)) return O.dropKept();
    }).then(function () { return O.setMeta("pagesOwner", user); });
  }

  /* --- when to send --------------------------------------------------------------------------------------- */
  function periodicSync() {
    if (!("serviceWorker" in navigator) || !navigator.permissions) return;
    navigator.permissions.query({name: "periodic-background-sync"}).then(function (status) {
      if (status.state !== "granted") return;
      return navigator.serviceWorker.ready.then(function (reg) {
        if (reg.periodicSync) return reg.periodicSync.register("sotay-outbox", {minInterval: 15 * 60 * 1000});
      });
    }).catch(function () { /* not offered by this browser */ });
  }

  // What the outbox page and the "no signal" page (static/js/outbox-page.js, loaded by those two pages alone)
  // use of this script.
  var Sotay = window.Sotay = {S: S, t: t, when: when, el: el, notice: notice, drop: drop, user: user, mine: mine,
    kick: kick, refresh: refresh, isOnlineOnly: isOnlineOnly, onItems: null};

  if (O) {
    O.onchange = refresh;
    try { new BroadcastChannel("sotay-outbox").onmessage = refresh; } catch (e) { /* older browser */ }
    window.addEventListener("online", kick);
    if (user) periodicSync();
    checkOwner().then(refresh).then(function () { return mine(); }).then(applyWaiting).then(reopen).then(kick);
  }
})();
