"""Activities: pick a kind, log it, list and filter, open, edit, review, delete."""

from flask_login import login_required

from ..htmx import render
from . import (
    bp,
    models,  # noqa: F401
)


@bp.route("/")
@login_required
def index():
    """The activities of my area."""
    return render("activities/index.html")


@bp.route("/new")
@login_required
def new():
    """Pick the kind of activity to log."""
    return render("activities/index.html")
