"""Creating, finding, merging, exporting and erasing children; other features hook into merge and export."""

from collections.abc import Callable
from datetime import date
from difflib import SequenceMatcher

from sqlalchemy import select, update

from ..core import audit
from ..core.models import utcnow
from ..core.scope import scoped, subtree_ids
from ..core.text import clean, fold, like_pattern
from ..extensions import db
from ..geo.models import VILLAGE, Unit
from .data import ETHNICITIES, SEXES, SPECIAL_GROUPS
from .models import Child

SIMILARITY = 0.85  # folded names at least this alike, same birth year, same commune: maybe the same child

# Features whose records point at a child register here what a merge or an export must do with them:
# merge hooks run before the generic move of every foreign key to children.id; export hooks add their records.
MERGE_HOOKS: list[Callable[[Child, Child], None]] = []
EXPORT_HOOKS: list[Callable[[Child], dict]] = []
# ...and what a child's page lists of them: [(title, [line, ...]), ...]
HISTORY_HOOKS: list[Callable[[Child], list[tuple[str, list[str]]]]] = []


def villages_of(user) -> list[Unit]:
    """The villages of a user's area, the places a child can live."""
    return list(db.session.scalars(
        select(Unit).where(Unit.id.in_(subtree_ids(user.unit)), Unit.level == VILLAGE).order_by(Unit.path)
    ))


def children_query(user, query: str = "", village_id: int | None = None):
    """The active children a user may see, matching a name typed with or without accents."""
    stmt = scoped(select(Child), Child.unit_id, user).where(Child.merged_into_id.is_(None), Child.erased_at.is_(None))
    if query:
        stmt = stmt.where(Child.search_name.like(like_pattern(query), escape="\\"))
    if village_id:
        stmt = stmt.where(Child.unit_id == village_id)
    return stmt.order_by(Child.search_name, Child.id)


def possible_duplicates(full_name: str, birth_year: int, commune_id: int, exclude_id: int | None = None) -> list[Child]:
    """Children of the same commune and birth year whose name is the same or nearly so, accents aside."""
    folded = fold(full_name)
    candidates = db.session.scalars(
        select(Child).where(Child.commune_id == commune_id, Child.birth_year == birth_year,
                            Child.merged_into_id.is_(None), Child.erased_at.is_(None))
    )
    return [c for c in candidates
            if c.id != exclude_id and SequenceMatcher(None, folded, c.search_name).ratio() >= SIMILARITY]


def build_child(data: dict, village: Unit, may_set_groups: bool) -> Child:
    """A new child from a form's data, not yet saved."""
    from ..accounts.services import normalise_phone

    name = clean(data["full_name"])
    birth_date = data.get("birth_date")
    child = Child(
        full_name=name, search_name=fold(name), birth_date=birth_date,
        birth_year=birth_date.year if birth_date else data["birth_year"],
        sex=data["sex"], ethnicity=data.get("ethnicity") or None, unit_id=village.id, commune_id=village.parent_id,
        school=clean(data.get("school")) or None, school_class=clean(data.get("school_class")) or None,
        guardian_name=clean(data.get("guardian_name")) or None,
        guardian_phone=normalise_phone(data.get("guardian_phone") or "") or None,
        special_groups="",
    )
    if may_set_groups:
        child.special_groups = ",".join(g for g in SPECIAL_GROUPS if g in (data.get("special_groups") or []))
    return child


def merge(duplicate: Child, kept: Child, user) -> int:
    """Merge `duplicate` into `kept`: every record pointing at the duplicate moves to the kept child, the duplicate
    stays as a pointer (so history and old links still lead somewhere). Returns how many records moved."""
    for hook in MERGE_HOOKS:
        hook(duplicate, kept)
    moved = 0
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name != Child.__tablename__ or fk.parent is Child.__table__.c.merged_into_id:
                continue
            result = db.session.execute(
                update(table).where(fk.parent == duplicate.id).values({fk.parent.name: kept.id})
            )
            moved += result.rowcount or 0
    # Children merged earlier into the duplicate now point at the kept child too.
    db.session.execute(update(Child).where(Child.merged_into_id == duplicate.id).values(merged_into_id=kept.id))
    duplicate.merged_into_id = kept.id
    duplicate.version += 1
    audit.record("merge", duplicate, user=user, kept_id=kept.id, records_moved=moved)
    audit.record("merge_kept", kept, user=user, merged_id=duplicate.id, records_moved=moved)
    db.session.commit()
    return moved


def export_data(child: Child) -> dict:
    """Everything the register holds about a child, for a guardian's request to see it."""
    data = {
        "id": child.id,
        "full_name": child.full_name,
        "birth_date": child.birth_date.isoformat() if child.birth_date else None,
        "birth_year": child.birth_year,
        "sex": str(SEXES.get(child.sex, child.sex)),
        "ethnicity": ETHNICITIES.get(child.ethnicity or ""),
        "village": child.village.name,
        "commune": child.commune.name if child.commune else None,
        "school": child.school,
        "class": child.school_class,
        "guardian_name": child.guardian_name,
        "guardian_phone": child.guardian_phone,
        "special_groups": [f"{g}) {SPECIAL_GROUPS[g]}" for g in child.groups if g in SPECIAL_GROUPS],
        "registered_at": child.created_at.isoformat() if child.created_at else None,
    }
    for hook in EXPORT_HOOKS:
        data.update(hook(child))
    return data


def erase(child: Child, user) -> None:
    """Erase a child's personal data on a guardian's request: only what anonymous counts need stays
    (birth year, sex, village), so totals of past distributions still add up."""
    child.full_name = ""
    child.search_name = ""
    child.birth_date = None
    child.ethnicity = None
    child.school = child.school_class = None
    child.guardian_name = child.guardian_phone = None
    child.special_groups = ""
    child.erased_at = utcnow()
    child.version += 1
    audit.record("erase", child, user=user)
    db.session.commit()


def today() -> date:
    return date.today()
