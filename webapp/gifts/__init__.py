"""Gifts and scholarships: rounds of distributions, who received, the sign-off sheet and its photo, the totals."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core import nav
from ..core.scope import ADMIN, COLLECTOR, OFFICER, VIEWER

bp = Blueprint("gifts", __name__, url_prefix="/gifts")
nav.add("gifts.index", _l("Gifts"), "gift", (ADMIN, OFFICER, COLLECTOR, VIEWER), order=30)

from . import indicators, services, views  # noqa: E402,F401
