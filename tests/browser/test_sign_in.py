"""A village head signs in on a cheap phone's screen and sees her home page in Vietnamese."""

import pytest

pytestmark = pytest.mark.browser


def test_sign_in_on_a_phone_shows_home_in_vietnamese(page, sign_in, users):
    sign_in(users["village_head_A"].username, users["village_head_A"].password)
    assert page.url.endswith("/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Xin chào")
    assert "Thôn Lùng Cẩu" in page.locator("header").inner_text()
    # Nothing sticks out of a 360 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    nav = page.get_by_role("navigation", name="Chính")
    assert nav.is_visible()
    assert nav.bounding_box()["height"] >= 48


def test_wrong_password_is_refused_in_vietnamese(page, sign_in, users):
    sign_in(users["collector_A"].username, "sai-mat-khau")
    assert "/login" in page.url
    assert page.get_by_role("alert").inner_text() == "Sai tên đăng nhập hoặc mật khẩu."
    assert page.get_by_label("Tên đăng nhập hoặc số điện thoại").input_value() == users["collector_A"].username
