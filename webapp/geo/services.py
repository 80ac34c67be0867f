"""Loading the official units, adding and importing villages, searching places."""

import csv
import io
import time
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from vietnam_provinces import Province, ProvinceCode, Ward

from ..core import audit, edits
from ..core.text import clean, fold, like_pattern
from ..extensions import db
from .models import COMMUNE, PROVINCE, VILLAGE, VILLAGE_KINDS, Unit


def province_unit(code: int | None = None) -> Unit | None:
    stmt = select(Unit).where(Unit.level == PROVINCE)
    if code is not None:
        stmt = stmt.where(Unit.code == str(code))
    return db.session.scalars(stmt.order_by(Unit.id)).first()


def load_province(code: int) -> tuple[Unit, int]:
    """Load a province and its communes and wards from `vietnam-provinces`; running it again adds only what is new."""
    official = Province.from_code(ProvinceCode(code))
    province = province_unit(code)
    if province is None:
        province = Unit(code=str(code), name=clean(official.name), search_name=fold(official.name), level=PROVINCE,
                        kind=official.division_type.value)
        db.session.add(province)
        db.session.flush()
    known = set(db.session.scalars(select(Unit.code).where(Unit.parent_id == province.id)))
    added = 0
    for ward in sorted(Ward.iter_by_province(ProvinceCode(code)), key=lambda w: w.name):
        ward_code = f"{int(ward.code):05d}"
        if ward_code in known:
            continue
        unit = Unit(code=ward_code, name=clean(ward.name), search_name=fold(ward.name), level=COMMUNE,
                    kind=ward.division_type.value, parent=province)
        db.session.add(unit)
        added += 1
    db.session.commit()
    return province, added


def guess_kind(name: str) -> str:
    folded = fold(name)
    for kind in sorted(VILLAGE_KINDS, key=len, reverse=True):
        if folded.startswith(fold(kind) + " "):
            return kind
    return "thôn"


def village_named(commune: Unit, name: str) -> Unit | None:
    return db.session.scalar(select(Unit).where(Unit.parent_id == commune.id, Unit.search_name == fold(name)))


def new_village(commune: Unit, name: str, kind: str | None = None) -> Unit:
    """A village under `commune`, not yet saved; its path is set when it has an id."""
    name = clean(name)
    return Unit(name=name, search_name=fold(name), level=VILLAGE, kind=kind or guess_kind(name), parent=commune)


def rename_unit(unit: Unit, posted: dict) -> dict:
    """Give a village its new name; refused when a sibling already has it. Returns the change for the audit log."""
    name = clean(posted.get("name"))
    other = db.session.scalar(select(Unit).where(Unit.parent_id == unit.parent_id, Unit.search_name == fold(name),
                                                 Unit.id != unit.id))
    if other is not None:
        raise edits.EditRefused(_l("%(commune)s already has a village of this name.", commune=unit.parent.name))
    if name == unit.name:
        return {}
    change = {"name": [unit.name, name]}
    unit.name, unit.search_name = name, fold(name)
    return change


edits.register_editor(Unit, rename_unit, {"name": _l("Name")}, describe=lambda u: u.name,
                      url=lambda u: url_for("geo.detail", unit_id=u.id))


def add_village(commune: Unit, name: str, kind: str | None, user) -> Unit:
    village = new_village(commune, name, kind)
    village.created_by_id = user.id
    db.session.add(village)
    audit.record("create", village, user=user, name=village.name, via="import")
    return village


def search(query: str, within: Unit, levels: tuple[str, ...] | None = None):
    """Units under `within` whose name holds `query`, ignoring accents and case ("muong khuong")."""
    stmt = select(Unit).where(Unit.in_area_of(within))
    if query:
        stmt = stmt.where(Unit.search_name.like(like_pattern(query), escape="\\"))
    if levels:
        stmt = stmt.where(Unit.level.in_(levels))
    return stmt.order_by(Unit.level != COMMUNE, Unit.search_name)


# --- import of village lists -------------------------------------------------------------------------------------

MAX_IMPORT_ROWS = 2000  # rows of one import
MAX_VILLAGE_ROWS = 5000  # a village list may be a whole province's
MAX_IMPORT_COLUMNS = 20  # columns read of each row; anything to the right is left
MAX_XLSX_SHEET = 50 * 1024 * 1024  # bytes a sheet of an XLSX (a zip) may unpack to: it is read as a stream
MAX_XLSX_PART = 5 * 1024 * 1024  # any other part (shared strings, styles) is read whole before the first row


class UnreadableFile(Exception):
    """The file is not a CSV or XLSX table this import can read; nothing was changed. `message`, when given, says
    why in words for the person who sent it."""

    def __init__(self, reason: str, message=None):
        super().__init__(reason)
        self.message = message


@dataclass
class RowResult:
    line: int
    commune: str
    village: str
    status: str  # "added", "exists" or "refused"
    reason: str = ""


def _dimensions_from_the_start(sheet) -> None:
    """openpyxl looks for a sheet's <dimension> by parsing the whole sheet when it is missing, before the first
    row (a sheet of a million rows: a minute of CPU). Look for it only in the first 64 KB, where it is written."""
    from xml.etree.ElementTree import ParseError

    from openpyxl.worksheet._reader import WorkSheetParser

    with sheet._get_source() as source:
        head = source.read(64 * 1024)
    try:
        dimensions = WorkSheetParser(io.BytesIO(head), []).parse_dimensions()
    except ParseError:  # the start ended without one
        dimensions = None
    if dimensions is not None:
        sheet._min_column, sheet._min_row, sheet._max_column, sheet._max_row = dimensions


def _xlsx_rows(data: bytes):
    """The rows of the first sheet, read as a stream: nothing but the row being read is held."""
    import zipfile

    from openpyxl import load_workbook

    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise UnreadableFile("not a zip") from exc
    if any(part.file_size > (MAX_XLSX_SHEET if part.filename.startswith("xl/worksheets/") else MAX_XLSX_PART)
           for part in parts):  # a zip bomb: refused before anything is unpacked
        raise UnreadableFile("too large unpacked", _l(
            "This file cannot be read: unpacked, it is far larger than a list can be. Split it into smaller files. "
            "Nothing was changed."))
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet


    ReadOnlyWorksheet._get_size = _dimensions_from_the_start  # for every read-only sheet (only imports read them)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            yield from book.worksheets[0].iter_rows(values_only=True, max_col=MAX_IMPORT_COLUMNS)
        finally:
            book.close()
    except UnreadableFile:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise UnreadableFile(str(exc)) from exc


def _csv_rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile("not UTF-8") from exc
    if "\x00" in text:
        raise UnreadableFile("binary")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            yield row[:MAX_IMPORT_COLUMNS]
    except csv.Error as exc:  # a field longer than csv.field_size_limit(), a stray quote
        raise UnreadableFile(str(exc)) from exc


def read_rows(filename: str, data: bytes, max_rows: int = MAX_IMPORT_ROWS) -> list[list[str]]:
    """The non-blank rows of a CSV (UTF-8, with or without BOM; comma, semicolon or tab) or XLSX file, as strings.
    Read as a stream and given up, with a message, past `max_rows` rows (and a header) or the setting
    IMPORT_SECONDS, so that no file can hold a worker for long or fill its memory."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        source = _xlsx_rows(data)
    elif name.endswith(".csv") or name.endswith(".txt"):
        source = _csv_rows(data)
    else:
        raise UnreadableFile("extension")
    seconds = current_app.config["IMPORT_SECONDS"]
    deadline = time.monotonic() + seconds
    rows: list[list[str]] = []
    for row in source:
        if time.monotonic() > deadline:
            raise UnreadableFile("too slow", _l("This file cannot be read: reading it took more than %(n)s seconds. "
                                                "Split it into smaller files. Nothing was changed.", n=seconds))
        cells = ["" if value is None else str(value) for value in row]
        if any(cell.strip() for cell in cells):
            rows.append(cells)
            if len(rows) > max_rows + 1:
                raise UnreadableFile("too many rows", _l(
                    "This file cannot be read: it has more than %(n)s rows. Split it into files of at most %(n)s "
                    "rows. Nothing was changed.", n=max_rows))
    if not rows:
        raise UnreadableFile("empty")
    return rows


HEADER_WORDS = ("xa", "phuong", "commune", "code", "ma ", "thon", "ban", "village", "ten")


def _is_header(row: list[str], within: Unit) -> bool:
    """A first row naming its columns ("Mã xã", "Tên thôn") rather than a commune."""
    first = fold(" ".join(row[:2]))
    return find_commune(row[0] if row else "", within) is None and any(word in first for word in HEADER_WORDS)


def find_commune(value: str, within: Unit) -> Unit | None:
    value = clean(value)
    stmt = select(Unit).where(Unit.level == COMMUNE, Unit.in_area_of(within))
    if value.isascii() and value.isdigit():
        return db.session.scalar(stmt.where(Unit.code == f"{int(value):05d}"))
    folded = fold(value)
    names = [folded] + [f"{prefix} {folded}" for prefix in ("xa", "phuong", "dac khu")]
    matches = db.session.scalars(stmt.where(Unit.search_name.in_(names))).all()
    return matches[0] if len(matches) == 1 else None


def import_villages(rows: list[list[str]], user, within: Unit) -> list[RowResult]:
    """Add each row's village under its commune; every row gets a result, and the good rows are saved together."""
    results: list[RowResult] = []
    start = 1 if _is_header(rows[0], within) else 0
    seen: set[tuple[int, str]] = set()
    for number, row in enumerate(rows[start:], start=start + 1):
        commune_text = clean(row[0]) if row else ""
        village_text = clean(row[1]) if len(row) > 1 else ""
        kind_text = clean(row[2]).lower() if len(row) > 2 else ""
        result = RowResult(number, commune_text, village_text, "refused")
        results.append(result)
        if not commune_text or not village_text:
            result.reason = str(_l("The commune and the village name are both needed."))
            continue
        if len(village_text) > 120:
            result.reason = str(_l("The village name is longer than 120 characters."))
            continue
        if kind_text and kind_text not in VILLAGE_KINDS:
            result.reason = str(_l("The kind must be thôn, bản or tổ dân phố."))
            continue
        commune = find_commune(commune_text, within)
        if commune is None:
            result.reason = str(_l("No commune with this code or name in your area."))
            continue
        key = (commune.id, fold(village_text))
        if key in seen or village_named(commune, village_text):
            result.status, result.reason = "exists", ""
            continue
        seen.add(key)
        add_village(commune, village_text, kind_text or None, user)
        result.status = "added"
    audit.record("import", within, user=user, rows=len(results),
                 added=sum(r.status == "added" for r in results))
    db.session.commit()
    return results
