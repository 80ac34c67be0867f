"""Reports: the calendar, the targets dashboard, a unit's report (write, send, review, export) and record exports."""

from flask import Response, abort, flash, request, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..accounts.models import User
from ..core import audit, clock, edits, idempotent, waiting
from ..core.scope import ADMIN, OFFICER, VIEWER, counted_unit, get_or_404, roles_required, sees_villages, unit_in_scope
from ..core.text import clean, clean_lines
from ..extensions import db
from ..geo.models import Unit
from ..htmx import redirect_to, render
from ..plans.models import ReportPeriod
from ..plans.services import ancestor_ids
from . import bp, documents, drafting, indicators, services
from .forms import DEFAULT_RECIPIENTS, SECTION_LABELS, ReportForm, ReviewForm, SubmitForm, ValueForm
from .models import ACCEPTED, DRAFT, EDITABLE, RETURNED, SUBMITTED, EnteredValue, Report

READERS = (ADMIN, OFFICER, VIEWER)
OFFICERS = (ADMIN, OFFICER)
TEXT_FIELDS = ("number", "place", "results", "shortcomings", "next_tasks", "proposals", "recipients", "signer_title",
               "signer_name")
LINES_FIELDS = ("results", "shortcomings", "next_tasks", "proposals", "recipients")  # paragraphs and lines kept


def _period_or_404(period_id: int) -> ReportPeriod:
    """A period of a plan covering my unit, else 404."""
    period = db.session.get(ReportPeriod, period_id)
    if period is None or period.plan.unit_id not in ancestor_ids(current_user.unit):
        abort(404)
    return period


def _unit_arg() -> Unit:
    unit_id = request.args.get("unit", type=int)
    return counted_unit(get_or_404(Unit, unit_id, unit_attr="id") if unit_id else current_user.unit)


def _period_arg() -> ReportPeriod:
    period_id = request.args.get("period", type=int)
    if period_id:
        return _period_or_404(period_id)
    period = services.current_period(current_user)
    if period is None:
        abort(404)
    return period


def _may_write(unit: Unit) -> bool:
    """The officers of a unit write its report."""
    return current_user.role in OFFICERS and current_user.unit_id == unit.id


def _review_url(unit: Unit, period: ReportPeriod):
    """kind -> the activity list filtered to the unit's entries of the period (of that kind, if given) waiting for
    review; None for those who do not review activities (a viewer sees the count only)."""
    from ..activities.models import SUBMITTED as WAITING

    def url(kind: str | None = None) -> str | None:
        if current_user.role not in OFFICERS:
            return None
        return url_for("activities.index", status=WAITING, unit=unit.id, period=f"period-{period.id}", kind=kind)

    return url


def _may_review(unit: Unit) -> bool:
    """An officer of a unit above reviews a report (the province reviews the communes')."""
    return current_user.role in OFFICERS and current_user.unit_id != unit.id and unit_in_scope(unit)


@bp.route("/")
@roles_required(*READERS)
def index():
    """My reports: each period's due date, status and whether it is on time; a reminder near the due date."""
    on = clock.today()
    unit = current_user.unit
    lines = []
    for period in sorted(services.periods_for(current_user), key=lambda p: p.due_date, reverse=True):
        report = services.report_for(period, unit)
        lines.append({"period": period, "report": report, "status": report.status if report else "not_started",
                      "timing": services.timeliness(report, period, on),
                      "remind": current_user.role in OFFICERS and unit.level in services.REPORTING_LEVELS
                      and services.needs_reminder(report, period, on) and period.plan.year >= on.year - 1})
    return render("reports/index.html", lines=lines, unit=unit, today=on, labels=services.STATUS_LABELS,
                  period_label=services.period_label)


def _board(unit: Unit, period: ReportPeriod) -> services.Dashboard:
    # a viewer sees commune level and above: a commune's villages are not listed one by one
    return services.dashboard(unit, period, with_subunits=sees_villages() or unit.level != "commune")


def _chosen_goal(board: services.Dashboard) -> str:
    codes = [r.goal.code for r in board.rows]
    asked = request.args.get("goal")
    return asked if asked in codes else "Q1:participants" if "Q1:participants" in codes else codes[0]


@bp.route("/dashboard")
@roles_required(*READERS)
def dashboard():
    """How the unit is doing at a glance (goals on track, behind, without a figure; the report; what waits), the
    goals as a grid, the activities of each month, the sub-units ranked by a chosen goal, the other results."""
    unit, period = _unit_arg(), _period_arg()
    board = _board(unit, period)
    goal = _chosen_goal(board)
    ranked = services.ranked_subunits(board, goal)
    if request.args.get("sort") == "name":
        ranked.sort(key=lambda r: r.unit.name, reverse=request.args.get("dir") == "desc")
    elif request.args.get("dir") == "desc":  # the best first (the laggards are first by default)
        ranked = [r for r in reversed(ranked) if r.value is not None] + [r for r in ranked if r.value is None]
    months = services.activity_months(unit, period)
    return render("reports/dashboard.html", "reports/_subunits.html", board=board, unit=unit, period=period,
                  periods=services.periods_for(current_user), ranked=ranked, goal=goal,
                  goal_rows={r.goal.code: r for r in board.rows}, track=services.TRACK_LABELS,
                  period_label=services.period_label, may_enter=_may_write(unit),
                  counted_until=services.counted_until_text(period), review_url=_review_url(unit, period),
                  kind_of=indicators.activity_kind, months=months, today=clock.today(),
                  glance=services.glance(board, months), groups=services.result_groups(board),
                  labels=services.STATUS_LABELS)


@bp.route("/dashboard/goals/<goal>")
@roles_required(*READERS)
def goal_page(goal: str):
    """One goal: what it asks, where its figure comes from (the indicator's source, or the value entered and who
    entered it), its months and its sub-units ranked."""
    unit, period = _unit_arg(), _period_arg()
    board = _board(unit, period)
    row = next((r for r in board.rows if r.goal.code == goal), None)
    if row is None:
        abort(404)
    indicator = indicators.REGISTRY.get(row.indicator) if row.indicator else None
    entered_by = db.session.get(User, row.entered.created_by_id) if row.entered and row.entered.created_by_id \
        else None
    months = services.goal_months(unit, period, indicator)
    return render("reports/goal.html", board=board, row=row, unit=unit, period=period, indicator=indicator,
                  entered_by=entered_by, months=months, pace=services.pace(row.goal, months, period),
                  ranked=services.ranked_subunits(board, goal), goal=goal, track=services.TRACK_LABELS,
                  period_label=services.period_label, may_enter=_may_write(unit),
                  counted_until=services.counted_until_text(period), review_url=_review_url(unit, period))


@bp.route("/<int:period_id>/completeness")
@roles_required(*READERS)
def completeness(period_id: int):
    """Who has sent the period's report, who has not, and who was late."""
    period = _period_or_404(period_id)
    unit = _unit_arg()
    lines = services.completeness(unit, period)
    missing = request.args.get("missing") == "1"
    shown = [line for line in lines if line.status not in (SUBMITTED, ACCEPTED)] if missing else lines
    sent = sum(1 for line in lines if line.status in (SUBMITTED, ACCEPTED))
    return render("reports/completeness.html", period=period, unit=unit, lines=shown, total=len(lines), sent=sent,
                  late=sum(1 for line in lines if line.timing == "late"), missing=missing,
                  labels=services.STATUS_LABELS, period_label=services.period_label)


def _report_context(unit: Unit, period: ReportPeriod, **extra) -> dict:
    data = services.report_data(unit, period)
    waiting = drafting.backlog(unit, period)
    return {"data": data, "unit": unit, "period": period, "period_label": services.period_label(period),
            "labels": services.STATUS_LABELS, "track": services.TRACK_LABELS, "may_write": _may_write(unit),
            "may_review": _may_review(unit), "timing": services.timeliness(data.report, period, clock.today()),
            "sections": drafting.sections(data, waiting), "section_titles": drafting.section_titles(data),
            "section_labels": SECTION_LABELS, "waiting": waiting,
            "counted_until": services.counted_until_text(period), "review_url": _review_url(unit, period),
            "kind_of": indicators.activity_kind, **extra}


def _prefill(form: ReportForm, data: services.ReportData, waiting: drafting.Backlog) -> None:
    """Shown to write: each part the officer has not written starts from the text the report's figures suggest."""
    suggested = drafting.suggestions(data, waiting)
    for name in drafting.SECTIONS:
        if not (getattr(form, name).data or "").strip():
            getattr(form, name).data = suggested[name]


def _default_form_data(unit: Unit) -> dict:
    return {"place": services.place_name(unit), "report_date": clock.today(), "recipients": DEFAULT_RECIPIENTS,
            "signer_title": "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"}


@bp.route("/<int:period_id>/units/<int:unit_id>", methods=["GET", "POST"])
@roles_required(*READERS)
def report(period_id: int, unit_id: int):
    """A unit's report: the numbers from its records, and the parts its officer writes."""
    period = _period_or_404(period_id)
    unit = counted_unit(get_or_404(Unit, unit_id, unit_attr="id"))
    existing = services.report_for(period, unit)
    if request.method == "POST":
        if not _may_write(unit):
            abort(403)
        replay = idempotent.replay_of(Report)
        if replay is not None:
            return redirect_to(url_for("reports.report", period_id=period.id, unit_id=unit.id))
    form = ReportForm(obj=existing, data=None if existing else _default_form_data(unit))
    if existing is not None:
        del form.client_id
        if request.method == "GET":
            form.base_version.data = existing.version
    else:
        del form.base_version
    if request.method == "POST" and existing is not None and existing.status not in EDITABLE:
        flash(_("This report is sent and can no longer be changed."), "error")
        return redirect_to(url_for("reports.report", period_id=period.id, unit_id=unit.id))
    if form.validate_on_submit():
        values = {name: (clean_lines if name in LINES_FIELDS else clean)(getattr(form, name).data) or None
                  for name in TEXT_FIELDS}
        values["report_date"] = form.report_date.data
        if existing is None:
            def build() -> Report:
                return Report(period_id=period.id, unit_id=unit.id, status=DRAFT, **values)

            idempotent.create_once(Report, form.client_id.data, current_user, build)
            flash(_("The report is saved as a draft."), "success")
        else:
            def apply() -> dict:
                changed = edits.assign(existing, values)
                if existing.status == RETURNED:
                    existing.status = DRAFT
                return changed

            if edits.save_edit(existing, form.base_version.data, apply, current_user, values):
                flash(_("The report is saved as a draft."), "success")
            else:
                flash(_("Someone changed this report meanwhile; your text is kept for an officer to settle."),
                      "warning")
        return redirect_to(url_for("reports.report", period_id=period.id, unit_id=unit.id))
    status = 422 if form.errors else 200
    context = _report_context(unit, period, form=form, submit_form=SubmitForm(
        base_version=existing.version if existing else None),
        review_form=ReviewForm(base_version=existing.version if existing else None))
    if request.method == "GET" and _may_write(unit) and context["data"].status in EDITABLE:
        _prefill(form, context["data"], context["waiting"])
    return render("reports/report.html", status=status, **context)


@bp.route("/<int:period_id>/units/<int:unit_id>/submit", methods=["POST"])
@roles_required(*OFFICERS)
def submit(period_id: int, unit_id: int):
    """Send the report to the level above."""
    period = _period_or_404(period_id)
    unit = get_or_404(Unit, unit_id, unit_attr="id")
    if not _may_write(unit):
        abort(403)
    report = services.report_for(period, unit)
    form = SubmitForm()
    back = url_for("reports.report", period_id=period.id, unit_id=unit.id)
    if report is None or not form.validate_on_submit():
        flash(_("Save the report before sending it."), "error")
        return redirect_to(back)
    if report.status in (SUBMITTED, ACCEPTED):  # a replay of the same sending
        return redirect_to(back)

    def apply() -> dict:
        now = clock.now()
        changed = {"status": [report.status, SUBMITTED]}
        report.status, report.submitted_at, report.submitted_by_id = SUBMITTED, now, current_user.id
        report.first_submitted_at = report.first_submitted_at or now
        return changed

    if edits.save_edit(report, form.base_version.data, apply, current_user, {"status": SUBMITTED}):
        flash(_("The report is sent."), "success")
    else:
        flash(_("Someone changed this report meanwhile; open it again and send it."), "warning")
    return redirect_to(back)


@bp.route("/<int:period_id>/units/<int:unit_id>/review", methods=["POST"])
@roles_required(*OFFICERS)
def review(period_id: int, unit_id: int):
    """Accept a sent report, or return it for correction with a comment."""
    period = _period_or_404(period_id)
    unit = get_or_404(Unit, unit_id, unit_attr="id")
    if not _may_review(unit):
        abort(403)
    report = services.report_for(period, unit)
    if report is None or report.status != SUBMITTED:
        abort(404)
    form = ReviewForm()
    if not form.validate_on_submit():
        return render("reports/report.html", status=422,
                      **_report_context(unit, period, form=None, submit_form=None, review_form=form))
    new_status = ACCEPTED if form.decision.data == "accept" else RETURNED
    comment = clean(form.comment.data) or None

    def apply() -> dict:
        changed = {"status": [report.status, new_status]}
        report.status, report.review_comment = new_status, comment
        report.reviewed_at, report.reviewed_by_id = clock.now(), current_user.id
        return changed

    edits.save_edit(report, form.base_version.data, apply, current_user, {"status": new_status})
    flash(_("The report is accepted.") if new_status == ACCEPTED else _("The report is returned for correction."),
          "success")
    return redirect_to(url_for("reports.completeness", period_id=period.id))


@bp.route("/<int:period_id>/units/<int:unit_id>/print")
@roles_required(*READERS)
def print_view(period_id: int, unit_id: int):
    """The report laid out for printing."""
    period = _period_or_404(period_id)
    unit = counted_unit(get_or_404(Unit, unit_id, unit_attr="id"))
    return render("reports/print.html", **_report_context(unit, period, issuing=services.issuing_body(unit),
                                                          place=services.place_name(unit)))


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={filename}",
                                                      "Cache-Control": "no-store"})


@bp.route("/<int:period_id>/units/<int:unit_id>/report.<fmt>")
@roles_required(*READERS)
def export_report(period_id: int, unit_id: int, fmt: str):
    """The report as a Word draft in the administrative layout, or its tables as a spreadsheet."""
    if fmt not in ("docx", "xlsx"):
        abort(404)
    period = _period_or_404(period_id)
    unit = counted_unit(get_or_404(Unit, unit_id, unit_attr="id"))
    with force_locale("vi"):  # an administrative document is written in Vietnamese
        data = services.report_data(unit, period)
        body = documents.report_docx(data) if fmt == "docx" else documents.report_xlsx(data)
    audit.record("export", data.report, unit_id=unit.id, what="report", format=fmt, period=period.id)
    db.session.commit()
    name = f"bao-cao-{period.code}-{period.plan.year}-{unit.code or unit.id}.{fmt}"
    return _download(body, documents.MIMETYPES[fmt], name)


@bp.route("/activities.<fmt>")
@roles_required(*OFFICERS)
def export_activities(fmt: str):
    """The activity records of a unit and period, for officers; every export is audited."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    unit, period = _unit_arg(), _period_arg()
    rows = documents.activity_rows(unit, period)
    body = documents.rows_csv(rows) if fmt == "csv" else documents.rows_xlsx(rows)
    audit.record("export", None, unit_id=unit.id, what="activities", format=fmt, period=period.id,
                 rows=len(rows) - 1)
    db.session.commit()
    return _download(body, documents.MIMETYPES[fmt], f"hoat-dong-{period.plan.year}-{unit.code or unit.id}.{fmt}")


@bp.route("/<int:period_id>/units/<int:unit_id>/values/<goal>", methods=["GET", "POST"])
@roles_required(*OFFICERS)
def enter_value(period_id: int, unit_id: int, goal: str):
    """Enter, with its source, a figure that records cannot give (T1 from the national child database…)."""
    period = _period_or_404(period_id)
    unit = get_or_404(Unit, unit_id, unit_attr="id")
    if not _may_write(unit):
        abort(403)
    goals = {g.code: g for g in services.goals_for(period.plan, unit)}
    from .indicators import measuring

    if goal not in goals or measuring(goal) is not None:
        abort(404)
    kind = goals[goal].kind
    existing = db.session.scalar(select(EnteredValue).where(
        EnteredValue.period_id == period.id, EnteredValue.unit_id == unit.id, EnteredValue.goal == goal))
    back = url_for("reports.dashboard", unit=unit.id, period=period.id)
    replay = idempotent.replay_of(EnteredValue)
    if replay is not None:
        return redirect_to(back)
    initial = None
    if existing is not None and request.method == "GET":
        shown = f"{existing.value / 100:g}".replace(".", ",") if kind == "percent" else str(existing.value)
        initial = {"value": shown, "source": existing.source, "note": existing.note,
                   "base_version": existing.version}
    form = ValueForm(data=initial, kind=kind)
    if existing is not None:
        del form.client_id
    else:
        del form.base_version
    if form.validate_on_submit():
        values = {"value": form.parsed, "source": clean(form.source.data), "note": clean(form.note.data) or None}
        if existing is None:
            idempotent.create_once(EnteredValue, form.client_id.data, current_user, lambda: EnteredValue(
                period_id=period.id, unit_id=unit.id, goal=goal, **values))
        else:
            def apply() -> dict:
                return edits.assign(existing, values)

            edits.save_edit(existing, form.base_version.data, apply, current_user, values)
        flash(_("The value is saved."), "success")
        return redirect_to(back)
    return render("reports/value_form.html", status=422 if form.errors else 200, form=form, goal=goals[goal],
                  unit=unit, period=period, period_label=services.period_label(period))


@bp.app_template_filter("percent")
def fmt_percent(value: int | None) -> str:
    """Hundredths of a percent as people write it: 350 -> "3,5%"."""
    from flask_babel import format_decimal

    return "" if value is None else f"{format_decimal(value / 100, format='#,##0.##')}%"


@waiting.add
def _waiting_reports(user) -> list[waiting.Waiting]:
    """An officer's own reports of this year and last that are returned, due within the reminder's days or late;
    above communes, how many communes have not sent the latest report past its due date. A few small queries: the
    plans and periods, the unit's reports, one COUNT."""
    from sqlalchemy import and_, exists, func

    from ..core.scope import subtree_ids
    from .models import Report

    if user.role not in (ADMIN, OFFICER):
        return []
    on, unit = clock.today(), user.unit
    periods = [p for p in services.periods_for(user) if p.plan.year >= on.year - 1]
    if not periods:
        return []
    items = []
    if unit.level in services.REPORTING_LEVELS:
        mine = {r.period_id: r for r in db.session.scalars(
            select(Report).where(Report.unit_id == unit.id, Report.period_id.in_([p.id for p in periods])))}
        for period in sorted(periods, key=lambda p: p.due_date):
            report, label = mine.get(period.id), services.period_label(period)
            url = url_for("reports.report", period_id=period.id, unit_id=unit.id)
            if report is not None and report.status == services.RETURNED:
                items.append(waiting.Waiting(_("%(report)s was returned to you", report=label), url, urgent=True))
            elif services.needs_reminder(report, period, on):
                late = (on - period.due_date).days
                items.append(waiting.Waiting(
                    ngettext("%(report)s is %(num)s day overdue", "%(report)s is %(num)s days overdue", late,
                             report=label) if late > 0
                    else _("%(report)s is due on %(date)s", report=label, date=period.due_date.strftime("%d/%m/%Y")),
                    url, urgent=late > 0))
    past = [p for p in periods if p.due_date < on]
    if past and unit.level != "commune":
        period = max(past, key=lambda p: p.due_date)
        sent = exists().where(Report.period_id == period.id, Report.unit_id == Unit.id,
                              Report.first_submitted_at.is_not(None))
        late = db.session.scalar(select(func.count()).select_from(Unit).where(and_(
            Unit.id.in_(subtree_ids(unit)), Unit.id != unit.id, Unit.level.in_(services.REPORTING_LEVELS),
            Unit.active.is_(True), ~sent)))
        if late:
            items.append(waiting.Waiting(
                ngettext("%(num)s commune has not sent the %(report)s", "%(num)s communes have not sent the %(report)s",
                         late, report=services.period_label(period)),
                url_for("reports.completeness", period_id=period.id), urgent=True))
    return items
