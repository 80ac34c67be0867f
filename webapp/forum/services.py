"""Forum logic shared by views and reports: who sees which forum, the age rule, the delegation's balance,
recommendation counts, reports due, and the delegate list as a spreadsheet."""

from collections import Counter
from datetime import date

from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update

from ..accounts.models import User
from ..children import services as children_services
from ..children.services import ERASE_HOOKS, add_missing_consent, build_child
from ..core import audit, files, idempotent, spreadsheets
from ..core.audit import AuditLog
from ..core.erasure import ERASED, Erasure
from ..core.formatting import fmt_date
from ..core.models import new_client_id, utcnow
from ..core.scope import ADMIN, OFFICER, child_area_filter, scoped, subtree_ids, unit_in_scope
from ..core.text import clean
from ..extensions import db
from ..geo.models import Unit
from .labels import KIND_LABELS, METHOD_LABELS, RELATION_LABELS, ROLE_LABELS
from .models import (
    AGE_LIMIT,
    CHILD,
    COMMUNE,
    GUARDIAN,
    MIN_AGE,
    PURPOSES,
    STATUSES,
    CheckIn,
    Consent,
    Delegate,
    Forum,
    Recommendation,
    RecommendationUpdate,
)


def forums_query(user: User):
    """The forums a user takes part in: those held in their area and those of the units above it (a commune
    officer sends delegates to the province's forum)."""
    return select(Forum).where(or_(Forum.unit_id.in_(subtree_ids(user.unit)),
                                   Forum.unit_id.in_(user.unit.ancestor_ids())))


def visible_forum_or_404(forum_id: int, user: User) -> Forum:
    forum = db.session.get(Forum, forum_id)
    if forum is None or not (unit_in_scope(forum.unit, user) or forum.unit.contains(user.unit)):
        abort(404)
    return forum


def manages(forum: Forum, user: User) -> bool:
    """Only the unit that holds a forum (or one above it) runs it: training, recommendations, its report."""
    return unit_in_scope(forum.unit, user)


def delegates_query(forum: Forum, user: User):
    """The delegates of a forum that a user may see: the children who live in their area now (core.scope's rule for
    every record that names a child; a child who moved is the new area's delegate, no longer the old one's)."""
    return select(Delegate).where(Delegate.forum_id == forum.id, *child_area_filter(Delegate.child_id, user))


def age_problem(age: int) -> bool:
    return not MIN_AGE <= age < AGE_LIMIT


class DelegateRefused(ValueError):
    """Why a child cannot join a forum's delegation; `field` names what the reason is about: "taken" (already a
    delegate), "age" (outside 9 to under 16, only an officer may let the child in) or "reason" (an officer's
    exception needs its reason)."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.message, self.field = message, field


def check_delegate(forum: Forum, child_id: int | None, age: int, officer: bool, reason: str) -> None:
    """The rules of a delegation, wherever a child is added to it: once per forum; 9 to under 16 on the forum's day,
    unless an officer lets the child in and says why. Raises DelegateRefused."""
    if child_id is not None and db.session.scalar(
            select(Delegate.id).where(Delegate.forum_id == forum.id, Delegate.child_id == child_id)) is not None:
        raise DelegateRefused(_("This child is already a delegate of this forum."), "taken")
    if age_problem(age) and not officer:
        raise DelegateRefused(_("This child is %(age)s on the forum's day; delegates are 9 to under 16. Only an "
                                "officer may make an exception.", age=age), "age")
    if age_problem(age) and not reason:
        raise DelegateRefused(_("This child is %(age)s on the forum's day; delegates are 9 to under 16. Give the "
                                "reason for an exception.", age=age), "reason")


def add_delegate(forum: Forum, child, role: str, reason: str | None, walk_in: bool, user: User, client_id: str
                 ) -> tuple[Delegate, bool]:
    """Add a child of the register to a forum's delegation, once per client_id (returns (delegate, created)): the
    child's age on the forum's day, the rules of `check_delegate` for the user's role (an officer may let a child
    outside 9 to under 16 in, saying why). Raises DelegateRefused, whose message says what to do."""
    age, reason = child.age_at(forum.date), clean(reason)

    def build() -> Delegate:
        check_delegate(forum, child.id, age, user.role in (ADMIN, OFFICER), reason)
        return new_delegate(forum, child, role, age, reason, walk_in)

    return idempotent.create_once(Delegate, client_id, user, build, age=age, override=bool(age_problem(age)))


def new_delegate(forum: Forum, child, role: str, age: int, reason: str, walk_in: bool = False) -> Delegate:
    """A delegate of the register's child, not yet saved; the unit is the child's village, so scope follows the child.
    The exception's reason is kept only for a child outside the age range."""
    return Delegate(forum_id=forum.id, child_id=child.id, unit_id=child.unit_id, role=role, walk_in=walk_in,
                    age_override_reason=reason if age_problem(age) else None)


def register_delegate(forum: Forum, child, data: dict, village: Unit | None, user: User, client_id: str
                      ) -> tuple[Delegate, bool]:
    """One screen's registration, in one transaction and once per client_id: the child (`child`, of the register,
    given the basis of keeping their data if it had none; or, when None, a new child of `village` put in the register
    with that basis), the delegate, the consent of the parent or guardian and, when given, the child's own, both
    for the same purposes, on the same signed paper (`data["paper_photo"]`, a file key) or given in person.

    `data`: the child's fields for a new child (full_name, birth_date, birth_year, sex, ethnicity), the register's
    basis (consent_by, consent_relation, consent_method, consent_on, consent_child), the forum's (method, purposes
    as booleans, agencies, paper_photo), role, age and reason."""

    def build() -> Delegate:
        nonlocal child
        if child is None:
            child = build_child(data, village, may_set_groups=False)
            child.client_id, child.created_by_id = new_client_id(), user.id
            db.session.add(child)
            audit.record("create", child, user=user, via="forum_register", forum_id=forum.id)
        else:
            add_missing_consent(child, data, user)
        delegate = new_delegate(forum, child, data["role"], data["age"], data["reason"])
        db.session.add(delegate)
        givers = [(GUARDIAN, data["consent_by"], data["consent_relation"])]
        if data.get("consent_child"):
            givers.append((CHILD, child.full_name, "self"))
        for kind, given_by, relation in givers:
            consent = Consent(kind=kind, given_by=clean(given_by), relation=relation, given_on=data["consent_on"],
                              method=data["method"], paper_photo=data.get("paper_photo"),
                              agencies=(clean(data.get("agencies")) or None) if data.get("recommendations") else None,
                              unit_id=child.unit_id,
                              client_id=new_client_id(), created_by_id=user.id,
                              **{p: bool(data.get(p)) for p in PURPOSES})
            delegate.consents.append(consent)
            audit.record("create", consent, user=user, kind=kind, via="forum_register")
        return delegate

    return idempotent.create_once(Delegate, client_id, user, build, age=data["age"],
                                  override=bool(age_problem(data["age"])), via="forum_register")


def balance(delegates: list[Delegate], with_groups: bool) -> dict[str, Counter]:
    """Counts only: how the delegation is made up by sex, ethnicity, age, commune and (`with_groups`: for officers
    only, as the Điều 10 groups themselves) special circumstance."""
    result = {"sex": Counter(), "ethnicity": Counter(), "age": Counter(), "commune": Counter(),
              "special": Counter()}
    for d in delegates:
        child = d.child
        result["sex"][child.sex] += 1
        result["ethnicity"][child.ethnicity_name or "—"] += 1
        result["age"][child.age_at(d.forum.date)] += 1
        result["commune"][child.commune.name if child.commune else "—"] += 1
        if with_groups:
            result["special"]["yes" if child.groups else "no"] += 1
    return result


def status_counts(forum: Forum) -> dict[str, int]:
    """{status: n} of a forum's recommendations, every status present."""
    counts = dict.fromkeys(STATUSES, 0)
    stmt = (select(Recommendation.status, func.count()).where(Recommendation.forum_id == forum.id)
            .group_by(Recommendation.status))
    counts.update({status: n for status, n in db.session.execute(stmt)})
    return counts


def follow_up(rec: Recommendation, data: dict, user: User, client_id: str) -> tuple[RecommendationUpdate, bool]:
    """One step of a recommendation's follow-up, once per client_id: the update (`data`: status, note, on,
    due_date) and, in the same transaction, the recommendation's new status, its new due date if one is given, the
    note as its answer when it is answered and had none, its version and the audit of the status's change."""

    def build() -> RecommendationUpdate:
        old = rec.status
        rec.status = data["status"]
        if data["due_date"]:
            rec.due_date = data["due_date"]
        if data["status"] == "answered" and not rec.answer:
            rec.answer = data["note"]
        rec.version += 1
        audit.record("update", rec, user=user, changes={"status": [old, data["status"]]})
        return RecommendationUpdate(recommendation_id=rec.id, unit_id=rec.unit_id, **data)

    return idempotent.create_once(RecommendationUpdate, client_id, user, build)


def _recommendations(keys, unit: Unit | None, start: date | None, end: date | None):
    """SELECT of (*keys, status, count) of the recommendations of forums held in `unit`'s area between two dates."""
    stmt = (select(*keys, Recommendation.status, func.count())
            .select_from(Recommendation).join(Forum, Recommendation.forum_id == Forum.id)
            .group_by(*keys, Recommendation.status))
    if unit is not None:
        stmt = stmt.where(Recommendation.unit_id.in_(subtree_ids(unit)))
    if start is not None:
        stmt = stmt.where(Forum.date >= start)
    if end is not None:
        stmt = stmt.where(Forum.date <= end)
    return stmt


def recommendation_counts_by_unit(unit: Unit, start: date, end: date) -> dict[int, dict[str, int]]:
    """{unit_id: {status: n}} of the recommendations of forums held in `unit`'s area between two dates, by the unit
    of the forum that received them."""
    result: dict[int, dict[str, int]] = {}
    for unit_id, status, n in db.session.execute(_recommendations([Recommendation.unit_id], unit, start, end)):
        result.setdefault(unit_id, dict.fromkeys(STATUSES, 0))[status] = n
    return result


def reports_due(user: User, today: date) -> list[Forum]:
    """Commune forums of the user's area already held whose report has not been sent to the province."""
    stmt = scoped(select(Forum), Forum.unit_id, user).where(
        Forum.level == COMMUNE, Forum.report_sent_on.is_(None), Forum.date <= today).order_by(Forum.date)
    return list(db.session.scalars(stmt))


def _erase(erasure: Erasure) -> None:
    """A child's erasure: each of their delegate records loses its portrait and the text about the child; each
    consent loses who gave it, its withdrawal note and the photo of the signed paper, and is withdrawn (the
    processing it allowed ends). The records stay, without names, so the forum's counts still add up."""
    delegates = db.session.scalars(select(Delegate).where(Delegate.child_id.in_(erasure.child_ids))).all()
    for delegate in delegates:
        erasure.holds(delegate)
        erasure.holds(delegate.checkin)
        if delegate.age_override_reason:
            delegate.age_override_reason = ERASED
        # The portrait, and every earlier one it replaced (the audit kept their keys), once no record names them.
        portraits = {delegate.photo, *_earlier_photos(delegate)} - {None, ""}
        delegate.photo = None
        db.session.flush()
        for key in portraits:
            files.discard(key)
        delegate.client_fingerprint = None
        for consent in delegate.consents:
            erasure.holds(consent)
            erasure.personal(consent.given_by)
            consent.given_by = ERASED
            if consent.withdrawal_note:
                consent.withdrawal_note = ERASED
            if consent.paper_photo:
                paper, consent.paper_photo = consent.paper_photo, None
                db.session.flush()
                files.discard(paper)
            if consent.withdrawn_at is None:
                consent.withdrawn_at, consent.withdrawn_by_id = utcnow(), erasure.user.id
            consent.client_fingerprint = None
            consent.version += 1
        delegate.version += 1
    # What the children said, kept as text, may name the child: the name goes, the recommendation stays.
    forum_ids = {d.forum_id for d in delegates}
    if forum_ids and erasure.values:
        for rec in db.session.scalars(select(Recommendation).where(Recommendation.forum_id.in_(forum_ids))):
            for name in ("text", "group", "answer", "addressed_to"):
                value = getattr(rec, name)
                if value and erasure.mentions(value):
                    setattr(rec, name, erasure.blank(value))
            for update in rec.updates:
                if update.note and erasure.mentions(update.note):
                    update.note = erasure.blank(update.note)


def _earlier_photos(delegate: Delegate) -> set[str]:
    names: set[str] = set()
    for entry in db.session.scalars(select(AuditLog).where(AuditLog.object_type == "Delegate",
                                                           AuditLog.object_id == delegate.id)):
        change = (entry.detail_dict.get("changes") or {}).get("photo") if entry.detail else None
        if isinstance(change, list):
            names.update(v for v in change if isinstance(v, str) and v != ERASED)
    return names


ERASE_HOOKS.append(_erase)


def delegates_xlsx(forum: Forum, delegates: list[Delegate], labels: dict) -> bytes:
    """The delegate list as a workbook; a name is written only where both consents to take part are given."""
    rows = [labels["header"]]
    for n, d in enumerate(delegates, start=1):
        child = d.child
        rows.append([
            n, child.full_name if d.name_shown else labels["hidden"], str(labels["sexes"][child.sex]),
            child.age_at(forum.date), child.ethnicity_name, child.commune.name if child.commune else "",
            child.school or "", str(labels["roles"][d.role]), labels["yes"] if d.may_check_in else labels["no"],
            labels["yes"] if d.checkin else labels["no"],
        ])
    return spreadsheets.xlsx_bytes([("Delegates", rows)])


def _follow_child(child) -> None:
    """A delegate's unit is the child's village: when the child moves, the delegate, their consents and check-in
    move along (who sees them is decided by the child's village anyway; this keeps the copies true)."""
    delegates = select(Delegate.id).where(Delegate.child_id == child.id).scalar_subquery()
    for model, key in ((Delegate, Delegate.id), (Consent, Consent.delegate_id), (CheckIn, CheckIn.delegate_id)):
        db.session.execute(update(model).where(key.in_(delegates)).values(unit_id=child.unit_id)
                           .execution_options(synchronize_session=False))


def _merge_delegates(duplicate, kept) -> None:
    """Before a merge moves the duplicate's records: where both records of one child are delegates of the same
    forum, the duplicate's consents, check-in and presented recommendations go to the kept child's delegate, and
    the duplicate's delegate goes (else the merge would break the one-delegate-per-forum key)."""
    kept_by_forum = {d.forum_id: d for d in db.session.scalars(select(Delegate).where(Delegate.child_id == kept.id))}
    for twin in db.session.scalars(select(Delegate).where(Delegate.child_id == duplicate.id)).all():
        keep = kept_by_forum.get(twin.forum_id)
        if keep is None:
            continue
        db.session.execute(update(Consent).where(Consent.delegate_id == twin.id).values(delegate_id=keep.id))
        db.session.execute(update(Recommendation).where(Recommendation.presenter_id == twin.id)
                           .values(presenter_id=keep.id))
        checkin = db.session.scalar(select(CheckIn).where(CheckIn.delegate_id == twin.id))
        if checkin is not None:
            if db.session.scalar(select(CheckIn.id).where(CheckIn.delegate_id == keep.id)) is None:
                checkin.delegate_id = keep.id
            else:
                db.session.delete(checkin)
        db.session.flush()
        db.session.expire(twin)
        db.session.delete(twin)
    db.session.flush()


def _delegations(child):
    return list(db.session.scalars(select(Delegate).where(Delegate.child_id == child.id).order_by(Delegate.id)))


def _export_delegations(child) -> dict:
    """A guardian's request to see the child's data: every forum the child took part in, with every consent."""
    def consent(c: Consent) -> dict:
        return {"kind": str(KIND_LABELS.get(c.kind, c.kind)), "given_by": c.given_by,
                "relation": str(RELATION_LABELS.get(c.relation, c.relation)), "date": c.given_on.isoformat(),
                "method": str(METHOD_LABELS.get(c.method, c.method)), "participate": c.participate,
                "photos": c.photos, "press": c.press, "recommendations": c.recommendations,
                "agencies": c.agencies, "paper_photo_kept": bool(c.paper_photo),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None}

    return {"forum_delegations": [
        {"forum": d.forum.theme, "date": d.forum.date.isoformat(), "place": d.forum.place,
         "role": str(ROLE_LABELS.get(d.role, d.role)), "present": d.checkin is not None, "photo_kept": bool(d.photo),
         "consents": [consent(c) for c in d.consents]} for d in _delegations(child)]}


def _history(child) -> list[tuple[str, list[str]]]:
    lines = [f"{fmt_date(d.forum.date)} · {d.forum.theme} · {ROLE_LABELS.get(d.role, d.role)}"
             for d in _delegations(child)]
    return [(str(_l("Children's forums")), lines)]


def _register_hooks() -> None:
    children_services.MOVE_HOOKS.append(_follow_child)
    children_services.MERGE_HOOKS.append(_merge_delegates)
    children_services.EXPORT_HOOKS.append(_export_delegations)
    children_services.HISTORY_HOOKS.append(_history)


_register_hooks()
