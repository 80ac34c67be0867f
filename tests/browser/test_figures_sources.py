"""On a 360×740 phone in Vietnamese: a commune officer enters her commune's children aged 6 to 15 from the
population statistics (a slip refused with its reason, nothing typed lost) and sees on the dashboard how many
communes have a figure, the register's count labelled as a check; the province's administrator records a decision
recognising a commune as child-friendly."""

from datetime import UTC, datetime

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def may_2023(monkeypatch):
    from webapp.core import clock

    monkeypatch.setattr(clock, "now", lambda: datetime(2023, 5, 8, 2, 0, tzinfo=UTC))


@pytest.fixture
def plan_2023(app, places):
    from webapp.extensions import db
    from webapp.geo.models import Unit
    from webapp.plans.services import load_plan_2023

    with app.app_context():
        plan, _ = load_plan_2023(db.session.get(Unit, places["province"].id))
        return {p.code: p.id for p in plan.periods}


def fits_the_screen(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    small = page.evaluate("""[...document.querySelectorAll('main label, main input, main button, main td, main p')]
        .filter(e => e.offsetParent && parseFloat(getComputedStyle(e).fontSize) < 14)
        .map(e => e.outerHTML.slice(0, 80))""")
    assert small == []
    taps = page.evaluate("""[...document.querySelectorAll('main button, main input:not([type=hidden]), main select')]
        .map(e => e.type === 'radio' ? e.closest('label') : e)  // a radio is tapped by its whole label
        .filter(e => e.offsetParent && e.getBoundingClientRect().height < 44).map(e => e.outerHTML.slice(0, 80))""")
    assert taps == []


def test_officer_enters_her_communes_children_aged_6_to_15(page, sign_in, users, places, plan_2023, may_2023, app):
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.reports.models import PopulationFigure

    sign_in(users["officer_A"].username, users["officer_A"].password)
    page.goto("/reports/population?year=2023")
    page.get_by_role("heading", level=1, name="Trẻ em 6–15 tuổi: số liệu thống kê dân số").wait_for()
    fits_the_screen(page)
    page.get_by_role("link", name="Xã Mường Khương").click()
    page.get_by_label("Số trẻ em từ 6 đến dưới 16 tuổi").fill("1.2o0")
    page.get_by_label("Nguồn số liệu").fill("Chi cục Thống kê, số liệu 2022")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Nhập số trẻ em là số nguyên, ví dụ 1.250.").wait_for()
    assert page.get_by_label("Nguồn số liệu").input_value() == "Chi cục Thống kê, số liệu 2022"
    fits_the_screen(page)
    page.get_by_label("Số trẻ em từ 6 đến dưới 16 tuổi").fill("1.200")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã lưu số liệu.").wait_for()
    assert "1.200" in page.locator("main table").inner_text()
    with app.app_context():
        assert db.session.scalar(select(PopulationFigure.children_6_15)) == 1200
    page.goto(f"/reports/dashboard?period={plan_2023['half_year']}&unit={places['A'].id}")
    page.locator(".goalgrid li.g a", has_text="T6").click()  # the goal's page says what its share stands on
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "1/1 xã, phường có số liệu dân số" in text
    assert "trẻ 6–15 tuổi trong sổ (chỉ để đối chiếu)" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_province_records_a_recognition(page, sign_in, users, places, plan_2023, app, vietnam_time):
    vietnam_time(2026, 3, 2, 9, 0)
    sign_in(users["admin"].username, users["admin"].password)
    page.goto("/reports/recognitions")
    page.get_by_role("link", name="Ghi quyết định công nhận").click()
    page.get_by_label("Xã, phường").select_option(label="Xã Mường Khương")
    page.get_by_label("Số quyết định").fill("1234/QĐ-UBND")
    page.get_by_label("Ngày quyết định").fill("2024-12-20")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Trước 01/7/2025, Chủ tịch UBND cấp huyện quyết định công nhận.").wait_for()
    fits_the_screen(page)
    page.get_by_label("Chủ tịch UBND cấp huyện (trước 01/7/2025)").check()
    page.get_by_label("Cơ quan, người quyết định").fill("Chủ tịch UBND huyện Mường Khương")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã lưu quyết định.").wait_for()
    row = page.locator("main table").inner_text()
    assert "Số 1234/QĐ-UBND ngày 20/12/2024" in row and "31/12/2025" in row and "hết hiệu lực" in row
    fits_the_screen(page)
