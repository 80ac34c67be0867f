"""Donations to and spending from the fund of a unit, and the fund's yearly target."""

from datetime import date

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import ClientRecordMixin, TimestampMixin
from ..extensions import db

DONOR_KINDS = ("person", "organisation")
FORMS = ("cash", "in_kind")
STATUSES = ("pledged", "received")


class Donation(ClientRecordMixin, db.Model):
    __tablename__ = "fund_donations"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # whose fund
    donor_name: Mapped[str] = mapped_column(String(200))
    donor_key: Mapped[str] = mapped_column(String(200), index=True)  # folded name: one donor, many donations
    donor_kind: Mapped[str] = mapped_column(String(12))
    form: Mapped[str] = mapped_column(String(8))
    item: Mapped[str | None] = mapped_column(String(200))  # what was given in kind
    value: Mapped[int] = mapped_column(BigInteger)  # đồng; for in kind, its value
    status: Mapped[str] = mapped_column(String(8))
    given_on: Mapped[date] = mapped_column(Date, index=True)
    receipt_no: Mapped[str | None] = mapped_column(String(40))

    unit = relationship("Unit", lazy="joined", innerjoin=True)

    def __repr__(self) -> str:
        return f"<Donation {self.id} {self.value} {self.status}>"


class Spending(ClientRecordMixin, db.Model):
    """Spending not recorded as a distribution (those count by themselves): an activity, support to a child."""

    __tablename__ = "fund_spending"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    spent_on: Mapped[date] = mapped_column(Date, index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    purpose: Mapped[str] = mapped_column(String(200))
    activity_ref: Mapped[str | None] = mapped_column(String(40))  # an activity's id, linked when activities exist

    def __repr__(self) -> str:
        return f"<Spending {self.id} {self.amount}>"


class FundTarget(TimestampMixin, db.Model):
    """How much a fund aims to raise in a year (the plan's T13: at least 1 tỷ đồng for the province in 2023);
    plan_target_ref links it to the plans feature's target once that exists."""

    __tablename__ = "fund_targets"
    __table_args__ = (UniqueConstraint("unit_id", "year", name="uq_fund_targets_unit_id_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(BigInteger)
    plan_target_ref: Mapped[str | None] = mapped_column(String(40))

    def __repr__(self) -> str:
        return f"<FundTarget {self.unit_id} {self.year} {self.amount}>"
