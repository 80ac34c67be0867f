"""Evidence files (photos of signed sheets, consent papers, badge photos): kept where every app server reads them
and every backup takes them, never on one server's own disk.

One small interface, a `FileStore` with put, get and delete by key, chosen by the setting `FILE_STORE`
(environment `SOTAY_FILE_STORE`): `database` (the default) keeps each file in the `stored_files` table, written in
the same transaction as the record that names it, so a refused form keeps nothing and `sotay backup` takes every
photo; an S3-compatible store can take over for a whole country behind the same three methods. Files are
content-addressed: the key is the SHA-256 of the bytes, so the same photo sent twice (an outbox replay, two servers)
is one file.

A feature keeps a file's key in a column of its record and registers that column with `holds(...)`; `discard(key)`
then removes a file only when no such column names it any more (erasure)."""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from flask import Response, abort, current_app
from sqlalchemy import Integer, LargeBinary, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .models import UTCDateTime, utcnow

MAX_FILE_BYTES = 300 * 1024  # a photo is made smaller than this before it is kept (core.images)
KEY_LENGTH = 64  # hex SHA-256


class StoredFile(db.Model):
    """A file of the database store: its bytes under their SHA-256."""

    __tablename__ = "stored_files"

    key: Mapped[str] = mapped_column(String(KEY_LENGTH), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<StoredFile {self.key[:12]} {self.content_type} {self.size} B>"


@dataclass(frozen=True)
class Blob:
    key: str
    content_type: str
    data: bytes


class FileStore(Protocol):
    """Where files live. `put` of a key already there changes nothing (the key is the content's checksum)."""

    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def get(self, key: str) -> Blob | None: ...

    def delete(self, key: str) -> None: ...


class DatabaseStore:
    """The `stored_files` table, in the session of the request: a file is saved or dropped with its record."""

    def put(self, key: str, data: bytes, content_type: str) -> None:
        values = {"key": key, "content_type": content_type, "size": len(data), "data": data,
                  "created_at": utcnow()}
        dialect = db.session.get_bind().dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        # Two app servers saving the same photo at once: the second insert does nothing, both records name it.
        db.session.execute(insert(StoredFile).values(**values).on_conflict_do_nothing(index_elements=["key"]))

    def get(self, key: str) -> Blob | None:
        row = db.session.execute(select(StoredFile.content_type, StoredFile.data).where(StoredFile.key == key)).first()
        return Blob(key, row.content_type, bytes(row.data)) if row else None

    def delete(self, key: str) -> None:
        db.session.execute(delete(StoredFile).where(StoredFile.key == key))


STORES: dict[str, type] = {"database": DatabaseStore}


def init_app(app) -> None:
    name = app.config["FILE_STORE"]
    if name not in STORES:
        raise RuntimeError(f"FILE_STORE={name!r}: no such file store (one of {', '.join(STORES)})")
    app.extensions["sotay_files"] = STORES[name]()


def store() -> FileStore:
    return current_app.extensions["sotay_files"]


def key_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def save(data: bytes, content_type: str) -> str:
    """Keep `data` and return its key. Only files already made small (core.images) come here."""
    if not data or len(data) > MAX_FILE_BYTES:
        raise ValueError(f"a stored file has 1 to {MAX_FILE_BYTES} bytes, not {len(data)}")
    key = key_of(data)
    store().put(key, data, content_type)
    return key


def load(key: str | None) -> Blob | None:
    return store().get(key) if key else None


def send(key: str | None) -> Response:
    """The file as a response, for a view that has already checked who may see it; 404 when it is not kept."""
    blob = load(key)
    if blob is None:
        abort(404)
    response = Response(blob.data, mimetype=blob.content_type)
    response.headers["Cache-Control"] = "no-store"  # personal data: not kept by a browser or a proxy
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    return response


# --- which columns name a file ------------------------------------------------------------------------------------

HOLDERS: list = []


def holds(column) -> None:
    """Register a model column that keeps file keys (e.g. `holds(Consent.paper_photo)`)."""
    if column not in HOLDERS:
        HOLDERS.append(column)


def in_use(key: str) -> bool:
    return any(db.session.scalar(select(column).where(column == key).limit(1)) is not None for column in HOLDERS)


def discard(key: str | None) -> None:
    """Remove a file once no record names it (call after clearing the column, in the same transaction)."""
    if key and not in_use(key):
        store().delete(key)
