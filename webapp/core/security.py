"""Security headers on every response: a strict CSP (no inline script, no eval), no framing, nosniff; and request
parameters read as numbers only when they fit the database's integers."""

import unicodedata
from datetime import timedelta
from urllib.parse import urlsplit

from flask import request
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

from . import clock

INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # PostgreSQL's integer: a larger id would fail the query, not find nothing


def fits(value) -> bool:
    return not isinstance(value, int) or INT_MIN <= value <= INT_MAX


def as_id(value) -> int | None:
    """An id read from text (a hidden field, a part of a value): ASCII digits that an Integer column holds, else None.
    str.isdigit() alone takes "²" (which int() refuses: a 500) and any length (which PostgreSQL refuses)."""
    text = "" if value is None else str(value).strip()
    if text.isascii() and text.isdigit() and int(text) <= INT_MAX:
        return int(text)
    return None


class ColumnIntConverter(IntegerConverter):
    """`<int:…>` in every route: a number larger than an Integer column holds is not found (404) rather than sent to
    the database (PostgreSQL refuses it: 500), e.g. /forum/public/2147483648. Registered as "int" once, in
    create_app, before any route."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        super().__init__(map, fixed_digits, min, INT_MAX if max is None else max, signed)


class Parameters(ImmutableMultiDict):
    """request.args and request.form: `get(name, type=int)` of a number no column can hold is like one that is not a
    number (the default), so that `?unit=99999999999` finds nothing instead of breaking the page."""

    def get(self, key, default=None, type=None):
        value = super().get(key, default, type)
        return value if fits(value) else default

    def getlist(self, key, type=None):
        return [v for v in super().getlist(key, type) if fits(v)]


def refuse_nul_bytes():
    """No text anyone types holds a NUL byte, and PostgreSQL refuses one in a query: such a request is a bad request
    (400), answered before any view reads it."""
    from flask import abort, request

    for values in (request.args, request.form):
        if any("\x00" in key or "\x00" in value for key, value in values.items(multi=True)):
            abort(400)


def use_checked_parameters(app) -> None:
    """Read every request's parameters as `Parameters`; after the extensions, which bring their own request class."""
    app.request_class = type("SotayRequest", (app.request_class,), {"parameter_storage_class": Parameters})
    app.before_request(refuse_nul_bytes)


def local_path(target: str | None) -> str | None:
    """`target` when it is a path of this site ("/children/3?q=a"), else None. Browsers drop tabs and line breaks
    from a URL, read a backslash as a slash and trim control characters and spaces: "/<tab>/evil.example" or
    "/<backslash>evil.example" is "//evil.example", another site. Any such character, a scheme, a host, or a start
    other than one "/" is refused; a line break could also never reach a Location header. Every `next` is read
    through this."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(unicodedata.category(c)[0] in "CZ" for c in target):  # control, format and separator characters
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
    "worker-src 'self'; manifest-src 'self'; form-action 'self'; base-uri 'self'; object-src 'none'; "
    "frame-ancestors 'none'"
)


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "geolocation=(), microphone=(), camera=(self)")
    return response


RESIGN_AFTER = timedelta(days=1)  # an unchanged session's cookie is signed anew once it is this old
WARM_HEADER = "X-Sotay-Warm"  # sent by the service worker when it fetches a page to keep, in the background


class QuietBackgroundSession(SecureCookieSessionInterface):
    """A page the service worker fetches in the background to keep for offline use writes the session cookie only
    if it changed the session (a first CSRF token). Otherwise its answer would carry the session as it was when the
    fetch began and, arriving after a form's post, put back the session from before the post (its "Đã lưu."
    message lost). Such a page never takes the flashed messages either (templates/base.html)."""

    def open_session(self, app, request):
        """The session as Flask reads it, and when its cookie was signed (None for a new or unreadable one)."""
        serializer = self.get_signing_serializer(app)
        value = request.cookies.get(self.get_cookie_name(app)) if serializer is not None else None
        if not value:
            return super().open_session(app, request)
        try:
            data, signed = serializer.loads(value, max_age=int(app.permanent_session_lifetime.total_seconds()),
                                            return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.signed_at = signed
        return session

    def should_set_cookie(self, app, session) -> bool:
        """A changed session is always written. An unchanged permanent one is signed again (its 30 days restarting)
        only once its cookie is a day old, not on every answer (signing it cost ~0.5 ms of every page): it then
        lapses between 29 and 30 days after its last use, never later than before."""
        if session.modified:
            return True
        if request.headers.get(WARM_HEADER):
            return False
        signed = getattr(session, "signed_at", None)
        if signed is not None and clock.now() - signed < RESIGN_AFTER:
            return False
        return super().should_set_cookie(app, session)
