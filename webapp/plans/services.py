"""Loading the 2023 plan, copying a plan to another year, and finding the plan and agencies a user works with."""

import re
from collections.abc import Callable
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.models import User
from ..core import audit
from ..core.models import new_client_id
from ..extensions import db
from ..geo.models import Unit
from . import seed_2023
from .models import DISTRICTS_ENDED, PERCENT_SCALE, Agency, Plan, PlanQuantity, ReportPeriod, Target

# Features that take something from a plan when it is loaded or copied (the fund takes T13 as its target) register
# here: hook(plan, user) runs before the plan is saved, in the same transaction.
PLAN_HOOKS: list[Callable[[Plan, object], None]] = []


def _run_hooks(plan: Plan, user: User) -> None:
    for hook in PLAN_HOOKS:
        hook(plan, user)


def ancestor_ids(unit: Unit) -> list[int]:
    """The ids on a unit's path: itself and every unit above it (reports/views still asks it here)."""
    return unit.ancestor_ids()


def plans_for(user: User):
    """SELECT of the plans covering the user's unit: those of a unit on its path (the province's plans)."""
    return select(Plan).where(Plan.unit_id.in_(user.unit.ancestor_ids())).order_by(Plan.year.desc())


def default_plan(user: User, on: date) -> Plan | None:
    """The plan of the day's year, else the latest plan before it, else any plan."""
    plans = db.session.scalars(plans_for(user)).all()
    for plan in plans:
        if plan.year == on.year:
            return plan
    earlier = [p for p in plans if p.year < on.year]
    return earlier[0] if earlier else (plans[0] if plans else None)


def agencies_for(user: User, include_inactive: bool = False):
    stmt = select(Agency).where(Agency.unit_id.in_(user.unit.ancestor_ids()))
    if not include_inactive:
        stmt = stmt.where(Agency.active.is_(True))
    return stmt.order_by(Agency.level != "province", Agency.name)


def agency_choices(user: User, day: date, keep=(), posted=()) -> list[Agency]:
    """The agencies a form offers for `day` (for a period: its first day): the active ones of the user's province
    that hold their role then; also those a saved record names already (`keep`, so an edit loses nothing) and
    those just posted (`posted` ids, so a refused choice stays on the page with its reason)."""
    kept = {a.id for a in keep if a is not None} | set(posted)
    rows = db.session.scalars(agencies_for(user, include_inactive=True)).all()
    return [a for a in rows if a.id in kept or (a.active and a.in_force(day))]


def posted_ids(*fields) -> set[int]:
    """The ids posted in these form fields, as far as they are ids."""
    return {int(v) for field in fields for v in (field.raw_data or ()) if isinstance(v, str) and v.isascii()
            and v.isdigit()}


def check_in_force(field, day: date, kept_ids=()) -> bool:
    """Refuse, next to the field, a chosen agency that does not hold its role on `day`, unless the record named it
    already. True when nothing is refused."""
    values = field.data if isinstance(field.data, list | tuple) else [field.data]
    ok = True
    for agency_id in values:
        agency = db.session.get(Agency, agency_id) if agency_id and agency_id not in kept_ids else None
        if agency is not None and not (agency.active and agency.in_force(day)):
            field.errors = list(field.errors) + [agency_not_in_force(agency, day)]
            ok = False
    return ok


def agency_not_in_force(agency: Agency, day: date) -> str:
    """Why an agency cannot be chosen for `day`, in the user's language, naming the one that holds its role."""
    if not agency.active:
        return _("%(agency)s is no longer in use; choose another agency.", agency=agency.label)
    successor = agency.successor_on(day)
    if successor is not None:
        return _("%(agency)s held this role only until %(until)s; on %(day)s it is held by %(successor)s.",
                 agency=agency.label, until=agency.valid_until.strftime("%d/%m/%Y"), day=day.strftime("%d/%m/%Y"),
                 successor=successor.label)
    return _("%(agency)s held this role only until %(until)s; choose an agency in force on %(day)s.",
             agency=agency.label, until=agency.valid_until.strftime("%d/%m/%Y"), day=day.strftime("%d/%m/%Y"))


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
    for old, new in s.SUCCESSORS.items():
        if agencies[old].successor_id is None:  # an admin's own choice is kept
            agencies[old].successor = agencies[new]
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


def district_level_gone(quantity: PlanQuantity, plan: Plan) -> bool:
    """A district-level activity in a plan that starts when there are no districts any more (from 01/7/2025)."""
    return quantity.level == "district" and plan.start_date >= DISTRICTS_ENDED


def copy_plan(source: Plan, year: int, user: User, client_id: str | None = None) -> Plan:
    """A new plan for `year` with the source's agencies, periods (dates moved), targets and quantities; not
    committed. An agency whose role ended before the new plan starts is replaced by its successor; district-level
    activities are left out of a plan starting after districts ended. The title's year is replaced; the admin edits
    the rest."""
    years = year - source.year
    start = _shift(source.start_date, years)

    def now_held(agency: Agency | None) -> Agency | None:
        """An agency whose role ended before the new plan starts becomes its successor (following the chain); one
        with no successor in force is left out, for the admin to choose."""
        return agency.successor_on(start) if agency is not None else None

    issuing, lead = now_held(source.issuing_agency), now_held(source.lead_agency)
    plan = Plan(unit_id=source.unit_id, year=year, title=source.title.replace(str(source.year), str(year)),
                issuing_agency_id=issuing.id if issuing else None, lead_agency_id=lead.id if lead else None,
                start_date=start, end_date=_shift(source.end_date, years),
                provincial_hotline=source.provincial_hotline, hotline_confirmed=source.hotline_confirmed,
                copied_from_id=source.id,
                client_id=client_id or new_client_id(), created_by_id=user.id)
    coordinating = [now_held(a) for a in source.agencies]
    plan.agencies = list({a.id: a for a in coordinating if a is not None}.values())
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
                       for q in source.quantities if not district_level_gone(q, plan)]
    _run_hooks(plan, user)
    return plan


_PERCENT = re.compile(r"^\d{1,3}([.,]\d{1,2})?$")


def parse_figure(kind: str, raw: str | None) -> int | None:
    """A figure as typed ("93", "3,5", "1.000.000.000", "1") in the kind's integer unit; ValueError if wrong."""
    raw = (raw or "").strip().replace(" ", "").replace("%", "")
    if not raw:
        return None
    if kind == "qualitative":
        raise ValueError(_("A qualitative target has no figure."))
    if kind == "percent":
        if not _PERCENT.match(raw) or float(raw.replace(",", ".")) > 100:
            raise ValueError(_("Enter a percentage from 0 to 100, for example 93 or 3,5."))
        return round(float(raw.replace(",", ".")) * PERCENT_SCALE)
    if kind == "done":
        if raw not in ("0", "1"):
            raise ValueError(_("Enter 1 for done or 0 for not done."))
        return int(raw)
    digits = raw.replace(".", "").replace(",", "").replace("₫", "")
    if not (digits.isascii() and digits.isdigit()) or int(digits) > 10**15:
        raise ValueError(_("Enter a whole number in digits."))
    return int(digits)
