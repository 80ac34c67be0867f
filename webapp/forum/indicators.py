"""The forum's figures for dashboards and reports: forums held (Q4, Q5), the training of facilitators and children
(Q3), and the children's recommendations made and answered.

A forum can be both in the forum's register and logged as an activity: for each unit holding forums (a commune with
its villages), the register is taken for every forum figure where the unit has any forum in it for the period, else
the activity log (reports/indicators.py)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..core.scope import subtree_ids
from ..extensions import db
from ..reports.indicators import Indicator, register
from .models import DISTRICT, PROVINCE, RECEIVED, Forum, ForumTraining
from .services import recommendation_counts_by_unit


def _forums_by_unit(unit, period) -> dict[int, dict[str, int]]:
    """Per holding unit: forums held in the period (not those still to come), by level; the training classes
    begun in the period (and by today) and the facilitators and children they trained; the recommendations of the
    period's forums, all and answered (an answer given, in progress or done)."""
    from ..reports.services import today

    result: dict[int, dict[str, int]] = {}
    until = min(period.counted_until, today())

    def add(unit_id, key, n):
        values = result.setdefault(unit_id, {})
        values[key] = values.get(key, 0) + int(n or 0)

    held = (select(Forum.unit_id, Forum.level, func.count())
            .where(Forum.unit_id.in_(subtree_ids(unit)),
                   Forum.date.between(period.start_date, until))
            .group_by(Forum.unit_id, Forum.level))
    for unit_id, level, n in db.session.execute(held):
        add(unit_id, "held", n)
        if level in (PROVINCE, DISTRICT):
            add(unit_id, level, n)
    trainings = (select(ForumTraining.unit_id, func.count(),
                        func.sum(ForumTraining.facilitators + ForumTraining.children))
                 .where(ForumTraining.unit_id.in_(subtree_ids(unit)),
                        ForumTraining.start_date.between(period.start_date, until))
                 .group_by(ForumTraining.unit_id))
    for unit_id, classes, people in db.session.execute(trainings):
        add(unit_id, "trainings", classes)
        add(unit_id, "trained", people)
    for unit_id, by_status in recommendation_counts_by_unit(unit, period.start_date, period.counted_until).items():
        add(unit_id, "recommendations", sum(by_status.values()))
        add(unit_id, "answered", sum(n for status, n in by_status.items() if status != RECEIVED))
    return result


def _part(code, label, key):
    register(Indicator(code, label, "count", _l("Forum register"), by_unit=_forums_by_unit, key=key, shown=False))


_part("forums_province_register", _l("Provincial children's forums held"), PROVINCE)
_part("forums_district_register", _l("District children's forums held"), DISTRICT)
_part("forums_register", _l("Children's forums held"), "held")

SOURCE = _l("Forum register; forums logged as activities where a unit keeps no register")
register(Indicator("forums_province", _l("Provincial children's forums held"), "count", SOURCE, measures="Q4",
                   prefer=("forums_province_register", "forums_province_logged", "forums_register")))
register(Indicator("forums_district", _l("District children's forums held"), "count", SOURCE, measures="Q5",
                   prefer=("forums_district_register", "forums_district_logged", "forums_register")))
register(Indicator("forums_held", _l("Children's forums held"), "count", SOURCE,
                   prefer=("forums_register", "forums_logged")))
register(Indicator(
    "forum_trainings", _l("Training classes for forum facilitators and children"), "count",
    _l("Forum register: training classes"), measures="Q3", by_unit=_forums_by_unit, key="trainings"))
register(Indicator(
    "forum_trained", _l("Facilitators and children trained for the forum"), "count",
    _l("Forum register: facilitators and children of the training classes"), measures="Q3:participants",
    by_unit=_forums_by_unit, key="trained"))
register(Indicator(
    "recommendations_made", _l("Children's recommendations made"), "count",
    _l("Forum register: recommendations of the forums held in the period"), by_unit=_forums_by_unit,
    key="recommendations"))
register(Indicator(
    "recommendations_answered", _l("Children's recommendations answered"), "count",
    _l("Forum register: recommendations answered, in progress or done"), by_unit=_forums_by_unit, key="answered"))
register(Indicator(
    "recommendations_answered_share", _l("Share of the children's recommendations answered"), "percent",
    _l("Forum register"), ratio=("recommendations_answered", "recommendations_made")))
