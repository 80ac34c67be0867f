"""Gifts and scholarships given, from the distributions, for dashboards and reports.

Gifts can be recorded twice over: as distributions (who received what) and as numbers typed into an activity of the
log (a Mid-Autumn party with its gifts). The figures shown (`gifts_given`…) take, commune by commune, the
distributions where the commune recorded any of that kind in the period, else the activities' numbers: never both.
Recipients are the children named on a distribution plus its counted group, as on the gifts totals page."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..core.scope import subtree_ids
from ..extensions import db
from ..reports.indicators import Indicator, register
from .models import Distribution

GIFT_KINDS = ("in_kind", "cash")


def _distributions_by_unit(unit, period) -> dict[int, dict[str, int]]:
    """Per unit where given: gift recipients and value, scholarship recipients and value; and per commune the
    rounds (an occasion of a year) in which it gave anything."""
    value, count = Distribution.total, Distribution.recipients
    where = (Distribution.unit_id.in_(subtree_ids(unit)),
             Distribution.given_on.between(period.start_date, period.counted_until))
    result: dict[int, dict[str, int]] = {}
    stmt = (select(Distribution.unit_id, Distribution.kind, func.sum(count), func.sum(value))
            .where(*where).group_by(Distribution.unit_id, Distribution.kind))
    for unit_id, kind, recipients, total in db.session.execute(stmt):
        values = result.setdefault(unit_id, {})
        prefix = "scholarships" if kind == "scholarship" else "gifts"
        values[prefix] = values.get(prefix, 0) + int(recipients or 0)
        values[f"{prefix}_value"] = values.get(f"{prefix}_value", 0) + int(total or 0)
    rounds = select(Distribution.commune_id, Distribution.occasion, Distribution.year).where(*where).distinct()
    for commune_id, _occasion, _year in db.session.execute(rounds):
        values = result.setdefault(commune_id, {})
        values["rounds"] = values.get("rounds", 0) + 1
    return result


def _part(code, label, kind, key):
    register(Indicator(code, label, kind, _l("Distributions"), by_unit=_distributions_by_unit, key=key, shown=False))


_part("gifts_distributed", _l("Gifts given"), "count", "gifts")
_part("gifts_value_distributed", _l("Value of the gifts"), "money", "gifts_value")
_part("scholarships_distributed", _l("Scholarships given"), "count", "scholarships")
_part("scholarships_value_distributed", _l("Value of the scholarships"), "money", "scholarships_value")

SOURCE = _l("Distributions; activities' numbers for a commune that records no distributions of the kind")
register(Indicator("gifts_given", _l("Gifts given"), "count", SOURCE,
                   prefer=("gifts_distributed", "gifts_logged")))
register(Indicator("gifts_value", _l("Value of the gifts"), "money", SOURCE,
                   prefer=("gifts_value_distributed", "gifts_value_logged", "gifts_distributed")))
register(Indicator("scholarships_given", _l("Scholarships given"), "count", SOURCE,
                   prefer=("scholarships_distributed", "scholarships_logged")))
register(Indicator("scholarships_value", _l("Value of the scholarships"), "money", SOURCE,
                   prefer=("scholarships_value_distributed", "scholarships_value_logged",
                           "scholarships_distributed")))
register(Indicator("gift_rounds", _l("Rounds of gifts and scholarships held by communes"), "count",
                   _l("Distributions: each commune's occasions of the year"), by_unit=_distributions_by_unit,
                   key="rounds"))
