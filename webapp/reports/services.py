"""What the dashboard and the report show: the plan's goals against the indicators, their status, the report's
sections, and the calendar of reports (status, on time or late)."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, true

from ..activities.models import FUNDING_SOURCES, Activity
from ..activities.totals import MATERIALS_QUANTITY
from ..core import clock, fragments
from ..extensions import db
from ..geo.models import Unit
from ..plans.models import ACTIVITY_GROUPS, Plan, ReportPeriod
from ..plans.services import plans_for
from . import indicators
from .models import ACCEPTED, DRAFT, NOT_STARTED, RETURNED, SUBMITTED, EnteredValue, Report

REMINDER_DAYS = 10
REPORTING_LEVELS = ("province", "district", "commune")
ON_TRACK, AT_RISK, OFF_TRACK = "on_track", "at_risk", "off_track"

GROUP_LABELS = {
    "communication": _l("Communication"),
    "training": _l("Capacity building"),
    "month_of_action": _l("Month of Action for Children"),
    "forum": _l("Children's forum"),
    "support_model": _l("Support and intervention models"),
    "child_friendly": _l("Child-friendly communes"),
    "recreation": _l("Recreation, visits and gifts"),
    "violence_prevention": _l("Preventing violence and abuse"),
    "injury_prevention": _l("Preventing injuries and drowning"),
    "child_labour": _l("Preventing child labour"),
    "fundraising": _l("Mobilising resources"),
    "inspection": _l("Inspection and supervision"),
}
STATUS_LABELS = {
    NOT_STARTED: _l("Not started"), DRAFT: _l("Draft"), SUBMITTED: _l("Submitted"), RETURNED: _l("Returned"),
    ACCEPTED: _l("Accepted"),
}
TRACK_LABELS = {ON_TRACK: _l("On track"), AT_RISK: _l("At risk"), OFF_TRACK: _l("Off track")}


now, today, local_date = clock.now, clock.today, clock.local_date


def counted_until_text(period: ReportPeriod) -> str:
    """"Số liệu tính đến ngày 14/05/2023": said by the dashboard, the report page and the report's file."""
    from flask_babel import gettext as _

    return _("Figures counted up to %(date)s", date=period.counted_until.strftime("%d/%m/%Y"))


def waiting_text(n: int) -> str:
    """"45 chờ duyệt": the entries beside a figure that wait for review and are not counted in it."""
    from flask_babel import gettext as _

    from ..core.formatting import fmt_number

    return _("%(n)s awaiting review", n=fmt_number(n))


def period_label(period: ReportPeriod) -> str:
    from flask_babel import gettext as _

    if period.code == "half_year":
        return _("6-month report %(year)s", year=period.plan.year)
    return _("Annual report %(year)s", year=period.plan.year)


# --- Goals and their status -------------------------------------------------------------------------------------

@dataclass
class Goal:
    code: str  # "T12", "Q1", "Q1:participants"
    label: str  # what the plan says, e.g. "T12"
    text: str
    kind: str
    direction: str
    figure: int | None
    baseline: int | None
    applies: bool  # whether the figure is this unit's (counts and sums are the plan's unit's; rates every unit's)


@dataclass
class Row:
    goal: Goal
    actual: int | None
    source: str | None
    entered: EnteredValue | None = None
    reached: int | None = None  # percent of the figure reached
    status: str | None = None
    expected: int | None = None  # percent of the figure expected by now
    computed: bool = False  # from records (else entered by an officer)
    indicator: str | None = None  # the code of the indicator that computes it
    note: str | None = None  # what the reader must know to read the figure (its denominator's coverage…)
    waiting: int = 0  # entries waiting for review that bear on the figure (not counted in it)
    waiting_kind: str | None = None  # their kind of activity, when they are of one kind

    @property
    def described(self) -> str:
        """The source and, where there is one, the note: what a report's table says of where a figure comes from."""
        return " · ".join(part for part in (self.source, self.note) if part)


def _vi() -> bool:
    return str(get_locale() or "vi").startswith("vi")


def goals_for(plan: Plan, unit: Unit) -> list[Goal]:
    """The plan's targets (T1…) and planned quantities (Q1…, with people as their own goal), in the plan's order.

    A target set for one unit (a commune's own fund target T13) is that unit's goal instead of the plan's target of
    the same code; other units never see it in place of theirs."""
    vi = _vi()
    own = unit.id == plan.unit_id
    chosen: dict[str, tuple] = {}  # code -> the target closest to the unit: its own, else the plan's, else another's
    for t in plan.targets:
        rank = 2 if t.unit_id == unit.id else 1 if t.unit_id is None else 0
        if t.code not in chosen or rank > chosen[t.code][0]:
            chosen[t.code] = (rank, t)
    goals = []
    for _rank, t in chosen.values():
        applies = (t.unit_id == unit.id) if t.unit_id else (own or t.kind in ("percent", "done"))
        goals.append(Goal(t.code, t.code, t.text_vi if vi else t.text_en, t.kind, t.direction, t.figure, t.baseline,
                          applies))
    for q in plan.quantities:
        text = q.text_vi if vi else q.text_en
        goals.append(Goal(q.code, q.code, text, "count", "at_least", q.events, None, own))
        if q.participants:
            goals.append(Goal(f"{q.code}:participants", q.code, text + (" — số người" if vi else " — people"),
                              "count", "at_least", q.participants, None, own))
    return goals


def expected_share(plan: Plan, period: ReportPeriod, on: date) -> float:
    """The share of a yearly figure expected by `on` (or the day the period's figures are counted to, if earlier):
    the share of the year gone."""
    ref = min(on, period.counted_until)
    if ref < plan.start_date:
        return 0.0
    total = (plan.end_date - plan.start_date).days + 1
    return min(1.0, ((ref - plan.start_date).days + 1) / total)


def assess(goal: Goal, actual: int | None, plan: Plan, period: ReportPeriod, on: date) -> tuple:
    """(percent reached, on track / at risk / off track, percent expected by now) of a goal's actual value."""
    if actual is None or not goal.applies:
        return None, None, None
    if goal.direction == "rising":
        if goal.baseline is None:
            return None, None, None
        return None, (ON_TRACK if actual > goal.baseline else OFF_TRACK), None
    if goal.figure is None or goal.direction == "none":
        return None, None, None
    if goal.direction == "at_most":
        reached = 100 if actual <= goal.figure else goal.figure * 100 // actual
        if actual <= goal.figure:
            return reached, ON_TRACK, 100
        return reached, (AT_RISK if goal.baseline is not None and actual < goal.baseline else OFF_TRACK), 100
    reached = actual * 100 // goal.figure if goal.figure else 100
    if goal.kind == "percent":  # a rate should hold all year
        status = ON_TRACK if actual >= goal.figure else AT_RISK if actual * 10 >= goal.figure * 9 else OFF_TRACK
        return reached, status, 100
    if goal.kind == "done":
        if actual >= goal.figure:
            return 100, ON_TRACK, 100
        return 0, (AT_RISK if min(on, period.counted_until) < plan.end_date else OFF_TRACK), 100
    expected = expected_share(plan, period, on) * 100
    if actual >= goal.figure or reached >= expected:
        status = ON_TRACK
    elif reached >= expected * 0.75:
        status = AT_RISK
    else:
        status = OFF_TRACK
    return reached, status, round(expected)


def entered_values(period: ReportPeriod, unit_ids) -> dict[tuple[int, str], EnteredValue]:
    rows = db.session.scalars(select(EnteredValue).where(EnteredValue.period_id == period.id,
                                                         EnteredValue.unit_id.in_(list(unit_ids))))
    return {(v.unit_id, v.goal): v for v in rows}


@dataclass
class Dashboard:
    unit: Unit
    period: ReportPeriod
    rows: list[Row]
    results: indicators.Results
    others: list[tuple[indicators.Indicator, int | None]]
    sub_values: dict[int, dict[str, int | None]] = field(default_factory=dict)  # per sub-unit, by goal code


def dashboard(unit: Unit, period: ReportPeriod, on: date | None = None, with_subunits: bool = True) -> Dashboard:
    """Each goal of the plan with this unit's actual value, its source and its status; then the other indicators;
    and every goal's value for each direct sub-unit."""
    on = on or today()
    plan = period.plan
    results = indicators.evaluate(unit, period, with_subunits=with_subunits)
    subunits = results.subunits
    entered = entered_values(period, [unit.id] + [s.id for s in subunits])
    rows, measured = [], set()
    sub_values: dict[int, dict[str, int | None]] = {s.id: {} for s in subunits}
    for goal in goals_for(plan, unit):
        indicator = indicators.measuring(goal.code)
        if indicator is not None:
            measured.add(indicator.code)
            actual, source, value_row = results.totals[indicator.code], str(indicator.source), None
            for s in subunits:
                sub_values[s.id][goal.code] = results.by_sub[s.id][indicator.code]
        else:
            value_row = entered.get((unit.id, goal.code))
            actual = value_row.value if value_row else None
            source = value_row.source if value_row else None
            for s in subunits:
                v = entered.get((s.id, goal.code))
                sub_values[s.id][goal.code] = v.value if v else None
        reached, status, expected = assess(goal, actual, plan, period, on)
        waiting = results.waiting.get(indicator.code, 0) if indicator is not None else 0
        rows.append(Row(goal, actual, source, value_row, reached, status, expected, indicator is not None,
                        indicator.code if indicator else None, _note(indicator, results.totals),
                        waiting, indicators.activity_kind(indicator.code) if waiting else None))
    others = [(i, results.totals[i.code]) for i in indicators.REGISTRY.values()
              if i.shown and i.code not in measured and not i.measures and i.code != "communes"]
    return Dashboard(unit, period, rows, results, others, sub_values)


def _note(indicator: indicators.Indicator | None, totals: dict) -> str | None:
    """A share over the children aged 6 to 15 of the population statistics says how many communes have a figure,
    and shows the register's count beside it as a check only (reports/population.py)."""
    from flask_babel import gettext as _

    from ..core.formatting import fmt_number

    if indicator is None or not indicator.ratio or indicator.ratio[1] != "population_6_15":
        return None
    parts = [_("%(n)s of %(m)s communes have a population figure",
               n=totals.get("population_communes_covered") or 0, m=totals.get("communes") or 0)]
    figure, register = totals.get(indicator.ratio[1]), totals.get("children_school_age")
    if figure is not None:
        parts.append(_("children aged 6 to 15 (population statistics): %(n)s", n=fmt_number(figure)))
    if register is not None:
        parts.append(_("children aged 6 to 15 in the register (a check only): %(n)s", n=fmt_number(register)))
    return " · ".join(parts)


# --- The report -------------------------------------------------------------------------------------------------

@dataclass
class GroupLine:
    code: str
    label: str
    sessions: int = 0
    participants: int = 0
    materials: int = 0
    spent: int = 0
    raised: int = 0
    waiting: int = 0  # entries of the group waiting for review (not counted above)


GROUP_SUMS = [
    ("sessions", (true(), indicators.ONE)),
    ("participants", (true(), indicators.AUDIENCE)),
    ("spent", (true(), func.coalesce(Activity.amount_spent, 0))),
    ("raised", (true(), func.coalesce(Activity.money_raised, 0) + func.coalesce(Activity.in_kind_value, 0))),
    ("materials", (true(), func.coalesce(MATERIALS_QUANTITY, 0))),
]


def group_lines(unit: Unit, period: ReportPeriod, use_summary: bool = True) -> list[GroupLine]:
    """The 12 groups of activities in the plan's order, with what was done: sessions, participants, materials,
    money spent and raised (summed as the dashboard sums: `indicators.counted_sums`)."""
    lines = {code: GroupLine(code, str(GROUP_LABELS[code])) for code in ACTIVITY_GROUPS}
    n = len(GROUP_SUMS)
    for kind, values in indicators.counted_sums(unit, period, "kind", GROUP_SUMS, use_summary, waiting=True).items():
        if kind in lines:
            for (name, _), v in zip(GROUP_SUMS, values[:n], strict=True):
                setattr(lines[kind], name, v or 0)
            lines[kind].waiting = values[n] or 0  # the entries waiting: as many for every sum of a group
    return list(lines.values())


@dataclass
class ReportData:
    unit: Unit
    period: ReportPeriod
    report: Report | None
    groups: list[GroupLine]
    board: Dashboard
    money: list[tuple[str, int]]

    @property
    def rows(self) -> list[Row]:
        return self.board.rows

    @property
    def others(self) -> list[tuple[indicators.Indicator, int | None]]:
        """The figures that measure no goal (gifts, the fund's spending, recommendations…), as the dashboard shows."""
        return self.board.others

    @property
    def status(self) -> str:
        return self.report.status if self.report else NOT_STARTED

    @property
    def counted_until(self) -> date:
        """The last day whose records the report counts (the period's data cut-off)."""
        return self.period.counted_until


def report_data(unit: Unit, period: ReportPeriod, on: date | None = None) -> ReportData:
    board = dashboard(unit, period, on, with_subunits=False)
    totals = board.results.totals
    money = [(str(indicators.SOURCE_LABELS[s]), totals[f"spent_{s}"]) for s in FUNDING_SOURCES]
    return ReportData(unit, period, report_for(period, unit), group_lines(unit, period), board, money)


def report_for(period: ReportPeriod, unit: Unit) -> Report | None:
    return db.session.scalar(select(Report).where(Report.period_id == period.id, Report.unit_id == unit.id))


def place_name(unit: Unit) -> str:
    """The place of the date line: the unit's name without "Xã", "Phường", "Tỉnh"…"""
    for prefix in ("Thành phố ", "Thị trấn ", "Phường ", "Tỉnh ", "Xã ", "Đặc khu "):
        if unit.name.startswith(prefix):
            return unit.name[len(prefix):]
    return unit.name


def full_name(unit: Unit) -> str:
    """The unit's name with its kind, as a document names it: a province is listed as "Lào Cai" (kind "tỉnh"),
    a document writes "Tỉnh Lào Cai"; communes and cities carry their kind in their name already."""
    if unit.level == "province" and (unit.kind or "").lower() == "tỉnh" and not unit.name.startswith("Tỉnh "):
        return f"Tỉnh {unit.name}"
    return unit.name


def issuing_body(unit: Unit) -> str:
    return f"Ủy ban nhân dân {full_name(unit)}"


# --- The calendar -----------------------------------------------------------------------------------------------

def timeliness(report: Report | None, period: ReportPeriod, on: date) -> str | None:
    """'on_time' or 'late' once submitted (by the first submission); before that 'late' once the due date has
    passed, else None."""
    if report is not None and report.first_submitted_at is not None:
        return "on_time" if local_date(report.first_submitted_at) <= period.due_date else "late"
    return "late" if on > period.due_date else None


def needs_reminder(report: Report | None, period: ReportPeriod, on: date) -> bool:
    """From 10 days before the due date until the report is sent."""
    status = report.status if report else NOT_STARTED
    return status in (NOT_STARTED, DRAFT, RETURNED) and (period.due_date - on).days <= REMINDER_DAYS


def reporting_units(unit: Unit) -> list[Unit]:
    """The units that write a report: the unit itself and every commune (or district) under it."""
    from ..core.scope import subtree_ids

    stmt = (select(Unit).where(Unit.id.in_(subtree_ids(unit)), Unit.level.in_(REPORTING_LEVELS),
                               Unit.active.is_(True)).order_by(Unit.path != unit.path, Unit.name))
    return list(db.session.scalars(stmt))


@dataclass
class CalendarLine:
    unit: Unit
    report: Report | None
    status: str
    timing: str | None


def completeness(unit: Unit, period: ReportPeriod, on: date | None = None) -> list[CalendarLine]:
    on = on or today()
    units = reporting_units(unit)
    reports = {r.unit_id: r for r in db.session.scalars(
        select(Report).where(Report.period_id == period.id, Report.unit_id.in_([u.id for u in units])))}
    lines = []
    for u in units:
        r = reports.get(u.id)
        lines.append(CalendarLine(u, r, r.status if r else NOT_STARTED, timeliness(r, period, on)))
    return lines


def periods_for(user, year: int | None = None) -> list[ReportPeriod]:
    plans = db.session.scalars(plans_for(user)).all()
    return [p for plan in plans if year is None or plan.year == year for p in plan.periods]


def current_period(user, on: date | None = None) -> ReportPeriod | None:
    """The period whose report is due next in the plan of this year (else the latest plan's last period)."""
    on = on or today()
    periods = periods_for(user)
    this_year = [p for p in periods if p.plan.year == on.year]
    upcoming = sorted((p for p in this_year if p.due_date >= on), key=lambda p: p.due_date)
    if upcoming:
        return upcoming[0]
    if this_year:
        return max(this_year, key=lambda p: p.due_date)
    return max(periods, key=lambda p: (p.plan.year, p.due_date)) if periods else None


# --- The dashboard read at a glance: the goals' standing, the months, the sub-units ranked --------------------------

BEHIND = (AT_RISK, OFF_TRACK)
# The groups of the other results, by the feature whose records give them (an activity sum is the activity log's).
RESULT_GROUPS = {
    "activities": _l("Activities"), "children": _l("Children"), "gifts": _l("Gifts and scholarships"),
    "fund": _l("Child Protection Fund"), "forum": _l("Children's forum"), "swim": _l("Swimming"),
}


@dataclass
class Glance:
    """How the unit is doing: its goals on track, behind and without a figure, and the share of the year expected
    by now; the report's status and due date; what waits for review."""

    on_track: list[Row]
    behind: list[Row]
    no_data: list[Row]
    no_target: list[Row]  # a figure but no status: a count of the plan's, not this unit's; a rising share without
    # its baseline
    expected: int  # percent of a yearly figure expected by now
    report: Report | None
    status: str
    due_date: date
    timing: str | None
    activities_waiting: int  # activities of the unit and period waiting for review
    reports_waiting: int | None  # reports of the units below sent and not yet reviewed (None for a commune)


def glance(board: Dashboard, months: "MonthChart", on: date | None = None) -> Glance:
    on = on or today()
    period, unit = board.period, board.unit
    sorted_rows: dict[str, list[Row]] = {"on": [], "behind": [], "none": [], "free": []}
    for row in board.rows:
        key = "none" if row.actual is None else "on" if row.status == ON_TRACK else \
            "behind" if row.status in BEHIND else "free"
        sorted_rows[key].append(row)
    report = report_for(period, unit)
    reports_waiting = None
    if unit.level != "commune":
        from ..core.scope import subtree_ids

        reports_waiting = db.session.scalar(
            select(func.count()).select_from(Report).where(Report.period_id == period.id,
                                                           Report.status == SUBMITTED, Report.unit_id != unit.id,
                                                           Report.unit_id.in_(subtree_ids(unit))))
    return Glance(sorted_rows["on"], sorted_rows["behind"], sorted_rows["none"], sorted_rows["free"],
                  round(expected_share(period.plan, period, on) * 100), report,
                  report.status if report else NOT_STARTED, period.due_date, timeliness(report, period, on),
                  months.waiting, reports_waiting)


def result_groups(board: Dashboard) -> list[tuple[str, list[tuple[indicators.Indicator, int | None]]]]:
    """The other results in groups, by the feature that gives them: [(group label, [(indicator, value)])]."""
    grouped: dict[str, list] = {key: [] for key in RESULT_GROUPS}
    for ind, v in board.others:
        grouped[_feature_of(ind)].append((ind, v))
    return [(str(RESULT_GROUPS[key]), items) for key, items in grouped.items() if items]


def _feature_of(ind: indicators.Indicator) -> str:
    if ind.ratio:
        return _feature_of(indicators.REGISTRY[ind.ratio[0]])
    if ind.prefer:
        return _feature_of(indicators.REGISTRY[ind.prefer[0]])
    if ind.by_unit is None:
        return "activities"
    feature = ind.by_unit.__module__.split(".")[-2]
    if feature == "reports":  # the population statistics are about children; recognitions about communes' work
        return "children" if ind.code.startswith("population") else "activities"
    return feature if feature in RESULT_GROUPS else "activities"


# A chart of the months: a few series (stacked), each a value per month of the period.
CHART_SERIES = 3  # the largest groups by name; the others together as one


@dataclass
class Series:
    label: str
    values: list[int]
    css: str  # the series' colour class: s0, s1, s2, s3


@dataclass
class MonthChart:
    months: list[date]  # the first day of each month of the period
    series: list[Series]
    current: int | None  # index of today's month, if within the period
    counted_to: int  # months after this index are not counted yet (after the period's figures' last day)
    kind: str = "count"
    waiting: int = 0  # entries waiting for review over the whole period (not in the values)

    @property
    def totals(self) -> list[int]:
        return [sum(s.values[i] for s in self.series) for i in range(len(self.months))]

    @property
    def top(self) -> int:
        return max(self.totals or [0]) or 1


def period_months(period: ReportPeriod) -> list[date]:
    months, m = [], period.start_date.replace(day=1)
    while m <= period.end_date:
        months.append(m)
        m = date(m.year + m.month // 12, m.month % 12 + 1, 1)
    return months


def _chart(period: ReportPeriod, on: date, series: list[Series], kind: str = "count", waiting: int = 0) -> MonthChart:
    months = period_months(period)
    this_month = period.counted_until.replace(day=1)  # the month of the figures' last day
    current = months.index(on.replace(day=1)) if on.replace(day=1) in months else None
    counted_to = months.index(this_month) if this_month in months else (len(months) - 1 if this_month > months[-1]
                                                                        else -1)
    return MonthChart(months, series, current, counted_to, kind, waiting)


ACTIVITIES_PER_MONTH = [("activities", (true(), indicators.ONE))]


def _monthly_sums(unit: Unit, period: ReportPeriod, group_by: str, sums) -> dict:
    """`indicators.counted_sums` month by month, kept like the dashboard's figures until the next write
    (`core.fragments.memo`): numbers only, the same for every reader of the unit."""
    key = (unit.id, period.start_date, period.counted_until, group_by, tuple(code for code, _ in sums))
    return fragments.memo("months", key, lambda: indicators.counted_sums(unit, period, group_by, sums, waiting=True,
                                                                         by_month=True))


def activity_months(unit: Unit, period: ReportPeriod, on: date | None = None) -> MonthChart:
    """The approved activities of each month of the period by group (the largest groups by name, the rest as one),
    and how many wait for review: one query on the monthly summary (and the days at the period's edges)."""
    on = on or today()
    sums = _monthly_sums(unit, period, "kind", ACTIVITIES_PER_MONTH)
    months = period_months(period)
    index = {m: i for i, m in enumerate(months)}
    by_group: dict[str, list[int]] = {}
    waiting = 0
    for (month, kind), (n, n_waiting) in sums.items():
        waiting += n_waiting or 0
        if n and month in index and kind in GROUP_LABELS:
            by_group.setdefault(kind, [0] * len(months))[index[month]] += n
    ranked = sorted(by_group, key=lambda k: (-sum(by_group[k]), ACTIVITY_GROUPS.index(k)))
    series = [Series(str(GROUP_LABELS[k]), by_group[k], f"s{i}") for i, k in enumerate(ranked[:CHART_SERIES])]
    rest = ranked[CHART_SERIES:]
    if rest:
        from flask_babel import gettext as _

        series.append(Series(_("Other groups"), [sum(by_group[k][i] for k in rest) for i in range(len(months))],
                             f"s{CHART_SERIES}"))
    return _chart(period, on, series, waiting=waiting)


def goal_months(unit: Unit, period: ReportPeriod, indicator: indicators.Indicator | None,
                on: date | None = None) -> MonthChart | None:
    """A goal's own measure month by month, where it has one: an activity sum (trainings held, people trained…),
    read from the monthly summary as the dashboard's figure is. None for a figure that is not a sum of months (a
    share, a register's count, an entered value)."""
    if indicator is None or not indicator.activity_sum:
        return None
    sums = _monthly_sums(unit, period, "plan_id", [(indicator.code, indicator.activity_sum)])
    months = period_months(period)
    values, waiting = [0] * len(months), 0
    for (month, _plan), (v, n_waiting) in sums.items():
        waiting += n_waiting or 0
        if month in months and v:
            values[months.index(month)] += v
    return _chart(period, on or today(), [Series(str(indicator.label), values, "s0")], indicator.kind, waiting)


@dataclass
class Ranked:
    unit: Unit
    value: int | None
    share: int  # the bar's length, in percent of the target (a rate) or of the largest value
    status: str | None


def ranked_subunits(board: Dashboard, goal_code: str, on: date | None = None) -> list[Ranked]:
    """The sub-units by their value of a goal, the laggards first (the lowest, or for a goal to stay under, the
    highest), those without a figure last; each bar against the goal's figure where it holds for every unit (a
    rate), else against the largest value."""
    row = next(r for r in board.rows if r.goal.code == goal_code)
    goal, plan = row.goal, board.period.plan
    values = [(s, board.sub_values[s.id].get(goal_code)) for s in board.results.subunits]
    rate = goal.kind in ("percent", "done") and goal.figure
    scale = goal.figure if rate else max([v for _s, v in values if v] or [1])
    lagging_first = goal.direction != "at_most"
    known = sorted((x for x in values if x[1] is not None), key=lambda x: (x[1], x[0].name),
                   reverse=not lagging_first)
    if not lagging_first:  # the highest first, names still in order
        known.sort(key=lambda x: (-x[1], x[0].name))
    unit_goal = Goal(goal.code, goal.label, goal.text, goal.kind, goal.direction, goal.figure, goal.baseline,
                     bool(rate))
    ranked = []
    for s, v in known + [x for x in values if x[1] is None]:
        status = assess(unit_goal, v, plan, board.period, on or today())[1] if v is not None else None
        ranked.append(Ranked(s, v, min(100, v * 100 // scale) if v and scale else 0, status))
    return ranked


def pace(goal: Goal, chart: MonthChart | None, period: ReportPeriod) -> list[int] | None:
    """What a yearly count or sum should have reached by the end of each month of the chart (the share of the plan's
    year gone by then, as the bars' marks measure it): the pace line of a goal's months; None where the figure is not
    this unit's."""
    if chart is None or not goal.applies or goal.figure is None or goal.direction != "at_least" \
            or goal.kind not in ("count", "money"):
        return None
    plan = period.plan
    days = (plan.end_date - plan.start_date).days + 1
    return [round(goal.figure * min(1.0, max(0, (_month_end(m) - plan.start_date).days + 1) / days))
            for m in chart.months]


def _month_end(month: date) -> date:
    from datetime import timedelta

    return date(month.year + month.month // 12, month.month % 12 + 1, 1) - timedelta(days=1)
