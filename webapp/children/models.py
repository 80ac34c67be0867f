"""A child of the register: who, born when, where they live, and (for officers only) their Điều 10 groups."""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import ClientRecordMixin, UTCDateTime
from ..extensions import db
from .data import CHILD_AGE_LIMIT, CHILD_CONSENT_AGE, ETHNICITIES


class Child(ClientRecordMixin, db.Model):
    __tablename__ = "children"
    __table_args__ = (
        Index("ix_children_commune_birth_year", "commune_id", "birth_year"),
        # The register's lists count the live children of an area, and the dashboard counts them by age, from this
        # index alone (the province's children counted by village: 750 ms reading the table, 70 ms from the index).
        Index("ix_children_live_ages", "unit_id", "merged_into_id", "erased_at", "birth_date", "birth_year", "sex",
              "special_groups"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(120))
    search_name: Mapped[str] = mapped_column(String(120), index=True)
    birth_date: Mapped[date | None] = mapped_column(Date)  # None when only the year is known
    birth_year: Mapped[int] = mapped_column(Integer)
    sex: Mapped[str] = mapped_column(String(1))  # "F" or "M"
    ethnicity: Mapped[str | None] = mapped_column(String(2))  # code of ETHNICITIES
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))  # the village
    commune_id: Mapped[int] = mapped_column(ForeignKey("units.id"))  # the village's commune, for duplicate checks
    school: Mapped[str | None] = mapped_column(String(120))
    school_class: Mapped[str | None] = mapped_column(String(20))
    guardian_name: Mapped[str | None] = mapped_column(String(120))
    guardian_phone: Mapped[str | None] = mapped_column(String(15))
    # Điều 10 letters, comma-separated
    special_groups: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # Consent to processing the child's data (Nghị định 13/2023 Điều 20; Luật Bảo vệ dữ liệu cá nhân 2025 Điều 24):
    # the parent's or guardian's, and the child's own from age 7. None on records made before consent was recorded.
    consent_by: Mapped[str | None] = mapped_column(String(120))  # who gave it
    consent_relation: Mapped[str | None] = mapped_column(String(12))  # code of CONSENT_RELATIONS
    consent_method: Mapped[str | None] = mapped_column(String(10))  # code of CONSENT_METHODS
    consent_on: Mapped[date | None] = mapped_column(Date)
    consent_child: Mapped[bool | None] = mapped_column(Boolean)  # the child (7 or over on consent_on) agreed too
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    village = relationship("Unit", foreign_keys=[unit_id], lazy="joined", innerjoin=True)
    commune = relationship("Unit", foreign_keys=[commune_id])

    def __repr__(self) -> str:
        return f"<Child {self.id} {self.birth_year}>"

    @property
    def groups(self) -> list[str]:
        return [g for g in (self.special_groups or "").split(",") if g]

    @property
    def ethnicity_name(self) -> str:
        return ETHNICITIES.get(self.ethnicity or "", "")

    @property
    def active(self) -> bool:
        return self.merged_into_id is None and self.erased_at is None

    @property
    def consent_recorded(self) -> bool:
        return bool(self.consent_by and self.consent_method and self.consent_on)

    def needs_child_consent(self, on: date) -> bool:
        """Nghị định 13/2023 Điều 20: a child of 7 or over consents as well as the parent or guardian."""
        return self.age_at(on) >= CHILD_CONSENT_AGE

    def age_at(self, on: date) -> int:
        """Age in whole years on a day; with only the birth year known, the age reached during that year."""
        if self.birth_date is None:
            return on.year - self.birth_year
        born = self.birth_date
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    def is_child_at(self, on: date) -> bool:
        """Luật Trẻ em Điều 1: only under-16s count as children."""
        return 0 <= self.age_at(on) < CHILD_AGE_LIMIT
