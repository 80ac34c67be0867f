"""The one place that decides between a full page and an htmx partial, and how a redirect is answered.

htmx 4 sends `HX-Request: true` also for history restores and body swaps; those get the full page. Only a request
that htmx marks `HX-Request-Type: partial` gets the partial. Views never read HX-* headers themselves.
"""

from flask import Response, g, make_response, redirect, render_template, request
from wtforms import Form


def is_partial() -> bool:
    return (
        bool(request.htmx)
        and not request.htmx.history_restore_request
        and request.headers.get("HX-Request-Type", "partial") == "partial"
    )


def render(page_template: str, partial_template: str | None = None, /, status: int = 200, **context) -> Response:
    """Render `partial_template` for an htmx partial request, else the whole `page_template`. The errors of the
    forms shown are kept for the outbox's answer (`offline.answers`), which reads them from here, not the HTML."""
    forms = [value for value in context.values() if isinstance(value, Form) and value.errors]
    if forms:
        g.shown_forms = forms
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
