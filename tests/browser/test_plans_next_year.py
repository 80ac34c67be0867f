"""The province's administrator readies the 2026 plan on a 360×740 phone in Vietnamese: copies 2025, finds Sở Y tế
as lead agency, corrects a planned activity and sets one commune's own fund target, which shows under T13."""

import pytest
from sqlalchemy import select

pytestmark = pytest.mark.browser


@pytest.fixture
def plan_2025(app, places, users):
    """The 2023 plan copied to 2024 and 2025 (Sở LĐ-TB&XH still leads: its role ended 28/02/2025)."""
    from webapp.accounts.models import User
    from webapp.extensions import db
    from webapp.geo.models import Unit
    from webapp.plans.services import copy_plan, load_plan_2023

    with app.app_context():
        plan, _ = load_plan_2023(db.session.get(Unit, places["province"].id))
        admin = db.session.get(User, users["admin"].id)
        for year in (2024, 2025):
            plan = copy_plan(plan, year, admin)
            db.session.add(plan)
            db.session.commit()
        return plan.id


def _fits(page) -> None:
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 361)
        .map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right))
        .slice(0, 8)""")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, wide


def test_admin_readies_2026_on_a_phone(page, sign_in, users, places, plan_2025, app):
    from webapp.extensions import db
    from webapp.plans.models import Plan

    sign_in(users["admin"].username, users["admin"].password)
    page.goto(f"/plans/{plan_2025}")
    assert "Sở Lao động – Thương binh và Xã hội" in page.locator("dl.facts").inner_text()
    page.get_by_role("button", name="Sao chép kế hoạch này sang năm 2026").click()
    page.get_by_role("heading", level=1, name="Kế hoạch năm 2026").wait_for()
    assert "Không đưa vào vì từ 01/7/2025 không còn cấp huyện: Q5." in page.content()
    lead = page.get_by_label("Cơ quan chủ trì")
    assert lead.locator("option:checked").inner_text() == "Sở Y tế"
    assert "Sở Lao động – Thương binh và Xã hội" not in lead.inner_text()
    _fits(page)
    page.get_by_role("link", name="‹ Kế hoạch năm 2026").click()
    _fits(page)

    # Nine training classes become twelve.
    page.get_by_role("link", name="Sửa Q1").click()
    _fits(page)
    page.get_by_label("Số lượng", exact=True).fill("12")
    page.get_by_label("Tổng số người").fill("200000")
    page.get_by_role("button", name="Lưu").click()
    error = page.locator("#participants-error")
    assert error.inner_text() == "Hãy nhập số nguyên từ 0 đến 100.000."
    assert page.get_by_label("Số lượng", exact=True).input_value() == "12"  # what was typed is kept
    page.get_by_label("Tổng số người").fill("720")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã lưu Q1.").wait_for()

    # Xã Mường Khương raises 50 million for its own fund.
    page.get_by_role("link", name="Đặt T13 riêng cho một xã").click()
    _fits(page)
    page.get_by_label("Áp dụng cho").select_option(label="Xã Mường Khương")
    page.get_by_label("Chỉ tiêu", exact=True).fill("50.000.000")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã thêm chỉ tiêu T13.").wait_for()
    own = page.locator("ul.own-targets li")
    assert own.inner_text().startswith("Xã Mường Khương: 50.000.000\u00a0₫")
    _fits(page)
    with app.app_context():
        plan = db.session.scalar(select(Plan).where(Plan.year == 2026))
        assert plan.lead_agency.name == "Sở Y tế"
        assert {(t.unit_id, t.figure) for t in plan.targets if t.code == "T13"} == {
            (None, 1_000_000_000), (places["A"].id, 50_000_000)}
        assert "Q5" not in {q.code for q in plan.quantities}
        assert next(q for q in plan.quantities if q.code == "Q1").events == 12
