"""Consent holds (issue 14, item 7): a consent dated before the child's birth or after today is refused next to the
field, so the child's own agreement (Nghị định 13/2023 Điều 20: from age 7) cannot be skipped with an old date; and
every child that swim quick-add or a class-list import puts in the register has its basis recorded: who agreed,
how, when, and the child's own agreement from 7."""

import io
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import hidden_fields
from tests.test_children_register import child_data
from tests.test_swim_courses import course_data
from webapp.children.models import Child
from webapp.core import clock
from webapp.extensions import db

YEAR = clock.today().year


def field_error(html: str, name: str) -> str:
    import re

    found = re.search(rf'id="{name}-error"[^>]*>(.*?)</', html, re.S)
    return found.group(1) if found else ""


@pytest.mark.parametrize("consent_on, birth", [
    ("0001-01-01", {"birth_date": "2014-05-05"}),
    ("2014-05-04", {"birth_date": "2014-05-05"}),
    ("2013-12-31", {"birth_date": "", "birth_year": "2014"}),
    ((clock.today() + timedelta(days=1)).isoformat(), {"birth_date": "2014-05-05"}),
], ids=["year-1", "day-before-birth", "before-birth-year", "tomorrow"])
def test_a_consent_dated_before_birth_or_after_today_is_refused_next_to_the_field(
        login_as, client, places, count, consent_on, birth):
    login_as("officer_A")
    data = child_data(places, full_name="Sùng Thị Dế", consent_on=consent_on, consent_child="", **birth)
    response = client.submit("/children/new", data)
    assert response.status_code == 422
    message = field_error(response.get_data(as_text=True), "consent_on")
    # (a date no form takes, year 1, is refused as out of every form's range first)
    assert message in ("Ngày đồng ý không thể trước khi trẻ sinh ra.", "Ngày không được sau hôm nay.") \
        or message.startswith("Nhập một ngày từ 01/01/2000 đến")
    assert count(Child, full_name="Sùng Thị Dế") == 0


def test_a_child_of_7_or_over_today_agrees_too_whatever_the_consents_date(login_as, client, places, count):
    """A parent's consent given when the child was 5 does not stand for a child who is 10 now."""
    login_as("officer_A")
    data = child_data(places, full_name="Sùng Thị Dế", birth_date=f"{YEAR - 10}-01-01",
                      consent_on=f"{YEAR - 5}-06-01", consent_child="")
    response = client.submit("/children/new", data)
    assert response.status_code == 422 and field_error(response.get_data(as_text=True), "consent_child")
    assert count(Child, full_name="Sùng Thị Dế") == 0


@pytest.fixture
def course(client, login_as, places):
    login_as("officer_A")
    response = client.submit("/swim/new", course_data(places))
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def quick(client, course_id: int, **data):
    fields = hidden_fields(client.get(f"/swim/{course_id}/enrol").get_data(as_text=True))
    return client.post(f"/swim/{course_id}/quick-add", data={**fields, **data})


def test_quick_add_records_who_agreed_how_and_when(client, course, places, app, count):
    child = {"full_name": "Ma Thị Pà", "sex": "F", "birth_year": str(YEAR - 9),
             "village_id": str(places["village_A"].id)}
    refused = quick(client, course, **child)  # no basis: refused, nothing saved
    assert refused.status_code == 422 and field_error(refused.get_data(as_text=True), "consent_by")
    no_child = quick(client, course, **child, consent_by="Ma Văn Sáng", consent_relation="father",
                     consent_method="enrolment", consent_on=clock.today().isoformat())
    assert no_child.status_code == 422 and field_error(no_child.get_data(as_text=True), "consent_child")
    assert count(Child, full_name="Ma Thị Pà") == 0
    saved = quick(client, course, **child, consent_by="Ma Văn Sáng", consent_relation="father",
                  consent_method="enrolment", consent_on=clock.today().isoformat(), consent_child="y")
    assert saved.status_code == 303
    with app.app_context():
        kid = db.session.scalar(select(Child).where(Child.full_name == "Ma Thị Pà"))
        assert (kid.consent_by, kid.consent_relation, kid.consent_method, kid.consent_on, kid.consent_child) == \
            ("Ma Văn Sáng", "father", "enrolment", clock.today(), True)
        assert kid.consent_recorded
        kid_id = kid.id
    exported = json.loads(client.get(f"/children/{kid_id}/export").get_data(as_text=True))
    assert exported["consent"]["method"] and [c["course"] for c in exported["swim_courses"]] == ["Lớp bơi hè Lùng Cẩu"]


def test_a_child_of_the_register_without_a_recorded_basis_gets_the_one_quick_add_brings(client, course, places, app):
    """A record made before consents were recorded is enrolled and gets its basis; one that has it keeps it."""
    from webapp.children.services import build_child
    from webapp.geo.models import Unit

    with app.app_context():
        old = build_child({"full_name": "Lò Văn Cũ", "birth_year": YEAR - 8, "sex": "M"},
                          db.session.get(Unit, places["village_A"].id), may_set_groups=False)
        db.session.add(old)
        db.session.commit()
        old_id = old.id
    saved = quick(client, course, full_name="Lò Văn Cũ", sex="M", birth_year=str(YEAR - 8),
                  village_id=str(places["village_A"].id), consent_by="Lò Thị Mẹ", consent_relation="mother",
                  consent_method="paper", consent_on=clock.today().isoformat(), consent_child="y")
    assert saved.status_code == 303
    with app.app_context():
        child = db.session.get(Child, old_id)
        assert (child.consent_by, child.consent_method, child.consent_child) == ("Lò Thị Mẹ", "paper", True)


def class_list(*rows) -> bytes:
    header = ["Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Thôn", "Lớp", "Cha mẹ hoặc người giám hộ"]
    return "\n".join(";".join(row) for row in (header, *rows)).encode("utf-8-sig")


def import_list(client, course_id: int, data: bytes, **basis):
    return client.submit(f"/swim/{course_id}/import", {"file": (io.BytesIO(data), "lop.csv"), **basis},
                         content_type="multipart/form-data")


def test_a_class_list_records_the_basis_of_each_new_child_or_refuses_it(client, course, app, count):
    rows = (["Giàng Thị Mai", "Nữ", f"04/03/{YEAR - 10}", "Mông", "Lùng Cẩu", "4A", "Giàng A Sử"],
            ["Giàng Văn Lử", "Nam", f"{YEAR - 9}", "Mông", "Lùng Cẩu", "4A", ""])
    without = import_list(client, course, class_list(*rows))
    assert without.status_code == 422 and count(Child) == 0  # no basis given for the list: nothing saved
    assert field_error(without.get_data(as_text=True), "consent_method")
    page = import_list(client, course, class_list(*rows), consent_method="enrolment",
                       consent_on=f"{YEAR}-01-05", consent_child="y")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Thiếu người đồng ý" in html  # the row without the parent is refused, saying why
    with app.app_context():
        names = set(db.session.scalars(select(Child.full_name)))
        assert names == {"Giàng Thị Mai"}
        mai = db.session.scalar(select(Child).where(Child.full_name == "Giàng Thị Mai"))
        assert (mai.consent_by, mai.consent_method, mai.consent_on, mai.consent_child, mai.guardian_name) == \
            ("Giàng A Sử", "enrolment", date(YEAR, 1, 5), True, "Giàng A Sử")


def test_a_class_list_without_the_childrens_own_agreement_enrols_no_child_of_7_or_over(client, course, app):
    rows = (["Giàng Thị Mai", "Nữ", f"{YEAR - 10}", "Mông", "Lùng Cẩu", "4A", "Giàng A Sử"],
            ["Giàng Văn Nhỏ", "Nam", f"{YEAR - 5}", "Mông", "Lùng Cẩu", "", "Giàng A Sử"])
    page = import_list(client, course, class_list(*rows), consent_method="paper", consent_on=f"{YEAR}-01-05")
    assert page.status_code == 200
    with app.app_context():
        assert set(db.session.scalars(select(Child.full_name))) == {"Giàng Văn Nhỏ"}
