"""Working with weak or no signal, in real Chromium on a phone screen: kept pages, the outbox, new versions."""

import re

import pytest
from playwright.sync_api import expect

from webapp.activities.models import Activity

pytestmark = pytest.mark.browser

SAVED_ON_PHONE = "Đã lưu trên điện thoại — sẽ gửi khi có mạng"


def wait_for_worker(page):
    page.wait_for_function("() => !!navigator.serviceWorker && navigator.serviceWorker.controller !== null")


def stored(page) -> list[dict]:
    """Everything in this browser's outbox, whoever made it."""
    return page.evaluate("SotayOutbox.everything().then(items => items.map(i => ({id: i.id, user: i.user, "
                         "status: i.status, message: i.message || ''})))")


def eventually(page, check: str, arg=None, timeout_ms: int = 10_000) -> None:
    """Wait until the async JS function `check(arg)` resolves to true, polling in the page (a promise is truthy to
    wait_for_function, so that one cannot wait on IndexedDB or the Cache API)."""
    assert page.evaluate(f"""async (arg) => {{
        const check = {check};
        for (const end = Date.now() + {timeout_ms}; Date.now() < end;) {{
            if (await check(arg)) return true;
            await new Promise(r => setTimeout(r, 50));
        }}
        return false;
    }}""", arg), f"never true: {check}"


# The field form the outbox exists for: a village head logs a talk in her community, often out of signal. Each
# record is told apart by the number of boys who came, typed by her.
TALK_FORM = "/activities/new/communication?channel=community_talk"


def open_talk_form(page):
    page.goto(TALK_FORM)
    wait_for_worker(page)
    expect(page.get_by_label("Hình thức").locator("option:checked")).to_have_text("Nói chuyện tại cộng đồng")


def log_talk(page, boys):
    page.get_by_label("Bạo lực, xâm hại").check()  # a talk records what it was about
    page.get_by_label("Trẻ em trai").fill(str(boys))
    page.get_by_role("button", name="Lưu", exact=True).click()


def badge(page):
    return page.locator("#outbox-badge")


@pytest.fixture
def officer(page, sign_in, users):
    sign_in(users["officer_A"].username, users["officer_A"].password)
    return users["officer_A"]


@pytest.fixture
def village_head(page, sign_in, users, this_years_plan):
    sign_in(users["village_head_A"].username, users["village_head_A"].password)
    return users["village_head_A"]


def test_a_pages_visited_online_open_offline_after_a_reload(page, context, officer, places):
    wait_for_worker(page)
    page.goto(f"/places/{places['A'].id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xã Mường Khương")
    context.set_offline(True)
    response = page.reload()
    assert response.from_service_worker
    expect(page.get_by_role("heading", level=1)).to_have_text("Xã Mường Khương")
    expect(page.locator("#offline-copy")).to_contain_text("Bản lưu ngoại tuyến lúc")
    # The home page was open when the worker took over: it is kept too.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
    # A page never opened gives the offline page, styled from the precached stylesheet.
    page.goto("/users")
    expect(page.get_by_role("heading", level=1)).to_have_text("Không có mạng")
    assert page.evaluate("getComputedStyle(document.querySelector('header.top')).backgroundColor") == "rgb(11, 93, 71)"


def test_b_a_record_made_offline_is_saved_once_when_the_network_returns(page, context, village_head, count):
    open_talk_form(page)
    context.set_offline(True)
    log_talk(page, 23)
    expect(page.locator("#outbox-saved")).to_have_text(SAVED_ON_PHONE)
    expect(badge(page)).to_have_text("1 chờ gửi")
    assert [i["status"] for i in stored(page)] == ["waiting"]
    assert count(Activity) == 0
    context.set_offline(False)  # the real `online` event: nothing for the user to do
    expect(badge(page)).to_be_hidden()
    assert stored(page) == []
    assert count(Activity, boys=23, channel="community_talk", created_by_id=village_head.id) == 1
    assert count(Activity) == 1


def test_b_a_record_left_in_the_outbox_is_sent_when_the_app_is_opened_again(page, context, village_head, count):
    open_talk_form(page)
    context.set_offline(True)
    log_talk(page, 31)
    expect(badge(page)).to_have_text("1 chờ gửi")
    page.close()  # the tab is closed while offline
    context.set_offline(False)
    again = context.new_page()
    again.goto("/")
    eventually(again, "() => SotayOutbox.everything().then(items => items.length === 0)")
    expect(again.locator("#outbox-badge")).to_be_hidden()
    assert again.evaluate("SotayOutbox.getMeta('lastSent')") is not None
    assert count(Activity, boys=31) == 1 and count(Activity) == 1


def test_c_one_item_sent_twice_gives_one_record(page, context, village_head, count):
    second = context.new_page()  # a second tab on the outbox page
    second.goto("/outbox")
    open_talk_form(page)
    context.set_offline(True)
    log_talk(page, 42)
    expect(badge(page)).to_have_text("1 chờ gửi")
    expect(second.locator(".outbox-item")).to_have_count(1)
    page.evaluate("SotayOutbox.everything().then(items => { window.__item = items[0]; })")
    # Both tabs replay on `online`, and meanwhile the same item is posted twice more (a retry after a lost answer).
    context.set_offline(False)
    answers = page.evaluate("""async () => {
        const item = window.__item;
        const s = await SotayOutbox.session();
        const answers = await Promise.all([SotayOutbox.send(item, s.token, 'replay'),
                                           SotayOutbox.send(item, s.token, 'replay')]);
        return answers.map(a => a.status);
    }""")
    assert answers == ["saved", "saved"]
    expect(badge(page)).to_be_hidden()
    expect(second.locator("#outbox-summary")).to_have_text("Không có gì chờ gửi.")
    assert count(Activity, boys=42) == 1 and count(Activity) == 1


def test_d_a_replay_refused_as_invalid_stays_with_its_message_and_can_be_fixed(page, context, village_head, count):
    refused = "Hãy nhập số nguyên từ 0 đến 100.000."
    open_talk_form(page)
    context.set_offline(True)
    log_talk(page, "abc")  # the browser takes it; the server does not
    expect(badge(page)).to_have_text("1 chờ gửi")
    context.set_offline(False)
    expect(badge(page)).to_have_text("1 cần sửa")
    assert count(Activity) == 0
    page.goto("/outbox")
    item = page.locator(".outbox-item")
    expect(item).to_contain_text("Bị từ chối: cần sửa")
    expect(item.locator(".error")).to_contain_text(refused)
    item.get_by_role("link", name="Mở biểu mẫu để sửa").click()
    boys = page.get_by_label("Trẻ em trai")
    expect(boys).to_have_value("abc")
    expect(page.locator("#boys-error")).to_contain_text(refused)
    expect(page.get_by_label("Hình thức").locator("option:checked")).to_have_text("Nói chuyện tại cộng đồng")
    boys.fill("17")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page).to_have_url(re.compile(r"/activities/\d+$"))
    expect(page.locator(".flash-success")).to_contain_text("Đã lưu: Truyền thông")
    expect(page.locator("dl.facts")).to_contain_text("trai 17")
    assert stored(page) == []
    assert count(Activity, boys=17, channel="community_talk") == 1 and count(Activity) == 1


def test_e_sign_in_expired_while_offline_then_signing_in_sends_the_items(page, context, sign_in, village_head, count):
    open_talk_form(page)
    context.set_offline(True)
    log_talk(page, 11)
    expect(badge(page)).to_have_text("1 chờ gửi")
    log_talk(page, 12)
    expect(badge(page)).to_have_text("2 chờ gửi")
    context.clear_cookies()  # the sign-in ends while the phone is offline
    context.set_offline(False)
    expect(page.locator("#outbox-signin")).to_contain_text("Phiên đăng nhập đã hết")
    assert [i["status"] for i in stored(page)] == ["waiting", "waiting"]
    assert count(Activity) == 0
    sign_in(village_head.username, village_head.password)
    eventually(page, "() => SotayOutbox.everything().then(items => items.length === 0)")
    expect(page.locator("#outbox-badge")).to_be_hidden()
    assert stored(page) == []
    assert count(Activity, boys=11) == 1 and count(Activity, boys=12) == 1 and count(Activity) == 2


def test_f_a_new_version_replaces_the_old_caches(app, page, officer):
    wait_for_worker(page)
    [old] = [n for n in page.evaluate("caches.keys()") if n.startswith("sotay-shell-")]
    app.config["SOTAY_BUILD"] = "the-next-deploy"  # a deploy: the worker script changes
    page.reload()
    button = page.get_by_role("button", name="Đã có phiên bản mới — chạm để tải lại")
    expect(button).to_be_visible()
    assert old in page.evaluate("caches.keys()")  # no silent switch: the old version serves until the tap
    with page.expect_navigation():
        button.click()
    eventually(page, "(old) => caches.keys().then(keys => { const shells = keys.filter(n => "
                     "n.startsWith('sotay-shell-')); return shells.length === 1 && shells[0] !== old; })", old)


def test_g_fifty_records_made_offline_are_all_saved_each_once(page, context, village_head, app):
    from sqlalchemy import func, select

    from webapp.extensions import db

    open_talk_form(page)
    context.set_offline(True)
    for n in range(1, 51):
        log_talk(page, n)
        expect(badge(page)).to_have_text(f"{n} chờ gửi")
    context.set_offline(False)
    expect(badge(page)).to_be_hidden(timeout=60_000)
    with app.app_context():
        saved = db.session.execute(select(Activity.boys, func.count()).group_by(Activity.boys)).all()
    assert sorted(boys for boys, _times in saved) == list(range(1, 51))
    assert all(times == 1 for _boys, times in saved)


def test_h_signing_out_with_unsent_items_warns_and_another_user_does_not_see_them(page, context, sign_in,
                                                                                 village_head, users, count):
    page.goto("/account")
    open_talk_form(page)
    context.set_offline(True)
    log_talk(page, 27)
    expect(badge(page)).to_have_text("1 chờ gửi")
    page.goto("/account")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("alert")).to_contain_text("Còn 1 bản ghi chưa gửi")
    # She is asked what becomes of it: kept on this phone for her account, or discarded.
    expect(page.get_by_role("button", name="Giữ lại cho tôi và đăng xuất")).to_be_visible()
    expect(page.get_by_role("button", name="Xóa chúng và đăng xuất")).to_be_visible()
    assert "/account" in page.url  # not signed out
    # Her sign-in ends; someone else signs in on the same phone: her commune's officer, who may see her activities.
    context.clear_cookies()
    context.set_offline(False)
    other = users["officer_A"]
    sign_in(other.username, other.password)
    page.goto("/outbox")
    expect(page.locator("#outbox-summary")).to_have_text("Không có gì chờ gửi.")
    expect(page.locator(".outbox-item")).to_have_count(0)
    expect(badge(page)).to_be_hidden()
    page.get_by_role("button", name="Gửi ngay").click()
    # Wait for the run the button started (single-flight), then run once more to read what it did.
    result = page.evaluate("SotayOutbox.flush().then(() => SotayOutbox.flush())")
    # Nothing of hers is sent; a run that finds nothing of this user's to send asks the server nothing (user None).
    assert result["sent"] == 0 and result["user"] in (None, other.id)
    assert [i["user"] for i in stored(page)] == [str(village_head.id)]
    assert count(Activity) == 0


def test_h_signing_out_with_nothing_unsent_removes_the_kept_pages(page, officer):
    wait_for_worker(page)
    page.goto("/account")
    eventually(page, "() => caches.open('sotay-pages').then(c => c.keys()).then(k => k.length >= 2)")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile("/login"))
    kept = page.evaluate("caches.open('sotay-pages').then(c => c.keys())"
                         ".then(k => k.map(r => new URL(r.url).pathname))")
    assert kept == []  # nothing of hers (and the sign-in page is not worth keeping)
