/* Sổ tay in the page: registers the worker, takes over every form that creates or changes a record (a hidden
   client_id or base_version, or data-outbox) so that nothing typed is lost without signal, shows the outbox badge,
   the outbox page, "offline copy from", "new version ready", and guards signing out. Words come from the server. */
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
    navigator.serviceWorker.addEventListener("message", function (e) { if (e.data === "outbox-changed") refresh(); });
  }

  function offerUpdate(worker) {
    var button = el("button", {type: "button", id: "update-ready", "class": "primary"}, t("newVersion"));
    button.addEventListener("click", function () { updateAsked = true; worker.postMessage("skip-waiting"); });
    var p = notice("update-notice", "", "info", button);
    p.firstChild.remove();
  }

  var keptAt = document.documentElement.dataset.keptAt;
  if (keptAt) notice("offline-copy", t("offlineCopy", {time: when(Date.parse(keptAt))}), "warning");

  /* --- taking over forms ---------------------------------------------------------------------------------- */
  function takesOver(form) {
    return form && form.method === "post" && user && O && !form.hasAttribute("data-no-outbox") &&
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
    var cidField = fields.filter(function (f) { return f.name === "client_id"; })[0];
    var id = cidField && cidField.value ? cidField.value : crypto.randomUUID();
    var item = {id: id, user: user, url: url, enctype: form.enctype, fields: fields,
      page: location.pathname + location.search, title: document.title.split(" · ")[0],
      created: Date.now(), status: "waiting", attempts: 0};
    if (submitter) form.dispatchEvent(new CustomEvent("sotay:kept", {bubbles: true, detail: {submitter: submitter}}));
    var cid = form.querySelector("input[name=client_id]");
    if (cid && cid.value === id) cid.value = crypto.randomUUID();
    markWaiting(form, id);
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

  function itemId(form) {
    var cid = form.querySelector("input[name=client_id]");
    if (cid && cid.value) return cid.value;
    if (!form.dataset.outboxId) form.dataset.outboxId = crypto.randomUUID();
    return form.dataset.outboxId;
  }

  function submit(form, submitter) {
    var id = itemId(form);
    var item = {id: id, user: user, url: form.action, enctype: form.enctype, fields: O.serialise(form, submitter),
      page: location.pathname + location.search, title: document.title.split(" · ")[0],
      created: Date.now(), status: "waiting", attempts: 0};
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
      return O.session().then(function (s) { return O.send(item, s.token, "live", 15000); });
    });
  }

  function answered(form, item, answer) {
    var s = answer.status;
    if (s === "saved" || s === "conflict") {
      return O.settle(item, answer).then(function () { location.assign(answer.url || location.href); });
    }
    if (s === "invalid") {
      // The person is looking at the form: show the server's messages there, like any page would.
      return O.remove(item.id).then(function () { showErrors(form, answer.errors, answer.form_errors); });
    }
    return O.settle(item, answer).then(function () {
      if (s === "signed_out" || s === "csrf") return signInNotice();
      if (s === "refused") return showErrors(form, {}, [answer.message]);
      return keptOnPhone(form);
    });
  }

  function keptOnPhone(form) {
    notice("outbox-saved", S.savedOnPhone, "success");
    form.reset();
    clearErrors(form);
    var cid = form.querySelector("input[name=client_id]");
    if (cid) cid.value = crypto.randomUUID(); // the next record on this form is a new one
    delete form.dataset.outboxId;
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
      markSent(items);
      return O.getMeta("conflict").then(function (c) {
        if (!c) return;
        notice("outbox-conflict", S.conflict, "warning", el("a", {href: body.dataset.conflictsUrl}, "→"));
        return O.setMeta("conflict", null);
      }).then(function () { return renderPage(items); });
    });
  }

  var STATUS = {waiting: "stWaiting", invalid: "stInvalid", signin: "stSignin", refused: "stRefused"};

  function renderPage(items) {
    var list = document.getElementById("outbox-list");
    if (!list) return;
    list.textContent = "";
    document.getElementById("outbox-summary").textContent = items.length ?
      [t("waiting", {n: items.filter(function (i) { return i.status === "waiting" || i.status === "signin"; }).length}),
        t("failed", {n: items.filter(function (i) { return i.status === "invalid" || i.status === "refused"; }).length})]
        .join(" · ") : S.empty;
    items.forEach(function (item) {
      var li = el("li", {"class": "outbox-item status-" + item.status, "data-id": item.id});
      li.appendChild(el("strong", {}, item.title || item.url));
      li.appendChild(el("span", {"class": "muted"}, t("madeAt", {time: when(item.created)}) + " · " + S[STATUS[item.status]]));
      if (item.message && item.status !== "waiting") li.appendChild(el("p", {"class": "error"}, item.message));
      var actions = el("p", {"class": "inline"});
      if (item.status === "invalid" || item.status === "refused") {
        actions.appendChild(el("a", {"class": "button", href: item.page + "#fix=" + item.id}, S.fix));
      }
      var discard = el("button", {type: "button", "class": "danger"}, S.discard);
      discard.addEventListener("click", function () {
        if (!discard.dataset.sure) { discard.dataset.sure = "1"; discard.textContent = S.discardSure; return; }
        O.remove(item.id).then(function () { O.notify(); });
      });
      actions.appendChild(discard);
      li.appendChild(actions);
      list.appendChild(li);
    });
    O.getMeta("lastSent").then(function (at) {
      document.getElementById("outbox-last").textContent = at ? t("lastSent", {time: when(at)}) : S.neverSent;
    });
    if (navigator.storage && navigator.storage.persisted) {
      navigator.storage.persisted().then(function (yes) {
        document.getElementById("outbox-persist").textContent = yes ? S.persisted : S.notPersisted;
      });
    }
  }

  function wire(id, event, fn) { var e = document.getElementById(id); if (e) e.addEventListener(event, fn); }

  wire("outbox-send", "click", function () { notice("outbox-sending", S.sending); kick().then(function () { drop("outbox-sending"); }); });

  // Last resort: the unsent records as a file, to load on another phone or browser.
  wire("outbox-download", "click", function () {
    mine().then(function (items) {
      return Promise.all(items.map(function (item) {
        return Promise.all(item.fields.map(function (f) {
          if (!f.blob) return f;
          return new Promise(function (resolve) {
            var r = new FileReader();
            r.onload = function () { resolve({name: f.name, filename: f.filename, type: f.type, data: r.result}); };
            r.readAsDataURL(f.blob);
          });
        })).then(function (fields) { return Object.assign({}, item, {fields: fields}); });
      }));
    }).then(function (items) {
      var file = new Blob([JSON.stringify({format: "sotay-outbox", version: 1, items: items})], {type: "application/json"});
      var a = el("a", {href: URL.createObjectURL(file), download: "so-tay-chua-gui-" + new Date().toISOString().slice(0, 10) + ".json"});
      document.body.appendChild(a);
      a.click();
      a.remove();
    });
  });

  function dataUrlToBlob(url, type) {
    var bytes = atob(url.split(",")[1] || ""), arr = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) arr[i] = bytes.charCodeAt(i);
    return new Blob([arr], {type: type || ""});
  }

  wire("outbox-upload", "change", function (e) {
    var file = e.target.files[0];
    if (!file) return;
    file.text().then(function (text) {
      var data = JSON.parse(text);
      if (data.format !== "sotay-outbox" || !Array.isArray(data.items)) throw new Error("format");
      return Promise.all(data.items.map(function (item) {
        item.fields = item.fields.map(function (f) {
          return f.data !== undefined ? {name: f.name, filename: f.filename, type: f.type, blob: dataUrlToBlob(f.data, f.type)} : f;
        });
        item.user = user; // sent under the account that loads the file
        item.status = "waiting";
        return O.put(item);
      })).then(function () { notice("outbox-imported", t("imported", {n: data.items.length}), "success"); O.notify(); kick(); });
    }).catch(function () { notice("outbox-imported", S.badFile, "error"); });
    e.target.value = "";
  });

  /* --- opening a refused record in its form to fix it ----------------------------------------------------- */
  function reopen() {
    var m = /^#fix=([\w-]+)$/.exec(location.hash);
    if (!m || !user) return;
    O.get(m[1]).then(function (item) {
      if (!item || String(item.user) !== String(user)) return;
      var form = Array.prototype.find.call(document.forms, function (f) { return f.action === item.url; });
      if (!form) return;
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
      form.dataset.outboxId = item.id; // sent again it replaces this very item
      notice("outbox-fixing", S.fixing, "warning");
      showErrors(form, item.errors, item.formErrors && item.formErrors.length ? item.formErrors : (item.message && !Object.keys(item.errors || {}).length ? [item.message] : []));
      history.replaceState(null, "", location.pathname + location.search);
    });
  }

  /* --- signing out ---------------------------------------------------------------------------------------- */
  function isSignOut(form) {
    return form && body.dataset.logoutUrl && new URL(form.action, location.href).pathname === body.dataset.logoutUrl;
  }

  function guardSignOut(e, form) {
    if (form.dataset.clear === "done") return;
    e.preventDefault();
    e.stopPropagation();
    mine().then(function (items) {
      if (items.length && !form.dataset.confirmed) {
        var button = el("button", {type: "button", "class": "danger", id: "sign-out-anyway"}, S.signOutAnyway);
        button.addEventListener("click", function () { form.dataset.confirmed = "1"; form.requestSubmit(); });
        var p = notice("sign-out-warning", t("signOutWarn", {n: items.length}), "warning", button);
        p.setAttribute("role", "alert");
        form.parentNode.insertBefore(p, form);
        return;
      }
      // Pages kept on this phone hold this person's data: they go when they sign out.
      return clearKeptPages().then(function () { form.dataset.clear = "done"; form.submit(); });
    });
  }

  function clearKeptPages() {
    if (!window.caches) return Promise.resolve();
    return Promise.all([caches.delete("sotay-pages"), caches.delete("sotay-partials")]);
  }

  // Another account signed in on this phone (a session that ended without signing out): drop the kept pages.
  function checkOwner() {
    if (!user || !O) return Promise.resolve();
    return O.getMeta("pagesOwner").then(function (owner) {
      if (owner && String(owner) !== String(user)) return clearKeptPages();
    }).then(function () { return O.setMeta("pagesOwner", user); });
  }

  /* --- when to send --------------------------------------------------------------------------------------- */
  if (O) {
    O.onchange = refresh;
    try { new BroadcastChannel("sotay-outbox").onmessage = refresh; } catch (e) { /* older browser */ }
    window.addEventListener("online", kick);
    checkOwner().then(refresh).then(reopen).then(kick);
  }
})();
