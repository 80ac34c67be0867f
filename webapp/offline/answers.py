"""What the outbox is answered, and what the service worker learns from every page it may keep.

The outbox (static/js/outbox.js) posts a form with `X-Sotay-Outbox: live` while the person waits on it, or `replay`
when it sends a stored submission later. fetch() cannot read a redirect's Location, and a login page is no answer for
a phone replaying in the background, so such posts are answered here, once for every view, in JSON:
  saved (200, url) · conflict (200, url: the edit was kept as a conflict) · invalid (422, field messages)
  reused_id (409: the client_id names a record made from other fields; send it again under a new id)
  signed_out (401) · csrf (400: fetch a fresh token and send again) · refused (403/404/409/413, message)
  error (5xx: keep it and try later)
The messages of an invalid form come from the forms the view rendered (`htmx.render` keeps them), never from the
page's markup.

Every HTML page also says whose it is (`X-Sotay-User`, empty when nobody is signed in) and whether it shows a
child's data (`X-Sotay-Personal`): the worker drops every kept page when a page comes back signed out or for
another account, and lets a kept page with a child's data expire after SOTAY_OFFLINE_PERSONAL_HOURS.
"""

from flask import Response, g, get_flashed_messages, jsonify, make_response, request, session
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import event
from wtforms import FieldList, FormField

OUTBOX_HEADER = "X-Sotay-Outbox"
OUTBOX_USER_HEADER = "X-Sotay-User"
PERSONAL_HEADER = "X-Sotay-Personal"
# Administration is done with signal, by hand: these forms are never taken over, replayed or loaded from a file.
ONLINE_ONLY_BLUEPRINTS = ("accounts", "plans", "geo")


def from_outbox() -> bool:
    return request.headers.get(OUTBOX_HEADER) in ("live", "replay") and request.method not in ("GET", "HEAD")


def outbox_json(status: str, code: int, **data) -> Response:
    response = make_response(jsonify(status=status, **data), code)
    response.headers["X-Sotay-Answer"] = status
    response.headers["Cache-Control"] = "no-store"
    return response


def _signed_out() -> Response:
    return outbox_json("signed_out", 401, message=_("Your sign-in has ended. Sign in, then it will be sent."))


def online_only_prefixes(app) -> list[str]:
    """The first path segments of the administration forms, for the page script (`data-online-only`)."""
    prefixes = {"/" + rule.rule.strip("/").split("/")[0] for rule in app.url_map.iter_rules()
                if rule.endpoint.split(".")[0] in ONLINE_ONLY_BLUEPRINTS and "POST" in (rule.methods or ())}
    return sorted(p for p in prefixes if p != "/")


def guard():
    """Before the view: a signed-out phone, a submission another account made on this phone, or an administration
    form is not acted on."""
    if not from_outbox():
        return None
    if not current_user.is_authenticated:
        return _signed_out()
    owner = request.headers.get(OUTBOX_USER_HEADER)
    if owner and owner != str(current_user.id):
        return outbox_json("refused", 409, message=_("This was made by another account on this phone."))
    if request.blueprint in ONLINE_ONLY_BLUEPRINTS:
        return outbox_json("refused", 403, message=_("This form is sent only with signal, not from the phone's "
                                                     "unsent records."))
    return None


def _field_messages(fields, into: dict[str, str]) -> None:
    for field in fields:
        if isinstance(field, (FieldList, FormField)):
            _field_messages(field, into)
        elif field.errors and field.name not in ("client_id", "csrf_token"):
            into[field.name] = " ".join(str(e) for e in field.errors)


def _form_errors() -> tuple[dict[str, str], list[str]]:
    """The refused fields' messages and the messages for the whole form, from the forms the view rendered and
    what it flashed as an error."""
    fields: dict[str, str] = {}
    whole: list[str] = []
    for form in g.get("shown_forms", ()):
        _field_messages(form, fields)
        client_id = getattr(form, "client_id", None)
        if client_id is not None and client_id.errors:
            whole += [str(e) for e in client_id.errors]
        whole += [str(e) for e in getattr(form, "form_errors", ())]
    whole += list(get_flashed_messages(category_filter=["error"]))
    return fields, whole


def _flash_messages(pop: bool) -> list[str]:
    flashes = session.pop("_flashes", []) if pop else session.get("_flashes", [])
    return [message for _category, message in flashes]


def answer(response: Response) -> Response:
    """After the view: the same answer a person would have seen, in words the outbox can act on."""
    if not from_outbox() or "X-Sotay-Answer" in response.headers:
        return response
    code = response.status_code
    if 200 <= code < 400:
        if not current_user.is_authenticated:
            return _signed_out()
        url = response.location if code >= 300 else request.path
        messages = _flash_messages(pop=request.headers.get(OUTBOX_HEADER) == "replay")
        conflict = g.get("edit_conflict")
        if conflict is not None:
            return outbox_json("conflict", 200, url=url, conflict=conflict.id,
                               message=_("The record had changed meanwhile: your edit is kept to be settled."))
        return outbox_json("saved", 200, url=url, message=messages[-1] if messages else "")
    if code == 422:
        from ..core.idempotent import saved_meanwhile

        if saved_meanwhile(current_user) is not None:
            return outbox_json("saved", 200, url=None, message="")
        errors, form_errors = _form_errors()
        if not errors and not form_errors and response.is_json:
            form_errors = [str((response.get_json(silent=True) or {}).get("error") or "")]
        form_errors = [m for m in form_errors if m] or ([] if errors else [_("The request could not be understood.")])
        return outbox_json("invalid", 422, errors=errors, form_errors=form_errors,
                           message=" ".join(form_errors + list(errors.values())))
    if code == 409 and g.get("reused_client_id"):
        return outbox_json("reused_id", 409, message=_("This entry is new: it is sent again as a record of its own."))
    if code == 400 and not g.get("csrf_valid"):
        return outbox_json("csrf", 400, message=_("The form could not be checked."))
    if code == 401:
        return _signed_out()
    if code >= 500:
        return outbox_json("error", code, message=_("The server could not save it now; it will be sent again."))
    refusals = {
        403: _("Your account may not do this."),
        404: _("This page does not exist, or it is outside your area."),
        409: _("This was saved by another account; yours was not saved."),
        413: _("The file is larger than 5 MB. Nothing was saved."),
    }
    return outbox_json("refused", code, message=refusals.get(code, _("The request could not be understood.")))


def mark_page(response: Response) -> Response:
    """Whose page this is, and whether it shows a child's data: what the worker needs to keep it safely."""
    if response.mimetype != "text/html":
        return response
    response.headers["X-Sotay-User"] = str(current_user.id) if current_user.is_authenticated else ""
    if g.get("personal_data"):
        response.headers[PERSONAL_HEADER] = "1"
    return response


def _personal_loaded(target, context) -> None:
    from flask import has_request_context

    if has_request_context():
        g.personal_data = True


def watch_personal_data() -> None:
    """A page that loaded a child, an audit entry or a kept edit (which copy a child's data) shows a child's data."""
    from ..children.models import Child
    from ..core.audit import AuditLog
    from ..core.edits import EditConflict

    for model in (Child, AuditLog, EditConflict):
        if not event.contains(model, "load", _personal_loaded):
            event.listen(model, "load", _personal_loaded)


def register(app) -> None:
    app.before_request(guard)
    app.after_request(answer)
    app.after_request(mark_page)
    watch_personal_data()
    prefixes = " ".join(online_only_prefixes(app))
    app.jinja_env.globals["online_only_prefixes"] = prefixes
