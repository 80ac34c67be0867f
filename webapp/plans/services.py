"""Loading the 2023 plan, copying a plan to another year, and finding the plan and agencies a user works with."""

from collections.abc import Callable
from datetime import date

from sqlalchemy import select

from ..core import audit
from ..core.models import new_client_id
from ..extensions import db
from ..geo.models import Unit
from . import seed_2023
from .models import Agency, Plan, PlanQuantity, ReportPeriod, Target

# Features that take something from a plan when it is loaded or copied (the fund takes T13 as its target) register
# here: hook(plan, user) runs before the plan is saved, in the same transaction.
PLAN_HOOKS: list[Callable[[Plan, object], None]] = []


def _run_hooks(plan: Plan, user) -> None:
    for hook in PLAN_HOOKS:
        hook(plan, user)


def ancestor_ids(unit: Unit) -> list[int]:
    """The ids on a unit's path: itself and every unit above it."""
    return [int(part) for part in unit.path.strip("/").split("/") if part]


def plans_for(user):
    """SELECT of the plans covering the user's unit: those of a unit on its path (the province's plans)."""
    return select(Plan).where(Plan.unit_id.in_(ancestor_ids(user.unit))).order_by(Plan.year.desc())


def plan_for_year(user, year: int) -> Plan | None:
    return db.session.scalar(plans_for(user).where(Plan.year == year))


def default_plan(user, on: date) -> Plan | None:
    """The plan of the day's year, else the latest plan before it, else any plan."""
    plans = db.session.scalars(plans_for(user)).all()
    for plan in plans:
        if plan.year == on.year:
            return plan
    earlier = [p for p in plans if p.year < on.year]
    return earlier[0] if earlier else (plans[0] if plans else None)


def agencies_for(user, include_inactive: bool = False):
    stmt = select(Agency).where(Agency.unit_id.in_(ancestor_ids(user.unit)))
    if not include_inactive:
        stmt = stmt.where(Agency.active.is_(True))
    return stmt.order_by(Agency.level != "province", Agency.name)


def _agency(province: Unit, name: str, short: str | None, level: str, until: date | None) -> Agency:
    agency = db.session.scalar(select(Agency).where(Agency.unit_id == province.id, Agency.name == name))
    if agency is None:
        agency = Agency(unit_id=province.id, name=name, short_name=short, level=level, valid_until=until,
                        client_id=new_client_id())
        db.session.add(agency)
        db.session.flush()
    return agency


def load_plan_2023(province: Unit, user=None) -> tuple[Plan, bool]:
    """Load the 2023 Lào Cai plan with its agencies, periods, targets T1–T14 and quantities; (plan, created).

    Running it again changes nothing."""
    s = seed_2023
    agencies = {name: _agency(province, name, short, level, until) for name, short, level, until in s.AGENCIES}
    plan = db.session.scalar(select(Plan).where(Plan.unit_id == province.id, Plan.year == s.YEAR))
    if plan is not None:
        _run_hooks(plan, user)  # a plan loaded before a hook existed gets what the hook adds
        db.session.commit()
        return plan, False
    plan = Plan(unit_id=province.id, year=s.YEAR, title=s.TITLE, issuing_agency=agencies[s.ISSUER],
                lead_agency=agencies[s.DOLISA], start_date=date(s.YEAR, 1, 1), end_date=date(s.YEAR, 12, 31),
                provincial_hotline=s.HOTLINE, client_id=new_client_id(),
                created_by_id=getattr(user, "id", None))
    plan.agencies = [agencies[name] for name in s.COORDINATING]
    plan.periods = [ReportPeriod(code=c, start_date=a, end_date=b, due_date=d, cutoff_date=cut)
                    for c, a, b, d, cut in s.PERIODS]
    plan.targets = [
        Target(code=code, position=i, text_vi=vi, text_en=en, kind=kind, direction=direction, figure=figure,
               baseline=baseline, baseline_year=baseline_year, note=note, client_id=new_client_id())
        for i, (code, vi, en, kind, direction, figure, baseline, baseline_year, note) in enumerate(s.TARGETS)
    ]
    plan.quantities = [
        PlanQuantity(code=code, position=i, activity_kind=kind, text_vi=vi, text_en=en, level=level, events=events,
                     participants=people, adult_participants=adults, child_participants=children)
        for i, (code, kind, vi, en, level, events, people, adults, children) in enumerate(s.QUANTITIES)
    ]
    db.session.add(plan)
    audit.record("create", plan, user=user, year=s.YEAR, via="load-plan-2023")
    _run_hooks(plan, user)
    db.session.commit()
    return plan, True


def _shift(day: date | None, years: int) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def copy_plan(source: Plan, year: int, user, client_id: str | None = None) -> Plan:
    """A new plan for `year` with the source's agencies, periods (dates moved), targets and quantities; not
    committed. The title's year is replaced; the admin edits the rest."""
    years = year - source.year
    plan = Plan(unit_id=source.unit_id, year=year, title=source.title.replace(str(source.year), str(year)),
                issuing_agency_id=source.issuing_agency_id, lead_agency_id=source.lead_agency_id,
                start_date=_shift(source.start_date, years), end_date=_shift(source.end_date, years),
                provincial_hotline=source.provincial_hotline, copied_from_id=source.id,
                client_id=client_id or new_client_id(), created_by_id=user.id)
    plan.agencies = list(source.agencies)
    plan.periods = [ReportPeriod(code=p.code, start_date=_shift(p.start_date, years),
                                 end_date=_shift(p.end_date, years), due_date=_shift(p.due_date, years),
                                 cutoff_date=_shift(p.cutoff_date, years))
                    for p in source.periods]
    plan.targets = [Target(code=t.code, position=t.position, text_vi=t.text_vi, text_en=t.text_en, kind=t.kind,
                           direction=t.direction, figure=t.figure, baseline=t.baseline,
                           baseline_year=t.baseline_year, unit_id=t.unit_id, note=t.note, client_id=new_client_id(),
                           created_by_id=user.id)
                    for t in source.targets]
    plan.quantities = [PlanQuantity(code=q.code, position=q.position, activity_kind=q.activity_kind,
                                    text_vi=q.text_vi, text_en=q.text_en, level=q.level, events=q.events,
                                    participants=q.participants, adult_participants=q.adult_participants,
                                    child_participants=q.child_participants)
                       for q in source.quantities]
    _run_hooks(plan, user)
    return plan
