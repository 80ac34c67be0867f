"""Forums and delegates: planning and training, the age rule and its exception, consent before check-in,
names and photos hidden without consent, a replayed tap counted once, the delegation's balance, scope."""

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.conftest import hidden_fields
from tests.forum_helpers import (
    PNG,
    add_delegate,
    both_consents,
    delegate_id,
    give_consent,
    plan_forum,
    register_child,
    row_fields,
    tap,
)
from webapp.accounts.models import User
from webapp.children.models import Child
from webapp.core.audit import AuditLog
from webapp.core.models import new_client_id
from webapp.extensions import db
from webapp.forum.models import CheckIn, Consent, Delegate, Forum, ForumTraining
from webapp.forum.services import DelegateRefused
from webapp.forum.services import add_delegate as add


@pytest.fixture
def forum(login_as, client, places):
    login_as("officer_A")
    return plan_forum(client, places["A"].id)


@pytest.fixture
def mai(client, places, forum):
    """A girl of 12 from commune A, on the forum's delegation, without any consent yet."""
    child = register_child(client, places["village_A"].id, "Vừ Thị Mai", 12)
    return delegate_id(client, forum, child)


def test_officer_records_the_training_class(client, forum, count):
    data = {"start_date": "2023-06-01", "end_date": "2023-06-02", "place": "Sa Pa", "facilitators": "20",
            "children": "60", "girls": "61"}
    refused = client.submit(f"/forum/{forum}/training", data)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert 'id="girls-error"' in page and 'value="Sa Pa"' in page and 'value="60"' in page
    assert count(ForumTraining) == 0
    assert client.submit(f"/forum/{forum}/training", {**data, "girls": "35"}).status_code == 303
    detail = client.get(f"/forum/{forum}").get_data(as_text=True)
    assert "20" in detail and "60" in detail and "35" in detail and "Sa Pa" in detail
    assert count(ForumTraining) == 1


def test_age_is_checked_on_the_forums_day_and_only_an_officer_makes_an_exception(
        client, places, forum, login_as, app, count):
    older = register_child(client, places["village_A"].id, "Giàng A Lử", 16, sex="M")
    client.logout()
    login_as("village_head_A")
    refused = add_delegate(client, forum, older, override_reason="Trưởng nhóm")
    assert refused.status_code == 422 and 'id="override_reason-error"' in refused.get_data(as_text=True)
    assert count(Delegate) == 0
    client.logout()
    login_as("officer_A")
    no_reason = add_delegate(client, forum, older)
    assert no_reason.status_code == 422 and 'id="override_reason-error"' in no_reason.get_data(as_text=True)
    assert add_delegate(client, forum, older, override_reason="Dẫn trình viên nhí từ năm trước").status_code == 303
    with app.app_context():
        delegate = db.session.scalar(select(Delegate))
        assert delegate.age_override_reason == "Dẫn trình viên nhí từ năm trước"
    younger = register_child(client, places["village_A"].id, "Lò Văn Nhỏ", 8, sex="M")
    assert add_delegate(client, forum, younger).status_code == 422
    in_range = register_child(client, places["village_A"].id, "Lò Thị Chín", 9)
    assert add_delegate(client, forum, in_range).status_code == 303
    assert count(Delegate) == 2


def test_no_check_in_without_both_consents(client, forum, mai, count):
    assert client.get(f"/forum/{forum}/checkin").get_data(as_text=True).count('name="delegate_id"') == 0
    # Even a hand-made post is refused while a consent is missing.
    fields = {"csrf_token": client.csrf_token(), "client_id": "2f1c7a4e-6a1b-4c1e-9a51-3f0d2b8e7c10",
              "delegate_id": str(mai)}
    assert tap(client, forum, fields).status_code == 422
    assert give_consent(client, mai, "guardian").status_code == 303
    assert tap(client, forum, {**fields, "client_id": "2f1c7a4e-6a1b-4c1e-9a51-3f0d2b8e7c11"}).status_code == 422
    assert count(CheckIn) == 0
    assert give_consent(client, mai, "child").status_code == 303
    answer = tap(client, forum, row_fields(client, forum, mai))
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert "✓ Vừ Thị Mai" in html and 'hx-swap-oob="true"' in html and "<html" not in html
    assert count(CheckIn) == 1


def test_consent_to_take_part_from_one_side_only_does_not_count(client, forum, mai):
    assert give_consent(client, mai, "guardian").status_code == 303
    assert give_consent(client, mai, "child", purposes=("photos",)).status_code == 303
    assert 'name="delegate_id"' not in client.get(f"/forum/{forum}/checkin").get_data(as_text=True)


def test_replayed_tap_counts_once(client, forum, mai, count):
    both_consents(client, mai)
    fields = row_fields(client, forum, mai)
    assert tap(client, forum, fields).status_code == 200
    assert tap(client, forum, fields).status_code == 200  # the outbox sends it again
    assert count(CheckIn) == 1
    # Another phone taps the same child with its own client_id: still one check-in.
    assert tap(client, forum, {**fields, "client_id": "0b0e9d0c-1111-4a4a-8a8a-123456789abc"}).status_code == 200
    assert count(CheckIn) == 1
    assert "1/1 em có mặt" in client.get(f"/forum/{forum}/checkin").get_data(as_text=True)


def test_plain_form_tap_without_javascript_comes_back_to_the_list(client, forum, mai, count):
    both_consents(client, mai)
    response = client.post(f"/forum/{forum}/checkin", data=row_fields(client, forum, mai))
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/forum/{forum}/checkin")
    assert count(CheckIn) == 1


def test_names_are_hidden_wherever_consent_is_missing_or_withdrawn(client, forum, mai, app):
    def shown() -> dict:
        book = load_workbook(io.BytesIO(client.get(f"/forum/{forum}/delegates.xlsx").data))
        names = [row[1] for row in book.active.iter_rows(min_row=2, values_only=True)]
        return {"detail": "Vừ Thị Mai" in client.get(f"/forum/{forum}").get_data(as_text=True),
                "checkin": "Vừ Thị Mai" in client.get(f"/forum/{forum}/checkin").get_data(as_text=True),
                "badges": "Vừ Thị Mai" in client.get(f"/forum/{forum}/badges").get_data(as_text=True),
                "xlsx": "Vừ Thị Mai" in names}

    assert not any(shown().values())
    both_consents(client, mai)
    assert all(shown().values())
    with app.app_context():
        guardian = db.session.scalar(select(Consent).where(Consent.kind == "guardian"))
        consent_id = guardian.id
    withdrawn = client.submit(f"/forum/delegates/{mai}", {"note": "Gia đình đổi ý"},
                              action=f"/forum/consents/{consent_id}/withdraw")
    assert withdrawn.status_code == 303
    assert not any(shown().values())
    assert 'name="delegate_id"' not in client.get(f"/forum/{forum}/checkin").get_data(as_text=True)


def test_photo_is_shown_only_while_both_consent_to_photos(client, forum, mai, app):
    both_consents(client, mai, purposes=("participate",))
    refused = client.submit(f"/forum/delegates/{mai}", {}, action=f"/forum/delegates/{mai}/photo")
    assert refused.status_code == 303
    with app.app_context():
        assert db.session.get(Delegate, mai).photo is None  # no consent to photos: nothing kept
    both_consents(client, mai, purposes=("participate", "photos"))
    saved = client.submit(f"/forum/delegates/{mai}", {"photo": (io.BytesIO(PNG), "mai.png")},
                          action=f"/forum/delegates/{mai}/photo", content_type="multipart/form-data")
    assert saved.status_code == 303
    assert client.get(f"/forum/delegates/{mai}/photo").status_code == 200
    assert f"/forum/delegates/{mai}/photo" in client.get(f"/forum/{forum}/badges").get_data(as_text=True)
    with app.app_context():
        last_child = db.session.scalars(select(Consent).where(Consent.kind == "child")).all()[-1].id
    client.submit(f"/forum/delegates/{mai}", {}, action=f"/forum/consents/{last_child}/withdraw")
    assert client.get(f"/forum/delegates/{mai}/photo").status_code == 404
    badges = client.get(f"/forum/{forum}/badges").get_data(as_text=True)
    assert f"/forum/delegates/{mai}/photo" not in badges and "Vừ Thị Mai" in badges  # the first consents hold


def test_signed_paper_needs_its_photo_and_opening_it_is_audited(client, forum, mai, app, count):
    refused = give_consent(client, mai, "guardian", method="paper", given_by="Vừ A Sính")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert 'id="method-error"' in page and 'value="Vừ A Sính"' in page
    assert count(Consent) == 0
    not_a_photo = give_consent(client, mai, "guardian", method="paper",
                               paper_photo=(io.BytesIO(b"%PDF-1.4"), "giay.pdf"), content_type="multipart/form-data")
    assert not_a_photo.status_code == 422 and 'id="paper_photo-error"' in not_a_photo.get_data(as_text=True)
    saved = give_consent(client, mai, "guardian", method="paper", paper_photo=(io.BytesIO(PNG), "giay.png"),
                         content_type="multipart/form-data")
    assert saved.status_code == 303
    with app.app_context():
        consent_id = db.session.scalar(select(Consent.id))
    paper = client.get(f"/forum/consents/{consent_id}/paper")
    assert paper.status_code == 200 and paper.mimetype == "image/jpeg" and paper.data[:3] == b"\xff\xd8\xff"
    with app.app_context():
        assert db.session.scalar(select(AuditLog).where(AuditLog.action == "export",
                                                        AuditLog.object_type == "Consent")) is not None


def test_recommendations_consent_needs_the_agencies_named(client, mai, count):
    refused = give_consent(client, mai, "guardian", purposes=("participate", "recommendations"))
    assert refused.status_code == 422 and 'id="agencies-error"' in refused.get_data(as_text=True)
    assert give_consent(client, mai, "guardian", purposes=("participate", "recommendations"),
                        agencies="UBND xã, Công an xã").status_code == 303
    assert count(Consent) == 1


def test_opening_a_delegate_and_exporting_are_audited(client, forum, mai, app):
    client.get(f"/forum/delegates/{mai}")
    client.get(f"/forum/{forum}/delegates.xlsx")
    client.get(f"/forum/{forum}/consents")
    with app.app_context():
        entries = db.session.scalars(select(AuditLog)).all()
        assert any(e.action == "view" and e.object_type == "Delegate" and e.object_id == mai for e in entries)
        assert {e.detail_dict.get("what") for e in entries if e.action == "export"} >= {
            "forum_delegates", "forum_consent_register"}


def test_consent_register_lists_given_and_withdrawn_consents(client, forum, mai, app):
    both_consents(client, mai)
    with app.app_context():
        consent_id = db.session.scalar(select(Consent.id).where(Consent.kind == "child"))
    client.submit(f"/forum/delegates/{mai}", {}, action=f"/forum/consents/{consent_id}/withdraw")
    page = client.get(f"/forum/{forum}/consents").get_data(as_text=True)
    assert page.count("Vừ Thị Mai") == 3  # the child's name on both rows, and as the child's own giver
    assert "Vừ A Páo" in page
    assert page.count("<tr>") == 3


def test_balance_of_the_delegation_counts_only(client, places, forum, login_as):
    for name, age, sex, eth in [("Lý Thị A", 10, "F", "08"), ("Lý Văn B", 12, "M", "09"), ("Lý Thị C", 12, "F", "08")]:
        delegate_id(client, forum, register_child(client, places["village_A"].id, name, age, sex, eth))
    page = client.get(f"/forum/{forum}").get_data(as_text=True)
    balance = page.split('id="balance"')[1].split("</table>")[0]
    assert "Mông: 2" in balance and "Dao: 1" in balance and "12: 2" in balance and "10: 1" in balance
    assert "Lý Thị" not in balance
    client.logout()
    login_as("viewer")
    seen = client.get(f"/forum/{forum}")
    assert seen.status_code == 200
    text = seen.get_data(as_text=True)
    assert "Mông: 2" in text and "Lý Thị A" not in text and "Delegate no." not in text


def test_walk_in_is_added_from_the_check_in_list(client, places, forum, app):
    child = register_child(client, places["village_A"].id, "Thào Thị Dung", 11)
    page = client.get(f"/forum/{forum}/checkin").get_data(as_text=True)
    assert f"/forum/{forum}/delegates/add?walk_in=1" in page
    response = client.submit(f"/forum/{forum}/delegates/add?child={child}&walk_in=1", {"role": "delegate"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Delegate)).walk_in is True


def test_replayed_delegate_post_makes_one_delegate(client, places, forum, count):
    from tests.conftest import hidden_fields

    child = register_child(client, places["village_A"].id, "Sùng Thị Ly", 13)
    url = f"/forum/{forum}/delegates/add?child={child}"
    fields = {**hidden_fields(client.get(url).get_data(as_text=True)), "role": "delegate"}
    assert client.post(url, data=fields).status_code == 303
    assert client.post(url, data=fields).status_code == 303
    assert count(Delegate) == 1


def test_scope_and_roles(client, places, forum, mai, login_as, new_client):
    other = new_client()
    other.login("canbo.b")
    assert other.get(f"/forum/{forum}").status_code == 404
    assert other.get(f"/forum/delegates/{mai}").status_code == 404
    assert other.get(f"/forum/{forum}/checkin").status_code == 404
    collector = new_client()
    collector.login("thuthap.a")
    assert collector.get("/forum/new").status_code == 403
    assert collector.get(f"/forum/{forum}/delegates.xlsx").status_code == 403
    assert collector.get(f"/forum/delegates/{mai}").status_code == 200
    viewer = new_client()
    viewer.login("lanhdao")
    assert viewer.get(f"/forum/delegates/{mai}").status_code == 403
    assert viewer.get(f"/forum/{forum}/checkin").status_code == 403


def test_commune_officer_sends_delegates_to_the_provinces_forum(client, places, login_as, new_client, app):
    client.logout()
    login_as("admin")
    province_forum = plan_forum(client, places["province"].id, level="province")
    officer_b = new_client()
    officer_b.login("canbo.b")
    assert officer_b.get(f"/forum/{province_forum}").status_code == 200
    assert officer_b.get(f"/forum/{province_forum}/training").status_code == 403  # the province runs it
    child_b = register_child(officer_b, places["village_B"].id, "Hầu Thị Sao", 14)
    assert delegate_id(officer_b, province_forum, child_b)
    officer_a = new_client()
    officer_a.login("canbo.a")
    assert "Hầu Thị Sao" not in officer_a.get(f"/forum/{province_forum}/checkin").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Forum.level).where(Forum.id == province_forum)) == "province"


def test_a_provincial_forum_is_held_by_the_province(client, places, forum, count):
    response = client.submit("/forum/new", {"level": "province", "unit_id": str(places["A"].id),
                                            "date": "2026-06-01", "place": "Lào Cai", "theme": "Tiếng nói"})
    assert response.status_code == 422 and 'id="unit_id-error"' in response.get_data(as_text=True)
    assert 'value="Tiếng nói"' in response.get_data(as_text=True)
    assert count(Forum) == 1  # only the fixture's


def test_a_second_phone_adding_the_same_child_is_told_so_and_nothing_is_doubled(client, places, forum, new_client,
                                                                                 users, count):
    child = register_child(client, places["village_A"].id, "Vừ Thị Mai", 12)
    other = new_client()
    other.login(users["collector_A"].username)
    form = other.get(f"/forum/{forum}/delegates/add?child={child}").get_data(as_text=True)  # opened before
    assert add_delegate(client, forum, child).status_code == 303
    late = other.post(f"/forum/{forum}/delegates/add?child={child}", data={**hidden_fields(form), "role": "delegate"})
    assert late.status_code == 422 and 'id="role-error"' in late.get_data(as_text=True)
    assert count(Delegate) == 1


def test_the_delegation_rules_hold_for_whoever_calls_the_service(app, client, places, forum, users):
    """services.add_delegate, not the page, holds the rules: its refusal carries the message and what it is about;
    the same client_id gives the same delegate once."""
    older = register_child(client, places["village_A"].id, "Giàng A Lử", 16, sex="M")
    with app.test_request_context():
        record, child = db.session.get(Forum, forum), db.session.get(Child, older)
        head, officer = (db.session.get(User, users[key].id) for key in ("village_head_A", "officer_A"))
        with pytest.raises(DelegateRefused) as refused:
            add(record, child, "delegate", "Trưởng nhóm", False, head, new_client_id())
        assert refused.value.field == "age" and "16" in refused.value.message
        with pytest.raises(DelegateRefused) as refused:
            add(record, child, "delegate", "  ", False, officer, new_client_id())
        assert refused.value.field == "reason"
        client_id = new_client_id()
        delegate, created = add(record, child, "delegate", "Dẫn trình viên nhí", False, officer, client_id)
        assert created and delegate.age_override_reason == "Dẫn trình viên nhí"
        assert add(record, child, "delegate", "Dẫn trình viên nhí", False, officer, client_id) == (delegate, False)
        with pytest.raises(DelegateRefused) as refused:
            add(record, child, "delegate", "Dẫn trình viên nhí", False, officer, new_client_id())
        assert refused.value.field == "taken"
