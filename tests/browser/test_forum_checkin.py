"""Check-in on the day with 150 names on a phone: one small request per tap, no page reload, the count follows."""

import gzip
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from webapp.accounts.models import User
from webapp.children.models import Child
from webapp.core import clock
from webapp.core.models import new_client_id
from webapp.extensions import db
from webapp.forum.models import CheckIn, Consent, Forum
from webapp.forum.services import add_delegate

pytestmark = pytest.mark.browser

DELEGATES = 150


@pytest.fixture
def big_forum(app, users, make_forum, make_child):
    """A commune forum with 150 delegates of village A, each with both consents to take part."""
    day = clock.today() + timedelta(days=3)
    forum_id = make_forum("A", day)
    children = [make_child(f"Vừ Thị Số {n:03d}", birth_year=day.year - 12, by="officer_A") for n in range(DELEGATES)]
    with app.app_context():
        forum, officer = db.session.get(Forum, forum_id), db.session.get(User, users["officer_A"].id)
        for child in db.session.scalars(select(Child).where(Child.id.in_(children))):
            delegate, _created = add_delegate(forum, child, "delegate", None, False, officer, new_client_id())
            for kind, relation in (("guardian", "mother"), ("child", "self")):
                db.session.add(Consent(delegate_id=delegate.id, unit_id=child.unit_id, kind=kind,
                                       given_by=child.full_name, relation=relation, given_on=clock.today(),
                                       method="in_person", participate=True, created_by_id=officer.id))
        db.session.commit()
    return forum_id


def test_each_tap_is_one_small_request_without_reload(page, sign_in, users, big_forum, app):
    sign_in(users["officer_A"].username, users["officer_A"].password)
    page.goto(f"/forum/{big_forum}/checkin")
    assert page.locator("button.tap").count() == DELEGATES
    assert len(gzip.compress(page.content().encode())) < 14_000  # one TCP initial window
    page.evaluate("window.notReloaded = true")
    requests = []
    page.on("request", lambda r: requests.append((r.method, r.url, r.resource_type)))
    for n in (0, 57, 149):
        before = len(requests)
        page.get_by_role("button", name=f"Vừ Thị Số {n:03d}").click()
        page.locator(".present", has_text=f"Vừ Thị Số {n:03d}").wait_for()
        tap_requests = requests[before:]
        assert len(tap_requests) == 1, tap_requests
        assert tap_requests[0][0] == "POST" and tap_requests[0][1].endswith(f"/forum/{big_forum}/checkin")
    assert page.evaluate("window.notReloaded") is True
    assert "3/150 em có mặt" in page.locator("#present-count").inner_text()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 3
