"""The plan's swim indicators (T6, T7) over a unit and a period, from a fixture whose answers are worked out by hand;
and the class-list import with its result row by row."""

import io
import uuid
from datetime import date

import pytest
from sqlalchemy import select

from webapp.accounts.models import User
from webapp.children.models import Child
from webapp.children.services import build_child
from webapp.extensions import db
from webapp.geo.models import Unit
from webapp.swim.indicators import swim_counts_by_unit
from webapp.swim.models import SwimCourse, SwimEnrolment, SwimSkill
from webapp.swim.services import default_skills, lesson_for, record_tap

LESSON_DAY = date(2026, 6, 1)


def _course(unit_id: int, user) -> SwimCourse:
    course = SwimCourse(unit_id=unit_id, name="Lớp bơi", place_kind="pool", place_name="Bể bơi xã",
                        start_date=LESSON_DAY, test_definition="Bơi 25 m", skills=default_skills(),
                        client_id=str(uuid.uuid4()), created_by_id=user.id)
    db.session.add(course)
    db.session.commit()
    return course


def _child(village_id: int, name: str, birth_year: int, sex: str) -> Child:
    child = build_child({"full_name": name, "birth_year": birth_year, "sex": sex}, db.session.get(Unit, village_id),
                        may_set_groups=False)
    db.session.add(child)
    db.session.commit()
    return child


def _tap(course, number, child, what, skill_code=None, value=True, user=None):
    enrolment = db.session.scalar(select(SwimEnrolment).where(SwimEnrolment.course_id == course.id,
                                                              SwimEnrolment.child_id == child.id))
    if enrolment is None:
        db.session.add(SwimEnrolment(course_id=course.id, child_id=child.id, unit_id=course.unit_id,
                                     client_id=str(uuid.uuid4()), created_by_id=user.id))
        db.session.commit()
    skill = None
    if skill_code:
        skill = db.session.scalar(select(SwimSkill.id).where(SwimSkill.course_id == course.id,
                                                             SwimSkill.code == skill_code))
    lesson = lesson_for(course, number, LESSON_DAY)
    record_tap(course, lesson, child.id, what, skill, value, str(uuid.uuid4()), user)


@pytest.fixture
def known(app, places, users):
    """Commune A: a girl of 8 who swims 10 m and passes; a boy of 14 who rescues himself and fails; a boy of 16
    and a girl of 5 who came (too old, too young); a girl of 13 enrolled who never came. Commune B: a girl of 9
    who came."""
    with app.app_context():
        officer = db.session.get(User, users["officer_A"].id)
        a, b = _course(places["A"].id, officer), _course(places["B"].id, officer)
        va, vb = places["village_A"].id, places["village_B"].id
        girl8, boy14 = _child(va, "Lò Thị Một", 2018, "F"), _child(va, "Lò Văn Hai", 2012, "M")
        boy16, girl5 = _child(va, "Lò Văn Ba", 2010, "M"), _child(va, "Lò Thị Bốn", 2021, "F")
        girl13, girl9_b = _child(va, "Lò Thị Năm", 2013, "F"), _child(vb, "Lò Thị Sáu", 2017, "F")
        _tap(a, 1, girl8, "skill", "swim_10m", user=officer)
        _tap(a, 16, girl8, "result", user=officer)
        _tap(a, 1, boy14, "present", user=officer)
        _tap(a, 2, boy14, "skill", "self_rescue", user=officer)
        _tap(a, 16, boy14, "result", value=False, user=officer)
        _tap(a, 1, boy16, "skill", "swim_25m", user=officer)
        _tap(a, 16, boy16, "result", user=officer)
        _tap(a, 1, girl5, "present", user=officer)
        db.session.add(SwimEnrolment(course_id=a.id, child_id=girl13.id, unit_id=a.unit_id,
                                     client_id=str(uuid.uuid4()), created_by_id=officer.id))
        _tap(b, 1, girl9_b, "present", user=officer)
        db.session.commit()
    return places


YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def test_a_commune_counts_each_child_of_6_to_15_once_at_the_course_where_they_qualified(app, known):
    """What the dashboard's swim figures (indicators swim_taught, swim_can_swim, swim_passed, swim_self_rescue)
    read: the boy of 16 and the girl of 5 are not counted, the girl who never came is not taught."""
    with app.app_context():
        counts = swim_counts_by_unit(db.session.get(Unit, known["A"].id), *YEAR)
    assert counts == {known["A"].id: {"taught": 2, "learned_to_swim": 1, "swims_safely": 1, "self_rescue": 1}}


def test_the_province_adds_the_other_commune(app, known):
    with app.app_context():
        counts = swim_counts_by_unit(db.session.get(Unit, known["province"].id), *YEAR)
    assert counts[known["B"].id] == {"taught": 1}
    assert sum(values.get("taught", 0) for values in counts.values()) == 3


def test_only_the_period_counts(app, known):
    with app.app_context():
        assert swim_counts_by_unit(db.session.get(Unit, known["A"].id), date(2026, 1, 1), date(2026, 5, 31)) == {}


# --- the class list ------------------------------------------------------------------------------------------------

CLASS_LIST = [
    ["Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Thôn", "Lớp", "Cha mẹ"],
    ["Giàng Thị Mai", "Nữ", "04/03/2016", "Mông", "Lùng Cẩu", "4A", "Giàng A Sử"],  # new: added to the register
    ["Lý Văn Sinh", "Nam", "2015", "Dao", "", "5B", ""],  # in the register already: enrolled
    ["Lý Văn Sinh", "Nam", "2015", "Dao", "", "5B", ""],  # the same again: already enrolled
    ["", "Nữ", "2016", "", "", "", ""],  # no name
    ["Vàng Thị Lỳ", "?", "2016", "", "", "", ""],  # sex not known
    ["Vàng Thị Dua", "Nữ", "năm ngoái", "", "", "", ""],  # birth not readable
    ["Vàng Thị Chi", "Nữ", "2016", "Người Sao Hỏa", "", "", ""],  # no such ethnicity
    ["Vàng Thị Pa", "Nữ", "2016", "", "Bản Không Có", "", ""],  # no such village
]


@pytest.fixture
def course_of_a(client, login_as, app, places, users):
    login_as("officer_A")
    with app.app_context():
        course = _course(places["A"].id, db.session.get(User, users["officer_A"].id))
        _child(places["village_A"].id, "Lý Văn Sinh", 2015, "M")
        return course.id


# The list's basis of consent: the school's enrolment forms, signed by the parents named in the last column.
BASIS = {"consent_method": "enrolment", "consent_on": "2026-01-05", "consent_child": "y"}


def _import(client, course_id, filename, data):
    return client.submit(f"/swim/{course_id}/import", {"file": (io.BytesIO(data), filename), **BASIS},
                         content_type="multipart/form-data")


def _results(page: str) -> list[str]:
    import re

    table = re.search(r'id="import-results">.*?</table>', page, re.S).group(0)
    return re.findall(r'<tr class="status-(\w+)">', table)


def test_a_csv_class_list_gives_a_result_for_each_row(client, course_of_a, app, count):
    csv = "\n".join(";".join(row) for row in CLASS_LIST).encode("utf-8-sig")
    response = _import(client, course_of_a, "lop-4a.csv", csv)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert _results(page) == ["added", "enrolled", "exists", "refused", "refused", "refused", "refused", "refused"]
    for reason in ("Thiếu họ và tên", "Giới tính phải là Nam hoặc Nữ.", "Không đọc được ngày hoặc năm sinh.",
                   "Không rõ dân tộc này.", "Không có thôn, bản, tổ dân phố tên này"):
        assert reason in page
    with app.app_context():
        mai = db.session.scalar(select(Child).where(Child.full_name == "Giàng Thị Mai"))
        assert mai.birth_date == date(2016, 3, 4) and mai.ethnicity == "08" and mai.school_class == "4A"
    assert count(SwimEnrolment, course_id=course_of_a) == 2
    assert count(Child, full_name="Lý Văn Sinh") == 1


def test_an_xlsx_class_list_is_read_too(client, course_of_a, count):
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(CLASS_LIST[0])
    sheet.append(["Giàng Thị Mai", "Nữ", datetime(2016, 3, 4), "Mông", "Thôn Lùng Cẩu", "4A", "Giàng A Sử"])
    buffer = io.BytesIO()
    book.save(buffer)
    page = _import(client, course_of_a, "lop.xlsx", buffer.getvalue()).get_data(as_text=True)
    assert _results(page) == ["added"]
    assert count(SwimEnrolment, course_id=course_of_a) == 1


def test_an_unreadable_file_changes_nothing(client, course_of_a, count):
    response = _import(client, course_of_a, "anh.png", b"\x89PNG\r\n")
    assert response.status_code == 422
    assert 'id="file-error"' in response.get_data(as_text=True)
    assert count(SwimEnrolment) == 0
