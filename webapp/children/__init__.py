"""The child register: the children of a village, searchable without accents, with duplicates caught and merged."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core import nav
from ..core.scope import ADMIN, COLLECTOR, OFFICER, VIEWER

bp = Blueprint("children", __name__, url_prefix="/children")
nav.add("children.index", _l("Children"), "child", (ADMIN, OFFICER, COLLECTOR), order=20)
# A viewer sees counts only, never a name: their way into the register is the counts page.
nav.add("children.counts_view", _l("Children"), "child", (VIEWER,), order=21)

from . import indicators, views  # noqa: E402,F401
