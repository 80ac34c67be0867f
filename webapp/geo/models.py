"""Administrative units as a tree with a materialised path, so "everything under this unit" is one prefix query."""

from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint, event, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.attributes import set_committed_value

from ..core.models import ClientRecordMixin
from ..extensions import db

PROVINCE, DISTRICT, COMMUNE, VILLAGE = "province", "district", "commune", "village"
LEVELS = (PROVINCE, DISTRICT, COMMUNE, VILLAGE)
VILLAGE_KINDS = ("thôn", "bản", "tổ dân phố")

# SQLite uses an index for LIKE 'prefix%' only on a NOCASE column; paths hold digits and slashes, so NOCASE is exact.
PathType = String(255).with_variant(String(255, collation="NOCASE"), "sqlite")


class Unit(ClientRecordMixin, db.Model):
    __tablename__ = "units"
    __table_args__ = (
        UniqueConstraint("parent_id", "search_name", name="uq_units_parent_id_search_name"),
        Index("ix_units_path", "path", postgresql_ops={"path": "text_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    search_name: Mapped[str] = mapped_column(String(120), index=True)
    level: Mapped[str] = mapped_column(String(10), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    path: Mapped[str] = mapped_column(PathType, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Units and users refer to each other; use_alter lets the tables be sorted (the first migration adds this key
    # once both tables exist).
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", use_alter=True), index=True)

    parent: Mapped["Unit | None"] = relationship(remote_side=[id])

    @property
    def unit_id(self) -> int:
        """A unit lies in its own area: lets the scope and audit helpers treat it like any record."""
        return self.id

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def ancestor_ids(self) -> list[int]:
        """The ids on the unit's path, from the top of the tree down to the unit's own (the last)."""
        return [int(part) for part in self.path.split("/") if part]

    def contains(self, other: "Unit | None") -> bool:
        """Whether `other` lies in this unit's area: the unit itself or a unit under it."""
        return other is not None and other.path.startswith(self.path)

    @classmethod
    def in_area_of(cls, unit: "Unit"):
        """The SQL condition "a unit in `unit`'s area (itself or under it)": one indexed prefix match on the path."""
        return cls.path.like(f"{unit.path}%")

    def __repr__(self) -> str:
        return f"<Unit {self.id} {self.name!r} {self.level}>"


@event.listens_for(Unit, "after_insert")
def _set_path(mapper, connection, unit: Unit) -> None:
    """Every unit's path is its parent's path followed by its own id, written as soon as the id exists."""
    parent_path = ""
    if unit.parent_id is not None:
        parent_path = connection.scalar(select(Unit.path).where(Unit.id == unit.parent_id))
    path = f"{parent_path}{unit.id}/"
    connection.execute(update(Unit).where(Unit.id == unit.id).values(path=path))
    set_committed_value(unit, "path", path)
