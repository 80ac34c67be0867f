"""Recording who received, flagging a second receipt in the same round, the photo of the signed sheet, totals."""

from datetime import date

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import extract, func, select
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..children import services as children_services
from ..children.models import Child
from ..core import audit, edits
from ..core.erasure import ERASED, Erasure
from ..core.formatting import fmt_date, fmt_money
from ..core.scope import scoped
from ..core.text import clean
from ..extensions import db
from ..geo.models import Unit
from .models import Distribution, Receipt

OCCASION_LABELS = {
    "tet": _l("Lunar New Year (Tết Nguyên đán)"),
    "children_day": _l("Children's Day, 1 June"),
    "mid_autumn": _l("Mid-Autumn Festival (Tết Trung thu)"),
    "excellent_pupils": _l("Award ceremony for excellent pupils"),
    "action_month": _l("Month of Action for Children"),
    "other": _l("Other occasion"),
}
KIND_LABELS = {"in_kind": _l("Gift in kind"), "cash": _l("Cash gift"), "scholarship": _l("Scholarship")}
SOURCE_LABELS = {"fund": _l("Child protection fund"), "budget": _l("State budget"), "donor": _l("A named donor")}

NOBODY = _l("Tick at least one child, or give the number of a group.")  # a distribution names who received



def received_in_round(child_ids, occasion: str, year: int, exclude_distribution: int | None = None) -> dict:
    """{child_id: receipt} of the children who already received in this round."""
    if not child_ids:
        return {}
    stmt = select(Receipt).where(Receipt.child_id.in_(list(child_ids)), Receipt.occasion == occasion,
                                 Receipt.year == year)
    if exclude_distribution:
        stmt = stmt.where(Receipt.distribution_id != exclude_distribution)
    return {r.child_id: r for r in db.session.scalars(stmt.order_by(Receipt.id))}


def add_recipients(distribution: Distribution, children: list[Child], user: User, reason: str | None = None,
                   commit: bool = True) -> int:
    """Add each child's receipt once; decided at save time by the database: the child's first receipt of the round
    takes the round's single first_in_round slot, any later one (also one synced late from another phone) is saved
    flagged, with the officer's reason when one was given. Returns how many were flagged."""
    already = {r.child_id for r in distribution.receipts}
    flagged = 0
    for child in children:
        if child.id in already:
            continue  # a replay of the same form
        receipt = Receipt(distribution_id=distribution.id, child_id=child.id, occasion=distribution.occasion,
                          year=distribution.year, first_in_round=True, created_by_id=user.id)
        try:
            with db.session.begin_nested():
                db.session.add(receipt)
                db.session.flush()
        except IntegrityError:
            receipt = Receipt(distribution_id=distribution.id, child_id=child.id, occasion=distribution.occasion,
                              year=distribution.year, first_in_round=None, flagged=True, created_by_id=user.id)
            if reason and user.role in ("admin", "officer"):
                receipt.reason, receipt.reviewed_by_id = reason, user.id
            db.session.add(receipt)
            db.session.flush()
            flagged += 1
            audit.record("flag_second_receipt", distribution, user=user, child_id=child.id,
                         reason=receipt.reason)
    if commit:
        db.session.commit()
    db.session.expire(distribution, ["receipts"])
    return flagged


def _take_first(receipt: Receipt) -> bool:
    """Give a receipt its round's first_in_round slot if no other receipt of the child holds it; False if taken."""
    try:
        with db.session.begin_nested():
            receipt.first_in_round = True
            db.session.flush()
    except IntegrityError:
        receipt.first_in_round = None
        return False
    return True


def promote_first(child_ids, occasion: str, year: int) -> None:
    """After a receipt left a round (removed, or its distribution moved to another round): a child whose round now
    has no first receipt gets their earliest remaining one as first, no longer flagged."""
    for child_id in set(child_ids):
        receipts = db.session.scalars(select(Receipt).where(Receipt.child_id == child_id, Receipt.occasion == occasion,
                                                            Receipt.year == year).order_by(Receipt.id)).all()
        if receipts and not any(r.first_in_round for r in receipts):
            receipts[0].first_in_round, receipts[0].flagged = True, False
            db.session.flush()


def move_round(distribution: Distribution, old_occasion: str, old_year: int, user: User) -> int:
    """The distribution's occasion or year changed: its receipts move to the new round, where a child who already
    received is flagged as on create; the old round's second receipts that are now alone become first. Returns how
    many were flagged."""
    receipts = list(distribution.receipts)
    for receipt in receipts:
        receipt.first_in_round = None
        receipt.occasion, receipt.year = distribution.occasion, distribution.year
    db.session.flush()
    flagged = 0
    for receipt in receipts:
        if _take_first(receipt):
            receipt.flagged = False
        else:
            receipt.flagged = True
            flagged += 1
            audit.record("flag_second_receipt", distribution, user=user, child_id=receipt.child_id,
                         reason=receipt.reason)
    db.session.flush()
    promote_first([r.child_id for r in receipts], old_occasion, old_year)
    return flagged


FIELDS = ("occasion", "year", "kind", "item", "value_each", "source", "source_unit_id", "donor_name", "given_on",
          "place", "giver", "group_count", "group_note")
PHOTO_COLUMNS = ("photo_sha256", "photo_size", "photo_type")


def posted_edit(form, children: list[int]) -> dict:
    """An edit form's values as plain JSON-able data, what an edit conflict keeps."""
    return {
        "occasion": form.occasion.data, "year": form.year.data, "kind": form.kind.data, "item": clean(form.item.data),
        "value_each": form.value_each.data, "source": form.source.data,
        "source_unit_id": form.source_unit_id.data if form.source.data != "donor" else None,
        "donor_name": clean(form.donor_name.data) or None, "given_on": form.given_on.data.isoformat(),
        "place": clean(form.place.data) or None, "giver": clean(form.giver.data) or None,
        "group_count": form.group_count.data or 0, "group_note": clean(form.group_note.data) or None,
        "children": sorted(children), "reason": clean(form.reason.data) or None,
        "base_version": form.base_version.data,
    }


def apply_edit(distribution: Distribution, posted: dict, user=None) -> dict:
    """Apply an edit of a distribution (its fields, more recipients, or the photo of a conflict); returns the
    changes {field: [old, new]}. Receipts follow a change of round; totals, the sheet and the fund's spending are
    computed from the distribution, so they follow by themselves."""
    user = user or current_user
    old_round = (distribution.occasion, distribution.year)
    changed = edits.assign(distribution, {
        name: date.fromisoformat(posted[name]) if name == "given_on" else posted[name]
        for name in FIELDS + PHOTO_COLUMNS if name in posted})
    if (distribution.occasion, distribution.year) != old_round:
        move_round(distribution, *old_round, user)
    if posted.get("children"):
        kids = db.session.scalars(select(Child).where(
            Child.id.in_(posted["children"]), Child.unit_id == distribution.unit_id, Child.merged_into_id.is_(None),
            Child.erased_at.is_(None))).all()
        before = len(distribution.receipts)
        add_recipients(distribution, list(kids), user, posted.get("reason"), commit=False)
        if len(distribution.receipts) != before:
            changed["recipients"] = [before, len(distribution.receipts)]
    if not distribution.receipts and not distribution.group_count:
        raise edits.EditRefused(NOBODY)
    return changed


edits.register_editor(
    Distribution, apply_edit,
    {"item": _l("What was given"), "value_each": _l("Value each"), "kind": _l("Kind"), "occasion": _l("Occasion"),
     "year": _l("Year"), "given_on": _l("Date given"), "place": _l("Place"), "giver": _l("Given by"),
     "group_count": _l("Group without names"), "photo_sha256": _l("Photo of the signed sheet")},
    describe=lambda d: f"{OCCASION_LABELS[d.occasion]} {d.year} · {d.item}",
    url=lambda d: url_for("gifts.detail", distribution_id=d.id))


def _merge_receipts(duplicate: Child, kept: Child) -> None:
    """Before a merge moves the duplicate's receipts: one that would give the kept child a second first receipt in
    a round becomes a flagged second receipt; one in a distribution the kept child is already in is dropped."""
    kept_rounds = {(r.occasion, r.year) for r in db.session.scalars(
        select(Receipt).where(Receipt.child_id == kept.id, Receipt.first_in_round.is_(True)))}
    kept_distributions = set(db.session.scalars(select(Receipt.distribution_id).where(Receipt.child_id == kept.id)))
    for receipt in db.session.scalars(select(Receipt).where(Receipt.child_id == duplicate.id)):
        if receipt.distribution_id in kept_distributions:
            db.session.delete(receipt)
        elif (receipt.occasion, receipt.year) in kept_rounds and receipt.first_in_round:
            receipt.first_in_round, receipt.flagged = None, True
    db.session.flush()


def _export_receipts(child: Child) -> dict:
    rows = db.session.scalars(select(Receipt).where(Receipt.child_id == child.id).order_by(Receipt.id))
    return {"gifts_received": [
        {"occasion": str(OCCASION_LABELS[r.occasion]), "year": r.year, "item": r.distribution.item,
         "value": r.distribution.value_each, "date": r.distribution.given_on.isoformat()} for r in rows]}


def _history(child: Child) -> list[tuple[str, list[str]]]:
    rows = db.session.scalars(select(Receipt).where(Receipt.child_id == child.id).order_by(Receipt.id))
    lines = [f"{fmt_date(r.distribution.given_on)} · {OCCASION_LABELS[r.occasion]} {r.year} · {r.distribution.item}"
             f" · {fmt_money(r.distribution.value_each)}" for r in rows]
    return [(str(_l("Gifts and scholarships received")), lines)]


def _erase_receipts(erasure: Erasure) -> None:
    """A child's erasure: the receipts stay (the distribution's total still adds up) without the officer's reason
    for a second one, which is about the child. The photo of the signed sheet is the distribution's, with every
    recipient's signature on it: it stays as the evidence of the money given (the child's line on the paper is not
    text that can be blanked)."""
    for receipt in db.session.scalars(select(Receipt).where(Receipt.child_id.in_(erasure.child_ids))):
        erasure.holds(receipt)
        if receipt.reason:
            receipt.reason = ERASED


children_services.MERGE_HOOKS.append(_merge_receipts)
children_services.ERASE_HOOKS.append(_erase_receipts)
children_services.EXPORT_HOOKS.append(_export_receipts)
children_services.HISTORY_HOOKS.append(_history)


# --- totals ------------------------------------------------------------------------------------------------------

BREAKDOWNS = ("occasion", "commune", "source", "month")


def totals(user: User, year: int | None, by: str) -> list[tuple[object, int, int]]:
    """[(key, recipients, đồng)] of the distributions in a user's area, grouped by occasion, commune, source or
    month; every breakdown sums to the same grand total."""
    value, count = Distribution.total, Distribution.recipients
    keys = {
        "occasion": Distribution.occasion,
        "commune": Distribution.commune_id,
        "source": Distribution.source,
        "month": extract("month", Distribution.given_on),
    }
    key = keys[by]
    stmt = scoped(select(key, func.sum(count), func.sum(value)), Distribution.unit_id, user)
    if year:
        stmt = stmt.where(Distribution.year == year)
    rows = db.session.execute(stmt.group_by(key).order_by(key)).all()
    result = [(k, int(c or 0), int(v or 0)) for k, c, v in rows]
    if by == "commune":
        names = dict(db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_([r[0] for r in result]))).all())
        result = sorted(((names.get(k, "—"), c, v) for k, c, v in result), key=lambda r: r[0])
    elif by == "month":
        result = [(int(k), c, v) for k, c, v in result]
    return result


def funded_by(unit_id: int):
    """SELECT of (distribution, its total) of the distributions paid from the fund of `unit_id`."""
    value = Distribution.total
    return select(Distribution, value).where(Distribution.source == "fund", Distribution.source_unit_id == unit_id)


def fund_spending_total(unit_id: int) -> int:
    value = Distribution.total
    stmt = select(func.coalesce(func.sum(value), 0)).where(Distribution.source == "fund",
                                                           Distribution.source_unit_id == unit_id)
    return int(db.session.scalar(stmt) or 0)

