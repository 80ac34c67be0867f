"""The child protection fund (Quỹ Bảo trợ trẻ em) of each level: donations, spending, balance, target, donors."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core import nav
from ..core.scope import ADMIN, OFFICER, VIEWER

bp = Blueprint("fund", __name__, url_prefix="/fund")
nav.add("fund.index", _l("Fund"), "fund", (ADMIN, OFFICER, VIEWER), order=40)

from . import indicators, views  # noqa: E402,F401
