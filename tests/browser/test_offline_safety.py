"""What the phone keeps without signal stays safe and useful, in real Chromium on a phone screen: the no-signal page
leads somewhere and comes back by itself, kept pages go when the session ends elsewhere and a child's data expires,
the worker sends with no page open, a crafted file of unsent records is refused, and signing out asks what becomes of
what is still unsent."""

import json
import re
import time
import uuid
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.test_offline_outbox import eventually, stored, wait_for_worker
from webapp.accounts.models import User
from webapp.activities.models import Activity

pytestmark = pytest.mark.browser

NO_SIGNAL = "Không có mạng"
OUTBOX = "Bản ghi chưa gửi"
NOTHING_WAITS = "Không có gì chờ gửi."
TALK_FORM = "/activities/new/communication?channel=community_talk"
TALK_ACTION = "/activities/new/communication"
# A page a village head may open that is not in her working set: it was never kept on the phone.
NEVER_KEPT = "/conflicts"
NEVER_KEPT_HEADING = "Bản sửa cần xử lý"


def kept_paths(page, cache: str = "sotay-pages") -> list[str]:
    return page.evaluate("(name) => caches.open(name).then(c => c.keys())"
                         ".then(keys => keys.map(r => new URL(r.url).pathname))", cache)


def sign_in_on(page, person) -> None:
    """Sign in through the real form on this page's phone, and wait for the home page."""
    page.goto("/login")
    page.get_by_label("Tên đăng nhập hoặc số điện thoại").fill(person.username)
    page.get_by_label("Mật khẩu").fill(person.password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")


def wait_for_working_set(page) -> None:
    """The worker has kept the pages this person needs without signal (asked 1 s after a page's load event)."""
    wait_for_worker(page)
    eventually(page, "() => SotayOutbox.getMeta('workingSet').then(w => !!w && w.pages > 0)", timeout_ms=20_000)


def log_talk(page, boys) -> None:
    page.get_by_label("Bạo lực, xâm hại").check()  # a talk records what it was about
    page.get_by_label("Trẻ em trai").fill(str(boys))
    page.get_by_role("button", name="Lưu", exact=True).click()


def open_talk_form(page) -> None:
    page.goto(TALK_FORM)
    wait_for_worker(page)
    expect(page.get_by_label("Hình thức").locator("option:checked")).to_have_text("Nói chuyện tại cộng đồng")


@contextmanager
def second_phone(browser, live_server):
    """Another phone: its own browser profile (cookies, caches, worker)."""
    ctx = browser.new_context(base_url=live_server, viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True)
    ctx.set_default_timeout(10_000)
    try:
        yield ctx.new_page()
    finally:
        ctx.close()


def upload(page, data: dict) -> None:
    page.set_input_files("#outbox-upload", files=[{"name": "x.json", "mimeType": "application/json",
                                                   "buffer": json.dumps(data).encode()}])


def outbox_file(user_id, items: list[dict]) -> dict:
    return {"format": "sotay-outbox", "version": 1, "user": str(user_id), "items": items}


def file_item(user_id, url: str, page: str, fields: list[dict], title: str = "") -> dict:
    return {"id": str(uuid.uuid4()), "user": str(user_id), "url": url, "enctype": "application/x-www-form-urlencoded",
            "fields": fields, "page": page, "title": title, "created": int(time.time() * 1000), "status": "waiting"}


@pytest.fixture
def village_head(page, users, this_years_plan):
    sign_in_on(page, users["village_head_A"])
    return users["village_head_A"]


# --- (v) the no-signal page leads somewhere, and comes back by itself -------------------------------------------------

def test_v_without_signal_the_outbox_opens_and_the_no_signal_page_leads_back(page, context, village_head, count):
    wait_for_working_set(page)
    working_set = page.evaluate("fetch('/offline/working-set').then(r => r.json()).then(w => w.urls)")
    assert "/outbox" in working_set and TALK_FORM in working_set and NEVER_KEPT not in working_set
    # The page she is on when the signal goes: a talk logged there waits in the outbox.
    page.goto(TALK_FORM)
    wait_for_worker(page)
    context.set_offline(True)
    log_talk(page, 14)
    badge = page.locator("#outbox-badge")
    expect(badge).to_have_text("1 chờ gửi")
    # The badge leads to the outbox, kept on the phone: it shows what waits.
    badge.click()
    expect(page).to_have_url(re.compile("/outbox$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(OUTBOX)
    expect(page.locator(".outbox-item")).to_have_count(1)
    expect(page.locator(".outbox-item")).to_contain_text("Truyền thông")
    expect(page.locator("#outbox-summary")).to_contain_text("1 chờ gửi")
    # The menu's home page opens too.
    page.get_by_role("navigation", name="Chính").get_by_role("link", name="Thêm").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")

    # A page never kept: the no-signal page, which lists what opens without signal.
    page.goto(NEVER_KEPT)
    expect(page.get_by_role("heading", level=1)).to_have_text(NO_SIGNAL)
    kept = page.locator("#offline-kept")
    expect(kept.get_by_role("link", name=OUTBOX)).to_have_count(1)
    expect(kept.get_by_role("link", name="Truyền thông").first).to_be_visible()
    links = kept.get_by_role("link").evaluate_all("links => links.map(a => new URL(a.href).pathname)")
    assert "/" in links and "/outbox" in links and NEVER_KEPT not in links
    # No trap: the outbox link opens offline, and back again.
    kept.get_by_role("link", name=OUTBOX).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(OUTBOX)
    expect(page.locator(".outbox-item")).to_have_count(1)
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text(NO_SIGNAL)
    assert page.url.endswith(NEVER_KEPT)
    # The signal returns: the page she asked for comes by itself, and what waited is sent.
    assert count(Activity) == 0
    context.set_offline(False)
    expect(page.get_by_role("heading", level=1)).to_have_text(NEVER_KEPT_HEADING, timeout=10_000)
    assert page.url.endswith(NEVER_KEPT)
    eventually(page, "() => SotayOutbox.everything().then(items => items.length === 0)")
    expect(page.locator("#outbox-badge")).to_be_hidden()
    assert count(Activity, boys=14, created_by_id=village_head.id) == 1


# --- (vi) kept pages go with the session, and a child's data expires --------------------------------------------------

def _on_a_phone_in_use(other, person) -> None:
    """Signed in on the other phone (its forms posted at once, while its worker is still keeping pages)."""
    sign_in_on(other, person)


def _change_password(other, person) -> None:
    _on_a_phone_in_use(other, person)
    other.goto("/account")
    other.get_by_label("Mật khẩu hiện tại").fill(person.password)
    other.get_by_label("Mật khẩu mới", exact=True).fill("mật-khẩu-mới-2")
    other.get_by_label("Nhập lại mật khẩu mới").fill("mật-khẩu-mới-2")
    other.get_by_role("button", name="Đổi mật khẩu").click()
    expect(other.locator(".flash-success")).to_contain_text("Đã đổi mật khẩu")


def _deactivate(other, admin, person) -> None:
    _on_a_phone_in_use(other, admin)
    other.goto(f"/users/{person.id}")
    other.get_by_role("button", name="Khóa tài khoản").click()
    expect(other.locator(".flash-success")).to_contain_text("Đã khóa tài khoản")


@pytest.mark.parametrize("ended_by", ["password_changed", "deactivated"])
def test_vi_a_session_ended_elsewhere_leaves_nothing_of_hers_on_the_phone(page, context, browser, live_server,
                                                                        village_head, users, ended_by):
    wait_for_working_set(page)
    kept = kept_paths(page)
    assert {"/", "/outbox", "/account", TALK_ACTION} <= set(kept), kept
    # On another phone the same person changes her password, or an admin deactivates her account.
    with second_phone(browser, live_server) as other:
        if ended_by == "password_changed":
            _change_password(other, village_head)
        else:
            _deactivate(other, users["admin"], village_head)
    # Back on the first phone, with signal, she opens a page from the menu: the sign-in page, and nothing of hers is
    # kept. (The worker also tells the page she is leaving to go to sign-in, which may cut that navigation short.)
    page.get_by_role("navigation", name="Chính").get_by_role("link", name="Hoạt động", exact=True).click()
    expect(page).to_have_url(re.compile("/login"))
    expect(page.get_by_label("Tên đăng nhập hoặc số điện thoại")).to_be_visible()
    assert set(kept_paths(page)) <= {"/login"}
    assert kept_paths(page, "sotay-partials") == []
    assert page.evaluate("SotayOutbox.getMeta('pagesOwner')") is None
    # Without signal, a page she had kept gives the no-signal page, not her data.
    context.set_offline(True)
    for url in ("/", TALK_FORM, "/account"):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_have_text(NO_SIGNAL)
    expect(page.locator("#main")).not_to_contain_text(village_head.full_name)
    links = page.locator("#offline-kept a").evaluate_all("links => links.map(a => new URL(a.href).pathname)")
    assert set(links) <= {"/login"}


def test_vi_a_session_ended_while_offline_is_noticed_by_the_outbox_when_the_signal_returns(
        page, context, browser, live_server, village_head):
    wait_for_working_set(page)
    open_talk_form(page)
    context.set_offline(True)
    log_talk(page, 26)
    expect(page.locator("#outbox-badge")).to_have_text("1 chờ gửi")
    with second_phone(browser, live_server) as other:
        _change_password(other, village_head)
    # The signal returns on the first phone; she opens nothing. The outbox asks /csrf before sending, learns that
    # nobody is signed in, and the kept pages go at once; her talk stays on the phone, to send after signing in.
    context.set_offline(False)
    expect(page.locator("#outbox-signin")).to_contain_text("Phiên đăng nhập đã hết")
    eventually(page, "() => caches.keys().then(names => !names.includes('sotay-pages') || "
                     "caches.open('sotay-pages').then(c => c.keys()).then(k => k.length === 0))")
    assert [(i["user"], i["status"]) for i in stored(page)] == [(str(village_head.id), "waiting")]
    context.set_offline(True)
    page.goto("/account")
    expect(page.get_by_role("heading", level=1)).to_have_text(NO_SIGNAL)
    expect(page.locator("#main")).not_to_contain_text(village_head.full_name)


@pytest.fixture
def a_child(make_child):
    """A child of village A in the register, entered by commune A's officer."""
    name = "Giàng Thị Mai"
    make_child(name, birth_year=2015, by="officer_A")
    return name


def test_vi_a_kept_page_with_a_childs_data_is_not_served_once_too_old(app, page, context, users, a_child,
                                                                     this_years_plan):
    # About a second: set before the browser first fetches /sw.js, which carries it.
    app.config["OFFLINE_PERSONAL_HOURS"] = 0.0003
    sign_in_on(page, users["officer_A"])
    wait_for_working_set(page)
    assert page.evaluate("caches.open('sotay-pages').then(c => c.match('/children/'))"
                         ".then(r => r && r.headers.get('X-Sotay-Personal'))") == "1"
    assert page.evaluate(f"caches.open('sotay-pages').then(c => c.match('{TALK_FORM}'))"
                         ".then(r => !!r && r.headers.get('X-Sotay-Personal') === null)")
    page.wait_for_timeout(1500)
    context.set_offline(True)
    page.goto("/children/")
    expect(page.get_by_role("heading", level=1)).to_have_text(NO_SIGNAL)
    expect(page.locator("#main")).not_to_contain_text(a_child)
    # Not offered among the pages that open without signal either; the activity form is, and it opens.
    links = page.locator("#offline-kept a").evaluate_all("links => links.map(a => new URL(a.href).pathname)")
    assert "/children/" not in links and TALK_ACTION in links
    page.goto(TALK_FORM)
    expect(page.get_by_role("heading", level=1)).to_have_text("Truyền thông")
    expect(page.locator("#offline-copy")).to_contain_text("Bản lưu ngoại tuyến lúc")


# --- (vii) the worker sends with no page open -------------------------------------------------------------------------

def test_vii_the_workers_background_sync_sends_with_no_page_open(page, context, live_server, village_head, count):
    open_talk_form(page)
    context.set_offline(True)
    log_talk(page, 37)
    expect(page.locator("#outbox-badge")).to_have_text("1 chờ gửi")
    # The page asked the browser for a Background Sync.
    assert "sotay-outbox" in page.evaluate("navigator.serviceWorker.ready.then(r => r.sync.getTags())")
    page.close()  # every page of the app is closed
    assert context.pages == []
    context.set_offline(False)
    # Fire the sync through DevTools, so the test does not depend on when the browser chooses to (Chromium 156 under
    # Playwright fires the registered sync by itself on reconnecting, and the DevTools one alone sends it too: checked
    # with the registration hidden). The ServiceWorker domain is not on the browser-level session; a blank tab (not
    # a page of the app, not one of the worker's clients) carries the DevTools session.
    blank = context.new_page()
    cdp = context.new_cdp_session(blank)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    scope = live_server + "/"
    for _ in range(100):
        if any(r["scopeURL"] == scope and not r["isDeleted"] for r in registrations):
            break
        blank.wait_for_timeout(50)
    [registration] = [r for r in registrations if r["scopeURL"] == scope and not r["isDeleted"]]
    cdp.send("ServiceWorker.dispatchSyncEvent", {"origin": live_server, "registrationId":
                                                 registration["registrationId"], "tag": "sotay-outbox",
                                                 "lastChance": False})
    for _ in range(300):
        if count(Activity, boys=37):
            break
        blank.wait_for_timeout(50)
    assert [p.url for p in context.pages] == ["about:blank"]
    assert count(Activity, boys=37, channel="community_talk", created_by_id=village_head.id) == 1
    assert count(Activity) == 1
    # The worker emptied the outbox too: the app opened again has nothing waiting.
    blank.goto("/outbox")
    expect(blank.locator("#outbox-last")).not_to_be_empty()  # the page's script has drawn the list
    expect(blank.locator("#outbox-summary")).to_have_text(NOTHING_WAITS)
    assert stored(blank) == []


# --- (viii) a crafted file of unsent records is refused ---------------------------------------------------------------

def test_viii_an_administration_form_in_a_file_is_refused_and_nothing_is_sent(page, users, count):
    admin = users["admin"]
    sign_in_on(page, admin)
    page.goto("/outbox")
    wait_for_worker(page)
    before = count(User)
    fields = [{"name": "client_id", "value": str(uuid.uuid4())}, {"name": "full_name", "value": "Kẻ Lạ"},
              {"name": "username", "value": "kela"}, {"name": "role", "value": "admin"},
              {"name": "unit_id", "value": str(users["admin"].unit_id)}, {"name": "password", "value": "x" * 12}]
    item = file_item(admin.id, "/users/new", "/users/new", fields, "Tài khoản mới")
    upload(page, outbox_file(admin.id, [item]))
    refused = page.locator("#outbox-import .import-refused")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("Biểu mẫu quản trị: không bao giờ được gửi từ tệp.")
    expect(page.locator("#outbox-import-summary")).to_contain_text("Có thể gửi 0 bản ghi; 1 bản ghi bị từ chối")
    expect(page.locator("#outbox-import-send")).to_have_count(0)
    assert stored(page) == []
    # Nor would the server take it from an outbox, had the page been fooled.
    answer = page.evaluate("""async (item) => {
        const s = await SotayOutbox.session();
        return SotayOutbox.send(Object.assign({}, item, {url: new URL(item.url, location.href).href}), s.token,
                                'replay');
    }""", item)
    assert answer["status"] == "refused"
    assert answer["message"].startswith("Biểu mẫu này chỉ gửi khi có mạng")
    assert count(User) == before
    assert count(User, username="kela") == 0


def test_viii_a_file_from_another_account_or_naming_other_forms_is_refused(page, village_head, users, count):
    page.goto(TALK_FORM)
    wait_for_worker(page)
    page.get_by_label("Bạo lực, xâm hại").check()  # a talk records what it was about
    page.get_by_label("Trẻ em trai").fill("8")
    fields = page.evaluate("SotayOutbox.serialise(document.querySelector('input[name=client_id]').form)")
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto("/outbox")
    wait_for_worker(page)

    # Made by another account (her officer): nothing of it is loaded.
    officer = users["officer_A"]
    upload(page, outbox_file(officer.id, [file_item(officer.id, TALK_ACTION, TALK_FORM, fields, "Truyền thông")]))
    expect(page.locator("#outbox-imported")).to_have_text(
        "Tệp này do tài khoản khác tạo: không tải và không gửi gì trong tệp.")
    expect(page.locator("#outbox-import .outbox-item")).to_have_count(0)
    # ...nor when only its items name the other account.
    upload(page, outbox_file(village_head.id, [file_item(officer.id, TALK_ACTION, TALK_FORM, fields)]))
    expect(page.locator("#outbox-imported")).to_have_text(
        "Tệp này do tài khoản khác tạo: không tải và không gửi gì trong tệp.")
    assert stored(page) == []

    # Hers, but naming another site, a page without that form, or an administration form: each refused.
    upload(page, outbox_file(village_head.id, [
        file_item(village_head.id, "https://evil.example/x", TALK_FORM, fields, "Lạ"),
        file_item(village_head.id, TALK_ACTION, "/outbox", fields, "Không có biểu mẫu"),
        file_item(village_head.id, "/users/new", "/users/new", fields, "Quản trị"),
    ]))
    refused = page.locator("#outbox-import .import-refused")
    expect(refused).to_have_count(3)
    expect(refused.nth(0)).to_contain_text("Không phải biểu mẫu của ứng dụng này: không gửi.")
    expect(refused.nth(1)).to_contain_text("Tài khoản của bạn không có biểu mẫu này: không gửi.")
    expect(refused.nth(2)).to_contain_text("Biểu mẫu quản trị: không bao giờ được gửi từ tệp.")
    expect(page.locator("#outbox-import-send")).to_have_count(0)
    assert stored(page) == []
    assert not [u for u in requests if "evil.example" in u]
    assert count(Activity) == 0


def test_viii_a_valid_file_is_shown_with_its_form_then_saved_once_when_confirmed(page, village_head, count):
    page.goto(TALK_FORM)
    wait_for_worker(page)
    page.get_by_label("Bạo lực, xâm hại").check()  # a talk records what it was about
    page.get_by_label("Trẻ em trai").fill("19")
    page.get_by_label("Trẻ em gái").fill("21")
    fields = page.evaluate("SotayOutbox.serialise(document.querySelector('input[name=client_id]').form)")
    data = outbox_file(village_head.id, [file_item(village_head.id, TALK_ACTION, TALK_FORM, fields,
                                                   "Tiêu đề trong tệp")])
    page.goto("/outbox")
    wait_for_worker(page)
    upload(page, data)
    ok = page.locator("#outbox-import .import-ok")
    expect(ok).to_have_count(1)
    # Shown with the real form's heading and labels, not the file's title and field names.
    expect(ok.locator("strong")).to_have_text("Truyền thông")
    facts = ok.locator("dl.facts")
    expect(facts.locator("dt", has_text=re.compile("^Trẻ em trai$"))).to_have_count(1)
    expect(facts.locator("dt", has_text=re.compile("^Trẻ em gái$"))).to_have_count(1)
    expect(facts.locator("dt", has_text=re.compile("^Hình thức$"))).to_have_count(1)
    expect(facts).not_to_contain_text("client_id")
    expect(facts).not_to_contain_text("csrf_token")
    expect(facts).to_contain_text("19")
    expect(page.locator("#outbox-import-summary")).to_contain_text("Có thể gửi 1 bản ghi; 0 bản ghi bị từ chối")
    # Nothing is kept or sent before she confirms.
    page.wait_for_timeout(500)
    assert stored(page) == [] and count(Activity) == 0
    page.get_by_role("button", name="Gửi các bản ghi này").click()
    expect(page.locator("#outbox-imported")).to_have_text("Đã nạp 1 bản ghi từ tệp.")
    eventually(page, "() => SotayOutbox.everything().then(items => items.length === 0)")
    assert count(Activity, boys=19, girls=21, channel="community_talk", created_by_id=village_head.id) == 1
    # The same file loaded and sent again is the same record: still saved once.
    upload(page, data)
    page.locator("#outbox-import-send").click()
    expect(page.locator("#outbox-imported")).to_have_text("Đã nạp 1 bản ghi từ tệp.")
    eventually(page, "() => SotayOutbox.everything().then(items => items.length === 0)")
    assert count(Activity) == 1


# --- (ix) signing out with what is still unsent -----------------------------------------------------------------------

def _an_unsent_entry(page, context) -> None:
    """A talk made offline that the server refused when the signal came back: it waits on the phone to be fixed."""
    open_talk_form(page)
    context.set_offline(True)
    log_talk(page, "abc")
    expect(page.locator("#outbox-badge")).to_have_text("1 chờ gửi")
    context.set_offline(False)
    expect(page.locator("#outbox-badge")).to_have_text("1 cần sửa")


def _sign_out(page, choice: str | None) -> None:
    page.goto("/account")
    page.get_by_role("button", name="Đăng xuất").click()
    if choice:
        expect(page.get_by_role("alert")).to_contain_text("Còn 1 bản ghi chưa gửi")
        page.get_by_role("button", name=choice).click()
    expect(page).to_have_url(re.compile("/login"))


def test_ix_signing_out_keeps_unsent_entries_for_that_account_only_or_discards_them(page, context, village_head,
                                                                                  users, count):
    _an_unsent_entry(page, context)
    _sign_out(page, "Giữ lại cho tôi và đăng xuất")
    assert [(i["user"], i["status"]) for i in stored(page)] == [(str(village_head.id), "invalid")]
    assert set(kept_paths(page)) <= {"/login"}
    # Another account on the same phone sees nothing of it.
    sign_in_on(page, users["officer_A"])
    page.goto("/outbox")
    expect(page.locator("#outbox-last")).not_to_be_empty()  # the page's script has drawn the list
    expect(page.locator("#outbox-summary")).to_have_text(NOTHING_WAITS)
    expect(page.locator(".outbox-item")).to_have_count(0)
    expect(page.locator("#outbox-badge")).to_be_hidden()
    _sign_out(page, None)  # nothing of his waits: no question
    # She finds it again when she signs in, and discards it on signing out.
    sign_in_on(page, village_head)
    expect(page.locator("#outbox-badge")).to_have_text("1 cần sửa")
    _sign_out(page, "Xóa chúng và đăng xuất")
    assert stored(page) == []
    assert count(Activity) == 0


