"""The fund of a unit: its figures against the target, donations and thank-you receipts, spending, donors."""


from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..core import audit, clock, idempotent
from ..core.fields import recent_years, year_choices
from ..core.formatting import translated
from ..core.scope import ADMIN, OFFICER, VIEWER, get_or_404, may_see_personal_data, roles_required, subtree_ids
from ..core.text import clean, fold
from ..extensions import db
from ..geo.models import COMMUNE, PROVINCE, Unit
from ..htmx import redirect_to, render
from . import bp
from .forms import DONOR_KIND_LABELS, FORM_LABELS, STATUS_LABELS, DonationForm, SpendingForm, TargetForm
from .models import Donation, FundTarget, Spending
from .services import donors, spending_lines, summary

LABELS = {"donor_kinds": DONOR_KIND_LABELS, "forms": FORM_LABELS, "statuses": STATUS_LABELS}


def _fund_units() -> list[Unit]:
    """The funds a user may open: their own unit's and those of the communes under it."""
    return list(db.session.scalars(
        select(Unit).where(Unit.id.in_(subtree_ids(current_user.unit)), Unit.level.in_((PROVINCE, COMMUNE)))
        .order_by(Unit.path)))


def _fund_unit() -> Unit:
    unit_id = request.args.get("unit", type=int) or current_user.unit_id
    unit = get_or_404(Unit, unit_id, unit_attr="id")
    if unit.level not in (PROVINCE, COMMUNE):
        abort(404)
    return unit


@bp.route("/")
@roles_required(ADMIN, OFFICER, VIEWER)
def index():
    """A unit's fund: the year's donations against the target, the balance, donations and spending."""
    unit = _fund_unit()
    year = request.args.get("year", type=int) or clock.today().year
    donations = db.session.scalars(select(Donation).where(Donation.unit_id == unit.id)
                                   .order_by(Donation.given_on.desc(), Donation.id.desc()).limit(50)).all()
    s = summary(unit.id, year)
    target_form = TargetForm(year=year, amount=s["target"].amount if s["target"] else None,
                             plan_target_ref=s["target"].plan_target_ref if s["target"] else None)
    target_form.year.choices = year_choices()
    return render("fund/index.html", unit=unit, year=year, years=recent_years(), units=_fund_units(),
                  s=s, donations=donations, spending=spending_lines(unit.id)[:50],
                  personal=may_see_personal_data(), target_form=target_form,
                  may_edit=current_user.role in (ADMIN, OFFICER), **translated(LABELS))


@bp.route("/donations/new", methods=["GET", "POST"])
@roles_required(ADMIN, OFFICER)
def new_donation():
    """Record a donation to a unit's fund, in cash or in kind, pledged or received."""
    unit = _fund_unit()
    existing = idempotent.replay_of(Donation)
    if existing is not None:
        return redirect_to(url_for("fund.index", unit=existing.unit_id))
    form = DonationForm()
    if form.validate_on_submit():
        def build() -> Donation:
            name = clean(form.donor_name.data)
            return Donation(unit_id=unit.id, donor_name=name, donor_key=fold(name), donor_kind=form.donor_kind.data,
                            form=form.form.data, item=clean(form.item.data) or None, value=form.value.data,
                            status=form.status.data, given_on=form.given_on.data,
                            receipt_no=clean(form.receipt_no.data) or None)

        donation, _created = idempotent.create_once(Donation, form.client_id.data, current_user, build,
                                                    value=form.value.data)
        flash(_("Donation recorded."), "success")
        return redirect_to(url_for("fund.index", unit=unit.id))
    return render("fund/donation_form.html", form=form, unit=unit, status=422 if form.errors else 200)


@bp.route("/donations/<int:donation_id>/receipt")
@roles_required(ADMIN, OFFICER)
def receipt(donation_id: int):
    """A printable thank-you receipt for the donor."""
    donation = get_or_404(Donation, donation_id)
    return render("fund/receipt.html", d=donation, **LABELS)


@bp.route("/spending/new", methods=["GET", "POST"])
@roles_required(ADMIN, OFFICER)
def new_spending():
    """Record money spent from a unit's fund on an activity (distributions it paid count by themselves)."""
    unit = _fund_unit()
    existing = idempotent.replay_of(Spending)
    if existing is not None:
        return redirect_to(url_for("fund.index", unit=existing.unit_id))
    form = SpendingForm()
    if form.validate_on_submit():
        def build() -> Spending:
            return Spending(unit_id=unit.id, spent_on=form.spent_on.data, amount=form.amount.data,
                            purpose=clean(form.purpose.data), activity_ref=clean(form.activity_ref.data) or None)

        idempotent.create_once(Spending, form.client_id.data, current_user, build, amount=form.amount.data)
        flash(_("Spending recorded."), "success")
        return redirect_to(url_for("fund.index", unit=unit.id))
    return render("fund/spending_form.html", form=form, unit=unit, status=422 if form.errors else 200)


@bp.route("/target", methods=["POST"])
@roles_required(ADMIN, OFFICER)
def target():
    """Set how much a unit's fund aims to raise in a year."""
    unit = _fund_unit()
    form = TargetForm()
    form.year.choices = year_choices()
    if form.validate_on_submit():
        row = db.session.scalar(select(FundTarget).where(FundTarget.unit_id == unit.id,
                                                         FundTarget.year == form.year.data))
        if row is None:
            row = FundTarget(unit_id=unit.id, year=form.year.data, amount=form.amount.data)
            db.session.add(row)
        old = row.amount
        row.amount, row.plan_target_ref = form.amount.data, clean(form.plan_target_ref.data) or None
        audit.record("set_target", row, unit_id=unit.id, year=row.year, amount=[old, row.amount])
        db.session.commit()
        flash(_("Target saved."), "success")
        return redirect_to(url_for("fund.index", unit=unit.id, year=form.year.data))
    flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
    return redirect_to(url_for("fund.index", unit=unit.id))


@bp.route("/donors")
@roles_required(ADMIN, OFFICER)
def donors_view():
    """The donors of a unit's fund with the number and total of their donations."""
    unit = _fund_unit()
    return render("fund/donors.html", unit=unit, rows=donors(unit.id))
