"""A teacher records a 40-child lesson on a phone: one tap per child present and one per skill shown, each tap one
small POST, and the page never reloads."""

import uuid

import pytest
from sqlalchemy import func, select

from webapp.accounts.models import User
from webapp.children.services import build_child
from webapp.core import clock
from webapp.extensions import db
from webapp.geo.models import Unit
from webapp.swim.models import SwimAttendance, SwimCourse, SwimEnrolment, SwimSkillShown, SwimTap
from webapp.swim.services import default_skills

pytestmark = pytest.mark.browser


@pytest.fixture
def course_of_40(app, places, make_user):
    teacher = make_user("collector", places["A"].id, "giaovien.lan")
    with app.app_context():
        user = db.session.get(User, teacher.id)

        course = SwimCourse(unit_id=places["A"].id, name="Lớp bơi hè", place_kind="water_point",
                            place_name="Suối Nậm Chảy", start_date=clock.today(), test_definition="Bơi 25 m",
                            skills=default_skills(), teachers=[user], client_id=str(uuid.uuid4()))
        db.session.add(course)
        village = db.session.get(Unit, places["village_A"].id)
        for i in range(40):
            child = build_child({"full_name": f"Học Sinh {i:02d}", "birth_year": 2016, "sex": "FM"[i % 2]},
                                village, may_set_groups=False)
            db.session.add(child)
            db.session.flush()
            db.session.add(SwimEnrolment(course=course, child_id=child.id, unit_id=course.unit_id,
                                         client_id=str(uuid.uuid4())))
        db.session.commit()
        return teacher, course.id


def test_forty_children_one_tap_each_without_reload(page, sign_in, course_of_40, app):
    teacher, course_id = course_of_40
    sign_in(teacher.username, teacher.password)
    page.goto(f"/swim/{course_id}/lessons/1")
    page.wait_for_load_state("networkidle")
    posts, documents = [], []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.on("request", lambda r: documents.append(r.url) if r.resource_type == "document" else None)
    page.evaluate("window.sameDocument = true")  # a reload would lose it
    rows = page.locator("form.taps")
    assert rows.count() == 40
    for i in range(40):
        rows.nth(i).locator("button.who").tap()
    for i in range(10):  # ten children float: one tap each on skill 2
        rows.nth(i).get_by_role("button", name="2", exact=True).tap()
    rows.nth(0).locator("button.who").tap()  # a slip of the finger, undone at once
    rows.nth(0).locator("button.who").tap()
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    assert documents == [] and page.evaluate("window.sameDocument === true")
    assert len(posts) == 52
    assert rows.nth(0).locator("button.who").get_attribute("aria-pressed") == "true"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SwimTap)) == 52
        assert db.session.scalar(select(func.count()).select_from(SwimAttendance)) == 40
        assert db.session.scalar(select(func.count()).select_from(SwimSkillShown)) == 10
    page.reload()
    assert page.locator("form.taps button.who[aria-pressed=true]").count() == 40
