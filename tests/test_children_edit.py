"""Correcting a child's record, the consent recorded when a child is registered (Nghị định 13/2023 Điều 20), and
the counts page that viewers see instead of names."""

import json

import pytest
from sqlalchemy import select

from tests.conftest import hidden_fields
from tests.test_children_register import child_data, child_id_from
from webapp.children.models import Child
from webapp.core import clock
from webapp.core.audit import AuditLog
from webapp.core.edits import EditConflict
from webapp.extensions import db


@pytest.fixture
def add(client, places):
    def do(**overrides) -> int:
        response = client.submit("/children/new", child_data(places, **overrides))
        assert response.status_code == 303, response.get_data(as_text=True)
        return child_id_from(response)

    return do


def test_an_officer_corrects_a_typo_in_a_name(login_as, add, client, places, app):
    login_as("officer_A")
    child_id = add(full_name="Nguyen Van Am")
    form = client.get(f"/children/{child_id}/edit").get_data(as_text=True)
    assert 'value="Nguyen Van Am"' in form and 'name="base_version" type="hidden" value="1"' in form
    response = client.submit(f"/children/{child_id}/edit", child_data(places, full_name="Nguyễn  Văn An"))
    assert response.status_code == 303 and response.headers["Location"] == f"/children/{child_id}"
    with app.app_context():
        child = db.session.get(Child, child_id)
        assert (child.full_name, child.search_name, child.version) == ("Nguyễn Văn An", "nguyen van an", 2)
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "update"))
        assert entry.detail_dict["changes"]["full_name"] == ["Nguyen Van Am", "Nguyễn Văn An"]
    assert "Nguyễn Văn An" in client.get("/children/?q=nguyen+van+an").get_data(as_text=True)


def test_a_collectors_edit_never_changes_the_article_10_groups(login_as, add, client, places, users, app):
    login_as("officer_A")
    child_id = add(special_groups=["a", "d"])
    client.logout()
    client.login(users["village_head_A"].username)
    form = client.get(f"/children/{child_id}/edit").get_data(as_text=True)
    assert "special_groups" not in form and "HIV" not in form
    # a forged post with the groups is applied without them
    response = client.submit(f"/children/{child_id}/edit",
                             child_data(places, school_class="4A", special_groups=["l", "m"]))
    assert response.status_code == 303
    with app.app_context():
        child = db.session.get(Child, child_id)
        assert child.school_class == "4A" and child.special_groups == "a,d"
    client.logout()
    client.login(users["officer_A"].username)
    client.submit(f"/children/{child_id}/edit", child_data(places, special_groups=["b"]))
    with app.app_context():
        assert db.session.get(Child, child_id).special_groups == "b"


def test_an_edit_on_an_older_version_is_kept_as_a_conflict(login_as, add, client, places, users, new_client, app):
    login_as("officer_A")
    child_id = add()
    phone = new_client()
    phone.login(users["collector_A"].username)
    stale = {**hidden_fields(phone.get(f"/children/{child_id}/edit").get_data(as_text=True)),
             **child_data(places, full_name="Nguyễn Văn Ấn")}
    client.submit(f"/children/{child_id}/edit", child_data(places, full_name="Nguyễn Văn Ân"))
    answer = phone.post(f"/children/{child_id}/edit", data=stale)
    assert answer.status_code == 303 and answer.headers["Location"] == "/conflicts"
    with app.app_context():
        assert db.session.get(Child, child_id).full_name == "Nguyễn Văn Ân"
        conflict = db.session.scalar(select(EditConflict))
        assert conflict.record_type == "Child" and conflict.posted["full_name"] == "Nguyễn Văn Ấn"
    assert "Nguyễn Văn Ấn" in phone.get("/conflicts").get_data(as_text=True)


@pytest.mark.parametrize("role, status", [("viewer", 403), ("officer_B", 404), ("collector_B", 404),
                                          ("admin", 200), ("collector_A", 200)])
def test_who_may_correct_a_child_of_commune_a(role, status, login_as, add, client, users):
    login_as("officer_A")
    child_id = add()
    client.logout()
    client.login(users[role].username)
    assert client.get(f"/children/{child_id}/edit").status_code == status
    if status != 200:
        token = client.csrf_token()
        assert client.post(f"/children/{child_id}/edit", data={"csrf_token": token, "full_name": "X"}).status_code \
            == status


def test_bad_input_is_refused_keeping_what_was_typed(login_as, add, client, places, app):
    login_as("officer_A")
    child_id = add()
    response = client.submit(f"/children/{child_id}/edit",
                             child_data(places, full_name="", birth_year="2014", school="Trường PTDTBT Lùng Cẩu"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nhập họ và tên của trẻ." in page and "Năm sinh khác với ngày sinh." in page
    assert 'value="Trường PTDTBT Lùng Cẩu"' in page
    with app.app_context():
        child = db.session.get(Child, child_id)
        assert child.full_name == "Nguyễn Văn An" and child.version == 1


def test_consent_is_recorded_shown_exported_and_its_withdrawal_erases(login_as, add, client, places, app):
    login_as("officer_A")
    # a child of 9 on the day of the consent: the child's own agreement is needed too
    refused = client.submit("/children/new", child_data(places, consent_child=""))
    assert refused.status_code == 422
    assert "Trẻ từ đủ 7 tuổi trở lên cũng phải đồng ý" in refused.get_data(as_text=True)
    missing = client.submit("/children/new", child_data(places, consent_by="", consent_method=""))
    assert missing.status_code == 422 and "Nhập tên người đồng ý." in missing.get_data(as_text=True)
    # a child of 5 (today and on the day of the consent): the parent's consent alone
    today = clock.today()
    little = add(full_name="Giàng Thị Mỷ", birth_date=f"{today.year - 5}-01-01", consent_child="",
                 consent_method="verbal", consent_by="Giàng Thị Sua", consent_relation="mother",
                 consent_on=today.isoformat())
    page = client.get(f"/children/{little}").get_data(as_text=True)
    assert f"Giàng Thị Sua (Mẹ) · Đồng ý bằng lời, có trưởng thôn chứng kiến · {today:%d/%m/%Y}" in page
    child_id = add()
    page = client.get(f"/children/{child_id}").get_data(as_text=True)
    assert "Nguyễn Văn Bình (Bố) · Giấy có chữ ký · 02/09/2024 · trẻ cũng đồng ý" in page
    data = json.loads(client.get(f"/children/{child_id}/export").get_data(as_text=True))
    assert data["consent"] == {"given_by": "Nguyễn Văn Bình", "relation": "Bố", "method": "Giấy có chữ ký",
                               "date": "2024-09-02", "child_agrees": True}
    # the guardian withdraws the consent: the record is erased, only anonymous counts remain
    response = client.submit(f"/children/{child_id}", {"reason": "withdrawn", "confirm": "y"},
                             action=f"/children/{child_id}/erase")
    assert response.status_code == 303
    with app.app_context():
        child = db.session.get(Child, child_id)
        assert child.erased_at is not None and child.consent_by is None and child.full_name == ""
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "erase"))
        assert entry.detail_dict["reason"] == "withdrawn"


def test_counts_by_unit_sex_age_band_and_ethnicity_without_names(login_as, add, client, places, users, app):
    from webapp.geo.models import Unit
    from webapp.geo.services import new_village

    with app.app_context():
        other = new_village(db.session.get(Unit, places["A"].id), "Bản Sín Chải")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    login_as("officer_A")
    add(full_name="Lù Thị Hoa", sex="F", birth_date="2020-01-10", consent_child="", special_groups=["d"])  # 4
    add(full_name="Vàng Seo Chứ", birth_date="2015-03-04", ethnicity="01", special_groups=["d", "đ"])  # 9 on 1/6/25
    add(full_name="Sùng A Páo", birth_date="2014-06-02", village_id=str(other_id))  # 10 on 1/6/2025, 11 a day later
    add(full_name="Thào Thị Dua", sex="F", birth_date="", birth_year="2012", village_id=str(other_id))  # 13
    add(full_name="Hầu A Lử", birth_date="2008-01-01")  # 17: no longer a child
    erased = add(full_name="Giàng A Tủa", birth_date="2016-02-02")  # erased: still counted, anonymously
    client.submit(f"/children/{erased}", {"confirm": "y"}, action=f"/children/{erased}/erase")
    client.logout()
    client.login(users["officer_B"].username)
    client.submit("/children/new", child_data(places, full_name="Lò Văn Sinh", village_id=str(places["village_B"].id)))

    client.logout()
    client.login(users["viewer"].username)
    nav = client.get("/").get_data(as_text=True)
    assert 'href="/children/counts"' in nav
    page = client.get("/children/counts?on=2025-06-01").get_data(as_text=True)
    for name in ("Lù Thị Hoa", "Vàng Seo Chứ", "Sùng A Páo", "Lò Văn Sinh", "Nguyễn Văn Bình"):
        assert name not in page
    assert 'id="by-group"' not in page

    def row(html: str, label: str) -> list:
        import re

        cells = re.search(rf"<th scope=\"row\">{label}</th>((?:<td>[^<]+</td>)+)", html).group(1)
        return [n if n == "&lt;5" else int(n.replace(".", "")) for n in re.findall(r"<td>([^<]+)</td>", cells)]

    # a viewer sees counts of 1 to 4 as "<5": in a small village they could point at a child
    small = "&lt;5"
    assert row(page, "Xã Mường Khương") == [5, small, small, small, small, small]
    assert row(page, "Xã Bắc Hà") == [small, 0, small, 0, small, 0]
    assert row(page, "Mông") == [small] and row(page, "Kinh") == [small]
    # the province's admin sees every count: children, girls, boys, under 6, 6–10, 11–15
    client.logout()
    client.login(users["admin"].username)
    page = client.get("/children/counts?on=2025-06-01").get_data(as_text=True)
    assert row(page, "Xã Mường Khương") == [5, 2, 3, 1, 3, 1]
    assert row(page, "Xã Bắc Hà") == [1, 0, 1, 0, 1, 0]
    assert row(page, "Tổng cộng") == [6, 2, 4, 1, 4, 1]
    assert row(page, "Mông") == [4] and row(page, "Kinh") == [1] and row(page, "Chưa ghi") == [1]
    later = client.get("/children/counts?on=2025-06-02").get_data(as_text=True)
    assert row(later, "Xã Mường Khương") == [5, 2, 3, 1, 2, 2]
    # an officer sees the commune by village, and the Article 10 groups
    client.logout()
    client.login(users["officer_A"].username)
    page = client.get("/children/counts?on=2025-06-01").get_data(as_text=True)
    assert row(page, "Thôn Lùng Cẩu") == [3, 1, 2, 1, 2, 0] and row(page, "Bản Sín Chải") == [2, 1, 1, 0, 1, 1]
    assert row(page, "d\\) Trẻ em khuyết tật") == [2] and row(page, "đ\\) Trẻ em nhiễm HIV/AIDS") == [1]
    assert 'href="/children/counts"' in client.get("/children/").get_data(as_text=True)
    # another commune's counts are out of reach
    assert client.get(f"/children/counts?unit={places['B'].id}").status_code == 404
    client.logout()
    client.login(users["collector_A"].username)
    assert 'id="by-group"' not in client.get("/children/counts").get_data(as_text=True)
