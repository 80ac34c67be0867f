"""The register's figures for dashboards and reports: how many children it holds. Its children aged 6 to 15 are
shown beside the population statistics that are the denominator of the plan's swim shares (T6, T7) as a check
only: the register holds the children someone entered, largely those of the swim courses. It answers none of
T1–T5 itself: the register holds the children someone entered, not every child, so a share of children in special
circumstances (T1) or of them supported (T2) would be wrong; those stay entered by an officer with their source
(the national child database)."""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select

from ..core.scope import subtree_ids
from ..extensions import db
from ..reports.indicators import Indicator, register
from .data import CHILD_AGE_LIMIT
from .models import Child

SCHOOL_AGE = 6  # the plan's swim and water-safety figures count children from 6


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _aged(end: date, at_least: int):
    """Children aged `at_least` to under 16 on `end` (by the birth year alone where the date is not known)."""
    young, old = _years_before(end, at_least), _years_before(end, CHILD_AGE_LIMIT)
    return or_(and_(Child.birth_date.is_not(None), Child.birth_date > old, Child.birth_date <= young),
               and_(Child.birth_date.is_(None), Child.birth_year > end.year - CHILD_AGE_LIMIT,
                    Child.birth_year <= end.year - at_least))


def _children_by_unit(unit, period) -> dict[int, dict[str, int]]:
    """Children of the register under 16 on the period's last day counted (`counted_until`), by village: all, those
    of 6 and over, those in special circumstances (Điều 10; a count only). A merged duplicate is not counted; an
    erased child is (erasing keeps the anonymous count)."""
    end = period.counted_until
    stmt = (select(Child.unit_id, func.count(),
                   func.count().filter(_aged(end, SCHOOL_AGE)),
                   func.count().filter(Child.special_groups != ""))
            .where(Child.unit_id.in_(subtree_ids(unit)), Child.merged_into_id.is_(None), _aged(end, 0))
            .group_by(Child.unit_id))
    return {unit_id: {"all": n, "school_age": school_age, "special": special}
            for unit_id, n, school_age, special in db.session.execute(stmt)}


register(Indicator(
    "children_registered", _l("Children in the register"), "count",
    _l("Child register: children under 16 on the last day of the period"), by_unit=_children_by_unit, key="all"))
register(Indicator(
    "children_school_age", _l("Children aged 6 to 15 in the register (a check only)"), "count",
    _l("Child register: children aged 6 to 15 on the last day of the period"), by_unit=_children_by_unit,
    key="school_age"))
register(Indicator(
    "children_special", _l("Children in special circumstances in the register"), "count",
    _l("Child register: children under 16 of one of the groups of Điều 10 Luật Trẻ em"), by_unit=_children_by_unit,
    key="special"))
