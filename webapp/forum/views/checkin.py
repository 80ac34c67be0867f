"""Check-in on the day: the list for the door and the tap that marks one delegate present (once per client_id)."""

from flask import abort, flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...core import idempotent
from ...core.models import new_client_id
from ...core.scope import roles_required
from ...core.security import as_id
from ...extensions import db
from ...htmx import is_partial, redirect_to, render
from .. import bp
from ..forms import CheckInForm
from ..models import CheckIn, Delegate, Forum
from ..services import visible_forum_or_404
from .base import LABELS, STAFF, delegate_or_404, delegates_of


def _checkin_context(forum: Forum) -> dict:
    delegates = delegates_of(forum)
    return {"forum": forum, "delegates": delegates, "present": sum(d.checkin is not None for d in delegates),
            "expected": sum(d.may_check_in for d in delegates), "new_client_id": new_client_id,
            "labels": LABELS}


@bp.route("/<int:forum_id>/checkin")
@roles_required(*STAFF)
def checkin(forum_id: int):
    """The list for the door on the day: tap a name to mark the child present."""
    forum = visible_forum_or_404(forum_id, current_user)
    return render("forum/checkin.html", **_checkin_context(forum))


@bp.route("/<int:forum_id>/checkin", methods=["POST"])
@roles_required(*STAFF)
def check_in(forum_id: int):
    """One tap: mark one delegate present. A replayed tap (same client_id) is recognised and counts once."""
    forum = visible_forum_or_404(forum_id, current_user)
    existing = idempotent.replay_of(CheckIn)
    if existing is not None:
        return _checkin_answer(forum, existing.delegate)
    form = CheckInForm()
    if not form.validate_on_submit() or as_id(form.delegate_id.data) is None:
        abort(400)
    record = delegate_or_404(as_id(form.delegate_id.data))
    if record.forum_id != forum.id:
        abort(404)
    if not record.may_check_in:
        return _checkin_answer(forum, record, error=_("No check-in without the consents of the child and of a "
                                                        "parent or guardian."))
    if record.checkin is None:
        def build() -> CheckIn:
            return CheckIn(delegate_id=record.id, forum_id=forum.id, unit_id=record.unit_id)

        idempotent.create_once(CheckIn, form.client_id.data, current_user, build)
        db.session.refresh(record)
    return _checkin_answer(forum, record)


def _checkin_answer(forum: Forum, record: Delegate, error: str | None = None):
    """To a tap: the row and the count, swapped in place; to a plain form post: back to the list."""
    status = 422 if error else 200
    if is_partial():
        context = _checkin_context(forum)
        return render("forum/_checkin_row.html", d=record, error=error, oob=True, **context, status=status)
    if error:
        flash(error, "error")
        return render("forum/checkin.html", **_checkin_context(forum), status=status)
    return redirect_to(url_for("forum.checkin", forum_id=forum.id))

