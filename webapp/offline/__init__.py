"""Offline: the installable app (manifest, icons), the service worker, the outbox page and settling edit conflicts."""

from flask import Blueprint, current_app, render_template
from flask_babel import get_locale
from markupsafe import Markup

bp = Blueprint("offline", __name__)

_STRINGS: dict[str, Markup] = {}


def offline_strings() -> Markup:
    """The words the outbox and worker scripts show, in the page's language. Every page carries them and they
    differ only by language, so each language's block is rendered once (34 translations less per page)."""
    locale = str(get_locale())
    if locale not in _STRINGS or current_app.debug:
        _STRINGS[locale] = Markup(render_template("offline/_strings.html"))
    return _STRINGS[locale]


@bp.app_context_processor
def _strings_in_every_template():
    return {"offline_strings": offline_strings}


from . import views  # noqa: E402,F401
