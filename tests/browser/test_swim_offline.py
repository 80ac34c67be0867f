"""A teacher at a water point without signal: the lesson page was opened online, then every tap is kept on the
phone, shown at once, and reaches the server once when the signal returns, with nothing more to do. Online, each
tap is still exactly one POST (htmx's), never a second one by the outbox."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.browser.test_offline_outbox import badge, stored, wait_for_worker
from tests.test_swim_courses import course_with_children
from webapp.extensions import db
from webapp.swim.models import SwimAttendance, SwimSkillShown, SwimTap

pytestmark = pytest.mark.browser

CHILDREN = 10
KEPT = "Đã lưu trên điện thoại, chờ gửi"


@pytest.fixture
def lesson(client, login_as, places, make_user, app):
    """A course of commune A taught by a teacher (a collector), with ten children enrolled; the officer sets it up
    through the forms. Returns (teacher, lesson 1's URL)."""
    teacher, course_id = course_with_children(client, login_as, places, make_user, app, CHILDREN)
    return teacher, f"/swim/{course_id}/lessons/1"


def open_lesson(page, sign_in, teacher, url):
    sign_in(teacher.username, teacher.password)
    page.goto(url)
    wait_for_worker(page)
    # The outbox and htmx have both taken the rows over: a tap before that would be a plain form post.
    page.wait_for_function("(n) => document.body.dataset.outboxReady === '1' && "
                           "document.querySelectorAll('form.taps[data-htmx-powered]').length === n", arg=CHILDREN)
    rows = page.locator("form.taps")
    expect(rows).to_have_count(CHILDREN)
    return rows


def row(rows, i):
    return rows.filter(has=rows.page.get_by_role("button", name=f"Lò Thị Bơi {i:02d}", exact=True))


def skill(rows, i, n="2"):
    return row(rows, i).get_by_role("button", name=n, exact=True)


def db_counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(m))
                     for m in (SwimAttendance, SwimSkillShown, SwimTap))


def test_online_each_tap_is_one_post_by_htmx_and_nothing_waits(page, sign_in, lesson, app):
    teacher, url = lesson
    rows = open_lesson(page, sign_in, teacher, url)
    requests = []
    page.on("request", lambda r: requests.append((r.method, r.resource_type, r.url)))
    page.evaluate("window.sameDocument = true")
    for tap in (row(rows, 0).locator("button.who"), skill(rows, 1), row(rows, 2).locator("button.who")):
        before = len(requests)
        tap.tap()
        page.wait_for_function("() => !document.querySelector('.htmx-request')")
        expect(tap).to_have_attribute("aria-pressed", "true")
        sent = [r for r in requests[before:] if r[0] == "POST" or r[1] == "document"]
        assert len(sent) == 1 and sent[0][0] == "POST" and sent[0][2].endswith("/lessons/1/tap"), sent
    assert page.evaluate("window.sameDocument") is True
    assert stored(page) == []
    expect(badge(page)).to_be_hidden()
    # A skill shown marks the child present too: three children there, one skill, three taps.
    assert db_counts(app) == (3, 1, 3)


def test_taps_made_offline_are_shown_counted_and_saved_once_when_the_signal_returns(page, context, sign_in, lesson,
                                                                                   app):
    teacher, url = lesson
    rows = open_lesson(page, sign_in, teacher, url)
    context.set_offline(True)
    for i in range(8):
        row(rows, i).locator("button.who").tap()
        expect(row(rows, i).locator("button.who")).to_have_attribute("aria-pressed", "true")
    for i in range(3):
        skill(rows, i).tap()
        expect(skill(rows, i)).to_have_attribute("aria-pressed", "true")
    # Every tap shows on the row at once, the row says it waits, and the badge counts what waits.
    expect(badge(page)).to_have_text("11 chờ gửi")
    for i in range(8):
        expect(row(rows, i).locator(".outbox-note")).to_have_text(KEPT)
    for i in range(8, CHILDREN):
        expect(row(rows, i).locator("button.who")).to_have_attribute("aria-pressed", "false")
        expect(row(rows, i).locator(".outbox-note")).to_have_count(0)
    items = stored(page)
    assert len(items) == 11 and len({i["id"] for i in items}) == 11  # each tap its own client_id
    assert db_counts(app) == (0, 0, 0)

    context.set_offline(False)  # the `online` event: nothing for the teacher to do
    expect(badge(page)).to_be_hidden(timeout=30_000)
    assert stored(page) == []
    for i in range(8):
        expect(row(rows, i).locator(".outbox-note")).to_have_text("Đã gửi")
    assert db_counts(app) == (8, 3, 11)
    with app.app_context():
        taps = db.session.execute(select(SwimTap.child_id, SwimTap.what, SwimTap.skill_id, func.count())
                                  .group_by(SwimTap.child_id, SwimTap.what, SwimTap.skill_id)).all()
    assert len(taps) == 11 and all(times == 1 for *_tap, times in taps)

    page.reload()
    expect(page.locator("form.taps button.who[aria-pressed=true]")).to_have_count(8)
    expect(page.locator("form.taps button:not(.who)[aria-pressed=true]")).to_have_count(3)


def test_a_tap_whose_send_fails_with_signal_is_kept_and_sent_once_later(page, sign_in, lesson, app):
    """Weak signal: the phone thinks it is online but htmx's POST never arrives. The tap is not lost."""
    teacher, url = lesson
    rows = open_lesson(page, sign_in, teacher, url)
    page.route("**/lessons/1/tap", lambda route: route.abort("internetdisconnected"))
    who = row(rows, 4).locator("button.who")
    who.tap()
    expect(who).to_have_attribute("aria-pressed", "true")
    expect(badge(page)).to_have_text("1 chờ gửi")
    expect(row(rows, 4).locator(".outbox-note")).to_have_text(KEPT)
    # (The service worker's own replay is not routed by the page, so it may already deliver the tap here.)
    page.unroute("**/lessons/1/tap")
    page.evaluate("window.dispatchEvent(new Event('online'))")  # the signal is back
    expect(badge(page)).to_be_hidden()
    assert db_counts(app) == (1, 0, 1)
