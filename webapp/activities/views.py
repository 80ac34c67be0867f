"""Activities: pick a kind, log it, list and filter, open, edit, approve or return, delete."""

from datetime import date

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import exists, select
from wtforms.fields.choices import SelectChoice

from ..core import audit, clock, edits, fragments, idempotent, waiting, working_set
from ..core.formatting import translated
from ..core.pagination import paginate
from ..core.scope import ADMIN, COLLECTOR, OFFICER, get_or_404, roles_required, scoped, subtree_ids
from ..core.security import as_id
from ..extensions import db
from ..geo.models import Unit
from ..htmx import is_partial as htmx_partial
from ..htmx import redirect_to, render
from ..plans.models import Plan, ReportPeriod
from ..plans.services import agencies_for, agency_choices, check_in_force, default_plan, plans_for, posted_ids
from . import bp, labels
from .forms import KIND_SECTIONS, DeleteForm, FilterForm, ReviewForm, activity_form, has
from .models import APPROVED, CRITERIA, DRAFT, KINDS, RETURNED, SUBMITTED, Activity, ActivityTag
from .services import apply, check, difference, mark_deleted, may_edit, snapshot, today, unit_choices, village_choices

WORKERS = (ADMIN, OFFICER, COLLECTOR)
LABELS = {"kinds": labels.KIND_LABELS, "statuses": labels.STATUS_LABELS, "funding": labels.FUNDING_LABELS,
          "channels": labels.CHANNEL_LABELS, "levels": labels.LEVEL_LABELS, "materials": labels.MATERIAL_LABELS,
          "roles": labels.ROLE_LABELS, "facets": labels.FACET_LABELS, "event_types": labels.EVENT_TYPE_LABELS,
          "forum_parts": labels.FORUM_PART_LABELS, "stages": labels.STAGE_LABELS,
          "occasions": labels.OCCASION_LABELS, "criteria": labels.CRITERION_LABELS,
          "thresholds": labels.THRESHOLD_LABELS}


def _load(activity_id: int) -> Activity:
    """The activity if it lies in my area and is not deleted, else 404."""
    activity = get_or_404(Activity, activity_id)
    if activity.deleted_at is not None:
        abort(404)
    return activity


def _setup(form, activity: Activity | None = None) -> list[Plan]:
    """Fill the form's choices from my area, my province's plans and agencies. The agencies offered are those in
    force on the activity's date (or in its plan's period while there is no date); an edited record keeps the
    agencies it names (one whose role has ended since), and a refused choice stays on the page with its reason."""
    plans = db.session.scalars(plans_for(current_user)).all()
    form.plan_id.choices = [SelectChoice(p.id, str(p.year)) for p in plans]
    form.unit_id.choices = unit_choices(current_user)
    saved = [activity.lead_agency, *activity.agencies] if activity is not None else []
    agencies = agency_choices(current_user, _agency_day(form, plans), keep=saved,
                              posted=posted_ids(form.lead_agency_id, form.agencies))
    form.lead_agency_id.choices = [SelectChoice("", "—")] + [SelectChoice(a.id, a.label) for a in agencies]
    form.agencies.choices = [SelectChoice(a.id, a.label) for a in agencies]
    if has(form, "participants"):
        villages = village_choices(current_user)
        listed = {v.value for v in villages}
        for p in activity.participants if activity is not None else ():
            if p.village is not None and str(p.village_id) not in listed:  # kept as it was, even beyond the list
                villages.append(SelectChoice(str(p.village_id), p.village.name))
                listed.add(str(p.village_id))
        for entry in form.participants:
            entry.form.village_id.choices = villages
    return plans


def _plan_of(form, plans: list[Plan]) -> Plan | None:
    return next((p for p in plans if p.id == form.plan_id.data), None)


def _agency_day(form, plans: list[Plan]) -> date:
    """The day an activity's agencies must hold their role: its date, else the start of its plan, else today."""
    if form.date.data:
        return form.date.data
    plan = _plan_of(form, plans)
    return plan.start_date if plan is not None else today()


def _agencies_ok(form, plans: list[Plan], activity: Activity | None = None) -> bool:
    """Refuse an agency whose role has ended by the activity's date (not one the record names already)."""
    if not form.date.data:
        return True  # the date's own message comes first
    kept = {a.id for a in ([activity.lead_agency, *activity.agencies] if activity else []) if a is not None}
    day = form.date.data
    return check_in_force(form.lead_agency_id, day, kept) & check_in_force(form.agencies, day, kept)


def _context(form, **extra) -> dict:
    return {"form": form, "kind": form.kind, "sections": KIND_SECTIONS[form.kind], "labels": LABELS,
            "fragment_tables": FORM_TABLES,
            "criteria": CRITERIA, "may_allow": current_user.role in (ADMIN, OFFICER), **extra}


def _add_row_requested() -> bool:
    """The "add a person" button of the participants list was pressed without JavaScript: show one more row."""
    return request.method == "POST" and "add_row" in request.form


@bp.route("/new")
@roles_required(*WORKERS)
def new():
    """Pick what kind of activity to log; a talk at a school comes first, it is the most common."""
    return render("activities/new.html", kinds=KINDS, labels=LABELS)


@bp.route("/new/<kind>", methods=["GET", "POST"])
@roles_required(*WORKERS)
def create(kind: str):
    """Log one activity of a kind: today and my own unit are filled in; the rest are choices and numbers."""
    if kind not in KINDS:
        abort(404)
    existing = idempotent.replay_of(Activity)
    if existing is not None:
        return redirect_to(url_for("activities.detail", activity_id=existing.id))
    blank = _blank_key(kind)
    if blank is not None and fragments.lookup(blank, FORM_TABLES):  # kept: only the token and client_id are new
        return render("activities/form.html", **_context(activity_form(kind), activity=None, fragment_key=blank))
    day = today()
    plan = default_plan(current_user, day)
    lead = plan.lead_agency.successor_on(day) if plan and plan.lead_agency else None  # only one in force today
    defaults = {"date": day, "unit_id": current_user.unit_id, "plan_id": plan.id if plan else None,
                "lead_agency_id": lead.id if lead else None}
    if kind == "communication" and request.args.get("channel") in labels.CHANNEL_LABELS:
        defaults["channel"] = request.args["channel"]
    form = activity_form(kind, data=defaults if request.method == "GET" else None)
    plans = _setup(form)
    if _add_row_requested():
        form.participants.append_entry()
        form.participants[-1].form.village_id.choices = village_choices(current_user)
        return render("activities/form.html", **_context(form, activity=None))
    if request.method == "POST" and (form.validate() & check(form, current_user, _plan_of(form, plans))
                                     & _agencies_ok(form, plans)):
        chosen_plan = _plan_of(form, plans)

        def build() -> Activity:
            activity = Activity(kind=kind)
            apply(activity, form, current_user, chosen_plan, draft="draft" in request.form)
            return activity

        activity, created = idempotent.create_once(Activity, form.client_id.data, current_user, build, kind=kind)
        if created:
            _set_agencies(activity, form)
            db.session.commit()
        flash(_("Saved: %(kind)s on %(date)s.", kind=labels.KIND_LABELS[kind],
                date=activity.date.strftime("%d/%m/%Y")), "success")
        return redirect_to(url_for("activities.detail", activity_id=activity.id))
    if not plans:
        flash(_("There is no plan yet, so nothing can be logged. Ask the province's administrator."), "warning")
    status = 422 if request.method == "POST" else 200
    blank = blank if plans else None
    return render("activities/form.html", **_context(form, activity=None, fragment_key=blank)), status


# What a blank form is made of, besides the user's role and unit: the plans with their periods and targets, the
# agencies, the places (the user's own unit, its villages). Logging an activity changes none of them.
FORM_TABLES = ("plans", "report_periods", "targets", "plan_quantities", "agencies", "units", "users")


def _blank_key(kind: str) -> tuple | None:
    """A blank form (a GET) is the same HTML for everyone of a role and unit: its choices and today's defaults come
    from the unit, the role and the data (`core.fragments` adds the data's change counter, the day and the locale)."""
    if request.method != "GET":
        return None
    return ("activities.create", kind, tuple(sorted(request.args.items(multi=True))), current_user.role,
            current_user.unit_id)


def _set_agencies(activity: Activity, form) -> None:
    chosen = set(form.agencies.data or [])  # listed choices only: in force on the date, or named by the record
    activity.agencies = [a for a in db.session.scalars(agencies_for(current_user, True)) if a.id in chosen]


def _form_data(activity: Activity) -> dict:
    """The record as the form's initial data, for editing."""
    from .forms import DETAIL_FIELDS, SECTION_FIELDS, TAG_FIELDS

    data = {"date": activity.date, "unit_id": activity.unit_id, "plan_id": activity.plan_id,
            "venue": activity.venue, "lead_agency_id": activity.lead_agency_id,
            "agencies": [a.id for a in activity.agencies], "funding_source": activity.funding_source or "",
            "amount_spent": activity.amount_spent, "notes": activity.notes,
            "outside_plan_year": activity.outside_plan_year, "channel": activity.channel or "",
            "level": activity.level or "", "base_version": activity.version}
    for name in SECTION_FIELDS["audience"] + ["gifts_count", "gifts_value", "money_raised", "in_kind_value",
                                              "scholarships_count", "scholarships_value", "cases_handled"]:
        data[name] = getattr(activity, name)
    for field, facet in TAG_FIELDS.items():
        codes = activity.codes(facet)
        data[field] = (codes[0] if codes else "") if field == "model" else codes
    for m in activity.materials:
        data[f"material_{m.kind}"] = m.quantity
    details = activity.detail_dict
    for name in DETAIL_FIELDS:
        data[name] = details.get(name)
    for s in activity.scores:
        data[f"score_{s.criterion}"] = s.score
    if activity.assessment_threshold:
        data["threshold"] = activity.assessment_threshold
    data["participants"] = [{"name": p.name, "role": p.role, "village_id": p.village_id}
                            for p in activity.participants] + [{}]
    return data


@bp.route("/<int:activity_id>/edit", methods=["GET", "POST"])
@roles_required(*WORKERS)
def edit(activity_id: int):
    """Change an activity: my own until it is approved, or any in my area for an officer."""
    activity = _load(activity_id)
    if not may_edit(current_user, activity):
        abort(403)
    form = activity_form(activity.kind, data=_form_data(activity) if request.method == "GET" else None)
    del form.client_id  # an edit carries the version it started from, not a new client_id
    plans = _setup(form, activity)
    if _add_row_requested():
        form.participants.append_entry()
        form.participants[-1].form.village_id.choices = village_choices(current_user)
        return render("activities/form.html", **_context(form, activity=activity))
    if request.method == "POST" and (form.validate() & check(form, current_user, _plan_of(form, plans))
                                     & _agencies_ok(form, plans, activity)):
        before = snapshot(activity)
        plan = _plan_of(form, plans)

        def change() -> dict:
            apply(activity, form, current_user, plan, draft="draft" in request.form)
            _set_agencies(activity, form)
            db.session.flush()
            return difference(before, snapshot(activity))

        posted = request.form.to_dict(flat=False)
        posted.pop("csrf_token", None)
        if not edits.save_edit(activity, form.base_version.data, change, current_user, posted):
            flash(_("This record was changed by someone else meanwhile: your edit is kept to be settled."),
                  "warning")
            return redirect_to(url_for("offline.conflicts"))
        flash(_("Changes saved."), "success")
        return redirect_to(url_for("activities.detail", activity_id=activity.id))
    status = 422 if request.method == "POST" else 200
    return render("activities/form.html", **_context(form, activity=activity)), status


def _apply_kept_edit(activity: Activity, posted: dict) -> dict:
    """"Keep this edit" on the conflicts page: the kept post goes through the edit form again, as if posted now by
    the person settling; returns {field: [old, new]}. A post no longer valid is refused with a message."""
    from werkzeug.datastructures import MultiDict

    formdata = MultiDict([(name, value) for name, values in posted.items()
                          for value in (values if isinstance(values, list) else [values])])
    form = activity_form(activity.kind, formdata=formdata, meta={"csrf": False})
    del form.client_id
    plans = _setup(form, activity)
    plan = _plan_of(form, plans)
    if not (form.validate() & check(form, current_user, plan) & _agencies_ok(form, plans, activity)):
        raise edits.EditRefused(_l("The kept edit is no longer valid as it is: open the activity and change it "
                                   "by hand."))
    before = snapshot(activity)
    apply(activity, form, current_user, plan, draft="draft" in posted)
    _set_agencies(activity, form)
    db.session.flush()
    return difference(before, snapshot(activity))


edits.register_editor(
    Activity, _apply_kept_edit,
    {"date": _l("Date"), "venue": _l("Venue"), "channel": _l("Channel"), "children": _l("Children"),
     "boys": _l("Boys"), "girls": _l("Girls"), "adults": _l("Adults"), "notes": _l("Notes")},
    describe=lambda a: f"{labels.KIND_LABELS[a.kind]} · {a.date:%d/%m/%Y}",
    url=lambda a: url_for("activities.detail", activity_id=a.id))


@bp.route("/participant-row")
@roles_required(*WORKERS)
def participant_row():
    """One more empty row for a named participant (htmx); the button that asked moves below it."""
    index = request.args.get("index", type=int, default=0)
    if not 0 <= index < 200:
        abort(400)
    form = activity_form("training")
    while len(form.participants) <= index:
        form.participants.append_entry()
    form.participants[index].form.village_id.choices = village_choices(current_user)
    return render("activities/_participant_row.html", entry=form.participants[index], index=index,
                  next_index=index + 1)


@bp.route("/<int:activity_id>")
@roles_required(*WORKERS)
def detail(activity_id: int):
    """One activity: what, when, where, who came, what it cost; its review status and the officer's comment."""
    activity = _load(activity_id)
    review = ReviewForm(base_version=activity.version)
    return render("activities/detail.html", activity=activity, labels=LABELS, review=review,
                  delete_form=DeleteForm(), may_edit=may_edit(current_user, activity),
                  may_review=current_user.role in (ADMIN, OFFICER), sections=KIND_SECTIONS[activity.kind],
                  details=activity.detail_dict)


@bp.route("/<int:activity_id>/review", methods=["POST"])
@roles_required(*WORKERS)
def review(activity_id: int):
    """Approve an activity, or return it to its author with a comment saying what to fix."""
    activity = _load(activity_id)  # first the area (404), so that a record elsewhere is not revealed by a 403
    if current_user.role not in (ADMIN, OFFICER):
        abort(403)
    form = ReviewForm()
    if not form.validate_on_submit():
        abort(400)
    if form.decision.data == "return" and not (form.comment.data or "").strip():
        form.comment.errors.append(_("Say what the author should fix."))
    elif form.decision.data == "approve" and activity.status == APPROVED:
        flash(_("This activity is already approved."), "info")
        return redirect_to(url_for("activities.detail", activity_id=activity.id))
    else:
        base = form.base_version.data
        if base not in (None, "") and str(base) != str(activity.version):
            flash(_("This activity changed since you opened it. Look at it again before deciding."), "warning")
            return redirect_to(url_for("activities.detail", activity_id=activity.id))
        approve = form.decision.data == "approve"
        old_status = activity.status
        activity.status = APPROVED if approve else RETURNED
        activity.review_comment = (form.comment.data or "").strip() or None
        activity.reviewed_by_id = current_user.id
        activity.reviewed_at = clock.now()
        activity.version += 1
        audit.record("approve" if approve else "return", activity, status=[old_status, activity.status],
                     comment=activity.review_comment)
        db.session.commit()
        flash(_("Approved.") if approve else _("Returned to its author."), "success")
        return redirect_to(url_for("activities.detail", activity_id=activity.id))
    return render("activities/detail.html", activity=activity, labels=LABELS, review=form,
                  delete_form=DeleteForm(), may_edit=may_edit(current_user, activity), may_review=True,
                  sections=KIND_SECTIONS[activity.kind], details=activity.detail_dict), 422


@bp.route("/<int:activity_id>/delete", methods=["POST"])
@roles_required(*WORKERS)
def delete(activity_id: int):
    """Delete an activity: it leaves every list and report, and stays in the database and the audit log."""
    activity = _load(activity_id)
    if not may_edit(current_user, activity):
        abort(403)
    if not DeleteForm().validate_on_submit():
        abort(400)
    mark_deleted(activity, current_user)
    audit.record("delete", activity, kind=activity.kind, date=activity.date.isoformat())
    db.session.commit()
    flash(_("Activity deleted."), "success")
    return redirect_to(url_for("activities.index"))


FILTER_TABLES = ("plans", "report_periods", "units", "users")  # the periods and places offered as filters


def _periods() -> list[SelectChoice]:
    """Years of my province's plans and their report periods, as filter choices."""
    choices = [SelectChoice("", _("Any time"))]
    for plan in db.session.scalars(plans_for(current_user)):
        choices.append(SelectChoice(f"year-{plan.year}", _("Year %(year)s", year=plan.year)))
        for period in plan.periods:
            name = _("6-month report") if period.code == "half_year" else _("Annual report")
            choices.append(SelectChoice(f"period-{period.id}", f"{plan.year} · {name}"))
    return choices


def _date_range(value: str) -> tuple[date, date] | None:
    kind, _sep, ident = (value or "").partition("-")
    if as_id(ident) is None:
        return None
    if kind == "year" and 1 <= int(ident) <= 9999:
        return date(int(ident), 1, 1), date(int(ident), 12, 31)
    if kind == "period":
        period = db.session.get(ReportPeriod, int(ident))
        if period is not None and period.plan_id in {p.id for p in db.session.scalars(plans_for(current_user))}:
            return period.start_date, period.counted_until  # the activities its report counts
    return None


@bp.route("/")
@roles_required(*WORKERS)
def index():
    """The activities of my area, newest first; filter by kind, period, place, topic and status, in place."""
    form = FilterForm(request.args)
    # The filters' fields are the same for everyone of a role and unit asking the same filters: kept (core.fragments)
    filters = ("activities.index", tuple(sorted(request.args.items(multi=True))), current_user.role,
               current_user.unit_id)
    if not fragments.lookup(filters, FILTER_TABLES) or htmx_partial():
        form.period.choices = _periods()
        form.unit.choices = [SelectChoice("", _("All my area"))] + [SelectChoice(str(c.value), c.label)
                                                                     for c in unit_choices(current_user)]
    stmt = scoped(select(Activity), Activity.unit_id).where(Activity.deleted_at.is_(None))
    if form.kind.data in KINDS:
        stmt = stmt.where(Activity.kind == form.kind.data)
    if span := _date_range(form.period.data):
        stmt = stmt.where(Activity.date.between(*span))
    if (unit_id := as_id(form.unit.data)) is not None:
        unit = db.session.get(Unit, unit_id)
        if unit is not None and unit.path.startswith(current_user.unit.path):
            stmt = stmt.where(Activity.unit_id.in_(subtree_ids(unit)))
    if form.topic.data in labels.FACET_LABELS["topic"]:
        stmt = stmt.where(exists().where(ActivityTag.activity_id == Activity.id, ActivityTag.facet == "topic",
                                         ActivityTag.code == form.topic.data))
    if form.status.data in labels.STATUS_LABELS:
        stmt = stmt.where(Activity.status == form.status.data)
    mine = request.args.get("mine") == "1"  # only what I entered (home links a collector's returned entries here)
    if mine:
        stmt = stmt.where(Activity.created_by_id == current_user.id)
    page = paginate(stmt.order_by(Activity.date.desc(), Activity.id.desc()))
    waiting = None
    if current_user.role in (ADMIN, OFFICER):
        from sqlalchemy import func

        waiting = db.session.scalar(
            scoped(select(func.count()).select_from(Activity), Activity.unit_id)
            .where(Activity.deleted_at.is_(None), Activity.status == SUBMITTED))
    return render("activities/index.html", "activities/_rows.html", page=page, form=form, labels=translated(LABELS),
                  waiting=waiting, mine=mine, filters=filters, filter_tables=FILTER_TABLES)


@working_set.add
def _kept_for_the_field(user) -> list[str]:
    """Without signal a worker still logs any kind: the list of kinds, each form (the two talks first, as on the
    list), and their own five latest activities."""
    if user.role not in WORKERS:
        return []
    urls = [url_for("activities.new")]
    urls += [url_for("activities.create", kind="communication", channel=c) for c in ("school_talk", "community_talk")]
    urls += [url_for("activities.create", kind=k) for k in KINDS]
    latest = db.session.scalars(select(Activity.id).where(Activity.created_by_id == user.id,
                                                          Activity.deleted_at.is_(None))
                                .order_by(Activity.created_at.desc()).limit(5))
    return urls + [url_for("activities.detail", activity_id=i) for i in latest]


@waiting.add
def _waiting(user) -> list[waiting.Waiting]:
    """An officer's entries waiting for review in her area; a collector's own entries returned for correction and
    her drafts. One GROUP BY (the indexes on unit, status, deleted_at answer it); each links to the list filtered
    as counted."""
    from sqlalchemy import func

    wanted = {ADMIN: (SUBMITTED,), OFFICER: (SUBMITTED,), COLLECTOR: (RETURNED, DRAFT)}.get(user.role)
    if not wanted:
        return []
    stmt = scoped(select(Activity.status, func.count()), Activity.unit_id, user).where(
        Activity.deleted_at.is_(None), Activity.status.in_(wanted))
    mine = user.role == COLLECTOR
    if mine:
        stmt = stmt.where(Activity.created_by_id == user.id)
    counts = dict(db.session.execute(stmt.group_by(Activity.status)).all())
    texts = {SUBMITTED: lambda n: _("%(n)s waiting for review", n=n),
             RETURNED: lambda n: ngettext("%(num)s activity returned to you for correction",
                                          "%(num)s activities returned to you for correction", n),
             DRAFT: lambda n: ngettext("%(num)s draft not yet sent", "%(num)s drafts not yet sent", n)}
    return [waiting.Waiting(texts[status](counts[status]),
                            url_for("activities.index", status=status, **({"mine": 1} if mine else {})),
                            urgent=status == RETURNED)
            for status in wanted if counts.get(status)]
