"""The data's change counter: one number that every write which could change a page or a figure changes, in the
same transaction (to a new random value rather than the next one, so that a database restored from a backup, or a
test's new database, never meets entries made for another database under the same number). Caches of computed results (`core.fragments`: the dashboards' indicator results, the blank forms'
HTML) put it in their key, so an entry made before a write is never read after it, on every app server and
worker alike (the number lives in the database, `data_versions`).

What bumps it: any flush that inserts, changes or deletes a row of any table but the quiet ones below (the audit
log, the counter itself, a user row whose only change is the sign-in bookkeeping), and any bulk INSERT, UPDATE or
DELETE run through the session (`activities.totals.rebuild`, a merge, an erasure). A write made outside the app
(SQL by hand) does not bump it: `sotay` commands go through the session and do.
"""

import secrets

from flask import g, has_request_context
from sqlalchemy import BigInteger, String, event, inspect, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..extensions import db

NAME = "data"
QUIET_TABLES = frozenset({"audit_log", "data_versions"})
# A user row changed only by signing in (or failing to) changes no page's content beyond the person's own
# session, which every per-user key holds already.
QUIET_USER_COLUMNS = frozenset({"failed_logins", "first_failed_at", "locked_until", "last_login_at"})
_PENDING = "sotay_data_changed"


class DataVersion(db.Model):
    __tablename__ = "data_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


def current() -> int:
    """The counter as committed now (read once per request)."""
    if has_request_context() and "data_version" in g:
        return g.data_version
    value = db.session.scalar(select(DataVersion.version).where(DataVersion.name == NAME)) or 0
    if has_request_context():
        g.data_version = value
    return value


def _quiet(obj) -> bool:
    table = getattr(obj, "__tablename__", None)
    if table in QUIET_TABLES:
        return True
    if table == "users":
        changed = {attr.key for attr in inspect(obj).attrs if attr.history.has_changes()}
        return bool(changed) and changed <= QUIET_USER_COLUMNS
    return False


@event.listens_for(Session, "before_flush")
def _note_changes(session, flush_context, instances):
    if session.info.get(_PENDING):
        return
    for obj in (*session.new, *session.deleted):
        if getattr(obj, "__tablename__", None) not in QUIET_TABLES:
            session.info[_PENDING] = True
            return
    for obj in session.dirty:
        if session.is_modified(obj) and not _quiet(obj):
            session.info[_PENDING] = True
            return


@event.listens_for(Session, "do_orm_execute")
def _note_bulk(state):
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) not in QUIET_TABLES:
            state.session.info[_PENDING] = True


@event.listens_for(Session, "before_commit")
def _bump(session):
    if session.new or session.dirty or session.deleted:
        session.flush()  # the last changes are noted by before_flush
    if not session.info.pop(_PENDING, False):
        return
    token = secrets.randbits(62)
    bumped = session.execute(update(DataVersion).where(DataVersion.name == NAME).values(version=token)).rowcount
    if not bumped:
        session.add(DataVersion(name=NAME, version=token))
        session.flush()
    session.info.pop(_PENDING, None)  # the counter's own write is quiet
    if has_request_context():
        g.pop("data_version", None)


@event.listens_for(Session, "after_rollback")
def _forget(session):
    session.info.pop(_PENDING, None)
