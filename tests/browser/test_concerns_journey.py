"""Báo tin về trẻ em as people do it, in Chromium on a 360×740 phone in Vietnamese (issue 17): a village head reports
a concern without signal; once it is sent the phone keeps nothing readable of it (Cache Storage and IndexedDB are
searched); the commune officer sees it on home with its 12-hour clock, verifies and assesses it within the hour,
plans, carries out and closes it, and prints it; another commune's officer, a viewer and another collector get 404
on it by id. Screenshots of the main screens go to SOTAY_SHOTS (or /work/tr/i17-shots when that folder exists)."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import PHONE
from tests.browser.test_offline_outbox import eventually, stored, wait_for_worker
from tests.browser.test_offline_safety import sign_in_on, wait_for_working_set
from webapp.core import clock

pytestmark = pytest.mark.browser

WHAT = "Bé bị bố đánh, chảy máu ở đầu, đang khóc ngoài nương"
WORDS = "Bé gái khoảng 8 tuổi, con nhà ông Thào Seo Chứ"
REPORTER = "Thào Thị Mỷ"
KID = "Thào Thị Dính"
SHOTS = Path(os.environ.get("SOTAY_SHOTS") or "/work/tr/i17-shots")


def shot(page, name: str) -> None:
    if SHOTS.is_dir() or os.environ.get("SOTAY_SHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


# Everything this browser keeps in Cache Storage and IndexedDB, as text: what someone who picks the phone up could read.
EVERYTHING_KEPT = """async () => {
  const out = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const req of await cache.keys()) {
      const res = await cache.match(req);
      out.push(name + " " + req.url + "\\n" + (await res.clone().text()));
    }
  }
  const dbs = indexedDB.databases ? await indexedDB.databases() : [{name: "sotay"}];
  for (const info of dbs) {
    const db = await new Promise((ok, no) => { const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result);
                                               r.onerror = () => no(r.error); });
    for (const store of Array.from(db.objectStoreNames)) {
      const rows = await new Promise((ok) => { const t = db.transaction(store).objectStore(store).getAll();
                                              t.onsuccess = () => ok(t.result); });
      out.push("idb " + info.name + "/" + store + "\\n" + JSON.stringify(rows));
    }
    db.close();
  }
  return out;
}"""


def kept_text(page) -> list[str]:
    return page.evaluate(EVERYTHING_KEPT)


def fill_report(page, village_head_village: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo tin về trẻ em")
    expect(page.locator("main")).to_contain_text(village_head_village)  # her one village, named
    page.get_by_label("Bạn đã thấy hoặc nghe được gì?").fill(WHAT)
    page.get_by_label("Bạo lực", exact=True).check()
    page.locator("input[name=in_danger][value=yes]").check()
    page.get_by_label("Mô tả trẻ em bằng lời").fill(WORDS)
    page.get_by_label("Người báo tin").fill(REPORTER)


def test_a_village_head_reports_offline_and_the_commune_acts_within_the_hour(app, page, browser, live_server, places,
                                                                              users, this_years_plan):
    from webapp.concerns.models import Concern
    from webapp.extensions import db

    head = users["village_head_A"]
    sign_in_on(page, head)
    expect(page.locator('header a[href="tel:111"]')).to_be_visible()
    expect(page.get_by_role("link", name="Gọi Tổng đài 111").first).to_have_attribute("href", "tel:111")
    wait_for_working_set(page)
    shot(page, "01-village-head-home")
    page.get_by_role("link", name="Báo tin về trẻ em").click()
    wait_for_worker(page)
    assert "/concerns/new" in page.evaluate("caches.open('sotay-pages').then(c => c.keys())"
                                            ".then(k => k.map(r => new URL(r.url).pathname).join(' '))")

    # No signal in the field: the search says so, the child is described in words, the report waits on the phone.
    page.context.set_offline(True)
    fill_report(page, places["village_A"].name)
    expect(page.locator("main")).to_contain_text("Tìm kiếm cần có sóng")
    shot(page, "02-report-form-offline")
    page.get_by_role("button", name="Gửi về xã").click()
    expect(page.locator("#outbox-saved")).to_contain_text("Đã lưu trên điện thoại")
    assert [i["status"] for i in stored(page)] == ["waiting"]
    with app.app_context():
        assert db.session.scalar(select(Concern.id)) is None

    # Signal again: it is sent once, and it leaves the phone.
    page.context.set_offline(False)
    eventually(page, "() => SotayOutbox.everything().then(items => items.length === 0)", timeout_ms=20_000)
    with app.app_context():
        concern = db.session.scalar(select(Concern).order_by(Concern.id))
        assert concern.what == WHAT and concern.child_description == WORDS and concern.in_danger
        concern_id = concern.id
    # The phone keeps nothing readable of it: no page, no outbox entry, no summary of it anywhere.
    page.goto("/")
    page.goto("/concerns/new")  # the blank form, the one page of this feature a phone keeps
    for kept in kept_text(page):
        for secret in (WHAT, WORDS, REPORTER, f"/concerns/{concern_id}"):
            assert secret not in kept, (secret, kept[:200])

    # Another report sent with signal, naming a child found in the register (a search that needs signal): she sees
    # only that the commune received it, and when; neither that page nor the search's answer is kept.
    with app.app_context():
        from webapp.children.models import Child

        db.session.add(Child(full_name=KID, search_name="thao thi dinh", birth_year=2016, sex="F",
                             unit_id=places["village_A"].id, commune_id=places["A"].id,
                             client_id="00000000-0000-4000-8000-0000000000d1"))
        db.session.commit()
    fill_report(page, places["village_A"].name)
    page.locator("#q").fill("thao thi")
    page.get_by_label(re.compile(KID)).check()
    page.get_by_label("Mô tả trẻ em bằng lời").fill("")
    page.get_by_role("button", name="Gửi về xã").click()
    expect(page.locator("#concern-sent")).to_contain_text("Xã đã nhận lúc")
    shot(page, "03-sent")
    expect(page.locator("main")).not_to_contain_text(WHAT)
    eventually(page, "() => SotayOutbox.everything().then(items => items.length === 0)")
    page.goto("/")
    for kept in kept_text(page):
        assert WHAT not in kept and "/concerns/sent" not in kept and WORDS not in kept and KID not in kept
    # Nor can she open it again by its id.
    assert page.goto(f"/concerns/{concern_id}").status == 404

    # The commune officer, on her own phone: the report on home with its clock.
    ctx = browser.new_context(base_url=live_server, viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True)
    ctx.set_default_timeout(10_000)
    officer = ctx.new_page()
    sign_in_on(officer, users["officer_A"])
    clock_line = officer.locator(f'.todo a[href="/concerns/{concern_id}"]')
    expect(clock_line).to_contain_text(re.compile(r"trẻ đang gặp nguy hiểm, còn 1[01] giờ \d\d phút để can thiệp"))
    expect(clock_line).to_have_class(re.compile("urgent"))
    shot(officer, "04-officer-home-clock")
    clock_line.click()
    expect(officer.locator("#clock")).to_contain_text("áp dụng biện pháp can thiệp khẩn cấp trước")
    expect(officer.locator("main")).to_contain_text(WHAT)
    expect(officer.locator("main")).to_contain_text(REPORTER)
    shot(officer, "05-officer-record")

    # Verified, then assessed (Mẫu 02) with the emergency measures taken a few minutes ago: within the hour.
    officer.get_by_label("Thông tin đúng sự việc").check()
    officer.get_by_role("button", name="Lưu", exact=True).click()
    expect(officer.locator("main")).to_contain_text("Tiếp: Đánh giá nguy cơ ban đầu (Mẫu số 02)")
    now = clock.now().astimezone(clock.LOCAL_TZ) - timedelta(minutes=2)
    officer.get_by_label("Cao", exact=True).check()
    officer.get_by_label("Nghiêm trọng").check()
    officer.locator("input[name=emergency][value=yes]").check()
    officer.get_by_label("Ngày thực hiện biện pháp khẩn cấp").fill(now.date().isoformat())
    officer.get_by_label("lúc", exact=True).fill(now.strftime("%H:%M"))
    measures = officer.get_by_label("Các biện pháp khẩn cấp đã thực hiện, kết quả đánh giá")
    measures.fill("Tạm thời cách ly trẻ, đưa về nhà bà ngoại")
    shot(officer, "06-assessment-form")
    officer.get_by_role("button", name="Lưu", exact=True).click()
    expect(officer.locator("main")).to_contain_text("Tiếp: Kế hoạch hỗ trợ, can thiệp")
    expect(officer.locator("#clock")).to_have_count(0)  # acted on in time: the clock is gone
    with app.app_context():
        assert db.session.get(Concern, concern_id).assessed_in_time is True

    # The plan, approved by the commune's chairman; carried out; reviewed and closed.
    officer.get_by_label("Ai làm gì, đến khi nào").fill("Hội Phụ nữ thăm gia đình hằng tuần; nhà trường theo dõi")
    officer.get_by_label("Thời hạn hoàn thành").fill((now.date() + timedelta(days=30)).isoformat())
    officer.get_by_label("Người phê duyệt (Chủ tịch Ủy ban nhân dân cấp xã)").fill("Vàng Seo Lử")
    officer.get_by_label("Ngày phê duyệt").fill(now.date().isoformat())
    officer.get_by_role("button", name="Lưu", exact=True).click()
    expect(officer.locator("main")).to_contain_text("Tiếp: Đã thực hiện kế hoạch")
    officer.get_by_label("Những việc đã làm").fill("Đã thăm gia đình")
    officer.get_by_role("button", name="Lưu", exact=True).click()
    officer.get_by_label("Trẻ em đã an toàn, ổn định: kết thúc kế hoạch").check()
    officer.get_by_role("button", name="Lưu", exact=True).click()
    timeline = officer.locator("ol.timeline li")
    expect(timeline).to_have_count(6)
    expect(officer.locator("main")).to_contain_text("Được Vàng Seo Lử phê duyệt ngày")
    expect(officer.locator("main p.muted").first).to_contain_text("Đã kết thúc")
    shot(officer, "07-officer-record-closed")
    officer.goto("/concerns/?show=all")
    expect(officer.locator(f'a[href="/concerns/{concern_id}"]')).to_contain_text("Bạo lực")
    shot(officer, "09-officer-list")
    officer.goto(f"/concerns/{concern_id}")
    officer.get_by_role("link", name="In (Mẫu số 01 và 02)").click()
    expect(officer.locator("h1").first).to_contain_text("PHIẾU GHI CHÉP THÔNG TIN")
    expect(officer.locator("body")).to_contain_text("PHIẾU ĐÁNH GIÁ NGUY CƠ BAN ĐẦU")
    shot(officer, "08-printout")
    # The officer's phone keeps no page of the report either.
    officer.goto("/")
    for kept in kept_text(officer):
        assert WHAT not in kept and REPORTER not in kept
    ctx.close()

    # Another commune's officer, a viewer and another collector: 404 by id.
    for who in ("officer_B", "viewer", "collector_B"):
        other = browser.new_context(base_url=live_server, viewport=PHONE, locale="vi-VN")
        p = other.new_page()
        sign_in_on(p, users[who])
        for url in (f"/concerns/{concern_id}", f"/concerns/{concern_id}/print"):
            assert p.goto(url).status == 404, (who, url)
        expect(p.locator('header a[href="tel:111"]')).to_be_visible()
        other.close()
