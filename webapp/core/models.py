"""Columns every record shares: when it was made, by whom, and the client_id that makes a create idempotent."""

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

from . import clock


def utcnow() -> datetime:
    return clock.now()


class UTCDateTime(TypeDecorator):
    """A moment: stored as `DateTime(timezone=True)` (the same DDL), always read back aware and in UTC. PostgreSQL
    keeps the zone but answers in the session's; SQLite keeps none and answers naive. A naive moment given to it is
    taken as UTC (the app's clock gives only aware ones), an aware one is turned to UTC before it is stored, so that
    SQLite's text compares and sorts in one zone."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return _utc(value)

    def process_result_value(self, value, dialect):
        return _utc(value)


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=clock.UTC) if value.tzinfo is None else value.astimezone(clock.UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ClientRecordMixin(TimestampMixin):
    """A record a person creates: carries the client_id of the form or outbox that made it, and its author."""

    client_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    # A hash of the posted fields that created the record (core.idempotent.fingerprint): a replay of the same
    # client_id with other fields is another record under a reused id, never answered as this one.
    client_fingerprint: Mapped[str | None] = mapped_column(String(64))
    # Bumped by every saved edit; an edit made offline carries the version it started from (see core/edits.py).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    @declared_attr
    def created_by_id(cls) -> Mapped[int | None]:  # noqa: N805
        return mapped_column(ForeignKey("users.id"), index=True)


def new_client_id() -> str:
    return str(uuid.uuid4())
