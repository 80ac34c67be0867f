"""Caches of what is computed again and again for the same answer, in the process, each entry keyed by everything
its content depends on and by the change counters of the tables it is read from (`core.versions`; all tables unless
it names fewer): a write makes every entry made from the table before it unreachable (it ages out of the LRU). Two
uses, one mechanism:

- `memo(namespace, key, compute)`: a computed result (the dashboards' indicator results, `reports.indicators`).
- `{% call cached(key, fill) %}…{% endcall %}` in a template: a rendered fragment (a blank form). `fill` maps
  the per-request values inside it (the CSRF token, the server's client_id) to stand-ins, so the stored HTML holds
  no token and each answer gets its own. The key must hold who may see the fragment (role and unit, or the user)
  and the locale, and `tables=` the tables it reads if fewer than all; the counters and today's date are added
  here.

Nothing personal goes in: a fragment that shows a child's data is never cached (the view does not ask), and
results hold figures only.
"""

import threading
from collections import OrderedDict

from flask import current_app, g, has_request_context
from flask_babel import get_locale
from markupsafe import Markup

from . import clock, versions

MAX_ENTRIES = 512


class LRU:
    def __init__(self, size: int):
        self.size, self.entries, self.lock = size, OrderedDict(), threading.Lock()
        self.hits = self.misses = 0

    def get(self, key):
        with self.lock:
            value = self.entries.get(key)
            if value is None:
                self.misses += 1
                return None
            self.entries.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key, value) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.hits = self.misses = 0


STORE = LRU(MAX_ENTRIES)


def enabled() -> bool:
    return current_app.config.get("SOTAY_CACHE", True)


def full_key(namespace: str, key, tables=None) -> tuple:
    return (namespace, key, versions.of(tables), clock.today())


def memo(namespace: str, key, compute, tables=None):
    """`compute()`, or what it gave for the same key since the last write to any table (or to `tables`)."""
    if not enabled():
        return compute()
    k = full_key(namespace, key, tables)
    value = STORE.get(k)
    if value is None:
        value = compute()
        STORE.put(k, value)
    return value


def _fragment_key(key, tables) -> tuple:
    return full_key("fragment", (key, str(get_locale())), tables)


def lookup(key, tables=None) -> bool:
    """Whether the fragment of `key` is stored: a view may then skip what only its rendering needs (the form's
    choices). The HTML found is held for this request, so the template uses it even if the LRU lets it go."""
    if key is None or not enabled():
        return False
    k = _fragment_key(key, tables)
    html = STORE.get(k)
    if html is not None:
        g.setdefault("sotay_fragments", {})[k] = html
    return html is not None


def cached(key, fill: dict | None = None, tables=None, caller=None) -> Markup:
    """A template's fragment, rendered once per key (see the module's text). `fill`: {name: this request's value};
    `tables`: the only tables its content is read from (None: any write changes it)."""
    fill = {f"\x00{name}\x00": str(value) for name, value in (fill or {}).items() if value}
    if key is None or not enabled() or (has_request_context() and g.get("no_fragment_cache")):
        return Markup(caller())
    k = _fragment_key(key, tables)
    html = g.get("sotay_fragments", {}).get(k) if has_request_context() else None
    if html is None:
        html = STORE.get(k)
    if html is None:
        html = str(caller())
        for stand_in, value in fill.items():
            html = html.replace(value, stand_in)
        STORE.put(k, html)
    for stand_in, value in fill.items():
        html = html.replace(stand_in, value)
    return Markup(html)


def init_app(app) -> None:
    STORE.clear()
    app.jinja_env.globals["cached"] = cached
