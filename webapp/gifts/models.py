"""A distribution (one handing-out of gifts or scholarships in a round) and its receipts, one per child."""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import files
from ..core.models import ClientRecordMixin, UTCDateTime, utcnow
from ..extensions import db

OCCASIONS = ("tet", "children_day", "mid_autumn", "excellent_pupils", "action_month", "other")
KINDS = ("in_kind", "cash", "scholarship")
SOURCES = ("fund", "budget", "donor")


class Distribution(ClientRecordMixin, db.Model):
    __tablename__ = "distributions"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # village (or commune) where given
    commune_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    occasion: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(12))
    value_each: Mapped[int] = mapped_column(BigInteger)  # đồng per recipient
    item: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(10))
    source_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)  # whose fund or budget
    donor_name: Mapped[str | None] = mapped_column(String(200))
    given_on: Mapped[date] = mapped_column(Date, index=True)
    place: Mapped[str | None] = mapped_column(String(200))
    giver: Mapped[str | None] = mapped_column(String(200))
    group_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # counted, without names
    group_note: Mapped[str | None] = mapped_column(String(200))
    photo_sha256: Mapped[str | None] = mapped_column(String(64))  # the photo's key in the file store (core.files)
    photo_size: Mapped[int | None] = mapped_column(Integer)
    photo_type: Mapped[str | None] = mapped_column(String(20))

    unit = relationship("Unit", foreign_keys=[unit_id], lazy="joined", innerjoin=True)
    commune = relationship("Unit", foreign_keys=[commune_id])
    source_unit = relationship("Unit", foreign_keys=[source_unit_id])
    receipts: Mapped[list["Receipt"]] = relationship(back_populates="distribution", order_by="Receipt.id",
                                                     cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Distribution {self.id} {self.occasion} {self.year}>"

    @hybrid_property
    def recipients(self) -> int:
        """Named receipts plus the counted group; in a query, the same as an expression (the totals, the fund's
        spending and the figures sum it)."""
        return len(self.receipts) + self.group_count

    @recipients.inplace.expression
    @classmethod
    def _recipients_expression(cls):
        receipts = (select(func.count(Receipt.id)).where(Receipt.distribution_id == cls.id).correlate(cls)
                    .scalar_subquery())
        return receipts + cls.group_count

    @hybrid_property
    def total(self) -> int:
        """Đồng given: the value each times the recipients; in a query, the same as an expression."""
        return self.value_each * self.recipients

    @total.inplace.expression
    @classmethod
    def _total_expression(cls):
        return cls.value_each * cls.recipients


class Receipt(db.Model):
    """One child's receipt in a distribution. At most one receipt per child and round has first_in_round=True
    (a unique constraint; NULLs never clash), so a second one is always saved flagged, never silently."""

    __tablename__ = "gift_receipts"
    __table_args__ = (
        UniqueConstraint("distribution_id", "child_id", name="uq_gift_receipts_distribution_id_child_id"),
        UniqueConstraint("child_id", "occasion", "year", "first_in_round", name="uq_gift_receipts_round"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    distribution_id: Mapped[int] = mapped_column(ForeignKey("distributions.id", ondelete="CASCADE"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    occasion: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    first_in_round: Mapped[bool | None] = mapped_column(Boolean)  # True, or NULL for a second receipt
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(Text)  # an officer's reason for a second receipt
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    distribution: Mapped[Distribution] = relationship(back_populates="receipts")
    child = relationship("Child", lazy="joined", innerjoin=True)

    def __repr__(self) -> str:
        return f"<Receipt {self.child_id} in {self.distribution_id}{' flagged' if self.flagged else ''}>"

    @property
    def pending(self) -> bool:
        return self.flagged and not self.reason


files.holds(Distribution.photo_sha256)
