/* Sổ tay's outbox page and "no signal" page (loaded by those two pages alone, after offline.js): the list of what
   waits and what was refused, sending now, the file of unsent records (saving it, and loading one after checking
   each of its items against this app's real forms), and the list of pages that open without signal. */
(function () {
  "use strict";
  var Sotay = window.Sotay, O = window.SotayOutbox;
  if (!Sotay || !O) return;
  var S = Sotay.S, t = Sotay.t, el = Sotay.el, notice = Sotay.notice, drop = Sotay.drop, when = Sotay.when;
  var user = Sotay.user, mine = Sotay.mine, kick = Sotay.kick, isOnlineOnly = Sotay.isOnlineOnly;
  var body = document.body;

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
      if (item.summary) li.appendChild(el("p", {"class": "summary"}, item.summary));
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
      var file = new Blob([JSON.stringify({format: "sotay-outbox", version: 1, user: user, items: items})],
        {type: "application/json"});
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

  /* --- loading a file of unsent records ------------------------------------------------------------------- */
  // A file is only data: what it names is checked against this app before anything is sent. An item is taken only
  // if it was made by the signed-in account, names a page of this app whose real form posts to the item's address
  // (so the person's role may open it), and is not an administration form. Each item is shown with that real
  // form's title and field labels; nothing is sent until the person confirms.
  function sameOrigin(url) {
    try { return new URL(url, location.href).origin === location.origin; } catch (e) { return false; }
  }

  function realForm(item) {
    if (typeof item.url !== "string" || typeof item.page !== "string" || !sameOrigin(item.url) ||
        !sameOrigin(item.page) || !Array.isArray(item.fields)) return Promise.resolve({reason: S.importForeign});
    var action = new URL(item.url, location.href).href;
    if (isOnlineOnly(action)) return Promise.resolve({reason: S.importAdmin});
    return fetch(new URL(item.page, location.href).href, {credentials: "same-origin"}).then(function (r) {
      if (!r.ok || (r.headers.get("X-Sotay-User") || "") !== String(user)) return {reason: S.importNoForm};
      return r.text().then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var form = Array.prototype.find.call(doc.forms, function (f) {
          return new URL(f.getAttribute("action") || "", r.url).href === action && takesOverDoc(f);
        });
        if (!form) return {reason: S.importNoForm};
        var heading = doc.querySelector("h1");
        return {form: form, action: action, title: heading ? heading.textContent.trim() : doc.title};
      });
    }, function () { return {reason: S.importOffline}; });
  }

  function takesOverDoc(form) {
    return (form.getAttribute("method") || "").toLowerCase() === "post" &&
      (form.hasAttribute("data-outbox") || form.querySelector("input[name=client_id], input[name=base_version]"));
  }

  function labelOf(form, name) {
    var input = form.querySelector("[name='" + name.replace(/'/g, "") + "']");
    if (!input || input.type === "hidden") return null;
    var label = input.id && form.querySelector("label[for='" + input.id + "']");
    if (!label && input.closest) label = input.closest("label") || (input.closest(".field") || {}).querySelector && input.closest(".field").querySelector("label, legend");
    return label ? label.textContent.trim() : name;
  }

  var pendingImport = [];

  function showImport(checked) {
    var box = document.getElementById("outbox-import");
    if (!box) return;
    box.textContent = "";
    pendingImport = checked.filter(function (c) { return c.form; });
    var list = el("ul", {"class": "cards", id: "outbox-import-list"});
    checked.forEach(function (c) {
      var li = el("li", {"class": "outbox-item " + (c.form ? "import-ok" : "import-refused")});
      li.appendChild(el("strong", {}, c.form ? c.title : (c.item.title || c.item.url || "?")));
      if (!c.form) { li.appendChild(el("p", {"class": "error"}, c.reason)); list.appendChild(li); return; }
      var facts = el("dl", {"class": "facts"});
      c.item.fields.forEach(function (f) {
        var label = labelOf(c.form, String(f.name));
        if (!label) return;
        facts.appendChild(el("dt", {}, label));
        facts.appendChild(el("dd", {}, f.blob || f.data !== undefined ? (f.filename || "📎") : String(f.value)));
      });
      li.appendChild(facts);
      list.appendChild(li);
    });
    box.appendChild(el("p", {role: "status", id: "outbox-import-summary"},
      t("importChecked", {n: pendingImport.length, m: checked.length - pendingImport.length})));
    box.appendChild(list);
    if (pendingImport.length) {
      var send = el("button", {type: "button", "class": "primary", id: "outbox-import-send"}, S.importSend);
      send.addEventListener("click", confirmImport);
      box.appendChild(send);
    }
    var cancel = el("button", {type: "button", id: "outbox-import-cancel"}, S.importCancel);
    cancel.addEventListener("click", function () { pendingImport = []; box.textContent = ""; });
    box.appendChild(cancel);
  }

  function confirmImport() {
    var taking = pendingImport;
    pendingImport = [];
    // Only what the real form has, under this account, as a new entry; the client_id made on the other phone is
    // kept so the same record loaded twice is still saved once.
    return Promise.all(taking.map(function (c) {
      var names = {};
      Array.prototype.forEach.call(c.form.elements, function (e) { if (e.name) names[e.name] = true; });
      var fields = c.item.fields.filter(function (f) { return names[f.name] && f.name !== "csrf_token"; }).map(function (f) {
        return f.data !== undefined ? {name: f.name, filename: f.filename, type: f.type, blob: dataUrlToBlob(f.data, f.type)}
          : {name: String(f.name), value: String(f.value)};
      });
      var item = O.entry(user, c.action, c.form.getAttribute("enctype") || "application/x-www-form-urlencoded", fields,
        new URL(c.item.page, location.href).pathname + new URL(c.item.page, location.href).search, c.title);
      if (c.form.hasAttribute("data-outbox-unordered") && !c.form.querySelector("input[name=base_version]")) {
        item.ordered = false;
      }
      return O.put(item);
    })).then(function () {
      document.getElementById("outbox-import").textContent = "";
      notice("outbox-imported", t("imported", {n: taking.length}), "success");
      O.notify();
      kick();
    });
  }

  wire("outbox-upload", "change", function (e) {
    var file = e.target.files[0];
    e.target.value = "";
    if (!file) return;
    drop("outbox-imported");
    file.text().then(function (text) {
      var data = JSON.parse(text);
      if (!data || data.format !== "sotay-outbox" || !Array.isArray(data.items)) throw new Error("format");
      var foreign = data.items.filter(function (item) { return !item || String(item.user) !== String(user); });
      if (String(data.user || user) !== String(user) || foreign.length) {
        notice("outbox-imported", S.importOtherAccount, "error");
        return;
      }
      return Promise.all(data.items.map(function (item) {
        return realForm(item).then(function (r) { return Object.assign({item: item}, r); });
      })).then(showImport);
    }).catch(function () { notice("outbox-imported", S.badFile, "error"); });
  });

  /* --- the "no signal" page ------------------------------------------------------------------------------- */
  // It lists what opens without signal, and goes back to the page the person asked for once the network returns.
  function offlinePage() {
    var list = document.getElementById("offline-kept");
    if (!list) return;
    if (window.caches) {
      caches.open(O.KEPT[0]).then(function (cache) {
        return cache.keys().then(function (keys) {
          return Promise.all(keys.map(function (req) { return cache.match(req).then(function (res) { return [req, res]; }); }));
        });
      }).then(function (pairs) {
        // In the order they were kept (the working set's: home, the outbox, the menu, the forms...).
        pairs.filter(function (p) {
          return p[1] && p[1].headers.get("X-Sotay-Personal") !== "1" &&
            new URL(p[0].url).pathname !== body.dataset.loginUrl;
        }).forEach(function (p) {
            var title = decodeURIComponent(p[1].headers.get("X-Sotay-Title") || "") || new URL(p[0].url).pathname;
            var li = el("li");
            li.appendChild(el("a", {href: p[0].url}, title));
            list.appendChild(li);
          });
      });
    }
    // Back only once the server really answers (an `online` event may come while the phone is still offline, or
    // not at all), and never over a link the person has just tapped.
    var leaving = false;
    window.addEventListener("pagehide", function () { leaving = true; });
    function probe() {
      if (leaving || !navigator.onLine) return;
      fetch(body.dataset.healthUrl || "/healthz", {cache: "no-store"}).then(function (r) {
        if (r.ok && !leaving) location.reload();
      }, function () { /* still no signal */ });
    }
    window.addEventListener("online", probe);
    setInterval(probe, 5000);
  }


  Sotay.onItems = renderPage;
  offlinePage();
  Sotay.refresh();
})();
