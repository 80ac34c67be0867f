"""The one place that decides between a full page and an htmx partial, and how a redirect is answered.

htmx 4 sends `HX-Request: true` also for history restores and body swaps; those get the full page. Only a request
that htmx marks `HX-Request-Type: partial` gets the partial. Views never read HX-* headers themselves.
"""

import html
import re

from flask import Response, g, jsonify, make_response, redirect, render_template, request, session
from flask_babel import gettext as _
from flask_login import current_user


def is_partial() -> bool:
    return (
        bool(request.htmx)
        and not request.htmx.history_restore_request
        and request.headers.get("HX-Request-Type", "partial") == "partial"
    )


def render(page_template: str, partial_template: str | None = None, /, status: int = 200, **context) -> Response:
    """Render `partial_template` for an htmx partial request, else the whole `page_template`."""
    template = partial_template if partial_template and is_partial() else page_template
    return make_response(render_template(template, **context), status)


def redirect_to(url: str) -> Response:
    """After a successful post: HX-Redirect for htmx, 303 See Other for a plain form."""
    if request.htmx:
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=303)


def add_vary(response: Response) -> Response:
    response.vary.add("HX-Request")
    response.vary.add("HX-Request-Type")
    return response


# --- the outbox's answers --------------------------------------------------------------------------------------------
# The outbox (static/js/outbox.js) posts a form with `X-Sotay-Outbox: live` while the person waits on it, or
# `replay` when it sends a stored submission later. fetch() cannot read a redirect's Location, and a login page is
# no answer for a phone replaying in the background, so such posts are answered here, once for every view, in JSON:
#   saved (200, url)  · conflict (200, url: the edit was kept as a conflict) · invalid (422, field messages)
#   signed_out (401)  · csrf (400: fetch a fresh token and send again) · refused (403/404/409/413, message)
#   error (5xx: keep it and try later)
OUTBOX_HEADER = "X-Sotay-Outbox"
OUTBOX_USER_HEADER = "X-Sotay-User"
_FIELD_ERROR = re.compile(r'<p id="([^"]+)-error" class="error">(.*?)</p>', re.S)
_FORM_ERROR = re.compile(r'<p class="flash flash-error" role="alert"[^>]*>(.*?)</p>', re.S)


def from_outbox() -> bool:
    return request.headers.get(OUTBOX_HEADER) in ("live", "replay") and request.method not in ("GET", "HEAD")


def outbox_json(status: str, code: int, **data) -> Response:
    response = make_response(jsonify(status=status, **data), code)
    response.headers["X-Sotay-Answer"] = status
    response.headers["Cache-Control"] = "no-store"
    return response


def outbox_guard():
    """Before the view: a signed-out phone, or a submission another account made on this phone, is not acted on."""
    if not from_outbox():
        return None
    if not current_user.is_authenticated:
        return outbox_json("signed_out", 401, message=_("Your sign-in has ended. Sign in, then it will be sent."))
    owner = request.headers.get(OUTBOX_USER_HEADER)
    if owner and owner != str(current_user.id):
        return outbox_json("refused", 409, message=_("This was made by another account on this phone."))
    return None


def _flash_messages(pop: bool) -> list[str]:
    flashes = session.pop("_flashes", []) if pop else session.get("_flashes", [])
    return [message for _category, message in flashes]


def outbox_answer(response: Response) -> Response:
    """After the view: the same answer a person would have seen, in words the outbox can act on."""
    if not from_outbox() or "X-Sotay-Answer" in response.headers:
        return response
    code = response.status_code
    if 300 <= code < 400 or 200 <= code < 300:
        if not current_user.is_authenticated:
            return outbox_json("signed_out", 401, message=_("Your sign-in has ended. Sign in, then it will be sent."))
        url = response.location if code >= 300 else request.path
        messages = _flash_messages(pop=request.headers.get(OUTBOX_HEADER) == "replay")
        conflict = g.get("edit_conflict")
        if conflict is not None:
            return outbox_json("conflict", 200, url=url, conflict=conflict.id,
                               message=_("The record had changed meanwhile: your edit is kept to be settled."))
        return outbox_json("saved", 200, url=url, message=messages[-1] if messages else "")
    if code == 422:
        from .core.idempotent import saved_meanwhile

        if saved_meanwhile(current_user) is not None:
            return outbox_json("saved", 200, url=None, message="")
        page = response.get_data(as_text=True)
        errors = {name: html.unescape(text).strip() for name, text in _FIELD_ERROR.findall(page)}
        form_errors = [html.unescape(text).strip() for text in _FORM_ERROR.findall(page)]
        return outbox_json("invalid", 422, errors=errors, form_errors=form_errors,
                           message=" ".join(form_errors + list(errors.values())))
    if code == 400 and not g.get("csrf_valid"):
        return outbox_json("csrf", 400, message=_("The form could not be checked."))
    if code == 401:
        return outbox_json("signed_out", 401, message=_("Your sign-in has ended. Sign in, then it will be sent."))
    if code >= 500:
        return outbox_json("error", code, message=_("The server could not save it now; it will be sent again."))
    refusals = {
        403: _("Your account may not do this."),
        404: _("This page does not exist, or it is outside your area."),
        409: _("This was saved by another account; yours was not saved."),
        413: _("The file is larger than 5 MB. Nothing was saved."),
    }
    return outbox_json("refused", code, message=refusals.get(code, _("The request could not be understood.")))
