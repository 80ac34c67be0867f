"""The one place that decides what a user may see: their unit's subtree, and by role what of it.

Every list, detail, export and report goes through these helpers. A record outside one's area answers 404, so
that its existence is not revealed; a role that may not use a page at all answers 403.
"""

from functools import wraps

from flask import abort, g
from flask_login import current_user
from sqlalchemy import Select, func, select

from ..extensions import db, login_manager
from .security import fits

ADMIN, OFFICER, COLLECTOR, VIEWER = "admin", "officer", "collector", "viewer"
ROLES = (ADMIN, OFFICER, COLLECTOR, VIEWER)


def _unit_model():
    from ..geo.models import Unit

    return Unit


def subtree_ids(unit) -> Select:
    """SELECT of the ids of `unit` and everything under it: one indexed prefix query on the materialised path."""
    Unit = _unit_model()
    return select(Unit.id).where(Unit.in_area_of(unit))


def unit_in_scope(unit, user=None) -> bool:
    user = user or current_user
    return user.unit.contains(unit)


def covers_everything(unit) -> bool:
    """True when `unit` is the only root of the tree (the province of a one-province deployment): its subtree is
    every unit, so a filter by it would only slow the query down (on SQLite, one index walk per unit)."""
    if unit.parent_id is not None:
        return False
    if "sotay_roots" not in g:
        Unit = _unit_model()
        g.sotay_roots = db.session.scalar(select(func.count()).select_from(Unit).where(Unit.parent_id.is_(None)))
    return g.sotay_roots == 1


def area_filter(unit_column, unit, known_inside: bool = False) -> list:
    """The condition "the row's unit lies in `unit`'s subtree", as a list to unpack into `.where(*...)`: empty when
    the subtree is every unit, or when the caller knows every row it reads lies inside (`known_inside`: e.g. the
    activities of a plan, for the plan's own unit)."""
    if known_inside or covers_everything(unit):
        return []
    return [unit_column.in_(subtree_ids(unit))]


def scoped(stmt: Select, unit_column, user=None) -> Select:
    """Restrict a SELECT to the rows whose unit lies in the user's subtree."""
    user = user or current_user
    return stmt.where(*area_filter(unit_column, user.unit))


def get_or_404(model, ident, user=None, unit_attr: str = "unit_id"):
    """The record `ident` of `model` if it lies in the user's area, else 404 (also for an id no column can hold)."""
    obj = db.session.get(model, ident) if fits(ident) else None
    if obj is None:
        abort(404)
    unit = db.session.get(_unit_model(), getattr(obj, unit_attr))
    if not unit_in_scope(unit, user):
        abort(404)
    return obj


# --- records that name a child -----------------------------------------------------------------------------------
# The one rule for every record that names a child (a forum delegate, their consents and check-in, a
# recommendation's presenter, a gift receipt, a swim enrolment…): the child is shown only to those who may see the
# child now, that is whose area holds the child's *current* village. A child who moves takes the visibility of
# everything naming them along; the old area keeps only what names nobody (counts, the record's own facts).

def child_in_scope(child, user=None) -> bool:
    """May the user see this child (and so the records naming them) now: the child's current village lies in the
    user's area and the user's role sees names."""
    user = user or current_user
    if child is None or not may_see_personal_data(user):
        return False
    # by unit_id, not the `village` relationship, which an edit moving the child leaves stale until the flush
    return unit_in_scope(db.session.get(_unit_model(), child.unit_id), user)


def child_area_filter(child_id_column, user=None) -> list:
    """The condition "the row names a child who lives in the user's area now", to unpack into `.where(*...)`. The
    register's table is the one `child_id_column` refers to (its foreign key), so core names no feature."""
    user = user or current_user
    if covers_everything(user.unit):
        return []
    (key,) = child_id_column.property.columns[0].foreign_keys
    children = key.column.table
    return [child_id_column.in_(select(children.c.id).where(children.c.unit_id.in_(subtree_ids(user.unit))))]


def child_record_or_404(model, ident, child_of, user=None):
    """The record `ident` of `model`, which names the child `child_of(record)`, if the user may see that child now;
    else 404 (also for an id no column can hold, and for a child whose data was erased)."""
    obj = db.session.get(model, ident) if fits(ident) else None
    child = child_of(obj) if obj is not None else None
    if child is None or child.erased_at is not None or not child_in_scope(child, user):
        abort(404)
    return obj


def counted_unit(unit, user=None):
    """The unit whose counts a user may see for `unit`: a viewer sees commune level and above (counts of one village
    are few enough to single a child out), so a village gives its commune; others see the unit itself. 404 for a
    unit outside the user's area, 403 for a viewer whose own area is a single village."""
    user = user or current_user
    if not unit_in_scope(unit, user):
        abort(404)
    if user.role == VIEWER and unit.level == "village":
        parent = db.session.get(_unit_model(), unit.parent_id) if unit.parent_id else None
        if parent is None or not unit_in_scope(parent, user):
            abort(403)
        return parent
    return unit


def sees_villages(user=None) -> bool:
    """Whether breakdowns by village are shown to the user: not to a viewer (see counted_unit)."""
    user = user or current_user
    return user.role != VIEWER


def may_see_personal_data(user=None) -> bool:
    """Viewers see aggregates only, never a person's name."""
    user = user or current_user
    return user.is_authenticated and user.role != VIEWER


def roles_required(*roles: str):
    """Refuse with 403 a signed-in user whose role may not use this page at all."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
