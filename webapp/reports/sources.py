"""The figures behind two of the plan's goals that no activity record gives, each with its source:
- the children aged 6 to 15 of each unit from the population statistics (T6, T7's denominator): the province's
  administrator enters them for any unit of the province, a commune's officer for the commune;
- the decisions recognising communes as child-friendly (T12): the province's administrator records them, a commune's
  officer (and leaders) see their own."""

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from ..core import clock, edits, idempotent
from ..core.fields import column_int
from ..core.scope import ADMIN, OFFICER, VIEWER, get_or_404, roles_required, unit_in_scope
from ..core.text import clean
from ..extensions import db
from ..geo.models import COMMUNE, Unit
from ..htmx import redirect_to, render
from . import bp, indicators, population, services
from .forms import REFORM_DAY, PopulationForm, RecognitionForm
from .models import PopulationFigure, Recognition

READERS = (ADMIN, OFFICER, VIEWER)


# --- Children aged 6 to 15 from the population statistics --------------------------------------------------------

def _years() -> list[int]:
    return sorted({p.plan.year for p in services.periods_for(current_user)}, reverse=True)


def _year_arg() -> int:
    """The plan's year asked for (?year=), else the year of the report due next; 404 for a year with no plan."""
    years = _years()
    if not years:
        abort(404)
    try:
        year = column_int(request.args["year"]) if request.args.get("year") else None
    except ValueError:
        abort(404)
    if year is None:
        period = services.current_period(current_user)
        year = period.plan.year if period else years[0]
    if year not in years:
        abort(404)
    return year


def _may_enter(unit: Unit) -> bool:
    """The province's administrator for any unit of the province; an officer for their own unit."""
    if unit.level not in population.FIGURE_LEVELS or not unit_in_scope(unit):
        return False
    return current_user.role == ADMIN or (current_user.role == OFFICER and current_user.unit_id == unit.id)


@bp.route("/population")
@roles_required(*READERS)
def population_figures():
    """The children aged 6 to 15 of the user's unit and the units under it, for a plan's year, with their sources."""
    year = _year_arg()
    unit = current_user.unit
    units = list(db.session.scalars(
        select(Unit).where(Unit.path.like(f"{unit.path}%"), Unit.level.in_(population.FIGURE_LEVELS),
                           Unit.active.is_(True)).order_by(Unit.path != unit.path, Unit.name)))
    figures = {f.unit_id: f for f in db.session.scalars(select(PopulationFigure).where(
        PopulationFigure.year == year, PopulationFigure.unit_id.in_([u.id for u in units])))}
    return render("reports/population.html", year=year, years=_years(), unit=unit, units=units, figures=figures,
                  coverage=population.coverage(unit, year), may_enter=_may_enter)


@bp.route("/population/<int:unit_id>", methods=["GET", "POST"])
@roles_required(ADMIN, OFFICER)
def enter_population(unit_id: int):
    """Enter or correct a unit's children aged 6 to 15 for a plan's year, with the source."""
    unit = get_or_404(Unit, unit_id, unit_attr="id")
    if unit.level not in population.FIGURE_LEVELS:
        abort(404)
    if not _may_enter(unit):
        abort(403)
    year = _year_arg()
    back = url_for("reports.population_figures", year=year)
    existing = db.session.scalar(select(PopulationFigure).where(PopulationFigure.unit_id == unit.id,
                                                                 PopulationFigure.year == year))
    if request.method == "POST" and idempotent.replay_of(PopulationFigure) is not None:
        return redirect_to(back)
    initial = None
    if existing is not None and request.method == "GET":
        initial = {"children_6_15": f"{existing.children_6_15:,}".replace(",", "."), "source": existing.source,
                   "note": existing.note, "base_version": existing.version}
    form = PopulationForm(data=initial)
    if existing is not None:
        del form.client_id
    else:
        del form.base_version
    if form.validate_on_submit():
        values = {"children_6_15": form.parsed, "source": clean(form.source.data),
                  "note": clean(form.note.data) or None}
        if existing is None:
            idempotent.create_once(PopulationFigure, form.client_id.data, current_user, lambda: PopulationFigure(
                unit_id=unit.id, year=year, **values), year=year, children_6_15=values["children_6_15"])
            flash(_("The figure is saved."), "success")
        else:
            def apply() -> dict:
                return edits.assign(existing, values)

            if edits.save_edit(existing, form.base_version.data, apply, current_user, values):
                flash(_("The figure is saved."), "success")
            else:
                flash(_("Someone changed this figure meanwhile; your figure is kept for an officer to settle."),
                      "warning")
        return redirect_to(back)
    return render("reports/population_form.html", status=422 if form.errors else 200, form=form, unit=unit,
                  year=year, existing=existing,
                  register=_register_count(unit, year))


def _register_count(unit: Unit, year: int) -> int | None:
    """The register's children aged 6 to 15 at the end of the year: shown beside the figure as a check only."""
    period = next((p for p in services.periods_for(current_user, year) if p.code == "annual"), None)
    if period is None or "children_school_age" not in indicators.REGISTRY:
        return None
    return indicators.value("children_school_age", unit, period)


# --- Communes recognised as child-friendly (T12) ------------------------------------------------------------------

@bp.route("/recognitions")
@roles_required(*READERS)
def recognitions():
    """The decisions recognising the communes of the user's area as child-friendly, the latest first."""
    unit = current_user.unit
    rows = db.session.execute(
        select(Recognition, Unit.name).join(Unit, Unit.id == Recognition.unit_id)
        .where(Unit.path.like(f"{unit.path}%")).order_by(Recognition.decided_on.desc(), Unit.name)).all()
    today = clock.today()
    return render("reports/recognitions.html", rows=rows, unit=unit, may_record=current_user.role == ADMIN,
                  holds_until=indicators.recognition_holds_until, today=today)


def _commune_choices() -> list[SelectChoice]:
    communes = db.session.execute(select(Unit.id, Unit.name).where(
        Unit.path.like(f"{current_user.unit.path}%"), Unit.level == COMMUNE, Unit.active.is_(True))
        .order_by(Unit.name)).all()
    return [SelectChoice("", "—")] + [SelectChoice(uid, name) for uid, name in communes]


RECOGNITION_FIELDS = ("unit_id", "decision_number", "decided_on", "deciding_level", "deciding_body", "valid_until",
                      "note")


@bp.route("/recognitions/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new_recognition():
    """Record a decision recognising a commune as child-friendly: the province's administrator."""
    return _recognition_form(None)


@bp.route("/recognitions/<int:recognition_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit_recognition(recognition_id: int):
    """Correct a recorded decision."""
    return _recognition_form(get_or_404(Recognition, recognition_id))


def _recognition_form(existing: Recognition | None):
    back = url_for("reports.recognitions")
    if request.method == "POST" and existing is None and idempotent.replay_of(Recognition) is not None:
        return redirect_to(back)
    initial = None
    if existing is not None and request.method == "GET":
        initial = {name: getattr(existing, name) for name in RECOGNITION_FIELDS} | {"base_version": existing.version}
    elif existing is None and request.method == "GET":
        initial = {"deciding_level": "province" if clock.today() >= REFORM_DAY else "district",
                   "deciding_body": f"Chủ tịch Ủy ban nhân dân {current_user.unit.name}"}
    form = RecognitionForm(data=initial)
    form.unit_id.choices = _commune_choices()
    if existing is not None:
        del form.client_id
    else:
        del form.base_version
    if form.validate_on_submit():
        values = {"unit_id": form.unit_id.data, "decision_number": clean(form.decision_number.data),
                  "decided_on": form.decided_on.data, "deciding_level": form.deciding_level.data,
                  "deciding_body": clean(form.deciding_body.data), "valid_until": form.valid_until.data,
                  "note": clean(form.note.data) or None}
        taken = db.session.scalar(select(Recognition.id).where(
            Recognition.unit_id == values["unit_id"], Recognition.decided_on == values["decided_on"],
            Recognition.id != (existing.id if existing else -1)))
        if taken is None:
            if existing is None:
                idempotent.create_once(Recognition, form.client_id.data, current_user,
                                       lambda: Recognition(**values), decision=values["decision_number"])
            else:
                def apply() -> dict:
                    return edits.assign(existing, values)

                if not edits.save_edit(existing, form.base_version.data, apply, current_user, values):
                    flash(_("Someone changed this decision meanwhile; your version is kept for an officer to "
                            "settle."), "warning")
                    return redirect_to(back)
            flash(_("The decision is saved."), "success")
            return redirect_to(back)
        form.decided_on.errors = [*form.decided_on.errors,
                                  _("A decision of this date is already recorded for this commune.")]
    return render("reports/recognition_form.html", status=422 if form.errors else 200, form=form,
                  existing=existing)
