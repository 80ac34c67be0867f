"""The one registry of indicators: each a function of (unit subtree, report period) -> value, with its source.

Most indicators are sums over the records of each unit, so one query grouped by unit answers the unit and all its
sub-units at once (`evaluate`). An indicator says how it is computed in one of three ways:
- `activity_sum=(condition, expression)`: SUM(CASE WHEN condition THEN expression) over the activities counted for
  the period (all such indicators share one query);
- `by_unit=f(unit, period) -> {unit_id: value}`: values per unit of the records, summed up the tree;
- `ratio=(numerator_code, denominator_code)`: a percentage in hundredths, from two summed indicators;
- `prefer=(preferred_code, fallback_code[, deciding_code])`: where a feature's own register and the activity log
  can both record the same thing (gifts, forums), per commune (a commune with its villages; any other unit by
  itself) the preferred indicator's values when the commune has any value of the deciding indicator (the preferred
  one unless given) in the period, else the fallback's: never both, so nothing is counted twice. Indicators that
  share a deciding indicator are decided alike (forums by level and in all).
A `by_unit` function that answers several indicators at once returns {unit_id: {key: value}} and each indicator
names its `key`; it is called once per evaluation. `shown=False` keeps a part of a `prefer` off the pages.
Values are integers in the kind's unit: counts, whole đồng, hundredths of a percent.

Other features add theirs with `register(Indicator(...))` in their own `indicators.py` (docs/DEVELOPING.md).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler

from ..activities.models import APPROVED, FUNDING_SOURCES, SUBMITTED, Activity, ActivityMaterial
from ..core.scope import subtree_ids
from ..extensions import db
from ..geo.models import VILLAGE, Unit

# Drafts and records sent back for correction are not results yet.
COUNTED_STATUSES = (SUBMITTED, APPROVED)


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
    needs: tuple[str, ...] = field(default=())

    def __post_init__(self):
        if sum(x is not None for x in (self.activity_sum, self.by_unit, self.ratio, self.prefer)) != 1:
            raise ValueError(f"indicator {self.code}: give exactly one of activity_sum, by_unit, ratio, prefer")


REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    REGISTRY[indicator.code] = indicator
    return indicator


def measuring(goal: str) -> Indicator | None:
    """The indicator whose value is compared with a plan goal, if records can give it."""
    return next((i for i in REGISTRY.values() if i.measures == goal), None)


# SQLAlchemy's SQLite compiler drops table hints; SQLite's "INDEXED BY" is one, used below and nowhere else.
SQLiteCompiler.get_from_hint_text = lambda self, table, text: text or None
COVERING_INDEX = "INDEXED BY ix_activities_counted"


def counted_select(stmt, unit: Unit, period):
    """`stmt` over the counted activities of a unit and period (`counted_activities`). Over the plan's own unit (a
    whole province) SQLite is told to read the covering index: left to itself it walks ix_activities_unit_id_date
    unit by unit, two to three times slower. PostgreSQL chooses well by itself."""
    stmt = stmt.where(counted_activities(unit, period))
    if unit.id == period.plan.unit_id:
        stmt = stmt.with_hint(Activity, COVERING_INDEX, "sqlite")
    return stmt


def counted_activities(unit: Unit, period):
    """The WHERE clause of the activities that count for a unit's subtree in a period: the plan's, dated in the
    period, submitted or approved, not deleted. Reports and the dashboard both use it.

    For the plan's own unit (the province) the subtree is not filtered: every activity of a plan lies in its unit's
    subtree (activities are logged against the plans of one's own area, `plans_for`), and leaving the condition
    out lets the database read the covering index on (plan_id, date, status, …) instead of going unit by unit."""
    in_area = [] if unit.id == period.plan.unit_id else [Activity.unit_id.in_(subtree_ids(unit))]
    return and_(
        *in_area,
        Activity.plan_id == period.plan_id,
        Activity.date >= period.start_date,
        Activity.date <= period.end_date,
        Activity.status.in_(COUNTED_STATUSES),
        Activity.deleted_at.is_(None),
    )


@dataclass
class Results:
    """The values of a unit (`totals`) and of each of its direct sub-units (`by_sub`), by indicator code."""

    totals: dict[str, int | None]
    by_sub: dict[int, dict[str, int | None]]
    subunits: list[Unit]


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


def _activity_sums(unit, period, indicators) -> dict[int, dict[str, int]]:
    if not indicators:
        return {}
    columns = [func.sum(case((ind.activity_sum[0], ind.activity_sum[1]), else_=literal(None))) for ind in indicators]
    stmt = counted_select(select(Activity.unit_id, *columns), unit, period).group_by(Activity.unit_id)
    return {row[0]: {ind.code: int(v) for ind, v in zip(indicators, row[1:], strict=True) if v is not None}
            for row in db.session.execute(stmt)}


def evaluate(unit: Unit, period, codes=None, with_subunits: bool = True) -> Results:
    """The values of the indicators `codes` (all when None) for a unit and, summed likewise, each sub-unit."""
    codes = _expand(codes if codes is not None else list(REGISTRY))
    indicators = [REGISTRY[c] for c in codes]
    subunits, owner = _subunits_and_owner(unit) if with_subunits else ([], {})
    per_unit: dict[int, dict[str, int]] = _activity_sums(unit, period, [i for i in indicators if i.activity_sum])
    answers: dict[Callable, dict] = {}  # a by_unit function answering several indicators runs once
    for indicator in indicators:
        if indicator.by_unit:
            if indicator.by_unit not in answers:
                answers[indicator.by_unit] = indicator.by_unit(unit, period)
            for unit_id, v in answers[indicator.by_unit].items():
                if indicator.key is not None:
                    v = v.get(indicator.key)
                if v is not None:
                    per_unit.setdefault(unit_id, {})[indicator.code] = int(v)
    preferring = [i for i in indicators if i.prefer]
    if preferring:
        _apply_preferences(per_unit, preferring)
    summed = [i.code for i in indicators if not i.ratio]
    totals: dict[str, int | None] = dict.fromkeys(summed, 0)
    by_sub: dict[int, dict[str, int | None]] = {s.id: dict.fromkeys(summed, 0) for s in subunits}
    for unit_id, values in per_unit.items():
        sub = by_sub.get(owner.get(unit_id))
        for code, v in values.items():
            totals[code] += v
            if sub is not None:
                sub[code] += v
    for indicator in indicators:
        if indicator.ratio:
            for values in [totals, *by_sub.values()]:
                values[indicator.code] = _percent(values[indicator.ratio[0]], values[indicator.ratio[1]])
    return Results(totals, by_sub, subunits)


def _apply_preferences(per_unit: dict[int, dict[str, int]], preferring: list[Indicator]) -> None:
    """Set each `prefer` indicator's values: per commune (its villages go with it), the preferred indicator's when
    the commune has any value of the deciding one, else the fallback's."""
    group_of = {unit_id: (parent_id if level == VILLAGE else unit_id) for unit_id, level, parent_id in
                db.session.execute(select(Unit.id, Unit.level, Unit.parent_id).where(Unit.id.in_(list(per_unit))))}
    for indicator in preferring:
        preferred, fallback, deciding = (*indicator.prefer, indicator.prefer[0])[:3]
        groups_with_preferred = {group_of.get(u) for u, values in per_unit.items() if deciding in values}
        for unit_id, values in per_unit.items():
            source = preferred if group_of.get(unit_id) in groups_with_preferred else fallback
            if source in values:
                values[indicator.code] = values[source]


def value(code: str, unit: Unit, period) -> int | None:
    """One indicator's value for a unit's subtree and a period."""
    return evaluate(unit, period, [code], with_subunits=False).totals[code]


def _percent(numerator: int | None, denominator: int | None) -> int | None:
    """A share in hundredths of a percent, rounded half up; None without a denominator."""
    if not denominator:
        return None
    return (numerator * 10000 * 2 + denominator) // (2 * denominator)


# --- The indicators that activity records give ----------------------------------------------------------------

ONE = literal(1)
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
    "donations": _l("Donations"),
}
for _source in FUNDING_SOURCES:
    register(Indicator(
        f"spent_{_source}", SOURCE_LABELS[_source], "money", _l("Amounts spent by funding source, in activities"),
        activity_sum=(and_(Activity.funding_source == _source, Activity.amount_spent.is_not(None)),
                      Activity.amount_spent)))


def _materials_by_unit(unit, period) -> dict[int, int]:
    stmt = (select(Activity.unit_id, func.sum(ActivityMaterial.quantity))
            .join(ActivityMaterial, ActivityMaterial.activity_id == Activity.id)
            .where(counted_activities(unit, period)).group_by(Activity.unit_id))
    return dict(db.session.execute(stmt).all())


register(Indicator(
    "materials_handed_out", _l("Booklets, leaflets, posters and banners handed out"), "count",
    _l("Materials recorded in activities"), by_unit=_materials_by_unit))


def _communes_by_unit(unit, period) -> dict[int, int]:
    stmt = select(Unit.id).where(Unit.id.in_(subtree_ids(unit)), Unit.level == "commune", Unit.active.is_(True))
    return dict.fromkeys(db.session.scalars(stmt), 1)


def _child_friendly_by_unit(unit, period) -> dict[int, int]:
    """1 for each unit whose latest self-assessment in the period meets the criteria."""
    stmt = (select(Activity.unit_id, Activity.assessment_met)
            .where(counted_activities(unit, period), Activity.kind == "child_friendly",
                   Activity.assessment_met.is_not(None))
            .order_by(Activity.date, Activity.id))
    latest = dict(db.session.execute(stmt).all())  # later rows overwrite earlier ones
    return {unit_id: 1 for unit_id, met in latest.items() if met}


register(Indicator(
    "communes", _l("Communes and wards"), "count", _l("Administrative units"), by_unit=_communes_by_unit))
register(Indicator(
    "communes_child_friendly", _l("Communes meeting the child-friendly criteria"), "count",
    _l("The latest self-assessment of each commune in the period"), by_unit=_child_friendly_by_unit))
register(Indicator(
    "child_friendly_share", _l("Share of communes meeting the child-friendly criteria"), "percent",
    _l("The latest self-assessment of each commune in the period"), measures="T12",
    ratio=("communes_child_friendly", "communes")))
