"""A summary of the activities per (plan, unit, month, kind, channel, level, funding source, status), always right.

`activity_month_totals` holds, for every such key, how many activities there are (`n`: the plan's, approved or
waiting for review, not deleted) and the SUM of each column a dashboard sums, and of the materials handed out. The
figures count the approved ones (COUNTED_STATUSES); the entries waiting for review (submitted) are kept beside them
so that a page can say how many wait. The dashboard reads it for the whole months of a period
(reports/indicators.py) instead of half a million activities.

Each key is kept twice (`scope`): for the activity's own unit (UNIT), and rolled up into its commune (COMMUNE: a
village's activities counted with its commune's; any other unit by itself), so that a province-wide question reads
the communes' rows, about sixteen times fewer than the villages'. A unit's rows answer a commune or a village.

It is kept in step inside the very transaction that writes activities: session events note the (plan, unit, month)
of every activity or material written (its old place, read from the database before the flush, and its new one),
and before the commit every such cell is recomputed from the activities themselves (DELETE, then INSERT … SELECT …
GROUP BY). On PostgreSQL a transaction-scoped advisory lock per cell comes first, so two writers of the same cell
cannot both recompute from snapshots that miss the other's row (SQLite serialises writers already). Bulk loads
that bypass the session (bench loaders, restore) call `rebuild()`.
"""

import hashlib
from datetime import date

from sqlalchemy import (
    BigInteger,
    Date,
    Index,
    Integer,
    SmallInteger,
    String,
    and_,
    bindparam,
    case,
    delete,
    event,
    func,
    insert,
    inspect,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql.functions import GenericFunction

from ..extensions import db
from ..geo.models import VILLAGE, Unit
from .models import APPROVED, SUBMITTED, Activity, ActivityMaterial

UNIT, COMMUNE = 0, 1  # the scopes of the summary's rows

COUNTED_STATUSES = (APPROVED,)  # a figure counts the approved entries only
WAITING = SUBMITTED  # entries waiting for review: shown beside the figures, not in them
# What the summary holds: drafts and records sent back for correction are neither results nor waiting.
SUMMARISED_STATUSES = (SUBMITTED, APPROVED)
KEY_COLUMNS = ("plan_id", "unit_id", "kind", "channel", "level", "funding_source", "status")
# Every Activity column an `activity_sum` indicator may sum. A new summed column must be added here, to the model
# below and in a migration (reports/indicators.py refuses an indicator that sums a column not kept here).
SUMMED_COLUMNS = ("audience_total", "amount_spent", "money_raised", "in_kind_value", "gifts_count", "gifts_value",
                  "scholarships_count", "scholarships_value", "cases_handled")


class month_start(GenericFunction):
    """The first day of a date's month, as a date."""

    type = Date()
    inherit_cache = True


class day_number(GenericFunction):
    """A date as a whole number of days, increasing with the date."""

    type = BigInteger()
    inherit_cache = True


@compiles(day_number, "sqlite")
def _day_number_sqlite(element, compiler, **kw):
    return f"CAST(julianday({compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(day_number)
def _day_number_default(element, compiler, **kw):
    return f"({compiler.process(element.clauses, **kw)} - DATE '2000-01-01')"


@compiles(month_start, "sqlite")
def _month_start_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


@compiles(month_start)
def _month_start_default(element, compiler, **kw):
    return f"CAST(date_trunc('month', {compiler.process(element.clauses, **kw)}) AS DATE)"


class ActivityMonthTotal(db.Model):
    """The activities of one plan, unit, month, kind, channel, level, funding source and status, summed."""

    __tablename__ = "activity_month_totals"
    __table_args__ = (
        Index("ix_activity_month_totals_cell", "plan_id", "unit_id", "month"),
        Index("ix_activity_month_totals_scope", "scope", "plan_id", "month"),
        Index("ix_activity_month_totals_kind", "kind", "scope", "plan_id", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[int] = mapped_column(SmallInteger)  # UNIT: the activities' own unit; COMMUNE: rolled up into it
    plan_id: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[int] = mapped_column(Integer)
    month: Mapped[date] = mapped_column(Date)  # the first day of the month
    kind: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str | None] = mapped_column(String(20))
    level: Mapped[str | None] = mapped_column(String(10))
    funding_source: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10))  # approved, or submitted (waiting for review)
    n: Mapped[int] = mapped_column(Integer)  # how many activities
    audience_total: Mapped[int | None] = mapped_column(BigInteger)
    amount_spent: Mapped[int | None] = mapped_column(BigInteger)
    money_raised: Mapped[int | None] = mapped_column(BigInteger)
    in_kind_value: Mapped[int | None] = mapped_column(BigInteger)
    gifts_count: Mapped[int | None] = mapped_column(BigInteger)
    gifts_value: Mapped[int | None] = mapped_column(BigInteger)
    scholarships_count: Mapped[int | None] = mapped_column(BigInteger)
    scholarships_value: Mapped[int | None] = mapped_column(BigInteger)
    cases_handled: Mapped[int | None] = mapped_column(BigInteger)
    materials: Mapped[int | None] = mapped_column(BigInteger)  # booklets, leaflets, posters and banners
    # The latest child-friendly self-assessment of the cell, as LATEST_ASSESSMENT: the largest is the latest.
    latest_assessment: Mapped[int | None] = mapped_column(BigInteger)

    def __repr__(self) -> str:
        return f"<ActivityMonthTotal {self.plan_id} {self.unit_id} {self.month} {self.kind} n={self.n}>"


# The materials of one activity: NULL when it has none, as SUM over the join would leave the activity out.
MATERIALS_QUANTITY = (select(func.sum(ActivityMaterial.quantity))
                      .where(ActivityMaterial.activity_id == Activity.id).scalar_subquery())

# A child-friendly self-assessment as one number that orders them by (date, id), the latest largest, and keeps its
# result in the last bit (1: the criteria are met): the latest of a period is the MAX over its months.
LATEST_ASSESSMENT = case(
    (and_(Activity.kind == "child_friendly", Activity.assessment_met.is_not(None)),
     (day_number(Activity.date) * 100_000_000_000 + Activity.id) * 2 + case((Activity.assessment_met.is_(True), 1),
                                                                            else_=0)),
    else_=None)


def counted():
    """The activities that count in the figures (approved), whatever the unit and period."""
    return and_(Activity.status.in_(COUNTED_STATUSES), Activity.deleted_at.is_(None))


def summarised():
    """The activities the summary holds: those that count and those waiting for review."""
    return and_(Activity.status.in_(SUMMARISED_STATUSES), Activity.deleted_at.is_(None))


# The commune an activity's unit is rolled up into: a village's parent, any other unit itself.
COMMUNE_OF = case((Unit.level == VILLAGE, Unit.parent_id), else_=Unit.id)


def _summary_select(scope: int, *where):
    month = month_start(Activity.date)
    keys = [getattr(Activity, c) for c in KEY_COLUMNS]
    if scope == COMMUNE:
        keys[KEY_COLUMNS.index("unit_id")] = COMMUNE_OF
    stmt = (select(literal(scope), *keys, month, func.count(),
                   *[func.sum(getattr(Activity, c)) for c in SUMMED_COLUMNS], func.sum(MATERIALS_QUANTITY),
                   func.max(LATEST_ASSESSMENT))
            .where(summarised(), *where).group_by(*keys, month))
    return stmt.join(Unit, Unit.id == Activity.unit_id) if scope == COMMUNE else stmt


INSERT_COLUMNS = ["scope", *KEY_COLUMNS, "month", "n", *SUMMED_COLUMNS, "materials", "latest_assessment"]


def rebuild(session=None) -> int:
    """Recompute the whole summary from the activities (after bulk inserts that bypass the session). Returns the
    number of rows; the caller commits."""
    session = session or db.session
    table = ActivityMonthTotal.__table__
    session.execute(delete(table))
    for scope in (UNIT, COMMUNE):
        session.execute(insert(table).from_select(INSERT_COLUMNS, _summary_select(scope)))
    return session.scalar(select(func.count()).select_from(table))


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _recompute_statements():
    """DELETE and INSERT … SELECT of one cell, built once with parameters (plan, unit, month, next_month)."""
    table = ActivityMonthTotal.__table__
    plan_id, unit_id, month, next_month = (bindparam(n) for n in ("plan_id", "unit_id", "month", "next_month"))
    cell = (table.c.plan_id == plan_id, table.c.unit_id == unit_id, table.c.month == month)
    deletes = {scope: delete(table).where(table.c.scope == scope, *cell) for scope in (UNIT, COMMUNE)}
    own = _summary_select(UNIT, Activity.plan_id == plan_id, Activity.unit_id == unit_id, Activity.date >= month,
                          Activity.date < next_month)
    # A commune's roll-up from its own and its villages' rows just made: fewer than their activities.
    members = select(Unit.id).where(or_(Unit.id == unit_id, and_(Unit.parent_id == unit_id, Unit.level == VILLAGE)))
    keys = [table.c[c] for c in KEY_COLUMNS if c != "unit_id"]
    rolled = (select(literal(COMMUNE), table.c.plan_id, unit_id, *keys[1:], table.c.month, func.sum(table.c.n),
                     *[func.sum(table.c[c]) for c in (*SUMMED_COLUMNS, "materials")],
                     func.max(table.c.latest_assessment))
              .where(table.c.scope == UNIT, table.c.plan_id == plan_id, table.c.month == month,
                     table.c.unit_id.in_(members))
              .group_by(*keys, table.c.month))
    inserts = {UNIT: insert(table).from_select(INSERT_COLUMNS, own),
               COMMUNE: insert(table).from_select(INSERT_COLUMNS, rolled)}
    return deletes, inserts


_STATEMENTS: list = []


def recompute(session, cells) -> None:
    """Recompute the summary rows of the (plan_id, unit_id, month) cells from the activities, and of the cells
    their communes' rows roll them into."""
    if not _STATEMENTS:
        _STATEMENTS.extend(_recompute_statements())
    deletes, inserts = _STATEMENTS
    units = {unit_id for _, unit_id, _ in cells}
    commune_of = dict(session.execute(select(Unit.id, COMMUNE_OF).where(Unit.id.in_(sorted(units)))).all())
    # one order for every writer: advisory locks never deadlock
    scoped = sorted({(UNIT, *cell) for cell in cells} | {(COMMUNE, p, commune_of[u], m) for p, u, m in cells})
    if session.get_bind().dialect.name == "postgresql":
        for cell in scoped:
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_key(cell)})
    for scope, plan_id, unit_id, month in scoped:  # the units' cells first, then the communes' made of them
        params = {"plan_id": plan_id, "unit_id": unit_id, "month": month, "next_month": _next_month(month)}
        session.execute(deletes[scope], params)
        session.execute(inserts[scope], params)


def _lock_key(cell) -> int:
    digest = hashlib.blake2b(f"activity_month_totals:{cell[0]}:{cell[1]}:{cell[2]}:{cell[3].isoformat()}".encode(),
                             digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


# --- Upkeep: session events ---------------------------------------------------------------------------------------

PENDING_CELLS, PENDING_IDS = "activity_totals_cells", "activity_totals_ids"


# The attributes of an activity that decide its cell and what it adds there.
COUNTED_ATTRIBUTES = (*KEY_COLUMNS, "date", "status", "deleted_at", *SUMMED_COLUMNS, "assessment_met")


def _changed(activity: Activity) -> bool:
    """A changed activity: one whose counted facts were set (a new tag or agency changes nothing here)."""
    state = inspect(activity)
    return any(state.attrs[name].history.has_changes() for name in COUNTED_ATTRIBUTES)


def _activity_ids(objects, dirty=()) -> set[int]:
    """The ids of the activities among `objects` (new or deleted), among `dirty` those changed, and of the
    activities of any of their materials."""
    ids = set()
    for obj in list(objects) + [o for o in dirty if not isinstance(o, Activity) or _changed(o)]:
        if isinstance(obj, Activity) and obj.id is not None:
            ids.add(obj.id)
        elif isinstance(obj, ActivityMaterial) and obj.activity_id is not None:
            ids.add(obj.activity_id)
    return ids


def _cells_of(session, ids) -> set[tuple]:
    if not ids:
        return set()
    rows = session.execute(select(Activity.plan_id, Activity.unit_id, Activity.date)
                           .where(Activity.id.in_(sorted(ids)))).all()
    return {(plan_id, unit_id, day.replace(day=1)) for plan_id, unit_id, day in rows}


@event.listens_for(Session, "before_flush")
def _note_old_cells(session, flush_context, instances):
    """Where the activities about to change or go lie now (read from the database: the objects' own history may
    not hold the old values)."""
    ids = _activity_ids(session.deleted, session.dirty)
    if ids:
        with session.no_autoflush:
            session.info.setdefault(PENDING_CELLS, set()).update(_cells_of(session, ids))


@event.listens_for(Session, "after_flush")
def _note_new_ids(session, flush_context):
    ids = _activity_ids(session.new, session.dirty)
    if ids:
        session.info.setdefault(PENDING_IDS, set()).update(ids)


@event.listens_for(Session, "before_commit")
def _recompute_before_commit(session):
    if not (session.info.get(PENDING_CELLS) or session.info.get(PENDING_IDS) or session.new or session.dirty
            or session.deleted):
        return
    session.flush()
    cells = session.info.pop(PENDING_CELLS, set())
    ids = session.info.pop(PENDING_IDS, set())
    cells |= _cells_of(session, ids)
    if cells:
        recompute(session, cells)


@event.listens_for(Session, "after_transaction_end")
def _forget(session, transaction):
    if transaction.parent is None:  # the whole transaction committed or rolled back
        session.info.pop(PENDING_CELLS, None)
        session.info.pop(PENDING_IDS, None)
