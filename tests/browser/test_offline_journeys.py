"""Whole journeys without signal, as people move: by the bottom menu and the links of each page (never by typing an
address), in real Chromium on a 360×740 phone in Vietnamese, with the network switched off and on again.

(i)   a village head logs three talks in her community offline, each by the menu; the signal returns, three records.
(ii)  a talk saved online, then the same form shown again offline from the phone's copy: a new record, the old one
      untouched.
(iii) a teacher at the water taps 18 times offline, goes to the course page and back, sees all her taps, taps 12 more
      (corrections among them): the server ends with 30 taps and exactly the state she saw.
(iv)  pages never opened online open offline after sign-in (the working set): a forum's check-in, a lesson, and the
      Month of Action form.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.browser.test_offline_outbox import badge, eventually, stored, wait_for_worker
from tests.forum_helpers import forum_with_delegates
from tests.test_swim_courses import course_with_children
from webapp.activities.models import Activity
from webapp.core import clock
from webapp.extensions import db

pytestmark = pytest.mark.browser

SAVED_ON_PHONE = "Đã lưu trên điện thoại — sẽ gửi khi có mạng"
TAP_KEPT = "Đã lưu trên điện thoại, chờ gửi"
ALL_SENT = "Đã gửi hết."
COMMUNITY_TALK = "Nói chuyện tại cộng đồng"
COURSE = "Lớp bơi hè Lùng Cẩu"
CHILDREN = 10


# --- moving about ------------------------------------------------------------------------------------------------

def signed_in(page, sign_in, user):
    """Sign in through the form, then wait until the worker has kept this person's working set (it starts a second
    after the home page has loaded): from then on nothing the test does races with it."""
    sign_in(user.username, user.password)
    wait_for_worker(page)
    eventually(page, "() => SotayOutbox.getMeta('workingSet').then(w => !!w && w.pages > 0)", timeout_ms=30_000)


def ready(page):
    """The page script has taken the forms over (a tap before that would be a plain form post)."""
    page.wait_for_function("() => document.body.dataset.outboxReady === '1'")


def menu(page, label):
    """A link of the bottom navigation."""
    page.locator("nav.bottom").get_by_role("link", name=label, exact=True).click()


def home_link(page, label):
    """One of the person's menu items as listed on the home page ("Thêm" in the bottom bar leads there)."""
    menu(page, "Thêm")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
    page.locator("#main").get_by_role("link", name=label, exact=True).click()


def open_kind(page, kind):
    """Menu "Ghi hoạt động", then the kind's link."""
    menu(page, "Ghi hoạt động")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ghi hoạt động")
    page.get_by_role("link", name=kind, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Truyền thông" if kind == COMMUNITY_TALK else kind)
    ready(page)


def open_talk_form(page):
    open_kind(page, COMMUNITY_TALK)
    expect(page.get_by_label("Hình thức").locator("option:checked")).to_have_text(COMMUNITY_TALK)


def log_talk(page, children):
    """Menu → kind → the number of children who came → "Lưu"."""
    open_talk_form(page)
    page.get_by_label("Bạo lực, xâm hại").check()  # a talk records what it was about
    page.get_by_label("Trẻ em", exact=True).fill(str(children))
    page.get_by_role("button", name="Lưu", exact=True).click()


def kept_client_ids(page) -> list[str]:
    return page.evaluate("SotayOutbox.everything().then(items => items.map(i => "
                         "i.fields.filter(f => f.name === 'client_id')[0].value))")


def activities(app) -> list[tuple]:
    with app.app_context():
        return [tuple(r) for r in db.session.execute(
            select(Activity.id, Activity.kind, Activity.channel, Activity.children, Activity.client_id,
                   Activity.created_by_id, Activity.version, Activity.updated_at).order_by(Activity.id))]


# --- (i) three talks offline, each by the menu -------------------------------------------------------------------

def test_i_three_talks_logged_offline_by_the_menu_are_saved_once_each(page, context, sign_in, users,
                                                                      this_years_plan, app):
    head = users["village_head_A"]
    signed_in(page, sign_in, head)
    open_talk_form(page)  # once with signal
    context.set_offline(True)
    numbers = (14, 27, 39)
    for n, children in enumerate(numbers, 1):
        log_talk(page, children)
        expect(page.locator("#offline-copy")).to_contain_text("Bản lưu ngoại tuyến lúc")  # the phone's copy
        expect(page.locator("#outbox-saved")).to_have_text(SAVED_ON_PHONE)
        expect(badge(page)).to_have_text(f"{n} chờ gửi")
    assert [i["status"] for i in stored(page)] == ["waiting"] * 3
    sent_ids = kept_client_ids(page)
    assert len(set(sent_ids)) == 3  # three entries, three records to be: never one id twice
    assert activities(app) == []

    context.set_offline(False)  # the `online` event: nothing for her to do
    expect(badge(page)).to_be_hidden()
    expect(page.locator("#outbox-all-sent")).to_have_text(ALL_SENT)
    expect(page.locator("#offline-copy")).to_have_count(0)
    assert stored(page) == []
    saved = activities(app)
    assert sorted(r[3] for r in saved) == sorted(numbers)
    assert all(r[1:3] == ("communication", "community_talk") and r[5] == head.id for r in saved)
    assert sorted(r[4] for r in saved) == sorted(sent_ids)


def test_i_back_to_the_form_after_a_save_and_a_send_lost_on_the_way_each_make_one_record(page, context, sign_in,
                                                                                         users, this_years_plan, app):
    """People go back: a talk saved online, the back button restores the form (from the browser's back-forward
    cache, with the id it had), a second talk is entered there; then the signal drops while a third is being sent.
    Three talks, three records, none taken for another."""
    head = users["village_head_A"]
    signed_in(page, sign_in, head)
    log_talk(page, 16)
    expect(page).to_have_url(re.compile(r"/activities/\d+$"))
    page.go_back()
    expect(page.get_by_label("Hình thức").locator("option:checked")).to_have_text(COMMUNITY_TALK)
    ready(page)
    page.get_by_label("Bạo lực, xâm hại").check()  # a talk records what it was about
    page.get_by_label("Trẻ em", exact=True).fill("23")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page).to_have_url(re.compile(r"/activities/\d+$"))
    # The third: the send is cut off on its way (the request never arrives), then the phone is offline.
    open_talk_form(page)
    page.route("**/activities/new/communication", lambda route: route.abort("connectionreset"))
    page.get_by_label("Bạo lực, xâm hại").check()  # a talk records what it was about
    page.get_by_label("Trẻ em", exact=True).fill("31")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("#outbox-saved")).to_have_text(SAVED_ON_PHONE)
    expect(badge(page)).to_have_text("1 chờ gửi")
    page.unroute("**/activities/new/communication")
    context.set_offline(True)
    context.set_offline(False)
    expect(badge(page)).to_be_hidden()
    assert sorted(r[3] for r in activities(app)) == [16, 23, 31]
    assert len({r[4] for r in activities(app)}) == 3


# --- (ii) the phone's copy of a form already used online ---------------------------------------------------------

def test_ii_a_form_kept_after_a_save_online_makes_a_new_record_offline(page, context, sign_in, users,
                                                                       this_years_plan, app):
    head = users["village_head_A"]
    signed_in(page, sign_in, head)
    open_talk_form(page)
    form_url = page.url
    # The worst case: talk X is saved online under the very client_id the server wrote into this page (as a form
    # posted before the page script ran would be), so the copy the phone keeps of this page carries X's id. (The
    # page script has put a fresh id into the input; the server's is read from the copy the worker kept of this
    # visit, the one kept after the working set.)
    kept_id = page.evaluate("""async (url) => {
        const warmed = (await SotayOutbox.getMeta('workingSet')).at, cache = await caches.open('sotay-pages');
        for (const end = Date.now() + 10000; Date.now() < end; await new Promise(r => setTimeout(r, 50))) {
            const hit = await cache.match(url);
            if (!hit || Date.parse(hit.headers.get('X-Sotay-Kept-At')) <= warmed) continue;
            return new DOMParser().parseFromString(await hit.text(), 'text/html')
                .querySelector('input[name=client_id]').getAttribute('value');
        }
    }""", form_url)
    assert kept_id and kept_id != page.locator("input[name=client_id]").input_value()
    page.evaluate("(id) => { document.querySelector('input[name=client_id]').value = id; }", kept_id)
    page.get_by_label("Bạo lực, xâm hại").check()  # a talk records what it was about
    page.get_by_label("Trẻ em", exact=True).fill("12")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page).to_have_url(re.compile(r"/activities/\d+$"))
    [x] = activities(app)
    assert x[3] == 12 and x[4] == kept_id

    context.set_offline(True)
    log_talk(page, 21)  # the kept copy of the form, opened by the menu
    expect(page.locator("#offline-copy")).to_contain_text("Bản lưu ngoại tuyến lúc")
    expect(page.locator("#outbox-saved")).to_have_text(SAVED_ON_PHONE)
    expect(badge(page)).to_have_text("1 chờ gửi")
    assert kept_client_ids(page) != [kept_id]  # the page shown from the phone's copy got an id of its own
    context.set_offline(False)
    expect(badge(page)).to_be_hidden()
    assert stored(page) == []
    rows = activities(app)
    assert len(rows) == 2
    assert rows[0] == x  # X unchanged: same children, client_id, version, time of change
    new = rows[1]
    assert new[1:4] == ("communication", "community_talk", 21) and new[5] == head.id and new[4] != x[4]


# --- (iii) a teacher at the water ---------------------------------------------------------------------------------

@pytest.fixture
def course(client, login_as, places, make_user, app):
    """A course of commune A running now, taught by a teacher (a collector), with ten children enrolled; the
    officer sets it up through the forms. Returns (teacher, course id)."""
    today = clock.today()
    return course_with_children(client, login_as, places, make_user, app, CHILDREN,
                                start_date=(today - timedelta(days=3)).isoformat(),
                                end_date=(today + timedelta(days=40)).isoformat())


def open_lesson_by_links(page):
    """Home → "Dạy bơi" → the course → lesson 1; returns the rows once htmx and the outbox have them."""
    home_link(page, "Dạy bơi")
    page.get_by_role("link", name=COURSE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(COURSE)
    page.get_by_role("link", name="1", exact=True).click()
    return lesson_rows(page)


def lesson_rows(page):
    expect(page.get_by_role("heading", level=1)).to_contain_text("Buổi 1")
    page.wait_for_function("() => document.body.dataset.outboxReady === '1' && "
                           f"document.querySelectorAll('form.taps[data-htmx-powered]').length === {CHILDREN}")
    rows = page.locator("form.taps")
    expect(rows).to_have_count(CHILDREN)
    return rows


def row(rows, i):
    return rows.filter(has=rows.page.get_by_role("button", name=f"Lò Thị Bơi {i:02d}", exact=True))


def button(rows, i, what):
    """The child's name ("who": present) or the number of a skill (1, 2, ...)."""
    if what == "who":
        return row(rows, i).locator("button.who")
    return row(rows, i).get_by_role("button", name=str(what), exact=True)


class Lesson:
    """What the teacher sees, tap by tap, by the same rules as the server: a name marks present or not; a skill
    marks it shown or not, and a skill shown marks the child present."""

    def __init__(self, rows):
        self.rows, self.present, self.shown, self.taps = rows, set(), set(), 0

    def tap(self, i, what):
        b = button(self.rows, i, what)
        if what == "who":
            on = i not in self.present
            self.present.symmetric_difference_update({i})
        else:
            on = (i, what) not in self.shown
            self.shown.symmetric_difference_update({(i, what)})
            if on:
                self.present.add(i)
        b.tap()
        expect(b).to_have_attribute("aria-pressed", "true" if on else "false")  # shown at once, before the next
        self.taps += 1

    def check_shown(self, rows):
        """Every button of every row is pressed exactly as tapped."""
        for i in range(CHILDREN):
            expect(button(rows, i, "who")).to_have_attribute("aria-pressed", str(i in self.present).lower())
            for n in range(1, 5):
                expect(button(rows, i, n)).to_have_attribute("aria-pressed", str((i, n) in self.shown).lower())


def seen(page) -> tuple[set[int], set[tuple[int, int]]]:
    """(children shown present, {(child, skill id) shown pressed}) as the page shows them."""
    state = page.evaluate("""() => Array.from(document.querySelectorAll('form.taps')).map(f => ({
        child: +f.querySelector('input[name=child_id]').value,
        present: f.querySelector('button.who').getAttribute('aria-pressed') === 'true',
        skills: Array.from(f.querySelectorAll('button[name=tap]:not(.who)'))
            .filter(b => b.getAttribute('aria-pressed') === 'true').map(b => +b.value.split(':')[1])}))""")
    return ({r["child"] for r in state if r["present"]},
            {(r["child"], s) for r in state for s in r["skills"]})


def on_server(app, course_id) -> tuple[int, set[int], set[tuple[int, int]]]:
    from webapp.swim.models import SwimCourse, SwimTap
    from webapp.swim.services import lesson_of, lesson_state

    with app.app_context():
        taps = db.session.scalar(select(func.count()).select_from(SwimTap))
        present, shown = lesson_state(lesson_of(db.session.get(SwimCourse, course_id), 1))
        return taps, present, shown


def test_iii_thirty_taps_at_the_water_with_corrections_end_as_the_teacher_saw_them(page, context, sign_in, course,
                                                                                  app):
    teacher, course_id = course
    signed_in(page, sign_in, teacher)
    rows = open_lesson_by_links(page)  # once with signal
    lesson = Lesson(rows)

    context.set_offline(True)
    for i in range(8):                # eight children arrive
        lesson.tap(i, "who")
    for i in range(5):                # five float on their back (skill 1)
        lesson.tap(i, 1)
    for i in range(3):                # three breathe (skill 2)
        lesson.tap(i, 2)
    lesson.tap(8, 1)                  # a child not marked present shows skill 1: present too
    lesson.tap(9, "who")
    assert lesson.taps == 18
    expect(badge(page)).to_have_text("18 chờ gửi")
    assert on_server(app, course_id) == (0, set(), set())

    # To the course page by its link and back to the lesson by its link: the phone's copies.
    page.get_by_role("link", name=f"‹ {COURSE}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(COURSE)
    expect(page.locator("#offline-copy")).to_contain_text("Bản lưu ngoại tuyến lúc")
    page.get_by_role("link", name="1", exact=True).click()
    rows = lesson_rows(page)
    expect(page.locator("#offline-copy")).to_contain_text("Bản lưu ngoại tuyến lúc")
    expect(badge(page)).to_have_text("18 chờ gửi")
    lesson.rows = rows
    lesson.check_shown(rows)  # every queued tap, in order
    expect(rows.filter(has=page.locator(".outbox-note"))).to_have_count(CHILDREN)
    for i in range(CHILDREN):
        expect(row(rows, i)).to_have_class(re.compile(r"\boutbox-waiting\b"))
        expect(row(rows, i).locator(".outbox-note")).to_have_text(TAP_KEPT)

    lesson.tap(1, 1)                  # correction: child 1 did not float after all
    lesson.tap(2, 2)                  # correction, and correcting the correction
    lesson.tap(2, 2)
    lesson.tap(7, "who")              # child 7 went home: not present
    for i in (3, 4, 5, 6):            # four swim 10 m (skill 4)
        lesson.tap(i, 4)
    lesson.tap(9, "who")              # tapped by mistake, then again
    lesson.tap(9, "who")
    lesson.tap(0, 3)
    lesson.tap(8, 1)                  # skill 1 of child 8 undone: still present
    assert lesson.taps == 30
    expect(badge(page)).to_have_text("30 chờ gửi")
    lesson.check_shown(rows)
    last_seen = seen(page)

    context.set_offline(False)  # the `online` event: nothing for her to do
    expect(badge(page)).to_be_hidden(timeout=30_000)
    expect(page.locator("#outbox-all-sent")).to_have_text(ALL_SENT)
    expect(page.locator("#offline-copy")).to_have_count(0)
    assert stored(page) == []
    taps, present, shown = on_server(app, course_id)
    assert taps == 30
    assert (present, shown) == last_seen
    child_ids = page.evaluate("Array.from(document.querySelectorAll('form.taps input[name=child_id]'))"
                              ".map(i => +i.value)")
    assert len(present) == 9 and present == {child_ids[i] for i in lesson.present}  # rows in name order: 00..09
    page.reload()
    expect(page.locator("form.taps")).to_have_count(CHILDREN)
    assert seen(page) == last_seen


# --- (iv) pages never opened online, open offline after sign-in --------------------------------------------------

NAMES = ["Vừ Thị Ly", "Giàng A Páo", "Sùng Thị Mỷ"]


@pytest.fixture
def forum(client, login_as, places):
    """A commune forum in ten days with three delegates of village A, each with the consents of the child and a
    parent; the officer sets it up through the forms."""
    login_as("officer_A")
    return forum_with_delegates(client, places["A"].id, places["village_A"].id, NAMES)


def test_iv_a_forum_check_in_never_opened_works_offline_after_sign_in(page, context, sign_in, users, forum, app):
    from webapp.forum.models import CheckIn, Delegate, Forum

    signed_in(page, sign_in, users["officer_A"])
    with app.app_context():
        theme = db.session.get(Forum, forum).theme
    context.set_offline(True)
    home_link(page, "Diễn đàn")
    expect(page.get_by_role("heading", level=1)).to_have_text("Diễn đàn trẻ em")
    page.get_by_role("link", name=theme, exact=True).first.click()
    expect(page.locator("#offline-copy")).to_contain_text("Bản lưu ngoại tuyến lúc")
    page.get_by_role("link", name="Điểm danh trong ngày", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Điểm danh")
    expect(page.locator("#offline-copy")).to_contain_text("Bản lưu ngoại tuyến lúc")
    page.wait_for_function("() => document.body.dataset.outboxReady === '1' && "
                           f"document.querySelectorAll('.checkin form[data-htmx-powered]').length === {len(NAMES)}")
    page.get_by_role("button", name=NAMES[1], exact=True).tap()
    li = page.locator(".checkin li", has=page.get_by_role("button", name=NAMES[1], exact=True))
    expect(li.locator(".outbox-note")).to_have_text(TAP_KEPT)
    expect(badge(page)).to_have_text("1 chờ gửi")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 0

    context.set_offline(False)
    expect(badge(page)).to_be_hidden()
    expect(li.locator(".outbox-note")).to_have_text("Đã gửi")
    with app.app_context():
        checked = [(delegate.child.full_name, delegate.forum_id) for delegate in
                   db.session.scalars(select(Delegate).join(CheckIn))]
    assert checked == [(NAMES[1], forum)]


def test_iv_a_lesson_never_opened_shows_its_children_offline_after_sign_in(page, context, sign_in, course, app):
    teacher, course_id = course
    signed_in(page, sign_in, teacher)
    context.set_offline(True)
    rows = open_lesson_by_links(page)  # the course page and the lesson: both first seen here, from the phone
    expect(page.locator("#offline-copy")).to_contain_text("Bản lưu ngoại tuyến lúc")
    lesson = Lesson(rows)
    lesson.check_shown(rows)  # ten children, nobody marked yet
    lesson.tap(3, "who")
    lesson.tap(5, 1)
    lesson.tap(3, "who")  # a correction: child 3 is not there after all
    expect(row(rows, 5).locator(".outbox-note")).to_have_text(TAP_KEPT)
    expect(badge(page)).to_have_text("3 chờ gửi")
    assert on_server(app, course_id) == (0, set(), set())
    last_seen = seen(page)

    context.set_offline(False)
    expect(badge(page)).to_be_hidden()
    taps, present, shown = on_server(app, course_id)
    assert taps == 3 and len(present) == 1 and len(shown) == 1
    assert (present, shown) == last_seen


def test_iv_the_month_of_action_form_never_opened_works_offline_after_sign_in(page, context, sign_in, users,
                                                                              this_years_plan, app):
    head = users["village_head_A"]
    signed_in(page, sign_in, head)
    context.set_offline(True)
    open_kind(page, "Tháng hành động vì trẻ em")
    expect(page.locator("#offline-copy")).to_contain_text("Bản lưu ngoại tuyến lúc")
    page.get_by_label("Sự kiện").select_option(label="Lễ phát động")
    page.get_by_label("Trẻ em", exact=True).fill("45")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("#outbox-saved")).to_have_text(SAVED_ON_PHONE)
    expect(badge(page)).to_have_text("1 chờ gửi")
    assert activities(app) == []

    context.set_offline(False)
    expect(badge(page)).to_be_hidden()
    [saved] = activities(app)
    assert saved[1] == "month_of_action" and saved[3] == 45 and saved[5] == head.id
