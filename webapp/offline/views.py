"""The manifest, the service worker, the offline page, a fresh CSRF token for the outbox, the outbox page, and the
page where a user or an officer settles edits that were kept as conflicts."""

import json
from pathlib import Path

from flask import Response, abort, current_app, flash, jsonify, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import and_, func, or_, select

from ..core import edits, waiting
from ..core.edits import EditConflict
from ..core.scope import ADMIN, COLLECTOR, OFFICER, roles_required, scoped
from ..core.security import fits
from ..core.working_set import urls_for as working_set_urls
from ..extensions import db
from ..htmx import redirect_to, render
from . import bp
from .services import WORKER_SOURCE, build_version, page_script_urls, shell_urls, static_url

THEME = "#0b5d47"


@bp.route("/manifest.webmanifest")
def manifest():
    """The web app manifest: what the phone shows when the app is added to its home screen."""
    icons = [{"src": static_url(f"icons/icon-{s}.png"), "sizes": f"{s}x{s}", "type": "image/png", "purpose": "any"}
             for s in (192, 512)]
    icons += [{"src": static_url(f"icons/maskable-{s}.png"), "sizes": f"{s}x{s}", "type": "image/png",
               "purpose": "maskable"} for s in (192, 512)]
    data = {
        "name": _("Sổ tay — child protection log"),
        "short_name": "Sổ tay",
        "description": _("Log child-protection work, also with no signal."),
        "lang": "vi",
        "start_url": url_for("core.home"),
        "scope": "/",
        "id": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME,
        "background_color": "#ffffff",
        "icons": icons,
    }
    response = Response(json.dumps(data, ensure_ascii=False), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/sw.js")
def service_worker():
    """The service worker, at the root so that it controls every page; never taken from an HTTP cache."""
    body = (Path(current_app.static_folder) / WORKER_SOURCE).read_text(encoding="utf-8")
    head = (f"const VERSION = {json.dumps(build_version())};\n"
            f"const SHELL = {json.dumps(shell_urls())};\n"
            f"const OFFLINE_URL = {json.dumps(url_for('offline.offline_page'))};\n"
            f"const OUTBOX_SCRIPT = {json.dumps(static_url('js/outbox.js'))};\n"
            f"const WORKING_SET_URL = {json.dumps(url_for('offline.working_set'))};\n"
            f"const PAGE_SCRIPTS = {json.dumps(page_script_urls())};\n"
            f"const LOGIN_URL = {json.dumps(url_for('accounts.login'))};\n"
            f"const PERSONAL_HOURS = {json.dumps(current_app.config['OFFLINE_PERSONAL_HOURS'])};\n")
    response = Response(head + body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/offline")
def offline_page():
    """What a phone with no signal shows for a page it has not kept: what can be done offline."""
    response = render("offline/offline.html")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/csrf")
def csrf_token():
    """A fresh CSRF token and who is signed in: the outbox asks just before it sends what waits."""
    user = current_user.id if current_user.is_authenticated else None
    response = jsonify(token=generate_csrf(), user=user)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/offline/working-set")
def working_set():
    """The pages this person needs without signal, for the worker to keep before they are needed."""
    user = current_user.id if current_user.is_authenticated else None
    urls = working_set_urls(current_user) if user else []
    response = jsonify(user=user, urls=urls)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/outbox")
def outbox():
    """What waits on this phone to be sent, what was refused and why, and when the last send succeeded."""
    return render("offline/outbox.html")


def _conflicts_query():
    """Unsettled conflicts I made, and for an officer or admin every other one too; each is then shown or settled
    only if I may see and edit its record now (`edits.conflict_record`), whatever unit was stored with it."""
    stmt = select(EditConflict).where(EditConflict.resolved_at.is_(None))
    if current_user.role not in (ADMIN, OFFICER):
        return stmt.where(EditConflict.user_id == current_user.id)
    # Only those whose record is in my area now, found by the database (not every conflict of the province loaded
    # and checked one by one); the check of each shown row stays the rule.
    # (a record's area is its unit_id column; a place's is the place itself)
    columns = {name: e.model.__table__.c for name, e in edits.EDITORS.items()}
    in_area = [and_(EditConflict.record_type == name,
                    EditConflict.record_id.in_(scoped(select(c.id), c.unit_id if "unit_id" in c else c.id)))
               for name, c in columns.items()]
    return stmt.where(or_(EditConflict.user_id == current_user.id, *in_area))


@waiting.add
def _waiting_conflicts(user) -> list[waiting.Waiting]:
    """Edits kept because their record had changed meanwhile, for whoever may settle them: one COUNT."""
    if user.role not in (ADMIN, OFFICER, COLLECTOR):
        return []
    n = db.session.scalar(select(func.count()).select_from(_conflicts_query().subquery()))
    return [waiting.Waiting(ngettext("%(num)s edit in conflict to settle", "%(num)s edits in conflict to settle", n),
                            url_for("offline.conflicts"), urgent=True)] if n else []


def _shown(value):
    """A kept post's value as typed: a field posted as a list (every form's post keeps all values) shows joined."""
    return ", ".join(str(v) for v in value) if isinstance(value, list) else value


def _rows(conflicts) -> list[dict]:
    rows = []
    for conflict in conflicts:
        found = edits.conflict_record(conflict, current_user)
        if found is None:
            continue
        editor, record = found
        posted = conflict.posted
        fields = [(label, getattr(record, name), _shown(posted.get(name))) for name, label in editor.labels.items()
                  if name in posted]
        rows.append({"conflict": conflict, "title": editor.describe(record), "fields": fields,
                     "url": editor.url(record)})
    return rows


@bp.route("/conflicts")
@roles_required(ADMIN, OFFICER, COLLECTOR)
def conflicts():
    """Edits kept because the record had changed meanwhile: my version and the saved one side by side."""
    items = db.session.scalars(_conflicts_query().order_by(EditConflict.created_at)).all()
    return render("offline/conflicts.html", rows=_rows(items))


@bp.route("/conflicts/<int:conflict_id>", methods=["POST"])
@roles_required(ADMIN, OFFICER, COLLECTOR)
def settle(conflict_id: int):
    """Keep mine (apply the edit I made) or keep theirs (drop it); either way the choice is audited."""
    conflict = db.session.scalar(_conflicts_query().where(EditConflict.id == conflict_id)) if fits(conflict_id) \
        else None
    choice = request.form.get("choice")
    if conflict is None or edits.conflict_record(conflict, current_user) is None:
        abort(404)
    if choice not in ("mine", "theirs"):
        abort(400)
    try:
        edits.settle(conflict, choice, current_user)
    except edits.EditRefused as refused:
        flash(str(refused), "error")
    else:
        flash(_("Your version is saved.") if choice == "mine"
              else _("The saved version is kept; your edit is dropped."), "success")
    return redirect_to(url_for("offline.conflicts"))
