"""Swim courses as teachers and officers use them: a course from enrolment to test, taps replayed once, privacy."""

import functools
import re
from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import hidden_fields
from webapp.children.models import Child
from webapp.core import clock
from webapp.core.audit import AuditLog
from webapp.extensions import db
from webapp.swim.models import SwimAttendance, SwimCourse, SwimEnrolment, SwimSkill, SwimSkillShown, SwimTap


def course_data(places, **overrides) -> dict:
    data = {"name": "Lớp bơi hè Lùng Cẩu", "unit_id": str(places["A"].id), "school": "Trường Tiểu học Lùng Cẩu",
            "place_kind": "water_point", "place_name": "Bến suối Nậm Chảy", "start_date": "2026-06-01",
            "end_date": "2026-07-15"}
    data.update(overrides)
    return data


@pytest.fixture
def teacher(make_user, places):
    return make_user("collector", places["A"].id, "giaovien.a", "Hoàng Thị Lan")


@pytest.fixture
def make_course(client, places):
    """Create a course through the form as the signed-in user; returns its id."""

    def make(**overrides) -> int:
        response = client.submit("/swim/new", course_data(places, **overrides))
        assert response.status_code == 303, response.get_data(as_text=True)
        return int(re.search(r"/swim/(\d+)$", response.headers["Location"]).group(1))

    return make


@pytest.fixture
def make_child(make_child):
    """conftest's factory, for a pupil: born in 2016, Mông (08), of village A unless told."""
    return functools.partial(make_child, birth_year=2016, ethnicity="08")


def enrol(client, course_id: int, child_id: int):
    page = client.get(f"/swim/{course_id}/enrol").get_data(as_text=True)
    fields = hidden_fields(page)
    return client.post(f"/swim/{course_id}/enrol", data={**fields, "child_id": str(child_id)})


def tap(client, course_id: int, number: int, child_id: int, value: str, client_id: str | None = None,
        day: str = "2026-06-01", headers=None):
    """One tap as the lesson page sends it: the row's hidden fields plus the button's value."""
    page = client.get(f"/swim/{course_id}/lessons/{number}").get_data(as_text=True)
    row = rf'<form class="taps"(?:(?!</form>).)*?name="child_id" value="{child_id}".*?</form>'
    form = re.search(row, page, re.S).group(0)
    fields = hidden_fields(form)
    fields.update({"tap": value, "date": day})
    if client_id:
        fields["client_id"] = client_id
    return client.post(f"/swim/{course_id}/lessons/{number}/tap", data=fields, headers=headers or {})


def skill_id(app, course_id: int, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(SwimSkill.id).where(SwimSkill.course_id == course_id, SwimSkill.code == code))


def test_a_course_from_enrolment_to_test(client, login_as, make_course, make_child, app, teacher, users):
    login_as("officer_A")
    course_id = make_course(teacher_ids=str(teacher.id))
    an, binh = make_child("Giàng Thị An"), make_child("Lù Văn Bình", sex="M")
    assert enrol(client, course_id, an).status_code == 303
    assert enrol(client, course_id, binh).status_code == 303
    with app.app_context():
        course = db.session.get(SwimCourse, course_id)
        assert course.lesson_count == 16 and len(course.skills) == 9
        assert [t.username for t in course.teachers] == ["giaovien.a"]
    # Lesson 1: both present, An floats.
    float_id = skill_id(app, course_id, "float")
    assert tap(client, course_id, 1, an, "present:1").status_code == 303
    assert tap(client, course_id, 1, binh, "present:1").status_code == 303
    assert tap(client, course_id, 1, an, f"skill:{float_id}:1").status_code == 303
    # Lesson 16, the test: An swims 25 m and passes, Bình does not yet.
    assert tap(client, course_id, 16, an, f"skill:{skill_id(app, course_id, 'swim_25m')}:1",
               day="2026-07-15").status_code == 303
    assert tap(client, course_id, 16, an, "result:pass", day="2026-07-15").status_code == 303
    assert tap(client, course_id, 16, binh, "result:fail", day="2026-07-15").status_code == 303
    with app.app_context():
        a = db.session.scalar(select(SwimEnrolment).where(SwimEnrolment.child_id == an))
        b = db.session.scalar(select(SwimEnrolment).where(SwimEnrolment.child_id == binh))
        assert (a.passed, a.tested_on, a.test_definition) == (True, date(2026, 7, 15),
                                                              "Bơi được 25 m và đứng nước 30 giây")
        assert b.passed is False
    page = client.get(f"/swim/{course_id}").get_data(as_text=True)
    progress = re.search(r'<table class="list" id="progress">.*?</table>', page, re.S).group(0)
    assert re.search(r"Giàng Thị An</td><td>2</td><td>2/9</td>\s*<td>đạt", progress)
    assert re.search(r"Lù Văn Bình</td><td>2</td><td>0/9</td>\s*<td>chưa đạt", progress)
    completion = re.search(r'id="completion">.*?</table>', page, re.S).group(0)
    assert "<td>Nữ</td><td>1</td><td>1</td><td>1</td><td>1</td>" in completion
    assert "<td>Nam</td><td>1</td><td>1</td><td>1</td><td>0</td>" in completion
    assert "<td>Mông</td><td>2</td><td>2</td><td>2</td><td>1</td>" in completion
    certificates = client.get(f"/swim/{course_id}/certificates").get_data(as_text=True)
    assert "Giàng Thị An" in certificates and "Lù Văn Bình" not in certificates
    assert "Hoàng Thị Lan" in certificates and "01/06/2026" in certificates and "15/07/2026" in certificates
    with app.app_context():
        assert db.session.scalar(select(AuditLog).where(AuditLog.action == "export",
                                                         AuditLog.object_type == "SwimCourse")) is not None


def test_a_lesson_replayed_with_the_same_client_ids_is_counted_once(client, login_as, make_course, make_child, app,
                                                                   count):
    login_as("officer_A")
    course_id = make_course()
    children = [make_child(f"Thào Thị Mỷ {i}") for i in range(3)]
    for c in children:
        enrol(client, course_id, c)
    breathing = skill_id(app, course_id, "breathing")
    taps = [(c, "present:1", f"00000000-0000-4000-8000-00000000000{i}") for i, c in enumerate(children)]
    taps.append((children[0], f"skill:{breathing}:1", "00000000-0000-4000-8000-0000000000a1"))
    taps.append((children[1], "present:0", "00000000-0000-4000-8000-0000000000a2"))  # a tap undone
    for _round in range(2):  # the outbox sends everything again
        for child, value, cid in taps:
            response = tap(client, course_id, 2, child, value, client_id=cid, headers={"HX-Request": "true"})
            assert response.status_code == 204
    assert count(SwimTap) == 5
    with app.app_context():
        present = set(db.session.scalars(select(SwimAttendance.child_id)))
        assert present == {children[0], children[2]}
        assert count(SwimSkillShown) == 1


def test_a_tap_that_cannot_be_read_is_refused(client, login_as, make_course, make_child, count):
    login_as("officer_A")
    course_id = make_course()
    child = make_child("Vàng Thị Dung")
    enrol(client, course_id, child)
    assert tap(client, course_id, 1, child, "skill:999999:1").status_code == 422
    assert tap(client, course_id, 1, child, "result:pass").status_code == 422  # not the test lesson
    assert count(SwimTap) == 0
    stranger = make_child("Sùng Văn Lử", village="village_B")
    page = client.get(f"/swim/{course_id}/lessons/1").get_data(as_text=True)
    form = re.search(r'<form class="taps".*?</form>', page, re.S).group(0)
    fields = {**hidden_fields(form), "child_id": str(stranger), "tap": "present:1"}
    assert client.post(f"/swim/{course_id}/lessons/1/tap", data=fields).status_code == 404


def test_a_teacher_sees_only_the_children_of_her_own_courses(client, login_as, make_course, make_child, app, teacher,
                                                             users, new_client):
    login_as("officer_A")
    hers = make_course(name="Lớp của cô Lan", teacher_ids=str(teacher.id))
    other = make_course(name="Lớp khác")
    enrol(client, hers, make_child("Giàng Thị Hoa"))
    enrol(client, other, make_child("Lò Văn Khánh"))
    phone = new_client()
    assert phone.login(teacher.username).status_code == 303
    listing = phone.get("/swim/").get_data(as_text=True)
    assert "Lớp của cô Lan" in listing and "Lớp khác" not in listing
    assert "Giàng Thị Hoa" in phone.get(f"/swim/{hers}").get_data(as_text=True)
    assert phone.get(f"/swim/{other}").status_code == 404
    assert phone.get(f"/swim/{other}/lessons/1").status_code == 404
    assert phone.get(f"/swim/{other}/certificates").status_code == 404
    # Another commune's officer does not find the course; a viewer may not open courses; teachers may not
    # change the programme.
    b = new_client()
    b.login(users["officer_B"].username)
    assert b.get(f"/swim/{hers}").status_code == 404
    v = new_client()
    v.login(users["viewer"].username)
    assert v.get("/swim/").status_code == 403
    assert phone.get(f"/swim/{hers}/programme").status_code == 403


def test_a_teacher_who_starts_a_course_teaches_it(client, login_as, make_course, app, users):
    login_as("collector_A")
    course_id = make_course()
    with app.app_context():
        assert [t.username for t in db.session.get(SwimCourse, course_id).teachers] == ["thuthap.a"]


def test_a_course_with_bad_input_is_refused_next_to_the_field_and_kept(client, login_as, places, count):
    login_as("officer_A")
    response = client.submit("/swim/new", course_data(places, place_name="", end_date="2026-05-01"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="place_name-error"' in page and 'id="end_date-error"' in page
    assert 'value="Lớp bơi hè Lùng Cẩu"' in page
    assert count(SwimCourse) == 0


def test_a_replayed_course_is_saved_once(client, login_as, places, count):
    login_as("officer_A")
    fields = {**hidden_fields(client.get("/swim/new").get_data(as_text=True)), **course_data(places)}
    first, second = client.post("/swim/new", data=fields), client.post("/swim/new", data=fields)
    assert first.headers["Location"] == second.headers["Location"]
    assert count(SwimCourse) == 1


def test_quick_add_creates_the_child_in_the_register_once(client, login_as, make_course, places, app, count):
    login_as("officer_A")
    course_id = make_course()
    data = {"full_name": "Ma Thị Pà", "sex": "F", "ethnicity": "08", "birth_year": "2017",
            "village_id": str(places["village_A"].id),
            "consent_by": "Ma Văn Sáng", "consent_relation": "father", "consent_method": "paper",
            "consent_on": clock.today().isoformat(), "consent_child": "y"}
    fields = {**hidden_fields(client.get(f"/swim/{course_id}/enrol").get_data(as_text=True)), **data}
    assert client.post(f"/swim/{course_id}/quick-add", data=fields).status_code == 303
    assert client.post(f"/swim/{course_id}/quick-add", data=fields).status_code == 303
    assert count(Child, full_name="Ma Thị Pà") == 1 and count(SwimEnrolment) == 1
    # The quick-add asks the ethnicity as the register does: the course counts her as Mông, not "not known".
    assert count(Child, full_name="Ma Thị Pà", ethnicity="08") == 1
    detail = client.get(f"/swim/{course_id}").get_data(as_text=True)
    assert "<td>Mông</td>" in detail and "Chưa rõ dân tộc" not in detail
    bad = client.submit(f"/swim/{course_id}/enrol", {**data, "birth_year": "1990", "full_name": "Ma Văn Súa"},
                        action=f"/swim/{course_id}/quick-add")
    assert bad.status_code == 422
    assert 'id="birth_year-error"' in bad.get_data(as_text=True) and 'value="Ma Văn Súa"' in bad.get_data(as_text=True)


def test_officer_changes_the_programme_and_skills(client, login_as, make_course, app):
    login_as("officer_A")
    course_id = make_course()
    page = client.get(f"/swim/{course_id}/programme").get_data(as_text=True)
    assert "Bơi được 25 m" in page
    with app.app_context():
        labels = [s.label for s in db.session.get(SwimCourse, course_id).skills]
    lines = "\n".join(labels[:5] + ["Nhảy xuống nước an toàn"])
    response = client.submit(f"/swim/{course_id}/programme",
                             {"lesson_count": "10", "lesson_minutes": "60", "test_definition": "Bơi 50 m",
                              "skills": lines})
    assert response.status_code == 303
    with app.app_context():
        course = db.session.get(SwimCourse, course_id)
        assert course.lesson_count == 10 and course.test_definition == "Bơi 50 m" and course.version == 2
        assert [s.code for s in course.skills] == ["at_ease", "float", "breathing", "swim_10m", "swim_25m", None]
        assert course.skills[-1].name == "Nhảy xuống nước an toàn"
    assert client.get(f"/swim/{course_id}/lessons/11").status_code == 404
    bad = client.submit(f"/swim/{course_id}/programme", {"lesson_count": "0", "skills": "x"})
    assert bad.status_code == 422 and 'id="lesson_count-error"' in bad.get_data(as_text=True)


def test_enrolling_through_htmx_answers_the_row(client, login_as, make_course, make_child, count):
    login_as("officer_A")
    course_id = make_course()
    child = make_child("Giàng A Páo", sex="M")
    fields = hidden_fields(client.get(f"/swim/{course_id}/enrol").get_data(as_text=True))
    response = client.post(f"/swim/{course_id}/enrol", data={**fields, "child_id": str(child)},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith("<li") and "Giàng A Páo" in body and "Đã ghi danh" in body
    assert count(SwimEnrolment) == 1


def test_lesson_page_fits_one_network_window_for_40_children(client, login_as, make_course, make_child):
    import gzip

    login_as("officer_A")
    course_id = make_course()
    for i in range(40):
        enrol(client, course_id, make_child(f"Nguyễn Thị Học Sinh {i}"))
    page = client.get(f"/swim/{course_id}/lessons/16").get_data()
    assert page.count(b'<form class="taps"') == 40
    assert len(gzip.compress(page)) < 14 * 1024


def test_merging_two_records_of_a_child_in_the_same_course_keeps_one_enrolment(client, login_as, make_course,
                                                                              make_child, app, count):
    login_as("officer_A")
    course_id = make_course()
    kept, duplicate = make_child("Giàng Thị Mai"), make_child("Giang Thi Mai")
    for c in (kept, duplicate):
        enrol(client, course_id, c)
        tap(client, course_id, 1, c, "present:1")
    page = client.get(f"/children/{duplicate}").get_data(as_text=True)
    fields = hidden_fields(page)
    response = client.post(f"/children/{duplicate}/merge", data={**fields, "into_id": str(kept)})
    assert response.status_code == 303
    assert count(SwimEnrolment, course_id=course_id) == 1 and count(SwimEnrolment, child_id=kept) == 1
    assert count(SwimAttendance, child_id=kept) == 1 and count(SwimAttendance, child_id=duplicate) == 0


def course_with_children(client, login_as, places, make_user, app, n: int = 10, **dates) -> tuple:
    """A course of commune A taught by a new teacher (a collector), with `n` children of village A ("Lò Thị Bơi 00",
    ...) enrolled; the officer sets it up through the forms. Returns (teacher, course id)."""
    from webapp.children.services import build_child
    from webapp.extensions import db
    from webapp.geo.models import Unit

    teacher = make_user("collector", places["A"].id, "giaovien.hoa", "Sùng Thị Hoa")
    login_as("officer_A")
    response = client.submit("/swim/new", course_data(places, teacher_ids=str(teacher.id), **dates))
    assert response.status_code == 303, response.get_data(as_text=True)
    course_id = int(re.search(r"/swim/(\d+)$", response.headers["Location"]).group(1))
    with app.app_context():
        village = db.session.get(Unit, places["village_A"].id)
        children = [build_child({"full_name": f"Lò Thị Bơi {i:02d}", "birth_year": 2016, "sex": "FM"[i % 2],
                                 "ethnicity": "08"}, village, may_set_groups=False) for i in range(n)]
        db.session.add_all(children)
        db.session.commit()
        ids = [c.id for c in children]
    for child_id in ids:
        assert enrol(client, course_id, child_id).status_code == 303
    return teacher, course_id


def test_a_tap_dated_after_today_is_refused(client, login_as, make_course, make_child, count, vietnam_time):
    """Issue 15 item 9: attendance records a lesson held; a lesson dated tomorrow (in Vietnam) was not."""
    vietnam_time(2026, 6, 1, 9, 0)
    login_as("officer_A")
    course_id = make_course()
    child = make_child("Vàng Thị Dung")
    enrol(client, course_id, child)
    assert tap(client, course_id, 1, child, "present:1", day="2026-06-02").status_code == 422
    assert count(SwimTap) == 0 and count(SwimAttendance) == 0
    assert tap(client, course_id, 1, child, "present:1", day="2026-06-01").status_code in (204, 303)
    assert count(SwimAttendance) == 1
