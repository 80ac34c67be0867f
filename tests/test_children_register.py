"""The child register as its users meet it: adding a child, finding it without accents, duplicates, privacy."""

import json
import re

import pytest
from sqlalchemy import select

from webapp.children.models import Child
from webapp.core.audit import AuditLog
from webapp.extensions import db


def child_data(places, **overrides) -> dict:
    data = {"full_name": "Nguyễn Văn An", "birth_date": "2015-03-04", "birth_year": "", "sex": "M",
            "ethnicity": "08", "village_id": str(places["village_A"].id), "school": "Trường Tiểu học Lùng Cẩu",
            "school_class": "3A", "guardian_name": "Nguyễn Văn Bình", "guardian_phone": "0912 000 111",
            "consent_by": "Nguyễn Văn Bình", "consent_relation": "father", "consent_method": "paper",
            "consent_on": "2024-09-02", "consent_child": "y"}
    data.update(overrides)
    return data


@pytest.fixture
def add_child(client, places):
    """Add a child through the form as the signed-in user; returns the response."""

    def add(**overrides):
        return client.submit("/children/new", child_data(places, **overrides))

    return add


def child_id_from(response) -> int:
    return int(re.search(r"/children/(\d+)$", response.headers["Location"]).group(1))


def test_collector_adds_a_child_and_opens_its_record(login_as, add_child, app, client):
    login_as("village_head_A")
    response = add_child()
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nguyễn Văn An" in page and "04/03/2015" in page and "Mông" in page and "Thôn Lùng Cẩu" in page
    with app.app_context():
        child = db.session.scalar(select(Child))
        assert child.search_name == "nguyen van an" and child.commune_id is not None
        assert child.guardian_phone == "0912000111"


def test_birth_year_alone_is_enough(login_as, add_child, app):
    login_as("officer_A")
    assert add_child(birth_date="", birth_year="2016").status_code == 303
    with app.app_context():
        child = db.session.scalar(select(Child))
        assert child.birth_date is None and child.birth_year == 2016


def test_missing_birth_and_name_is_refused_next_to_the_fields(login_as, add_child, count):
    login_as("officer_A")
    response = add_child(full_name="", birth_date="", birth_year="", school="Trường Mầm non")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="full_name-error"' in page and "Nhập họ và tên của trẻ." in page
    assert 'id="birth_year-error"' in page and "Nhập ngày sinh hoặc ít nhất là năm sinh." in page
    assert 'value="Trường Mầm non"' in page
    assert count(Child) == 0


def test_year_that_disagrees_with_date_is_refused(login_as, add_child):
    login_as("officer_A")
    response = add_child(birth_date="2015-03-04", birth_year="2014")
    assert response.status_code == 422
    assert "Năm sinh khác với ngày sinh." in response.get_data(as_text=True)


def test_replayed_client_id_saves_one_child(login_as, client, places, count):
    login_as("collector_A")
    page = client.get("/children/new").get_data(as_text=True)
    from tests.conftest import hidden_fields

    fields = {**hidden_fields(page), **child_data(places)}
    first = client.post("/children/new", data=fields)
    second = client.post("/children/new", data=fields)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert count(Child) == 1


def test_search_ignores_accents_and_case(login_as, add_child, client):
    login_as("officer_A")
    add_child(full_name="Nguyễn Văn A")
    add_child(full_name="Giàng Thị Mỷ", birth_date="2014-01-01", sex="F")
    page = client.get("/children/?q=nguyen+van+a").get_data(as_text=True)
    assert "Nguyễn Văn A" in page and "Giàng Thị Mỷ" not in page
    partial = client.get("/children/?q=GIANG", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Giàng Thị Mỷ" in partial and "Nguyễn Văn A" not in partial and "<html" not in partial


def test_a_similar_child_of_the_same_commune_and_year_is_shown_first(login_as, add_child, count):
    login_as("officer_A")
    add_child(full_name="Nguyễn Văn An")
    response = add_child(full_name="Nguyen Van Ann", birth_date="", birth_year="2015")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="duplicates"' in page and "Nguyễn Văn An" in page and "Dùng trẻ này" in page
    assert count(Child) == 1
    assert add_child(full_name="Nguyen Van Ann", birth_date="", birth_year="2015",
                     not_duplicate="y").status_code == 303
    assert count(Child) == 2


def test_same_name_in_another_year_is_no_duplicate(login_as, add_child, count):
    login_as("officer_A")
    add_child()
    assert add_child(birth_date="2013-05-05").status_code == 303
    assert count(Child) == 2


def test_opening_a_record_is_audited(login_as, add_child, client, app):
    login_as("collector_A")
    location = add_child().headers["Location"]
    client.get(location)
    client.get(location)
    with app.app_context():
        views = db.session.scalars(select(AuditLog).where(AuditLog.action == "view")).all()
        assert len(views) == 2 and views[0].object_type == "Child"


def test_article_10_groups_are_for_officers_only(login_as, add_child, client, users):
    login_as("officer_A")
    location = add_child(special_groups=["a", "đ"]).headers["Location"]
    page = client.get(location).get_data(as_text=True)
    assert 'id="groups"' in page and "Trẻ em nhiễm HIV/AIDS" in page
    client.logout()
    client.login(users["collector_A"].username)
    page = client.get(location).get_data(as_text=True)
    assert "Nguyễn Văn An" in page and 'id="groups"' not in page and "HIV" not in page
    form = client.get("/children/new").get_data(as_text=True)
    assert "special_groups" not in form


def test_a_collector_cannot_set_article_10_groups(login_as, add_child, app):
    login_as("collector_A")
    add_child(special_groups=["l"])
    with app.app_context():
        assert db.session.scalar(select(Child)).special_groups == ""


@pytest.mark.parametrize("role, status", [("viewer", 403), ("officer_B", 404), ("collector_B", 404),
                                          ("admin", 200), ("collector_A", 200)])
def test_who_may_open_a_child_of_commune_a(role, status, login_as, add_child, client, users):
    login_as("officer_A")
    location = add_child().headers["Location"]
    client.logout()
    client.login(users[role].username)
    assert client.get(location).status_code == status


def test_viewer_may_not_list_children(login_as, client):
    login_as("viewer")
    assert client.get("/children/").status_code == 403


def test_a_village_head_sees_only_the_children_of_the_village(login_as, add_child, client, users, places, app):
    from webapp.geo.models import Unit
    from webapp.geo.services import new_village

    with app.app_context():
        other = new_village(db.session.get(Unit, places["A"].id), "Bản Sín Chải")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    login_as("officer_A")
    add_child(full_name="Vàng Seo Chứ", village_id=str(other_id))
    add_child(full_name="Lù Thị Hoa", sex="F")
    client.logout()
    client.login(users["village_head_A"].username)
    page = client.get("/children/").get_data(as_text=True)
    assert "Lù Thị Hoa" in page and "Vàng Seo Chứ" not in page
    # nor may the village head file a child in a village outside their own
    response = client.submit("/children/new", child_data(places, full_name="Thào A Tủa", village_id=str(other_id)))
    assert response.status_code == 422


def test_officer_merges_duplicates_keeping_history(login_as, add_child, client, app):
    login_as("officer_A")
    kept = child_id_from(add_child(full_name="Nguyễn Văn An"))
    dup = child_id_from(add_child(full_name="Nguyễn Văn Ân", not_duplicate="y"))
    page = client.get(f"/children/{dup}").get_data(as_text=True)
    assert "Hồ sơ có thể trùng" in page
    response = client.submit(f"/children/{dup}", {"into_id": str(kept)}, action=f"/children/{dup}/merge")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/children/{kept}")
    with app.app_context():
        assert db.session.get(Child, dup).merged_into_id == kept
        assert db.session.scalar(select(AuditLog).where(AuditLog.action == "merge")).detail_dict["kept_id"] == kept
    listing = client.get("/children/").get_data(as_text=True)
    assert "Nguyễn Văn Ân" not in listing and "Nguyễn Văn An" in listing
    # the old link leads to the kept record
    assert client.get(f"/children/{dup}").headers["Location"].endswith(f"/children/{kept}")


def test_a_collector_may_not_merge(login_as, add_child, client, users):
    login_as("officer_A")
    kept = child_id_from(add_child(full_name="Nguyễn Văn An"))
    dup = child_id_from(add_child(full_name="Nguyễn Văn Ân", not_duplicate="y"))
    client.logout()
    client.login(users["collector_A"].username)
    token = client.csrf_token()
    assert client.post(f"/children/{dup}/merge", data={"csrf_token": token, "into_id": kept}).status_code == 403


def test_guardian_request_export_is_audited(login_as, add_child, client, app):
    login_as("officer_A")
    child_id = child_id_from(add_child())
    response = client.get(f"/children/{child_id}/export")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["full_name"] == "Nguyễn Văn An" and data["guardian_phone"] == "0912000111"
    with app.app_context():
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "export"))
        assert entry.object_id == child_id


def test_erasing_keeps_only_anonymous_counts(login_as, add_child, client, app):
    login_as("officer_A")
    child_id = child_id_from(add_child())
    assert client.submit(f"/children/{child_id}", {"confirm": "y"},
                         action=f"/children/{child_id}/erase").status_code == 303
    with app.app_context():
        child = db.session.get(Child, child_id)
        assert child.full_name == "" and child.guardian_phone is None and child.ethnicity is None
        assert child.birth_year == 2015 and child.sex == "M" and child.erased_at is not None
    assert client.get(f"/children/{child_id}").status_code == 404
    assert "Nguyễn Văn An" not in client.get("/children/").get_data(as_text=True)


def test_age_is_computed_at_the_event_date(app):
    from datetime import date

    child = Child(full_name="x", search_name="x", birth_date=date(2010, 6, 2), birth_year=2010, sex="F",
                  unit_id=1, commune_id=1)
    assert child.age_at(date(2026, 6, 1)) == 15 and child.is_child_at(date(2026, 6, 1))
    assert child.age_at(date(2026, 6, 2)) == 16 and not child.is_child_at(date(2026, 6, 2))
    year_only = Child(full_name="y", search_name="y", birth_year=2010, sex="M", unit_id=1, commune_id=1)
    assert year_only.age_at(date(2025, 1, 1)) == 15
