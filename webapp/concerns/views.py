"""Báo tin về trẻ em: the report from the phone (Mẫu số 01), the commune's list and record with its steps and
timeline, the referral, the printout (Mẫu 01/02), the erasure; what waits on home.

No page of a report is kept on a phone: every page here but the blank report form answers `Cache-Control:
no-store` (the service worker never keeps such a page, static/js/sw.js `store`), and the form page itself holds no
child's data (finding a child in the register is a search that needs signal, and its answer is not kept either)."""

from datetime import datetime

from flask import g, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms.fields.choices import SelectChoice

from ..children.models import Child
from ..children.services import children_query, villages_of
from ..core import audit, clock, idempotent, waiting, working_set
from ..core.formatting import fmt_datetime
from ..core.pagination import paginate
from ..core.scope import ADMIN, COLLECTOR, OFFICER, VIEWER, child_in_scope, roles_required
from ..core.security import as_id
from ..core.text import clean, clean_lines
from ..extensions import db
from ..htmx import redirect_to, render
from . import bp
from .forms import STEP_FORMS, ConcernForm, EraseForm, local_moment
from .labels import (
    HARMS,
    KINDS,
    NEXT_STEP,
    REFERRALS,
    REVIEW_OUTCOMES,
    RISKS,
    STATUSES,
    STEP_ALLOWED,
    STEPS,
    VERIFY_OUTCOMES,
)
from .models import Concern, ConcernStep
from .services import (
    HANDLERS,
    apply_step,
    concern_or_404,
    deadline,
    deadline_from,
    erase,
    new_reports,
    overdue_condition,
    province_counts,
    referred_condition,
    shows_reporter,
    visible,
)

REPORTERS = (COLLECTOR, OFFICER)
LABELS = {"kinds": KINDS, "statuses": STATUSES, "steps": STEPS, "risks": RISKS, "harms": HARMS,
          "verify": VERIFY_OUTCOMES, "review": REVIEW_OUTCOMES, "referrals": REFERRALS}
SEARCH_LIMIT = 10


@bp.after_request
def not_kept(response):
    """No page of a report stays on the phone: only the blank report form may be kept (it holds no child's data)."""
    if request.endpoint != "concerns.new" or request.method != "GET" or request.args.get("q") or g.get("found"):
        response.headers["Cache-Control"] = "no-store"
    return response


def _personal() -> None:
    g.personal_data = True  # offline.answers marks the page X-Sotay-Personal (it is not kept anyway)


# --- the report ----------------------------------------------------------------------------------------------------

def _report_form() -> ConcernForm:
    form = ConcernForm()
    villages = villages_of(current_user)
    form.village_id.choices = [SelectChoice(v.id, v.name) for v in villages]
    if len(villages) == 1 and not form.village_id.data:
        form.village_id.data = villages[0].id
    if request.method == "GET":
        form.reporter_name.data = current_user.full_name
        form.reporter_contact.data = current_user.phone or ""
    return form


def _found(query: str) -> list[Child]:
    """The children the reporter may see whose name matches: asked with signal, never kept on the phone."""
    if len(query) < 2:
        return []
    g.found = True
    return list(db.session.scalars(children_query(current_user, query).limit(SEARCH_LIMIT)))


def _chosen_child(form: ConcernForm) -> Child | None:
    """The child chosen, if the reporter may see them; a child of another area is refused as not found."""
    if not (form.child_id.data or "").strip():
        return None
    child_id = as_id(form.child_id.data)
    child = db.session.get(Child, child_id) if child_id else None
    if child is None or child.erased_at is not None or child.merged_into_id is not None or not child_in_scope(child):
        form.child_description.errors.append(_("This child cannot be chosen. Describe the child in words."))
        return None
    return child


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*REPORTERS)
def new():
    """Báo tin về trẻ em (Mẫu số 01): what was seen, when, where, which kind, danger now, the child, who reported."""
    if (existing := idempotent.replay_of(Concern)) is not None:
        return redirect_to(url_for("concerns.sent", at=_minute(existing.received_at)))
    form = _report_form()
    query = clean(request.args.get("q", ""))[:60]
    found = _found(query) if request.method == "GET" else []
    if form.validate_on_submit():
        child = _chosen_child(form)
        if not form.child_description.errors:
            village = next(v for v in villages_of(current_user) if v.id == form.village_id.data)

            def build() -> Concern:
                return Concern(
                    unit_id=child.commune_id if child else village.parent_id, village_id=village.id,
                    child_id=child.id if child else None,
                    child_description=clean_lines(form.child_description.data) or None,
                    kind=form.kind.data, what=clean_lines(form.what.data), place=clean(form.place.data) or None,
                    happened_on=form.happened_on.data, in_danger=form.in_danger.data == "yes",
                    reporter_name=clean(form.reporter_name.data), reporter_contact=clean(form.reporter_contact.data)
                    or None, received_at=clock.now(), status="received")

            concern, _created = idempotent.create_once(Concern, form.client_id.data, current_user, build,
                                                       kind=form.kind.data, in_danger=form.in_danger.data == "yes")
            return redirect_to(url_for("concerns.sent", at=_minute(concern.received_at)))
    if found or query:
        _personal()
    # A search typed in the form comes back as its list alone (htmx), or as the whole page without JavaScript.
    return render("concerns/new.html", "concerns/_found.html", form=form, found=found, query=query,
                  status=422 if form.errors else 200)


def _minute(moment) -> str:
    return moment.astimezone(clock.UTC).strftime("%Y%m%d%H%M")


@bp.route("/sent")
@roles_required(*REPORTERS)
def sent():
    """All the reporter sees once it is sent: that the commune received it, and when. Nothing of the report."""
    try:
        at = datetime.strptime(request.args.get("at", ""), "%Y%m%d%H%M").replace(tzinfo=clock.UTC)
    except ValueError:
        at = None
    return render("concerns/sent.html", at=at)


# --- the commune's list and record -----------------------------------------------------------------------------------

@bp.route("/")
@roles_required(*HANDLERS)
def index():
    """The reports of the officer's area (the province's, for its admin): open first, the clock on those in danger."""
    show = request.args.get("show", "open")
    stmt = visible(select(Concern), current_user)
    if show == "overdue":
        stmt = stmt.where(overdue_condition())
    elif show == "referred":
        stmt = stmt.where(referred_condition())
    elif show != "all":
        show = "open"
        stmt = stmt.where(Concern.status.in_(("received", "verified", "assessed", "planned", "carried_out")))
    page = paginate(stmt.options(joinedload(Concern.unit)).order_by(Concern.received_at.desc(), Concern.id.desc()))
    return render("concerns/index.html", page=page, show=show, now=clock.now(), deadline=deadline, **LABELS)


def _timeline(concern: Concern) -> list[dict]:
    rows = [{"at": concern.received_at, "title": _("Received"), "by": None, "step": None}]
    rows += [{"at": s.done_at, "title": str(STEPS[s.step]), "by": s.done_by, "step": s} for s in concern.steps]
    return rows


@bp.route("/<int:concern_id>")
@roles_required(*HANDLERS, COLLECTOR, VIEWER)
def detail(concern_id: int):
    """The record: the report, its timeline of steps, the next step's form, the referral; every opening audited."""
    concern = concern_or_404(concern_id, current_user)
    _personal()
    audit.record("open", concern)
    db.session.commit()
    step = NEXT_STEP.get(concern.status)
    form = _step_form(step, concern) if step else None
    return render("concerns/detail.html", c=concern, timeline=_timeline(concern), step=step, form=form,
                  now=clock.now(), deadline=deadline(concern), reporter=shows_reporter(current_user),
                  refer_form=_step_form("refer", concern) if concern.status in STEP_ALLOWED["refer"] else None,
                  erase_form=EraseForm() if concern.child_id is None else None, **LABELS)


def _step_form(step: str, concern: Concern, formdata=None):
    form = STEP_FORMS[step](formdata=formdata)
    if formdata is None:
        form.done_by.data = current_user.full_name
        form.done_time.data = clock.now().astimezone(clock.LOCAL_TZ).time().replace(second=0, microsecond=0)
    return form


@bp.route("/<int:concern_id>/steps/<step>", methods=["GET", "POST"])
@roles_required(*HANDLERS, COLLECTOR, VIEWER)
def record_step(concern_id: int, step: str):
    """One step of the case (verify, assess, plan, carry out, review, refer): a small form with its date and who."""
    concern = concern_or_404(concern_id, current_user)
    _personal()
    if step not in STEP_FORMS:
        from flask import abort

        abort(404)
    if (existing := idempotent.replay_of(ConcernStep)) is not None:
        return redirect_to(url_for("concerns.detail", concern_id=existing.concern_id))
    form = _step_form(step, concern, formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        audit.record("open", concern, step=step)  # every opening of a report is logged, its steps' pages too
        db.session.commit()
    if concern.status not in STEP_ALLOWED[step]:
        form.form_errors.append(_("This step cannot be recorded now: the case is at “%(status)s”.",
                                  status=STATUSES[concern.status]))
    elif request.method == "POST" and form.validate_on_submit():
        def build() -> ConcernStep:
            return ConcernStep(
                concern_id=concern.id, unit_id=concern.unit_id, step=step, done_at=form.moment(),
                done_by=clean(form.done_by.data), text=clean_lines(form.text.data) or None,
                outcome=getattr(form, "outcome", None) and form.outcome.data,
                risk=getattr(form, "risk", None) and form.risk.data,
                harm=getattr(form, "harm", None) and form.harm.data,
                emergency=(form.emergency.data == "yes") if step == "assess" else None,
                emergency_at=local_moment(form.emergency_on.data, form.emergency_time.data)
                if step == "assess" and form.emergency.data == "yes" else None,
                due_on=form.due_on.data if step == "plan" else None,
                approved_by=clean(form.approved_by.data) if step == "plan" else None,
                approved_on=form.approved_on.data if step == "plan" else None,
                referred_to=form.referred_to.data if step == "refer" else None,
                whom=clean(form.whom.data) if step == "refer" else None)

        saved, created = idempotent.create_once(ConcernStep, form.client_id.data, current_user, build, step=step)
        if created:
            apply_step(concern, saved)
            audit.record("step", concern, step=step, status=concern.status)
            db.session.commit()
        return redirect_to(url_for("concerns.detail", concern_id=concern.id))
    refused = request.method == "POST" and (form.errors or form.form_errors)
    return render("concerns/step.html", c=concern, step=step, form=form, **LABELS, status=422 if refused else 200)


@bp.route("/<int:concern_id>/print")
@roles_required(*HANDLERS, COLLECTOR, VIEWER)
def print_view(concern_id: int):
    """Mẫu số 01 and 02 in the administrative layout, for the case file: the only export with its fields."""
    concern = concern_or_404(concern_id, current_user)
    _personal()
    audit.record("export", concern, format="print")
    db.session.commit()
    assessment = next((s for s in reversed(concern.steps) if s.step == "assess"), None)
    return render("concerns/print.html", c=concern, a=assessment, reporter=shows_reporter(current_user),
                  **LABELS)


@bp.route("/<int:concern_id>/erase", methods=["POST"])
@roles_required(*HANDLERS, COLLECTOR, VIEWER)
def erase_view(concern_id: int):
    """Erase a report that describes the child in words only (one naming a child goes with the child's erasure)."""
    concern = concern_or_404(concern_id, current_user)
    form = EraseForm()
    if concern.child_id is not None or not form.validate_on_submit():
        from flask import abort

        abort(404 if concern.child_id is not None else 400)
    erase(concern, current_user, form.reason.data)
    from flask import flash

    flash(_("The report is erased; only anonymous counts remain."), "success")
    return redirect_to(url_for("concerns.index"))


# --- home: what waits, the hotline, the working set ----------------------------------------------------------------

@waiting.add
def _waiting(user) -> list[waiting.Waiting]:
    if user.role == OFFICER:
        now = clock.now()
        items = []
        for concern_id, received, in_danger in new_reports(user):
            url = url_for("concerns.detail", concern_id=concern_id)
            if in_danger:
                left = int((deadline_from(received) - now).total_seconds() // 60)
                hours, minutes = abs(left) // 60, f"{abs(left) % 60:02d}"
                if left <= 0:
                    text = _("Report received %(at)s: child in danger, 12 hours passed %(h)sh %(m)s ago",
                             at=fmt_datetime(received), h=hours, m=minutes)
                else:
                    text = _("Report received %(at)s: child in danger, %(h)sh %(m)s left to act",
                             at=fmt_datetime(received), h=hours, m=minutes)
                items.append(waiting.Waiting(text, url, urgent=True))
            else:
                items.append(waiting.Waiting(_("New report received %(at)s", at=fmt_datetime(received)), url))
        return items
    if user.role == ADMIN:
        overdue, referred = province_counts(user)
        items = []
        if overdue:
            items.append(waiting.Waiting(
                ngettext("%(num)s report of a child in danger not acted on within 12 hours",
                         "%(num)s reports of a child in danger not acted on within 12 hours", overdue),
                url_for("concerns.index", show="overdue"), urgent=True))
        if referred:
            items.append(waiting.Waiting(
                ngettext("%(num)s report about a child referred to the province",
                         "%(num)s reports about children referred to the province", referred),
                url_for("concerns.index", show="referred")))
        return items
    return []


@working_set.add
def _working_set(user) -> list[str]:
    """The blank report form (already in the menu) is all a phone keeps of this feature: nothing of a report."""
    return [url_for("concerns.new")] if user.role in REPORTERS else []


@bp.app_context_processor
def _hotlines():
    def provincial_hotline() -> str | None:
        """The province's own hotline, as its admin set and confirmed it on the latest plan: never a number written
        in code, nor the plan's printed number until an admin has confirmed it (no other source does)."""
        from ..geo.models import Unit
        from ..plans.models import Plan

        if not current_user.is_authenticated:
            return None
        if "provincial_hotline" not in g:
            province = current_user.unit.path.split("/")[0] + "/"
            g.provincial_hotline = db.session.scalar(
                select(Plan.provincial_hotline).join(Unit, Unit.id == Plan.unit_id)
                .where(Plan.provincial_hotline.is_not(None), Plan.provincial_hotline != "",
                       Plan.hotline_confirmed.is_(True),
                       Unit.path.like(f"{province}%"), Unit.parent_id.is_(None),
                       Plan.year <= clock.today().year)
                .order_by(Plan.year.desc()).limit(1))
        return g.provincial_hotline

    def tel(number: str) -> str:
        return "tel:" + "".join(ch for ch in number if ch.isdigit() or ch == "+")

    return {"provincial_hotline": provincial_hotline, "tel": tel}

