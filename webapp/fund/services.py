"""The fund's figures: received and pledged, spent (spending records and the distributions it paid), balance."""

from datetime import date

from sqlalchemy import func, select

from ..extensions import db
from ..gifts.services import fund_spending_total, funded_by
from .models import Donation, FundTarget, Spending

PROVINCE_TARGET_2023 = 1_000_000_000  # Kế hoạch 2023 của tỉnh Lào Cai, chỉ tiêu T13: ≥ 1 tỷ đồng


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
