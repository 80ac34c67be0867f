"""The issue's story on a phone: a commune officer records a Mid-Autumn distribution to 30 children of one village
(ticking them, with search), pays it from the commune's fund, prints the sign-off sheet, attaches a photo of the
signed sheet (shrunk on the phone before it is sent) and sees the fund's balance move by the distribution's total."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from webapp.core import clock

pytestmark = pytest.mark.browser

FAMILIES = ["Giàng", "Sùng", "Vàng", "Thào", "Lù", "Hầu"]
GIVEN = ["Seo Páo", "Thị Mỷ", "A Sử", "Thị Hương", "Văn Lử"]


def sheet_photo(tmp_path) -> str:
    """A photo of the signed sheet as the phone's camera saves it: large, far above 300 KB."""
    from PIL import Image

    grey = Image.effect_noise((2400, 1800), 20)
    path = tmp_path / "IMG_2023.jpg"
    Image.merge("RGB", [grey, grey, grey.rotate(180)]).save(path, "JPEG", quality=92)
    assert path.stat().st_size > 600 * 1024
    return str(path)


def balance(page) -> int:
    return int(page.locator("#balance").inner_text().replace(".", "").replace("₫", "").strip())


def test_trung_thu_to_30_children_paid_by_the_fund_with_sheet_and_photo(page, sign_in, users, places, app, tmp_path,
                                                                        make_child):

    from webapp.extensions import db
    from webapp.fund.models import Donation
    from webapp.gifts.models import Distribution

    names = [f"{family} {given}" for family in FAMILIES for given in GIVEN]
    commune = places["A"].id
    for n, name in enumerate(names):
        make_child(name, birth_year=2012 + n % 10, sex="FM"[n % 2])
    with app.app_context():
        db.session.add(Donation(unit_id=commune, donor_name="Công ty Cổ phần Apatit", donor_kind="organisation",
                                donor_key="cong ty co phan apatit", form="cash", value=10_000_000, status="received",
                                given_on=clock.today()))
        db.session.commit()
    sign_in(users["officer_A"].username, users["officer_A"].password)
    page.goto(f"/fund/?unit={commune}")
    expect(page.locator("#balance")).to_have_text("10.000.000\u00a0₫")

    page.goto("/gifts/new")
    expect(page.get_by_label("Dịp")).to_have_value("mid_autumn")
    page.get_by_label("Quà đã trao").fill("Bánh trung thu và đèn ông sao")
    page.get_by_label("Giá trị mỗi suất (đồng)").fill("120.000")
    expect(page.get_by_label("Nguồn kinh phí")).to_have_value("fund")  # paid from the fund of the commune
    search = page.get_by_placeholder("Tìm trẻ")
    search.fill("thao thi")  # without accents
    expect(page.get_by_text("Giàng Seo Páo")).to_be_hidden()
    page.get_by_label("Thào Thị Mỷ").check()
    search.fill("")
    page.locator("#kid-all").click()  # everyone else of the village
    assert page.locator("#kids input[name=children]:checked").count() == 30
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Lưu").click()
    # The outbox sends the form, then opens the saved distribution: wait for that page, not a load state.
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Tết Trung thu"))
    expect(page.locator("#total")).to_have_text("3.600.000\u00a0₫")

    page.get_by_role("link", name="In danh sách ký nhận").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("DANH SÁCH KÝ NHẬN")
    sheet = page.locator("#sheet")
    expect(sheet.locator("tbody tr")).to_have_count(30)
    expect(sheet.locator("thead th").last).to_have_text("Ký nhận")
    body = sheet.inner_text()
    assert all(name in body for name in names)
    page.go_back()

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Tết Trung thu"))
    file_input = page.locator("#photo-form input[type=file]")
    file_input.set_input_files(sheet_photo(tmp_path))
    # the phone shrinks it before anything is sent
    page.wait_for_function("() => { const f = document.querySelector('#photo-form input[type=file]').files[0];"
                           " return f && f.name === 'sheet.jpg' && f.size <= 300 * 1024; }")
    page.get_by_role("button", name="Gửi ảnh").click()
    expect(page.get_by_role("link", name="Xem ảnh")).to_be_visible()
    with app.app_context():
        distribution = db.session.scalar(select(Distribution))
        assert distribution.photo_size <= 300 * 1024 and distribution.total == 3_600_000
        assert len(distribution.receipts) == 30

    page.goto(f"/fund/?unit={commune}")
    expect(page.locator("#balance")).to_have_text("6.400.000\u00a0₫")
    assert 10_000_000 - balance(page) == 3_600_000
    expect(page.locator("#spending")).to_contain_text("Bánh trung thu và đèn ông sao")

