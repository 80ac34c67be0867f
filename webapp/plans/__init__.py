"""Plans: the province's yearly plan, its agencies, report periods, targets and planned activity quantities."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core import nav
from ..core.scope import ADMIN, VIEWER

bp = Blueprint("plans", __name__, url_prefix="/plans")
# Officers reach the plan from the activity list: their bar is full (log, activities, places, users, account).
nav.add("plans.index", _l("Plan"), "plan", (ADMIN, VIEWER), order=60)

from . import agencies, cutoff, views  # noqa: E402,F401
