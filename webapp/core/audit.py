"""The audit log: who did what, when, to which record, from where."""

import json
from datetime import datetime

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .models import UTCDateTime, utcnow


class AuditLog(db.Model):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)

    user = relationship("User", foreign_keys=[user_id], lazy="joined")

    def __repr__(self) -> str:
        return f"<AuditLog {self.action} {self.object_type}:{self.object_id} by {self.user_id}>"

    @property
    def detail_dict(self) -> dict:
        return json.loads(self.detail) if self.detail else {}


def record(action: str, obj=None, *, unit_id: int | None = None, user=None, **detail) -> AuditLog:
    """Add an audit entry to the session; it is committed with the change it describes."""
    obj = obj._get_current_object() if hasattr(obj, "_get_current_object") else obj  # current_user is a proxy
    if obj is not None and getattr(obj, "id", 0) is None:
        db.session.flush()  # a new record gets its id, so the entry can name it
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    entry = AuditLog(
        action=action,
        user_id=getattr(user, "id", None),
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        unit_id=unit_id if unit_id is not None else getattr(obj, "unit_id", None),
        detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else None,
    )
    if has_request_context():
        entry.ip = request.remote_addr
        entry.user_agent = (request.user_agent.string or "")[:200]
    db.session.add(entry)
    return entry

