"""What the service worker is made of: its precache list and a version that changes whenever one of those changes."""

import hashlib
from pathlib import Path

from flask import current_app, url_for

from ..paths import data_dir

WORKER_SOURCE = "js/sw.js"
_STATIC = data_dir("static")

# The app shell, kept on the phone when the worker is installed (the first visit), so that a page opens with no
# network at all: what every page needs.
SHELL_FILES = (
    "css/app.css",
    "vendor/htmx-4.0.1/htmx.min.js",
    "js/outbox.js",
    "js/offline.js",
    "icons/icon.svg",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "icons/maskable-192.png",
    "icons/maskable-512.png",
)
# Every other page script (js/*.js): kept with the working set after sign-in, since a page kept for it (a lesson
# never opened online, a gift round, the outbox) needs its own script as much as the shared ones; not on the first
# visit, which stays small.
PAGE_SCRIPTS = tuple(sorted(f"js/{p.name}" for p in (_STATIC / "js").glob("*.js")
                            if f"js/{p.name}" not in (*SHELL_FILES, WORKER_SOURCE)))


def static_url(filename: str) -> str:
    return current_app.jinja_env.globals["static_url"](filename)


def shell_urls() -> list[str]:
    """The URLs the worker precaches: the static shell (with content hashes), the manifest and the offline page."""
    return [static_url(f) for f in SHELL_FILES] + [url_for("offline.manifest"), url_for("offline.offline_page")]


def page_script_urls() -> list[str]:
    return [static_url(f) for f in PAGE_SCRIPTS]


def build_version() -> str:
    """A hash of the worker, the shell files and the templates of the precached pages, plus SOTAY_BUILD if set.

    A deploy that changes any of them gives a new worker script, so browsers install it and drop the old caches.
    """
    static = Path(current_app.static_folder)
    templates = Path(current_app.template_folder)
    digest = hashlib.sha256()
    for path in [static / f for f in (*SHELL_FILES, *PAGE_SCRIPTS, WORKER_SOURCE)] + [
        templates / "base.html", templates / "offline" / "offline.html", templates / "offline" / "_strings.html",
        templates / "offline" / "outbox.html",
    ]:
        digest.update(path.read_bytes())
    digest.update(str(current_app.config.get("SOTAY_BUILD", "")).encode())
    return digest.hexdigest()[:12]
