"""One screen registers a delegate (issue 15, item 13): the child found in the register or added to it, with the
consent of a parent or guardian (the register's basis and the forum's consent to take part), the child's own from 7,
and the photo of the signed paper; every rule of the delegation holds, and the screen comes back empty."""

import io
import re

import pytest
from sqlalchemy import select

from tests.conftest import hidden_fields
from tests.forum_helpers import FORUM_DAY, PNG, plan_forum, register_child
from webapp.children.models import Child
from webapp.core import clock
from webapp.core.audit import AuditLog
from webapp.extensions import db
from webapp.forum.models import Consent, Delegate

YEAR = FORUM_DAY.year


@pytest.fixture
def forum(login_as, client, places):
    login_as("officer_A")
    return plan_forum(client, places["A"].id)


def new_child(places, **overrides) -> dict:
    """What an organiser types for a child new to the register: the child, the guardian who signed, the paper."""
    data = {"child_id": "", "full_name": "Giàng Thị Súa", "sex": "F", "birth_year": str(YEAR - 12),
            "birth_date": "", "village_id": str(places["village_A"].id), "ethnicity": "08",
            "consent_by": "Giàng A Chở", "consent_relation": "father", "consent_method": "paper",
            "consent_on": clock.today().isoformat(), "participate": "y", "consent_child": "y", "role": "delegate",
            "agencies": "", "paper_photo": (io.BytesIO(PNG), "giay.png")}
    data.update(overrides)
    return data


def register(client, forum: int, data: dict, url: str | None = None):
    return client.submit(url or f"/forum/{forum}/register", data, action=f"/forum/{forum}/register",
                         content_type="multipart/form-data")


def error(html: str, name: str) -> str:
    found = re.search(rf'id="{name}-error"[^>]*>(.*?)</', html, re.S)
    return found.group(1) if found else ""


def test_a_new_child_is_registered_with_both_consents_and_the_paper(client, places, forum, app, count):
    response = register(client, forum, new_child(places))
    assert response.status_code == 303
    assert re.search(rf"/forum/{forum}/register\?village={places['village_A'].id}&registered=\d+$",
                     response.headers["Location"])
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã đăng ký Giàng Thị Súa làm đại biểu của diễn đàn." in page
    assert 'value="Giàng A Chở"' not in page and 'value="Giàng Thị Súa"' not in page  # empty for the next child
    assert f'<option selected value="{places["village_A"].id}">' in page  # the same village
    with app.app_context():
        child = db.session.scalar(select(Child))
        assert (child.full_name, child.sex, child.birth_year, child.ethnicity, child.unit_id) == (
            "Giàng Thị Súa", "F", YEAR - 12, "08", places["village_A"].id)
        # the register's basis: who agreed, how, when, and the child's own agreement
        assert (child.consent_by, child.consent_relation, child.consent_method, child.consent_child) == (
            "Giàng A Chở", "father", "paper", True)
        delegate = db.session.scalar(select(Delegate))
        assert delegate.child_id == child.id and delegate.role == "delegate" and delegate.may_check_in
        guardian, own = delegate.consent("guardian"), delegate.consent("child")
        assert (guardian.given_by, guardian.relation, guardian.method) == ("Giàng A Chở", "father", "paper")
        assert (own.given_by, own.relation, own.participate) == ("Giàng Thị Súa", "self", True)
        assert guardian.paper_photo and own.paper_photo == guardian.paper_photo  # one paper, signed by both
        created = {e.object_type for e in db.session.scalars(select(AuditLog).where(AuditLog.action == "create"))}
        assert {"Child", "Delegate", "Consent"} <= created
    detail = client.get(f"/forum/{forum}").get_data(as_text=True)
    assert "Giàng Thị Súa" in detail and "1 đại biểu, 1 em đủ hai sự đồng ý" in detail
    assert count(Consent) == 2


def test_a_child_of_the_register_is_found_without_accents_and_registered(client, places, forum, app, count):
    child = register_child(client, places["village_A"].id, "Sùng Thị Mỷ", 11)
    found = client.get(f"/forum/{forum}/register?q=sung thi my", headers={"HX-Request": "true"})
    assert found.status_code == 200
    partial = found.get_data(as_text=True)
    assert "<html" not in partial and f'name="child_id" value="{child}"' in partial and "Sùng Thị Mỷ" in partial
    response = register(client, forum, {"child_id": str(child), "consent_by": "Sùng A Dìn", "participate": "y",
                                        "consent_relation": "father", "consent_method": "verbal",
                                        "consent_on": clock.today().isoformat(), "consent_child": "y",
                                        "role": "child_facilitator", "agencies": ""})
    assert response.status_code == 303
    assert count(Child) == 1  # no second record of the same child
    with app.app_context():
        delegate = db.session.scalar(select(Delegate))
        assert delegate.child_id == child and delegate.role == "child_facilitator" and delegate.may_check_in
        assert delegate.consent("guardian").method == "in_person" and delegate.consent("guardian").paper_photo is None
        # the child's basis recorded earlier stays as it was
        assert db.session.get(Child, child).consent_by == "Người Giám Hộ"


def test_a_child_of_another_commune_is_neither_found_nor_accepted(client, places, forum, new_client, count):
    officer_b = new_client()
    officer_b.login("canbo.b")
    other = register_child(officer_b, places["village_B"].id, "Hầu Thị Sao", 12)
    page = client.get(f"/forum/{forum}/register?q=hau thi sao").get_data(as_text=True)
    assert "Hầu Thị Sao" not in page and f'name="child_id" value="{other}"' not in page
    refused = register(client, forum, new_child(places, child_id=str(other)))
    assert refused.status_code == 404
    assert count(Delegate) == 0


def test_a_viewer_may_not_use_the_screen(client, forum, new_client):
    viewer = new_client()
    viewer.login("lanhdao")
    assert viewer.get(f"/forum/{forum}/register").status_code == 403


def test_another_communes_forum_is_not_found(forum, new_client):
    officer_b = new_client()
    officer_b.login("canbo.b")
    assert officer_b.get(f"/forum/{forum}/register").status_code == 404


@pytest.mark.parametrize("age, allowed", [(16, False), (8, False), (9, True), (15, True)])
def test_the_age_rule_holds_for_a_collector(client, places, forum, login_as, count, age, allowed):
    client.logout()
    login_as("village_head_A")
    response = register(client, forum, new_child(places, birth_year=str(YEAR - age)))
    if allowed:
        assert response.status_code == 303
        assert count(Delegate) == 1
        return
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f"Trẻ này {age} tuổi vào ngày diễn đàn" in error(html, "birth_year") and "Chỉ cán bộ" in html
    assert 'value="Giàng Thị Súa"' in html and 'value="Giàng A Chở"' in html  # everything typed is kept
    assert count(Delegate) == 0 and count(Child) == 0


def test_an_officer_lets_an_older_child_in_with_a_reason(client, places, forum, app):
    first = register(client, forum, new_child(places, birth_year=str(YEAR - 16)))
    assert first.status_code == 422 and error(first.get_data(as_text=True), "override_reason")
    saved = register(client, forum, new_child(places, birth_year=str(YEAR - 16),
                                              override_reason="Dẫn trình viên nhí từ năm trước"))
    assert saved.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Delegate)).age_override_reason == "Dẫn trình viên nhí từ năm trước"


def test_without_the_consent_to_take_part_nobody_is_registered(client, places, forum, count):
    response = register(client, forum, new_child(places, participate="", consent_by=""))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "không được đăng ký" in error(html, "participate") and error(html, "consent_by")
    assert "Chọn lại ảnh" in error(html, "paper_photo")  # the photo is not kept in a page sent back: said so
    assert count(Child) == 0 and count(Delegate) == 0 and count(Consent) == 0


def test_a_child_of_7_or_over_agrees_too(client, places, forum, count):
    new = register(client, forum, new_child(places, consent_child=""))
    assert new.status_code == 422 and "từ đủ 7 tuổi" in error(new.get_data(as_text=True), "consent_child")
    known = register_child(client, places["village_A"].id, "Lý Thị Mai", 12)
    existing = register(client, forum, {"child_id": str(known), "consent_by": "Lý A Tủa", "participate": "y",
                                        "consent_relation": "father", "consent_method": "verbal",
                                        "consent_on": clock.today().isoformat(), "role": "delegate"})
    assert existing.status_code == 422 and error(existing.get_data(as_text=True), "consent_child")
    assert f'value="{known}" checked' in existing.get_data(as_text=True)  # the chosen child stays chosen
    assert count(Delegate) == 0 and count(Child) == 1


def test_a_signed_paper_needs_a_photo_that_is_one(client, places, forum, count):
    missing = register(client, forum, new_child(places, paper_photo=(io.BytesIO(b""), "")))
    assert missing.status_code == 422 and error(missing.get_data(as_text=True), "paper_photo")
    bad = register(client, forum, new_child(places, paper_photo=(io.BytesIO(b"%PDF-1.4"), "giay.pdf")))
    assert bad.status_code == 422
    message = error(bad.get_data(as_text=True), "paper_photo")
    assert "JPEG, PNG hoặc WebP" in message and "Chọn lại ảnh" in message
    assert count(Child) == 0 and count(Delegate) == 0


def test_a_replayed_submission_makes_one_delegate(client, places, forum, count):
    fields = {**hidden_fields(client.get(f"/forum/{forum}/register").get_data(as_text=True))}
    for _ in range(2):  # the outbox sends it again after a lost answer
        data = {**fields, **new_child(places, paper_photo=(io.BytesIO(PNG), "giay.png"))}
        assert client.post(f"/forum/{forum}/register", data=data, content_type="multipart/form-data",
                           ).status_code == 303
    assert count(Child) == 1 and count(Delegate) == 1 and count(Consent) == 2


def test_a_child_already_on_the_delegation_is_refused(client, places, forum, count):
    assert register(client, forum, new_child(places)).status_code == 303
    page = client.get(f"/forum/{forum}/register?q=giang thi sua").get_data(as_text=True)
    child_id = re.search(r'name="child_id" value="(\d+)"', page).group(1)
    again = register(client, forum, {**new_child(places), "child_id": child_id})
    assert again.status_code == 422 and "đã là đại biểu" in error(again.get_data(as_text=True), "child_id")
    assert count(Delegate) == 1


def test_a_similar_child_of_the_commune_is_offered_before_a_second_record(client, places, forum, count):
    register_child(client, places["village_A"].id, "Giàng Thị Súa", 12)
    refused = register(client, forum, new_child(places, full_name="Giang Thi Sua"))
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert error(html, "full_name") and "Giàng Thị Súa" in html and 'name="not_duplicate"' in html
    assert count(Child) == 1
    assert register(client, forum, new_child(places, full_name="Giang Thi Sua", not_duplicate="y")).status_code == 303
    assert count(Child) == 2



def test_the_message_names_only_a_delegate_of_this_forum_the_user_may_see(client, places, forum, new_client):
    saved = register(client, forum, new_child(places)).headers["Location"]
    delegate = re.search(r"registered=(\d+)", saved).group(1)
    other_forum = plan_forum(client, places["A"].id)
    assert "Giàng Thị Súa" not in client.get(f"/forum/{other_forum}/register?registered={delegate}").get_data(
        as_text=True)
    officer_b = new_client()
    officer_b.login("canbo.b")
    another = plan_forum(client, places["A"].id)  # commune B sees neither the forum nor the child
    assert officer_b.get(f"/forum/{another}/register?registered={delegate}").status_code == 404
    for odd in ("x", "99999999999999999999", "-1"):
        assert client.get(f"/forum/{forum}/register?registered={odd}").status_code == 200
