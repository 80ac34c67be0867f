"""The navigation: each feature adds its main actions here, for the roles that use them. The bottom bar shows a
role's first four and "More" (the home page), which lists them all."""

from dataclasses import dataclass

from flask import request, url_for


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy string, translated when shown
    icon: str
    roles: tuple[str, ...]
    order: int


_ITEMS: list[NavItem] = []
_BY_ROLE: dict[tuple[str, str], object] = {}  # (mount point, endpoint or role) -> its URL or its actions; create_app
# clears it, since a process (the tests) may make apps with other routes


def add(endpoint: str, label, icon: str, roles: tuple[str, ...], order: int = 50) -> None:
    if all(item.endpoint != endpoint for item in _ITEMS):
        _ITEMS.append(NavItem(endpoint, label, icon, roles, order))
        _BY_ROLE.clear()


def forget() -> None:
    _BY_ROLE.clear()


def fixed_url(endpoint: str) -> str:
    """url_for of an endpoint without arguments, built once per mount point: base.html and the nav ask ~20 of them on
    every page (0.4 ms), and they are the same for everyone."""
    key = (request.script_root, endpoint)
    if key not in _BY_ROLE:
        _BY_ROLE[key] = url_for(endpoint)
    return _BY_ROLE[key]


def items_for(user) -> tuple[dict, ...]:
    """A role's actions, the same for every user of the role (labels stay lazy: each page shows its language)."""
    if not user or not user.is_authenticated:
        return ()
    key = (request.script_root, f"role:{user.role}")
    if key not in _BY_ROLE:
        _BY_ROLE[key] = tuple(
            {"url": url_for(i.endpoint), "label": i.label, "icon": i.icon, "endpoint": i.endpoint}
            # Ties go by endpoint, never by which feature happened to be imported first (the bottom bar shows only
            # the first four, and it must be the same on every server and in every run).
            for i in sorted(_ITEMS, key=lambda i: (i.order, i.endpoint))
            if user.role in i.roles
        )
    return _BY_ROLE[key]
