"""Báo tin về trẻ em (issue 17): a village head reports a concern, the commune officer receives it with its 12-hour
clock, verifies, assesses (Mẫu 02), plans, carries out and closes it; everybody else gets 404 on it by id; nothing
of it is kept on the phone; the steps refuse what the decree's order does not allow; erasure follows the child."""

import re
from datetime import date

from sqlalchemy import select

from webapp.concerns.models import Concern, ConcernStep
from webapp.core.audit import AuditLog
from webapp.extensions import db

WHAT = "Bé gái bị đánh nhiều lần, trên tay có vết bầm"
WORDS = "Bé gái khoảng 9 tuổi, con nhà ông Sùng ở cuối bản"


def report(client, village, **extra):
    data = {"what": WHAT, "happened_on": "2023-05-08", "village_id": str(village), "kind": "violence",
            "in_danger": "yes", "child_description": WORDS, "reporter_name": "Giàng Thị Nhung",
            "reporter_contact": "0987654321", **extra}
    return client.submit("/concerns/new", data)


def only_concern(app) -> Concern:
    with app.app_context():
        concern = db.session.scalar(select(Concern))
        db.session.expunge_all()
        return concern


def step(client, concern_id, name, data):
    """One step's form opened and posted as the officer fills it (today, by herself, unless the test says)."""
    from webapp.core import clock

    return client.submit(f"/concerns/{concern_id}/steps/{name}", {
        "done_on": clock.today().isoformat(), "done_by": "Lý Thị Mai", **data})


def test_a_village_head_reports_and_sees_only_that_the_commune_received_it(app, login_as, places, vietnam_time):
    vietnam_time(2023, 5, 8, 9, 0)
    head = login_as("village_head_A")
    form = head.get("/concerns/new")
    page = form.get_data(as_text=True)
    assert form.status_code == 200 and "Cache-Control" not in form.headers or \
        "no-store" not in form.headers.get("Cache-Control", "")
    assert "Lùng Cẩu" in page and 'name="q"' in page  # her one village named; finding a child needs signal
    answer = report(head, places["village_A"].id)
    assert answer.status_code == 303
    assert answer.headers["Location"].startswith("/concerns/sent?at=202305080200")
    sent = head.get(answer.headers["Location"])
    text = sent.get_data(as_text=True)
    assert "Xã đã nhận lúc 08/05/2023 09:00" in text
    assert WHAT not in text and WORDS not in text and "no-store" in sent.headers["Cache-Control"]
    concern = only_concern(app)
    assert (concern.unit_id, concern.village_id, concern.in_danger, concern.status) == (
        places["A"].id, places["village_A"].id, True, "received")
    # She cannot open it again, nor can anyone outside the commune's officers and the province's admin.
    assert head.get(f"/concerns/{concern.id}").status_code == 404
    assert head.get("/concerns/").status_code == 403


def test_a_replayed_report_is_saved_once(app, login_as, places, count, vietnam_time):
    vietnam_time(2023, 5, 8, 9, 0)
    head = login_as("village_head_A")
    page = head.get("/concerns/new").get_data(as_text=True)
    from tests.conftest import hidden_fields

    fields = {**hidden_fields(page), "what": WHAT, "happened_on": "2023-05-08",
              "village_id": str(places["village_A"].id),
              "kind": "labour", "in_danger": "no", "child_description": WORDS, "reporter_name": "Nhung"}
    first = head.post("/concerns/new", data=fields, headers={"X-Sotay-Outbox": "replay"})
    again = head.post("/concerns/new", data=fields, headers={"X-Sotay-Outbox": "replay"})
    assert first.get_json()["status"] == again.get_json()["status"] == "saved"
    assert count(Concern) == 1
    other = head.post("/concerns/new", data={**fields, "what": "Khác"}, headers={"X-Sotay-Outbox": "replay"})
    assert other.status_code == 409 and count(Concern) == 1  # a reused id with other fields: sent again anew


def test_bad_reports_are_refused_with_everything_typed_kept(app, login_as, places, count, vietnam_time):
    vietnam_time(2023, 5, 8, 9, 0)
    head = login_as("village_head_A")
    answer = report(head, places["village_A"].id, child_description="", kind="", happened_on="2023-05-09")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and count(Concern) == 0
    assert "Chọn trẻ em hoặc mô tả trẻ em bằng lời." in page and "Ngày không được sau hôm nay." in page
    assert WHAT in page and "0987654321" in page
    # A village of another commune, or a child she may not see, is refused too.
    assert report(head, places["village_B"].id).status_code == 422
    with app.app_context():
        from webapp.children.models import Child

        kid = Child(full_name="Hờ Thị Ly", search_name="ho thi ly", birth_year=2014, sex="F",
                    unit_id=places["village_B"].id, commune_id=places["B"].id,
                    client_id="0" * 8 + "-0000-4000-8000-" + "0" * 12)
        db.session.add(kid)
        db.session.commit()
        kid_id = kid.id
    refused = report(head, places["village_A"].id, child_id=str(kid_id), child_description="")
    assert refused.status_code == 422 and "Hờ Thị Ly" not in refused.get_data(as_text=True)
    assert count(Concern) == 0


def test_viewers_cannot_report_and_the_search_answers_only_the_reporters_children(app, login_as, client, users,
                                                                                  places, vietnam_time):
    vietnam_time(2023, 5, 8, 9, 0)
    with app.app_context():
        from webapp.children.models import Child

        for name, village, commune, n in (("Lò Văn Páo", "village_A", "A", 1), ("Lò Văn Pín", "village_B", "B", 2)):
            db.session.add(Child(full_name=name, search_name=name.lower().replace("ò", "o").replace("á", "a")
                                 .replace("í", "i").replace("ă", "a"), birth_year=2013, sex="M",
                                 unit_id=places[village].id, commune_id=places[commune].id,
                                 client_id=f"00000000-0000-4000-8000-00000000000{n}"))
        db.session.commit()
    login_as("viewer")
    assert client.get("/concerns/new").status_code == 403
    client.logout()
    login_as("collector_A")
    found = client.get("/concerns/new?q=lo van", headers={"HX-Request": "true", "HX-Request-Type": "partial"})
    text = found.get_data(as_text=True)
    assert "Lò Văn Páo" in text and "Lò Văn Pín" not in text and "<html" not in text
    assert "no-store" in found.headers["Cache-Control"]  # the worker never keeps a list of children
    full = client.get("/concerns/new?q=lo van")
    assert "no-store" in full.headers["Cache-Control"] and "Lò Văn Páo" in full.get_data(as_text=True)


def _received(app, login_as, places, vietnam_time, reporter="village_head_A"):
    vietnam_time(2023, 5, 8, 9, 0)
    c = login_as(reporter)
    assert report(c, places["village_A"].id).status_code == 303
    c.logout()
    return only_concern(app).id


def test_the_officer_sees_it_on_home_with_its_clock_and_takes_every_step(app, login_as, client, places, users,
                                                                        vietnam_time, count):
    concern_id = _received(app, login_as, places, vietnam_time)
    vietnam_time(2023, 5, 8, 10, 30)
    officer = login_as("officer_A")
    home = officer.get("/").get_data(as_text=True)
    assert "Báo tin lúc 08/05/2023 09:00: trẻ đang gặp nguy hiểm, còn 10 giờ 30 phút để can thiệp" in home
    assert f"/concerns/{concern_id}" in home and WHAT not in home  # home is kept on the phone: no detail there
    detail = officer.get(f"/concerns/{concern_id}")
    text = detail.get_data(as_text=True)
    assert detail.status_code == 200 and "no-store" in detail.headers["Cache-Control"]
    assert WHAT in text and WORDS in text and "Giàng Thị Nhung" in text and "21/05" not in text
    assert "trước 08/05/2023 21:00" in text
    # The decree's order: no assessment before the information is verified.
    early = step(officer, concern_id, "assess", {"risk": "high", "harm": "serious", "emergency": "no"})
    assert early.status_code == 422 and "Không thể ghi bước này lúc này" in early.get_data(as_text=True)
    assert step(officer, concern_id, "verify", {"outcome": "true", "done_time": "10:00"}).status_code == 303
    # Emergency measures needed: when and which are required.
    missing = step(officer, concern_id, "assess", {"risk": "high", "harm": "serious", "emergency": "yes"})
    assert missing.status_code == 422
    assert "Nhập thời điểm đã thực hiện biện pháp khẩn cấp." in missing.get_data(as_text=True)
    assessed = step(officer, concern_id, "assess", {
        "risk": "high", "harm": "serious", "emergency": "yes", "emergency_on": "2023-05-08",
        "emergency_time": "10:15", "text": "Tạm thời cách ly trẻ, đưa về nhà bà ngoại", "done_time": "10:20"})
    assert assessed.status_code == 303
    assert "chưa" not in officer.get("/").get_data(as_text=True).split("Việc chờ bạn")[-1][:0]
    assert f"/concerns/{concern_id}" not in officer.get("/").get_data(as_text=True)  # acted on: no longer waiting
    vietnam_time(2023, 5, 10, 14, 0)
    no_approval = step(officer, concern_id, "plan", {"text": "Hội Phụ nữ thăm gia đình hằng tuần",
                                                     "due_on": "2023-06-10", "approved_by": ""})
    assert no_approval.status_code == 422
    assert step(officer, concern_id, "plan", {
        "text": "Hội Phụ nữ thăm gia đình hằng tuần; trường theo dõi", "due_on": "2023-06-10",
        "approved_by": "Vàng Seo Lử", "approved_on": "2023-05-10"}).status_code == 303
    vietnam_time(2023, 6, 12, 9, 0)
    assert step(officer, concern_id, "carry_out", {"text": "Đã thăm 5 lần"}).status_code == 303
    assert step(officer, concern_id, "review", {"outcome": "replan"}).status_code == 303  # back to planning
    assert only_concern(app).status == "assessed"
    planned = step(officer, concern_id, "plan", {"text": "Tiếp tục thăm", "due_on": "2023-07-10",
                                                 "approved_by": "Vàng Seo Lử", "approved_on": "2023-06-12"})
    assert planned.status_code == 303
    assert step(officer, concern_id, "carry_out", {"text": "Đã thăm"}).status_code == 303
    assert step(officer, concern_id, "review", {"outcome": "close"}).status_code == 303
    concern = only_concern(app)
    assert (concern.status, concern.verified, concern.assessed_in_time, concern.closed_on) == (
        "closed", True, True, date(2023, 6, 12))
    text = officer.get(f"/concerns/{concern_id}").get_data(as_text=True)
    for line in ("Kiểm tra tính xác thực thông tin", "Đánh giá nguy cơ ban đầu", "Đã thực hiện biện pháp khẩn cấp lúc "
                 "08/05/2023 10:15", "Được Vàng Seo Lử phê duyệt ngày 10/05/2023", "Rà soát, đánh giá và kết thúc"):
        assert line in text, line
    assert count(ConcernStep) == 8
    with app.app_context():
        actions = [a for (a,) in db.session.execute(select(AuditLog.action).where(
            AuditLog.object_type == "Concern", AuditLog.object_id == concern_id))]
    assert actions.count("step") == 8 and "open" in actions and "create" in actions


def test_a_step_replayed_is_recorded_once(app, login_as, places, vietnam_time, count):
    concern_id = _received(app, login_as, places, vietnam_time)
    officer = login_as("officer_A")
    from tests.conftest import hidden_fields

    fields = {**hidden_fields(officer.get(f"/concerns/{concern_id}/steps/verify").get_data(as_text=True)),
              "outcome": "not_true", "done_on": "2023-05-08", "done_time": "09:00", "done_by": "Mai"}
    for _ in range(2):
        answer = officer.post(f"/concerns/{concern_id}/steps/verify", data=fields, headers={"X-Sotay-Outbox": "replay"})
        assert answer.get_json()["status"] == "saved"
    assert count(ConcernStep) == 1 and only_concern(app).status == "not_true"
    # A closed case takes no further step.
    assert step(officer, concern_id, "assess", {"risk": "low", "harm": "none", "emergency": "no"}).status_code == 422
    assert officer.get(f"/concerns/{concern_id}/steps/nonsense").status_code == 404


def test_nobody_else_opens_it_by_id(app, new_client, users, places, vietnam_time, login_as):
    concern_id = _received(app, login_as, places, vietnam_time)
    urls = [f"/concerns/{concern_id}", f"/concerns/{concern_id}/print", f"/concerns/{concern_id}/steps/verify"]
    for who in ("officer_B", "viewer", "collector_A", "village_head_A", "collector_B"):
        c = new_client()
        c.login(users[who].username)
        for url in urls:
            assert c.get(url).status_code == 404, (who, url)
        assert c.post(f"/concerns/{concern_id}/steps/verify", data={"csrf_token": c.csrf_token(),
                                                                   "outcome": "true"}).status_code == 404
        assert WHAT not in c.get("/").get_data(as_text=True)
    admin = new_client()
    admin.login(users["admin"].username)
    page = admin.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert WHAT in page and "Giàng Thị Nhung" not in page  # the reporter is shown only to the commune's officers
    printed = admin.get(f"/concerns/{concern_id}/print")
    assert printed.status_code == 200 and "Mẫu số 01" in printed.get_data(as_text=True)


def test_overdue_shows_to_the_province_admin(app, login_as, new_client, users, places, vietnam_time):
    concern_id = _received(app, login_as, places, vietnam_time)
    vietnam_time(2023, 5, 8, 21, 30)
    admin = new_client()
    admin.login(users["admin"].username)
    home = admin.get("/").get_data(as_text=True)
    assert "1 báo tin về trẻ đang gặp nguy hiểm chưa được can thiệp trong 12 giờ" in home
    listed = admin.get("/concerns/?show=overdue").get_data(as_text=True)
    assert f"/concerns/{concern_id}" in listed and "đã quá 12 giờ" in listed
    officer = new_client()
    officer.login(users["officer_A"].username)
    assert "đã quá 12 giờ 0 giờ 30 phút" in officer.get("/").get_data(as_text=True) or \
        "quá 12 giờ" in officer.get("/").get_data(as_text=True)
    other = new_client()
    other.login(users["officer_B"].username)
    seen = other.get("/").get_data(as_text=True) + other.get("/concerns/?show=all").get_data(as_text=True)
    assert f"/concerns/{concern_id}" not in seen


def test_referral_notes_when_and_to_whom_without_copying(app, login_as, places, vietnam_time, count):
    concern_id = _received(app, login_as, places, vietnam_time)
    officer = login_as("officer_A")
    referred = step(officer, concern_id, "refer", {"referred_to": "police", "whom": "Công an xã, đồng chí Tùng"})
    assert referred.status_code == 303
    concern = only_concern(app)
    assert (concern.referred_to, concern.referred_on, concern.status) == ("police", date(2023, 5, 8), "received")
    assert count(Concern) == 1
    assert "Công an xã, đồng chí Tùng" in officer.get(f"/concerns/{concern_id}").get_data(as_text=True)
    officer.logout()
    admin = login_as("admin")
    assert "1 báo tin về trẻ em được chuyển gửi lên tỉnh" not in admin.get("/").get_data(as_text=True)  # police
    admin.logout()
    officer = login_as("officer_A")
    referred = step(officer, concern_id, "refer", {"referred_to": "province", "whom": "Sở Y tế, phòng Trẻ em"})
    assert referred.status_code == 303
    officer.logout()
    admin = login_as("admin")
    home = admin.get("/").get_data(as_text=True)
    assert "1 báo tin về trẻ em được chuyển gửi lên tỉnh" in home and "/concerns/?show=referred" in home
    assert f"/concerns/{concern_id}" in admin.get("/concerns/?show=referred").get_data(as_text=True)


def test_a_report_in_words_only_is_erased_as_a_whole(app, login_as, places, vietnam_time):
    concern_id = _received(app, login_as, places, vietnam_time)
    officer = login_as("officer_A")
    step(officer, concern_id, "verify", {"outcome": "true", "text": WORDS})
    answer = officer.post(f"/concerns/{concern_id}/erase", data={"csrf_token": officer.csrf_token(),
                                                                "reason": "request"})
    assert answer.status_code == 303
    assert officer.get(f"/concerns/{concern_id}").status_code == 404
    with app.app_context():
        concern = db.session.get(Concern, concern_id)
        assert concern.erased_at and concern.what == "[đã xóa]" and concern.child_description == "[đã xóa]"
        assert concern.reporter_name == "[đã xóa]" and concern.steps[0].text == "[đã xóa]"
        assert concern.kind == "violence" and concern.verified  # the anonymous facts stay for the counts
        details = " ".join(d or "" for (d,) in db.session.execute(select(AuditLog.detail)))
        assert WORDS not in details and "Giàng Thị Nhung" not in details


def test_a_named_child_takes_the_report_along_when_moving_and_when_erased(app, login_as, places, vietnam_time,
                                                                          new_client, users):
    from webapp.children.models import Child
    from webapp.children.services import child_moved, erase

    vietnam_time(2023, 5, 8, 9, 0)
    with app.app_context():
        kid = Child(full_name="Sùng Thị Mỷ", search_name="sung thi my", birth_year=2014, sex="F",
                    unit_id=places["village_A"].id, commune_id=places["A"].id,
                    client_id="00000000-0000-4000-8000-000000000009")
        db.session.add(kid)
        db.session.commit()
        kid_id = kid.id
    head = login_as("village_head_A")
    assert report(head, places["village_A"].id, child_id=str(kid_id), child_description="").status_code == 303
    concern_id = only_concern(app).id
    officer_a, officer_b = new_client(), new_client()
    officer_a.login(users["officer_A"].username)
    officer_b.login(users["officer_B"].username)
    assert "Sùng Thị Mỷ" in officer_a.get(f"/concerns/{concern_id}").get_data(as_text=True)
    with app.app_context():
        kid = db.session.get(Child, kid_id)
        kid.unit_id, kid.commune_id = places["village_B"].id, places["B"].id
        child_moved(kid)
        db.session.commit()
    assert officer_a.get(f"/concerns/{concern_id}").status_code == 404
    assert officer_b.get(f"/concerns/{concern_id}").status_code == 200
    with app.app_context():
        from webapp.accounts.models import User

        erase(db.session.get(Child, kid_id), db.session.get(User, users["admin"].id))
        concern = db.session.get(Concern, concern_id)
        assert concern.what == "[đã xóa]" and concern.erased_at is not None
    assert officer_b.get(f"/concerns/{concern_id}").status_code == 404


def test_hotline_111_on_every_role_home_and_the_provinces_own_as_data(app, new_client, users, places, vietnam_time):
    from webapp.geo.models import Unit
    from webapp.plans.services import load_plan_2023

    vietnam_time(2023, 5, 8, 9, 0)
    for who in ("admin", "viewer", "officer_A", "collector_A", "village_head_A"):
        c = new_client()
        c.login(users[who].username)
        page = c.get("/").get_data(as_text=True)
        assert page.count('href="tel:111"') >= 2, who  # in the header of every page and on home
        assert "Gọi Tổng đài 111" in page
        assert 'href="tel:111"' in c.get("/account").get_data(as_text=True)
    with app.app_context():
        plan, _ = load_plan_2023(db.session.get(Unit, places["province"].id))
        plan_id = plan.id
    c = new_client()
    c.login(users["collector_A"].username)
    # The plan's printed number (1800 1136) is confirmed by no other source: not offered until an admin confirms it.
    assert "tel:18001136" not in c.get("/").get_data(as_text=True)
    from tests.test_plans_admin import fill

    admin = new_client()
    admin.login(users["admin"].username)
    assert fill(admin, f"/plans/{plan_id}/edit", {"provincial_hotline": "0214 3840 111",
                                                  "hotline_confirmed": "y"}).status_code == 303
    assert 'href="tel:02143840111"' in c.get("/").get_data(as_text=True)
    assert "Đường dây nóng của tỉnh 0214 3840 111" in c.get("/").get_data(as_text=True)
    from tests.activities.conftest import read_form

    action, fields = read_form(admin.get(f"/plans/{plan_id}/edit").get_data(as_text=True))
    assert fields.pop("hotline_confirmed") == "y"  # shown ticked; the admin unticks it
    assert admin.post(action or f"/plans/{plan_id}/edit", data=fields).status_code == 303
    assert "tel:0214" not in c.get("/").get_data(as_text=True)


def test_printout_carries_mau_01_and_02(app, login_as, places, vietnam_time):
    concern_id = _received(app, login_as, places, vietnam_time)
    officer = login_as("officer_A")
    step(officer, concern_id, "verify", {"outcome": "true"})
    step(officer, concern_id, "assess", {"risk": "medium", "harm": "moderate", "emergency": "no"})
    printed = officer.get(f"/concerns/{concern_id}/print")
    text = printed.get_data(as_text=True)
    assert printed.status_code == 200 and "no-store" in printed.headers["Cache-Control"]
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Mẫu số 01", "Mẫu số 02", "PHIẾU ĐÁNH GIÁ NGUY CƠ BAN ĐẦU",
                 WHAT, "Giàng Thị Nhung", "Trung bình", "Không cần"):
        assert part in text, part
    assert re.search(r"Thời điểm tiếp nhận</dt><dd>08/05/2023 09:00", text)


def test_t3_and_t5_are_measured_so_the_officer_no_longer_enters_them(app, login_as, places, vietnam_time):
    from webapp.geo.models import Unit
    from webapp.plans.services import load_plan_2023

    with app.app_context():
        plan, _ = load_plan_2023(db.session.get(Unit, places["province"].id))
        half = plan.periods[0].id
    vietnam_time(2023, 5, 8, 9, 0)
    officer = login_as("officer_A")
    board = officer.get(f"/reports/dashboard?period={half}&unit={places['A'].id}").get_data(as_text=True)
    base = f"/reports/{half}/units/{places['A'].id}/values/"
    assert base + "T1" in board and base + "T3" not in board and base + "T5" not in board
    assert officer.get(base + "T3").status_code == 404 and officer.get(base + "T1").status_code == 200
    assert "Trẻ em bị bạo lực, xâm hại được kịp thời phát hiện, can thiệp, trợ giúp" in board  # the goal, computed


def test_the_working_set_keeps_only_the_blank_report_form(app, new_client, users, places, vietnam_time, login_as):
    concern_id = _received(app, login_as, places, vietnam_time)
    for who, expected in (("village_head_A", ["/concerns/new"]), ("collector_A", ["/concerns/new"]),
                          ("officer_A", ["/concerns/new"]), ("admin", []), ("viewer", [])):
        c = new_client()
        c.login(users[who].username)
        urls = c.get("/offline/working-set").get_json()["urls"]
        assert [u for u in urls if u.startswith("/concerns")] == expected, (who, urls)
        form = c.get("/concerns/new")
        if expected:  # the one page of the feature a phone keeps holds nobody's data
            text = form.get_data(as_text=True)
            assert "no-store" not in form.headers.get("Cache-Control", "") and WHAT not in text
            assert "X-Sotay-Personal" not in form.headers
        for url in ("/concerns/", f"/concerns/{concern_id}", "/concerns/sent?at=202305080200"):
            assert "no-store" in c.get(url).headers.get("Cache-Control", ""), (who, url)


def test_a_merged_child_takes_the_report_to_the_kept_childs_commune(app, login_as, places, users, vietnam_time,
                                                                    new_client):
    from webapp.accounts.models import User
    from webapp.children.models import Child
    from webapp.children.services import merge

    vietnam_time(2023, 5, 8, 9, 0)
    with app.app_context():
        twin = Child(full_name="Lù Thị Dợ", search_name="lu thi do", birth_year=2015, sex="F",
                     unit_id=places["village_A"].id, commune_id=places["A"].id,
                     client_id="00000000-0000-4000-8000-00000000000a")
        kept = Child(full_name="Lù Thị Dợ", search_name="lu thi do", birth_year=2015, sex="F",
                     unit_id=places["village_B"].id, commune_id=places["B"].id,
                     client_id="00000000-0000-4000-8000-00000000000b")
        db.session.add_all([twin, kept])
        db.session.commit()
        twin_id, kept_id = twin.id, kept.id
    head = login_as("village_head_A")
    assert report(head, places["village_A"].id, child_id=str(twin_id), child_description="").status_code == 303
    concern_id = only_concern(app).id
    with app.app_context():
        merge(db.session.get(Child, twin_id), db.session.get(Child, kept_id), db.session.get(User, users["admin"].id))
        concern = db.session.get(Concern, concern_id)
        assert (concern.child_id, concern.unit_id) == (kept_id, places["B"].id)
    officer_b = new_client()
    officer_b.login(users["officer_B"].username)
    assert "Lù Thị Dợ" in officer_b.get(f"/concerns/{concern_id}").get_data(as_text=True)
    officer_a = new_client()
    officer_a.login(users["officer_A"].username)
    assert officer_a.get(f"/concerns/{concern_id}").status_code == 404


def test_a_step_sent_by_the_outbox_for_someone_who_may_not_is_refused(app, login_as, places, vietnam_time, count):
    concern_id = _received(app, login_as, places, vietnam_time)
    collector = login_as("collector_A")
    answer = collector.post(f"/concerns/{concern_id}/steps/verify", headers={"X-Sotay-Outbox": "replay"}, data={
        "csrf_token": collector.csrf_token(), "client_id": "00000000-0000-4000-8000-0000000000cc",
        "outcome": "true", "done_on": "2023-05-08", "done_by": "x"})
    assert answer.status_code == 404 and answer.get_json()["status"] == "refused"
    assert count(ConcernStep) == 0
