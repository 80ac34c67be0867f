"""One record type for the plan's 12 groups of activities, stored so that reports aggregate with plain SQL.

Everything a report sums is a real integer column on `activities` (audience by age and sex, gifts, money) or a row
in a child table (topics and other multiple choices, materials by kind, named participants, the 13 criteria of a
child-friendly commune's self-assessment). Kind-specific details that are never summed sit in `details` (JSON text).
"""

import json
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import ClientRecordMixin, UTCDateTime
from ..extensions import db
from ..plans.models import ACTIVITY_GROUPS, Agency
from ..plans.models import LEVELS as LEVELS  # the levels of an event, shared with plan quantities

KINDS = ACTIVITY_GROUPS
DRAFT, SUBMITTED, APPROVED, RETURNED = "draft", "submitted", "approved", "returned"
STATUSES = (DRAFT, SUBMITTED, APPROVED, RETURNED)
FUNDING_SOURCES = ("national_programme", "provincial_budget", "local_budget", "donations")
CHANNELS = ("community_talk", "school_talk", "loudspeaker", "television", "press", "online")
TALKS = ("community_talk", "school_talk")  # given to people in a room: a talk records its audience and topics
TOPICS = ("children_law", "violence_abuse", "injury_drowning", "child_labour", "hotlines")
MATERIALS = ("booklet", "leaflet", "poster", "banner")
PARTICIPANT_ROLES = ("collaborator", "volunteer", "party_secretary", "village_head", "parent", "teacher", "officer",
                     "other")
# The facets of the multiple choices kept as rows in activity_tags, and their codes.
FACETS = {
    "topic": TOPICS,
    "audience": ("collaborators", "volunteers", "party_secretaries", "village_heads", "parents_caregivers",
                 "children_in_school", "children_out_of_school"),
    "model": ("referral_alternative_care", "leaders_of_change", "service_connection", "drowning_prevention",
              "child_labour_prevention", "abandoned_orphaned_disabled"),
    "model_step": ("kickoff", "survey", "plan", "training", "communication", "monitoring"),
    "action": ("materials_to_schools", "monitoring_at_risk", "reports_received", "case_support_plan"),
    "setting": ("safe_school", "safe_community", "safe_home", "drowning_project"),
    "reached": ("companies", "employers", "families", "children"),
    "donor": ("agencies", "companies", "individuals", "international"),
    "check": ("programmes_plans", "child_friendly_criteria", "health_insurance_under6", "child_database"),
    "recreation": ("culture_sports", "visits_gifts", "scholarships", "award_ceremony"),
}
CRITERIA = tuple(range(1, 14))  # the 13 criteria of Quyết định 06/QĐ-TTg (03/01/2019)
THRESHOLDS = (800, 850, 900)
MAX_COUNT = 100_000
MAX_AMOUNT = 10**12

activity_agencies = Table(
    "activity_agencies",
    db.metadata,
    Column("activity_id", ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True),
    Column("agency_id", ForeignKey("agencies.id"), primary_key=True, index=True),
)


class Activity(ClientRecordMixin, db.Model):
    __tablename__ = "activities"
    __table_args__ = (
        Index("ix_activities_unit_id_date", "unit_id", "date"),
        Index("ix_activities_kind_date", "kind", "date"),
        Index("ix_activities_plan_id_kind", "plan_id", "kind"),
        # Lists count what waits for review and page through an area: both answered from these indexes alone.
        Index("ix_activities_unit_id_status", "unit_id", "status", "deleted_at"),
        Index("ix_activities_status_deleted_at", "status", "deleted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    date: Mapped[date] = mapped_column(Date, index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))  # the commune or village where it took place
    venue: Mapped[str | None] = mapped_column(String(200))
    lead_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    funding_source: Mapped[str | None] = mapped_column(String(20), index=True)
    amount_spent: Mapped[int | None] = mapped_column(BigInteger)  # whole đồng
    notes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=SUBMITTED)
    review_comment: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # An officer may log an activity dated outside its plan's year (a late event of last year's plan).
    outside_plan_year: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    channel: Mapped[str | None] = mapped_column(String(20), index=True)  # communication
    level: Mapped[str | None] = mapped_column(String(10))  # Month of Action, forum, fundraising

    # The audience: parts never exceed their whole (men + women <= adults, boys + girls <= children,
    # adults + children <= total, ethnic minority <= total).
    audience_total: Mapped[int | None] = mapped_column(Integer)
    adults: Mapped[int | None] = mapped_column(Integer)
    adult_men: Mapped[int | None] = mapped_column(Integer)
    adult_women: Mapped[int | None] = mapped_column(Integer)
    children: Mapped[int | None] = mapped_column(Integer)
    boys: Mapped[int | None] = mapped_column(Integer)
    girls: Mapped[int | None] = mapped_column(Integer)
    ethnic_minority: Mapped[int | None] = mapped_column(Integer)

    gifts_count: Mapped[int | None] = mapped_column(Integer)
    gifts_value: Mapped[int | None] = mapped_column(BigInteger)  # đồng
    scholarships_count: Mapped[int | None] = mapped_column(Integer)
    scholarships_value: Mapped[int | None] = mapped_column(BigInteger)  # đồng
    money_raised: Mapped[int | None] = mapped_column(BigInteger)  # đồng, cash
    in_kind_value: Mapped[int | None] = mapped_column(BigInteger)  # đồng, goods given
    cases_handled: Mapped[int | None] = mapped_column(Integer)  # violence and abuse reports handled

    # Child-friendly commune self-assessment: the total of the 13 scores, the threshold that applies, the result.
    assessment_threshold: Mapped[int | None] = mapped_column(SmallInteger)
    assessment_total: Mapped[int | None] = mapped_column(Integer)
    assessment_met: Mapped[bool | None] = mapped_column(Boolean)

    details: Mapped[str | None] = mapped_column(Text)  # JSON: kind-specific facts that are never summed

    unit = relationship("Unit", foreign_keys=[unit_id], lazy="joined", innerjoin=True)
    plan = relationship("Plan", foreign_keys=[plan_id])
    lead_agency: Mapped[Agency | None] = relationship(foreign_keys=[lead_agency_id])
    agencies: Mapped[list[Agency]] = relationship(secondary=activity_agencies, order_by=Agency.name)
    created_by = relationship("User", foreign_keys="Activity.created_by_id")
    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id])
    tags: Mapped[list["ActivityTag"]] = relationship(cascade="all, delete-orphan", back_populates="activity")
    materials: Mapped[list["ActivityMaterial"]] = relationship(cascade="all, delete-orphan",
                                                               back_populates="activity")
    participants: Mapped[list["ActivityParticipant"]] = relationship(
        cascade="all, delete-orphan", back_populates="activity", order_by="ActivityParticipant.position")
    scores: Mapped[list["ActivityScore"]] = relationship(
        cascade="all, delete-orphan", back_populates="activity", order_by="ActivityScore.criterion")

    def __repr__(self) -> str:
        return f"<Activity {self.id} {self.kind} {self.date}>"

    @property
    def detail_dict(self) -> dict:
        return json.loads(self.details) if self.details else {}

    def codes(self, facet: str) -> list[str]:
        return [t.code for t in self.tags if t.facet == facet]


class ActivityTag(db.Model):
    """One choice of a multiple-choice facet: a topic, an audience group, a model, an item checked…"""

    __tablename__ = "activity_tags"
    __table_args__ = (Index("ix_activity_tags_facet_code", "facet", "code"),)

    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    facet: Mapped[str] = mapped_column(String(20), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)

    activity: Mapped[Activity] = relationship(back_populates="tags")

    def __repr__(self) -> str:
        return f"<ActivityTag {self.activity_id} {self.facet}={self.code}>"


class ActivityMaterial(db.Model):
    """How many of one kind of material (booklets, leaflets, posters, banners) were handed out."""

    __tablename__ = "activity_materials"
    __table_args__ = (Index("ix_activity_materials_kind", "kind"),)

    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer)

    activity: Mapped[Activity] = relationship(back_populates="materials")

    def __repr__(self) -> str:
        return f"<ActivityMaterial {self.activity_id} {self.kind} x{self.quantity}>"


class ActivityParticipant(db.Model):
    """A named adult who attended a training class: name, role, village."""

    __tablename__ = "activity_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20), index=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)

    activity: Mapped[Activity] = relationship(back_populates="participants")
    village = relationship("Unit", foreign_keys=[village_id])

    def __repr__(self) -> str:
        return f"<ActivityParticipant {self.activity_id} {self.name!r}>"


class ActivityScore(db.Model):
    """The score a commune gives itself on one of the 13 criteria of a child-friendly commune."""

    __tablename__ = "activity_scores"

    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    criterion: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    score: Mapped[int] = mapped_column(Integer)

    activity: Mapped[Activity] = relationship(back_populates="scores")

    def __repr__(self) -> str:
        return f"<ActivityScore {self.activity_id} #{self.criterion}={self.score}>"
