"""Who may open a report about a child, how each step changes it, what waits, and how it follows the child.

A report is the most sensitive record held: the child, the alleged harm, the reporter. It is opened only by the
officers whose area holds its commune and by the province's admin; a report naming a child also needs the child in
the user's area now (core.scope.child_in_scope) and is gone with the child's erasure. Everybody else, the reporter
included once it is sent, gets 404."""

from datetime import timedelta

from flask import abort
from sqlalchemy import and_, false, or_, select, update

from ..core import audit, clock
from ..core import erasure as core_erasure
from ..core.erasure import ERASED, Erasure
from ..core.scope import ADMIN, OFFICER, child_area_filter, child_in_scope, scoped, unit_in_scope
from ..core.security import fits
from ..extensions import db
from ..geo.models import Unit
from .labels import HOURS, OPEN
from .models import Concern, ConcernStep

HANDLERS = (OFFICER, ADMIN)


def deadline_from(received):
    """Điều 26: emergency measures within 12 hours of receiving the information."""
    return received + timedelta(hours=HOURS)


def deadline(concern: Concern):
    return deadline_from(concern.received_at)


def may_open(concern: Concern, user) -> bool:
    if concern is None or concern.erased_at is not None or user.role not in HANDLERS:
        return False
    if not unit_in_scope(db.session.get(Unit, concern.unit_id), user):
        return False
    if concern.child_id is not None:
        child = concern.child
        return child is not None and child.erased_at is None and child_in_scope(child, user)
    return True


def concern_or_404(concern_id, user) -> Concern:
    concern = db.session.get(Concern, concern_id) if fits(concern_id) else None
    if not may_open(concern, user):
        abort(404)
    return concern


def visible(stmt, user):
    """A SELECT of concerns restricted to those the user may open."""
    if user.role not in HANDLERS:
        return stmt.where(false())
    stmt = scoped(stmt, Concern.unit_id, user).where(Concern.erased_at.is_(None))
    named = child_area_filter(Concern.child_id, user)
    if named:
        stmt = stmt.where(or_(Concern.child_id.is_(None), and_(*named)))
    return stmt


def shows_reporter(user) -> bool:
    """A reporter's identity is shown only to the officers handling the case, not to the province's admin."""
    return user.role == OFFICER


# --- the steps ---------------------------------------------------------------------------------------------------

def apply_step(concern: Concern, step: ConcernStep) -> None:
    """What a saved step changes on its report (in the caller's transaction)."""
    day = clock.local_date(step.done_at)
    if step.step == "verify":
        concern.verified = step.outcome == "true"
        concern.verified_on = day
        concern.status = "verified" if concern.verified else "not_true"
    elif step.step == "assess":
        concern.assessed_at = step.done_at
        concern.emergency_at = step.emergency_at
        # In time: assessed, and emergency measures taken where needed, within 12 hours of receipt.
        last = max(step.done_at, step.emergency_at) if step.emergency_at else step.done_at
        concern.assessed_in_time = last <= deadline(concern)
        concern.status = "assessed"
    elif step.step == "plan":
        concern.plan_approved_on = step.approved_on
        concern.status = "planned"
    elif step.step == "carry_out":
        concern.status = "carried_out"
    elif step.step == "review":
        if step.outcome == "close":
            concern.status, concern.closed_on = "closed", day
        else:
            concern.status = "assessed"  # back to planning
    elif step.step == "refer":
        concern.referred_to, concern.referred_on = step.referred_to, day
    concern.version += 1


# --- what waits --------------------------------------------------------------------------------------------------

WAITING_LIMIT = 10


def new_reports(user) -> list[tuple[int, object, bool]]:
    """(id, received_at, in danger) of the reports not yet assessed in an officer's area, oldest first."""
    stmt = visible(select(Concern.id, Concern.received_at, Concern.in_danger), user).where(
        Concern.status.in_(("received", "verified")))
    return list(db.session.execute(stmt.order_by(Concern.received_at).limit(WAITING_LIMIT)))


def overdue_condition():
    """A report of a child in danger not yet assessed 12 hours after it was received."""
    limit = clock.now() - timedelta(hours=HOURS)
    return and_(Concern.in_danger.is_(True), Concern.status.in_(("received", "verified")),
                Concern.received_at < limit)


def referred_condition():
    """A report the commune passed on to the province, still open."""
    return and_(Concern.referred_to == "province", Concern.status.in_(OPEN))


def province_counts(user) -> tuple[int, int]:
    """(overdue, referred to the province) in the user's area, in one query, each counted as the list filtered to
    them shows them."""
    from sqlalchemy import case, func

    row = db.session.execute(visible(select(
        func.coalesce(func.sum(case((overdue_condition(), 1), else_=0)), 0),
        func.coalesce(func.sum(case((referred_condition(), 1), else_=0)), 0)), user)).one()
    return int(row[0]), int(row[1])


# --- erasure and the child's moves ------------------------------------------------------------------------------

TEXT_FIELDS = ("child_description", "what", "place", "reporter_name", "reporter_contact")
STEP_TEXT_FIELDS = ("done_by", "approved_by", "whom", "text")


def _blank(concern: Concern, erasure: Erasure) -> None:
    """Everything typed about the case goes; what counts need stays (kind, commune, dates, the steps' times)."""
    erasure.holds(concern)
    erasure.personal(concern.reporter_name, concern.reporter_contact)
    for name in TEXT_FIELDS:
        if getattr(concern, name):
            setattr(concern, name, ERASED)
    concern.what = ERASED
    concern.client_fingerprint = None
    for step in concern.steps:
        erasure.holds(step)
        for name in STEP_TEXT_FIELDS:
            if getattr(step, name):
                setattr(step, name, ERASED)
        step.client_fingerprint = None
    if concern.erased_at is None:
        concern.erased_at = clock.now()
    concern.version += 1


def erase_children(erasure: Erasure) -> None:
    """children.services.ERASE_HOOKS: a child's erasure takes every report naming the child along."""
    if not erasure.child_ids:
        return
    for concern in db.session.scalars(select(Concern).where(Concern.child_id.in_(erasure.child_ids))):
        _blank(concern, erasure)


def erase(concern: Concern, user, reason: str) -> None:
    """A report describing a child in words only is erased as a whole record when asked: its text, its steps'
    text, the audit's values; the anonymous facts stay for the counts."""
    erasure = Erasure(user=user)
    _blank(concern, erasure)
    core_erasure.remove_conflicts(erasure)
    core_erasure.scrub_audit(erasure)
    audit.record("erase", concern, user=user, reason=reason)
    db.session.commit()
    erasure.committed()
    core_erasure.forget_on_disk()


def follow_child(child) -> None:
    """children.services.MOVE_HOOKS: a report naming a child is handled by the commune the child lives in now."""
    db.session.execute(update(Concern).where(Concern.child_id == child.id).values(unit_id=child.commune_id)
                       .execution_options(synchronize_session=False))
    concerns = select(Concern.id).where(Concern.child_id == child.id).scalar_subquery()
    db.session.execute(update(ConcernStep).where(ConcernStep.concern_id.in_(concerns))
                       .values(unit_id=child.commune_id).execution_options(synchronize_session=False))


def _register_hooks() -> None:
    from ..children import services as children_services

    children_services.ERASE_HOOKS.append(erase_children)
    children_services.MOVE_HOOKS.append(follow_child)


_register_hooks()
