"""Swim lessons and drowning-prevention skills: courses, enrolment, lessons recorded child by child at the water."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core import nav
from ..core.scope import ADMIN, COLLECTOR, OFFICER

bp = Blueprint("swim", __name__, url_prefix="/swim")
nav.add("swim.index", _l("Swimming"), "swim", (ADMIN, OFFICER, COLLECTOR), order=30)

from . import indicators, views  # noqa: E402,F401
