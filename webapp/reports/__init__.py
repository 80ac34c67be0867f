"""Reports: the targets dashboard of a unit, the 6-month and annual reports, and exports of records."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core import nav
from ..core.scope import ADMIN, OFFICER, VIEWER

bp = Blueprint("reports", __name__, url_prefix="/reports")
nav.add("reports.index", _l("Reports"), "chart", (ADMIN, OFFICER, VIEWER), order=25)

from . import indicators, sources, views  # noqa: E402,F401
