"""Forum logic shared by views and reports: who sees which forum, the age rule, the delegation's balance,
recommendation counts, reports due, and the delegate list as a spreadsheet."""

import io
from collections import Counter
from datetime import date

from flask import abort
from sqlalchemy import func, or_, select

from ..core.scope import scoped, subtree_ids, unit_in_scope
from ..extensions import db
from ..geo.models import Unit
from .models import AGE_LIMIT, COMMUNE, MIN_AGE, STATUSES, Delegate, Forum, Recommendation


def _ancestor_ids(unit: Unit) -> list[int]:
    return [int(part) for part in unit.path.split("/") if part]


def forums_query(user):
    """The forums a user takes part in: those held in their area and those of the units above it (a commune
    officer sends delegates to the province's forum)."""
    return select(Forum).where(or_(Forum.unit_id.in_(subtree_ids(user.unit)),
                                   Forum.unit_id.in_(_ancestor_ids(user.unit))))


def visible_forum_or_404(forum_id: int, user) -> Forum:
    forum = db.session.get(Forum, forum_id)
    if forum is None or not (unit_in_scope(forum.unit, user) or user.unit.path.startswith(forum.unit.path)):
        abort(404)
    return forum


def manages(forum: Forum, user) -> bool:
    """Only the unit that holds a forum (or one above it) runs it: training, recommendations, its report."""
    return unit_in_scope(forum.unit, user)


def delegates_query(forum: Forum, user):
    """The delegates of a forum that a user may see: the children of their own area."""
    return scoped(select(Delegate), Delegate.unit_id, user).where(Delegate.forum_id == forum.id)


def age_problem(age: int) -> bool:
    return not MIN_AGE <= age < AGE_LIMIT


def balance(delegates: list[Delegate]) -> dict[str, Counter]:
    """Counts only: how the delegation is made up by sex, ethnicity, age, commune and special circumstance."""
    result = {"sex": Counter(), "ethnicity": Counter(), "age": Counter(), "commune": Counter(),
              "special": Counter()}
    for d in delegates:
        child = d.child
        result["sex"][child.sex] += 1
        result["ethnicity"][child.ethnicity_name or "—"] += 1
        result["age"][child.age_at(d.forum.date)] += 1
        result["commune"][child.commune.name if child.commune else "—"] += 1
        result["special"]["yes" if child.groups else "no"] += 1
    return result


def _recommendations(keys, unit: Unit | None, start: date | None, end: date | None):
    """SELECT of (*keys, status, count) of the recommendations of forums held in `unit`'s area between two dates."""
    stmt = (select(*keys, Recommendation.status, func.count())
            .select_from(Recommendation).join(Forum, Recommendation.forum_id == Forum.id)
            .group_by(*keys, Recommendation.status))
    if unit is not None:
        stmt = stmt.where(Recommendation.unit_id.in_(subtree_ids(unit)))
    if start is not None:
        stmt = stmt.where(Forum.date >= start)
    if end is not None:
        stmt = stmt.where(Forum.date <= end)
    return stmt


def recommendation_counts(unit: Unit | None = None, start: date | None = None, end: date | None = None) -> dict:
    """Recommendations by status and by agency (or leader), for forums held in `unit`'s area between two dates.

    Returns {"by_status": {status: n}, "by_agency": [(name, {status: n, ..., "total": n}), ...], "total": n}.
    """
    from ..plans.models import Agency

    name = func.coalesce(Agency.name, Recommendation.addressed_to, "")
    stmt = _recommendations([name], unit, start, end).outerjoin(Agency, Recommendation.agency_id == Agency.id)
    by_status = dict.fromkeys(STATUSES, 0)
    by_agency: dict[str, dict[str, int]] = {}
    for agency, status, n in db.session.execute(stmt):
        by_status[status] = by_status.get(status, 0) + n
        row = by_agency.setdefault(agency, {**dict.fromkeys(STATUSES, 0), "total": 0})
        row[status] += n
        row["total"] += n
    return {"by_status": by_status, "by_agency": sorted(by_agency.items()), "total": sum(by_status.values())}


def recommendation_counts_by_unit(unit: Unit, start: date, end: date) -> dict[int, dict[str, int]]:
    """{unit_id: {status: n}} of the same recommendations, by the unit of the forum that received them."""
    result: dict[int, dict[str, int]] = {}
    for unit_id, status, n in db.session.execute(_recommendations([Recommendation.unit_id], unit, start, end)):
        result.setdefault(unit_id, dict.fromkeys(STATUSES, 0))[status] = n
    return result


def reports_due(user, today: date) -> list[Forum]:
    """Commune forums of the user's area already held whose report has not been sent to the province."""
    stmt = scoped(select(Forum), Forum.unit_id, user).where(
        Forum.level == COMMUNE, Forum.report_sent_on.is_(None), Forum.date <= today).order_by(Forum.date)
    return list(db.session.scalars(stmt))


def delegates_xlsx(forum: Forum, delegates: list[Delegate], labels: dict) -> bytes:
    """The delegate list as a workbook; a name is written only where both consents to take part are given."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Delegates"
    sheet.append(labels["header"])
    for n, d in enumerate(delegates, start=1):
        child = d.child
        sheet.append([
            n, child.full_name if d.name_shown else labels["hidden"], str(labels["sexes"][child.sex]),
            child.age_at(forum.date), child.ethnicity_name, child.commune.name if child.commune else "",
            child.school or "", str(labels["roles"][d.role]), labels["yes"] if d.may_check_in else labels["no"],
            labels["yes"] if d.checkin else labels["no"],
        ])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
