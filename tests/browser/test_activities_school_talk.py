"""A village head logs a talk at a school on a 360×740 phone: one screen, a few taps; a wrong number is refused
next to its field with the rest of the form intact."""


import pytest
from sqlalchemy import select

from webapp.core import clock

pytestmark = pytest.mark.browser


def test_logging_a_school_talk_takes_one_screen(page, sign_in, users, this_years_plan, app):
    from webapp.activities.models import Activity
    from webapp.extensions import db

    sign_in(users["village_head_A"].username, users["village_head_A"].password)
    page.get_by_role("navigation", name="Chính").get_by_role("link", name="Ghi hoạt động").click()
    page.get_by_role("link", name="Nói chuyện tại trường học").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Truyền thông"
    # Today and my own village are filled in; the channel is chosen.
    assert page.get_by_label("Ngày").input_value()[:4] == str(clock.today().year)
    # her one village is not offered as a list of one: the header names it and the form sends it
    assert page.get_by_label("Địa bàn").count() == 0 and "Thôn Lùng Cẩu" in page.locator("header").inner_text()
    assert page.get_by_label("Hình thức").locator("option:checked").inner_text() == "Nói chuyện tại trường học"
    # The counts open the numeric keypad.
    assert page.get_by_label("Trẻ em trai").get_attribute("inputmode") == "numeric"
    # Everything the common case needs is on one screen: the save button shows above the bottom bar unscrolled.
    save = page.get_by_role("button", name="Lưu", exact=True)
    bar = page.get_by_role("navigation", name="Chính").bounding_box()
    assert page.evaluate("window.scrollY") == 0
    assert save.bounding_box()["y"] + save.bounding_box()["height"] <= bar["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_text("Bạo lực, xâm hại").click()  # a topic: one tap
    page.get_by_label("Trẻ em trai").fill("18")
    page.get_by_label("Trẻ em gái").fill("abc")  # a slip of the thumb
    save.click()
    page.wait_for_load_state()
    error = page.locator("#girls-error")
    assert error.inner_text() == "Hãy nhập số nguyên từ 0 đến 100.000."
    assert page.get_by_label("Trẻ em trai").input_value() == "18"  # the rest is intact
    assert page.get_by_label("Trẻ em gái").input_value() == "abc"
    assert page.get_by_label("Bạo lực, xâm hại").is_checked()

    page.get_by_label("Trẻ em gái").fill("22")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_url("**/activities/*")
    assert "Đã lưu: Truyền thông" in page.locator(".flash").inner_text()
    assert "40 (trai 18, gái 22)" in page.locator("dl.facts").inner_text()
    with app.app_context():
        saved = db.session.scalars(select(Activity)).all()
        assert [(a.channel, a.children, a.boys, a.girls) for a in saved] == [("school_talk", 40, 18, 22)]
        assert saved[0].unit_id == users["village_head_A"].unit_id  # her village, sent without a list of one


def test_adding_a_participant_row_with_htmx(page, sign_in, users, this_years_plan):
    sign_in(users["collector_A"].username, users["collector_A"].password)
    page.goto("/activities/new/training")
    assert page.locator(".person").count() == 2
    page.get_by_role("button", name="+ Thêm người").click()
    page.locator("#participants-2-name").wait_for()
    assert page.locator(".person").count() == 3
    assert "/activities/new/training" in page.url  # the page stayed; nothing was posted
    page.get_by_role("button", name="+ Thêm người").click()
    page.locator("#participants-3-name").wait_for()
    assert page.locator(".person").count() == 4
