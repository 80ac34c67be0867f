"""A report about a child at risk (Nghị định 56/2017/NĐ-CP Mẫu số 01) and the steps of handling it.

The report is filed on the commune that receives it (`unit_id`, the commune of the village where it happened, or of
the child's village when the child is named and moves). Only that commune's officers and the province's admin open
it (concerns.services.may_open); a named child's visibility and erasure apply on top."""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import ClientRecordMixin, UTCDateTime
from ..extensions import db


class Concern(ClientRecordMixin, db.Model):
    __tablename__ = "concerns"
    __table_args__ = (Index("ix_concerns_unit_status", "unit_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))  # the commune that handles it
    village_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))  # where it was seen
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)
    child_description: Mapped[str | None] = mapped_column(Text)  # the child in words, when not chosen
    kind: Mapped[str] = mapped_column(String(20))
    what: Mapped[str] = mapped_column(Text)  # what was seen or heard
    place: Mapped[str | None] = mapped_column(String(200))
    happened_on: Mapped[date] = mapped_column(Date)
    in_danger: Mapped[bool] = mapped_column(Boolean)
    reporter_name: Mapped[str | None] = mapped_column(String(120))
    reporter_contact: Mapped[str | None] = mapped_column(String(120))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)  # when the server (the commune) got it
    status: Mapped[str] = mapped_column(String(20), default="received")
    # What the steps recorded, kept here for the lists, the clock on home and the indicators.
    verified: Mapped[bool | None] = mapped_column(Boolean)
    verified_on: Mapped[date | None] = mapped_column(Date)
    assessed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assessed_in_time: Mapped[bool | None] = mapped_column(Boolean)  # within 12 hours of received_at
    emergency_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    plan_approved_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    referred_to: Mapped[str | None] = mapped_column(String(20))
    referred_on: Mapped[date | None] = mapped_column(Date)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    unit = relationship("Unit", foreign_keys=[unit_id])
    village = relationship("Unit", foreign_keys=[village_id])
    child = relationship("Child")
    steps = relationship("ConcernStep", back_populates="concern", order_by="ConcernStep.id",
                         cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Concern {self.id} {self.kind} {self.status}>"


class ConcernStep(ClientRecordMixin, db.Model):
    """One step of a case, as the decree sets them: who did it, when, and what it found or decided."""

    __tablename__ = "concern_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("concerns.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))  # the concern's commune, for the audit
    step: Mapped[str] = mapped_column(String(20))
    done_at: Mapped[datetime] = mapped_column(UTCDateTime)
    done_by: Mapped[str] = mapped_column(String(120))
    outcome: Mapped[str | None] = mapped_column(String(20))  # verify: true/not_true; review: close/replan
    risk: Mapped[str | None] = mapped_column(String(10))
    harm: Mapped[str | None] = mapped_column(String(10))
    emergency: Mapped[bool | None] = mapped_column(Boolean)
    emergency_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_on: Mapped[date | None] = mapped_column(Date)
    approved_by: Mapped[str | None] = mapped_column(String(120))  # the Chủ tịch UBND xã who approved the plan
    approved_on: Mapped[date | None] = mapped_column(Date)
    referred_to: Mapped[str | None] = mapped_column(String(20))
    whom: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str | None] = mapped_column(Text)  # findings, measures, the plan, what was done

    concern = relationship("Concern", back_populates="steps")
