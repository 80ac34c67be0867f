"""The children's recommendations, their follow-up (received → answered → in progress → done), and the
children's public page of what became of them."""

from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from ...core import idempotent
from ...core.scope import child_in_scope, roles_required
from ...core.text import clean
from ...extensions import db
from ...htmx import redirect_to, render
from ...plans.services import agency_choices, check_in_force, posted_ids
from .. import bp
from ..forms import RecommendationForm, UpdateForm
from ..models import STATUSES, Forum, Recommendation, RecommendationUpdate
from ..services import follow_up, manages, status_counts, visible_forum_or_404
from .base import EVERYONE, LABELS, OFFICERS, delegates_of, managed_forum_or_404


def _presenter_choices(forum: Forum) -> list[SelectChoice]:
    return [SelectChoice(0, "—")] + [SelectChoice(d.id, d.child.full_name) for d in delegates_of(forum)
                                     if d.consents_to("recommendations")]


@bp.route("/<int:forum_id>/recommendations/new", methods=["GET", "POST"])
@roles_required(*OFFICERS)
def new_recommendation(forum_id: int):
    """Record a recommendation of the children, whom it is addressed to, and the answer given at the dialogue."""
    forum = managed_forum_or_404(forum_id)
    existing = idempotent.replay_of(Recommendation)
    if existing is not None:
        return redirect_to(url_for("forum.recommendation", recommendation_id=existing.id))
    form = RecommendationForm()
    form.presenter_id.choices = _presenter_choices(forum)
    # the agencies of my province in force on the forum's day (and one just posted, to say why it is refused)
    agencies = agency_choices(current_user, forum.date, posted=posted_ids(form.agency_id))
    form.agency_id.choices = [SelectChoice(0, "—")] + [SelectChoice(a.id, a.name) for a in agencies]
    if form.validate_on_submit() & check_in_force(form.agency_id, forum.date):
        data = form.data

        def build() -> Recommendation:
            answer = clean(data["answer"]) or None
            return Recommendation(
                forum_id=forum.id, unit_id=forum.unit_id, text=clean(data["text"]), topic=data["topic"],
                group=clean(data["group"]), presenter_id=data["presenter_id"] or None,
                agency_id=data["agency_id"] or None, addressed_to=clean(data["addressed_to"]) or None,
                answer=answer, status="answered" if answer else "received", due_date=data["due_date"])

        rec, _created = idempotent.create_once(Recommendation, form.client_id.data, current_user, build)
        flash(_("Recommendation saved."), "success")
        return redirect_to(url_for("forum.recommendation", recommendation_id=rec.id))
    return render("forum/recommendation_form.html", form=form, forum=forum, status=422 if form.errors else 200)


def _recommendation_page(rec: Recommendation, form: UpdateForm | None = None, status: int = 200):
    forum = rec.forum
    managing = manages(forum, current_user) and current_user.role in OFFICERS
    if form is None:
        following = STATUSES[min(STATUSES.index(rec.status) + 1, len(STATUSES) - 1)]
        form = UpdateForm(status=following, due_date=rec.due_date)
    # the presenter is a child: named only with their consent, and only to those who may see that child now
    presenter = rec.presenter if rec.presenter and rec.presenter.consents_to("recommendations") \
        and child_in_scope(rec.presenter.child) else None
    return render("forum/recommendation.html", rec=rec, forum=forum, form=form, managing=managing,
                  presenter=presenter, labels=LABELS, status=status)


@bp.route("/recommendations/<int:recommendation_id>")
@roles_required(*EVERYONE)
def recommendation(recommendation_id: int):
    """A recommendation and its follow-up, step by step."""
    rec = db.get_or_404(Recommendation, recommendation_id)
    visible_forum_or_404(rec.forum_id, current_user)
    return _recommendation_page(rec)


@bp.route("/recommendations/<int:recommendation_id>/updates", methods=["POST"])
@roles_required(*OFFICERS)
def update_recommendation(recommendation_id: int):
    """Follow a recommendation up: received → answered → in progress → done, each step with what was done."""
    rec = db.get_or_404(Recommendation, recommendation_id)
    managed_forum_or_404(rec.forum_id)
    if idempotent.replay_of(RecommendationUpdate) is not None:
        return redirect_to(url_for("forum.recommendation", recommendation_id=rec.id))
    form = UpdateForm(rec=rec)
    if form.validate_on_submit():
        data = {"status": form.status.data, "note": clean(form.note.data), "on": form.on.data,
                "due_date": form.due_date.data}
        follow_up(rec, data, current_user, form.client_id.data)
        flash(_("Follow-up saved."), "success")
        return redirect_to(url_for("forum.recommendation", recommendation_id=rec.id))
    return _recommendation_page(rec, form, 422)

# The children's page: what became of their recommendations, without signing in --------------------------------

@bp.route("/public/<int:forum_id>")
def public(forum_id: int):
    """For the children, without signing in: each recommendation and what became of it; no personal data."""
    forum = db.get_or_404(Forum, forum_id)
    recommendations = list(db.session.scalars(
        select(Recommendation).where(Recommendation.forum_id == forum.id)
        .options(selectinload(Recommendation.updates)).order_by(Recommendation.topic, Recommendation.id)))
    return render("forum/public.html", forum=forum, recommendations=recommendations, labels=LABELS,
                  counts=status_counts(forum))

