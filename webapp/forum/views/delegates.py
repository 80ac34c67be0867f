"""Delegates and consent: adding a child of the register, the one-screen registration of a delegate with the
consent on paper, a delegate's page, consents recorded and withdrawn, the signed paper, the badge photo."""

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...children.models import Child
from ...children.services import children_query, villages_of
from ...core import audit, edits, files, idempotent, images
from ...core.models import utcnow
from ...core.scope import child_in_scope, get_or_404, roles_required
from ...core.security import as_id
from ...core.text import clean
from ...extensions import db
from ...geo.models import Unit
from ...htmx import redirect_to, render
from ...offline.answers import from_outbox
from .. import bp, services
from ..forms import FORUM_METHODS, ConsentForm, DelegateForm, PhotoForm, RegisterForm, WithdrawForm
from ..models import CHILD, GUARDIAN, PURPOSES, Consent, Delegate, Forum
from ..services import DelegateRefused, age_problem, register_delegate, visible_forum_or_404
from .base import LABELS, OFFICERS, STAFF, consent_or_404, delegate_or_404


@bp.route("/<int:forum_id>/delegates/add", methods=["GET", "POST"])
@roles_required(*STAFF)
def add_delegate(forum_id: int):
    """Find a child of the register and add them to the delegation; the age is checked at the forum's date."""
    forum = visible_forum_or_404(forum_id, current_user)
    existing = idempotent.replay_of(Delegate)
    if existing is not None:
        return redirect_to(url_for("forum.delegate", delegate_id=existing.id))
    query = clean(request.args.get("q"))
    child = None
    posted = request.form.get("child_id") if "child_id" in request.form else request.args.get("child")
    if (child_id := as_id(posted)) is not None:
        child = get_or_404(Child, child_id)
        if not child.active:
            abort(404)
    form = DelegateForm(child_id=request.args.get("child"), walk_in=request.args.get("walk_in"), forum=forum,
                        child=child, officer=current_user.role in OFFICERS)
    found = []
    if child is None and query:
        found = list(db.session.scalars(children_query(current_user, query).limit(20)))
    if child is not None and form.validate_on_submit():
        try:
            delegate, _created = services.add_delegate(forum, child, form.role.data, form.override_reason.data,
                                                       bool(form.walk_in.data), current_user, form.client_id.data)
        except DelegateRefused as refused:  # another phone added the child since the form was checked
            form.refuse(refused)
        else:
            flash(_("Delegate added. Record the consents next."), "success")
            return redirect_to(url_for("forum.delegate", delegate_id=delegate.id))
    return render("forum/add_delegate.html", forum=forum, form=form, child=child, found=found, query=query,
                  age=child.age_at(forum.date) if child else None,
                  out_of_range=age_problem(child.age_at(forum.date)) if child else False,
                  officer=current_user.role in OFFICERS, labels=LABELS, status=422 if form.errors else 200)


@bp.route("/<int:forum_id>/register", methods=["GET", "POST"])
@roles_required(*STAFF)
def register(forum_id: int):
    """One screen for each delegate: find the child in the register or add them there, with the consent of a parent
    or guardian and the child's own and the photo of the signed paper; once saved it is empty for the next child."""
    forum = visible_forum_or_404(forum_id, current_user)
    if (existing := idempotent.replay_of(Delegate)) is not None:
        return _registered(forum, existing, None)
    child = None
    if request.method == "POST" and (child_id := as_id(request.form.get("child_id"))) is not None:
        child = get_or_404(Child, child_id)  # a child outside my area is not found, whatever is posted
        if not child.active:
            abort(404)
    shown = {} if request.method == "POST" else {"consent_method": "paper",
                                                 "village_id": request.args.get("village", type=int)}
    form = RegisterForm(forum=forum, child=child, villages=villages_of(current_user),
                        officer=current_user.role in OFFICERS, **shown)
    query = clean(request.args.get("q"))
    found = [child] if child else list(db.session.scalars(children_query(current_user, query).limit(20))) \
        if query else []
    if form.validate_on_submit():
        photo = None
        if form.consent_method.data == "paper":
            try:
                photo = images.save(form.paper_photo.data).key
            except images.BadImage as exc:
                form.paper_photo.errors.append(exc.message)
        if not form.errors:
            day, year = form.born()
            data = {**form.data, "birth_year": year, "age": form.age, "reason": clean(form.override_reason.data),
                    "paper_photo": photo, "method": FORUM_METHODS[form.consent_method.data]}
            delegate, _created = register_delegate(forum, child, data, form.village, current_user,
                                                   form.client_id.data)
            return _registered(forum, delegate, form.village)
    if form.errors and form.paper_photo.data and not from_outbox():
        # a browser does not keep a chosen file in a page sent back; the outbox's form keeps it where it is
        form.paper_photo.errors.append(_("Choose the photo of the signed paper again: a photo is not kept when "
                                         "the form comes back."))
    return render("forum/register.html", "forum/_register_found.html", forum=forum, form=form,
                  found=form.duplicates or found, query=query, duplicates=form.duplicates, elsewhere=form.elsewhere,
                  labels=LABELS,
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
                  age=delegate.child.age_at(forum.date), officer=current_user.role in OFFICERS, status=status)


@bp.route("/delegates/<int:delegate_id>")
@roles_required(*STAFF)
def delegate(delegate_id: int):
    """A delegate: who the child is, their consents and how to record or withdraw one; every opening is audited."""
    record = delegate_or_404(delegate_id)
    audit.record("view", record, child_id=record.child_id)
    db.session.commit()
    return _delegate_page(record)


@bp.route("/delegates/<int:delegate_id>/consents", methods=["POST"])
@roles_required(*STAFF)
def add_consent(delegate_id: int):
    """Record a consent, the child's own or a parent's or guardian's, with a photo of the signed paper."""
    record = delegate_or_404(delegate_id)
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
    consent = consent_or_404(consent_id)
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
    consent = consent_or_404(consent_id)
    if not consent.paper_photo:
        abort(404)
    audit.record("export", consent, what="consent_paper")
    db.session.commit()
    return files.send(consent.paper_photo)


@bp.route("/delegates/<int:delegate_id>/photo", methods=["GET", "POST"])
@roles_required(*STAFF)
def photo(delegate_id: int):
    """A delegate's photo for the badge: kept only if consented to, shown only while both consents to photos hold."""
    record = delegate_or_404(delegate_id)
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

