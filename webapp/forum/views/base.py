"""What the forum's pages share: who may use them, the labels they show, and how a forum, a delegate or a
consent is loaded for the user (404 outside their area, 403 where they may see but not run it)."""

from flask import abort
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ...children.data import SEXES
from ...children.models import Child
from ...core import clock
from ...core.scope import ADMIN, COLLECTOR, OFFICER, VIEWER, child_record_or_404
from ...extensions import db
from ..labels import (
    KIND_LABELS,
    LEVEL_LABELS,
    METHOD_LABELS,
    PURPOSE_LABELS,
    RELATION_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    TOPIC_LABELS,
)
from ..models import Consent, Delegate, Forum
from ..services import delegates_query, manages, visible_forum_or_404

OFFICERS = (ADMIN, OFFICER)
STAFF = (ADMIN, OFFICER, COLLECTOR)
EVERYONE = (ADMIN, OFFICER, COLLECTOR, VIEWER)
LABELS = {"levels": LEVEL_LABELS, "roles": ROLE_LABELS, "kinds": KIND_LABELS, "relations": RELATION_LABELS,
          "methods": METHOD_LABELS, "purposes": PURPOSE_LABELS, "topics": TOPIC_LABELS, "statuses": STATUS_LABELS,
          "sexes": SEXES}


today = clock.today


def managed_forum_or_404(forum_id: int) -> Forum:
    """A forum the user runs: held in their area. A commune officer only sends delegates to the province's."""
    forum = visible_forum_or_404(forum_id, current_user)
    if not manages(forum, current_user):
        abort(403)
    return forum


def delegates_of(forum: Forum) -> list[Delegate]:
    stmt = (delegates_query(forum, current_user).join(Child, Delegate.child_id == Child.id)
            .options(selectinload(Delegate.consents), selectinload(Delegate.checkin))
            .order_by(Child.search_name, Delegate.id))
    return list(db.session.scalars(stmt))


def delegate_or_404(delegate_id: int) -> Delegate:
    """A delegate whose child lives in my area now (not where the child lived when they became a delegate)."""
    return child_record_or_404(Delegate, delegate_id, lambda d: d.child)


def consent_or_404(consent_id: int) -> Consent:
    """A consent (and its paper) goes with the child it is about, wherever the child lives now."""
    return child_record_or_404(Consent, consent_id, lambda c: c.delegate.child)

