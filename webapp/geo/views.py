"""Places: search the units of my area, open one, add a village, import a village list."""

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..core import edits, idempotent
from ..core.pagination import paginate
from ..core.scope import ADMIN, COLLECTOR, OFFICER, get_or_404, roles_required
from ..core.text import clean
from ..extensions import db
from ..htmx import redirect_to, render
from . import bp
from .forms import KIND_LABELS, ImportForm, RenameForm, VillageForm
from .models import COMMUNE, VILLAGE, Unit
from .services import (
    MAX_VILLAGE_ROWS,
    UnreadableFile,
    import_villages,
    new_village,
    read_rows,
    rename_unit,
    search,
    village_named,
)


@bp.route("/")
@roles_required(ADMIN, OFFICER, COLLECTOR)
def index():
    """The places of my area; typing a name filters them in place, with or without accents."""
    query = clean(request.args.get("q"))
    page = paginate(search(query, current_user.unit))
    return render("geo/index.html", "geo/_rows.html", page=page, query=query)


@bp.route("/<int:unit_id>")
@roles_required(ADMIN, OFFICER, COLLECTOR)
def detail(unit_id: int):
    """One unit: where it sits, and the units under it."""
    unit = get_or_404(Unit, unit_id, unit_attr="id")
    children = db.session.scalars(select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.search_name)).all()
    counts = dict(
        db.session.execute(
            select(Unit.parent_id, func.count()).where(Unit.parent_id.in_([c.id for c in children]))
            .group_by(Unit.parent_id)
        ).all()
    ) if children else {}
    may_add = unit.level == COMMUNE and current_user.role in (ADMIN, OFFICER)
    may_rename = unit.level == VILLAGE and current_user.role in (ADMIN, OFFICER)
    return render("geo/detail.html", unit=unit, children=children, counts=counts, may_add=may_add,
                  may_rename=may_rename,
                  kind_labels=KIND_LABELS)


def _commune_in_scope_or_404(unit_id: int) -> Unit:
    unit = get_or_404(Unit, unit_id, unit_attr="id")
    if unit.level != COMMUNE:
        abort(404)
    return unit


@bp.route("/<int:unit_id>/villages/new", methods=["GET", "POST"])
@roles_required(ADMIN, OFFICER)
def new_village_view(unit_id: int):
    """Add a village (thôn, bản, tổ dân phố) to a commune of my area."""
    commune = _commune_in_scope_or_404(unit_id)
    existing = idempotent.replay_of(Unit)
    if existing is not None:
        return redirect_to(url_for("geo.detail", unit_id=commune.id))
    form = VillageForm()
    if form.validate_on_submit():
        if village_named(commune, form.name.data):
            form.name.errors.append(_("%(commune)s already has a village of this name.", commune=commune.name))
        else:
            def build() -> Unit:
                return new_village(commune, form.name.data, form.kind.data)

            village, _created = idempotent.create_once(Unit, form.client_id.data, current_user, build,
                                                       name=clean(form.name.data))
            flash(_("%(name)s added to %(commune)s.", name=village.name, commune=commune.name), "success")
            return redirect_to(url_for("geo.detail", unit_id=commune.id))
    return render("geo/village_form.html", form=form, commune=commune, status=422 if form.errors else 200)


@bp.route("/<int:unit_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN, OFFICER)
def rename_village(unit_id: int):
    """Rename a village of my area; if someone renamed it meanwhile, my edit is kept to be settled, not lost."""
    village = get_or_404(Unit, unit_id, unit_attr="id")
    if village.level != VILLAGE:
        abort(404)
    form = RenameForm(data={"base_version": village.version, "name": village.name} if request.method == "GET" else None)
    if form.validate_on_submit():
        posted = {"name": clean(form.name.data)}
        try:
            applied = edits.save_edit(village, form.base_version.data, lambda: rename_unit(village, posted),
                                      current_user, posted)
        except edits.EditRefused as refused:
            db.session.rollback()
            form.name.errors.append(str(refused))
        else:
            if not applied:
                flash(_("%(name)s was changed by someone else meanwhile: your edit is kept to be settled.",
                        name=village.name), "warning")
                return redirect_to(url_for("offline.conflicts"))
            flash(_("Renamed to %(name)s.", name=village.name), "success")
            return redirect_to(url_for("geo.detail", unit_id=village.id))
    return render("geo/rename.html", form=form, village=village, status=422 if form.errors else 200)


@bp.route("/import", methods=["GET", "POST"])
@roles_required(ADMIN, OFFICER)
def import_view():
    """Import a list of villages from CSV or XLSX; each row says added, already there, or refused and why."""
    form = ImportForm()
    results = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            rows = read_rows(upload.filename or "", upload.read(), max_rows=MAX_VILLAGE_ROWS)
        except UnreadableFile as exc:
            form.file.errors.append(str(exc.message) if exc.message else
                _("This file cannot be read. Save it as CSV (UTF-8) or XLSX with the commune in the first column "
                  "and the village in the second. Nothing was changed.")
            )
        else:
            results = import_villages(rows, current_user, current_user.unit)
            added = sum(r.status == "added" for r in results)
            flash(_("%(added)s of %(total)s rows added.", added=added, total=len(results)),
                  "success" if added == len(results) else "info")
    status = 422 if form.errors else 200
    return render("geo/import.html", form=form, results=results, status=status)
