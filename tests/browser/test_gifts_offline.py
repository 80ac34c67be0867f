"""A village head hands out Mid-Autumn gifts where there is no signal: the round's page was kept on the phone when
she signed in; she records two distributions offline, the second reaching the round again by the menu; the round
shows the children of the first as received while it waits; once sent, the server flags the child who received
twice, as it does online."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.test_offline_outbox import badge, eventually

pytestmark = pytest.mark.browser

NAMES = ["Giàng Seo Páo", "Sùng Thị Mỷ", "Vàng A Sử", "Thào Thị Hương"]
WAITING = "đã nhận quà trong dịp này (trên điện thoại, chờ gửi)"


@pytest.fixture
def village_children(make_child):
    for n, name in enumerate(NAMES):
        make_child(name, birth_year=2014 + n, sex="MF"[n % 2])


def open_round(page):
    """By the menu, as she does: "Quà tặng" → the new distribution of her village's round."""
    page.get_by_role("navigation", name="Chính").get_by_role("link", name="Quà tặng").click()
    page.get_by_role("link", name="Ghi lần trao quà").first.click()
    expect(page.locator("#kids")).to_be_visible()


def give(page, item: str, names: list[str]):
    page.get_by_label("Quà đã trao").fill(item)
    page.get_by_label("Giá trị mỗi suất (đồng)").fill("50000")
    for name in names:
        page.get_by_label(name).check()
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#outbox-saved")).to_be_visible()


def test_a_gift_round_offline_shows_who_received_while_it_waits(page, context, sign_in, users, village_children,
                                                                  app):
    from webapp.extensions import db
    from webapp.gifts.models import Distribution, Receipt

    head = users["village_head_A"]
    sign_in(head.username, head.password)
    eventually(page, "() => SotayOutbox.getMeta('workingSet').then(w => !!w && w.pages > 0)", timeout_ms=20_000)
    context.set_offline(True)

    open_round(page)  # never opened before: the kept copy
    expect(page.locator("#offline-copy")).to_contain_text("Bản lưu ngoại tuyến lúc")
    give(page, "Bánh trung thu", NAMES[:2])
    expect(badge(page)).to_have_text("1 chờ gửi")

    page.goto("/")
    open_round(page)
    # What waits for this round is shown on it: the two children received, on this phone.
    for name in NAMES[:2]:
        expect(page.locator("#kids label", has_text=name)).to_contain_text(WAITING)
    for name in NAMES[2:]:
        expect(page.locator("#kids label", has_text=name)).not_to_contain_text(WAITING)
    expect(page.locator("#outbox-waiting-here")).to_contain_text("1 bản ghi nhập ở trang này đang chờ gửi")
    give(page, "Đèn ông sao", NAMES[1:3])  # Sùng Thị Mỷ a second time
    expect(badge(page)).to_have_text("2 chờ gửi")

    context.set_offline(False)
    expect(badge(page)).to_be_hidden(timeout=20_000)
    expect(page.locator("#outbox-all-sent")).to_have_text("Đã gửi hết.")
    expect(page.locator("#outbox-waiting-here")).to_be_hidden()
    expect(page.locator("#kids label", has_text=NAMES[0])).to_contain_text("đã nhận quà trong dịp này")
    expect(page.locator("#kids label", has_text=NAMES[0])).not_to_contain_text("chờ gửi")
    with app.app_context():
        given = db.session.scalars(select(Distribution).order_by(Distribution.id)).all()
        assert [d.item for d in given] == ["Bánh trung thu", "Đèn ông sao"]
        receipts = db.session.scalars(select(Receipt).order_by(Receipt.id)).all()
        assert sorted(r.child.full_name for r in receipts) == sorted(NAMES[:2] + NAMES[1:3])
        # The server flags the second receipt of the child who received twice in the round, as online.
        flagged = [r.child.full_name for r in receipts if r.flagged]
        assert flagged == ["Sùng Thị Mỷ"]
