"""The data's change counters: one number per table, which every write to the table changes in the same transaction
(to a new random value rather than the next one, so that a database restored from a backup, or a test's new
database, never meets entries made for another database under the same number). Caches of computed results
(`core.fragments`: the dashboards' indicator results, the blank forms' HTML) put in their key the counters of the
tables their content is read from (all of them unless the cache names fewer), so an entry made before a write is
never read after it, on every app server and worker alike (the numbers live in the database, `data_versions`).
Logging an activity thus leaves the blank forms kept (they read plans, agencies and places), and changes every
dashboard.

What changes a table's counter: any flush that inserts, changes or deletes one of its rows, but for the quiet
tables below (the audit log, the counters themselves) and a user row whose only change is the sign-in bookkeeping;
and any bulk INSERT, UPDATE or DELETE on it run through the session (`activities.totals.rebuild`, a merge, an
erasure). A write made outside the app (SQL by hand) does not: `sotay` commands go through the session and do.
"""

import secrets

from flask import g, has_request_context
from sqlalchemy import BigInteger, String, event, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..extensions import db

ANY = "*"  # a write whose table is not known: every key holds this counter too
QUIET_TABLES = frozenset({"audit_log", "data_versions"})
# A user row changed only by signing in (or failing to) changes no page's content beyond the person's own
# session, which every per-user key holds already.
QUIET_USER_COLUMNS = frozenset({"failed_logins", "first_failed_at", "locked_until", "last_login_at"})
_PENDING = "sotay_changed_tables"


class DataVersion(db.Model):
    __tablename__ = "data_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


def current() -> dict[str, int]:
    """{table: counter} as committed now (read once per request; a table never written has none)."""
    if has_request_context() and "data_versions" in g:
        return g.data_versions
    value = dict(db.session.execute(select(DataVersion.name, DataVersion.version)).all())
    if has_request_context():
        g.data_versions = value
    return value


def of(tables=None) -> tuple:
    """The counters a cache key holds: those of `tables` (all tables when None), and the one of unknown writes."""
    now = current()
    if tables is None:
        return tuple(sorted(now.items()))
    return tuple(now.get(t, 0) for t in (ANY, *tables))


def _table(obj) -> str | None:
    return getattr(obj, "__tablename__", None)


def _quiet(obj) -> bool:
    table = _table(obj)
    if table in QUIET_TABLES:
        return True
    if table == "users":
        changed = {attr.key for attr in inspect(obj).attrs if attr.history.has_changes()}
        return bool(changed) and changed <= QUIET_USER_COLUMNS
    return False


@event.listens_for(Session, "before_flush")
def _note_changes(session, flush_context, instances):
    changed = session.info.setdefault(_PENDING, set())
    for obj in (*session.new, *session.deleted):
        if _table(obj) not in QUIET_TABLES:
            changed.add(_table(obj) or ANY)
    for obj in session.dirty:
        if session.is_modified(obj) and not _quiet(obj):
            changed.add(_table(obj) or ANY)


@event.listens_for(Session, "do_orm_execute")
def _note_bulk(state):
    if state.is_insert or state.is_update or state.is_delete:
        name = getattr(getattr(state.statement, "table", None), "name", None)
        if name not in QUIET_TABLES:
            state.session.info.setdefault(_PENDING, set()).add(name or ANY)


def _upsert(session, names) -> None:
    rows = [{"name": name, "version": secrets.randbits(62)} for name in sorted(names)]
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(DataVersion).values(rows)
    session.execute(stmt.on_conflict_do_update(index_elements=["name"], set_={"version": stmt.excluded.version}))


@event.listens_for(Session, "before_commit")
def _bump(session):
    if session.new or session.dirty or session.deleted:
        session.flush()  # the last changes are noted by before_flush
    changed = session.info.pop(_PENDING, None)
    if not changed:
        return
    _upsert(session, changed)
    session.info.pop(_PENDING, None)  # the counters' own write is quiet
    if has_request_context():
        g.pop("data_versions", None)


@event.listens_for(Session, "after_rollback")
def _forget(session):
    session.info.pop(_PENDING, None)
