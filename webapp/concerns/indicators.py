"""T3 and T5 of the plan from the reports about children: of the reports verified as true in the period (by the
day they were verified), the share that got the initial risk assessment (Mẫu 02, with its emergency measures where
needed) within the 12 hours of Điều 26 and a support plan approved by the Chủ tịch UBND xã. T3 counts violence,
sexual abuse and abandonment or neglect; T5 child labour and exploitation. A report erased later still counts (its
kind, commune and dates stay)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select

from ..core.scope import subtree_ids
from ..extensions import db
from ..reports.indicators import Indicator, register
from .labels import T3_KINDS, T5_KINDS
from .models import Concern

SOURCE = _l("Reports about children (Mẫu 01) verified as true in the period, and their steps")


def concern_counts_by_unit(unit, period) -> dict[int, dict[str, int]]:
    """{commune id: {t3_verified, t3_in_time, t5_verified, t5_in_time}} over the unit's subtree and the period."""
    start, end = period.start_date, period.counted_until
    handled = and_(Concern.assessed_in_time.is_(True), Concern.plan_approved_on.is_not(None),
                   Concern.plan_approved_on <= end)
    columns = []
    for name, kinds in (("t3", T3_KINDS), ("t5", T5_KINDS)):
        of_kind = Concern.kind.in_(kinds)
        columns.append(func.sum(case((of_kind, 1), else_=0)).label(f"{name}_verified"))
        columns.append(func.sum(case((and_(of_kind, handled), 1), else_=0)).label(f"{name}_in_time"))
    stmt = (select(Concern.unit_id, *columns)
            .where(Concern.unit_id.in_(subtree_ids(unit)), Concern.verified.is_(True),
                   Concern.verified_on.between(start, end))
            .group_by(Concern.unit_id))
    result: dict[int, dict[str, int]] = {}
    for row in db.session.execute(stmt):
        result[row.unit_id] = {key: int(getattr(row, key) or 0)
                               for key in ("t3_verified", "t3_in_time", "t5_verified", "t5_in_time")}
    return result


register(Indicator(
    "concerns_t3_verified", _l("Reports of violence or abuse of a child verified as true"), "count", SOURCE,
    by_unit=concern_counts_by_unit, key="t3_verified",
    shown=False))
register(Indicator(
    "concerns_t3_in_time",
    _l("Reports of violence or abuse assessed within 12 hours and given an approved plan"), "count",
    SOURCE, by_unit=concern_counts_by_unit, key="t3_in_time",
    shown=False))
register(Indicator(
    "concerns_t3_share", _l("Children suffering violence or abuse helped in time (share of verified reports)"),
    "percent", SOURCE, measures="T3", ratio=("concerns_t3_in_time", "concerns_t3_verified")))
register(Indicator(
    "concerns_t5_verified", _l("Reports of child labour verified as true"), "count", SOURCE,
    by_unit=concern_counts_by_unit, key="t5_verified",
    shown=False))
register(Indicator(
    "concerns_t5_in_time", _l("Reports of child labour assessed within 12 hours and given an approved plan"), "count",
    SOURCE, by_unit=concern_counts_by_unit, key="t5_in_time",
    shown=False))
register(Indicator(
    "concerns_t5_share", _l("Children in child labour helped in time (share of verified reports)"), "percent",
    SOURCE, measures="T5", ratio=("concerns_t5_in_time", "concerns_t5_verified")))
