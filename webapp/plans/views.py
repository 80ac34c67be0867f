"""Plans: the list, one plan with its targets, copying a plan to next year, and editing it."""

from flask_login import login_required

from ..extensions import db
from ..htmx import render
from . import bp
from .services import plans_for


@bp.route("/")
@login_required
def index():
    """The yearly plans of my province, newest first."""
    from flask_login import current_user

    return render("plans/index.html", plans=db.session.scalars(plans_for(current_user)).all())
