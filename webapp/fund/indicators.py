"""The child protection fund's figures for dashboards and reports: money raised (received, in cash and in kind)
and spent, by each unit's fund. The plan's T13 (the provincial fund raises at least 1 tỷ đồng) is measured here:
at the province it is what the funds of the province and of every unit under it received in the period. A pledge
counts only once the money or goods are received."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..core.scope import subtree_ids
from ..extensions import db
from ..gifts.models import Distribution
from ..gifts.services import _value_column
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

    received = (select(Donation.unit_id, Donation.form, func.sum(Donation.value))
                .where(Donation.unit_id.in_(subtree_ids(unit)), Donation.status == "received",
                       Donation.given_on.between(start, end))
                .group_by(Donation.unit_id, Donation.form))
    for unit_id, form, amount in db.session.execute(received):
        add(unit_id, form, amount)
        add(unit_id, "raised", amount)
    spending = (select(Spending.unit_id, func.sum(Spending.amount))
                .where(Spending.unit_id.in_(subtree_ids(unit)), Spending.spent_on.between(start, end))
                .group_by(Spending.unit_id))
    value, _count = _value_column()
    paid = (select(Distribution.source_unit_id, func.sum(value))
            .where(Distribution.source == "fund", Distribution.source_unit_id.in_(subtree_ids(unit)),
                   Distribution.given_on.between(start, end))
            .group_by(Distribution.source_unit_id))
    for stmt in (spending, paid):
        for unit_id, amount in db.session.execute(stmt):
            add(unit_id, "spent", amount)
    return result


register(Indicator(
    "fund_raised", _l("Raised by the Child Support Funds, in cash and in kind"), "money",
    _l("Donations received by the funds (pledges not yet received do not count)"), measures="T13",
    by_unit=_fund_by_unit, key="raised"))
register(Indicator(
    "fund_cash_raised", _l("Cash received by the Child Support Funds"), "money", _l("Donations received in cash"),
    by_unit=_fund_by_unit, key="cash"))
register(Indicator(
    "fund_in_kind_raised", _l("Goods received by the Child Support Funds, at their value"), "money",
    _l("Donations received in kind"), by_unit=_fund_by_unit, key="in_kind"))
register(Indicator(
    "fund_spent", _l("Spent by the Child Support Funds"), "money",
    _l("Fund spending and the distributions the funds paid for"), by_unit=_fund_by_unit, key="spent"))
