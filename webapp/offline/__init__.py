"""Offline: the installable app (manifest, icons), the service worker, the outbox page and settling edit conflicts."""

from flask import Blueprint

bp = Blueprint("offline", __name__)

from . import views  # noqa: E402,F401
