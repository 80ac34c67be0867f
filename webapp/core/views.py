"""The home page, the health check and the audit log."""

from datetime import datetime, time, timedelta

from flask import request
from flask_login import current_user, login_required
from sqlalchemy import select, text

from ..extensions import db
from ..htmx import render
from . import bp, waiting
from .audit import AuditLog
from .fields import in_date_range
from .pagination import paginate
from .scope import ADMIN, roles_required


@bp.route("/")
@login_required
def home():
    """My home: who and where I am, what waits for me (with links to it), and the main things I can do."""


    return render("core/home.html", waiting=waiting.for_user(current_user))


@bp.route("/healthz")
def healthz():
    """200 when the database answers, 503 otherwise; for load balancers and monitoring."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return {"status": "database unavailable"}, 503
    return {"status": "ok"}


def _parse_day(value: str | None):
    """A day of a filter, within the range every form takes (year 9999 would overflow the day after it), else None."""
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date() if value else None
    except ValueError:
        return None
    return day if in_date_range(day) else None


@bp.route("/audit")
@roles_required(ADMIN)
def audit_log():
    """The audit log, newest first, filtered by person, action, kind of record and days."""
    filters = {
        "user": (request.args.get("user") or "").strip(),
        "action": (request.args.get("action") or "").strip(),
        "object_type": (request.args.get("object_type") or "").strip(),
        "start": _parse_day(request.args.get("start")),
        "end": _parse_day(request.args.get("end")),
    }
    stmt = select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc())
    if filters["user"]:
        (key,) = AuditLog.__table__.c.user_id.foreign_keys  # the accounts' table, which core does not import
        users = key.column.table
        stmt = stmt.join(users, AuditLog.user_id == users.c.id).where(users.c.username == filters["user"].lower())
    if filters["action"]:
        stmt = stmt.where(AuditLog.action == filters["action"])
    if filters["object_type"]:
        stmt = stmt.where(AuditLog.object_type == filters["object_type"])
    if filters["start"]:
        stmt = stmt.where(AuditLog.at >= datetime.combine(filters["start"], time.min))
    if filters["end"]:
        stmt = stmt.where(AuditLog.at < datetime.combine(filters["end"] + timedelta(days=1), time.min))
    actions = db.session.scalars(select(AuditLog.action).distinct().order_by(AuditLog.action)).all()
    object_types = db.session.scalars(
        select(AuditLog.object_type).where(AuditLog.object_type.is_not(None)).distinct().order_by(AuditLog.object_type)
    ).all()
    return render("core/audit.html", "core/_audit_rows.html", page=paginate(stmt), filters=filters,
                  actions=actions, object_types=object_types)


