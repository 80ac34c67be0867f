/* Sổ tay outbox: form submissions kept in IndexedDB until the server confirms them. Each kept entry has an id of
   its own (never its client_id: two entries made from one kept page must both stay); the client_id travels in its
   fields. Shared by the pages and the service worker (importScripts), so both send the same way. No dependencies. */
(function (root) {
  "use strict";
  var DB_NAME = "sotay", STORE = "items", META = "meta";
  var dbPromise = null, running = null;

  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var req = indexedDB.open(DB_NAME, 1);
        req.onupgradeneeded = function () {
          req.result.createObjectStore(STORE, {keyPath: "id"});
          req.result.createObjectStore(META, {keyPath: "key"});
        };
        req.onsuccess = function () {
          var db = req.result;
          // A connection the browser closed (iOS under memory pressure) or a newer schema: open again next time.
          db.onclose = db.onversionchange = function () { try { db.close(); } catch (e) { /* closed */ } dbPromise = null; };
          resolve(db);
        };
        req.onerror = function () { dbPromise = null; reject(req.error); };
      });
    }
    return dbPromise;
  }

  // One transaction; if the connection died, reopen IndexedDB and try once more.
  function tx(store, mode, work) {
    function attempt() {
      return openDb().then(function (db) {
        return new Promise(function (resolve, reject) {
          var t = db.transaction(store, mode), result;
          var r = work(t.objectStore(store));
          if (r) r.onsuccess = function () { result = r.result; };
          t.oncomplete = function () { resolve(result); };
          t.onerror = t.onabort = function () { reject(t.error || new Error("transaction aborted")); };
        });
      });
    }
    return attempt().catch(function () { dbPromise = null; return attempt(); });
  }

  function put(item) { return tx(STORE, "readwrite", function (s) { return s.put(item); }); }
  function get(id) { return tx(STORE, "readonly", function (s) { return s.get(id); }); }
  function remove(id) { return tx(STORE, "readwrite", function (s) { return s.delete(id); }); }
  function everything() { return tx(STORE, "readonly", function (s) { return s.getAll(); }); }
  // Only the items this user made: another user on the same phone neither sees nor sends them.
  function all(user) {
    return everything().then(function (items) {
      return (items || []).filter(function (i) { return String(i.user) === String(user); })
        .sort(function (a, b) { return a.created - b.created || (a.seq || 0) - (b.seq || 0); });
    });
  }

  function uuid() {
    if (root.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }

  // Entries made in the same millisecond keep the order they were made in.
  var lastSeq = 0;
  function nextSeq() { lastSeq = Math.max(Date.now() * 1000, lastSeq + 1); return lastSeq; }

  // A new entry to keep: a fresh id of its own, whatever client_id its fields carry.
  function entry(user, url, enctype, fields, page, title) {
    return {id: uuid(), user: user, url: url, enctype: enctype, fields: fields, page: page, title: title,
      created: Date.now(), seq: nextSeq(), status: "waiting", attempts: 0};
  }

  // The server said the entry's client_id names a record made from other fields: it is an entry of its own, so it
  // gets a new client_id and is sent again (one record more, never one less).
  function renew(item) {
    item.fields = item.fields.map(function (f) { return f.name === "client_id" ? {name: f.name, value: uuid()} : f; });
    item.status = "waiting";
    return put(item).then(function () { return item; });
  }

  // The pages kept on this phone: dropped when the session ends, another account signs in, or on signing out.
  var KEPT = ["sotay-pages", "sotay-partials"];
  function dropKept() {
    if (!root.caches) return Promise.resolve();
    return Promise.all(KEPT.map(function (name) { return caches.delete(name); }));
  }
  function getMeta(key) {
    return tx(META, "readonly", function (s) { return s.get(key); }).then(function (r) { return r ? r.value : null; });
  }
  function setMeta(key, value) { return tx(META, "readwrite", function (s) { return s.put({key: key, value: value}); }); }

  // The form's fields as stored: strings, and files as Blobs (IndexedDB keeps Blobs as they are).
  function serialise(form, submitter) {
    var data = submitter ? new FormData(form, submitter) : new FormData(form), fields = [];
    data.forEach(function (value, name) {
      if (typeof value === "string") fields.push({name: name, value: value});
      else fields.push({name: name, blob: value, filename: value.name, type: value.type});
    });
    return fields;
  }

  function body(item, token) {
    var multipart = item.enctype === "multipart/form-data", data = multipart ? new FormData() : new URLSearchParams();
    item.fields.forEach(function (f) {
      if (f.name === "csrf_token") return;
      if (f.blob) data.append(f.name, f.blob, f.filename);
      else data.append(f.name, f.value);
    });
    if (token) data.append("csrf_token", token);
    return data;
  }

  function withTimeout(ms) {
    var controller = new AbortController();
    setTimeout(function () { controller.abort(); }, ms);
    return controller.signal;
  }

  // Who is signed in, and a fresh CSRF token: asked just before sending what waits.
  function session() {
    return fetch("/csrf", {credentials: "same-origin", cache: "no-store", signal: withTimeout(20000)})
      .then(function (r) { if (!r.ok) throw new Error("csrf " + r.status); return r.json(); });
  }

  // One POST; resolves with the server's answer ({status: saved|conflict|invalid|signed_out|csrf|refused|error}),
  // rejects when the network failed (the item then simply stays).
  function send(item, token, mode, timeoutMs) {
    return fetch(item.url, {
      method: "POST", body: body(item, token), credentials: "same-origin", redirect: "manual",
      headers: {"X-CSRFToken": token || "", "X-Sotay-Outbox": mode, "X-Sotay-User": String(item.user)},
      signal: withTimeout(timeoutMs || 30000)
    }).then(function (r) {
      var type = r.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === 0) return r.json();
      return {status: r.type === "opaqueredirect" || r.status >= 500 ? "error" : "refused", message: "HTTP " + r.status};
    });
  }

  // What an answer means for the stored item. Returns the item as kept, or null when it left the outbox.
  function settle(item, answer) {
    var s = answer.status;
    if (s === "saved" || s === "conflict") {
      return remove(item.id).then(function () {
        return setMeta("lastSent", Date.now());
      }).then(function () {
        return s === "conflict" ? setMeta("conflict", Date.now()) : null;
      }).then(function () { return null; });
    }
    item.message = answer.message || "";
    item.lastTry = Date.now();
    if (s === "invalid") { item.status = "invalid"; item.errors = answer.errors || {}; item.formErrors = answer.form_errors || []; }
    else if (s === "signed_out" || s === "csrf") item.status = "signin";
    else if (s === "refused") item.status = "refused";
    else { item.status = "waiting"; item.attempts = (item.attempts || 0) + 1; }
    return put(item).then(function () { return item; });
  }

  function notify() {
    try { new BroadcastChannel("sotay-outbox").postMessage("changed"); } catch (e) { /* no BroadcastChannel */ }
    if (root.SotayOutbox.onchange) root.SotayOutbox.onchange();
  }

  // Send what waits, oldest first. Single-flight: one run per page, and one at a time across tabs and the worker
  // (Web Locks); the server's idempotent create makes a second delivery harmless anyway.
  function flush() {
    if (running) return running;
    var work = function () { return run(); };
    running = (root.navigator && navigator.locks ? navigator.locks.request("sotay-outbox", work) : work())
      .finally(function () { running = null; notify(); });
    return running;
  }

  function sendable(i) { return i.status === "waiting" || i.status === "signin"; }

  function run() {
    var result = {sent: 0, network: true, signedOut: false, left: 0, user: null};
    // Nothing waits on this phone (every page load asks): no request at all, which on a weak network matters and
    // keeps a tap's request alone on the wire.
    return everything().then(function (items) {
      return (items || []).some(sendable) ? sessionRun(result) : result;
    }, function () { return sessionRun(result); });
  }

  // Several entries travel at once (a slow line's round trip, not its bandwidth, is what limits a phone sending
  // hundreds). Entries to one address go one after another, oldest first (taps on one lesson, edits of one record,
  // gifts of one round: the second receipt is the one flagged), unless their form marked them independent
  // (`ordered: false`, e.g. activities logged one after another), which travel side by side.
  var PARALLEL = 6;

  function laneOf(item) {
    if (item.ordered === false) return "new:" + item.id;
    return "url:" + item.url; // taps, edits, and entries kept before lanes existed
  }

  function sendAll(queue, token, result) {
    var busy = {}, active = 0, stop = false;
    return new Promise(function (resolve) {
      function pump() {
        while (!stop && active < PARALLEL) {
          var i = queue.findIndex(function (item) { return !busy[laneOf(item)]; });
          if (i < 0) break;
          start(queue.splice(i, 1)[0]);
        }
        if (!active && (stop || !queue.length)) resolve(result);
      }
      function start(item) {
        var lane = laneOf(item);
        busy[lane] = true;
        active += 1;
        sendOne(item).then(function (outcome) {
          if (outcome === "sent") result.sent += 1;
          else if (outcome === "signed_out") { result.signedOut = true; stop = true; }
          else if (outcome === "offline") { result.network = false; stop = true; }
        }).finally(function () { delete busy[lane]; active -= 1; pump(); });
      }
      function sendOne(item) {
        return send(item, token, "replay").then(function (answer) {
          if (answer.status !== "csrf") return answer;
          return session().then(function (fresh) { token = fresh.token; return send(item, token, "replay"); });
        }).then(function (answer) {
          if (answer.status !== "reused_id") return answer;
          return renew(item).then(function () { return send(item, token, "replay"); });
        }).then(function (answer) {
          return settle(item, answer).then(function (kept) {
            if (answer.status === "signed_out" || answer.status === "csrf") return "signed_out";
            if (answer.status === "error") return "offline";
            return kept ? "kept" : "sent";
          });
        }, function () {
          item.attempts = (item.attempts || 0) + 1;
          item.lastTry = Date.now();
          return put(item).then(function () { return "offline"; });
        });
      }
      pump();
    });
  }

  function sessionRun(result) {
    return session().then(function (s) {
      result.user = s.user;
      // The session ended (signed out elsewhere, password changed, deactivated): no kept page stays readable.
      if (!s.user) { result.signedOut = true; return dropKept().then(function () { return result; }); }
      return all(s.user).then(function (items) { return sendAll(items.filter(sendable), s.token, result); });
    }, function () { result.network = false; return result; }).then(function (r) {
      // What was sent in the background, for the next page to say "everything is sent".
      return r.sent ? setMeta("lastReplayed", Date.now()).then(function () { return r; }) : r;
    }).then(function (r) {
      return r.user ? all(r.user).then(function (items) {
        r.left = items.filter(function (i) { return i.status === "waiting" || i.status === "signin"; }).length;
        return r;
      }) : r;
    });
  }

  root.SotayOutbox = {
    put: put, get: get, remove: remove, all: all, everything: everything, getMeta: getMeta, setMeta: setMeta,
    serialise: serialise, send: send, session: session, settle: settle, flush: flush, notify: notify,
    uuid: uuid, entry: entry, renew: renew, dropKept: dropKept, KEPT: KEPT, onchange: null
  };
})(self);
