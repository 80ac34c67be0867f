"""A commune officer opens "Thêm trẻ em" on a phone in Vietnamese: the 14 groups of Điều 10 read in Vietnamese with
their letters (they read "a) Orphaned of both parents" when their labels were built at import, issue 15 item 8)."""

import pytest
from playwright.sync_api import expect

from tests.vietnamese import english_in

pytestmark = pytest.mark.browser


def test_the_child_form_reads_in_vietnamese(page, sign_in, users):
    sign_in(users["officer_A"].username, users["officer_A"].password)
    page.goto("/children/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thêm trẻ em")
    groups = page.locator("fieldset.groups label.check")
    expect(groups).to_have_count(14)
    assert groups.first.inner_text().strip() == "a) Trẻ em mồ côi cả cha và mẹ"
    assert groups.nth(4).inner_text().strip().startswith("đ) ")
    text = page.locator("main").inner_text()
    assert english_in(text) == [] and "Orphaned" not in text
    expect(page.get_by_label("Thôn, bản, tổ dân phố")).to_be_visible()
    # A box without help or error is described by nothing (it read aria-describedby="None").
    assert page.locator('[aria-describedby="None"]').count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
