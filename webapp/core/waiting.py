"""What waits for me: the home page tells each person what waits for them — entries to review, entries returned
for correction, drafts, conflicts, reports due, lessons to record, forums coming — each with how many and a link
to the list that shows them. Each feature adds its own, as it adds its menu items (`core.nav`).

The home page is the most opened page: a provider asks the database only what it must (a COUNT or one small
GROUP BY) and only for the roles it concerns, and says nothing when nothing waits."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Waiting:
    text: str  # translated, with its count ("3 chờ duyệt")
    url: str
    urgent: bool = False  # late or returned: shown first and marked


Provider = Callable[[object], Iterable[Waiting]]
_PROVIDERS: list[Provider] = []


def add(provider: Provider) -> Provider:
    """Register `provider(user) -> [Waiting, ...]` (a decorator); it runs inside a request, for a signed-in user."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def for_user(user) -> list[Waiting]:
    """What waits for the person, the urgent first, in the order the features were registered otherwise."""
    items = [item for provider in _PROVIDERS for item in provider(user)]
    return sorted(items, key=lambda item: not item.urgent)
