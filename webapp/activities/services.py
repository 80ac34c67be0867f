"""What the views, the CLI and later the sync share: checking an activity form across fields, writing it to a
record, describing a record for the audit log, and the choices a user has."""

import json

from flask_babel import gettext as _
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from ..core import clock, edits
from ..core.scope import subtree_ids
from ..core.text import clean
from ..extensions import db
from ..geo.models import COMMUNE, VILLAGE, Unit
from .forms import DETAIL_FIELDS, REQUIRED, TAG_FIELDS, has
from .models import (
    APPROVED,
    CRITERIA,
    DRAFT,
    MATERIALS,
    RETURNED,
    SUBMITTED,
    TALKS,
    Activity,
    ActivityMaterial,
    ActivityParticipant,
    ActivityScore,
    ActivityTag,
)

OFFICERS = ("admin", "officer")
AUDIENCE_COLUMNS = ("audience_total", "adults", "adult_men", "adult_women", "children", "boys", "girls",
                    "ethnic_minority")
VALUE_COLUMNS = ("gifts_count", "gifts_value", "scholarships_count", "scholarships_value", "money_raised",
                 "in_kind_value", "cases_handled")


today = clock.today


def unit_choices(user) -> list[SelectChoice]:
    """The user's own unit and the communes and villages under it, as a tree. Above a commune the villages are left
    out: a province has some 1,500 of them, too many for one list on a phone; a commune's own officer logs them."""
    levels = (COMMUNE, VILLAGE) if user.unit.level in (COMMUNE, VILLAGE) else (COMMUNE,)
    units = db.session.scalars(
        select(Unit).where(Unit.id.in_(subtree_ids(user.unit)), Unit.level.in_(levels) | (Unit.id == user.unit_id))
        .order_by(Unit.path)
    ).all()
    return [SelectChoice(u.id, ("· " * (u.depth - user.unit.depth)) + u.name) for u in units]


def village_choices(user) -> list[SelectChoice]:
    """Villages a participant may come from: those of the user's commune (a village head's too), at most 500."""
    anchor = user.unit.parent if user.unit.level == VILLAGE and user.unit.parent else user.unit
    villages = db.session.scalars(
        select(Unit).where(Unit.path.like(f"{anchor.path}%"), Unit.level == VILLAGE).order_by(Unit.search_name)
        .limit(500)
    ).all()
    return [SelectChoice("", "—")] + [SelectChoice(str(v.id), v.name) for v in villages]


def _fill_whole(form, whole: str, parts: tuple[str, str]) -> None:
    """A whole left empty is the sum of its parts, when parts were given."""
    if has(form, whole) and form[whole].data is None:
        values = [form[p].data for p in parts if has(form, p) and form[p].data is not None]
        if values:
            form[whole].data = sum(values)


def _part_error(form, whole: str, parts: tuple[str, ...], message: str) -> bool:
    if not has(form, whole) or form[whole].data is None or form[whole].errors:
        return True
    values = [form[p].data or 0 for p in parts if has(form, p)]
    if sum(values) > form[whole].data:
        form[whole].errors.append(message % {"parts": sum(values), "whole": form[whole].data})
        return False
    return True


def check(form, user, plan) -> bool:
    """The checks that need several fields or the plan; each refusal goes next to its field. True when all pass."""
    ok = True
    for name in REQUIRED.get(form.kind, ()):
        if has(form, name) and not form[name].data:
            form[name].errors.append(_("Choose one."))
            ok = False
    if plan is not None and form.date.data and not form.date.errors and form.date.data.year != plan.year:
        allowed = user.role in OFFICERS and form.outside_plan_year.data
        if not allowed:
            if user.role in OFFICERS:
                message = _("The date is not in %(year)s, the plan's year. Tick “Allow a date outside the plan's "
                            "year” if it belongs to this plan.", year=plan.year)
            else:
                message = _("The date is not in %(year)s, the plan's year. Ask your officer if it belongs to this "
                            "plan.", year=plan.year)
            form.date.errors.append(message)
            ok = False
    _fill_whole(form, "adults", ("adult_men", "adult_women"))
    _fill_whole(form, "children", ("boys", "girls"))
    _fill_whole(form, "audience_total", ("adults", "children"))
    if form.kind == "communication" and has(form, "channel") and form.channel.data in TALKS:
        # A talk is given to people about something: without both it reports nothing.
        if not form.topics.data:
            form.topics.errors.append(_("Choose what the talk was about."))
            ok = False
        unread = any(form[name].errors for name in AUDIENCE_COLUMNS if has(form, name))  # said once, there
        if not form.audience_total.data and not unread:
            form.audience_total.errors.append(_("A talk needs its audience: enter how many came."))
            ok = False
    ok &= _part_error(form, "adults", ("adult_men", "adult_women"),
                      _("Men and women add up to %(parts)s, more than the %(whole)s adults."))
    ok &= _part_error(form, "children", ("boys", "girls"),
                      _("Boys and girls add up to %(parts)s, more than the %(whole)s children."))
    ok &= _part_error(form, "audience_total", ("adults", "children"),
                      _("Adults and children add up to %(parts)s, more than the %(whole)s who came."))
    if has(form, "ethnic_minority") and form.ethnic_minority.data:
        if form.audience_total.data is None:
            form.audience_total.errors.append(_("Enter how many came in all."))
            ok = False
        elif form.ethnic_minority.data > form.audience_total.data:
            form.ethnic_minority.errors.append(
                _("More than the %(whole)s who came.", whole=form.audience_total.data))
            ok = False
    if has(form, "participants") and has(form, "audience_total"):
        named = sum(1 for p in form.participants if clean(p.form.name.data))
        if form.audience_total.data is not None and named > form.audience_total.data:
            form.audience_total.errors.append(
                _("%(named)s people are named below, more than %(whole)s.", named=named,
                  whole=form.audience_total.data))
            ok = False
    if has(form, "under6_checked") and (form.under6_with_card.data or 0) > (form.under6_checked.data or 0):
        form.under6_with_card.errors.append(
            _("More than the %(whole)s children checked.", whole=form.under6_checked.data or 0))
        ok = False
    if has(form, "score_1"):
        given = [c for c in CRITERIA if form[f"score_{c}"].data is not None]
        if given and len(given) < len(CRITERIA):
            for c in CRITERIA:
                if form[f"score_{c}"].data is None and not form[f"score_{c}"].errors:
                    form[f"score_{c}"].errors.append(_("Score every criterion, or none."))
            ok = False
    if (form.amount_spent.data or 0) > 0 and not form.funding_source.data:
        form.funding_source.errors.append(_("Choose where the money came from."))
        ok = False
    return ok


def assessment(scores: dict[int, int], threshold: int) -> tuple[int, bool]:
    """Total and result of a self-assessment: met when no criterion scores 0 and the total reaches the threshold."""
    total = sum(scores.values())
    return total, len(scores) == len(CRITERIA) and all(scores.values()) and total >= threshold


def apply(activity: Activity, form, user, plan, *, draft: bool = False) -> None:
    """Write the form to the record: common columns, the kind's columns, and its rows (tags, materials, people,
    scores)."""
    activity.date = form.date.data
    activity.unit_id = form.unit_id.data
    activity.plan_id = form.plan_id.data
    activity.venue = clean(form.venue.data) or None
    activity.lead_agency_id = form.lead_agency_id.data
    activity.funding_source = form.funding_source.data or None
    activity.amount_spent = form.amount_spent.data
    activity.notes = (form.notes.data or "").strip() or None
    activity.outside_plan_year = bool(user.role in OFFICERS and form.outside_plan_year.data
                                      and form.date.data.year != plan.year)
    for name in ("channel", "level"):
        setattr(activity, name, (form[name].data or None) if has(form, name) else None)
    for name in AUDIENCE_COLUMNS + VALUE_COLUMNS:
        setattr(activity, name, form[name].data if has(form, name) else None)

    tags = {(facet, code) for field, facet in TAG_FIELDS.items() if has(form, field)
            for code in (form[field].data if isinstance(form[field].data, list) else [form[field].data])
            if code}
    activity.tags = [t for t in activity.tags if (t.facet, t.code) in tags] + [
        ActivityTag(facet=f, code=c) for f, c in sorted(tags - {(t.facet, t.code) for t in activity.tags})]

    quantities = {m: form[f"material_{m}"].data for m in MATERIALS if has(form, f"material_{m}")}
    quantities = {m: q for m, q in quantities.items() if q}
    kept = [m for m in activity.materials if m.kind in quantities]
    for m in kept:
        m.quantity = quantities[m.kind]
    activity.materials = kept + [ActivityMaterial(kind=k, quantity=q) for k, q in quantities.items()
                                 if k not in {m.kind for m in kept}]

    if has(form, "participants"):
        rows = [(clean(p.form.name.data), p.form.role.data, p.form.village_id.data) for p in form.participants]
        activity.participants = [ActivityParticipant(position=i, name=name, role=role, village_id=village)
                                 for i, (name, role, village) in enumerate(r for r in rows if r[0])]
    else:
        activity.participants = []

    if has(form, "score_1") and form.score_1.data is not None:
        scores = {c: form[f"score_{c}"].data for c in CRITERIA}
        old = {s.criterion: s for s in activity.scores}
        for c, value in scores.items():
            if c in old:
                old[c].score = value
            else:
                activity.scores.append(ActivityScore(criterion=c, score=value))
        activity.assessment_threshold = form.threshold.data
        activity.assessment_total, activity.assessment_met = assessment(scores, form.threshold.data)
    else:
        activity.scores = []
        activity.assessment_threshold = activity.assessment_total = activity.assessment_met = None

    details = {name: form[name].data for name in DETAIL_FIELDS if has(form, name) and form[name].data not in
               (None, "")}
    activity.details = json.dumps(details, ensure_ascii=False, sort_keys=True) if details else None

    if draft:
        activity.status = DRAFT
    elif activity.status in (None, DRAFT, RETURNED):
        activity.status = SUBMITTED


def snapshot(activity: Activity) -> dict:
    """The record as plain values, to say in the audit log what an edit changed."""
    columns = ("date", "unit_id", "plan_id", "venue", "lead_agency_id", "funding_source", "amount_spent", "notes",
               "status", "outside_plan_year", "channel", "level", "assessment_threshold", "assessment_total",
               "assessment_met", "details") + AUDIENCE_COLUMNS + VALUE_COLUMNS
    data = {name: getattr(activity, name) for name in columns}
    data["date"] = activity.date.isoformat() if activity.date else None
    data["agencies"] = sorted(a.id for a in activity.agencies)
    data["tags"] = sorted(f"{t.facet}:{t.code}" for t in activity.tags)
    data["materials"] = {m.kind: m.quantity for m in sorted(activity.materials, key=lambda m: m.kind)}
    data["participants"] = [[p.name, p.role, p.village_id] for p in activity.participants]
    data["scores"] = {s.criterion: s.score for s in activity.scores}
    return data


difference = edits.compare  # an activity's edit goes through its form (apply): its audit compares snapshots

def may_edit(user, activity: Activity) -> bool:
    """Officers and admins edit what they see; a collector edits their own record until it is approved."""
    if user.role in OFFICERS:
        return True
    return activity.created_by_id == user.id and activity.status != APPROVED


def mark_deleted(activity: Activity, user) -> None:
    activity.deleted_at = clock.now()
    activity.deleted_by_id = user.id
