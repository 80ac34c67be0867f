"""A children's forum, its training class, its delegates and their consents, check-ins and recommendations."""

import datetime as dt
from datetime import date, datetime, timedelta

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import files
from ..core.models import ClientRecordMixin, UTCDateTime
from ..extensions import db

# Thông tư 29/2019: forums are held by the province and the communes; district forums are kept for history only.
PROVINCE, DISTRICT, COMMUNE = "province", "district", "commune"
LEVELS = (PROVINCE, COMMUNE, DISTRICT)
REPORT_DAYS = 15  # a commune sends its forum report to the province within 15 days after the forum

MIN_AGE, AGE_LIMIT = 9, 16  # delegates are 9 to under 16 on the forum's day
CHILD_CONSENT_AGE = 7  # Nghị định 13/2023 Điều 20: a child of 7 or over consents too

DELEGATE, CHILD_FACILITATOR = "delegate", "child_facilitator"
ROLES = (DELEGATE, CHILD_FACILITATOR)

CHILD, GUARDIAN = "child", "guardian"
CONSENT_KINDS = (CHILD, GUARDIAN)
RELATIONS = ("self", "mother", "father", "grandparent", "sibling", "guardian", "other")
PAPER, IN_PERSON = "paper", "in_person"
METHODS = (PAPER, IN_PERSON)
PURPOSES = ("participate", "photos", "press", "recommendations")

TOPICS = ("violence_abuse", "drowning", "child_labour", "child_marriage", "school", "health", "play_spaces", "other")
RECEIVED, ANSWERED, IN_PROGRESS, DONE = "received", "answered", "in_progress", "done"
STATUSES = (RECEIVED, ANSWERED, IN_PROGRESS, DONE)


class Forum(ClientRecordMixin, db.Model):
    __tablename__ = "forums"
    __table_args__ = (Index("ix_forums_unit_id_date", "unit_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))  # the province, district or commune holding it
    level: Mapped[str] = mapped_column(String(10))
    date: Mapped[date] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(String(200))
    theme: Mapped[str] = mapped_column(String(300))
    report_sent_on: Mapped[dt.date | None] = mapped_column(Date)  # the commune's report sent to the province
    report_sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    unit = relationship("Unit", lazy="joined", innerjoin=True)
    training: Mapped["ForumTraining | None"] = relationship(back_populates="forum", uselist=False)

    def __repr__(self) -> str:
        return f"<Forum {self.id} {self.level} {self.date}>"

    @property
    def report_due(self) -> dt.date | None:
        """Only a commune's forum owes the province a report."""
        return self.date + timedelta(days=REPORT_DAYS) if self.level == COMMUNE else None


class ForumTraining(ClientRecordMixin, db.Model):
    """The class that trains adult facilitators (dẫn trình viên) and the children before the forum."""

    __tablename__ = "forum_trainings"

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    facilitators: Mapped[int] = mapped_column(Integer)
    children: Mapped[int] = mapped_column(Integer)
    girls: Mapped[int] = mapped_column(Integer, default=0)

    forum: Mapped[Forum] = relationship(back_populates="training")

    def __repr__(self) -> str:
        return f"<ForumTraining {self.id} forum {self.forum_id}>"


class Delegate(ClientRecordMixin, db.Model):
    """A child of the register taking part in a forum; the unit is the child's village, so scope follows the child."""

    __tablename__ = "forum_delegates"
    __table_args__ = (UniqueConstraint("forum_id", "child_id", name="uq_forum_delegates_forum_id_child_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=DELEGATE)
    walk_in: Mapped[bool] = mapped_column(Boolean, default=False)
    age_override_reason: Mapped[str | None] = mapped_column(Text)  # an officer let an older or younger child in
    photo: Mapped[str | None] = mapped_column(String(64))  # key of a portrait (core.files), shown only with consent

    forum: Mapped[Forum] = relationship()
    child = relationship("Child", lazy="joined", innerjoin=True)
    consents: Mapped[list["Consent"]] = relationship(back_populates="delegate", order_by="Consent.id")
    checkin: Mapped["CheckIn | None"] = relationship(back_populates="delegate", uselist=False)

    def __repr__(self) -> str:
        return f"<Delegate {self.id} forum {self.forum_id} child {self.child_id}>"

    def consent(self, kind: str) -> "Consent | None":
        """The consent of this kind in force: the latest one not withdrawn."""
        live = [c for c in self.consents if c.kind == kind and c.withdrawn_at is None]
        return live[-1] if live else None

    def needs_child_consent(self) -> bool:
        return self.child.age_at(self.forum.date) >= CHILD_CONSENT_AGE

    def consents_to(self, purpose: str) -> bool:
        """Both the child (from age 7) and a parent or guardian agree to `purpose`."""
        guardian = self.consent(GUARDIAN)
        if guardian is None or not getattr(guardian, purpose):
            return False
        if self.needs_child_consent():
            own = self.consent(CHILD)
            return own is not None and bool(getattr(own, purpose))
        return True

    @property
    def may_check_in(self) -> bool:
        return self.consents_to("participate")

    @property
    def name_shown(self) -> bool:
        return self.consents_to("participate")


class Consent(ClientRecordMixin, db.Model):
    """A child's own or a parent's or guardian's consent: who, how, when, for what; withdrawable at any time."""

    __tablename__ = "forum_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("forum_delegates.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # child or guardian
    given_by: Mapped[str] = mapped_column(String(120))
    relation: Mapped[str] = mapped_column(String(20))
    given_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(10))
    paper_photo: Mapped[str | None] = mapped_column(String(64))  # key of the signed paper's photo (core.files)
    participate: Mapped[bool] = mapped_column(Boolean, default=False)
    photos: Mapped[bool] = mapped_column(Boolean, default=False)
    press: Mapped[bool] = mapped_column(Boolean, default=False)
    recommendations: Mapped[bool] = mapped_column(Boolean, default=False)
    agencies: Mapped[str | None] = mapped_column(Text)  # the agencies recommendations may be passed to
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawal_note: Mapped[str | None] = mapped_column(Text)

    delegate: Mapped[Delegate] = relationship(back_populates="consents")

    def __repr__(self) -> str:
        return f"<Consent {self.id} {self.kind} delegate {self.delegate_id}>"


class CheckIn(ClientRecordMixin, db.Model):
    """A delegate present on the day: one small record per tap, so a replayed tap is recognised by its client_id."""

    __tablename__ = "forum_checkins"

    id: Mapped[int] = mapped_column(primary_key=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("forum_delegates.id", ondelete="CASCADE"), unique=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)

    delegate: Mapped[Delegate] = relationship(back_populates="checkin")

    def __repr__(self) -> str:
        return f"<CheckIn {self.id} delegate {self.delegate_id}>"


class Recommendation(ClientRecordMixin, db.Model):
    """A kiến nghị of the children, the answer or promise given at the dialogue, and what became of it."""

    __tablename__ = "forum_recommendations"
    __table_args__ = (Index("ix_forum_recommendations_status_agency", "status", "agency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # the forum's unit
    text: Mapped[str] = mapped_column(Text)
    topic: Mapped[str] = mapped_column(String(20), index=True)
    group: Mapped[str] = mapped_column(String(200))  # the group of children it came from, described without names
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("forum_delegates.id", ondelete="SET NULL"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    addressed_to: Mapped[str | None] = mapped_column(String(200))  # a leader, or an agency not in the list
    answer: Mapped[str | None] = mapped_column(Text)  # the answer or promise given at the dialogue
    status: Mapped[str] = mapped_column(String(12), default=RECEIVED)
    due_date: Mapped[date | None] = mapped_column(Date)

    forum: Mapped[Forum] = relationship()
    agency = relationship("Agency")
    presenter: Mapped[Delegate | None] = relationship()
    updates: Mapped[list["RecommendationUpdate"]] = relationship(
        back_populates="recommendation", order_by="RecommendationUpdate.id")

    def __repr__(self) -> str:
        return f"<Recommendation {self.id} {self.topic} {self.status}>"

    @property
    def addressee(self) -> str:
        parts = [self.agency.name if self.agency else "", self.addressed_to or ""]
        return " — ".join(p for p in parts if p)


class RecommendationUpdate(ClientRecordMixin, db.Model):
    """One step of the follow-up: the new status and what was done; a history that is never overwritten."""

    __tablename__ = "forum_recommendation_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("forum_recommendations.id", ondelete="CASCADE"),
                                                   index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(Text)
    on: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)

    recommendation: Mapped[Recommendation] = relationship(back_populates="updates")

    def __repr__(self) -> str:
        return f"<RecommendationUpdate {self.id} {self.status}>"


files.holds(Delegate.photo)
files.holds(Consent.paper_photo)
