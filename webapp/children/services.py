"""Creating, finding, merging, exporting and erasing children; other features hook into merge and export."""

from collections.abc import Callable
from datetime import date
from difflib import SequenceMatcher

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, extract, func, select, update

from ..accounts.models import User
from ..accounts.services import normalise_phone
from ..core import audit, clock, edits
from ..core import erasure as core_erasure
from ..core.erasure import Erasure
from ..core.models import utcnow
from ..core.scope import child_in_scope, scoped, subtree_ids
from ..core.text import clean, fold, like_pattern
from ..extensions import db
from ..geo.models import VILLAGE, Unit
from .data import (
    AGE_BANDS,
    CHILD_AGE_LIMIT,
    CONSENT_METHODS,
    CONSENT_RELATIONS,
    ETHNICITIES,
    SEXES,
    SPECIAL_GROUPS,
)
from .models import Child

SIMILARITY = 0.85  # folded names at least this alike, same birth year, same commune: maybe the same child

# Features whose records point at a child register here what a merge or an export must do with them:
# merge hooks run before the generic move of every foreign key to children.id; export hooks add their records.
MERGE_HOOKS: list[Callable[[Child, Child], None]] = []
EXPORT_HOOKS: list[Callable[[Child], dict]] = []
# ...and what a child's page lists of them: [(title, [line, ...]), ...]
HISTORY_HOOKS: list[Callable[[Child], list[tuple[str, list[str]]]]] = []
# ...and, for records that keep a copy of the child's village as their own unit (a forum delegate, their consents
# and check-in), how that copy follows the child to a new village, in the same transaction as the move or merge.
# Who may see such a record is decided by the child's current village anyway (core.scope.child_in_scope).
MOVE_HOOKS: list[Callable[[Child], None]] = []


def child_moved(child: Child) -> None:
    """The child now lives in `child.unit_id`: every copy of the village on a record naming the child follows."""
    for hook in MOVE_HOOKS:
        hook(child)


def villages_of(user: User) -> list[Unit]:
    """The villages of a user's area, the places a child can live."""
    return list(db.session.scalars(
        select(Unit).where(Unit.id.in_(subtree_ids(user.unit)), Unit.level == VILLAGE).order_by(Unit.path)
    ))


def children_query(user: User, query: str = "", village_id: int | None = None):
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


def visible_duplicates(found: list[Child]) -> tuple[list[Child], bool]:
    """The possible duplicates the user may see (named, with their village and year), and whether there are others:
    those are never described, not even by a name, sex, year or village."""
    visible = [c for c in found if child_in_scope(c)]
    return visible, len(visible) < len(found)


def posted_data(form, may_set_groups: bool) -> dict:
    """A child form's values as plain JSON-able data (what an edit conflict keeps); the Điều 10 groups only when
    the author may set them, so a collector's post never changes them, whatever it carries."""
    data = {
        "full_name": clean(form.full_name.data),
        "birth_date": form.birth_date.data.isoformat() if form.birth_date.data else None,
        "birth_year": form.birth_date.data.year if form.birth_date.data else form.birth_year.data,
        "sex": form.sex.data,
        "ethnicity": form.ethnicity.data or None,
        "unit_id": form.village_id.data,
        "school": clean(form.school.data) or None,
        "school_class": clean(form.school_class.data) or None,
        "guardian_name": clean(form.guardian_name.data) or None,
        "guardian_phone": form.guardian_phone.data or None,
        "consent_by": clean(form.consent_by.data),
        "consent_relation": form.consent_relation.data,
        "consent_method": form.consent_method.data,
        "consent_on": form.consent_on.data.isoformat(),
        "consent_child": True if form.consent_child.data else None,
    }
    if may_set_groups and "special_groups" in form:
        data["special_groups"] = ",".join(g for g in SPECIAL_GROUPS if g in (form.special_groups.data or []))
    return data


def _values(posted: dict) -> dict:
    """The column values a posted child's data gives (names NFC, search name folded, phone normalised)."""
    values = dict(posted)
    values["full_name"] = clean(posted["full_name"])
    values["search_name"] = fold(values["full_name"])
    values["birth_date"] = date.fromisoformat(posted["birth_date"]) if posted.get("birth_date") else None
    values["birth_year"] = values["birth_date"].year if values["birth_date"] else int(posted["birth_year"])
    values["consent_on"] = date.fromisoformat(posted["consent_on"]) if posted.get("consent_on") else None
    values["guardian_phone"] = normalise_phone(posted.get("guardian_phone") or "") or None
    village = db.session.get(Unit, int(posted["unit_id"]))
    values["unit_id"], values["commune_id"] = village.id, village.parent_id
    values.pop("base_version", None)
    return values


def child_from_posted(posted: dict) -> Child:
    """A new child from the register form's posted data (posted_data), not yet saved."""
    values = _values(posted)
    values.setdefault("special_groups", "")
    return Child(**values)


def build_child(data: dict, village: Unit, may_set_groups: bool) -> Child:
    """A new child from another feature's data (swim enrolment, with the consent's basis), not yet saved."""
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
    # The basis of keeping the child's data (Nghị định 13/2023 Điều 20): every form that adds a child gives it.
    child.consent_by = clean(data.get("consent_by")) or None
    child.consent_relation = data.get("consent_relation") or None
    child.consent_method = data.get("consent_method") or None
    child.consent_on = data.get("consent_on")
    child.consent_child = True if data.get("consent_child") else None
    return child


def add_missing_consent(child: Child, data: dict, user: User) -> bool:
    """A child of the register made before consents were recorded gets the basis another feature's form brings
    (a swim quick-add, a class list): never a child without one. A basis already recorded is left as it is.
    Returns True when recorded (audited, in the caller's transaction)."""
    if child.consent_recorded or not (data.get("consent_by") and data.get("consent_method") and data.get("consent_on")):
        return False
    values = {"consent_by": clean(data["consent_by"]), "consent_relation": data.get("consent_relation") or None,
              "consent_method": data["consent_method"], "consent_on": data["consent_on"],
              "consent_child": True if data.get("consent_child") else None}
    changes = {name: [getattr(child, name), value] for name, value in values.items() if getattr(child, name) != value}
    for name, value in values.items():
        setattr(child, name, value)
    child.version += 1
    audit.record("update", child, user=user, changes=changes, via="consent_basis")
    return True


EDITABLE = ("full_name", "birth_date", "birth_year", "sex", "ethnicity", "unit_id", "school", "school_class",
            "guardian_name", "guardian_phone", "consent_by", "consent_relation", "consent_method", "consent_on",
            "consent_child", "special_groups")


def apply_edit(child: Child, posted: dict) -> dict:
    """Apply an edit of a child's record; returns {field: [old, new]} (the audit's changes). The search name is
    folded again with the name; the Điều 10 groups change only when the post carries them (an officer's)."""
    if child.erased_at is not None or child.merged_into_id is not None:
        raise edits.EditRefused(_l("This record was erased or merged meanwhile; the edit cannot be applied."))
    values = _values(posted)
    changed = edits.assign(child, {name: values[name] for name in EDITABLE if name in values})
    if "full_name" in changed:
        child.search_name = values["search_name"]
    if "unit_id" in changed:
        child.commune_id = values["commune_id"]
        child_moved(child)
    return changed


edits.register_editor(
    Child, apply_edit,
    {"full_name": _l("Full name"), "birth_date": _l("Date of birth"), "birth_year": _l("Year of birth"),
     "sex": _l("Sex"), "ethnicity": _l("Ethnicity"), "school": _l("School"), "school_class": _l("Class"),
     "guardian_name": _l("Parent or guardian"), "guardian_phone": _l("Guardian's phone"),
     "consent_by": _l("Consent given by")},
    describe=lambda c: c.full_name, url=lambda c: url_for("children.detail", child_id=c.id),
    may_edit=lambda c, user: child_in_scope(c, user))


def merge(duplicate: Child, kept: Child, user: User) -> int:
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
    child_moved(kept)  # the duplicate's records now name the kept child, who may live in another village
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
        "consent": {
            "given_by": child.consent_by,
            "relation": str(CONSENT_RELATIONS.get(child.consent_relation or "", "")) or None,
            "method": str(CONSENT_METHODS.get(child.consent_method or "", "")) or None,
            "date": child.consent_on.isoformat() if child.consent_on else None,
            "child_agrees": child.consent_child,
        },
        "registered_at": child.created_at.isoformat() if child.created_at else None,
    }
    for hook in EXPORT_HOOKS:
        data.update(hook(child))
    return data


# What a child's erasure must blank in other features' records: each hook blanks its own copies of the child's data
# and names the records that held them (erasure.holds), whose audit values and edit conflicts core then blanks.
ERASE_HOOKS: list[Callable[[Erasure], None]] = []

PERSONAL_FIELDS = ("full_name", "guardian_name", "guardian_phone", "consent_by")


def _blank(child: Child, erasure: Erasure) -> None:
    """Only what anonymous counts need stays (birth year, sex, village)."""
    erasure.holds(child)
    erasure.child_ids.add(child.id)
    erasure.personal(*(getattr(child, name) for name in PERSONAL_FIELDS))
    child.full_name = ""
    child.search_name = ""
    child.birth_date = None
    child.ethnicity = None
    child.school = child.school_class = None
    child.guardian_name = child.guardian_phone = None
    child.special_groups = ""
    child.consent_by = child.consent_relation = child.consent_method = None
    child.consent_on = child.consent_child = None
    child.client_fingerprint = None  # a hash of the posted name and birth date
    if child.erased_at is None:
        child.erased_at = utcnow()
    child.version += 1


def erase(child: Child, user: User, reason: str = "request") -> None:
    """Erase a child's personal data on a guardian's request or when the consent is withdrawn, everywhere it was
    copied: the record (and the duplicates merged into it), every feature's records about the child (ERASE_HOOKS),
    the audit log's values, edit conflicts and files. Only what anonymous counts need stays (birth year, sex,
    village), so totals of past distributions still add up; the audit keeps that each event happened."""
    erasure = Erasure(user=user)
    merged = db.session.scalars(select(Child).where(Child.merged_into_id == child.id)).all()
    for record in (child, *merged):
        _blank(record, erasure)
    core_erasure.personal_values_in_audit(erasure, "Child", PERSONAL_FIELDS)
    core_erasure.personal_values_in_conflicts(erasure, PERSONAL_FIELDS)
    for hook in ERASE_HOOKS:
        hook(erasure)
    core_erasure.remove_conflicts(erasure)
    core_erasure.scrub_audit(erasure)
    audit.record("erase", child, user=user, reason=reason, merged=[m.id for m in merged] or None)
    db.session.commit()
    erasure.committed()
    core_erasure.forget_on_disk()


today = clock.today


# --- counts without names ---------------------------------------------------------------------------------------

def _age(on: date):
    """SQL: a child's age in whole years on `on` (the birth year alone gives the age reached during that year)."""
    born_later = case(
        (Child.birth_date.is_(None), 0),
        (extract("month", Child.birth_date) * 100 + extract("day", Child.birth_date) > on.month * 100 + on.day, 1),
        else_=0)
    return on.year - Child.birth_year - born_later


def counts(unit: Unit, on: date, with_groups: bool) -> dict:
    """Children (under 16 on `on`) registered in `unit`'s subtree: by direct sub-unit, sex and age band, by
    ethnicity, and (for officers) by Điều 10 group. Erased children still count (their record keeps birth year,
    sex and village for exactly this); merged duplicates do not."""
    age = _age(on)
    band = case(*[(age <= high, i) for i, (_low, high) in enumerate(AGE_BANDS)], else_=len(AGE_BANDS))
    base = (select().select_from(Child)
            .where(Child.unit_id.in_(subtree_ids(unit)), Child.merged_into_id.is_(None),
                   age >= 0, age < CHILD_AGE_LIMIT))
    subunits = list(db.session.scalars(select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.name)))
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(subtree_ids(unit))))}
    empty = {"total": 0, "F": 0, "M": 0, "bands": [0] * len(AGE_BANDS)}
    rows = {u.id: {"unit": u, **empty, "bands": [0] * len(AGE_BANDS)} for u in subunits}
    own = {"unit": unit, **empty, "bands": [0] * len(AGE_BANDS)}  # children filed on the unit itself (a village)
    total = {"unit": None, **empty, "bands": [0] * len(AGE_BANDS)}
    for unit_id, sex, band_no, n in db.session.execute(
            base.add_columns(Child.unit_id, Child.sex, band, func.count()).group_by(Child.unit_id, Child.sex, band)):
        row = next((rows[u.id] for u in subunits if u.contains(units.get(unit_id))), own)
        for target in (row, total):
            target["total"] += n
            target[sex] = target.get(sex, 0) + n
            target["bands"][int(band_no)] += n
    by_ethnicity = sorted(
        ((ETHNICITIES.get(code or "", None), n) for code, n in db.session.execute(
            base.add_columns(Child.ethnicity, func.count()).group_by(Child.ethnicity))),
        key=lambda r: (r[0] is None, -r[1], r[0] or ""))
    groups = None
    if with_groups:
        groups = dict.fromkeys(SPECIAL_GROUPS, 0)
        for letters, n in db.session.execute(
                base.add_columns(Child.special_groups, func.count()).where(Child.special_groups != "")
                .group_by(Child.special_groups)):
            for g in letters.split(","):
                if g in groups:
                    groups[g] += n
    lines = [rows[u.id] for u in subunits] + ([own] if own["total"] or not subunits else [])
    return {"rows": lines, "total": total, "ethnicity": by_ethnicity, "groups": groups}
