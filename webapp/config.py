"""Settings from the environment, with safe defaults."""

import os
import secrets
from datetime import timedelta
from pathlib import Path


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the instance folder."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def default_database_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / 'sotay.db'}"


def normalise_database_url(url: str) -> str:
    """Make a plain postgres:// or postgresql:// address use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def defaults(instance_path: Path) -> dict:
    https = os.environ.get("SOTAY_HTTPS", "").lower() in {"1", "true", "yes"}
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            os.environ.get("DATABASE_URL") or default_database_url(instance_path)
        ),
        "SOTAY_PROVINCE": int(os.environ.get("SOTAY_PROVINCE", "15")),
        "BABEL_DEFAULT_LOCALE": os.environ.get("SOTAY_DEFAULT_LOCALE", "vi"),
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "LANGUAGES": ("vi", "en"),
        # A page kept offline for days must still post: the token lives as long as the signed session.
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": https,
        "PERMANENT_SESSION_LIFETIME": timedelta(days=30),
        "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
        "COMPRESS_MIMETYPES": [
            "text/html", "text/css", "text/javascript", "application/javascript", "application/json",
            "application/manifest+json", "image/svg+xml", "text/csv",
        ],
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "PASSWORD_HASH_METHOD": "scrypt",
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_FAILURE_WINDOW": timedelta(minutes=15),
        "LOGIN_LOCK_TIME": timedelta(minutes=15),
        # Wrong passwords from one address within the window before it must wait: higher than an account's five,
        # since a commune office or a mobile carrier's NAT puts many people behind one address.
        "LOGIN_MAX_FAILURES_PER_ADDRESS": int(os.environ.get("SOTAY_LOGIN_MAX_FAILURES_PER_ADDRESS", "20")),
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted (0: none, the address seen is
        # the client's). Behind nginx or Caddy set 1, or every sign-in seems to come from the proxy.
        "PROXIES": int(os.environ.get("SOTAY_PROXIES", "0")),
        # A page kept on a phone that shows a child's data is no longer shown after this many hours without a
        # fresh copy from the server (the phone offline that long); pages without a child's data stay.
        "OFFLINE_PERSONAL_HOURS": float(os.environ.get("SOTAY_OFFLINE_PERSONAL_HOURS", "72")),
        "PAGE_SIZE": 25,
        # Every page says "demo, the data is not real": set by `sotay serve` when demo accounts are loaded (or by
        # FLASK_SOTAY_DEMO=true for an app server started otherwise).
        "SOTAY_DEMO": False,
        # Where photos of signed sheets and consent papers are kept (core.files): "database", seen by every app
        # server and taken by every backup. An S3-compatible store can be added behind the same interface.
        # Seconds an import (a village list, a swim class list) may take to read before it is refused.
        "IMPORT_SECONDS": int(os.environ.get("SOTAY_IMPORT_SECONDS", "10")),
        "FILE_STORE": os.environ.get("SOTAY_FILE_STORE", "database"),
    }
