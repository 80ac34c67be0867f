"""Signing in with a throttle per account, and the rules of who may manage whom."""

import re
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import or_, select

from ..core import audit, clock
from ..core.scope import ADMIN, COLLECTOR, OFFICER, unit_in_scope
from ..extensions import db, login_manager
from .models import User, new_session_token


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """The user whose current session token the cookie carries; a deactivated user's sessions end at once."""
    user = db.session.scalar(select(User).where(User.session_token == token))
    return user if user is not None and user.active else None


@login_manager.unauthorized_handler
def unauthorized():
    """A signed-out visitor goes to the sign-in page; an htmx partial gets 401 and an HX-Redirect to it instead, since
    htmx would otherwise follow the redirect and swap the whole sign-in page into a part of the page."""
    from flask import flash, make_response, redirect, request
    from flask_login import login_url

    from ..htmx import is_partial

    if is_partial():
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        back = current.path + (f"?{current.query}" if current.query else "") if current.path else request.full_path
        response = make_response(str(login_manager.login_message), 401)
        response.headers["HX-Redirect"] = login_url(login_manager.login_view, next_url=back)
        return response
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, next_url=request.url))


def normalise_phone(value: str) -> str:
    digits = re.sub(r"[^0-9]", "", value or "")  # \D would keep other scripts' digits
    if digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits


def find_login(identifier: str) -> User | None:
    identifier = (identifier or "").strip()
    phone = normalise_phone(identifier)
    conditions = [User.username == identifier.lower()]
    if len(phone) >= 9:
        conditions.append(User.phone == phone)
    return db.session.scalars(select(User).where(or_(*conditions))).first()


def login_key(identifier: str) -> str:
    """What an attempt names, as throttled: a phone number's digits, else the username in lower case."""
    identifier = (identifier or "").strip()
    phone = normalise_phone(identifier)
    return (phone if len(phone) >= 9 else identifier.lower())[:60]


def locked_until(user: User) -> datetime | None:
    until = user.locked_until
    return until if until and until > clock.now() else None


def register_failure(user: User) -> None:
    """Count a wrong password; the fifth within the window locks the account for a while."""
    now = clock.now()
    cfg = current_app.config
    first = user.first_failed_at
    if first is None or now - first > cfg["LOGIN_FAILURE_WINDOW"]:
        user.failed_logins, user.first_failed_at = 0, now
    user.failed_logins += 1
    if user.failed_logins >= cfg["LOGIN_MAX_FAILURES"]:
        user.locked_until = now + cfg["LOGIN_LOCK_TIME"]
        user.failed_logins, user.first_failed_at = 0, None


def unknown_locked_until(key: str) -> datetime | None:
    """For a name no account has, when it may be tried again: wrong passwords for it are counted from the audit log
    exactly as an account counts them (the fifth within the window makes it wait), so that an unknown name answers
    like a known one and nobody learns from the answers which accounts exist."""
    import json

    from ..core.audit import AuditLog

    cfg = current_app.config
    now = clock.now()
    window, lock = cfg["LOGIN_FAILURE_WINDOW"], cfg["LOGIN_LOCK_TIME"]
    times = db.session.scalars(
        select(AuditLog.at).where(AuditLog.action == "login_failed", AuditLog.object_id.is_(None),
                                  AuditLog.detail == json.dumps({"identifier": key}, ensure_ascii=False),
                                  AuditLog.at >= now - window - lock).order_by(AuditLog.at)).all()
    count, first, until = 0, None, None
    for moment in times:
        if first is None or moment - first > window:
            count, first = 0, moment
        count += 1
        if count >= cfg["LOGIN_MAX_FAILURES"]:
            until, count, first = moment + lock, 0, None
    return until if until and until > now else None


def address_waits_until(address: str | None) -> datetime | None:
    """When an address that sent too many wrong passwords within the window may try again (None: it may now).
    Counted from the audit log, so every app server sees the same count."""
    from sqlalchemy import func

    from ..core.audit import AuditLog

    cfg = current_app.config
    if not address:
        return None
    since = clock.now() - cfg["LOGIN_FAILURE_WINDOW"]
    failures = select(AuditLog.at).where(AuditLog.action == "login_failed", AuditLog.ip == address,
                                         AuditLog.at >= since)
    count = db.session.scalar(select(func.count()).select_from(failures.subquery()))
    if count < cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"]:
        return None
    oldest_counted = db.session.scalar(failures.order_by(AuditLog.at.desc())
                                       .offset(cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"] - 1).limit(1))
    return oldest_counted + cfg["LOGIN_FAILURE_WINDOW"]


def register_success(user: User) -> None:
    user.failed_logins, user.first_failed_at, user.locked_until = 0, None, None
    user.last_login_at = clock.now()


def manageable_roles(manager: User) -> tuple[str, ...]:
    """An admin creates users of any role; an officer creates collectors only."""
    if manager.role == ADMIN:
        return (ADMIN, OFFICER, COLLECTOR, "viewer")
    if manager.role == OFFICER:
        return (COLLECTOR,)
    return ()


def may_manage(manager: User, user: User) -> bool:
    """Admins manage anyone in the province; officers the collectors inside their own subtree."""
    if manager.id == user.id or not unit_in_scope(user.unit, manager):
        return False
    return user.role in manageable_roles(manager)


def set_active(user: User, active: bool, by: User) -> None:
    user.active = active
    if not active:
        user.session_token = new_session_token()
    audit.record("activate" if active else "deactivate", user, unit_id=user.unit_id, user=by)
