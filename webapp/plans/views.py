"""Plans: the list, one plan with its targets, copying a plan to next year, editing it, its targets and
quantities (the agencies in agencies.py, a period's cut-off in cutoff.py)."""

from datetime import date

from flask import abort, flash, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from ..core import edits, idempotent
from ..core.scope import ADMIN, roles_required
from ..core.text import clean
from ..extensions import db
from ..geo.models import COMMUNE, PROVINCE, Unit
from ..htmx import redirect_to, render
from . import bp
from .forms import (
    DIRECTION_LABELS,
    KIND_LABELS,
    PERIOD_LABELS,
    CopyForm,
    PlanForm,
    QuantityForm,
    RemoveForm,
    TargetForm,
)
from .models import Plan, PlanQuantity, ReportPeriod, Target
from .services import (
    agencies_for,
    agency_choices,
    check_in_force,
    copy_plan,
    district_level_gone,
    plans_for,
    posted_ids,
)
from .templating import figure_text

LABELS = {"kinds": KIND_LABELS, "directions": DIRECTION_LABELS, "periods": PERIOD_LABELS}


def _plan_or_404(plan_id: int) -> Plan:
    """A plan of my province (a unit on my path), else 404."""
    plan = db.session.get(Plan, plan_id)
    if plan is None or plan.unit_id not in current_user.unit.ancestor_ids():
        abort(404)
    return plan


@bp.route("/")
@login_required
def index():
    """The yearly plans of my province, newest first."""
    return render("plans/index.html", plans=db.session.scalars(plans_for(current_user)).all())


@bp.route("/<int:plan_id>")
@login_required
def detail(plan_id: int):
    """One plan: its agencies, report periods and due dates, targets, and the activities it sets."""
    plan = _plan_or_404(plan_id)
    next_year = db.session.scalar(select(Plan).where(Plan.unit_id == plan.unit_id, Plan.year == plan.year + 1))
    return render("plans/detail.html", plan=plan, labels=LABELS, copy_form=CopyForm(), next_year=next_year,
                  target_rows=target_rows(plan),
                  figure_text=figure_text, locale=str(get_locale()),
                  is_admin=current_user.role == ADMIN)


def target_rows(plan: Plan) -> list[tuple[Target, list[Target]]]:
    """The plan's targets, each with the units' own targets of its code (a commune's fund target under T13)."""
    whole = [t for t in plan.targets if t.unit_id is None]
    codes = {t.code for t in whole}
    own = [t for t in plan.targets if t.unit_id is not None]
    rows = [(t, sorted((o for o in own if o.code == t.code), key=lambda o: o.unit.name)) for t in whole]
    return rows + [(t, []) for t in own if t.code not in codes]


@bp.route("/<int:plan_id>/copy", methods=["POST"])
@roles_required(ADMIN)
def copy(plan_id: int):
    """Make next year's plan as a copy of this one (targets, periods, agencies), then open it for editing."""
    plan = _plan_or_404(plan_id)
    existing = idempotent.replay_of(Plan)
    if existing is not None:
        return redirect_to(url_for("plans.edit", plan_id=existing.id))
    form = CopyForm()
    if not form.validate_on_submit():
        abort(400)
    taken = db.session.scalar(select(Plan).where(Plan.unit_id == plan.unit_id, Plan.year == plan.year + 1))
    if taken is not None:
        flash(_("The plan for %(year)s exists already.", year=taken.year), "info")
        return redirect_to(url_for("plans.detail", plan_id=taken.id))
    new, _created = idempotent.create_once(Plan, form.client_id.data, current_user,
                                           lambda: copy_plan(plan, plan.year + 1, current_user),
                                           copied_from=plan.id, year=plan.year + 1)
    flash(_("The %(year)s plan is a copy of %(source)s. Check its title, agencies, dates and targets.",
            year=new.year, source=plan.year), "success")
    left_out = [q.code for q in plan.quantities if district_level_gone(q, new)]
    if left_out:
        flash(_("Left out, since there are no districts after 01/7/2025: %(codes)s.", codes=", ".join(left_out)),
              "info")
    return redirect_to(url_for("plans.edit", plan_id=new.id))


AGENCY_FIELDS = ("issuing_agency_id", "lead_agency_id", "agencies")


def _agency_choices(form, plan: Plan) -> date:
    """Offer the agencies that hold their role in the plan's period (from its start, as posted), those the plan
    names already, and those just posted (to show why they are refused); returns the start they are offered for."""
    start = form.start_date.data if request.method == "POST" and form.start_date.data else plan.start_date
    posted = posted_ids(*(form[name] for name in AGENCY_FIELDS))
    agencies = agency_choices(current_user, start, keep=[plan.issuing_agency, plan.lead_agency, *plan.agencies],
                              posted=posted)
    choices = [SelectChoice(a.id, a.name) for a in agencies]
    form.issuing_agency_id.choices = [SelectChoice("", "—")] + choices
    form.lead_agency_id.choices = [SelectChoice("", "—")] + choices
    form.agencies.choices = choices
    return start


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit(plan_id: int):
    """Edit a plan: title, agencies, dates, hotline, and each report period with its due date."""
    plan = _plan_or_404(plan_id)
    periods = {p.code: p for p in plan.periods}
    data = None
    if request.method == "GET":
        data = {"base_version": plan.version, "title": plan.title, "document_number": plan.document_number,
                "issued_on": plan.issued_on, "issuing_agency_id": plan.issuing_agency_id,
                "lead_agency_id": plan.lead_agency_id, "agencies": [a.id for a in plan.agencies],
                "start_date": plan.start_date, "end_date": plan.end_date,
                "provincial_hotline": plan.provincial_hotline, "hotline_confirmed": bool(plan.hotline_confirmed)}
        for code in ("half_year", "annual"):
            if code in periods:
                data.update({f"{code}_start": periods[code].start_date, f"{code}_end": periods[code].end_date,
                             f"{code}_due": periods[code].due_date})
    form = PlanForm(data=data)
    start = _agency_choices(form, plan)
    if form.validate_on_submit():
        named = {plan.issuing_agency_id, plan.lead_agency_id} | {a.id for a in plan.agencies}
        for name in AGENCY_FIELDS:
            check_in_force(form[name], start, named)
    if request.method == "POST" and not form.errors:
        def change() -> dict:
            hotline = clean(form.provincial_hotline.data) or None
            changed = edits.assign(plan, {
                "title": clean(form.title.data), "document_number": clean(form.document_number.data) or None,
                "issued_on": form.issued_on.data, "issuing_agency_id": form.issuing_agency_id.data,
                "lead_agency_id": form.lead_agency_id.data, "start_date": form.start_date.data,
                "end_date": form.end_date.data, "provincial_hotline": hotline,
                "hotline_confirmed": True if hotline and form.hotline_confirmed.data else None})
            before = _plan_parts(plan)
            chosen = set(form.agencies.data or [])
            plan.agencies = [a for a in db.session.scalars(agencies_for(current_user, True)) if a.id in chosen]
            for code in ("half_year", "annual"):
                period = periods.get(code) or ReportPeriod(code=code)
                if period not in plan.periods:
                    plan.periods.append(period)
                edits.assign(period, {"start_date": form[f"{code}_start"].data, "end_date": form[f"{code}_end"].data,
                                      "due_date": form[f"{code}_due"].data})
            return changed | edits.compare(before, _plan_parts(plan))

        if edits.save_edit(plan, form.base_version.data, change, current_user, edits.posted()):
            flash(_("Plan saved."), "success")
        else:
            flash(_("Someone changed this plan meanwhile; your changes are kept aside. Here is the plan now."),
                  "warning")
        return redirect_to(url_for("plans.detail", plan_id=plan.id))
    return render("plans/edit.html", form=form, plan=plan, status=422 if form.errors else 200)


def _target_units() -> list[SelectChoice]:
    units = db.session.scalars(select(Unit).where(Unit.id.in_(current_user.unit.ancestor_ids())
                                                  | (Unit.level == COMMUNE)).where(Unit.level.in_((PROVINCE, COMMUNE)))
                               .where(Unit.in_area_of(current_user.unit)).order_by(Unit.path)).all()
    return [SelectChoice("", _("The whole plan"))] + [SelectChoice(u.id, u.name) for u in units]


def _plan_parts(plan: Plan) -> dict:
    """What of a plan is not a field of its own, as the audit shows it: its agencies and its periods' days."""
    return {"agencies": sorted(a.id for a in plan.agencies),
            "periods": {p.code: [str(p.start_date), str(p.end_date), str(p.due_date)] for p in plan.periods}}


@bp.route("/<int:plan_id>/targets/<int:target_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit_target(plan_id: int, target_id: int):
    """Edit one target of a plan; the change counts as a change of the plan, so two edits never overwrite."""

    plan = _plan_or_404(plan_id)
    target = db.session.get(Target, target_id)
    if target is None or target.plan_id != plan.id:
        abort(404)
    data = None
    if request.method == "GET":
        data = {"base_version": plan.version, "code": target.code, "text_vi": target.text_vi,
                "text_en": target.text_en, "kind": target.kind, "direction": target.direction,
                "figure": figure_text(target.kind, target.figure, plain=True),
                "baseline": figure_text(target.kind, target.baseline, plain=True),
                "baseline_year": target.baseline_year, "unit_id": target.unit_id, "note": target.note}
    form = TargetForm(data=data, plan=plan, target=target)
    del form.client_id  # an edit carries the version it started from
    form.unit_id.choices = _target_units()
    if form.validate_on_submit():
        code, figure, baseline = form.clean_code, form.parsed["figure"], form.parsed["baseline"]

        def change() -> dict:
            return edits.assign(target, {
                "code": code, "text_vi": clean(form.text_vi.data), "text_en": clean(form.text_en.data),
                "kind": form.kind.data, "direction": form.direction.data, "figure": figure, "baseline": baseline,
                "baseline_year": form.baseline_year.data, "unit_id": form.unit_id.data,
                "note": clean(form.note.data) or None}, prefix=f"{target.code}.")

        if edits.save_edit(plan, form.base_version.data, change, current_user, edits.posted()):
            flash(_("Target %(code)s saved.", code=target.code), "success")
        else:
            flash(_("Someone changed this plan meanwhile; your changes are kept aside. Here is the plan now."),
                  "warning")
        return redirect_to(url_for("plans.detail", plan_id=plan.id))
    return render("plans/target_form.html", form=form, plan=plan, target=target,
                  remove_form=RemoveForm(base_version=plan.version), status=422 if request.method == "POST" else 200)


@bp.route("/<int:plan_id>/targets/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new_target(plan_id: int):
    """Add a target to a plan."""
    plan = _plan_or_404(plan_id)
    existing = idempotent.replay_of(Target)
    if existing is not None:
        return redirect_to(url_for("plans.detail", plan_id=plan.id))
    like = db.session.get(Target, request.args.get("like", type=int) or 0)
    data = None
    if request.method == "GET" and like is not None and like.plan_id == plan.id:
        # A unit's own figure for a target of the plan: the same code, words and measure; the admin picks the unit.
        data = {"code": like.code, "text_vi": like.text_vi, "text_en": like.text_en, "kind": like.kind,
                "direction": like.direction, "figure": figure_text(like.kind, like.figure, plain=True)}
    form = TargetForm(data=data, plan=plan)
    del form.base_version  # a new target carries its client_id
    form.unit_id.choices = _target_units()
    if form.validate_on_submit():
        code, figure, baseline = form.clean_code, form.parsed["figure"], form.parsed["baseline"]

        def build() -> Target:
            plan.version += 1
            whole = next((t for t in plan.targets if t.code == code and t.unit_id is None), None)
            position = whole.position if whole is not None else max((t.position for t in plan.targets), default=-1) + 1
            return Target(plan_id=plan.id, code=code, position=position, text_vi=clean(form.text_vi.data),
                          text_en=clean(form.text_en.data), kind=form.kind.data, direction=form.direction.data,
                          figure=figure, baseline=baseline, baseline_year=form.baseline_year.data,
                          unit_id=form.unit_id.data, note=clean(form.note.data) or None)

        target, _created = idempotent.create_once(Target, form.client_id.data, current_user, build,
                                                  plan_id=plan.id, code=code, unit_id=plan.unit_id)
        flash(_("Target %(code)s added.", code=target.code), "success")
        return redirect_to(url_for("plans.detail", plan_id=plan.id))
    return render("plans/target_form.html", form=form, plan=plan, target=None,
                  remove_form=None, status=422 if request.method == "POST" else 200)


@bp.route("/<int:plan_id>/targets/<int:target_id>/remove", methods=["POST"])
@roles_required(ADMIN)
def remove_target(plan_id: int, target_id: int):
    """Take a target out of the plan (a commune's own figure no longer set, a target that does not apply this
    year); the audit log keeps what it was."""
    plan = _plan_or_404(plan_id)
    target = db.session.get(Target, target_id)
    if target is None or target.plan_id != plan.id:
        abort(404)
    form = RemoveForm()
    if not form.validate_on_submit():
        abort(400)
    name = target.code if target.unit_id is None else f"{target.code} · {target.unit.name}"

    def change() -> dict:
        before = {k: getattr(target, k) for k in ("code", "unit_id", "text_vi", "kind", "direction", "figure",
                                                  "baseline", "baseline_year", "note")}
        plan.targets.remove(target)
        return {name: [before, None]}

    if edits.save_edit(plan, form.base_version.data, change, current_user, edits.posted()):
        flash(_("%(code)s removed from the plan.", code=name), "success")
    else:
        flash(_("Someone changed this plan meanwhile; your changes are kept aside. Here is the plan now."), "warning")
    return redirect_to(url_for("plans.detail", plan_id=plan.id))


QUANTITY_FIELDS = ("code", "activity_kind", "text_vi", "text_en", "level", "events", "participants",
                   "adult_participants", "child_participants")


def _quantity_or_404(plan: Plan, quantity_id: int) -> PlanQuantity:
    quantity = db.session.get(PlanQuantity, quantity_id)
    if quantity is None or quantity.plan_id != plan.id:
        abort(404)
    return quantity


def _quantity_values(form) -> dict | None:
    """The posted quantity as column values, or None (the form shows each refusal next to its field)."""
    if not form.validate_on_submit():
        return None
    return {"code": form.clean_code, "activity_kind": form.activity_kind.data, "text_vi": clean(form.text_vi.data),
            "text_en": clean(form.text_en.data), "level": form.level.data or None, "events": form.events.data,
            "participants": form.participants.data, "adult_participants": form.adult_participants.data,
            "child_participants": form.child_participants.data}


@bp.route("/<int:plan_id>/quantities/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new_quantity(plan_id: int):
    """Add an activity the plan sets (how many, for how many people)."""
    plan = _plan_or_404(plan_id)
    form = QuantityForm(data={"base_version": plan.version} if request.method == "GET" else None, plan=plan)
    values = _quantity_values(form)
    if values is not None:
        def change() -> dict:
            plan.quantities.append(PlanQuantity(position=max((q.position for q in plan.quantities), default=-1) + 1,
                                                **values))
            return {values["code"]: [None, values]}

        if edits.save_edit(plan, form.base_version.data, change, current_user, edits.posted()):
            flash(_("%(code)s added.", code=values["code"]), "success")
        else:
            flash(_("Someone changed this plan meanwhile; your changes are kept aside. Here is the plan now."),
                  "warning")
        return redirect_to(url_for("plans.detail", plan_id=plan.id))
    return render("plans/quantity_form.html", form=form, plan=plan, quantity=None,
                  remove_form=None, status=422 if request.method == "POST" else 200)


@bp.route("/<int:plan_id>/quantities/<int:quantity_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit_quantity(plan_id: int, quantity_id: int):
    """Edit an activity the plan sets: its figures and words; the change counts as a change of the plan."""
    plan = _plan_or_404(plan_id)
    quantity = _quantity_or_404(plan, quantity_id)
    data = None
    if request.method == "GET":
        data = {name: getattr(quantity, name) for name in QUANTITY_FIELDS} | {"base_version": plan.version}
        data["level"] = quantity.level or ""
    form = QuantityForm(data=data, plan=plan, quantity=quantity)
    values = _quantity_values(form)
    if values is not None:
        def change() -> dict:
            return edits.assign(quantity, values, prefix=f"{quantity.code}.")

        if edits.save_edit(plan, form.base_version.data, change, current_user, edits.posted()):
            flash(_("%(code)s saved.", code=quantity.code), "success")
        else:
            flash(_("Someone changed this plan meanwhile; your changes are kept aside. Here is the plan now."),
                  "warning")
        return redirect_to(url_for("plans.detail", plan_id=plan.id))
    return render("plans/quantity_form.html", form=form, plan=plan, quantity=quantity,
                  remove_form=RemoveForm(base_version=plan.version), status=422 if request.method == "POST" else 200)


@bp.route("/<int:plan_id>/quantities/<int:quantity_id>/remove", methods=["POST"])
@roles_required(ADMIN)
def remove_quantity(plan_id: int, quantity_id: int):
    """Take out an activity that does not apply this year (district forums after 01/7/2025, when there are no
    districts); the audit log keeps what it was."""
    plan = _plan_or_404(plan_id)
    quantity = _quantity_or_404(plan, quantity_id)
    form = RemoveForm()
    if not form.validate_on_submit():
        abort(400)

    def change() -> dict:
        before = {name: getattr(quantity, name) for name in QUANTITY_FIELDS}
        plan.quantities.remove(quantity)
        return {quantity.code: [before, None]}

    code = quantity.code
    if edits.save_edit(plan, form.base_version.data, change, current_user, edits.posted()):
        flash(_("%(code)s removed from the plan.", code=code), "success")
    else:
        flash(_("Someone changed this plan meanwhile; your changes are kept aside. Here is the plan now."), "warning")
    return redirect_to(url_for("plans.detail", plan_id=plan.id))
