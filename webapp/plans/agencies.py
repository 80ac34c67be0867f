"""The agencies plans and activities name: the list, adding one, renaming one or saying until when it held its
role and who took over (names change, as in 2025, without a code change)."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..core import edits, idempotent
from ..core.scope import ADMIN, get_or_404, roles_required
from ..core.text import clean
from ..extensions import db
from ..geo.models import Unit
from ..htmx import redirect_to, render
from . import bp
from .forms import AgencyForm
from .models import Agency
from .services import agencies_for


def _successor_choices(form, agency: Agency | None) -> None:
    rows = db.session.scalars(agencies_for(current_user, include_inactive=True)).all()
    form.successor_id.choices = [SelectChoice("", "—")] + [SelectChoice(a.id, a.name) for a in rows
                                                           if agency is None or a.id != agency.id]


@bp.route("/agencies", methods=["GET", "POST"])
@roles_required(ADMIN)
def agencies():
    """The agencies plans and activities name; add one (names change, as in 2025, without a code change)."""
    existing = idempotent.replay_of(Agency)
    if existing is not None:
        return redirect_to(url_for("plans.agencies"))
    province = db.session.get(Unit, current_user.unit.ancestor_ids()[0])
    form = AgencyForm(province=province)
    del form.base_version  # a new agency carries its client_id
    _successor_choices(form, None)
    if form.validate_on_submit():
        name = clean(form.name.data)

        def build() -> Agency:
            return Agency(unit_id=province.id, name=name, short_name=clean(form.short_name.data) or None,
                          level=form.level.data, active=form.active.data, valid_until=form.valid_until.data,
                          successor_id=form.successor_id.data)

        idempotent.create_once(Agency, form.client_id.data, current_user, build, name=name)
        flash(_("%(name)s added.", name=name), "success")
        return redirect_to(url_for("plans.agencies"))
    rows = db.session.scalars(agencies_for(current_user, include_inactive=True)).all()
    return render("plans/agencies.html", form=form, agencies=rows, status=422 if form.errors else 200)


@bp.route("/agencies/<int:agency_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit_agency(agency_id: int):
    """Rename an agency, or say until when it held its role."""
    agency = get_or_404(Agency, agency_id)
    data = None
    if request.method == "GET":
        data = {"base_version": agency.version, "name": agency.name, "short_name": agency.short_name,
                "level": agency.level, "active": agency.active, "valid_until": agency.valid_until,
                "successor_id": agency.successor_id}
    form = AgencyForm(data=data, agency=agency)
    del form.client_id
    _successor_choices(form, agency)
    if form.validate_on_submit():
        def change() -> dict:
            return edits.assign(agency, {
                "name": clean(form.name.data), "short_name": clean(form.short_name.data) or None,
                "level": form.level.data, "active": form.active.data, "valid_until": form.valid_until.data,
                "successor_id": form.successor_id.data})

        if edits.save_edit(agency, form.base_version.data, change, current_user, edits.posted()):
            flash(_("Agency saved."), "success")
        else:
            flash(_("Someone changed this agency meanwhile; your changes are kept aside."), "warning")
        return redirect_to(url_for("plans.agencies"))
    return render("plans/agency_form.html", form=form, agency=agency, status=422 if form.errors else 200)


