"""The children's forum: forums and their training, delegates with consent, check-in, recommendations followed up."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core import nav
from ..core.scope import ADMIN, COLLECTOR, OFFICER, VIEWER

bp = Blueprint("forum", __name__, url_prefix="/forum")
nav.add("forum.index", _l("Forum"), "forum", (ADMIN, OFFICER, COLLECTOR, VIEWER), order=60)

from . import indicators, views  # noqa: E402,F401
