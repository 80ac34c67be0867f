"""A yearly plan as data: its agencies, report periods, targets and the quantities of activities it sets.

Figures are integers so that reports compare them in SQL on SQLite and PostgreSQL alike: a percentage is kept in
hundredths of a percent (93% = 9300, 3,5% = 350), a count as the count, money as whole đồng, done/not done as 1/0.
"""

from datetime import date, timedelta

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import ClientRecordMixin
from ..extensions import db

# The 12 groups of activities of section III of the plan; the activity log uses the same codes.
ACTIVITY_GROUPS = (
    "communication", "training", "month_of_action", "forum", "support_model", "child_friendly",
    "recreation", "violence_prevention", "injury_prevention", "child_labour", "fundraising", "inspection",
)
TARGET_KINDS = ("percent", "count", "money", "done", "qualitative")
# at_least: reach the figure or more; at_most: stay at or below it (a rate to bring down); rising: more than the
# year before, no figure; none: qualitative.
DIRECTIONS = ("at_least", "at_most", "rising", "none")
PERIOD_CODES = ("half_year", "annual")
LEVELS = ("province", "district", "commune", "village")
PERCENT_SCALE = 100  # a percentage figure is stored in hundredths of a percent
# Districts were abolished on 01/7/2025 (two-level local government): a plan starting later sets nothing for them.
DISTRICTS_ENDED = date(2025, 7, 1)


class Agency(ClientRecordMixin, db.Model):
    """A department, union or office named in plans and activities; names are data, since they change."""

    __tablename__ = "agencies"
    __table_args__ = (UniqueConstraint("unit_id", "name", name="uq_agencies_unit_id_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # the province (or unit) it serves
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str | None] = mapped_column(String(60))
    level: Mapped[str] = mapped_column(String(10), default="province")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    valid_until: Mapped[date | None] = mapped_column(Date)  # the last day it held its role (dissolved, merged)
    # The agency that took over its role when it ended (Sở LĐ-TB&XH -> Sở Y tế for child protection, 01/3/2025).
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))

    successor: Mapped["Agency | None"] = relationship(remote_side=[id], foreign_keys=[successor_id])

    def __repr__(self) -> str:
        return f"<Agency {self.id} {self.short_name or self.name!r}>"

    @property
    def label(self) -> str:
        return self.short_name or self.name

    def in_force(self, day: date) -> bool:
        """Whether it held its role on `day` (for a period: on its first day or later)."""
        return self.valid_until is None or self.valid_until >= day

    def successor_on(self, day: date) -> "Agency | None":
        """The agency holding this one's role on `day`: itself if in force, else its successor's, following the
        chain (A -> B -> C); None when the chain ends in an agency no longer in force."""
        agency, seen = self, set()
        while agency is not None and not agency.in_force(day) and agency.id not in seen:
            seen.add(agency.id)
            agency = agency.successor
        return agency if agency is not None and agency.in_force(day) else None


plan_agencies = Table(
    "plan_agencies",
    db.metadata,
    Column("plan_id", ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True),
    Column("agency_id", ForeignKey("agencies.id"), primary_key=True, index=True),
)


class Plan(ClientRecordMixin, db.Model):
    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("unit_id", "year", name="uq_plans_unit_id_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # the province the plan covers
    year: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(300))
    issuing_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    lead_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    document_number: Mapped[str | None] = mapped_column(String(40))
    issued_on: Mapped[date | None] = mapped_column(Date)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    provincial_hotline: Mapped[str | None] = mapped_column(String(20))
    # The admin has confirmed the number (the plan's printed one is not confirmed elsewhere): only then does every
    # home page offer it as a number to call, beside 111 (concerns/_home.html).
    hotline_confirmed: Mapped[bool | None] = mapped_column(Boolean)
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))

    unit = relationship("Unit", foreign_keys=[unit_id])
    issuing_agency: Mapped[Agency | None] = relationship(foreign_keys=[issuing_agency_id])
    lead_agency: Mapped[Agency | None] = relationship(foreign_keys=[lead_agency_id])
    agencies: Mapped[list[Agency]] = relationship(secondary=plan_agencies, order_by=Agency.name)
    periods: Mapped[list["ReportPeriod"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="ReportPeriod.due_date")
    targets: Mapped[list["Target"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan",
        order_by=lambda: [Target.position, Target.unit_id.is_not(None), Target.id])  # a commune's after the plan's
    quantities: Mapped[list["PlanQuantity"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanQuantity.position")

    def __repr__(self) -> str:
        return f"<Plan {self.id} {self.year}>"


def _day_before_due(context) -> date | None:
    due = context.get_current_parameters().get("due_date")
    return due - timedelta(days=1) if due else None


class ReportPeriod(db.Model):
    """A period the plan reports on, the day its report is due (6-month: 15 May; annual: 10 October) and the day
    its figures are counted to (the data cut-off: by default the day before the due date, since a report due on
    15 May cannot count June). Records count from the period's start to `counted_until`; whether a report is on
    time is judged against the due date."""

    __tablename__ = "report_periods"
    __table_args__ = (UniqueConstraint("plan_id", "code", name="uq_report_periods_plan_id_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    cutoff_date: Mapped[date] = mapped_column(Date, default=_day_before_due)

    plan: Mapped[Plan] = relationship(back_populates="periods")

    @property
    def counted_until(self) -> date:
        """The last day whose records count: the period's end, or its data cut-off if earlier. Every feature's
        figures use it instead of `end_date`."""
        cutoff = self.cutoff_date or self.due_date - timedelta(days=1)
        return min(self.end_date, cutoff)

    def __repr__(self) -> str:
        return f"<ReportPeriod {self.plan_id} {self.code} due {self.due_date}>"


class Target(ClientRecordMixin, db.Model):
    """One target of a plan (T1…T14): what is measured, its figure and baseline in the kind's integer unit."""

    __tablename__ = "targets"
    # A code once for the whole plan (unit_id empty), and once more for each unit that has its own figure (a
    # commune's fund target T13). NULLs are distinct in a unique constraint, hence the partial index.
    __table_args__ = (
        UniqueConstraint("plan_id", "code", "unit_id", name="uq_targets_plan_id_code_unit_id"),
        Index("uq_targets_plan_id_code_whole", "plan_id", "code", unique=True,
              sqlite_where=text("unit_id IS NULL"), postgresql_where=text("unit_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(Integer, default=0)
    text_vi: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(12))
    direction: Mapped[str] = mapped_column(String(10), default="at_least")
    figure: Mapped[int | None] = mapped_column(BigInteger)
    baseline: Mapped[int | None] = mapped_column(BigInteger)
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))  # the unit it applies to, if not the plan's
    note: Mapped[str | None] = mapped_column(Text)

    plan: Mapped[Plan] = relationship(back_populates="targets")
    unit = relationship("Unit", foreign_keys=[unit_id])

    def __repr__(self) -> str:
        return f"<Target {self.code} of plan {self.plan_id}>"


class PlanQuantity(db.Model):
    """How many of an activity the plan sets: 9 training classes for 540 people, 1 provincial forum…"""

    __tablename__ = "plan_quantities"
    __table_args__ = (
        UniqueConstraint("plan_id", "code", name="uq_plan_quantities_plan_id_code"),
        Index("ix_plan_quantities_kind", "activity_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(Integer, default=0)
    activity_kind: Mapped[str] = mapped_column(String(20))
    text_vi: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    level: Mapped[str | None] = mapped_column(String(10))
    events: Mapped[int] = mapped_column(Integer)
    participants: Mapped[int | None] = mapped_column(Integer)
    adult_participants: Mapped[int | None] = mapped_column(Integer)
    child_participants: Mapped[int | None] = mapped_column(Integer)

    plan: Mapped[Plan] = relationship(back_populates="quantities")

    def __repr__(self) -> str:
        return f"<PlanQuantity {self.code} {self.activity_kind} x{self.events}>"
