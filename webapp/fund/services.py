"""The fund's figures: received and pledged, spent (spending records and the distributions it paid), balance."""

from datetime import date

from sqlalchemy import func, select

from ..core import audit
from ..extensions import db
from ..gifts.services import fund_spending_total, funded_by
from ..plans import services as plan_services
from .models import Donation, FundTarget, Spending

PLAN_TARGET_CODE = "T13"  # the plan's target for the money the provincial fund raises


def target_from_plan(plan, user=None) -> FundTarget | None:
    """The plan's T13 (money the provincial fund raises) becomes the fund's target for the plan's year, when the
    plan is loaded or copied; a commune's own T13 becomes its fund's target. A target already set for that fund and
    year (an admin's) is kept as it is. Returns the province's."""
    first = None
    for target in (t for t in plan.targets if t.code == PLAN_TARGET_CODE and t.figure):
        unit_id = target.unit_id or plan.unit_id
        with db.session.no_autoflush:
            row = db.session.scalar(select(FundTarget).where(FundTarget.unit_id == unit_id,
                                                             FundTarget.year == plan.year))
        if row is None:
            row = FundTarget(unit_id=unit_id, year=plan.year, amount=target.figure, plan_target_ref=PLAN_TARGET_CODE)
            db.session.add(row)
            audit.record("set_target", None, unit_id=unit_id, user=user, year=plan.year, amount=target.figure,
                         via=f"plan {PLAN_TARGET_CODE}")
        first = first or row
    return first


plan_services.PLAN_HOOKS.append(target_from_plan)


def _sum(stmt) -> int:
    return int(db.session.scalar(stmt) or 0)


def summary(unit_id: int, year: int) -> dict:
    """The figures of one unit's fund: the year's donations against its target, and the all-time balance."""
    donations = select(func.coalesce(func.sum(Donation.value), 0)).where(Donation.unit_id == unit_id)
    in_year = donations.where(Donation.given_on >= date(year, 1, 1), Donation.given_on <= date(year, 12, 31))
    received_all = _sum(donations.where(Donation.status == "received"))
    spent_records = _sum(select(func.coalesce(func.sum(Spending.amount), 0)).where(Spending.unit_id == unit_id))
    spent_distributions = fund_spending_total(unit_id)
    target = db.session.scalar(select(FundTarget).where(FundTarget.unit_id == unit_id, FundTarget.year == year))
    received_year = _sum(in_year.where(Donation.status == "received"))
    return {
        "received_year": received_year,
        "pledged_year": _sum(in_year.where(Donation.status == "pledged")),
        "received_all": received_all,
        "spent_records": spent_records,
        "spent_distributions": spent_distributions,
        "spent": spent_records + spent_distributions,
        "balance": received_all - spent_records - spent_distributions,
        "target": target,
        "progress": min(100, round(100 * received_year / target.amount)) if target and target.amount else None,
    }


def donors(unit_id: int):
    """Each donor (by name, accents and case aside) with the number and total of their donations."""
    return db.session.execute(
        select(func.min(Donation.donor_name), func.count(), func.sum(Donation.value),
               func.sum(Donation.value).filter(Donation.status == "received"))
        .where(Donation.unit_id == unit_id).group_by(Donation.donor_key)
        .order_by(func.sum(Donation.value).desc())
    ).all()


def spending_lines(unit_id: int) -> list[tuple[date, str, int, object]]:
    """Every spending of the fund, newest first: the records and the distributions it paid for."""
    lines = [(s.spent_on, s.purpose, s.amount, None) for s in
             db.session.scalars(select(Spending).where(Spending.unit_id == unit_id))]
    for distribution, total in db.session.execute(funded_by(unit_id)).all():
        lines.append((distribution.given_on, distribution.item, int(total), distribution))
    return sorted(lines, key=lambda line: line[0], reverse=True)
