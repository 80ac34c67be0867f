"""The forum itself: the list, planning one, its page, its report to the province, its training; what waits for
its organisers and what their phones keep for the day."""

from datetime import timedelta

from flask import abort, flash, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ...core import edits, idempotent, waiting, working_set
from ...core.scope import ADMIN, COLLECTOR, OFFICER, may_see_personal_data, roles_required, scoped, subtree_ids
from ...core.text import clean
from ...extensions import db
from ...geo.models import COMMUNE, DISTRICT, PROVINCE, Unit
from ...htmx import redirect_to, render
from .. import bp
from ..forms import ForumForm, ReportSentForm, TrainingForm
from ..models import Delegate, Forum, ForumTraining, Recommendation
from ..services import balance, forums_query, manages, reports_due, status_counts, visible_forum_or_404
from .base import EVERYONE, LABELS, OFFICERS, STAFF, delegates_of, managed_forum_or_404, today


@bp.route("/")
@roles_required(*EVERYONE)
def index():
    """The forums of my area and above it, newest first, and the commune reports still owed to the province."""
    forums = list(db.session.scalars(forums_query(current_user).order_by(Forum.date.desc(), Forum.id.desc())))
    due = reports_due(current_user, today()) if current_user.role in OFFICERS else []
    return render("forum/index.html", forums=forums, due=due, today=today(), labels=LABELS,
                  may_create=current_user.role in OFFICERS)


def _holding_units() -> list[Unit]:
    """The units a user may hold a forum for: their own and the communes (or districts) under it."""
    unit = current_user.unit
    stmt = select(Unit).where(Unit.in_area_of(unit), Unit.level.in_((PROVINCE, DISTRICT, COMMUNE)))
    return list(db.session.scalars(stmt.order_by(Unit.level.desc(), Unit.name)))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*OFFICERS)
def new():
    """Plan a forum: level, date, place, theme."""
    existing = idempotent.replay_of(Forum)
    if existing is not None:
        return redirect_to(url_for("forum.detail", forum_id=existing.id))
    form = ForumForm(level="commune" if current_user.unit.level == COMMUNE else "province", units=_holding_units())
    if form.validate_on_submit():
        data, unit = form.data, form.unit

        def build() -> Forum:
            return Forum(unit_id=unit.id, level=data["level"], date=data["date"], place=clean(data["place"]),
                         theme=clean(data["theme"]))

        forum, _created = idempotent.create_once(Forum, form.client_id.data, current_user, build)
        flash(_("Forum saved."), "success")
        return redirect_to(url_for("forum.detail", forum_id=forum.id))
    return render("forum/form.html", form=form, status=422 if form.errors else 200)


@bp.route("/<int:forum_id>")
@roles_required(*EVERYONE)
def detail(forum_id: int):
    """A forum at a glance: its report, training, the delegation's make-up, check-in and recommendations."""
    forum = visible_forum_or_404(forum_id, current_user)
    delegates = delegates_of(forum)
    # The forum's own figures (how many delegates, consented, present, the balance) count every delegate for those
    # who hold it, also a child who has since moved out of their area; names stay with the child's area.
    counted = delegates if not manages(forum, current_user) else list(db.session.scalars(
        select(Delegate).where(Delegate.forum_id == forum.id)
        .options(selectinload(Delegate.consents), selectinload(Delegate.checkin))))
    recommendations = list(db.session.scalars(
        select(Recommendation).where(Recommendation.forum_id == forum.id).order_by(Recommendation.id)))
    managing = manages(forum, current_user) and current_user.role in OFFICERS
    report_form = ReportSentForm(base_version=forum.version)
    return render("forum/detail.html", forum=forum, delegates=delegates, counted=len(counted),
                  balance=balance(counted, current_user.role in OFFICERS),
                  consented=sum(d.may_check_in for d in counted), present=sum(d.checkin is not None for d in counted),
                  recommendations=recommendations, counts=status_counts(forum), managing=managing,
                  report_form=report_form, labels=LABELS, today=today(), personal=may_see_personal_data(),
                  staff=current_user.role in STAFF, officer=current_user.role in OFFICERS)


@bp.route("/<int:forum_id>/report", methods=["POST"])
@roles_required(*OFFICERS)
def report_sent(forum_id: int):
    """Record the day the commune's forum report went to the province."""
    forum = managed_forum_or_404(forum_id)
    if forum.report_due is None:
        abort(404)
    form = ReportSentForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.sent_on.errors), "error")
        return redirect_to(url_for("forum.detail", forum_id=forum.id))
    sent_on = form.sent_on.data

    def apply() -> dict:
        old = forum.report_sent_on
        forum.report_sent_on, forum.report_sent_by_id = sent_on, current_user.id
        return {"report_sent_on": [old, sent_on]} if old != sent_on else {}

    if edits.save_edit(forum, form.base_version.data, apply, current_user, {"report_sent_on": sent_on}):
        flash(_("The report is recorded as sent."), "success")
    else:
        flash(_("Someone changed this forum meanwhile; your change is kept for review."), "warning")
    return redirect_to(url_for("forum.detail", forum_id=forum.id))


@bp.route("/<int:forum_id>/training", methods=["GET", "POST"])
@roles_required(*OFFICERS)
def training(forum_id: int):
    """The training class of facilitators and children before the forum: record it, or correct it."""
    forum = managed_forum_or_404(forum_id)
    record = forum.training
    if record is None and idempotent.replay_of(ForumTraining) is not None:
        return redirect_to(url_for("forum.detail", forum_id=forum.id))
    form = TrainingForm(obj=record, base_version=record.version if record else None)
    if form.validate_on_submit():
        fields = ["start_date", "end_date", "place", "facilitators", "children", "girls"]
        data = {name: getattr(form, name).data for name in fields}
        data["place"] = clean(data["place"])
        if record is None:
            def build() -> ForumTraining:
                return ForumTraining(forum_id=forum.id, unit_id=forum.unit_id, **data)

            idempotent.create_once(ForumTraining, form.client_id.data, current_user, build)
        else:
            def apply() -> dict:
                return edits.assign(record, data)

            if not edits.save_edit(record, form.base_version.data, apply, current_user, data):
                flash(_("Someone changed this training meanwhile; your change is kept for review."), "warning")
                return redirect_to(url_for("forum.detail", forum_id=forum.id))
        flash(_("Training saved."), "success")
        return redirect_to(url_for("forum.detail", forum_id=forum.id))
    return render("forum/training.html", form=form, forum=forum, status=422 if form.errors else 200)



@working_set.add
def _kept_for_the_day(user) -> list[str]:
    """An organiser at a forum may have no signal: the page and the check-in of every forum held in their area (not
    those of the units above it, whose children's names are not theirs to carry) in the next 30 days."""
    if user.role not in STAFF:
        return []
    day = today()
    held_here = Forum.unit_id.in_(subtree_ids(user.unit))
    soon = Forum.date.between(day, day + timedelta(days=30))
    forums = db.session.scalars(select(Forum).where(held_here, soon).order_by(Forum.date, Forum.id).limit(5))
    urls = []
    for forum in forums:
        urls += [url_for("forum.detail", forum_id=forum.id), url_for("forum.checkin", forum_id=forum.id),
                 url_for("forum.register", forum_id=forum.id)]
    return urls


@waiting.add
def _waiting_forums(user) -> list[waiting.Waiting]:
    """Forums of my area (and above it) in the next 30 days, for those who organise them and send delegates; for
    an officer, the commune forums held whose report is not yet sent. One or two COUNTs."""
    if user.role not in (ADMIN, OFFICER, COLLECTOR):
        return []
    on = today()
    coming = db.session.scalar(select(func.count()).select_from(
        forums_query(user).where(Forum.date.between(on, on + timedelta(days=30))).subquery()))
    items = [waiting.Waiting(ngettext("%(num)s forum in the next 30 days", "%(num)s forums in the next 30 days",
                                      coming), url_for("forum.index"))] if coming else []
    if user.role in OFFICERS:
        owed = db.session.scalar(scoped(select(func.count()).select_from(Forum), Forum.unit_id, user).where(
            Forum.level == COMMUNE, Forum.report_sent_on.is_(None), Forum.date <= on))
        if owed:
            items.append(waiting.Waiting(ngettext("%(num)s forum report to send to the province",
                                                  "%(num)s forum reports to send to the province", owed),
                                         url_for("forum.index"), urgent=True))
    return items
