/* Sổ tay service worker. The server prepends VERSION (a hash of what it precaches), SHELL (the URLs of the app
   shell, kept at install), PAGE_SCRIPTS (kept with the working set), OFFLINE_URL, OUTBOX_SCRIPT, WORKING_SET_URL,
   LOGIN_URL and PERSONAL_HOURS.
   - Pages: network first, with the kept copy after about 4 s or offline. Full pages and htmx partials are kept
     apart; a redirect is never kept; a new version removes the old shell. A kept copy's ETag is sent as
     If-None-Match: an unchanged page comes back as 304 with no body and the kept copy is shown (and kept anew).
   - The working set (the pages a person needs without signal) is kept after sign-in and again in the background
     whenever a page asks and the last copy is older than WARM_EVERY.
   - Kept pages belong to one account: every page the server sends says whose it is (X-Sotay-User). A page that
     comes back signed out, or for another account, drops every kept page at once, and the open pages are told.
     A kept page showing a child's data (X-Sotay-Personal) is not shown once older than PERSONAL_HOURS.
   - The outbox is also sent from here, with no page open: on Background Sync and Periodic Background Sync. */
/* global VERSION, SHELL, OFFLINE_URL, OUTBOX_SCRIPT, WORKING_SET_URL, PAGE_SCRIPTS, LOGIN_URL, PERSONAL_HOURS,
   SotayOutbox */
"use strict";
importScripts(OUTBOX_SCRIPT);

var SHELL_CACHE = "sotay-shell-" + VERSION;
var PAGES = "sotay-pages";
var PARTIALS = "sotay-partials";
var TIMEOUT = 4000;
var WARM_EVERY = 15 * 60 * 1000;
var O = SotayOutbox;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) {
    // The URLs carry a content hash, so what the page just loaded into the HTTP cache is the right version.
    return cache.addAll(SHELL);
  }).then(function () {
    // The very first worker takes over at once; a later one waits until the user taps "reload".
    if (!self.registration.active) return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("sotay-shell-") === 0 && name !== SHELL_CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }).then(keepOpenPages));
});

function tell(message) {
  return self.clients.matchAll({type: "window"}).then(function (windows) {
    windows.forEach(function (w) { w.postMessage(message); });
  });
}

// The pages open when the worker first takes over were loaded before it existed: keep them too.
function keepOpenPages() {
  return self.clients.matchAll({type: "window"}).then(function (windows) {
    return Promise.all(windows.map(function (w) { return fetchAndKeep(w.url); }));
  });
}

function fetchAndKeep(url) {
  if (new URL(url).pathname === LOGIN_URL) return Promise.resolve(); // nothing to keep: no second download
  return fetch(url, {credentials: "same-origin"}).then(function (res) { return keep(PAGES, url, res); })
    .catch(function () { /* offline: nothing to keep */ });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data === "skip-waiting") self.skipWaiting();
  // A page loaded while this worker was activating (the sign-in's redirect) was missed by the claim then, and
  // was not kept: take it over and keep it now, as keepOpenPages would have.
  if (data === "claim") {
    var url = event.source && event.source.url;
    event.waitUntil(self.clients.claim().then(function () { if (url) return fetchAndKeep(url); }));
  }
  if (data.type === "warm") event.waitUntil(warm(String(data.user || ""), !!data.force));
  if (data === "sync-now") event.waitUntil(sendOutbox());
});

/* --- whose pages these are ------------------------------------------------------------------------------------ */
// Every HTML page from the server says whose it is. Signed out, or another account: no kept page may stay.
function checkOwner(res) {
  var who = res.headers.get("X-Sotay-User");
  if (who === null) return Promise.resolve(true);
  return O.getMeta("pagesOwner").then(function (owner) {
    if (who === "") return owner ? sessionEnded().then(function () { return true; }) : true;
    if (owner && String(owner) !== who) {
      return O.dropKept().then(function () { return O.setMeta("pagesOwner", who); }).then(function () { return true; });
    }
    return owner ? true : O.setMeta("pagesOwner", who).then(function () { return true; });
  }).catch(function () { return true; });
}

/* --- the working set ------------------------------------------------------------------------------------------ */
var warming = null;

// Keep the pages this person needs without signal, one at a time so the page they are on is not slowed.
function warm(user, force) {
  if (!user || warming) return warming || Promise.resolve();
  warming = O.getMeta("workingSet").then(function (last) {
    if (!force && last && last.user === user && Date.now() - last.at < WARM_EVERY) return;
    return fetch(WORKING_SET_URL, {credentials: "same-origin", cache: "no-store"}).then(function (r) {
      return r.ok ? r.json() : {user: null, urls: []};
    }).then(function (set) {
      if (String(set.user || "") !== user) return;
      var kept = 0, chars = 0, urls = set.urls.slice();
      function next() {
        var url = urls.shift();
        if (!url) {
          return keepPageScripts().then(function () {
            return O.setMeta("workingSet", {user: user, at: Date.now(), pages: kept, chars: chars});
          });
        }
        var key = new URL(url, self.location.origin).href;
        return keptCopy(PAGES, key).then(function (hit) {
          var headers = {"X-Sotay-Warm": "1"};
          if (hit && hit.headers.get("ETag")) headers["If-None-Match"] = hit.headers.get("ETag");
          return fetch(url, {credentials: "same-origin", headers: headers, cache: "no-store"}).then(function (res) {
            var kept304 = res.status === 304 && hit;
            return (kept304 ? checkOwner(res).then(function () { return confirmed(PAGES, key, hit); })
              .then(function (copy) { return copy.text(); }).then(function (text) { return text.length; })
              : keep(PAGES, key, res)).then(function (size) {
              if (size) { kept += 1; chars += size; }
            });
          });
        }).then(next, function () { /* the network went: keep what we have, try again next time */ });
      }
      return next();
    });
  }).then(function () { return tell({type: "working-set"}); }).catch(function () { /* offline */ })
    .finally(function () { warming = null; });
  return warming;
}

// The scripts of the kept pages that not every page loads (swim.js for a lesson, gifts.js for a round...).
function keepPageScripts() {
  return caches.open(SHELL_CACHE).then(function (cache) {
    return Promise.all(PAGE_SCRIPTS.map(function (url) {
      return cache.match(url).then(function (hit) { return hit || cache.add(url); });
    }));
  });
}

/* --- sending what waits, with no page open -------------------------------------------------------------------- */
function sendOutbox() {
  return O.flush().then(function (result) {
    return tell("outbox-changed").then(function () { return result; });
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag !== "sotay-outbox") return;
  event.waitUntil(sendOutbox().then(function (result) {
    // A rejected sync is tried again later by the browser.
    if (!result.network) throw new Error("still offline");
  }));
});

self.addEventListener("periodicsync", function (event) {
  if (event.tag === "sotay-outbox") event.waitUntil(sendOutbox());
});

/* --- answering the pages -------------------------------------------------------------------------------------- */
self.addEventListener("fetch", function (event) {
  var req = event.request, url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname === "/sw.js" || url.pathname === "/csrf" || url.pathname === WORKING_SET_URL) return;
  if (url.pathname.indexOf("/static/") === 0 || SHELL.indexOf(url.pathname) >= 0 && url.pathname !== OFFLINE_URL) {
    event.respondWith(fromShell(req));
    return;
  }
  var accept = req.headers.get("Accept") || "";
  if (req.mode === "navigate" || req.headers.get("HX-Request") === "true" || accept.indexOf("text/html") >= 0) {
    event.respondWith(page(req));
  }
});

function fromShell(req) {
  return caches.open(SHELL_CACHE).then(function (cache) {
    return cache.match(req).then(function (hit) {
      if (hit) return hit;
      return fetch(req).then(function (res) {
        if (res.ok && res.type === "basic") cache.put(req, res.clone());
        return res;
      }, function () {
        // Offline, an old kept page may ask for an older version of a file: give it the current one.
        return cache.match(req, {ignoreSearch: true}).then(function (old) {
          return old || new Response("", {status: 504});
        });
      });
    });
  });
}

// An htmx partial (HX-Request-Type: partial, not a history restore) is kept apart from full pages, so that a
// partial is never served as a page; history restores and boosted body swaps want the full page.
function isPartial(req) {
  return req.headers.get("HX-Request") === "true" && req.headers.get("HX-Request-Type") === "partial" &&
    req.headers.get("HX-History-Restore-Request") !== "true";
}

// Keep a page the server sent, once it is known whose it is. Resolves with the bytes kept, 0 when not kept.
function keep(cacheName, key, res) {
  return checkOwner(res).then(function () { return store(cacheName, key, res); });
}

function store(cacheName, key, res) {
  // The sign-in page is no use without signal, and a signed-out page is nobody's to keep.
  if (new URL(key).pathname === LOGIN_URL || res.headers.get("X-Sotay-User") === "") return Promise.resolve(0);
  var noStore = (res.headers.get("Cache-Control") || "").indexOf("no-store") >= 0;
  var html = (res.headers.get("Content-Type") || "").indexOf("text/html") === 0;
  if (res.status !== 200 || res.redirected || res.type !== "basic" || noStore || !html) return Promise.resolve(0);
  return res.text().then(function (text) {
    var headers = new Headers(res.headers);
    headers.set("X-Sotay-Kept-At", new Date().toISOString());
    var title = /<title>([^<]*)<\/title>/.exec(text);
    if (title) headers.set("X-Sotay-Title", encodeURIComponent(title[1].replace(/ · Sổ tay\s*$/, "").trim()));
    return caches.open(cacheName).then(function (cache) {
      return cache.put(key, new Response(text, {status: 200, headers: headers}));
    }).then(function () { return text.length; });
  });
}

// A kept page with a child's data is not shown once older than PERSONAL_HOURS: it is removed instead.
function expired(hit) {
  if (hit.headers.get("X-Sotay-Personal") !== "1") return false;
  var at = Date.parse(hit.headers.get("X-Sotay-Kept-At") || "");
  return !at || Date.now() - at > PERSONAL_HOURS * 3600 * 1000;
}

function kept(cacheName, key, partial) {
  return caches.open(cacheName).then(function (cache) {
    return cache.match(key, {ignoreVary: true}).then(function (hit) {
      if (hit && expired(hit)) return cache.delete(key).then(function () { return undefined; });
      return hit;
    });
  }).then(function (hit) {
    if (!hit || partial) return hit;
    // Mark the page as an offline copy; the page script shows "offline copy from <time>".
    return hit.text().then(function (text) {
      var at = hit.headers.get("X-Sotay-Kept-At") || "";
      return new Response(text.replace("<html ", '<html data-kept-at="' + at + '" '), {status: 200, headers: hit.headers});
    });
  });
}

// The session is over (signed out elsewhere, password changed, deactivated): every kept page goes, and the open
// pages are told, so that a kept copy shown meanwhile does not stay on screen.
function sessionEnded() {
  return O.dropKept().then(function () { return O.setMeta("pagesOwner", null); })
    .then(function () { return tell({type: "signed-out"}); });
}

// A navigation's redirect cannot be read here (it is opaque): when a kept copy was already shown for it, ask the
// server whether this browser is still signed in.
function checkSession() {
  return fetch("/csrf", {credentials: "same-origin", cache: "no-store"}).then(function (r) { return r.json(); })
    .then(function (s) { if (!s.user) return sessionEnded(); }).catch(function () { /* offline */ });
}

/* --- revalidating a kept copy --------------------------------------------------------------------------------- */
// The copy kept for a page, as stored (not marked as an offline copy), or undefined.
function keptCopy(cacheName, key) {
  return caches.open(cacheName).then(function (cache) { return cache.match(key, {ignoreVary: true}); });
}

// The request for a page whose copy is kept with an ETag: the same, asking "If-None-Match", so that an unchanged
// page comes back as 304 with no body (core/etags.py; the tag holds whose session it is). The browser's own HTTP
// cache is left out (no-store): the kept copy is the one cache of a page.
function revalidating(req, hit) {
  var tag = hit && hit.headers.get("ETag");
  if (!tag) return req;
  var headers = new Headers(req.headers);
  headers.set("If-None-Match", tag);
  return new Request(req.url, {method: "GET", headers: headers, credentials: "same-origin", cache: "no-store",
                               redirect: req.mode === "navigate" ? "manual" : "follow"});
}

// The server confirmed the kept copy (304): it is current, as if just fetched (a page with a child's data counts
// its hours from now). Resolves with the page to show.
function confirmed(cacheName, key, hit) {
  return hit.text().then(function (text) {
    var headers = new Headers(hit.headers);
    headers.set("X-Sotay-Kept-At", new Date().toISOString());
    return caches.open(cacheName).then(function (cache) {
      return cache.put(key, new Response(text, {status: 200, headers: headers}));
    }).catch(function () { /* storage full: the page still shows */ }).then(function () {
      return new Response(text, {status: 200, headers: headers});
    });
  });
}

function page(req) {
  var partial = isPartial(req), cacheName = partial ? PARTIALS : PAGES, key = req.url, shownKept = false;
  var network = keptCopy(cacheName, key).catch(function () { return undefined; }).then(function (hit) {
    return fetch(revalidating(req, hit)).then(function (res) { return res.status === 304 && hit ? {res: res, hit: hit} : res; });
  }).then(function (res) {
    if (res.hit) return checkOwner(res.res).then(function () { return confirmed(cacheName, key, res.hit); });
    if (res.type === "opaqueredirect" && shownKept) checkSession();
    // Whose page it is is checked before the answer is used: a signed-out answer drops the kept pages (and tells a
    // page that was shown a kept copy meanwhile) before anything else can be read from them. Keeping it is not
    // waited for.
    var copy = res.clone();
    return checkOwner(res).then(function () {
      store(cacheName, key, copy).catch(function () { /* storage full: the page still shows */ });
      return res;
    });
  });
  var timer = new Promise(function (resolve, reject) { setTimeout(function () { reject(new Error("slow")); }, TIMEOUT); });
  return Promise.race([network, timer]).catch(function () {
    return kept(cacheName, key, partial).then(function (hit) {
      if (hit) { shownKept = true; return hit; }
      // Slow and nothing kept: keep waiting for the network; offline: the offline page (never for a partial).
      return network.catch(function () {
        if (partial) return Response.error();
        return caches.open(SHELL_CACHE).then(function (cache) { return cache.match(OFFLINE_URL); })
          .then(function (off) { return off || Response.error(); });
      });
    });
  });
}
