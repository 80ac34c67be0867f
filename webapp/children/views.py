"""The child register: list and search, add (catching duplicates), open, merge, export and erase a child."""

import json

from flask import Response, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from ..core import audit, edits, idempotent
from ..core.formatting import Translated
from ..core.pagination import paginate
from ..core.scope import (
    ADMIN,
    COLLECTOR,
    OFFICER,
    VIEWER,
    counted_unit,
    get_or_404,
    roles_required,
    sees_villages,
    subtree_ids,
)
from ..core.text import clean
from ..extensions import db
from ..geo.models import VILLAGE, Unit
from ..htmx import redirect_to, render
from . import bp
from .data import AGE_BANDS, CONSENT_METHODS, CONSENT_RELATIONS, SEXES, SPECIAL_GROUPS
from .forms import ChildForm, ConfirmForm, CountsForm, MergeForm
from .models import Child
from .services import (
    HISTORY_HOOKS,
    apply_edit,
    child_from_posted,
    children_query,
    counts,
    erase,
    export_data,
    merge,
    possible_duplicates,
    posted_data,
    today,
    villages_of,
    visible_duplicates,
)

CONSENT = {"relations": CONSENT_RELATIONS, "methods": CONSENT_METHODS}

OFFICERS = (ADMIN, OFFICER)


def may_see_groups() -> bool:
    """The Điều 10 groups are sensitive data: officers only."""
    return current_user.role in OFFICERS


def _active_child_or_404(child_id: int) -> Child:
    child = get_or_404(Child, child_id)
    if child.erased_at is not None:
        abort(404)
    return child


@bp.route("/")
@roles_required(ADMIN, OFFICER, COLLECTOR)
def index():
    """The children of my area; typing a name filters them in place, with or without accents."""
    query = clean(request.args.get("q"))
    village_id = request.args.get("village", type=int)
    villages = villages_of(current_user)
    page = paginate(children_query(current_user, query, village_id))
    return render("children/index.html", "children/_rows.html", page=page, query=query, villages=villages,
                  village_id=village_id, sexes=Translated(SEXES), today=today())


@bp.route("/new", methods=["GET", "POST"])
@roles_required(ADMIN, OFFICER, COLLECTOR)
def new():
    """Add a child; a child of the same commune and birth year with a similar name is shown first."""
    existing = idempotent.replay_of(Child)
    if existing is not None:
        return redirect_to(url_for("children.detail", child_id=existing.id))
    form = ChildForm(village_id=request.args.get("village", type=int))
    del form.base_version
    _village_choices(form)
    if form.validate_on_submit():  # a similar child the user may see is shown; one elsewhere is said, never shown
        posted = posted_data(form, may_see_groups())

        def build() -> Child:
            return child_from_posted(posted)

        child, _created = idempotent.create_once(Child, form.client_id.data, current_user, build)
        flash(_("Child added to the register."), "success")
        return redirect_to(url_for("children.detail", child_id=child.id))
    return render("children/form.html", form=form, duplicates=form.duplicates, elsewhere=form.elsewhere, sexes=SEXES,
                  child=None, status=422 if form.errors else 200)


def _village_choices(form: ChildForm) -> None:
    """The villages of my area to choose from; the Điều 10 groups only on an officer's form."""
    form.village_id.choices = [SelectChoice(v.id, f"{v.name} ({v.parent.name})") for v in villages_of(current_user)]
    if not may_see_groups():
        del form.special_groups


@bp.route("/<int:child_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN, OFFICER, COLLECTOR)
def edit(child_id: int):
    """Correct a child's record (a typo in a name); an edit made on an older version is kept as a conflict."""
    child = _active_child_or_404(child_id)
    if child.merged_into_id is not None:
        abort(404)
    if request.method == "GET":
        form = ChildForm(obj=child, village_id=child.unit_id, base_version=child.version,
                         special_groups=child.groups, consent_child=bool(child.consent_child))
        if child.consent_on is None:
            form.consent_on.data = today()
        if child.consent_by is None:
            form.consent_by.data = child.guardian_name
    else:
        form = ChildForm()
    del form.client_id, form.not_duplicate
    _village_choices(form)
    if form.validate_on_submit():
        posted = {**posted_data(form, may_see_groups()), "base_version": form.base_version.data}
        try:
            applied = edits.save_edit(child, form.base_version.data, lambda: apply_edit(child, posted), current_user,
                                      posted)
        except edits.EditRefused as refused:
            db.session.rollback()
            form.full_name.errors.append(str(refused))
        else:
            if not applied:
                flash(_("This record was changed by someone else meanwhile: your edit is kept to be settled."),
                      "warning")
                return redirect_to(url_for("offline.conflicts"))
            flash(_("Record saved."), "success")
            return redirect_to(url_for("children.detail", child_id=child.id))
    return render("children/form.html", form=form, duplicates=[], elsewhere=False, sexes=SEXES, child=child,
                  status=422 if form.errors else 200)


@bp.route("/<int:child_id>")
@roles_required(ADMIN, OFFICER, COLLECTOR)
def detail(child_id: int):
    """One child's record; every opening is written to the audit log."""
    child = _active_child_or_404(child_id)
    if child.merged_into_id is not None:
        return redirect_to(url_for("children.detail", child_id=child.merged_into_id))
    audit.record("view", child)
    db.session.commit()
    duplicates = visible_duplicates(possible_duplicates(child.full_name, child.birth_year, child.commune_id,
                                                         exclude_id=child.id))[0] if may_see_groups() else []
    merge_form = MergeForm()
    merge_form.into_id.choices = [SelectChoice(d.id, f"{d.full_name} — {d.village.name}") for d in duplicates]
    records = [section for hook in HISTORY_HOOKS for section in hook(child)]
    return render("children/detail.html", child=child, sexes=SEXES, groups=SPECIAL_GROUPS,
                  may_see_groups=may_see_groups(), duplicates=duplicates, merge_form=merge_form,
                  confirm_form=ConfirmForm(), today=today(), records=records, **CONSENT)


@bp.route("/<int:child_id>/merge", methods=["POST"])
@roles_required(ADMIN, OFFICER)
def merge_view(child_id: int):
    """Merge this child (a duplicate) into another record of the same child; its history moves there."""
    duplicate = _active_child_or_404(child_id)
    form = MergeForm()
    candidates = visible_duplicates(possible_duplicates(duplicate.full_name, duplicate.birth_year,
                                                         duplicate.commune_id, exclude_id=duplicate.id))[0]
    form.into_id.choices = [SelectChoice(d.id, d.full_name) for d in candidates]
    if duplicate.merged_into_id is not None or not form.validate_on_submit():
        flash(_("Choose one of the possible duplicates to keep."), "error")
        return redirect_to(url_for("children.detail", child_id=duplicate.id))
    kept = _active_child_or_404(form.into_id.data)
    moved = merge(duplicate, kept, current_user)
    flash(_("The two records are merged; %(n)s records moved to this child.", n=moved), "success")
    return redirect_to(url_for("children.detail", child_id=kept.id))


@bp.route("/<int:child_id>/export")
@roles_required(ADMIN, OFFICER)
def export(child_id: int):
    """A guardian's request to see a child's data: everything held about the child, as a file; audited."""
    child = _active_child_or_404(child_id)
    audit.record("export", child, what="child_data")
    db.session.commit()
    body = json.dumps(export_data(child), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f"attachment; filename=child-{child.id}.json",
                             "Cache-Control": "no-store"})


@bp.route("/<int:child_id>/erase", methods=["POST"])
@roles_required(ADMIN, OFFICER)
def erase_view(child_id: int):
    """A guardian's request to erase a child's data: only anonymous counts stay."""
    child = _active_child_or_404(child_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("Confirm that the request was checked."), "error")
        return redirect_to(url_for("children.detail", child_id=child.id))
    erase(child, current_user, form.reason.data or "request")
    flash(_("The child's personal data is erased; only anonymous counts remain."), "success")
    return redirect_to(url_for("children.index"))


@bp.route("/counts")
@roles_required(ADMIN, OFFICER, COLLECTOR, VIEWER)
def counts_view():
    """How many children are registered in an area, by sub-unit, sex, age band and ethnicity: counts only, no name;
    the Điều 10 groups for officers only."""
    form = CountsForm(request.args)
    units = list(db.session.scalars(
        select(Unit).where(Unit.id.in_(subtree_ids(current_user.unit)), Unit.level != "village").order_by(Unit.path)))
    if current_user.unit not in units:
        units.insert(0, current_user.unit)
    form.unit.choices = [SelectChoice(u.id, u.name) for u in units]
    unit = counted_unit(get_or_404(Unit, form.unit.data or current_user.unit_id, unit_attr="id"))
    on = form.on.data if form.on.data and not form.on.errors else today()
    form.unit.data, form.on.data = unit.id, on
    c = counts(unit, on, may_see_groups())
    if not sees_villages():  # a viewer: the commune's total, not one line per village
        c["rows"] = [row for row in c["rows"] if row["unit"].level != VILLAGE]
    return render("children/counts.html", form=form, unit=unit, on=on, c=c,
                  bands=AGE_BANDS, groups=SPECIAL_GROUPS, may_see_groups=may_see_groups())
