"""The swim register's figures for dashboards and reports (the plan's T6 and T7), from `swim_counts_by_unit` below:
children aged 6 to 15, each counted once, at the course's unit where they first qualified in the period.

T6 (children taught and knowing how to prevent drowning, 93%) is the share of the children aged 6 to 15 who
attended a swim lesson (water-safety skills are taught in every course); T7 (a share that should rise every year)
the share of them who showed they can swim. The denominator is the number of children aged 6 to 15 from the
population statistics (reports/population.py), never the register's count (a register filled largely by the swim
courses themselves); the numerator counts only the children of the area that figure covers, so a commune without a
figure adds nothing to either side. Children reached by drowning talks are heads counted at each
talk, not children of the register, so they stay in the activity log's figures and are not added to a share."""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..children.models import Child
from ..core.scope import subtree_ids
from ..extensions import db
from ..geo.models import Unit
from ..reports import population
from ..reports.indicators import Indicator, register
from .data import COUNTED_AGES, SELF_RESCUE, SWIM
from .models import SwimAttendance, SwimEnrolment, SwimLesson, SwimSkill, SwimSkillShown


def _counted_units(firsts: dict[int, tuple[date, int]]) -> list[int]:
    """The unit where each child counted first qualified: only children aged 6 to under 16 on that day."""
    if not firsts:
        return []
    low, high = COUNTED_AGES
    children = db.session.scalars(select(Child).where(Child.id.in_(firsts))).all()
    return [firsts[c.id][1] for c in children if low <= c.age_at(firsts[c.id][0]) <= high]


def _firsts(stmt) -> dict[int, tuple[date, int]]:
    """{child_id: (day, unit_id)} of the earliest of the rows (child_id, day, unit_id) of each child."""
    result: dict[int, tuple[date, int]] = {}
    for child_id, day, unit_id in db.session.execute(stmt):
        if child_id not in result or (day, unit_id) < result[child_id]:
            result[child_id] = (day, unit_id)
    return result


def swim_firsts(unit: Unit, start: date, end: date) -> dict[str, dict[int, tuple[date, int]]]:
    """When and where each child first did each of these over `unit`'s subtree and [start, end]:

    taught: attended at least one lesson (water-safety skills are taught in every course; T6, T7 "được học bơi");
    learned_to_swim: showed a skill that counts as swimming (10 m or 25 m by default; T7 "biết bơi");
    swims_safely: passed the final test (T7 "biết bơi an toàn"; the definition used is kept on each result);
    self_rescue: showed the self-rescue skill (T7 "có kỹ năng tự cứu đuối").
    """
    in_area = SwimLesson.unit_id.in_(subtree_ids(unit))
    in_period = SwimLesson.date.between(start, end)
    taught = _firsts(select(SwimAttendance.child_id, func.min(SwimLesson.date), SwimLesson.unit_id)
                     .join(SwimLesson).where(in_area, in_period)
                     .group_by(SwimAttendance.child_id, SwimLesson.unit_id))

    def shown(meaning: str) -> dict[int, tuple[date, int]]:
        return _firsts(
            select(SwimSkillShown.child_id, func.min(SwimLesson.date), SwimLesson.unit_id)
            .join(SwimLesson, SwimLesson.id == SwimSkillShown.lesson_id)
            .join(SwimSkill, SwimSkill.id == SwimSkillShown.skill_id)
            .where(in_area, in_period, SwimSkill.counts_as == meaning)
            .group_by(SwimSkillShown.child_id, SwimLesson.unit_id))

    passed = _firsts(
        select(SwimEnrolment.child_id, func.min(SwimEnrolment.tested_on), SwimEnrolment.unit_id)
        .where(SwimEnrolment.unit_id.in_(subtree_ids(unit)), SwimEnrolment.passed.is_(True),
               SwimEnrolment.tested_on.between(start, end)).group_by(SwimEnrolment.child_id, SwimEnrolment.unit_id))
    return {"taught": taught, "learned_to_swim": shown(SWIM), "swims_safely": passed,
            "self_rescue": shown(SELF_RESCUE)}


def swim_counts_by_unit(unit: Unit, start: date, end: date) -> dict[int, dict[str, int]]:
    """Children aged 6 to under 16, each counted once at the unit (course's commune or village) where they
    first qualified: {unit_id: {"taught": n, "learned_to_swim": n, "swims_safely": n, "self_rescue": n}}, so that
    the units' figures add up to their parent's."""
    result: dict[int, dict[str, int]] = {}
    for key, firsts in swim_firsts(unit, start, end).items():
        for unit_id in _counted_units(firsts):
            values = result.setdefault(unit_id, {})
            values[key] = values.get(key, 0) + 1
    return result


def _swim_by_unit(unit, period) -> dict[int, dict[str, int]]:
    return swim_counts_by_unit(unit, period.start_date, period.counted_until)


def _swim_covered_by_unit(unit, period) -> dict[int, dict[str, int]]:
    """The children taught and who can swim, over the area each unit's population figure covers."""
    return population.resolve(unit, period.plan.year, _swim_by_unit(unit, period))


SOURCE = _l("Swim lessons: attendance and skills shown, children aged 6 to 15")
register(Indicator("swim_taught", _l("Children taught water safety in swim lessons"), "count", SOURCE,
                   by_unit=_swim_by_unit, key="taught"))
register(Indicator("swim_can_swim", _l("Children who learned to swim"), "count", SOURCE,
                   by_unit=_swim_by_unit, key="learned_to_swim"))
register(Indicator("swim_passed", _l("Children who passed the swim test"), "count",
                   _l("Swim courses: final test results"), by_unit=_swim_by_unit, key="swims_safely"))
register(Indicator("swim_self_rescue", _l("Children who showed they can save themselves from drowning"), "count",
                   SOURCE, by_unit=_swim_by_unit, key="self_rescue"))
COVERED = _l("Swim lessons, in the communes with a population figure")
register(Indicator("swim_taught_counted", _l("Children taught water safety, where a population figure exists"),
                   "count", COVERED, by_unit=_swim_covered_by_unit, key="taught", own_value=True, shown=False))
register(Indicator("swim_can_swim_counted", _l("Children who learned to swim, where a population figure exists"),
                   "count", COVERED, by_unit=_swim_covered_by_unit, key="learned_to_swim", own_value=True,
                   shown=False))
SHARE_SOURCE = _l("Swim lessons, over the children aged 6 to 15 of the population statistics")
register(Indicator("swim_taught_share", _l("Share of children aged 6 to 15 taught water safety"), "percent",
                   SHARE_SOURCE, measures="T6", ratio=("swim_taught_counted", "population_6_15")))
register(Indicator("swim_can_swim_share", _l("Share of children aged 6 to 15 who can swim"), "percent",
                   SHARE_SOURCE, measures="T7", ratio=("swim_can_swim_counted", "population_6_15")))
