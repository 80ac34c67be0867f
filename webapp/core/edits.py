"""Editing a record without overwriting a change someone else saved meanwhile.

An edit form carries the version of the record it was opened on (`base_version`). If the record has changed on the
server since (another edit, maybe made offline on another phone), the edit is not applied blindly: it is kept as an
EditConflict with the data that was posted, to be settled by its author or an officer.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import g, has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from wtforms import HiddenField
from wtforms.validators import Optional

from ..extensions import db
from . import audit
from .models import UTCDateTime, utcnow


class EditConflict(db.Model):
    __tablename__ = "edit_conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(String(40), index=True)
    record_id: Mapped[int] = mapped_column(Integer, index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    base_version: Mapped[int] = mapped_column(Integer)
    server_version: Mapped[int] = mapped_column(Integer)
    data: Mapped[str] = mapped_column(Text)  # the posted fields, as JSON
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolution: Mapped[str | None] = mapped_column(String(10))  # "mine" (posted data applied) or "theirs"

    user = relationship("User", foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<EditConflict {self.record_type}:{self.record_id} v{self.base_version}->v{self.server_version}>"

    @property
    def posted(self) -> dict:
        return json.loads(self.data)


def assign(record, values: dict, prefix: str = "") -> dict:
    """Set on `record` each field of `values` whose value it changes; returns those as {field: [old, new]}, the
    changes an edit's audit entry holds (`prefix` names the part of a larger record, e.g. "T1." for a plan's
    target). The one way an edit sets fields: every `apply` given to `save_edit` is built on it."""
    changed = {}
    for name, value in values.items():
        old = getattr(record, name)
        if old != value:
            changed[f"{prefix}{name}"] = [old, value]
            setattr(record, name, value)
    return changed


def compare(before: dict, after: dict) -> dict:
    """{key: [old, new]} where two snapshots of a record differ: for what `assign` cannot set as a field (the
    agencies of a plan, an activity's participants), taken before and after the edit."""
    return {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}


def posted() -> dict:
    """The posted fields, kept with a conflict if the edit cannot be applied: every value, without the CSRF token
    (the settling replays them through the same `apply`)."""
    data = request.form.to_dict(flat=False)
    data.pop("csrf_token", None)
    return data


def base_version_field() -> HiddenField:
    """The hidden field an edit form carries: the version of the record it was opened on."""
    return HiddenField(validators=[Optional()])


def save_edit(record, base_version: str | int | None, apply: Callable[[], dict], user, posted: dict) -> bool:
    """Apply an edit and bump the version, or keep it as a conflict when the record changed since `base_version`.

    `apply()` changes the record and returns {field: [old, new]} for the audit log. Returns True when applied.
    """
    try:
        base = int(base_version) if base_version not in (None, "") else record.version
    except (TypeError, ValueError):
        base = record.version
    if base != record.version:
        conflict = EditConflict(record_type=type(record).__name__, record_id=record.id, unit_id=record.unit_id,
                                base_version=base, server_version=record.version, user_id=user.id,
                                data=json.dumps(posted, ensure_ascii=False, default=str))
        db.session.add(conflict)
        audit.record("conflict", record, user=user, base_version=base, server_version=record.version)
        db.session.commit()
        if has_request_context():
            g.edit_conflict = conflict  # the outbox's answer says "kept as a conflict", not "saved"
        return False
    changed = apply()
    if changed:
        record.version += 1
        audit.record("update", record, user=user, changes=changed)
    db.session.commit()
    return True


class EditRefused(Exception):
    """The posted data cannot be applied as it is (e.g. the name is now taken); the message says why."""


def in_area(record, user) -> bool:
    """The default test of who may see and edit a record now: its unit lies in the user's area."""
    from ..geo.models import Unit
    from .scope import unit_in_scope

    return unit_in_scope(db.session.get(Unit, record.unit_id), user)


@dataclass(frozen=True)
class Editor:
    """How a feature's edit is applied again when its author keeps their version of a conflict."""

    model: type
    apply: Callable[[object, dict], dict]  # (record, posted) -> {field: [old, new]}; may raise EditRefused
    labels: dict  # field name -> label shown on the conflicts page
    describe: Callable[[object], str]
    url: Callable[[object], str]
    may_edit: Callable[[object, object], bool] = in_area  # (record, user): may the user see and edit it now


EDITORS: dict[str, Editor] = {}


def register_editor(model, apply, labels: dict, describe=lambda r: getattr(r, "name", ""), url=lambda r: "",
                    may_edit=in_area) -> None:
    """A feature registers its edit once, so the conflicts page can show and settle its conflicts; `may_edit`
    says who may see and edit a record now (by default: whose area holds the record's unit now)."""
    EDITORS[model.__name__] = Editor(model, apply, labels, describe, url, may_edit)


def conflict_record(conflict: EditConflict, user):
    """(editor, record) of a conflict the user may see and settle now, else None. Checked against the record as it
    is now, never against the unit stored with the conflict: a record that moved out of the user's area (a child
    who moved to another commune) takes its conflicts along, and whoever may edit it now settles them."""
    editor = EDITORS.get(conflict.record_type)
    record = db.session.get(editor.model, conflict.record_id) if editor else None
    if record is None or not editor.may_edit(record, user):
        return None
    return editor, record


def settle(conflict: EditConflict, choice: str, user) -> None:
    """Keep "mine" (apply the posted data through the same edit code) or "theirs" (drop it); audited."""
    found = conflict_record(conflict, user)
    if found is None:
        raise LookupError("no such conflict for this user")  # views answer 404 before getting here
    editor, record = found
    conflict.resolved_at = utcnow()
    conflict.resolved_by_id = user.id
    conflict.resolution = choice
    audit.record("settle_conflict", record, user=user, conflict=conflict.id, choice=choice)
    if choice == "mine":
        posted = conflict.posted

        def apply() -> dict:
            changed = editor.apply(record, posted)
            if not editor.may_edit(record, user):  # the kept edit would move the record out of the settler's area
                raise EditRefused(_l("This edit would move the record out of your area; it cannot be applied "
                                     "here. Keep the saved version, or ask an officer of both areas."))
            return changed

        try:
            save_edit(record, record.version, apply, user, posted)
        except EditRefused:
            db.session.rollback()
            raise
    else:
        db.session.commit()
