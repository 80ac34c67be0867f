"""Activities: the field log of the plan's 12 groups of activities, with review by officers."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core import nav
from ..core.scope import ADMIN, COLLECTOR, OFFICER

bp = Blueprint("activities", __name__, url_prefix="/activities")
nav.add("activities.new", _l("Log an activity"), "add", (COLLECTOR, OFFICER), order=1)
nav.add("activities.index", _l("Activities"), "list", (ADMIN, OFFICER, COLLECTOR), order=20)

from . import totals, views  # noqa: E402,F401
