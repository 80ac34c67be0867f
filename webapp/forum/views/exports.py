"""What leaves the forum's pages with children's names on it, every time audited: the delegate list as a
spreadsheet, the badges, the consent register."""

from flask import Response
from flask_babel import gettext as _
from flask_login import current_user

from ...children.data import SEXES
from ...core import audit
from ...core.scope import roles_required
from ...extensions import db
from ...htmx import render
from .. import bp
from ..labels import ROLE_LABELS
from ..models import PURPOSES
from ..services import delegates_xlsx, visible_forum_or_404
from .base import LABELS, OFFICERS, STAFF, delegates_of


@bp.route("/<int:forum_id>/delegates.xlsx")
@roles_required(*OFFICERS)
def delegates_export(forum_id: int):
    """The delegate list as a spreadsheet; names only where consented; every export is audited."""
    forum = visible_forum_or_404(forum_id, current_user)
    delegates = delegates_of(forum)
    audit.record("export", forum, what="forum_delegates", rows=len(delegates))
    db.session.commit()
    labels = {"header": [_("No."), _("Name"), _("Sex"), _("Age on the forum's day"), _("Ethnicity"), _("Commune"),
                         _("School"), _("Role"), _("Consents complete"), _("Present")],
              "hidden": _("(no consent to show the name)"), "sexes": SEXES, "roles": ROLE_LABELS,
              "yes": _("yes"), "no": _("no")}
    body = delegates_xlsx(forum, delegates, labels)
    return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename=forum-{forum.id}-delegates.xlsx",
                             "Cache-Control": "no-store"})


@bp.route("/<int:forum_id>/badges")
@roles_required(*STAFF)
def badges(forum_id: int):
    """Name badges to print: a name only with consent to take part, a photo only with consent to photos."""
    forum = visible_forum_or_404(forum_id, current_user)
    delegates = delegates_of(forum)
    audit.record("export", forum, what="forum_badges", rows=len(delegates))
    db.session.commit()
    return render("forum/badges.html", forum=forum, delegates=delegates, labels=LABELS)


@bp.route("/<int:forum_id>/consents")
@roles_required(*OFFICERS)
def consent_register(forum_id: int):
    """The consent register of the delegation: every consent given and withdrawn; opening it is audited."""
    forum = visible_forum_or_404(forum_id, current_user)
    delegates = delegates_of(forum)
    audit.record("export", forum, what="forum_consent_register", rows=len(delegates))
    db.session.commit()
    return render("forum/consents.html", forum=forum, delegates=delegates, labels=LABELS, purposes=PURPOSES)

