"""Revalidating a kept page for nothing: every full page and partial (a GET answered 200 with HTML) gets a weak
ETag, and a request whose If-None-Match names it is answered 304 with no body (before compression, which then
has nothing to do). The service worker (static/js/sw.js) sends the ETag of the copy it keeps and, on 304, keeps
showing that copy.

The validator is a hash of the page as sent with what differs from one answer to the next left out — the CSRF
token (the session's own, valid as long as it: WTF_CSRF_TIME_LIMIT is None) and the server's client_id of each
form (the page script replaces it every time a form is shown) — and of whose it is: the signed-in session
(`session_token`, new at every sign-in, sign-out and password change) and the session's raw CSRF secret. So one
person's kept copy never satisfies another's request, nor another session's (whose token would not post), and
any change of the content (a write, a flashed message, the language) changes the tag. Pages are marked
`Cache-Control: private, no-cache`: no shared cache keeps them and every use is revalidated.
"""

import hashlib
import re

from flask import current_app, g, request, session
from flask_login import current_user

CLIENT_ID = re.compile(rb'(name="[\w-]*client_id" type="hidden" value=")[0-9a-fA-F-]{36}(")')


def validator(body: bytes) -> str:
    token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    if token:
        body = body.replace(token.encode(), b"")
    body = CLIENT_ID.sub(rb"\1\2", body)
    who = current_user.get_id() if current_user.is_authenticated else "-"
    digest = hashlib.blake2b(body, digest_size=16)
    digest.update(f"\x00{who}\x00{session.get('csrf_token', '')}\x00{request.headers.get('HX-Request', '')}"
                  f"\x00{request.headers.get('HX-Request-Type', '')}".encode())
    return digest.hexdigest()


def add_etag(response):
    if not current_app.config.get("SOTAY_ETAGS", True):  # off only to measure the difference (bench/offline_sync.py)
        return response
    if (request.method != "GET" or response.status_code != 200 or response.mimetype != "text/html"
            or response.direct_passthrough or response.is_streamed or "Content-Encoding" in response.headers):
        return response
    cache_control = response.headers.get("Cache-Control", "")
    if "no-store" in cache_control:
        return response
    tag = validator(response.get_data())
    response.set_etag(tag, weak=True)
    if not cache_control:
        response.headers["Cache-Control"] = "private, no-cache"
    if request.if_none_match.contains_weak(tag):  # weak comparison, as RFC 9110 asks for If-None-Match
        response.status_code = 304
        response.set_data(b"")
        response.headers.pop("Content-Length", None)
    return response


def init_app(app) -> None:
    """Registered right after compression's hook, so it runs just before it: on the finished page."""
    app.after_request(add_etag)
