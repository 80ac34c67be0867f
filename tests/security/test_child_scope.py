"""A child's data follows the child (issue 14, items 1, 2, 4, 5, 6, 7 and 9): every record that names a child shows
the child only to those who may see the child *now*; a conflict is settled only by someone who may edit its record
now; a match by name never reveals a child of another area; the Điều 10 status and counts of one village stay with
those who may see them."""

import io
import re
from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import hidden_fields
from tests.forum_helpers import (
    both_consents,
    delegate_id,
    give_consent,
    last_id,
    plan_forum,
    register_child,
    row_fields,
    tap,
)
from tests.test_children_register import child_data
from webapp.children.models import Child
from webapp.core import clock
from webapp.core.edits import EditConflict
from webapp.extensions import db

NAME = "Vàng Thị Sính"  # the child who moves from commune A to commune B
NEW_GUARDIAN, NEW_PHONE = "Giàng Seo Chứ", "0987 654 321"


def real_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def signed_in(new_client, users):
    """A signed-in client per user key, made once per test."""
    clients = {}

    def get(key: str):
        if key not in clients:
            c = new_client()
            assert c.login(users[key].username).status_code == 303
            clients[key] = c
        return clients[key]

    return get


def move(signed_in, places, child_id: int, village: str = "village_B", **overrides):
    """The province officer moves the child to another village (and commune) with a new guardian and phone."""
    data = child_data(places, full_name=NAME, birth_date=date(clock.today().year - 12, 1, 1).isoformat(),
                      village_id=str(places[village].id), guardian_name=NEW_GUARDIAN, guardian_phone=NEW_PHONE,
                      consent_on=clock.today().isoformat())
    data.update(overrides)
    response = signed_in("admin").submit(f"/children/{child_id}/edit", data)
    assert response.status_code == 303, response.get_data(as_text=True)


@pytest.fixture
def delegate(signed_in, places, app):
    """A child of commune A, delegate of the province's forum with both consents (a photo of the signed paper
    included) to take part, photos and recommendations, a badge photo, and checked in."""
    admin, officer = signed_in("admin"), signed_in("officer_A")
    forum = plan_forum(admin, places["province"].id, level="province")
    child = register_child(officer, places["village_A"].id, NAME, 12)
    d = delegate_id(officer, forum, child)
    purposes = ("participate", "photos", "recommendations")
    fields = {"kind": "guardian", "given_by": "Vàng A Dính", "relation": "father", "method": "paper",
              "given_on": clock.today().isoformat(), "agencies": "UBND tỉnh", **{p: "y" for p in purposes},
              "paper_photo": (io.BytesIO(real_png()), "giay.png")}
    response = officer.submit(f"/forum/delegates/{d}", fields, action=f"/forum/delegates/{d}/consents",
                              content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)
    assert give_consent(officer, d, "child", purposes, agencies="UBND tỉnh").status_code == 303
    saved = officer.submit(f"/forum/delegates/{d}", {"photo": (io.BytesIO(real_png()), "anh.png")},
                           action=f"/forum/delegates/{d}/photo", content_type="multipart/form-data")
    assert saved.status_code == 303
    assert tap(officer, forum, row_fields(officer, forum, d)).status_code == 200
    from webapp.forum.models import Consent

    with app.app_context():
        consent = db.session.scalar(select(Consent.id).where(Consent.delegate_id == d, Consent.kind == "guardian"))
    return {"forum": forum, "child": child, "delegate": d, "consent": consent}


def delegate_urls(x) -> list[str]:
    return [f"/forum/delegates/{x['delegate']}", f"/forum/delegates/{x['delegate']}/photo",
            f"/forum/consents/{x['consent']}/paper"]


# 1. Visibility follows the child ---------------------------------------------------------------------------------

def test_a_delegate_and_their_consents_papers_and_photo_follow_the_child(signed_in, places, delegate, app):
    old, new = signed_in("officer_A"), signed_in("officer_B")
    for url in delegate_urls(delegate):
        assert old.get(url).status_code == 200, url
        assert new.get(url).status_code == 404, url
    move(signed_in, places, delegate["child"])
    for url in delegate_urls(delegate):
        assert old.get(url).status_code == 404, url
        assert new.get(url).status_code == 200, url
    forum = delegate["forum"]
    for url in (f"/forum/{forum}", f"/forum/{forum}/checkin", f"/forum/{forum}/badges", f"/forum/{forum}/consents"):
        assert NAME not in old.get(url).get_data(as_text=True), url
        assert NAME in new.get(url).get_data(as_text=True), url
    sheet = old.get(f"/forum/{forum}/delegates.xlsx").get_data()
    assert NAME.encode() not in sheet
    # the old commune can no longer withdraw the consent; the new one can
    data = {"csrf_token": old.csrf_token(), "base_version": "1", "note": "Gia đình chuyển đi"}
    assert old.post(f"/forum/consents/{delegate['consent']}/withdraw", data=data).status_code == 404
    from webapp.forum.models import CheckIn, Consent, Delegate

    with app.app_context():
        assert db.session.get(Consent, delegate["consent"]).withdrawn_at is None
        # and the copies of the child's unit on the delegate, its consents and check-in moved with the child
        village_b = places["village_B"].id
        assert db.session.get(Delegate, delegate["delegate"]).unit_id == village_b
        assert {c.unit_id for c in db.session.scalars(select(Consent))} == {village_b}
        assert {c.unit_id for c in db.session.scalars(select(CheckIn))} == {village_b}
    data["csrf_token"] = new.csrf_token()
    assert new.post(f"/forum/consents/{delegate['consent']}/withdraw", data=data).status_code == 303
    with app.app_context():
        assert db.session.get(Consent, delegate["consent"]).withdrawn_at is not None
    # the new commune sees the delegation on the child's record and in a guardian's request for the data
    assert "Trẻ em nói, người lớn nghe" in new.get(f"/children/{delegate['child']}").get_data(as_text=True)
    exported = new.get(f"/children/{delegate['child']}/export").get_json()
    consents = exported["forum_delegations"][0]["consents"]
    assert {c["given_by"] for c in consents} == {"Vàng A Dính", "Vừ Thị Mai"} and consents[0]["paper_photo_kept"]


def test_merging_two_records_of_a_delegate_of_one_forum_keeps_one_delegate_and_every_consent(signed_in, places,
                                                                                             app):
    from webapp.forum.models import CheckIn, Consent, Delegate

    officer = signed_in("officer_A")
    forum = plan_forum(officer, places["A"].id)
    kept = register_child(officer, places["village_A"].id, NAME, 12)
    twin = register_child(officer, places["village_A"].id, "Vàng Thi Sính", 12)
    kept_delegate, twin_delegate = delegate_id(officer, forum, kept), delegate_id(officer, forum, twin)
    assert give_consent(officer, kept_delegate, "guardian").status_code == 303
    both_consents(officer, twin_delegate)
    assert tap(officer, forum, row_fields(officer, forum, twin_delegate)).status_code == 200
    response = officer.submit(f"/children/{twin}", {"into_id": str(kept)}, action=f"/children/{twin}/merge")
    assert response.status_code == 303 and response.headers["Location"] == f"/children/{kept}"
    with app.app_context():
        delegates = db.session.scalars(select(Delegate)).all()
        assert [(d.id, d.child_id) for d in delegates] == [(kept_delegate, kept)]
        assert {c.delegate_id for c in db.session.scalars(select(Consent))} == {kept_delegate}
        assert db.session.scalar(select(CheckIn.delegate_id)) == kept_delegate


def test_a_forum_keeps_its_own_figures_when_a_delegate_moves_away(signed_in, places, app):
    officer = signed_in("officer_A")
    forum = plan_forum(officer, places["A"].id)
    child = register_child(officer, places["village_A"].id, NAME, 12)
    d = delegate_id(officer, forum, child)
    both_consents(officer, d)
    assert tap(officer, forum, row_fields(officer, forum, d)).status_code == 200

    def figures() -> str:
        page = officer.get(f"/forum/{forum}").get_data(as_text=True)
        return re.search(r'<p id="delegation-counts">(.*?)</p>', page).group(1) + \
            re.search(r'<tr><th>Tuổi</th>(.*?)</tr>', page).group(1)

    before = figures()
    move(signed_in, places, child, sex="F")
    assert figures() == before
    assert NAME not in officer.get(f"/forum/{forum}").get_data(as_text=True)


def test_gift_receipts_and_swim_enrolments_name_the_child_only_where_the_child_lives(signed_in, places, app):
    officer = signed_in("officer_A")
    child = register_child(officer, places["village_A"].id, NAME, 9)
    gift = officer.submit(f"/gifts/new?village={places['village_A'].id}&occasion=mid_autumn&year=2023",
                          {"occasion": "mid_autumn", "year": "2023", "kind": "in_kind", "item": "Bánh trung thu",
                           "value_each": "150.000", "source": "fund", "given_on": "2023-09-28",
                           "place": "Nhà văn hóa thôn", "giver": "Lý Thị Mai", "group_count": "0",
                           "children": [str(child)], "source_unit_id": str(places["A"].id)})
    assert gift.status_code == 303, gift.get_data(as_text=True)
    distribution = last_id(gift, r"/gifts/(\d+)$")
    course = officer.submit("/swim/new", {"name": "Lớp bơi hè", "unit_id": str(places["A"].id), "school": "",
                                          "place_kind": "water_point", "place_name": "Bến suối",
                                          "start_date": "2026-06-01", "end_date": "2026-07-15"})
    course_id = last_id(course, r"/swim/(\d+)$")
    enrol_page = officer.get(f"/swim/{course_id}/enrol").get_data(as_text=True)
    assert officer.post(f"/swim/{course_id}/enrol",
                        data={**hidden_fields(enrol_page), "child_id": str(child)}).status_code == 303
    from webapp.swim.models import SwimEnrolment

    with app.app_context():
        enrolment = db.session.scalar(select(SwimEnrolment))
        enrolment.passed = True
        db.session.commit()
    urls = [f"/gifts/{distribution}", f"/gifts/{distribution}/sheet", f"/swim/{course_id}",
            f"/swim/{course_id}/lessons/1", f"/swim/{course_id}/certificates"]
    for url in urls:
        assert NAME in officer.get(url).get_data(as_text=True), url
    move(signed_in, places, child)
    for url in urls:
        response = officer.get(url)
        assert response.status_code == 200 and NAME not in response.get_data(as_text=True), url
    # the new commune sees them on the child's own record
    record = signed_in("officer_B").get(f"/children/{child}").get_data(as_text=True)
    assert NAME in record and "Bánh trung thu" in record and "Lớp bơi hè" in record
    exported = signed_in("officer_B").get(f"/children/{child}/export").get_json()
    assert [c["course"] for c in exported["swim_courses"]] == ["Lớp bơi hè"] and exported["swim_courses"][0]["passed"]


# 2. Edit conflicts keep no old access ----------------------------------------------------------------------------

def test_a_conflict_is_seen_and_settled_only_by_who_may_edit_the_record_now(signed_in, places, app):
    officer, collector = signed_in("officer_A"), signed_in("collector_A")
    child = register_child(officer, places["village_A"].id, NAME, 12)
    stale = {**hidden_fields(collector.get(f"/children/{child}/edit").get_data(as_text=True)),
             **child_data(places, full_name="Vàng Thị Sinh", birth_date=date(clock.today().year - 12, 1, 1)
                          .isoformat())}
    officer.submit(f"/children/{child}/edit", child_data(places, full_name=NAME, school_class="6B",
                                                           birth_date=date(clock.today().year - 12, 1, 1).isoformat()))
    assert collector.post(f"/children/{child}/edit", data=stale).headers["Location"] == "/conflicts"
    assert "Vàng Thị Sinh" in collector.get("/conflicts").get_data(as_text=True)
    move(signed_in, places, child)
    page = collector.get("/conflicts").get_data(as_text=True)
    for leak in (NEW_GUARDIAN, NEW_PHONE.replace(" ", ""), "Vàng Thị Sinh", NAME, places["village_B"].name):
        assert leak not in page
    with app.app_context():
        conflict_id = db.session.scalar(select(EditConflict.id))
    assert collector.post(f"/conflicts/{conflict_id}",
                          data={"csrf_token": collector.csrf_token(), "choice": "mine"}).status_code == 404
    assert officer.post(f"/conflicts/{conflict_id}",
                        data={"csrf_token": officer.csrf_token(), "choice": "theirs"}).status_code == 404
    with app.app_context():
        kept = db.session.get(Child, child)
        assert (kept.unit_id, kept.guardian_name, kept.full_name) == (places["village_B"].id, NEW_GUARDIAN, NAME)
        assert db.session.get(EditConflict, conflict_id).resolved_at is None
    # the new commune's officer sees it and may settle it, but not by moving the child out of their area
    new = signed_in("officer_B")
    assert "Vàng Thị Sinh" in new.get("/conflicts").get_data(as_text=True)
    new.post(f"/conflicts/{conflict_id}", data={"csrf_token": new.csrf_token(), "choice": "mine"})
    with app.app_context():
        assert db.session.get(Child, child).unit_id == places["village_B"].id
        assert db.session.get(EditConflict, conflict_id).resolved_at is None


# 4. Matching by name stays inside the area -----------------------------------------------------------------------

@pytest.fixture
def pao(app, places, users):
    """Sùng Văn Páo, born 2013, of Bản Sín Chải: another village of commune A than the village head's."""
    from webapp.children.services import build_child
    from webapp.geo.models import Unit
    from webapp.geo.services import new_village

    with app.app_context():
        other = new_village(db.session.get(Unit, places["A"].id), "Bản Sín Chải")
        db.session.add(other)
        db.session.flush()
        child = build_child({"full_name": "Sùng Văn Páo", "birth_year": 2013, "sex": "M"}, other, False)
        db.session.add(child)
        db.session.commit()
        return {"id": child.id, "village": other.id}


def test_a_duplicate_hint_names_only_children_the_user_may_see(signed_in, places, pao):
    head = signed_in("village_head_A")
    data = child_data(places, full_name="Sùng Văn Páo", birth_date="2013-05-05", sex="M")
    data.pop("not_duplicate", None)
    page = head.submit("/children/new", data)
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert "Bản Sín Chải" not in text and f"/children/{pao['id']}" not in text and "2013</span>" not in text
    assert "commune officer" in text or "cán bộ xã" in text
    officer_page = signed_in("officer_A").submit("/children/new", data).get_data(as_text=True)
    assert "Bản Sín Chải" in officer_page and f"/children/{pao['id']}" in officer_page


# The basis of a child a swim course adds to the register (Nghị định 13/2023): the school's enrolment form.
BASIS = {"consent_by": "Sùng A Chư", "consent_method": "enrolment", "consent_on": "2026-05-20",
         "consent_child": "y"}


def test_swim_quick_add_and_import_never_attach_a_child_of_another_area(signed_in, places, pao, app):
    from webapp.swim.models import SwimEnrolment

    head = signed_in("village_head_A")
    course = head.submit("/swim/new", {"name": "Lớp bơi thôn", "unit_id": str(places["village_A"].id),
                                          "school": "", "place_kind": "water_point", "place_name": "Bến suối",
                                          "start_date": "2026-06-01", "end_date": "2026-07-15"})
    course_id = last_id(course, r"/swim/(\d+)$")
    fields = {**hidden_fields(head.get(f"/swim/{course_id}/enrol").get_data(as_text=True)),
              "full_name": "Sùng Văn Páo", "sex": "M", "birth_year": "2013", "village_id": str(places["village_A"].id),
              **BASIS, "consent_relation": "father"}
    assert head.post(f"/swim/{course_id}/quick-add", data=fields).status_code == 303
    csv = ("Họ và tên,Giới tính,Năm sinh,Dân tộc,Thôn,Lớp,Cha mẹ hoặc người giám hộ\n"
           "Sùng Văn Páo,Nam,2013,,,4A,Sùng A Chư\n").encode()
    head.submit(f"/swim/{course_id}/import", {"file": (io.BytesIO(csv), "lop.csv"), **BASIS},
                content_type="multipart/form-data")
    with app.app_context():
        children = {e.child_id for e in db.session.scalars(select(SwimEnrolment))}
        assert pao["id"] not in children and len(children) >= 1
        assert {db.session.get(Child, c).unit_id for c in children} == {places["village_A"].id}
    for url in (f"/swim/{course_id}", f"/swim/{course_id}/lessons/1"):
        assert "Bản Sín Chải" not in head.get(url).get_data(as_text=True)


# 5. Điều 10 status is for officers only ----------------------------------------------------------------------------

def test_the_special_circumstances_count_is_for_officers_only(signed_in, places, app):
    officer = signed_in("officer_A")
    forum = plan_forum(officer, places["A"].id)
    child = register_child(officer, places["village_A"].id, NAME, 12)
    with app.app_context():
        db.session.get(Child, child).special_groups = "a"
        db.session.commit()
    delegate_id(officer, forum, child)
    assert "hoàn cảnh đặc biệt" in officer.get(f"/forum/{forum}").get_data(as_text=True)
    for key in ("collector_A", "village_head_A", "viewer"):
        assert "hoàn cảnh đặc biệt" not in signed_in(key).get(f"/forum/{forum}").get_data(as_text=True), key


# 6. A recommendation's presenter ---------------------------------------------------------------------------------

def test_a_presenter_is_named_only_to_those_who_may_see_the_child(signed_in, places, delegate, app):
    admin = signed_in("admin")
    forum = delegate["forum"]
    response = admin.submit(f"/forum/{forum}/recommendations/new",
                            {"text": "Cần thêm sân chơi an toàn", "topic": "play_spaces",
                             "group": "Nhóm trẻ em xã Mường Khương", "presenter_id": str(delegate["delegate"]),
                             "agency_id": "0", "addressed_to": "UBND tỉnh", "answer": "", "due_date": ""})
    assert response.status_code == 303, response.get_data(as_text=True)
    pattern = r"/recommendations/(\d+)$"
    url = f"/forum/recommendations/{last_id(response, pattern)}"
    assert NAME in admin.get(url).get_data(as_text=True)
    assert NAME in signed_in("officer_A").get(url).get_data(as_text=True)
    for key in ("officer_B", "collector_B", "viewer"):
        assert NAME not in signed_in(key).get(url).get_data(as_text=True), key
    move(signed_in, places, delegate["child"])
    assert NAME not in signed_in("officer_A").get(url).get_data(as_text=True)
    assert NAME in signed_in("officer_B").get(url).get_data(as_text=True)


# 7. After both consents are withdrawn the check-in page names nobody -----------------------------------------------

def test_the_check_in_page_hides_a_name_once_the_consents_are_withdrawn(signed_in, places, app):
    officer = signed_in("officer_A")
    forum = plan_forum(officer, places["A"].id)
    child = register_child(officer, places["village_A"].id, NAME, 12)
    d = delegate_id(officer, forum, child)
    both_consents(officer, d)
    assert tap(officer, forum, row_fields(officer, forum, d)).status_code == 200
    assert NAME in officer.get(f"/forum/{forum}/checkin").get_data(as_text=True)
    page = officer.get(f"/forum/delegates/{d}").get_data(as_text=True)
    for consent_id, version in re.findall(r'/forum/consents/(\d+)/withdraw".*?name="base_version"[^>]*value="(\d+)"',
                                          page, re.S):
        response = officer.post(f"/forum/consents/{consent_id}/withdraw",
                                data={"csrf_token": hidden_fields(page)["csrf_token"], "base_version": version,
                                      "note": "Gia đình rút lại"})
        assert response.status_code == 303
    for url in (f"/forum/{forum}/checkin", f"/forum/{forum}", f"/forum/{forum}/badges"):
        assert NAME not in officer.get(url).get_data(as_text=True), url


# 9. Viewers see commune level and above --------------------------------------------------------------------------

def test_a_viewer_gets_no_counts_of_a_single_village(signed_in, places, app):
    officer = signed_in("officer_A")
    register_child(officer, places["village_A"].id, NAME, 12)
    viewer = signed_in("viewer")
    village = viewer.get(f"/children/counts?unit={places['village_A'].id}")
    if village.status_code == 200:  # shown as the commune, not the village
        text = village.get_data(as_text=True)
        assert places["village_A"].name not in text and places["A"].name in text
    else:
        assert village.status_code in (403, 404)
    commune = viewer.get(f"/children/counts?unit={places['A'].id}").get_data(as_text=True)
    assert places["village_A"].name not in commune
    # an officer still sees the villages of their commune
    assert places["village_A"].name in officer.get(f"/children/counts?unit={places['A'].id}").get_data(as_text=True)


def test_a_viewers_dashboard_and_reports_stop_at_the_commune(signed_in, places, this_years_plan, app):
    from webapp.plans.models import ReportPeriod

    register_child(signed_in("officer_A"), places["village_A"].id, NAME, 12)
    with app.app_context():
        period = db.session.scalar(select(ReportPeriod.id).where(ReportPeriod.plan_id == this_years_plan))
    viewer, officer = signed_in("viewer"), signed_in("officer_A")
    village, commune = places["village_A"], places["A"]
    for url in (f"/reports/dashboard?unit={village.id}", f"/reports/dashboard?unit={commune.id}",
                f"/reports/{period}/units/{village.id}/print"):
        response = viewer.get(url)
        assert response.status_code == 200, url
        assert village.name not in response.get_data(as_text=True), url
    assert village.name in officer.get(f"/reports/dashboard?unit={commune.id}").get_data(as_text=True)
