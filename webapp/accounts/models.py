"""A user: one unit, one role, a password, a language."""

import secrets
from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.models import ClientRecordMixin, UTCDateTime
from ..extensions import db


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, ClientRecordMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    phone: Mapped[str | None] = mapped_column(String(15), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The id the session cookie carries: a new one ends every open session (password change, deactivation).
    session_token: Mapped[str] = mapped_column(String(40), unique=True, default=new_session_token)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    first_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    unit = relationship("Unit", foreign_keys=[unit_id], lazy="joined", innerjoin=True)

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.active

    def set_password(self, password: str) -> None:
        method = current_app.config["PASSWORD_HASH_METHOD"] if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)
        self.session_token = new_session_token()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


_DUMMY_HASHES: dict[str, str] = {}


def check_no_password(password: str) -> bool:
    """Spend on a password for no account what checking a real one costs (a hash of the configured kind), so that
    the time of the answer does not tell whether an account exists or is locked. Always False."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash(secrets.token_urlsafe(16), method=method)
    check_password_hash(_DUMMY_HASHES[method], password)
    return False
