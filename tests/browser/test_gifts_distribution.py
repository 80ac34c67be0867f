"""A village head records a Mid-Autumn distribution to several children of her village by ticking them."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

pytestmark = pytest.mark.browser


def test_tick_children_of_a_village_on_a_phone(page, sign_in, users, places, app, make_child):
    from webapp.extensions import db
    from webapp.gifts.models import Distribution

    names = ["Giàng Seo Páo", "Lù Thị Hương", "Vàng A Sử", "Sùng Thị Mỷ", "Thào Văn Lử"]
    for name in names:
        make_child(name, birth_year=2016)
    sign_in(users["village_head_A"].username, users["village_head_A"].password)
    page.goto("/gifts/new")
    page.get_by_label("Quà đã trao").fill("Bánh trung thu")
    page.get_by_label("Giá trị mỗi suất (đồng)").fill("100.000")
    # find with the search box, without accents, and tick
    page.get_by_placeholder("Tìm trẻ").fill("giang")
    assert page.get_by_text("Lù Thị Hương").is_hidden()
    page.get_by_label("Giàng Seo Páo").check()
    page.get_by_placeholder("Tìm trẻ").fill("")
    page.get_by_label("Lù Thị Hương").check()
    page.get_by_label("Sùng Thị Mỷ").check()
    # Name and year of birth read apart ("Vàng A Sử2016" ran together)
    assert page.locator("label.check", has_text="Vàng A Sử").inner_text().strip() == "Vàng A Sử (2016)"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Lưu").click()
    # The outbox sends the form, then opens the saved distribution: wait for that page, not just any load state.
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Tết Trung thu"))
    assert page.locator("#total").inner_text() == "300.000\u00a0₫"
    receipts = page.locator("#receipts").inner_text()
    assert "Giàng Seo Páo" in receipts and "Sùng Thị Mỷ" in receipts and "Vàng A Sử" not in receipts
    expect(page.get_by_text("Ảnh danh sách đã ký nhận")).to_have_count(1)  # the heading, not the field's label too
    assert page.locator('[aria-describedby="None"]').count() == 0
    with app.app_context():
        assert len(db.session.scalar(select(Distribution)).receipts) == 3
