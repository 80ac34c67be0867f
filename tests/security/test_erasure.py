"""Erasure erases everywhere (issue 14, item 3): after a guardian's request to erase a child, no table, no file under
the instance folder and no page holds the child's name, the parents' names or the phone; the audit log keeps that
each event happened, with "[đã xóa]" in place of the personal values."""

import io
import json
import re
import zipfile
from pathlib import Path

from PIL import Image
from sqlalchemy import String, Text, select

from tests.forum_helpers import born, delegate_id, give_consent, plan_forum
from webapp.core import clock
from webapp.core.audit import AuditLog
from webapp.extensions import db

CHILD = "Hầu Thị Mỷ Chơ"
GUARDIAN = "Hầu A Sềnh"
GUARDIAN_RENAMED = "Hầu Seo Sềnh"
PHONE = "0978123456"
SECRETS = (CHILD, GUARDIAN, GUARDIAN_RENAMED, PHONE, "0978 123 456", "hau thi my cho", "Mỷ Chơ")


def jpeg(colour: str = "white") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG")
    return out.getvalue()


def child_form(places, **overrides) -> dict:
    data = {"full_name": CHILD, "birth_date": born(11), "birth_year": "", "sex": "F", "ethnicity": "08",
            "village_id": str(places["village_A"].id), "school": "Trường Tiểu học Lùng Cẩu", "school_class": "5A",
            "guardian_name": GUARDIAN, "guardian_phone": "0978 123 456", "consent_by": GUARDIAN,
            "consent_relation": "father", "consent_method": "paper", "consent_on": clock.today().isoformat(),
            "consent_child": "y", "not_duplicate": "y"}
    data.update(overrides)
    return data


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def test_erasure_leaves_the_child_nowhere(app, client, new_client, users, places, tmp_path):
    client.login(users["officer_A"].username)
    response = client.submit("/children/new", child_form(places))
    assert response.status_code == 303, response.get_data(as_text=True)
    child_id = int(re.search(r"/children/(\d+)$", response.headers["Location"]).group(1))

    # a village head opens the edit form; meanwhile the officer renames the guardian: the stale edit is a conflict
    head = new_client()
    head.login(users["village_head_A"].username)
    stale = head.get(f"/children/{child_id}/edit").get_data(as_text=True)
    assert client.submit(f"/children/{child_id}/edit",
                         child_form(places, guardian_name=GUARDIAN_RENAMED)).status_code == 303
    from tests.conftest import hidden_fields

    conflict = head.post(f"/children/{child_id}/edit",
                         data={**hidden_fields(stale), **child_form(places, school_class="5B")})
    assert conflict.status_code == 303 and "/conflicts" in conflict.headers["Location"]
    assert CHILD in head.get("/conflicts").get_data(as_text=True)

    # a forum delegate with both consents, the guardian's with a photo of the signed paper, and a badge photo
    forum = plan_forum(client, places["A"].id)
    delegate = delegate_id(client, forum, child_id)
    purposes = ("participate", "photos")
    assert give_consent(client, delegate, "guardian", purposes, given_by=GUARDIAN,
                        paper_photo=(io.BytesIO(jpeg()), "giay.jpg")).status_code == 303
    assert give_consent(client, delegate, "child", purposes, given_by=CHILD).status_code == 303
    from webapp.forum.models import Consent, Delegate

    photo_files = []
    for colour in ("white", "black"):  # a portrait, then another in its place: neither stays on disk
        page = client.get(f"/forum/delegates/{delegate}").get_data(as_text=True)
        photo_form = hidden_fields(page[page.index(f"/forum/delegates/{delegate}/photo"):])
        assert client.post(f"/forum/delegates/{delegate}/photo",
                           data={**photo_form, "photo": (io.BytesIO(jpeg(colour)), "anh.jpg")}).status_code == 303
        with app.app_context():
            photo_files.append(db.session.get(Delegate, delegate).photo)
    with app.app_context():
        paper = db.session.scalar(select(Consent).where(Consent.paper_photo.is_not(None)))
        consent_id, paper_file = paper.id, paper.paper_photo
        assert paper_file and all(photo_files) and len(set(photo_files)) == 2
    # the child presents a recommendation, and the officer's note names her
    recommendation = client.submit(f"/forum/{forum}/recommendations/new", {
        "text": f"{CHILD} đề nghị làm cầu qua suối.", "topic": "drowning", "group": "Nhóm nữ 9–12 tuổi",
        "presenter_id": "0", "agency_id": "0", "addressed_to": "Chủ tịch UBND xã",
        "answer": f"Đã hứa với em {CHILD}.", "due_date": ""})
    assert recommendation.status_code == 303
    recommendation_url = recommendation.headers["Location"]
    assert client.get(f"/forum/consents/{consent_id}/paper").status_code == 200

    # gifts: a receipt, and a second receipt in the round whose reason names the child
    gift = {"occasion": "mid_autumn", "year": "2023", "kind": "in_kind", "item": "Bánh trung thu",
            "value_each": "150.000", "source": "fund", "given_on": "2023-09-28", "place": "Nhà văn hóa thôn",
            "giver": "Lý Thị Mai", "group_count": "0", "children": [str(child_id)],
            "source_unit_id": str(places["A"].id)}
    url = f"/gifts/new?village={places['village_A'].id}&occasion=mid_autumn&year=2023"
    first = client.submit(url, gift)
    assert first.status_code == 303
    second = client.submit(url, {**gift, "item": "Áo ấm", "reason": f"{CHILD} mồ côi, {GUARDIAN} xin thêm"})
    assert second.status_code == 303
    distributions = [int(re.search(r"/gifts/(\d+)$", r.headers["Location"]).group(1)) for r in (first, second)]
    # a stale edit of the first distribution, whose reason names the child, is kept as a conflict of the distribution
    stale_gift = client.get(f"/gifts/{distributions[0]}/edit").get_data(as_text=True)
    assert client.submit(f"/gifts/{distributions[0]}/edit", {**gift, "item": "Bánh dẻo"}).status_code == 303
    kept = client.post(f"/gifts/{distributions[0]}/edit", data={
        **hidden_fields(stale_gift), **gift, "children": [], "item": "Bánh nướng",
        "reason": f"Sửa lại cho {CHILD}"})
    assert kept.status_code == 303 and "/conflicts" in kept.headers["Location"]
    assert CHILD in client.get(f"/gifts/{distributions[0]}/sheet").get_data(as_text=True)

    # a swim course the child passed: her certificate is printed
    from tests.test_swim_courses import course_data
    from webapp.swim.models import SwimEnrolment

    course = client.submit("/swim/new", course_data(places))
    course_id = int(course.headers["Location"].rsplit("/", 1)[1])
    enrol_form = hidden_fields(client.get(f"/swim/{course_id}/enrol").get_data(as_text=True))
    assert client.post(f"/swim/{course_id}/enrol", data={**enrol_form, "child_id": str(child_id)}).status_code == 303
    with app.app_context():
        db.session.scalar(select(SwimEnrolment).where(SwimEnrolment.child_id == child_id)).passed = True
        db.session.commit()
    assert CHILD in client.get(f"/swim/{course_id}/certificates").get_data(as_text=True)

    with app.app_context():
        assert any(GUARDIAN in (e.detail or "") for e in db.session.scalars(select(AuditLog)))

    # the guardian's request to see the data lists the copies the erasure is about to erase
    exported = json.loads(client.get(f"/children/{child_id}/export").get_data(as_text=True))
    consents = exported["forum_delegations"][0]["consents"]
    assert {c["given_by"] for c in consents} == {GUARDIAN, CHILD} and consents[0]["paper_photo_kept"]
    assert len(exported["gifts_received"]) == 2

    # the guardian asks for erasure
    erased = client.submit(f"/children/{child_id}", {"confirm": "y"}, action=f"/children/{child_id}/erase")
    assert erased.status_code == 303

    # no text column of any table holds a personal value
    with app.app_context():
        found = []
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text)]
            for row in db.session.execute(select(*columns)) if columns else []:
                for column, value in zip(columns, row, strict=True):
                    if value and leaks(str(value)):
                        found.append((table.name, column.name, value))
        assert found == []
        # the audit keeps the events, with the personal values replaced
        update = db.session.scalar(select(AuditLog).where(AuditLog.action == "update",
                                                          AuditLog.object_type == "Child"))
        assert update.detail_dict["changes"]["guardian_name"] == ["[đã xóa]", "[đã xóa]"]
        assert db.session.scalar(select(AuditLog).where(AuditLog.action == "erase")) is not None

    # no file under the instance folder: the consent paper and the badge photo are gone
    instance = Path(app.instance_path)
    names = {p.name for p in instance.rglob("*") if p.is_file()}
    assert paper_file not in names and not set(photo_files) & names
    for path in instance.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert not [s for s in SECRETS if s.encode() in content], path

    # no page
    admin = new_client()
    admin.login(users["admin"].username)
    assert client.get(f"/children/{child_id}").status_code == 404
    assert client.get(f"/forum/consents/{consent_id}/paper").status_code == 404
    assert client.get(f"/forum/delegates/{delegate}/photo").status_code == 404
    pages = [(client, "/children/"), (client, "/children/?q=hau"), (client, "/conflicts"),
             (head, "/conflicts"), (client, f"/forum/{forum}"), (client, f"/forum/{forum}/consents"),
             (client, f"/forum/{forum}/badges"), (client, f"/forum/{forum}/checkin"),
             (client, f"/forum/public/{forum}"), (client, f"/forum/delegates/{delegate}"),
             (client, f"/children/{child_id}/export"), (client, recommendation_url)]
    pages += [(client, f"/gifts/{d}") for d in distributions] + [(client, f"/gifts/{d}/sheet") for d in distributions]
    pages += [(admin, f"/audit?page={n}") for n in range(1, 6)]
    for who, url in pages:
        text = who.get(url).get_data(as_text=True)
        assert leaks(text) == [], url
    for url in (f"/swim/{course_id}", f"/swim/{course_id}/lessons/1", f"/swim/{course_id}/enrol"):
        assert leaks(client.get(url).get_data(as_text=True)) == [], url
    assert 'class="certificate"' not in client.get(f"/swim/{course_id}/certificates").get_data(as_text=True)
    workbook = client.get(f"/forum/{forum}/delegates.xlsx")
    assert workbook.status_code == 200
    with zipfile.ZipFile(io.BytesIO(workbook.data)) as book:
        for name in book.namelist():
            assert leaks(book.read(name).decode("utf-8", "replace")) == [], name


def test_erasing_a_child_erases_the_duplicates_merged_into_it(app, client, users, places):
    client.login(users["officer_A"].username)
    ids = []
    for name in (CHILD, "Hau Thi My Cho"):
        response = client.submit("/children/new", child_form(places, full_name=name))
        assert response.status_code == 303
        ids.append(int(re.search(r"/children/(\d+)$", response.headers["Location"]).group(1)))
    kept, duplicate = ids
    merged = client.submit(f"/children/{duplicate}", {"into_id": str(kept)}, action=f"/children/{duplicate}/merge")
    assert merged.status_code == 303
    assert client.submit(f"/children/{kept}", {"confirm": "y"}, action=f"/children/{kept}/erase").status_code == 303
    from webapp.children.models import Child

    with app.app_context():
        for child in db.session.scalars(select(Child)):
            assert (child.full_name, child.guardian_name, child.guardian_phone) == ("", None, None)
            assert child.erased_at is not None
