"""The worker revalidates its kept pages (static/js/sw.js, core/etags.py): a village head opening a kept page
online gets it from the phone after a 304 with no body; after she logs a talk the list comes back whole; the
refresh of her working set is answered 304 for what did not change; another person on the same phone is never
shown her copy. Real Chromium, 360×740, in Vietnamese."""

import threading

import pytest
from playwright.sync_api import expect

from tests.browser.test_offline_journeys import log_talk, menu, ready, signed_in
from tests.browser.test_offline_outbox import eventually

pytestmark = pytest.mark.browser


class Answers:
    """WSGI middleware: (path, If-None-Match sent, status, body bytes) of every request the server answers."""

    def __init__(self, app):
        self.app, self.seen, self.lock = app, [], threading.Lock()

    def __call__(self, environ, start_response):
        status = {}

        def start(line, headers, exc_info=None):
            status["code"] = int(line.split()[0])
            return start_response(line, headers, exc_info)

        sent = 0
        for chunk in self.app(environ, start):
            sent += len(chunk)
            yield chunk
        with self.lock:
            self.seen.append((environ.get("PATH_INFO", ""), environ.get("HTTP_IF_NONE_MATCH"), status.get("code"),
                              sent, bool(environ.get("HTTP_X_SOTAY_WARM"))))

    def since(self, mark: int, path: str | None = None) -> list[tuple]:
        with self.lock:
            return [a for a in self.seen[mark:] if path is None or a[0] == path]


@pytest.fixture
def answers(app):
    recorder = Answers(app.wsgi_app)
    app.wsgi_app = recorder
    return recorder


def test_kept_pages_come_back_as_304_until_a_write_changes_them(answers, page, sign_in, users, this_years_plan):
    head = users["village_head_A"]
    signed_in(page, sign_in, head)
    mark = len(answers.seen)
    menu(page, "Ghi hoạt động")  # kept with the working set: asked with its tag, unchanged
    expect(page.get_by_role("heading", level=1)).to_have_text("Ghi hoạt động")
    ready(page)
    kinds = answers.since(mark, "/activities/new")
    assert kinds and kinds[-1][1] and kinds[-1][2] == 304 and kinds[-1][3] == 0, kinds
    assert page.evaluate("document.documentElement.dataset.keptAt") is None  # fresh, not shown as an offline copy

    mark = len(answers.seen)
    menu(page, "Hoạt động")
    ready(page)
    listed = answers.since(mark, "/activities/")
    assert listed and listed[-1][2] in (200, 304)
    log_talk(page, 17)  # a write: her list changes
    expect(page.locator(".flash-success")).to_be_visible()
    mark = len(answers.seen)
    menu(page, "Hoạt động")
    ready(page)
    expect(page.locator("#main")).to_contain_text("17")
    listed = answers.since(mark, "/activities/")
    assert listed[-1][1] and listed[-1][2] == 200 and listed[-1][3] > 0, listed

    mark = len(answers.seen)
    at = page.evaluate("SotayOutbox.getMeta('workingSet').then(w => w.at)")
    page.evaluate("([u]) => navigator.serviceWorker.controller.postMessage({type: 'warm', user: u, force: true})",
                  [str(head.id)])
    eventually(page, "(at) => SotayOutbox.getMeta('workingSet').then(w => !!w && w.at > at)", at, timeout_ms=30_000)
    warmed = [a for a in answers.since(mark) if a[4]]
    assert any(a[2] == 304 and a[3] == 0 for a in warmed), warmed  # the unchanged forms: no body again
    assert any(a[0] == "/activities/new" and a[2] == 304 for a in warmed), warmed
    assert all(a[1] for a in warmed if a[2] == 304)


def test_another_person_on_the_same_phone_never_gets_a_304_for_her_copy(answers, page, sign_in, users,
                                                                        this_years_plan):
    signed_in(page, sign_in, users["village_head_A"])
    page.goto("/account")
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/login")
    expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()
    signed_in(page, sign_in, users["collector_A"])
    mark = len(answers.seen)
    menu(page, "Ghi hoạt động")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ghi hoạt động")
    assert all(a[2] != 304 for a in answers.since(mark, "/activities/new")), answers.since(mark)
