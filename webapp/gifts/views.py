"""Gifts and scholarships: the distributions of my area, recording one, its sign-off sheet, photo and totals."""


from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from ..children.services import children_query, villages_of
from ..core import audit, clock, edits, files, idempotent, images, waiting, working_set
from ..core.fields import recent_years, year_choices
from ..core.formatting import translated
from ..core.pagination import paginate
from ..core.scope import ADMIN, COLLECTOR, OFFICER, VIEWER, get_or_404, may_see_personal_data, roles_required, scoped
from ..core.text import clean
from ..extensions import db
from ..geo.models import VILLAGE, Unit
from ..htmx import redirect_to, render
from . import bp
from .forms import DistributionEditForm, DistributionForm, PhotoForm, ReasonForm, RoundForm
from .models import Distribution, Receipt
from .services import (
    BREAKDOWNS,
    KIND_LABELS,
    OCCASION_LABELS,
    SOURCE_LABELS,
    add_recipients,
    apply_edit,
    posted_edit,
    promote_first,
    received_in_round,
    totals,
)

ALL = (ADMIN, OFFICER, COLLECTOR, VIEWER)
LABELS = {"occasions": OCCASION_LABELS, "kinds": KIND_LABELS, "sources": SOURCE_LABELS}


def _source_units() -> list[Unit]:
    """The user's unit and the units above it: whose fund or budget may pay."""
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(current_user.unit.ancestor_ids()),
                                                      Unit.level != VILLAGE).order_by(Unit.path)))


@bp.route("/")
@roles_required(*ALL)
def index():
    """The distributions of my area, newest first, with how many received and their value."""
    year = request.args.get("year", type=int)
    stmt = scoped(select(Distribution), Distribution.unit_id)
    if year:
        stmt = stmt.where(Distribution.year == year)
    page = paginate(stmt.order_by(Distribution.given_on.desc(), Distribution.id.desc()))
    # each row shows its number of recipients: counted in one query for the page, not by loading every receipt
    # and how many of them are second receipts in the round (flagged), in the same query
    counted = db.session.execute(
        select(Receipt.distribution_id, func.count(), func.count().filter(Receipt.flagged.is_(True)))
        .where(Receipt.distribution_id.in_([d.id for d in page.items])).group_by(Receipt.distribution_id)).all()
    named = {d: n for d, n, _flagged in counted}
    recipients = {d.id: named.get(d.id, 0) + d.group_count for d in page.items}
    flagged = {d: f for d, _n, f in counted if f}
    return render("gifts/index.html", "gifts/_rows.html", page=page, recipients=recipients, flagged=flagged,
                  year=year, years=recent_years(), **translated(LABELS))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(ADMIN, OFFICER, COLLECTOR)
def new():
    """Record a distribution: tick the children of a village who received, or count a group without names."""
    posted_children = request.form.getlist("children", type=int)
    existing = idempotent.replay_of(Distribution)
    if existing is not None:
        # A replay: finish what the first post may not have (its receipts), never adding a second distribution.
        kids = db.session.scalars(children_query(current_user, village_id=existing.unit_id)).all()
        add_recipients(existing, [c for c in kids if c.id in set(posted_children)], current_user,
                       clean(request.form.get("reason")) or None)
        return redirect_to(url_for("gifts.detail", distribution_id=existing.id))
    villages = villages_of(current_user)
    chooser = RoundForm(request.args)
    chooser.village.choices = [SelectChoice(v.id, f"{v.name} ({v.parent.name})") for v in villages]
    chooser.year.choices = year_choices()
    village_id = request.args.get("village", type=int) or (villages[0].id if len(villages) == 1 else None)
    if village_id is None:
        return render("gifts/choose.html", chooser=chooser, **LABELS)
    village = get_or_404(Unit, village_id, unit_attr="id")
    if village.level != VILLAGE:
        abort(404)
    occasion = request.args.get("occasion") if request.args.get("occasion") in OCCASION_LABELS else "mid_autumn"
    year = request.args.get("year", type=int) or clock.today().year
    kids = db.session.scalars(children_query(current_user, village_id=village.id)).all()
    ticked = {c.id for c in kids} & set(posted_children)
    form = DistributionForm(occasion=occasion, year=year, ticked=ticked)
    form.year.choices = year_choices()
    units = _source_units()
    form.source_unit_id.choices = [SelectChoice(u.id, u.name) for u in units]
    if request.method == "GET":
        form.source_unit_id.data = village.parent_id if village.parent_id in {u.id for u in units} else units[-1].id
    if form.validate_on_submit():
        def build() -> Distribution:
            return Distribution(
                unit_id=village.id, commune_id=village.parent_id, occasion=form.occasion.data,
                year=form.year.data, kind=form.kind.data, value_each=form.value_each.data,
                item=clean(form.item.data), source=form.source.data,
                source_unit_id=form.source_unit_id.data if form.source.data != "donor" else None,
                donor_name=clean(form.donor_name.data) or None, given_on=form.given_on.data,
                place=clean(form.place.data) or None, giver=clean(form.giver.data) or None,
                group_count=form.group_count.data or 0, group_note=clean(form.group_note.data) or None)

        distribution, _created = idempotent.create_once(Distribution, form.client_id.data, current_user, build,
                                                        children=len(ticked))
        flagged = add_recipients(distribution, [c for c in kids if c.id in ticked], current_user,
                                 clean(form.reason.data) or None)
        if flagged:
            flash(_("%(n)s children had already received in this round: they are flagged for an officer.",
                    n=flagged), "warning")
        else:
            flash(_("Distribution saved."), "success")
        return redirect_to(url_for("gifts.detail", distribution_id=distribution.id))
    received = received_in_round([c.id for c in kids], form.occasion.data, form.year.data)
    return render("gifts/form.html", form=form, village=village, kids=kids, ticked=ticked, received=received,
                  already=set(), d=None, **LABELS, status=422 if form.errors else 200)


def _distribution_or_404(distribution_id: int) -> Distribution:
    return get_or_404(Distribution, distribution_id)


@bp.route("/<int:distribution_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN, OFFICER, COLLECTOR)
def edit(distribution_id: int):
    """Correct a distribution or add recipients later (ticking more children of the village, or a larger group);
    a child who already received in the round is flagged as on create. Edited on an older version, it is kept
    as a conflict to settle."""
    d = _distribution_or_404(distribution_id)
    kids = db.session.scalars(children_query(current_user, village_id=d.unit_id)).all() \
        if d.unit.level == VILLAGE else []
    already = {r.child_id for r in d.receipts}
    ticked = ({c.id for c in kids} - already) & set(request.form.getlist("children", type=int))
    if request.method == "GET":
        form = DistributionEditForm(obj=d, base_version=d.version)
    else:
        form = DistributionEditForm(ticked=ticked, received=len(d.receipts))
    form.year.choices = year_choices(d.year)
    units = _source_units()
    if d.source_unit is not None and d.source_unit not in units:
        units.append(d.source_unit)
    form.source_unit_id.choices = [SelectChoice(u.id, u.name) for u in units]
    if request.method == "GET" and d.source_unit_id is None:
        form.source_unit_id.data = d.commune_id if d.commune_id in {u.id for u in units} else units[-1].id
    if form.validate_on_submit():
        posted = posted_edit(form, list(ticked))
        try:
            applied = edits.save_edit(d, form.base_version.data, lambda: apply_edit(d, posted, current_user),
                                      current_user, posted)
        except edits.EditRefused as refused:
            db.session.rollback()
            form.group_count.errors.append(str(refused))
        else:
            if not applied:
                flash(_("This distribution was changed by someone else meanwhile: your edit is kept to be "
                        "settled."), "warning")
                return redirect_to(url_for("offline.conflicts"))
            flagged = sum(1 for r in d.receipts if r.pending)
            if flagged:
                flash(_("%(n)s children had already received in this round: they are flagged for an officer.",
                        n=flagged), "warning")
            else:
                flash(_("Distribution saved."), "success")
            return redirect_to(url_for("gifts.detail", distribution_id=d.id))
    received = received_in_round([c.id for c in kids], form.occasion.data, form.year.data, exclude_distribution=d.id)
    return render("gifts/form.html", form=form, village=d.unit, kids=kids, ticked=ticked, received=received,
                  already=already, d=d, **LABELS, status=422 if form.errors else 200)


@bp.route("/<int:distribution_id>")
@roles_required(*ALL)
def detail(distribution_id: int):
    """One distribution: what, when, from where, and who received (names for those who may see them)."""
    distribution = _distribution_or_404(distribution_id)
    personal = may_see_personal_data()
    if personal:
        audit.record("view", distribution)
        db.session.commit()
    photo_form = PhotoForm(base_version=distribution.version)
    return render("gifts/detail.html", d=distribution, personal=personal, photo_form=photo_form,
                  reason_form=ReasonForm(), is_officer=current_user.role in (ADMIN, OFFICER), **LABELS)


@bp.route("/<int:distribution_id>/sheet")
@roles_required(ADMIN, OFFICER, COLLECTOR)
def sheet(distribution_id: int):
    """The printable sign-off sheet (danh sách ký nhận): name, village, item, value and a column to sign."""
    distribution = _distribution_or_404(distribution_id)
    audit.record("export", distribution, what="sign_off_sheet")
    db.session.commit()
    return render("gifts/sheet.html", d=distribution, **LABELS)


@bp.route("/<int:distribution_id>/photo", methods=["GET", "POST"])
@roles_required(ADMIN, OFFICER, COLLECTOR)
def photo(distribution_id: int):
    """The photo of the signed sheet: attach it (a plain multipart form, also replayed by the outbox) or see it."""
    distribution = _distribution_or_404(distribution_id)
    if request.method == "GET":
        if not distribution.photo_sha256:
            abort(404)
        audit.record("view_photo", distribution)
        db.session.commit()
        return files.send(distribution.photo_sha256)
    form = PhotoForm()
    if form.validate_on_submit():
        try:
            kept = images.save(form.photo.data)
        except images.BadImage as exc:
            form.photo.errors.append(exc.message)
        else:
            columns = {"photo_sha256": kept.key, "photo_size": len(kept.data), "photo_type": kept.content_type}
            if columns["photo_sha256"] == distribution.photo_sha256:
                return redirect_to(url_for("gifts.detail", distribution_id=distribution.id))  # the same photo again

            def apply() -> dict:  # the audit names the photo; its size and type follow it
                return {"photo_sha256": edits.assign(distribution, columns)["photo_sha256"]}

            if edits.save_edit(distribution, form.base_version.data, apply, current_user,
                               {**columns, "base_version": form.base_version.data}):
                flash(_("Photo of the signed sheet attached."), "success")
            else:
                flash(_("The distribution changed meanwhile; your photo is kept for an officer to check."), "warning")
            return redirect_to(url_for("gifts.detail", distribution_id=distribution.id))
    return render("gifts/detail.html", d=distribution, personal=True, photo_form=form, reason_form=ReasonForm(),
                  is_officer=current_user.role in (ADMIN, OFFICER), **LABELS, status=422)


def _receipt_or_404(receipt_id: int) -> Receipt:
    receipt = db.session.get(Receipt, receipt_id) or abort(404)
    _distribution_or_404(receipt.distribution_id)
    return receipt


@bp.route("/receipts/<int:receipt_id>/reason", methods=["POST"])
@roles_required(ADMIN, OFFICER)
def receipt_reason(receipt_id: int):
    """An officer accepts a second receipt in a round, giving the reason."""
    receipt = _receipt_or_404(receipt_id)
    form = ReasonForm()
    if form.validate_on_submit():
        receipt.reason, receipt.reviewed_by_id = clean(form.reason.data), current_user.id
        audit.record("accept_second_receipt", receipt.distribution, child_id=receipt.child_id, reason=receipt.reason)
        db.session.commit()
        flash(_("Reason recorded."), "success")
    else:
        flash(_("Give the reason."), "error")
    return redirect_to(url_for("gifts.detail", distribution_id=receipt.distribution_id))


@bp.route("/receipts/<int:receipt_id>/remove", methods=["POST"])
@roles_required(ADMIN, OFFICER)
def receipt_remove(receipt_id: int):
    """An officer removes a receipt recorded by mistake (for instance a second one that was not given)."""
    receipt = _receipt_or_404(receipt_id)
    distribution_id = receipt.distribution_id
    if not ReasonForm().validate_on_submit():
        flash(_("Give the reason."), "error")
        return redirect_to(url_for("gifts.detail", distribution_id=distribution_id))
    audit.record("remove_receipt", receipt.distribution, child_id=receipt.child_id,
                 reason=clean(request.form.get("reason")))
    db.session.delete(receipt)
    db.session.flush()
    promote_first([receipt.child_id], receipt.occasion, receipt.year)
    db.session.commit()
    flash(_("Receipt removed."), "success")
    return redirect_to(url_for("gifts.detail", distribution_id=distribution_id))


@bp.route("/totals")
@roles_required(*ALL)
def totals_view():
    """Totals of gifts and scholarships in đồng by occasion, commune, source and month; they add up to one total."""
    year = request.args.get("year", type=int) or clock.today().year
    tables = {by: totals(current_user, year, by) for by in BREAKDOWNS}
    grand = sum(v for _k, _c, v in tables["occasion"])
    return render("gifts/totals.html", tables=tables, grand=grand, year=year, years=recent_years(), **LABELS)


@working_set.add
def _kept_for_the_round(user) -> list[str]:
    """A village head hands out gifts where there is no signal: the form of each round their village holds this
    year (a village head has one village; an officer's commune has many, so only rounds already opened)."""
    if user.role not in (ADMIN, OFFICER, COLLECTOR):
        return []
    year = clock.today().year
    villages = villages_of(user)
    if len(villages) > 60:  # the province's admin: no village round to keep
        return [url_for("gifts.new")]
    rounds = db.session.execute(
        select(Distribution.unit_id, Distribution.occasion).where(
            Distribution.unit_id.in_([v.id for v in villages]), Distribution.year == year)
        .group_by(Distribution.unit_id, Distribution.occasion).order_by(Distribution.unit_id).limit(6)).all()
    urls = [url_for("gifts.new")]
    if len(villages) == 1:
        urls.append(url_for("gifts.new", village=villages[0].id, occasion="mid_autumn", year=year))
    urls += [url_for("gifts.new", village=unit_id, occasion=occasion, year=year) for unit_id, occasion in rounds]
    return urls


@waiting.add
def _waiting_second_receipts(user) -> list[waiting.Waiting]:
    """For an officer: children given a second gift in the same round, flagged, waiting for her reason. One COUNT."""
    if user.role not in (ADMIN, OFFICER):
        return []
    n = db.session.scalar(
        scoped(select(func.count()).select_from(Receipt).join(Distribution), Distribution.unit_id, user)
        .where(Receipt.flagged.is_(True), Receipt.reason.is_(None)))
    text = ngettext("%(num)s second gift in a round to check", "%(num)s second gifts in a round to check", n)
    return [waiting.Waiting(text, url_for("gifts.index"), urgent=True)] if n else []
