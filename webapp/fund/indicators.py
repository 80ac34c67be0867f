"""The child protection fund's figures for dashboards and reports: money raised (received, in cash and in kind)
and spent, by each unit's fund. A pledge counts only once the money or goods are received.

The plan's T13 (the provincial Quỹ Bảo trợ trẻ em raises at least 1 tỷ đồng) is met by the province's fund alone:
`fund_raised` is a unit's own fund (`own_value`): at the province what the provincial fund received, at a commune
what the commune's fund received (compared with the commune's own target where the plan sets one, goals_for), and
per sub-unit each one's own fund. The communes' funds (and the districts' before 01/7/2025) are added up apart,
in `fund_raised_local`, never into the province's figure. The other figures (cash, in kind, spent) sum every fund
of the unit's area."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from ..core.scope import subtree_ids
from ..extensions import db
from ..geo.models import COMMUNE, DISTRICT, VILLAGE, Unit
from ..gifts.models import Distribution
from ..reports.indicators import Indicator, register
from .models import Donation, Spending


def _fund_by_unit(unit, period) -> dict[int, dict[str, int]]:
    """Per fund (the unit it belongs to): received in cash, in kind, both; spent (spending records and the
    distributions the fund paid for, as the fund's own page counts them)."""
    start, end = period.start_date, period.counted_until
    result: dict[int, dict[str, int]] = {}

    def add(unit_id, key, amount):
        values = result.setdefault(unit_id, {})
        values[key] = values.get(key, 0) + int(amount or 0)

    # A fund raised nothing, not "no data": the unit and its sub-units that keep a fund start at 0 (own values).
    for unit_id in db.session.scalars(select(Unit.id).where(or_(Unit.id == unit.id, Unit.parent_id == unit.id),
                                                            Unit.level != VILLAGE)):
        add(unit_id, "raised", 0)
    received = (select(Donation.unit_id, Unit.level, Donation.form, func.sum(Donation.value))
                .join(Unit, Unit.id == Donation.unit_id)
                .where(Donation.unit_id.in_(subtree_ids(unit)), Donation.status == "received",
                       Donation.given_on.between(start, end))
                .group_by(Donation.unit_id, Unit.level, Donation.form))
    for unit_id, level, form, amount in db.session.execute(received):
        add(unit_id, form, amount)
        add(unit_id, "raised", amount)
        if level in (DISTRICT, COMMUNE):
            add(unit_id, "raised_local", amount)
    spending = (select(Spending.unit_id, func.sum(Spending.amount))
                .where(Spending.unit_id.in_(subtree_ids(unit)), Spending.spent_on.between(start, end))
                .group_by(Spending.unit_id))
    value = Distribution.total
    paid = (select(Distribution.source_unit_id, func.sum(value))
            .where(Distribution.source == "fund", Distribution.source_unit_id.in_(subtree_ids(unit)),
                   Distribution.given_on.between(start, end))
            .group_by(Distribution.source_unit_id))
    for stmt in (spending, paid):
        for unit_id, amount in db.session.execute(stmt):
            add(unit_id, "spent", amount)
    return result


register(Indicator(
    "fund_raised", _l("Raised by this unit's own Child Support Fund, in cash and in kind"), "money",
    _l("Donations received by the unit's own fund, not by the funds of the units under it (pledges not yet "
       "received do not count)"), measures="T13", by_unit=_fund_by_unit, key="raised", own_value=True))
register(Indicator(
    "fund_raised_local", _l("Raised by the commune (and district) Child Support Funds"), "money",
    _l("Donations received by the funds of the communes (and of the districts before 01/7/2025) in the area; "
       "not counted in the provincial fund's target"), by_unit=_fund_by_unit, key="raised_local"))
register(Indicator(
    "fund_cash_raised", _l("Cash received by the Child Support Funds"), "money", _l("Donations received in cash"),
    by_unit=_fund_by_unit, key="cash"))
register(Indicator(
    "fund_in_kind_raised", _l("Goods received by the Child Support Funds, at their value"), "money",
    _l("Donations received in kind"), by_unit=_fund_by_unit, key="in_kind"))
register(Indicator(
    "fund_spent", _l("Spent by the Child Support Funds"), "money",
    _l("Fund spending and the distributions the funds paid for"), by_unit=_fund_by_unit, key="spent"))
