"""What every feature uses: scope, idempotent create, audit, pagination, formatting, the shell pages."""

from flask import Blueprint

bp = Blueprint("core", __name__)

from . import edits, versions, views  # noqa: E402,F401
