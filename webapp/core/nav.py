"""The navigation: each feature adds its main actions here, for the roles that use them. The bottom bar shows a
role's first four and "More" (the home page), which lists them all."""

from dataclasses import dataclass

from flask import url_for


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy string, translated when shown
    icon: str
    roles: tuple[str, ...]
    order: int


_ITEMS: list[NavItem] = []


def add(endpoint: str, label, icon: str, roles: tuple[str, ...], order: int = 50) -> None:
    if all(item.endpoint != endpoint for item in _ITEMS):
        _ITEMS.append(NavItem(endpoint, label, icon, roles, order))


def items_for(user) -> list[dict]:
    if not user or not user.is_authenticated:
        return []
    return [
        {"url": url_for(i.endpoint), "label": i.label, "icon": i.icon, "endpoint": i.endpoint}
        # Ties go by endpoint, never by which feature happened to be imported first (the bottom bar shows only the
        # first four, and it must be the same on every server and in every run).
        for i in sorted(_ITEMS, key=lambda i: (i.order, i.endpoint))
        if user.role in i.roles
    ]
