"""The one registry of indicators: each a function of (unit subtree, report period) -> value, with its source.

Most indicators are sums over the records of each unit, so one query grouped by unit answers the unit and all its
sub-units at once (`evaluate`). An indicator says how it is computed in one of three ways:
- `activity_sum=(condition, expression)`: SUM(CASE WHEN condition THEN expression) over the activities counted for
  the period (approved ones; all such indicators share one query), read for whole months from the monthly summary
  (activities/totals.py) with the condition and expression translated to its columns (`to_summary`), and from the
  activities for the days of a partial month; the same query counts the entries still waiting for review that bear
  on it (`Results.waiting`);
- `by_unit=f(unit, period) -> {unit_id: value}`: values per unit of the records, summed up the tree; with
  `own_value=True` not summed: each unit's value is the one `by_unit` gives for the unit itself (a fund's own
  receipts, not its sub-units' funds; a figure entered for the unit as a whole), None where it gives none, and
  each sub-unit's is its own likewise;
- `ratio=(numerator_code, denominator_code)`: a percentage in hundredths, from two summed indicators;
- `prefer=(preferred_code, fallback_code[, deciding_code])`: where a feature's own register and the activity log
  can both record the same thing (gifts, forums), per commune (a commune with its villages; any other unit by
  itself) the preferred indicator's values when the commune has any value of the deciding indicator (the preferred
  one unless given) in the period, else the fallback's: never both, so nothing is counted twice. Indicators that
  share a deciding indicator are decided alike (forums by level and in all).
A `by_unit` function that answers several indicators at once returns {unit_id: {key: value}} and each indicator
names its `key`; it is called once per evaluation. `shown=False` keeps a part of a `prefer` off the pages.
Values are integers in the kind's unit: counts, whole đồng, hundredths of a percent. A period's records count from
its start to `period.counted_until` (its end, or its data cut-off if earlier).

Other features add theirs with `register(Indicator(...))` in their own `indicators.py` (docs/DEVELOPING.md).
"""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, literal, or_, select, text, true
from sqlalchemy.sql import operators, visitors
from sqlalchemy.sql.elements import BinaryExpression, Null

from ..activities import totals
from ..activities.models import APPROVED, FUNDING_SOURCES, Activity
from ..activities.totals import COUNTED_STATUSES as COUNTED_STATUSES
from ..activities.totals import (
    KEY_COLUMNS,
    MATERIALS_QUANTITY,
    SUMMED_COLUMNS,
    WAITING,
    ActivityMonthTotal,
    counted,
    summarised,
)
from ..core.scope import area_filter, subtree_ids
from ..extensions import db
from ..geo.models import COMMUNE, VILLAGE, Unit
from . import population


@dataclass(frozen=True)
class Indicator:
    code: str
    label: object  # lazy string
    kind: str  # count | money | percent
    source: object  # lazy string: where the value comes from
    measures: str | None = None  # the plan goal it is compared with: "T12", "Q1", "Q1:participants"
    activity_sum: tuple | None = None
    by_unit: Callable | None = None
    ratio: tuple[str, str] | None = None
    prefer: tuple[str, ...] | None = None
    key: str | None = None  # with by_unit: the key of this indicator in the function's {unit_id: {key: value}}
    shown: bool = True  # False: a part of another indicator, not shown by itself
    own_value: bool = False  # with by_unit: the unit's own value, not the sum over its subtree (None if none)
    needs: tuple[str, ...] = field(default=())

    def __post_init__(self):
        if sum(x is not None for x in (self.activity_sum, self.by_unit, self.ratio, self.prefer)) != 1:
            raise ValueError(f"indicator {self.code}: give exactly one of activity_sum, by_unit, ratio, prefer")
        if self.own_value and self.by_unit is None:
            raise ValueError(f"indicator {self.code}: own_value is for a by_unit indicator")


REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    REGISTRY[indicator.code] = indicator
    return indicator


def measuring(goal: str) -> Indicator | None:
    """The indicator whose value is compared with a plan goal, if records can give it."""
    return next((i for i in REGISTRY.values() if i.measures == goal), None)


def counted_activities(unit: Unit, period, dates=None, with_waiting: bool = False):
    """The WHERE clause of the activities that count for a unit's subtree in a period: the plan's, dated from the
    period's start to its data cut-off (`period.counted_until`; or in `dates`, a condition on Activity.date),
    approved (and, `with_waiting`, those waiting for review), not deleted. Reports and the dashboard both use it.

    For the plan's own unit (the province) the subtree is not filtered: every activity of a plan lies in its unit's
    subtree (activities are logged against the plans of one's own area, `plans_for`)."""
    in_area = area_filter(Activity.unit_id, unit, known_inside=unit.id == period.plan.unit_id)
    if dates is None:
        dates = and_(Activity.date >= period.start_date, Activity.date <= period.counted_until)
    return and_(*in_area, Activity.plan_id == period.plan_id, dates, summarised() if with_waiting else counted())


# --- Sums over the counted activities: from the monthly summary where months are whole ---------------------------

ONE = literal(1)
T = ActivityMonthTotal


class UntranslatableIndicator(ValueError):
    """An `activity_sum` indicator that the monthly summary (activity_month_totals) cannot answer."""


def _activity_column(elem) -> str | None:
    if getattr(elem, "table", None) is Activity.__table__ and hasattr(elem, "name"):
        return elem.name
    return None


def _summed_name(elem) -> str | None:
    """The summary column that sums this expression of one activity, if it is one."""
    if elem is MATERIALS_QUANTITY:
        return "materials"
    name = _activity_column(elem)
    return name if name in SUMMED_COLUMNS else None


def _mentions_summed(elem) -> bool:
    return any(_summed_name(e) for e in visitors.iterate(elem))


def to_summary(clause, code: str, part: str):
    """An indicator's condition or expression over one activity, rewritten over the summary's columns (ONE → n,
    a summed column → its sum). A condition may test key columns (kind, channel, level, funding source, unit) and
    whether a summed column IS NOT NULL; an expression may add summed columns. Anything else cannot be answered
    from sums and raises UntranslatableIndicator."""

    def replace(elem):
        if elem is ONE:
            return T.n
        if part == "condition":
            if (isinstance(elem, BinaryExpression) and elem.operator is operators.is_not
                    and isinstance(elem.right, Null) and _summed_name(elem.left)):
                return getattr(T, _summed_name(elem.left)).is_not(None)
            if _summed_name(elem):
                raise UntranslatableIndicator(
                    f"indicator {code}: its condition tests the value of {_summed_name(elem)}; the monthly summary "
                    "(activity_month_totals) keeps only its sum: test only whether it IS NOT NULL")
        elif isinstance(elem, BinaryExpression) and elem.operator not in (operators.add, operators.sub) \
                and _mentions_summed(elem):
            raise UntranslatableIndicator(
                f"indicator {code}: its expression uses {elem.operator.__name__} on a summed column; a sum of sums "
                "can only add or subtract them")
        if _summed_name(elem):
            return getattr(T, _summed_name(elem))
        name = _activity_column(elem)
        if name is not None:
            if name in KEY_COLUMNS:
                return getattr(T, name)
            raise UntranslatableIndicator(
                f"indicator {code}: its {part} uses activities.{name}, which the monthly summary "
                "(activity_month_totals, webapp/activities/totals.py) neither keys nor sums: add it there")
        return None

    return visitors.replacement_traverse(clause, {}, replace)


_TRANSLATED: dict[tuple, tuple] = {}


def summary_sum(code: str, pair: tuple) -> tuple:
    """(condition, expression) of an activity sum, over the summary (cached)."""
    key = (code, id(pair[0]), id(pair[1]))
    if key not in _TRANSLATED:
        _TRANSLATED[key] = (to_summary(pair[0], code, "condition"), to_summary(pair[1], code, "expression"))
    return _TRANSLATED[key]


def _relaxed(condition):
    """An indicator's condition without its tests of whether a summed column IS NOT NULL (the summary keeps sums,
    not how many activities gave a value): the entries waiting for review that bear on a figure are all those of
    its kind, channel, level and funding source, whether or not they carry a value of the summed column."""

    def replace(elem):
        if (isinstance(elem, BinaryExpression) and elem.operator is operators.is_not and isinstance(elem.right, Null)
                and _summed_name(elem.left)):
            return true()
        return None

    return visitors.replacement_traverse(condition, {}, replace)


_SPLIT: dict[tuple, tuple] = {}


def _split_sum(code: str, pair: tuple) -> tuple:
    """(approved sum, waiting count) of an activity sum, over the activities and over the summary (cached: the
    pairs are the indicators' own, made once at import)."""
    key = (code, id(pair[0]), id(pair[1]))
    if key not in _SPLIT:
        condition, expression = pair
        waiting = _relaxed(condition)
        s_condition, s_expression = summary_sum(code, pair)
        s_waiting = to_summary(waiting, code, "condition")
        _SPLIT[key] = (
            ((and_(Activity.status == APPROVED, condition), expression), (and_(Activity.status == WAITING, waiting),
                                                                          ONE)),
            ((and_(T.status == APPROVED, s_condition), s_expression), (and_(T.status == WAITING, s_waiting), T.n)),
            pair,  # kept alive: its id is the key
        )
    return _SPLIT[key]


def single_kind(condition) -> str | None:
    """The one kind of activity a condition is about (Activity.kind == "training"), if it names exactly one."""
    kinds = {elem.right.value for elem in visitors.iterate(condition)
             if isinstance(elem, BinaryExpression) and elem.operator is operators.eq
             and _activity_column(elem.left) == "kind" and hasattr(elem.right, "value")}
    return kinds.pop() if len(kinds) == 1 else None


def activity_kind(code: str) -> str | None:
    """The one kind of activity whose entries an indicator counts (through a `prefer`'s fallback or a ratio's
    numerator), if there is one: the filter of the list of its entries waiting for review."""
    indicator = REGISTRY[code]
    if indicator.prefer:
        return activity_kind(indicator.prefer[1])
    if indicator.ratio:
        return activity_kind(indicator.ratio[0])
    return single_kind(indicator.activity_sum[0]) if indicator.activity_sum else None


def check_translations() -> None:
    """Every registered activity sum can be answered from the summary (raises UntranslatableIndicator)."""
    for indicator in REGISTRY.values():
        if indicator.activity_sum:
            _split_sum(indicator.code, indicator.activity_sum)


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def split_period(start: date, end: date) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """The whole months of [start, end] (first days of the first and last), and the days outside them."""
    first = start if start.day == 1 else _next_month(start.replace(day=1))
    last = end.replace(day=1) if (end + timedelta(days=1)).day == 1 else \
        (end.replace(day=1) - timedelta(days=1)).replace(day=1)
    if first > last:
        return None, [(start, end)]
    partial = []
    if start < first:
        partial.append((start, first - timedelta(days=1)))
    last_day = _next_month(last) - timedelta(days=1)
    if end > last_day:
        partial.append((last_day + timedelta(days=1), end))
    return (first, last), partial


def _no_jit() -> None:
    """PostgreSQL would spend a second compiling (JIT) a query over the days of a partial month that takes a
    tenth of that to run (its estimated cost is far above jit_above_cost): not in this transaction."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL jit = off"))


def _in_days(ranges):
    return or_(*[and_(Activity.date >= a, Activity.date <= b) for a, b in ranges])


# False while evaluate(use_summary=False) runs: the indicators read the activities alone.
_USE_SUMMARY: ContextVar[bool] = ContextVar("use_summary", default=True)


def counted_sums(unit: Unit, period, group: str, sums: list[tuple[str, tuple]],
                 use_summary: bool = True, waiting: bool = False, by_month: bool = False) -> dict:
    """{value of the activities' column `group` (unit_id, kind): [SUM(CASE WHEN condition THEN expression) of each
    (code, (condition, expression)) of `sums`]} over the counted (approved) activities of the unit and period; None
    where no activity gave a value. With `waiting`, each list goes on with how many entries waiting for review bear
    on each sum (of its kind, channel, level, funding source: `_relaxed`), from the same query. Whole months come
    from the summary, the days at the period's edges from the activities (all of it from the activities when
    `use_summary` is false: tests compare the two). With `by_month`, the keys are (first day of the month, value of
    `group`): the months of a chart, from the same summary rows and days."""
    results: dict = {}
    split = [_split_sum(code, pair) for code, pair in sums]
    on_activities = [s[0][0] for s in split] + ([s[0][1] for s in split] if waiting else [])
    width = len(on_activities)

    def add(rows):
        for g, *values in rows:
            current = results.setdefault(g, [None] * width)
            for i, v in enumerate(values):
                if v is not None:
                    current[i] = (current[i] or 0) + int(v)

    if not sums:
        return results
    whole, partial = (split_period(period.start_date, period.counted_until) if use_summary
                      else (None, [(period.start_date, period.counted_until)]))
    if partial:
        _no_jit()
    columns = [getattr(Activity, group)]
    if by_month:
        columns.insert(0, totals.month_start(Activity.date))
    for first, last in partial:  # one range a query: each reads its days from the index on date
        stmt = (select(*columns, *[func.sum(case((c, e), else_=literal(None))) for c, e in on_activities])
                .where(counted_activities(unit, period, _in_days([(first, last)]), with_waiting=waiting))
                .group_by(*columns))
        add(_month_keys(db.session.execute(stmt)) if by_month else db.session.execute(stmt))
    if whole:
        translated = [s[1][0] for s in split] + ([s[1][1] for s in split] if waiting else [])
        if unit.id == period.plan.unit_id and unit.level not in (COMMUNE, VILLAGE):
            in_area = [T.scope == totals.COMMUNE]  # the whole plan: its communes' rows, villages rolled in
        else:
            in_area = [T.scope == totals.UNIT, T.unit_id.in_(subtree_ids(unit))]
        columns = [T.month, getattr(T, group)] if by_month else [getattr(T, group)]
        stmt = (select(*columns, *[func.sum(case((c, e), else_=literal(None))) for c, e in translated])
                .where(*in_area, T.plan_id == period.plan_id, T.month >= whole[0], T.month <= whole[1],
                       *([] if waiting else [T.status == APPROVED]))
                .group_by(*columns))
        add(_month_keys(db.session.execute(stmt)) if by_month else db.session.execute(stmt))
    return results


def _month_keys(rows):
    """Rows (month, group value, *sums) as ((month, group value), *sums), the month a date (SQLite gives text)."""
    for month, g, *values in rows:
        if isinstance(month, str):
            month = date.fromisoformat(month[:10])
        elif hasattr(month, "date"):
            month = month.date()
        yield ((month, g), *values)


@dataclass
class Results:
    """The values of a unit (`totals`) and of each of its direct sub-units (`by_sub`), by indicator code."""

    totals: dict[str, int | None]
    by_sub: dict[int, dict[str, int | None]]
    subunits: list[Unit]
    # The unit's entries waiting for review that bear on a figure (activity sums, a `prefer` where it takes the
    # activities, a ratio's numerator), by indicator code: shown beside the figure, not counted in it.
    waiting: dict[str, int] = field(default_factory=dict)


def _subunits_and_owner(unit: Unit) -> tuple[list[Unit], dict[int, int]]:
    """The direct sub-units, and for every unit of the subtree the direct sub-unit it lies in."""
    rows = db.session.execute(select(Unit.id, Unit.path).where(Unit.id.in_(subtree_ids(unit)))).all()
    depth = len(unit.path.strip("/").split("/"))
    owner = {}
    for unit_id, path in rows:
        parts = path.strip("/").split("/")
        if len(parts) > depth:
            owner[unit_id] = int(parts[depth])
    subunits = db.session.scalars(select(Unit).where(Unit.parent_id == unit.id, Unit.active.is_(True))
                                  .order_by(Unit.name)).all()
    return list(subunits), owner


def _expand(codes) -> list[str]:
    wanted: list[str] = []

    def add(code):
        if code in wanted:
            return
        indicator = REGISTRY[code]
        for need in (indicator.ratio or ()) + (indicator.prefer or ()) + indicator.needs:
            add(need)
        wanted.append(code)

    for code in codes:
        add(code)
    return wanted


def _activity_sums(unit, period, indicators, use_summary=True) -> tuple[dict, dict]:
    """({unit_id: {code: approved sum}}, {unit_id: {code: entries waiting}})."""
    sums = counted_sums(unit, period, "unit_id", [(i.code, i.activity_sum) for i in indicators], use_summary,
                        waiting=True)
    n = len(indicators)
    values = {unit_id: {ind.code: v for ind, v in zip(indicators, row[:n], strict=True) if v is not None}
              for unit_id, row in sums.items()}
    waiting = {unit_id: {ind.code: v for ind, v in zip(indicators, row[n:], strict=True) if v}
               for unit_id, row in sums.items()}
    return values, waiting


def evaluate(unit: Unit, period, codes=None, with_subunits: bool = True, use_summary: bool = True) -> Results:
    """The values of the indicators `codes` (all when None) for a unit and, summed likewise, each sub-unit.
    `use_summary=False` computes the activity sums from the activities alone (slow; tests compare the two).
    Kept per unit, period (with its dates and cut-off), codes and day until the next write (`core.fragments.memo`,
    keyed by the data's change counter): the dashboards ask far more often than the records change. Figures only,
    no label: the same for every locale and every reader of the unit (who may read it is checked before)."""
    from ..core import fragments

    codes = _expand(codes if codes is not None else list(REGISTRY))
    key = (unit.id, getattr(period, "id", None), period.start_date, period.counted_until, tuple(codes),
           with_subunits, use_summary)
    kept = fragments.memo("indicators", key, lambda: _kept(_evaluate(unit, period, codes, with_subunits,
                                                                       use_summary)))
    totals, by_sub, subunit_ids, waiting = kept
    subunits = []
    if subunit_ids:
        loaded = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(subunit_ids)))}
        subunits = [loaded[i] for i in subunit_ids if i in loaded]
    return Results(totals, by_sub, subunits, waiting)


def _kept(results: Results) -> tuple:
    """What a cache may hold of the results: numbers and ids, never an ORM object of one request's session."""
    return results.totals, results.by_sub, [s.id for s in results.subunits], results.waiting


def _evaluate(unit: Unit, period, codes: list[str], with_subunits: bool, use_summary: bool) -> Results:
    indicators = [REGISTRY[c] for c in codes]
    subunits, owner = _subunits_and_owner(unit) if with_subunits else ([], {})
    per_unit, waiting = _activity_sums(unit, period, [i for i in indicators if i.activity_sum], use_summary)
    answers: dict[Callable, dict] = {}  # a by_unit function answering several indicators runs once
    for indicator in indicators:
        if indicator.by_unit:
            if indicator.by_unit not in answers:
                token = _USE_SUMMARY.set(use_summary)
                try:
                    answers[indicator.by_unit] = indicator.by_unit(unit, period)
                finally:
                    _USE_SUMMARY.reset(token)
            for unit_id, v in answers[indicator.by_unit].items():
                if indicator.key is not None:
                    v = v.get(indicator.key)
                if v is not None:
                    per_unit.setdefault(unit_id, {})[indicator.code] = int(v)
    preferring = [i for i in indicators if i.prefer]
    if preferring:
        _apply_preferences(per_unit, preferring, waiting)
    summed = [i.code for i in indicators if not i.ratio and not i.own_value]
    totals: dict[str, int | None] = dict.fromkeys(summed, 0)
    by_sub: dict[int, dict[str, int | None]] = {s.id: dict.fromkeys(summed, 0) for s in subunits}
    for unit_id, values in per_unit.items():
        sub = by_sub.get(owner.get(unit_id))
        for code, v in values.items():
            if code not in totals:  # an own value: taken below, never summed
                continue
            totals[code] += v
            if sub is not None:
                sub[code] += v
    waiting_totals: dict[str, int] = {}
    for values in waiting.values():
        for code, v in values.items():
            waiting_totals[code] = waiting_totals.get(code, 0) + v
    for indicator in indicators:
        if indicator.own_value:
            totals[indicator.code] = per_unit.get(unit.id, {}).get(indicator.code)
            for s in subunits:
                by_sub[s.id][indicator.code] = per_unit.get(s.id, {}).get(indicator.code)
    for indicator in indicators:
        if indicator.ratio:
            for values in [totals, *by_sub.values()]:
                values[indicator.code] = _percent(values[indicator.ratio[0]], values[indicator.ratio[1]])
            if waiting_totals.get(indicator.ratio[0]):
                waiting_totals[indicator.code] = waiting_totals[indicator.ratio[0]]
    return Results(totals, by_sub, subunits, waiting_totals)


def _apply_preferences(per_unit: dict[int, dict[str, int]], preferring: list[Indicator],
                       waiting: dict[int, dict[str, int]]) -> None:
    """Set each `prefer` indicator's values: per commune (its villages go with it), the preferred indicator's when
    the commune has any value of the deciding one, else the fallback's (and then the fallback's entries waiting
    for review)."""
    units = set(per_unit) | set(waiting)
    group_of = {unit_id: (parent_id if level == VILLAGE else unit_id) for unit_id, level, parent_id in
                db.session.execute(select(Unit.id, Unit.level, Unit.parent_id).where(Unit.id.in_(sorted(units))))}
    for indicator in preferring:
        preferred, fallback, deciding = (*indicator.prefer, indicator.prefer[0])[:3]
        groups_with_preferred = {group_of.get(u) for u, values in per_unit.items() if deciding in values}
        for unit_id, values in per_unit.items():
            source = preferred if group_of.get(unit_id) in groups_with_preferred else fallback
            if source in values:
                values[indicator.code] = values[source]
        for unit_id, values in waiting.items():
            if group_of.get(unit_id) not in groups_with_preferred and fallback in values:
                values[indicator.code] = values[fallback]


def value(code: str, unit: Unit, period) -> int | None:
    """One indicator's value for a unit's subtree and a period."""
    return evaluate(unit, period, [code], with_subunits=False).totals[code]


def _percent(numerator: int | None, denominator: int | None) -> int | None:
    """A share in hundredths of a percent, rounded half up; None without a denominator (or numerator)."""
    if not denominator or numerator is None:
        return None
    return (numerator * 10000 * 2 + denominator) // (2 * denominator)


# --- The indicators that activity records give ----------------------------------------------------------------

AUDIENCE = func.coalesce(Activity.audience_total, 0)
TALK_CHANNELS = ("community_talk", "school_talk")

register(Indicator(
    "trainings_held", _l("Training classes held"), "count", _l("Training activities logged"), measures="Q1",
    activity_sum=(Activity.kind == "training", ONE)))
register(Indicator(
    "people_trained", _l("People trained"), "count", _l("Audience of the training activities logged"),
    measures="Q1:participants", activity_sum=(Activity.kind == "training", AUDIENCE)))
register(Indicator(
    "talks_held", _l("Talks in communities and schools"), "count",
    _l("Communication activities logged as community or school talks"),
    activity_sum=(and_(Activity.kind == "communication", Activity.channel.in_(TALK_CHANNELS)), ONE)))
register(Indicator(
    "talk_audience", _l("People reached by talks"), "count", _l("Audience of the talks logged"),
    activity_sum=(and_(Activity.kind == "communication", Activity.channel.in_(TALK_CHANNELS)), AUDIENCE)))
register(Indicator(
    "moa_launches", _l("Provincial Month of Action launches"), "count",
    _l("Month of Action activities logged at province level"), measures="Q2",
    activity_sum=(and_(Activity.kind == "month_of_action", Activity.level == "province"), ONE)))
register(Indicator(
    "moa_activities", _l("Month of Action activities"), "count", _l("Month of Action activities logged"),
    activity_sum=(Activity.kind == "month_of_action", ONE)))
# Forums are also kept in the forum feature's register: webapp/forum/indicators.py prefers it where it is used.
register(Indicator(
    "forums_province_logged", _l("Provincial children's forums held"), "count",
    _l("Forums logged as activities at province level"), shown=False,
    activity_sum=(and_(Activity.kind == "forum", Activity.level == "province"), ONE)))
register(Indicator(
    "forums_district_logged", _l("District children's forums held"), "count",
    _l("Forums logged as activities at district level"), shown=False,
    activity_sum=(and_(Activity.kind == "forum", Activity.level == "district"), ONE)))
register(Indicator(
    "forums_logged", _l("Children's forums held"), "count", _l("Forums logged as activities, at every level"),
    shown=False, activity_sum=(Activity.kind == "forum", ONE)))
register(Indicator(
    "cases_handled", _l("Reports of violence and abuse handled"), "count", _l("Cases handled in activities logged"),
    activity_sum=(Activity.cases_handled.is_not(None), Activity.cases_handled)))
# Gifts and scholarships are also kept as distributions: webapp/gifts/indicators.py prefers them where they are used.
register(Indicator(
    "gifts_logged", _l("Gifts given"), "count", _l("Gifts recorded in activities"), shown=False,
    activity_sum=(Activity.gifts_count.is_not(None), Activity.gifts_count)))
register(Indicator(
    "gifts_value_logged", _l("Value of the gifts"), "money", _l("Gifts recorded in activities"), shown=False,
    activity_sum=(Activity.gifts_value.is_not(None), Activity.gifts_value)))
register(Indicator(
    "scholarships_logged", _l("Scholarships given"), "count", _l("Scholarships recorded in activities"),
    shown=False, activity_sum=(Activity.scholarships_count.is_not(None), Activity.scholarships_count)))
register(Indicator(
    "scholarships_value_logged", _l("Value of the scholarships"), "money", _l("Scholarships recorded in activities"),
    shown=False, activity_sum=(Activity.scholarships_value.is_not(None), Activity.scholarships_value)))
register(Indicator(
    "money_raised", _l("Money raised in cash"), "money", _l("Cash raised, recorded in activities"),
    activity_sum=(Activity.money_raised.is_not(None), Activity.money_raised)))
register(Indicator(
    "in_kind_raised", _l("Support raised in kind"), "money", _l("Value of goods given, recorded in activities"),
    activity_sum=(Activity.in_kind_value.is_not(None), Activity.in_kind_value)))
register(Indicator(
    "funds_raised", _l("Raised in cash and in kind, recorded in activities"), "money",
    _l("Cash and goods raised, recorded in activities"),
    activity_sum=(Activity.money_raised.is_not(None) | Activity.in_kind_value.is_not(None),
                  func.coalesce(Activity.money_raised, 0) + func.coalesce(Activity.in_kind_value, 0))))
register(Indicator(
    "amount_spent", _l("Amount spent"), "money", _l("Amounts spent, recorded in activities"),
    activity_sum=(Activity.amount_spent.is_not(None), Activity.amount_spent)))
SOURCE_LABELS = {
    "national_programme": _l("National target programme"),
    "provincial_budget": _l("Provincial budget"),
    "local_budget": _l("Local budget"),
    "donations": _l("Socialised sources (donations)"),
}
for _source in FUNDING_SOURCES:
    register(Indicator(
        f"spent_{_source}", SOURCE_LABELS[_source], "money", _l("Amounts spent by funding source, in activities"),
        activity_sum=(and_(Activity.funding_source == _source, Activity.amount_spent.is_not(None)),
                      Activity.amount_spent)))


register(Indicator(
    "materials_handed_out", _l("Booklets, leaflets, posters and banners handed out"), "count",
    _l("Materials recorded in activities"), activity_sum=(MATERIALS_QUANTITY.is_not(None), MATERIALS_QUANTITY)))


def _communes_by_unit(unit, period) -> dict[int, int]:
    stmt = select(Unit.id).where(Unit.id.in_(subtree_ids(unit)), Unit.level == "commune", Unit.active.is_(True))
    return dict.fromkeys(db.session.scalars(stmt), 1)


def _child_friendly_by_unit(unit, period) -> dict[int, int]:
    """1 for each unit whose latest self-assessment in the period meets the criteria: the largest
    LATEST_ASSESSMENT of the summary's whole months and of the activities of the days at the period's edges."""
    if not _USE_SUMMARY.get():
        return _child_friendly_from_activities(unit, period)
    whole, partial = split_period(period.start_date, period.counted_until)
    latest: dict[int, int] = {}

    def take(stmt):
        for unit_id, key in db.session.execute(stmt):
            if key is not None and key > latest.get(unit_id, -1):
                latest[unit_id] = key

    if partial:
        _no_jit()
    for first, last in partial:
        take(select(Activity.unit_id, func.max(totals.LATEST_ASSESSMENT))
             .where(counted_activities(unit, period, _in_days([(first, last)])), Activity.kind == "child_friendly")
             .group_by(Activity.unit_id))
    if whole:
        in_area = area_filter(T.unit_id, unit, known_inside=unit.id == period.plan.unit_id)
        take(select(T.unit_id, func.max(T.latest_assessment))
             .where(T.kind == "child_friendly", T.status == APPROVED, T.scope == totals.UNIT,
                    T.plan_id == period.plan_id,
                    T.month >= whole[0], T.month <= whole[1], *in_area)
             .group_by(T.unit_id))
    return {unit_id: 1 for unit_id, key in latest.items() if key % 2}


def _child_friendly_from_activities(unit, period) -> dict[int, int]:
    """The same from the activities alone (tests compare the two)."""
    ranked = (select(Activity.unit_id, Activity.assessment_met,
                     func.row_number().over(partition_by=Activity.unit_id,
                                            order_by=(Activity.date.desc(), Activity.id.desc())).label("r"))
              .where(counted_activities(unit, period), Activity.kind == "child_friendly",
                     Activity.assessment_met.is_not(None)).subquery())
    stmt = select(ranked.c.unit_id).where(ranked.c.r == 1, ranked.c.assessment_met.is_(True))
    return dict.fromkeys(db.session.scalars(stmt), 1)


def recognition_holds_until(valid_until: date | None, decided_on: date) -> date:
    """The last day a recognition holds: the day the record gives (the decision's own term, or its withdrawal),
    else 31 December of the year after the decision. Quyết định 06/QĐ-TTg sets no term (../shared/notes: not
    found); communes are assessed and recognised every year, so a recognition holds until the next year's
    assessment has been decided, and lapses when a commune is not recognised again the year after."""
    return valid_until or date(decided_on.year + 1, 12, 31)


def recognition_counts(decided_on: date, valid_until: date | None, period) -> bool:
    """A recognition counts in a period when it is dated within the period, or dated before it and still holds on
    the period's last day."""
    if decided_on > period.end_date:
        return False
    return decided_on >= period.start_date or recognition_holds_until(valid_until, decided_on) >= period.end_date


def _recognised_by_unit(unit, period) -> dict[int, int]:
    """1 for each active commune of the area recognised as child-friendly in the period (recognition_counts)."""
    from .models import Recognition

    stmt = (select(Recognition.unit_id, Recognition.decided_on, Recognition.valid_until)
            .join(Unit, Unit.id == Recognition.unit_id)
            .where(Recognition.unit_id.in_(subtree_ids(unit)), Unit.level == COMMUNE, Unit.active.is_(True),
                   Recognition.decided_on <= period.end_date))
    return {unit_id: 1 for unit_id, decided_on, valid_until in db.session.execute(stmt)
            if recognition_counts(decided_on, valid_until, period)}


register(Indicator(
    "communes", _l("Communes and wards"), "count", _l("Administrative units"), by_unit=_communes_by_unit))
register(Indicator(
    "communes_recognised", _l("Communes recognised as child-friendly"), "count",
    _l("Decisions recognising communes as child-friendly (Quyết định 06/QĐ-TTg), dated in the period or still "
       "holding at its end"), by_unit=_recognised_by_unit))
register(Indicator(
    "recognised_share", _l("Share of communes recognised as child-friendly"), "percent",
    _l("Decisions recognising communes as child-friendly (Quyết định 06/QĐ-TTg), dated in the period or still "
       "holding at its end"), measures="T12", ratio=("communes_recognised", "communes")))
# The self-assessment is the commune's step before it asks for recognition: shown, but no longer T12's measure.
register(Indicator(
    "communes_self_assessed", _l("Communes whose self-assessment meets the child-friendly criteria (a step before "
                                 "recognition)"), "count",
    _l("The latest self-assessment of each commune in the period"), by_unit=_child_friendly_by_unit))
register(Indicator(
    "self_assessed_share", _l("Share of communes whose self-assessment meets the child-friendly criteria"),
    "percent", _l("The latest self-assessment of each commune in the period"),
    ratio=("communes_self_assessed", "communes")))


# --- Children aged 6 to 15 from the population statistics: the denominator of T6 and T7 (reports/population.py) --

def _population_by_unit(unit, period) -> dict[int, dict[str, int]]:
    return population.resolve(unit, period.plan.year)


register(Indicator(
    "population_6_15", _l("Children aged 6 to 15 (population statistics)"), "count",
    _l("Population statistics entered for the unit, or added up from its communes' figures"),
    by_unit=_population_by_unit, key="population", own_value=True))
register(Indicator(
    "population_communes_covered", _l("Communes whose children aged 6 to 15 are in the population figure"), "count",
    _l("Population statistics entered for the unit or its communes"), by_unit=_population_by_unit,
    key="communes_covered", own_value=True, shown=False))
