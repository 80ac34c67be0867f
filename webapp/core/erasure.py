"""Erasing a person's data everywhere it was copied: what every erasure shares, whichever feature holds the copy.

A child's erasure (children.services.erase) makes an `Erasure`, lets every feature's hook (children.services.
ERASE_HOOKS) blank its own records and name them, then blanks here what core keeps of those records: the audit
log's values (the entry stays, so the log still says what happened, when and by whom, with "[đã xóa]" in place of
each personal value) and the edit conflicts (removed). Files (photos of papers, portraits) are deleted once the
erasure is committed, so a rolled-back erasure never loses a photo of a record that still exists.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import or_, select, text, tuple_

from ..extensions import db
from .audit import AuditLog
from .edits import EditConflict

ERASED = "[đã xóa]"  # stored in place of an erased value; Vietnamese, as the records are

# Keys of an audit entry's detail whose value is text someone typed about the person (a reason, a note).
FREE_TEXT_KEYS = frozenset({"reason", "note", "name", "given_by", "text", "identifier", "photo"})
MIN_SEARCHED = 3  # a personal value shorter than this is not searched for inside other text


@dataclass
class Erasure:
    """One erasure in progress: the records that held the person's data, the personal values found (to blank
    wherever they were copied as text), and what to do once it is committed."""

    user: object
    child_ids: set[int] = field(default_factory=set)
    records: set[tuple[str, int]] = field(default_factory=set)
    values: set[str] = field(default_factory=set)
    _after_commit: list[Callable[[], None]] = field(default_factory=list)

    def holds(self, record) -> None:
        """`record` held the person's data: its audit entries are blanked and its edit conflicts removed."""
        if record is not None and record.id is not None:
            self.records.add((type(record).__name__, record.id))

    def personal(self, *values) -> None:
        """Values (a name, a phone) to blank wherever they were copied into text."""
        for value in values:
            if isinstance(value, str) and len(value.strip()) >= MIN_SEARCHED and value.strip() != ERASED:
                self.values.add(value.strip())

    def after_commit(self, action: Callable[[], None]) -> None:
        self._after_commit.append(action)

    def blank(self, value: str) -> str:
        """`value` with every personal value in it replaced."""
        for personal in sorted(self.values, key=len, reverse=True):
            value = value.replace(personal, ERASED)
        return value

    def mentions(self, value: str) -> bool:
        return any(personal in value for personal in self.values)

    def committed(self) -> None:
        for action in self._after_commit:
            action()
        self._after_commit.clear()


def _scrub(value, erasure: Erasure):
    """Any value with every personal value in it replaced, through lists and dicts."""
    if isinstance(value, str):
        return erasure.blank(value)
    if isinstance(value, list):
        return [_scrub(v, erasure) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, erasure) for k, v in value.items()}
    return value


def scrub_detail(action: str, detail: dict, erasure: Erasure) -> dict:
    """An audit entry's detail about an erased record: which fields changed stays, their values go; typed text goes;
    ids, counts and codes stay."""
    result = {}
    for key, value in detail.items():
        if key == "changes" and isinstance(value, dict):
            result[key] = {name: [ERASED] * len(change) if isinstance(change, list) else ERASED
                           for name, change in value.items()}
        elif key in FREE_TEXT_KEYS and action != "erase" and value not in (None, ""):
            result[key] = ERASED
        else:
            result[key] = _scrub(value, erasure)
    return result


def _linked_entries(erasure: Erasure):
    """The audit entries about the erased records, or naming an erased child by id in their detail."""
    conditions = []
    records = sorted(erasure.records)
    for start in range(0, len(records), 500):
        conditions.append(tuple_(AuditLog.object_type, AuditLog.object_id).in_(records[start:start + 500]))
    for child_id in sorted(erasure.child_ids):
        conditions += [AuditLog.detail.like(f'%"child\\_id": {child_id},%', escape="\\"),
                       AuditLog.detail.like(f'%"child\\_id": {child_id}}}%', escape="\\")]
    if not conditions:
        return []
    return db.session.scalars(select(AuditLog).where(or_(*conditions)))


def scrub_audit(erasure: Erasure) -> int:
    """Blank the personal values of every audit entry about the erased records; returns how many changed."""
    changed = 0
    for entry in _linked_entries(erasure):
        if not entry.detail:
            continue
        scrubbed = json.dumps(scrub_detail(entry.action, entry.detail_dict, erasure), ensure_ascii=False, default=str)
        if scrubbed != entry.detail:
            entry.detail = scrubbed
            changed += 1
    return changed


def personal_values_in_audit(erasure: Erasure, model: str, fields: tuple[str, ...]) -> None:
    """Earlier values of the person's fields (a name corrected, a phone changed), as the audit kept them, so their
    copies elsewhere are found too."""
    ids = [record_id for record_type, record_id in erasure.records if record_type == model]
    if not ids:
        return
    for entry in db.session.scalars(select(AuditLog).where(AuditLog.object_type == model,
                                                           AuditLog.object_id.in_(ids))):
        changes = entry.detail_dict.get("changes") if entry.detail else None
        for name in fields:
            if isinstance(changes, dict) and isinstance(changes.get(name), list):
                erasure.personal(*changes[name])


def personal_values_in_conflicts(erasure: Erasure, fields: tuple[str, ...]) -> None:
    """The person's fields as edits kept in conflicts posted them (a name typed otherwise on another phone)."""
    records = sorted(erasure.records)
    for start in range(0, len(records), 500):
        for conflict in db.session.scalars(select(EditConflict).where(
                tuple_(EditConflict.record_type, EditConflict.record_id).in_(records[start:start + 500]))):
            posted = conflict.posted
            erasure.personal(*[posted.get(name) for name in fields])


def remove_conflicts(erasure: Erasure) -> None:
    """Edit conflicts of the erased records are removed (settled or not: they hold the posted personal data); a
    conflict of another record that copied a personal value (a reason naming the child) has it blanked."""
    records = sorted(erasure.records)
    for start in range(0, len(records), 500):
        chunk = records[start:start + 500]
        for conflict in db.session.scalars(select(EditConflict).where(
                tuple_(EditConflict.record_type, EditConflict.record_id).in_(chunk))):
            db.session.delete(conflict)
    db.session.flush()
    if not erasure.values:
        return
    mentioning = or_(*[EditConflict.data.like(f"%{_escaped(value)}%", escape="\\") for value in erasure.values])
    for conflict in db.session.scalars(select(EditConflict).where(mentioning)):
        conflict.data = json.dumps(_scrub(conflict.posted, erasure), ensure_ascii=False)


def _escaped(value: str) -> str:
    """A value as a LIKE pattern matching it literally (the conflicts keep their JSON with the text as typed)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def forget_on_disk() -> None:
    """SQLite keeps overwritten rows in its write-ahead log until a checkpoint: write them back and empty it (the
    database runs with secure_delete, so freed space is zeroed). PostgreSQL's old row versions go at its vacuum."""
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
