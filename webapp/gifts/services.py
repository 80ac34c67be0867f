"""Recording who received, flagging a second receipt in the same round, the photo of the signed sheet, totals."""

import hashlib
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import extract, func, select
from sqlalchemy.exc import IntegrityError

from ..children import services as children_services
from ..children.models import Child
from ..core import audit
from ..core.scope import scoped
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

PHOTO_MAX_BYTES = 300 * 1024
PHOTO_TYPES = {b"\xff\xd8\xff": ("image/jpeg", "jpg"), b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
               b"RIFF": ("image/webp", "webp")}


def received_in_round(child_ids, occasion: str, year: int, exclude_distribution: int | None = None) -> dict:
    """{child_id: receipt} of the children who already received in this round."""
    if not child_ids:
        return {}
    stmt = select(Receipt).where(Receipt.child_id.in_(list(child_ids)), Receipt.occasion == occasion,
                                 Receipt.year == year)
    if exclude_distribution:
        stmt = stmt.where(Receipt.distribution_id != exclude_distribution)
    return {r.child_id: r for r in db.session.scalars(stmt.order_by(Receipt.id))}


def add_recipients(distribution: Distribution, children: list[Child], user, reason: str | None = None) -> int:
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
    db.session.commit()
    db.session.expire(distribution, ["receipts"])
    return flagged


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
    from ..core.formatting import fmt_date, fmt_money

    rows = db.session.scalars(select(Receipt).where(Receipt.child_id == child.id).order_by(Receipt.id))
    lines = [f"{fmt_date(r.distribution.given_on)} · {OCCASION_LABELS[r.occasion]} {r.year} · {r.distribution.item}"
             f" · {fmt_money(r.distribution.value_each)}" for r in rows]
    return [(str(_l("Gifts and scholarships received")), lines)]


children_services.MERGE_HOOKS.append(_merge_receipts)
children_services.EXPORT_HOOKS.append(_export_receipts)
children_services.HISTORY_HOOKS.append(_history)


# --- the photo of the signed sheet --------------------------------------------------------------------------------

class BadPhoto(ValueError):
    """The upload is not a JPEG, PNG or WebP image of at most 300 KB."""


def photo_dir() -> Path:
    path = Path(current_app.instance_path) / "uploads" / "gifts"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_photo(data: bytes) -> dict:
    """Check and keep an image on disk, outside the database, under its SHA-256; returns the columns to set."""
    if not data or len(data) > PHOTO_MAX_BYTES:
        raise BadPhoto("size")
    for magic, (mime, ext) in PHOTO_TYPES.items():
        if data.startswith(magic) and (mime != "image/webp" or data[8:12] == b"WEBP"):
            break
    else:
        raise BadPhoto("type")
    digest = hashlib.sha256(data).hexdigest()
    name = f"{digest}.{ext}"
    target = photo_dir() / name
    if not target.exists():
        tmp = target.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(target)
    return {"photo_file": name, "photo_sha256": digest, "photo_size": len(data), "photo_type": mime}


# --- totals ------------------------------------------------------------------------------------------------------

def _value_column():
    receipts = (select(func.count(Receipt.id)).where(Receipt.distribution_id == Distribution.id)
                .correlate(Distribution).scalar_subquery())
    return Distribution.value_each * (receipts + Distribution.group_count), receipts + Distribution.group_count


BREAKDOWNS = ("occasion", "commune", "source", "month")


def totals(user, year: int | None, by: str) -> list[tuple[object, int, int]]:
    """[(key, recipients, đồng)] of the distributions in a user's area, grouped by occasion, commune, source or
    month; every breakdown sums to the same grand total."""
    value, count = _value_column()
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
    value, _count = _value_column()
    return select(Distribution, value).where(Distribution.source == "fund", Distribution.source_unit_id == unit_id)


def fund_spending_total(unit_id: int) -> int:
    value, _count = _value_column()
    stmt = select(func.coalesce(func.sum(value), 0)).where(Distribution.source == "fund",
                                                           Distribution.source_unit_id == unit_id)
    return int(db.session.scalar(stmt) or 0)

