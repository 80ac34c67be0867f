"""The door of the forum without signal: the organiser opened the check-in list online, the network goes, she taps
eight names; each row says it waits, the badge counts them, and when the signal returns the eight check-ins reach
the server by themselves, each once. Sending the same taps again changes nothing."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.browser.test_offline_outbox import badge, stored, wait_for_worker
from tests.forum_helpers import forum_with_delegates
from webapp.extensions import db
from webapp.forum.models import CheckIn

pytestmark = pytest.mark.browser

NAMES = ["Vừ Thị Ly", "Giàng A Páo", "Sùng Thị Mỷ", "Lù Văn Sinh", "Thào Thị Dua", "Hầu A Lử", "Lý Thị Sa",
         "Vàng A Chứ", "Mùa Thị Pàng", "Sình A Tủa"]
KEPT = "Đã lưu trên điện thoại, chờ gửi"


@pytest.fixture
def forum(client, login_as, places):
    """A commune forum with ten delegates of village A, each with the consents of the child and a parent; the
    officer sets it up through the forms."""
    login_as("officer_A")
    return forum_with_delegates(client, places["A"].id, places["village_A"].id, NAMES)


def checkins(app) -> list[tuple[int, int]]:
    """(delegate, how many check-ins) for each delegate checked in."""
    with app.app_context():
        return db.session.execute(select(CheckIn.delegate_id, func.count()).group_by(CheckIn.delegate_id)).all()


def test_eight_check_ins_made_offline_reach_the_server_once(page, context, sign_in, users, forum, app):
    sign_in(users["officer_A"].username, users["officer_A"].password)
    page.goto(f"/forum/{forum}/checkin")
    wait_for_worker(page)
    page.wait_for_function("() => document.body.dataset.outboxReady === '1' && "
                           "document.querySelectorAll('.checkin form[data-htmx-powered]').length === 10")
    expect(page.locator("#present-count")).to_contain_text("0/10 em có mặt")

    context.set_offline(True)
    for name in NAMES[:8]:
        page.get_by_role("button", name=name, exact=True).tap()
        row = page.locator(".checkin li", has=page.get_by_role("button", name=name, exact=True))
        expect(row.locator(".outbox-note")).to_have_text(KEPT)
    expect(badge(page)).to_have_text("8 chờ gửi")
    for name in NAMES[8:]:
        expect(page.locator(".checkin li", has=page.get_by_role("button", name=name, exact=True))
               .locator(".outbox-note")).to_have_count(0)
    items = stored(page)
    assert len(items) == 8 and len({i["id"] for i in items}) == 8
    assert checkins(app) == []
    page.evaluate("SotayOutbox.everything().then(items => { window.kept = items; })")  # to send them again later

    context.set_offline(False)  # the `online` event: nothing more to tap
    expect(badge(page)).to_be_hidden(timeout=30_000)
    assert stored(page) == []
    expect(page.locator(".checkin .outbox-note", has_text="Đã gửi")).to_have_count(8)
    done = checkins(app)
    assert len(done) == 8 and all(times == 1 for _delegate, times in done)

    # The same eight taps arrive again (a retry after a lost answer, another tab): still eight check-ins.
    answers = page.evaluate("""async () => {
        const s = await SotayOutbox.session();
        const answers = [];
        for (const item of window.kept) answers.push((await SotayOutbox.send(item, s.token, 'replay')).status);
        return answers;
    }""")
    assert answers == ["saved"] * 8
    assert checkins(app) == done

    page.reload()
    expect(page.locator(".checkin .present")).to_have_count(8)
    expect(page.locator("#present-count")).to_contain_text("8/10 em có mặt")
