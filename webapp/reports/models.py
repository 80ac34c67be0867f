"""A unit's report for a period of the plan, and the values an officer enters for what records cannot give."""

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import ClientRecordMixin, UTCDateTime
from ..extensions import db

NOT_STARTED, DRAFT, SUBMITTED, RETURNED, ACCEPTED = "not_started", "draft", "submitted", "returned", "accepted"
STATUSES = (NOT_STARTED, DRAFT, SUBMITTED, RETURNED, ACCEPTED)
EDITABLE = (NOT_STARTED, DRAFT, RETURNED)


class Report(ClientRecordMixin, db.Model):
    """The 6-month or annual report of one unit: its status and the parts the officer writes. The numbers are
    never stored: they are computed from the records whenever the report is shown or exported."""

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("period_id", "unit_id", name="uq_reports_period_id_unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("report_periods.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=DRAFT, index=True)
    number: Mapped[str | None] = mapped_column(String(40))  # "45/BC-UBND"
    place: Mapped[str | None] = mapped_column(String(80))  # of the place and date line
    report_date: Mapped[date | None] = mapped_column(Date)
    results: Mapped[str | None] = mapped_column(Text)
    shortcomings: Mapped[str | None] = mapped_column(Text)
    next_tasks: Mapped[str | None] = mapped_column(Text)  # directions and tasks for the next period
    proposals: Mapped[str | None] = mapped_column(Text)
    recipients: Mapped[str | None] = mapped_column(Text)  # "Nơi nhận", one a line
    signer_title: Mapped[str | None] = mapped_column(String(120))
    signer_name: Mapped[str | None] = mapped_column(String(120))
    first_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # decides on time or late
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review_comment: Mapped[str | None] = mapped_column(Text)

    period = relationship("ReportPeriod")
    unit = relationship("Unit", foreign_keys=[unit_id])

    def __repr__(self) -> str:
        return f"<Report {self.id} period {self.period_id} unit {self.unit_id} {self.status}>"


class EnteredValue(ClientRecordMixin, db.Model):
    """A figure an officer enters for a goal that records cannot give (T1 from the national child database…),
    for one unit and period, with where it comes from."""

    __tablename__ = "entered_values"
    __table_args__ = (
        UniqueConstraint("period_id", "unit_id", "goal", name="uq_entered_values_period_id_unit_id_goal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("report_periods.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    goal: Mapped[str] = mapped_column(String(20))  # a target code (T1) or a plan quantity (Q3)
    value: Mapped[int] = mapped_column(BigInteger)  # in the goal's integer unit (hundredths of a percent…)
    source: Mapped[str] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"<EnteredValue {self.goal} unit {self.unit_id} period {self.period_id} = {self.value}>"


class PopulationFigure(ClientRecordMixin, db.Model):
    """The number of children aged 6 to 15 of a unit in a plan's year, from the population statistics, with its
    source ("Chi cục Thống kê, số liệu 2022"): the denominator of the plan's swim shares (T6, T7). The register's
    count is no denominator: it holds the children someone entered, largely those of the swim courses."""

    __tablename__ = "population_figures"
    __table_args__ = (UniqueConstraint("unit_id", "year", name="uq_population_figures_unit_id_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)  # the plan's year the figure serves
    children_6_15: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)

    unit = relationship("Unit", foreign_keys=[unit_id])

    def __repr__(self) -> str:
        return f"<PopulationFigure unit {self.unit_id} {self.year} = {self.children_6_15}>"


class Recognition(ClientRecordMixin, db.Model):
    """A decision recognising a commune as meeting the child-friendly standard (xã, phường phù hợp với trẻ em,
    Quyết định 06/QĐ-TTg of 03/01/2019): its number, date and the body that decided (the district chairman before
    01/7/2025, the province's since). The plan's T12 counts these, not the communes' self-assessments."""

    __tablename__ = "child_friendly_recognitions"
    __table_args__ = (
        UniqueConstraint("unit_id", "decided_on", name="uq_child_friendly_recognitions_unit_id_decided_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # the commune recognised
    decision_number: Mapped[str] = mapped_column(String(40))  # "1234/QĐ-UBND"
    decided_on: Mapped[date] = mapped_column(Date, index=True)
    deciding_level: Mapped[str] = mapped_column(String(10))  # district | province
    deciding_body: Mapped[str] = mapped_column(String(200))  # "Chủ tịch UBND huyện Bát Xát"
    valid_until: Mapped[date | None] = mapped_column(Date)  # when the decision says, or it is withdrawn
    note: Mapped[str | None] = mapped_column(Text)

    unit = relationship("Unit", foreign_keys=[unit_id])

    def __repr__(self) -> str:
        return f"<Recognition {self.decision_number} unit {self.unit_id} {self.decided_on}>"
