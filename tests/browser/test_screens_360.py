"""Every screen fits a 360 px phone, for every role, in Vietnamese and in English: nothing wider than the screen,
no text under 14 px, every tap target at least 44×44 px.

Each role signs in and opens its home, every page its home and menu link to, and every page those link to (lists,
their filters, details, forms), plus the pages only reached deeper (a swim lesson with its skill buttons, a talk's
form with its topic chips, the report page). The pages hold data: activities of every status, children, gifts with
a flagged second receipt, a fund, a forum with delegates, a swim course running today.

What is checked on each page, in the page itself (JavaScript), and reported all at once for the role:
- `document.scrollingElement.scrollWidth` ≤ 360, naming the outermost elements that stick out (an element inside
  a container that scrolls or clips sideways does not widen the page, and is not named);
- the computed font size of the element around every visible text node ≥ 14 px; no exceptions;
- every visible link, button, input, select, textarea and summary ≥ 44×44 px; a checkbox or radio wrapped in its
  label is measured by its label (the label is what a finger taps). No exception for links either: a link in a
  line of text is as tall as any other (the stylesheet makes every link in `main` 44 px high), and a back link is
  never running text.
"""

import os
import re
import uuid
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.browser.conftest import PHONE
from tests.conftest import PASSWORD
from tests.forum_helpers import both_consents, delegate_id, plan_forum, register_child

pytestmark = pytest.mark.browser

WIDTH = PHONE["width"]
SKIP = ("/logout", "/static/", "/sw.js", "/manifest", "/offline", ".docx", ".xlsx", ".csv", "/photo", "/export",
        "/download", "/print", "/badges", "/certificates", "/sheet")
MAX_PAGES = 90
PER_KIND = 2

CHECK = """() => {
  const W = __WIDTH__, MIN_FONT = 14, MIN_TAP = 44, out = [];
  const name = el => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (el.classList.length) s += '.' + [...el.classList].join('.');
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ');
    return s + (text ? ' "' + text.slice(0, 40) + '"' : '');
  };
  const shown = el => el.checkVisibility({visibilityProperty: true, opacityProperty: false})
    && el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height > 0;
  const clipped = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
    }
    return false;
  };
  const width = document.scrollingElement.scrollWidth;
  if (width > W) {
    out.push('page is ' + width + ' px wide');
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect(), up = el.parentElement.getBoundingClientRect();
      // the outermost that sticks out; a fixed bar only follows the page's width, it does not make it
      if (r.right > W + 0.5 && up.right <= W + 0.5 && shown(el) && !clipped(el)
          && getComputedStyle(el).position !== 'fixed')
        out.push('wider than the screen (right edge ' + Math.round(r.right) + ' px): ' + name(el));
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const small = new Map();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(el.tagName)) continue;
    if (!shown(el)) continue;
    const range = document.createRange(); range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < MIN_FONT - 0.01) small.set(el, size);
  }
  for (const [el, size] of small) out.push('text of ' + size.toFixed(1) + ' px: ' + name(el));
  const seen = new Set();
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary')) {
    if (el.type === 'hidden' || !shown(el)) continue;
    let target = el;
    if ((el.type === 'checkbox' || el.type === 'radio') && el.closest('label')) target = el.closest('label');
    if (seen.has(target)) continue;
    seen.add(target);
    const r = target.getBoundingClientRect();
    if (r.width < MIN_TAP - 0.5 || r.height < MIN_TAP - 0.5)
      out.push('tap target ' + Math.round(r.width) + '×' + Math.round(r.height) + ' px: ' + name(target));
  }
  return out;
}""".replace("__WIDTH__", str(WIDTH))


@pytest.fixture
def lived_in(app, places, users, make_user, new_client):
    """A commune's year so far, made as its people make it (forms through the HTTP client where quick, models where
    the form is not what is tested): activities of every status in commune A (and some in B), three children, two
    gift distributions of one round (a child twice: a flagged second receipt), a donation to the fund, a forum in
    ten days with delegates, a swim course running today with its class and a recorded lesson."""
    from tests.test_fund_ledger import donate
    from tests.test_gifts_distributions import gift
    from webapp.accounts.models import User
    from webapp.activities.models import Activity
    from webapp.core import clock
    from webapp.extensions import db
    from webapp.geo.models import Unit
    from webapp.plans.models import Plan
    from webapp.plans.services import copy_plan, load_plan_2023
    from webapp.swim.models import SwimCourse, SwimEnrolment
    from webapp.swim.services import default_skills

    today = clock.today()
    teacher = make_user("collector", places["A"].id, "giaovien.a", "Lù Thị Hương")
    with app.app_context():
        plan, _ = load_plan_2023(db.session.get(Unit, places["province"].id))
        if plan.year != today.year:
            plan = copy_plan(plan, today.year, db.session.get(User, users["admin"].id))
            db.session.add(plan)
            db.session.flush()
        plan_id = db.session.scalar(select(Plan.id).where(Plan.year == today.year))
        head, officer = users["village_head_A"].id, users["officer_A"].id
        for kind, unit, status, author, extra in [
            ("communication", "village_A", "submitted", head, {"channel": "school_talk"}),
            ("communication", "village_A", "submitted", head, {"channel": "community_talk"}),
            ("training", "A", "submitted", officer, {}),
            ("communication", "village_A", "returned", head,
             {"channel": "community_talk", "review_comment": "Thiếu số người nghe theo giới tính."}),
            ("recreation", "village_A", "draft", head, {}),
            ("training", "A", "approved", officer, {}),
            ("communication", "village_B", "submitted", users["collector_B"].id, {"channel": "school_talk"}),
        ]:
            db.session.add(Activity(kind=kind, plan_id=plan_id, unit_id=places[unit].id, date=today - timedelta(3),
                                    audience_total=40, status=status, created_by_id=author,
                                    client_id=str(uuid.uuid4()), **extra))
        db.session.commit()

    officer = new_client()
    assert officer.login(users["officer_A"].username).status_code == 303
    children = [register_child(officer, places["village_A"].id, name, age)
                for name, age in (("Giàng Thị Mai", 9), ("Sùng Seo Páo", 11), ("Vàng Văn Sáng", 13))]
    new_gift = (f"/gifts/new?village={places['village_A'].id}&occasion=mid_autumn&year={today.year}")
    for ticked in (children, children[:1]):  # the first child twice in the round: flagged
        data = gift(places, ticked, year=str(today.year), given_on=today.isoformat())
        assert officer.submit(new_gift, data).status_code == 303
    assert donate(officer, places["A"].id, given_on=today.isoformat()).status_code == 303
    forum_id = plan_forum(officer, places["A"].id, today + timedelta(days=10))
    both_consents(officer, delegate_id(officer, forum_id, children[2]))
    # A report about a child (Báo tin về trẻ em) in danger, by the village head, verified by the officer.
    head_client = new_client()
    assert head_client.login(users["village_head_A"].username).status_code == 303
    assert head_client.submit("/concerns/new", {
        "what": "Trẻ bị đánh nhiều lần, trên tay có vết bầm", "happened_on": today.isoformat(),
        "village_id": str(places["village_A"].id), "kind": "violence", "in_danger": "yes",
        "child_id": str(children[0]), "reporter_name": "Giàng Thị Nhung"}).status_code == 303
    from webapp.concerns.models import Concern

    with app.app_context():
        concern_id = db.session.scalar(select(Concern.id))
    assert officer.submit(f"/concerns/{concern_id}/steps/verify", {
        "outcome": "true", "done_on": today.isoformat(), "done_by": "Lý Thị Mai"}).status_code == 303

    with app.app_context():
        course = SwimCourse(unit_id=places["A"].id, name="Lớp học bơi hè", place_kind="water_point",
                            place_name="Suối Nậm Chảy", start_date=today, test_definition="Bơi 25 m",
                            skills=default_skills(), teachers=[db.session.get(User, teacher.id)],
                            client_id=str(uuid.uuid4()))
        db.session.add(course)
        db.session.flush()
        for child in children:
            db.session.add(SwimEnrolment(course_id=course.id, child_id=child, unit_id=course.unit_id,
                                         client_id=str(uuid.uuid4())))
        db.session.commit()
        return {"teacher": teacher, "course": course.id, "forum": forum_id, "plan": plan_id, "concern": concern_id}


def _extra_pages(role: str, lived_in, places) -> list[str]:
    """Pages a crawl two links deep may not reach."""
    pages = []
    if role in ("officer_A", "village_head_A", "teacher", "organiser"):
        pages += ["/activities/new/communication?channel=school_talk", "/activities/?status=submitted"]
    if role == "teacher":
        pages += [f"/swim/{lived_in['course']}/lessons/1", f"/swim/{lived_in['course']}/lessons/2"]
    if role == "officer_A":
        pages += [f"/swim/{lived_in['course']}/lessons/1", f"/forum/{lived_in['forum']}/checkin"]
        pages += [f"/concerns/{lived_in['concern']}", f"/concerns/{lived_in['concern']}/steps/refer",
                  "/concerns/new?q=giang", "/concerns/?show=all"]
    if role in ("village_head_A", "organiser"):
        pages += ["/concerns/new?q=giang", "/concerns/sent?at=202601010800"]
    return pages


def _sign_in(context, username: str):
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Tên đăng nhập hoặc số điện thoại").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    return page


def _to_english(page):
    page.goto("/account")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == "en"


def _links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]:not([download])", "els => els.map(a => a.href)")
    found = []
    for href in hrefs:
        href = href.split("#")[0]
        if href.startswith(base) and not any(s in href for s in SKIP):
            found.append(href[len(base):] or "/")
    return found


def _kind(url: str) -> str:
    """Pages of one kind differ by their ids only: /reports/4/units/17 and /reports/4/units/18 are one kind."""
    return re.sub(r"\d+", "N", url)


def _sweep(page, base: str, start: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """Open home, what it links to and what those link to (and `start`), at most PER_KIND pages of a kind; check
    each page; return what was opened and the offenders of each page."""
    opened, offenders, queue = [], {}, [("/", 0)] + [(url, 1) for url in start]
    seen, kinds = {url for url, _depth in queue}, Counter(_kind(url) for url, _depth in queue)
    while queue and len(opened) < MAX_PAGES:
        url, depth = queue.pop(0)
        response = page.goto(url)
        if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        opened.append(url)  # goto waits for "load": the styles are applied; no page loads more by htmx on its own
        if found := page.evaluate(CHECK):
            offenders[url] = found
        if depth < 2:
            for link in _links(page, base):
                if link not in seen and kinds[_kind(link)] < PER_KIND:
                    seen.add(link)
                    kinds[_kind(link)] += 1
                    queue.append((link, depth + 1))
    return opened, offenders


ROLES = {  # who signs in: the users fixture's key, or the teacher the data makes
    "village_head_A": "truongthon.a", "teacher": "giaovien.a", "organiser": "thuthap.a",
    "officer_A": "canbo.a", "admin": "quantri", "viewer": "lanhdao",
}


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_of_every_role_fits_a_360_px_phone(role, language, browser, live_server, lived_in, places):
    context = browser.new_context(base_url=live_server, viewport=PHONE, locale="vi-VN", is_mobile=True,
                                  has_touch=True, service_workers="block")
    context.set_default_timeout(15_000)
    try:
        page = _sign_in(context, ROLES[role])
        if language == "en":
            _to_english(page)
        opened, offenders = _sweep(page, live_server, _extra_pages(role, lived_in, places))
        if shots := os.environ.get("SOTAY_SHOTS"):  # a folder: each role's home and main lists as seen, to look at
            for url in ["/"] + [u for u in opened if u in ("/activities/", "/gifts/", "/swim/")] \
                    + [u for u in opened if re.fullmatch(r"/reports/\d+/units/\d+", u)][:1]:
                page.goto(url)
                name = re.sub(r"\W+", "-", url).strip("-") or "home"
                page.screenshot(path=os.path.join(shots, f"{role}-{language}-{name}.png"), full_page=True)
    finally:
        context.close()
    assert "/" in opened and len(opened) >= 8, opened
    report = "\n".join(f"{url}\n  " + "\n  ".join(found) for url, found in offenders.items())
    assert not offenders, f"{len(offenders)} of {len(opened)} pages do not fit a 360 px phone:\n{report}"


def test_the_check_names_what_does_not_fit(browser, live_server, users):
    """The check itself: a page with a too small text, a too small link, a too wide table and a checkbox in a small
    label is reported on each; the same page without them is not."""
    context = browser.new_context(base_url=live_server, viewport=PHONE, locale="vi-VN", is_mobile=True,
                                  has_touch=True, service_workers="block")
    try:
        page = _sign_in(context, ROLES["officer_A"])
        assert page.evaluate(CHECK) == []
        page.evaluate("""() => {
          const main = document.querySelector('main');
          main.insertAdjacentHTML('beforeend', '<p id="t1">nhỏ</p><nav><a id="t2" href="/x">‹ Quay lại</a></nav>'
            + '<table><tr><td id="t3">rộng</td></tr></table><label id="t4"><input type="checkbox"> có</label>');
          // styles set through the CSSOM: the app's Content-Security-Policy ignores style attributes
          document.getElementById('t1').style.fontSize = '12px';
          for (const id of ['t2', 't4']) Object.assign(document.getElementById(id).style,
            {display: 'inline', minHeight: '0', fontSize: '16px', lineHeight: '1'});
          document.getElementById('t3').style.minWidth = '500px';
        }""")
        found = "\n".join(page.evaluate(CHECK))
    finally:
        context.close()
    assert "page is " in found and "wider than the screen" in found and "table" in found
    assert 'text of 12.0 px: p#t1 "nhỏ"' in found
    assert 'a#t2 "‹ Quay lại"' in found and 'label#t4 "có"' in found
