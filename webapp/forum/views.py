"""The forum's pages: forums and training, delegates and consent, check-in, recommendations, reports, exports,
and the children's public page of what became of their recommendations."""


from flask import Response, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from ..children.data import SEXES
from ..children.forms import age_on
from ..children.models import Child
from ..children.services import children_query, possible_duplicates, villages_of, visible_duplicates
from ..core import audit, clock, edits, files, idempotent, images, waiting, working_set
from ..core.models import new_client_id, utcnow
from ..core.scope import (
    ADMIN,
    COLLECTOR,
    OFFICER,
    VIEWER,
    child_in_scope,
    child_record_or_404,
    get_or_404,
    may_see_personal_data,
    roles_required,
    scoped,
    subtree_ids,
)
from ..core.security import as_id
from ..core.text import clean
from ..extensions import db
from ..geo.models import COMMUNE, DISTRICT, PROVINCE, Unit
from ..htmx import is_partial, redirect_to, render
from ..offline.answers import from_outbox
from . import bp
from .forms import (
    FORUM_METHODS,
    CheckInForm,
    ConsentForm,
    DelegateForm,
    ForumForm,
    PhotoForm,
    RecommendationForm,
    RegisterForm,
    ReportSentForm,
    TrainingForm,
    UpdateForm,
    WithdrawForm,
)
from .labels import (
    KIND_LABELS,
    LEVEL_LABELS,
    METHOD_LABELS,
    PURPOSE_LABELS,
    RELATION_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    TOPIC_LABELS,
)
from .models import (
    CHILD,
    GUARDIAN,
    PURPOSES,
    STATUSES,
    CheckIn,
    Consent,
    Delegate,
    Forum,
    ForumTraining,
    Recommendation,
    RecommendationUpdate,
)
from .services import (
    DelegateRefused,
    age_problem,
    balance,
    check_delegate,
    delegates_query,
    delegates_xlsx,
    forums_query,
    manages,
    new_delegate,
    register_delegate,
    reports_due,
    visible_forum_or_404,
)

OFFICERS = (ADMIN, OFFICER)
STAFF = (ADMIN, OFFICER, COLLECTOR)
EVERYONE = (ADMIN, OFFICER, COLLECTOR, VIEWER)
LABELS = {"levels": LEVEL_LABELS, "roles": ROLE_LABELS, "kinds": KIND_LABELS, "relations": RELATION_LABELS,
          "methods": METHOD_LABELS, "purposes": PURPOSE_LABELS, "topics": TOPIC_LABELS, "statuses": STATUS_LABELS,
          "sexes": SEXES}


today = clock.today


def _managed_forum_or_404(forum_id: int) -> Forum:
    """A forum the user runs: held in their area. A commune officer only sends delegates to the province's."""
    forum = visible_forum_or_404(forum_id, current_user)
    if not manages(forum, current_user):
        abort(403)
    return forum


def _delegates(forum: Forum) -> list[Delegate]:
    stmt = (delegates_query(forum, current_user).join(Child, Delegate.child_id == Child.id)
            .options(selectinload(Delegate.consents), selectinload(Delegate.checkin))
            .order_by(Child.search_name, Delegate.id))
    return list(db.session.scalars(stmt))


def _delegate_or_404(delegate_id: int) -> Delegate:
    """A delegate whose child lives in my area now (not where the child lived when they became a delegate)."""
    return child_record_or_404(Delegate, delegate_id, lambda d: d.child)


def _consent_or_404(consent_id: int) -> Consent:
    """A consent (and its paper) goes with the child it is about, wherever the child lives now."""
    return child_record_or_404(Consent, consent_id, lambda c: c.delegate.child)


# Forums ----------------------------------------------------------------------------------------------------------

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
    stmt = select(Unit).where(Unit.path.like(f"{unit.path}%"), Unit.level.in_((PROVINCE, DISTRICT, COMMUNE)))
    return list(db.session.scalars(stmt.order_by(Unit.level.desc(), Unit.name)))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*OFFICERS)
def new():
    """Plan a forum: level, date, place, theme."""
    existing = idempotent.replay_of(Forum)
    if existing is not None:
        return redirect_to(url_for("forum.detail", forum_id=existing.id))
    units = {u.id: u for u in _holding_units()}
    form = ForumForm(level="commune" if current_user.unit.level == COMMUNE else "province")
    form.unit_id.choices = [SelectChoice(u.id, u.name) for u in units.values()]
    if form.validate_on_submit():
        unit = units.get(form.unit_id.data)
        expected = {"province": PROVINCE, "commune": COMMUNE}.get(form.level.data)
        if unit is None:
            form.unit_id.errors.append(_("Choose a unit of your area."))
        elif expected and unit.level != expected:
            form.unit_id.errors.append(_("A forum of this level is held by a unit of that level."))
        else:
            data = form.data

            def build() -> Forum:
                return Forum(unit_id=unit.id, level=data["level"], date=data["date"], place=clean(data["place"]),
                             theme=clean(data["theme"]))

            forum, _created = idempotent.create_once(Forum, form.client_id.data, current_user, build)
            flash(_("Forum saved."), "success")
            return redirect_to(url_for("forum.detail", forum_id=forum.id))
    return render("forum/form.html", form=form), 422 if form.errors else 200


@bp.route("/<int:forum_id>")
@roles_required(*EVERYONE)
def detail(forum_id: int):
    """A forum at a glance: its report, training, the delegation's make-up, check-in and recommendations."""
    forum = visible_forum_or_404(forum_id, current_user)
    delegates = _delegates(forum)
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
                  recommendations=recommendations, counts=recommendation_counts_for(forum), managing=managing,
                  report_form=report_form, labels=LABELS, today=today(), personal=may_see_personal_data(),
                  staff=current_user.role in STAFF, officer=current_user.role in OFFICERS)


def recommendation_counts_for(forum: Forum) -> dict:
    counts = dict.fromkeys(STATUSES, 0)
    for status in db.session.scalars(select(Recommendation.status).where(Recommendation.forum_id == forum.id)):
        counts[status] += 1
    return counts


@bp.route("/<int:forum_id>/report", methods=["POST"])
@roles_required(*OFFICERS)
def report_sent(forum_id: int):
    """Record the day the commune's forum report went to the province."""
    forum = _managed_forum_or_404(forum_id)
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
    forum = _managed_forum_or_404(forum_id)
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
                changed = audit.changes(record, fields, data)
                for name, value in data.items():
                    setattr(record, name, value)
                return changed

            if not edits.save_edit(record, form.base_version.data, apply, current_user, data):
                flash(_("Someone changed this training meanwhile; your change is kept for review."), "warning")
                return redirect_to(url_for("forum.detail", forum_id=forum.id))
        flash(_("Training saved."), "success")
        return redirect_to(url_for("forum.detail", forum_id=forum.id))
    return render("forum/training.html", form=form, forum=forum), 422 if form.errors else 200


# Delegates and consent -------------------------------------------------------------------------------------------

@bp.route("/<int:forum_id>/delegates/add", methods=["GET", "POST"])
@roles_required(*STAFF)
def add_delegate(forum_id: int):
    """Find a child of the register and add them to the delegation; the age is checked at the forum's date."""
    forum = visible_forum_or_404(forum_id, current_user)
    existing = idempotent.replay_of(Delegate)
    if existing is not None:
        return redirect_to(url_for("forum.delegate", delegate_id=existing.id))
    query = clean(request.args.get("q"))
    form = DelegateForm(child_id=request.args.get("child"), walk_in=request.args.get("walk_in"))
    child = None
    if (child_id := as_id(form.child_id.data)) is not None:
        child = get_or_404(Child, child_id)
        if not child.active:
            abort(404)
    found = []
    if child is None and query:
        found = list(db.session.scalars(children_query(current_user, query).limit(20)))
    if child is not None and form.validate_on_submit():
        age = child.age_at(forum.date)
        reason = clean(form.override_reason.data)
        try:
            check_delegate(forum, child.id, age, current_user.role in OFFICERS, reason)
        except DelegateRefused as refused:
            (form.role if refused.field == "taken" else form.override_reason).errors.append(refused.message)
        else:
            role, walk_in = form.role.data, bool(form.walk_in.data)

            def build() -> Delegate:
                return new_delegate(forum, child, role, age, reason, walk_in)

            delegate, _created = idempotent.create_once(Delegate, form.client_id.data, current_user, build,
                                                        age=age, override=bool(age_problem(age)))
            flash(_("Delegate added. Record the consents next."), "success")
            return redirect_to(url_for("forum.delegate", delegate_id=delegate.id))
    return render("forum/add_delegate.html", forum=forum, form=form, child=child, found=found, query=query,
                  age=child.age_at(forum.date) if child else None,
                  out_of_range=age_problem(child.age_at(forum.date)) if child else False,
                  officer=current_user.role in OFFICERS, labels=LABELS), 422 if form.errors else 200


@bp.route("/<int:forum_id>/register", methods=["GET", "POST"])
@roles_required(*STAFF)
def register(forum_id: int):
    """One screen for each delegate: find the child in the register or add them there, with the consent of a parent
    or guardian and the child's own and the photo of the signed paper; once saved it is empty for the next child."""
    forum = visible_forum_or_404(forum_id, current_user)
    if (existing := idempotent.replay_of(Delegate)) is not None:
        return _registered(forum, existing, None)
    villages = {v.id: v for v in villages_of(current_user)}
    child = None
    if request.method == "POST" and (child_id := as_id(request.form.get("child_id"))) is not None:
        child = get_or_404(Child, child_id)  # a child outside my area is not found, whatever is posted
        if not child.active:
            abort(404)
    shown = {} if request.method == "POST" else {"consent_method": "paper",
                                                 "village_id": request.args.get("village", type=int)}
    form = RegisterForm(forum=forum, child=child, **shown)
    form.village_id.choices = ([SelectChoice("", "—")] if len(villages) > 1 else []) + [
        SelectChoice(v.id, v.name) for v in villages.values()]
    query = clean(request.args.get("q"))
    found = [child] if child else list(db.session.scalars(children_query(current_user, query).limit(20))) \
        if query else []
    duplicates, elsewhere = [], False
    if form.validate_on_submit():
        village = villages.get(form.village_id.data) if child is None else None
        day, year = form.born()
        if child is None and not form.not_duplicate.data:
            duplicates, elsewhere = visible_duplicates(possible_duplicates(form.full_name.data, year,
                                                                           village.parent_id))
            found = duplicates
        if duplicates:
            form.full_name.errors.append(_("A child with a similar name, born the same year, is already registered "
                                           "in this commune. Choose that child above, or tick the box below if this "
                                           "is a different child."))
        elif elsewhere:
            form.full_name.errors.append(_("A child with a similar name, born the same year, may be registered in "
                                           "another village of this commune. Only the commune officer can see "
                                           "that record and link the two; tick the box below to add this child."))
        age, reason = age_on(forum.date, day, year), clean(form.override_reason.data)
        try:
            check_delegate(forum, child.id if child else None, age, current_user.role in OFFICERS, reason)
        except DelegateRefused as refused:
            about_child = form.child_id if child else form.birth_year
            (form.override_reason if refused.field == "reason" else about_child).errors.append(refused.message)
        photo = None
        if not form.errors and form.consent_method.data == "paper":
            try:
                photo = images.save(form.paper_photo.data).key
            except images.BadImage as exc:
                form.paper_photo.errors.append(exc.message)
        if not form.errors:
            data = {**form.data, "birth_year": year, "age": age, "reason": reason, "paper_photo": photo,
                    "method": FORUM_METHODS[form.consent_method.data]}
            delegate, _created = register_delegate(forum, child, data, village, current_user, form.client_id.data)
            return _registered(forum, delegate, village)
    if form.errors and form.paper_photo.data and not from_outbox():
        # a browser does not keep a chosen file in a page sent back; the outbox's form keeps it where it is
        form.paper_photo.errors.append(_("Choose the photo of the signed paper again: a photo is not kept when "
                                         "the form comes back."))
    return render("forum/register.html", "forum/_register_found.html", forum=forum, form=form, found=found,
                  query=query, duplicates=duplicates, elsewhere=elsewhere, labels=LABELS,
                  officer=current_user.role in OFFICERS, registered=_just_registered(forum),
                  status=422 if form.errors else 200)


def _registered(forum: Forum, delegate: Delegate, village: Unit | None):
    """Saved: the screen again, empty for the next child (the same village chosen), saying who was registered. The
    address says it, not a flashed message: the session cookie that carries those is written whole by every answer,
    and a page the worker keeps meanwhile could put back one without it."""
    return redirect_to(url_for("forum.register", forum_id=forum.id, village=village.id if village else None,
                               registered=delegate.id))


def _just_registered(forum: Forum) -> Delegate | None:
    """The delegate of this forum the screen was just saved for (`?registered=`), if the user may see the child."""
    delegate = db.session.get(Delegate, as_id(request.args.get("registered")) or 0) \
        if request.method == "GET" and request.args.get("registered") else None
    if delegate is None or delegate.forum_id != forum.id or not child_in_scope(delegate.child):
        return None
    return delegate


def _delegate_page(delegate: Delegate, consent_form: ConsentForm | None = None, status: int = 200):
    forum = delegate.forum
    if consent_form is None:
        kind = CHILD if delegate.needs_child_consent() and delegate.consent(CHILD) is None else GUARDIAN
        consent_form = ConsentForm(kind=kind, relation="self" if kind == CHILD else "mother",
                                   given_by=delegate.child.full_name if kind == CHILD
                                   else delegate.child.guardian_name)
    withdraw_forms = {c.id: WithdrawForm(base_version=c.version) for c in delegate.consents}
    return render("forum/delegate.html", delegate=delegate, forum=forum, child=delegate.child,
                  consent_form=consent_form, withdraw_forms=withdraw_forms,
                  photo_form=PhotoForm(base_version=delegate.version), labels=LABELS, purposes=PURPOSES,
                  age=delegate.child.age_at(forum.date), officer=current_user.role in OFFICERS), status


@bp.route("/delegates/<int:delegate_id>")
@roles_required(*STAFF)
def delegate(delegate_id: int):
    """A delegate: who the child is, their consents and how to record or withdraw one; every opening is audited."""
    record = _delegate_or_404(delegate_id)
    audit.record("view", record, child_id=record.child_id)
    db.session.commit()
    return _delegate_page(record)


@bp.route("/delegates/<int:delegate_id>/consents", methods=["POST"])
@roles_required(*STAFF)
def add_consent(delegate_id: int):
    """Record a consent, the child's own or a parent's or guardian's, with a photo of the signed paper."""
    record = _delegate_or_404(delegate_id)
    if idempotent.replay_of(Consent) is not None:
        return redirect_to(url_for("forum.delegate", delegate_id=record.id))
    form = ConsentForm()
    if form.validate_on_submit():
        photo = None
        if form.paper_photo.data:
            try:
                photo = images.save(form.paper_photo.data).key
            except images.BadImage as exc:
                form.paper_photo.errors.append(exc.message)
        if not form.paper_photo.errors:
            data = {name: getattr(form, name).data for name in
                    ("kind", "relation", "given_on", "method", *PURPOSES)}
            given_by, agencies = clean(form.given_by.data), clean(form.agencies.data) or None

            def build() -> Consent:
                return Consent(delegate_id=record.id, unit_id=record.unit_id, given_by=given_by, agencies=agencies,
                               paper_photo=photo, **data)

            idempotent.create_once(Consent, form.client_id.data, current_user, build, kind=data["kind"])
            flash(_("Consent recorded."), "success")
            return redirect_to(url_for("forum.delegate", delegate_id=record.id))
    return _delegate_page(record, form, 422)


@bp.route("/consents/<int:consent_id>/withdraw", methods=["POST"])
@roles_required(*STAFF)
def withdraw_consent(consent_id: int):
    """Withdraw a consent: from now on the child's name and photos are hidden and check-in is refused."""
    consent = _consent_or_404(consent_id)
    form = WithdrawForm()
    if form.validate_on_submit() and consent.withdrawn_at is None:
        note = clean(form.note.data) or None

        def apply() -> dict:
            consent.withdrawn_at, consent.withdrawn_by_id, consent.withdrawal_note = utcnow(), current_user.id, note
            return {"withdrawn": [False, True]}

        if edits.save_edit(consent, form.base_version.data, apply, current_user, {"withdraw": True}):
            flash(_("Consent withdrawn."), "success")
    return redirect_to(url_for("forum.delegate", delegate_id=consent.delegate_id))


@bp.route("/consents/<int:consent_id>/paper")
@roles_required(*OFFICERS)
def consent_paper(consent_id: int):
    """The photo of a signed consent paper, for officers; every opening is audited."""
    consent = _consent_or_404(consent_id)
    if not consent.paper_photo:
        abort(404)
    audit.record("export", consent, what="consent_paper")
    db.session.commit()
    return files.send(consent.paper_photo)


@bp.route("/delegates/<int:delegate_id>/photo", methods=["GET", "POST"])
@roles_required(*STAFF)
def photo(delegate_id: int):
    """A delegate's photo for the badge: kept only if consented to, shown only while both consents to photos hold."""
    record = _delegate_or_404(delegate_id)
    if request.method == "GET":
        if not record.photo or not record.consents_to("photos"):
            abort(404)
        return files.send(record.photo)
    form = PhotoForm()
    if not record.consents_to("photos"):
        flash(_("There is no consent to photos of this child."), "error")
    elif form.validate_on_submit() and form.photo.data:
        try:
            name = images.save(form.photo.data).key
        except images.BadImage as exc:
            flash(exc.message, "error")
        else:
            def apply() -> dict:
                old, record.photo = record.photo, name
                return {"photo": [old, name]}

            edits.save_edit(record, form.base_version.data, apply, current_user, {"photo": name})
    return redirect_to(url_for("forum.delegate", delegate_id=record.id))


# Check-in on the day ---------------------------------------------------------------------------------------------

def _checkin_context(forum: Forum) -> dict:
    delegates = _delegates(forum)
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
    record = _delegate_or_404(as_id(form.delegate_id.data))
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
        return render("forum/_checkin_row.html", d=record, error=error, oob=True, **context), status
    if error:
        flash(error, "error")
        return render("forum/checkin.html", **_checkin_context(forum)), status
    return redirect_to(url_for("forum.checkin", forum_id=forum.id))


# Recommendations -------------------------------------------------------------------------------------------------

def _presenter_choices(forum: Forum) -> list[SelectChoice]:
    return [SelectChoice(0, "—")] + [SelectChoice(d.id, d.child.full_name) for d in _delegates(forum)
                                     if d.consents_to("recommendations")]


@bp.route("/<int:forum_id>/recommendations/new", methods=["GET", "POST"])
@roles_required(*OFFICERS)
def new_recommendation(forum_id: int):
    """Record a recommendation of the children, whom it is addressed to, and the answer given at the dialogue."""
    from ..plans.services import agency_choices, check_in_force, posted_ids

    forum = _managed_forum_or_404(forum_id)
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
    return render("forum/recommendation_form.html", form=form, forum=forum), 422 if form.errors else 200


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
                  presenter=presenter, labels=LABELS), status


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
    _managed_forum_or_404(rec.forum_id)
    if idempotent.replay_of(RecommendationUpdate) is not None:
        return redirect_to(url_for("forum.recommendation", recommendation_id=rec.id))
    form = UpdateForm()
    if form.validate_on_submit():
        if STATUSES.index(form.status.data) < STATUSES.index(rec.status):
            form.status.errors.append(_("The follow-up only moves forward: it is already “%(status)s”.",
                                        status=STATUS_LABELS[rec.status]))
        else:
            data = {"status": form.status.data, "note": clean(form.note.data), "on": form.on.data,
                    "due_date": form.due_date.data}

            def build() -> RecommendationUpdate:
                old = rec.status
                rec.status = data["status"]
                if data["due_date"]:
                    rec.due_date = data["due_date"]
                if data["status"] == "answered" and not rec.answer:
                    rec.answer = data["note"]
                rec.version += 1
                audit.record("update", rec, changes={"status": [old, data["status"]]})
                return RecommendationUpdate(recommendation_id=rec.id, unit_id=rec.unit_id, **data)

            idempotent.create_once(RecommendationUpdate, form.client_id.data, current_user, build)
            flash(_("Follow-up saved."), "success")
            return redirect_to(url_for("forum.recommendation", recommendation_id=rec.id))
    return _recommendation_page(rec, form, 422)


# Exports ---------------------------------------------------------------------------------------------------------

@bp.route("/<int:forum_id>/delegates.xlsx")
@roles_required(*OFFICERS)
def delegates_export(forum_id: int):
    """The delegate list as a spreadsheet; names only where consented; every export is audited."""
    forum = visible_forum_or_404(forum_id, current_user)
    delegates = _delegates(forum)
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
    delegates = _delegates(forum)
    audit.record("export", forum, what="forum_badges", rows=len(delegates))
    db.session.commit()
    return render("forum/badges.html", forum=forum, delegates=delegates, labels=LABELS)


@bp.route("/<int:forum_id>/consents")
@roles_required(*OFFICERS)
def consent_register(forum_id: int):
    """The consent register of the delegation: every consent given and withdrawn; opening it is audited."""
    forum = visible_forum_or_404(forum_id, current_user)
    delegates = _delegates(forum)
    audit.record("export", forum, what="forum_consent_register", rows=len(delegates))
    db.session.commit()
    return render("forum/consents.html", forum=forum, delegates=delegates, labels=LABELS, purposes=PURPOSES)


# The children's page ---------------------------------------------------------------------------------------------

@bp.route("/public/<int:forum_id>")
def public(forum_id: int):
    """For the children, without signing in: each recommendation and what became of it; no personal data."""
    forum = db.get_or_404(Forum, forum_id)
    recommendations = list(db.session.scalars(
        select(Recommendation).where(Recommendation.forum_id == forum.id)
        .options(selectinload(Recommendation.updates)).order_by(Recommendation.topic, Recommendation.id)))
    return render("forum/public.html", forum=forum, recommendations=recommendations, labels=LABELS,
                  counts=recommendation_counts_for(forum))


@working_set.add
def _kept_for_the_day(user) -> list[str]:
    """An organiser at a forum may have no signal: the page and the check-in of every forum held in their area (not
    those of the units above it, whose children's names are not theirs to carry) in the next 30 days."""
    from datetime import timedelta

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
    from datetime import timedelta

    from sqlalchemy import func

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
