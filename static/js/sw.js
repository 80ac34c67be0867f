/* Sổ tay service worker. The server prepends VERSION (a hash of what it precaches), SHELL (the URLs of the app
   shell), OFFLINE_URL and OUTBOX_SCRIPT. Pages: network first, with the kept copy after about 4 s or offline.
   Full pages and htmx partials are kept apart; a redirect is never kept; a new version removes the old shell. */
/* global VERSION, SHELL, OFFLINE_URL, OUTBOX_SCRIPT, SotayOutbox */
"use strict";
importScripts(OUTBOX_SCRIPT);

var SHELL_CACHE = "sotay-shell-" + VERSION;
var PAGES = "sotay-pages";
var PARTIALS = "sotay-partials";
var TIMEOUT = 4000;

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

// The pages open when the worker first takes over were loaded before it existed: keep them too.
function keepOpenPages() {
  return self.clients.matchAll({type: "window"}).then(function (windows) {
    return Promise.all(windows.map(function (w) {
      return fetch(w.url, {credentials: "same-origin"}).then(function (res) { return keep(PAGES, w.url, res); })
        .catch(function () { /* offline: nothing to keep */ });
    }));
  });
}

self.addEventListener("message", function (event) {
  if (event.data === "skip-waiting") self.skipWaiting();
  // A page loaded while this worker was activating (the sign-in's redirect) was missed by the claim then, and
  // was not kept: take it over and keep it now, as keepOpenPages would have.
  if (event.data === "claim") {
    var url = event.source && event.source.url;
    event.waitUntil(self.clients.claim().then(function () {
      if (!url) return;
      return fetch(url, {credentials: "same-origin"}).then(function (res) { return keep(PAGES, url, res); })
        .catch(function () { /* offline: nothing to keep */ });
    }));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag !== "sotay-outbox") return;
  event.waitUntil(SotayOutbox.flush().then(function (result) {
    return self.clients.matchAll({type: "window"}).then(function (windows) {
      windows.forEach(function (w) { w.postMessage("outbox-changed"); });
      // A rejected sync is tried again later by the browser.
      if (!result.network) throw new Error("still offline");
    });
  }));
});

self.addEventListener("fetch", function (event) {
  var req = event.request, url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname === "/sw.js" || url.pathname === "/csrf") return;
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

function keep(cacheName, key, res) {
  var noStore = (res.headers.get("Cache-Control") || "").indexOf("no-store") >= 0;
  var html = (res.headers.get("Content-Type") || "").indexOf("text/html") === 0;
  if (res.status !== 200 || res.redirected || res.type !== "basic" || noStore || !html) return Promise.resolve();
  return res.text().then(function (text) {
    var headers = new Headers(res.headers);
    headers.set("X-Sotay-Kept-At", new Date().toISOString());
    return caches.open(cacheName).then(function (cache) {
      return cache.put(key, new Response(text, {status: 200, headers: headers}));
    });
  });
}

function kept(cacheName, key, partial) {
  return caches.open(cacheName).then(function (cache) {
    return cache.match(key, {ignoreVary: true});
  }).then(function (hit) {
    if (!hit || partial) return hit;
    // Mark the page as an offline copy; the page script shows "offline copy from <time>".
    return hit.text().then(function (text) {
      var at = hit.headers.get("X-Sotay-Kept-At") || "";
      return new Response(text.replace("<html ", '<html data-kept-at="' + at + '" '), {status: 200, headers: hit.headers});
    });
  });
}

function page(req) {
  var partial = isPartial(req), cacheName = partial ? PARTIALS : PAGES, key = req.url;
  var network = fetch(req).then(function (res) {
    keep(cacheName, key, res.clone());
    return res;
  });
  var timer = new Promise(function (resolve, reject) { setTimeout(function () { reject(new Error("slow")); }, TIMEOUT); });
  return Promise.race([network, timer]).catch(function () {
    return kept(cacheName, key, partial).then(function (hit) {
      if (hit) return hit;
      // Slow and nothing kept: keep waiting for the network; offline: the offline page (never for a partial).
      return network.catch(function () {
        if (partial) return Response.error();
        return caches.open(SHELL_CACHE).then(function (cache) { return cache.match(OFFLINE_URL); })
          .then(function (off) { return off || Response.error(); });
      });
    });
  });
}
