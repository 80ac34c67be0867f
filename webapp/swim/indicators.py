"""The swim register's figures for dashboards and reports (the plan's T6 and T7), from `services.swim_counts_by_unit`:
children aged 6 to 15, each counted once, at the course's unit where they first qualified in the period.

T6 (children taught and knowing how to prevent drowning, 93%) is the share of the children aged 6 to 15 who
attended a swim lesson (water-safety skills are taught in every course); T7 (a share that should rise every year)
the share of them who showed they can swim. The denominator is the number of children aged 6 to 15 from the
population statistics (reports/population.py), never the register's count (a register filled largely by the swim
courses themselves); the numerator counts only the children of the area that figure covers, so a commune without a
figure adds nothing to either side. Children reached by drowning talks are heads counted at each
talk, not children of the register, so they stay in the activity log's figures and are not added to a share."""

from flask_babel import lazy_gettext as _l

from ..reports import population
from ..reports.indicators import Indicator, register
from .services import swim_counts_by_unit


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
