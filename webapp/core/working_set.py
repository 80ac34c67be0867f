"""The working set: the pages a person needs without signal, which the service worker keeps on the phone before
they are needed (after sign-in, then in the background whenever online). Every signed-in person gets home, the
outbox and their menu; each feature adds the pages of its own that its people use in the field, as it adds its
menu items (`core.nav`)."""

from collections.abc import Callable, Iterable

from flask import url_for

Provider = Callable[[object], Iterable[str]]
_PROVIDERS: list[Provider] = []

# A safety cap: each provider bounds its own pages (a teacher's 4 courses × 17 pages, 20 activity forms, ...).
LIMIT = 200


def add(provider: Provider) -> Provider:
    """Register `provider(user) -> URLs` (a decorator); it runs inside a request, for a signed-in user."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def urls_for(user) -> list[str]:
    """Home, the outbox, the person's menu, then what each feature adds; each URL once, in that order."""
    from . import nav

    urls = [url_for("core.home"), url_for("offline.outbox")] + [item["url"] for item in nav.items_for(user)]
    for provider in _PROVIDERS:
        urls.extend(provider(user))
    return list(dict.fromkeys(urls))[:LIMIT]
