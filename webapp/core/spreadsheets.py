"""Every spreadsheet the app hands out (CSV and XLSX) is written here, so that what people typed stays text.

OWASP "CSV injection": a cell that starts with = + - @ tab or CR is run as a formula by Excel, LibreOffice and Google
Sheets (`=HYPERLINK(...)` as a child's name sends whoever clicks it elsewhere with the sheet's data). In a CSV such a
field is written behind an apostrophe, which spreadsheets show as text; in an XLSX every text cell is a string cell
(never a formula), shown exactly as typed and marked "quote prefix" so that it stays text when someone edits it.
Numbers stay numbers. Characters XML cannot hold are dropped rather than breaking the export."""

import csv
import io
import re
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _text(value: str) -> str:
    return _NOT_IN_XML.sub("", value)


def csv_value(value):
    """A CSV field: None as empty, text that a spreadsheet would run as a formula behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    text = _text(str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(rows: Iterable[Iterable]) -> bytes:
    """Rows as UTF-8 CSV with a BOM (Excel then reads Vietnamese)."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([csv_value(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def workbook() -> Workbook:
    return Workbook()


def append(sheet, values: Iterable, *, bold: bool = False, size: int | None = None) -> None:
    """Add a row to an XLSX sheet: text (and anything not a number or a date) as a string cell, never a formula."""
    cells = []
    for value in values:
        if value is None or isinstance(value, bool | int | float) or hasattr(value, "isoformat"):
            cell = Cell(sheet, value=value)
        else:
            text = _text(str(value))
            cell = Cell(sheet, value=text)
            cell.data_type = "s"  # openpyxl would take text starting with "=" as a formula
            if text.startswith(FORMULA_STARTS):
                cell.quotePrefix = True
        if bold or size:
            cell.font = Font(bold=bold, size=size)
        cells.append(cell)
    sheet.append(cells)


def save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_bytes(sheets: Iterable[tuple[str, Iterable[Iterable]]]) -> bytes:
    """A workbook of (title, rows) sheets."""
    book = workbook()
    first = True
    for title, rows in sheets:
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = title
        for row in rows:
            append(sheet, row)
    return save(book)
