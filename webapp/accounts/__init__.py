"""Accounts: signing in, roles, the users an admin or officer manages, each person's own settings."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core import nav
from ..core.scope import ADMIN, COLLECTOR, OFFICER, VIEWER

bp = Blueprint("accounts", __name__)
nav.add("accounts.users", _l("Users"), "users", (ADMIN, OFFICER), order=85)
nav.add("accounts.profile", _l("Account"), "account", (ADMIN, OFFICER, COLLECTOR, VIEWER), order=90)

from . import views  # noqa: E402,F401
