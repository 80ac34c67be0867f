"""Places: the province, its communes and wards, and the villages officers add."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core import nav
from ..core.scope import ADMIN, COLLECTOR, OFFICER

bp = Blueprint("geo", __name__, url_prefix="/places")
nav.add("geo.index", _l("Places"), "place", (ADMIN, OFFICER, COLLECTOR), order=80)

from . import views  # noqa: E402,F401
