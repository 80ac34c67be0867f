"""Home shows each person what waits for them, with a link to it: an officer the entries to review in her area,
second gifts to check, her report due, forums coming; a village head the entries returned to her and her drafts;
a teacher the class whose lesson of today is not recorded; the province the communes that have not sent their
report. Another commune's entries are never counted. The home page asks the database little (it is the most
opened page). The gifts list marks a distribution with a second receipt in its round."""

import re
import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from tests.test_query_counts import queries_for
from webapp.extensions import db


def waiting(client) -> dict[str, str]:
    """The home page's "Việc chờ bạn": {text: link}."""
    page = client.get("/").get_data(as_text=True)
    section = re.search(r'<ul class="todo">(.*?)</ul>', page, re.S)
    if section is None:
        return {}
    return {re.sub(r"\s+", " ", text).strip(): href.replace("&amp;", "&")
            for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', section.group(1), re.S)}


@pytest.fixture
def entries(app, places, users):
    """Commune A: 3 talks and trainings waiting for review (two from its village), one talk returned to the village
    head and one draft of hers, one approved; commune B: 2 waiting, 1 returned. May 2023."""
    from webapp.activities.models import Activity
    from webapp.geo.models import Unit
    from webapp.plans.services import load_plan_2023

    with app.app_context():
        plan, _ = load_plan_2023(db.session.get(Unit, places["province"].id))
        head, b = users["village_head_A"].id, users["collector_B"].id
        for unit, status, author in [("village_A", "submitted", head), ("village_A", "submitted", head),
                                     ("A", "submitted", users["officer_A"].id), ("village_A", "returned", head),
                                     ("village_A", "draft", head), ("A", "approved", users["officer_A"].id),
                                     ("village_B", "submitted", b), ("B", "submitted", b),
                                     ("village_B", "returned", b)]:
            db.session.add(Activity(kind="communication", channel="community_talk", plan_id=plan.id,
                                    unit_id=places[unit].id, date=date(2023, 4, 20), audience_total=30,
                                    status=status, created_by_id=author, client_id=str(uuid.uuid4())))
        db.session.commit()


def test_officer_sees_what_waits_for_review_in_her_commune_only(login_as, entries, vietnam_time):
    vietnam_time(2023, 5, 8, 9, 0)
    client = login_as("officer_A")
    items = waiting(client)
    assert items["3 hoạt động chờ duyệt"] == "/activities/?status=submitted"
    # the link opens the list filtered as counted: the same three
    listed = client.get("/activities/?status=submitted").get_data(as_text=True)
    assert "3 hoạt động" in listed and listed.count('class="badge badge-submitted"') == 3
    # her 6-month report is due in 7 days and not written: it waits for her too
    report = [text for text in items if text.startswith("Báo cáo 6 tháng đầu năm 2023")]
    assert report == ["Báo cáo 6 tháng đầu năm 2023 đến hạn ngày 15/05/2023"]
    assert re.fullmatch(r"/reports/\d+/units/\d+", items[report[0]])
    # nothing of a collector's (returned, drafts) on an officer's home
    assert not any("bị trả lại" in text or "bản nháp" in text for text in items)


def test_other_commune_counts_only_its_own(login_as, entries, vietnam_time):
    vietnam_time(2023, 5, 8, 9, 0)
    assert "2 hoạt động chờ duyệt" in waiting(login_as("officer_B"))


def test_village_head_sees_her_returned_entry_and_draft(login_as, entries, vietnam_time):
    vietnam_time(2023, 5, 8, 9, 0)
    client = login_as("village_head_A")
    items = waiting(client)
    assert items == {"1 hoạt động bị trả lại, cần sửa": "/activities/?status=returned&mine=1",
                     "1 bản nháp chưa gửi": "/activities/?status=draft&mine=1"}
    # returned first: it is what she must act on; B's returned talk is not hers
    assert list(items)[0].startswith("1 hoạt động bị trả lại")
    listed = client.get("/activities/?status=returned&mine=1").get_data(as_text=True)
    assert listed.count("badge-returned") == 1 and 'name="mine" value="1"' in listed  # kept when filtering on


def test_collector_counts_only_her_own_entries(app, login_as, entries, users, places, vietnam_time):
    """A volunteer of commune A sees the village's entries in her list, but only her own wait for her."""
    vietnam_time(2023, 5, 8, 9, 0)
    client = login_as("collector_A")
    assert waiting(client) == {}
    assert client.get("/activities/?status=returned").get_data(as_text=True).count("badge-returned") == 1
    assert client.get("/activities/?status=returned&mine=1").get_data(as_text=True).count("badge-returned") == 0


def test_nothing_waiting_says_nothing(login_as, places, users, vietnam_time):
    vietnam_time(2023, 5, 8, 9, 0)
    page = login_as("collector_B").get("/").get_data(as_text=True)
    assert "Việc chờ bạn" not in page and 'class="todo"' not in page


def test_officer_late_report_and_province_sees_communes_not_sent(app, new_client, users, places, entries,
                                                                  vietnam_time):
    from webapp.geo.models import Unit
    from webapp.plans.models import ReportPeriod
    from webapp.reports.models import Report

    vietnam_time(2023, 5, 20, 9, 0)
    with app.app_context():
        period = db.session.scalar(select(ReportPeriod).where(ReportPeriod.code == "half_year"))
        db.session.add(Report(period_id=period.id, unit_id=places["B"].id, status="submitted",
                              first_submitted_at=datetime(2023, 5, 14, 3, 0, tzinfo=UTC)))
        db.session.commit()
        communes = db.session.scalar(select(func.count()).select_from(Unit).where(
            Unit.level.in_(("district", "commune")), Unit.active.is_(True)))
        period_id = period.id
    officer = new_client()
    officer.login(users["officer_A"].username)
    assert "Báo cáo 6 tháng đầu năm 2023 quá hạn 5 ngày" in waiting(officer)
    officer_b = new_client()
    officer_b.login(users["officer_B"].username)
    assert not any(text.startswith("Báo cáo") for text in waiting(officer_b))  # B sent it
    admin = new_client()
    admin.login(users["admin"].username)
    items = waiting(admin)
    text = f"{communes - 1} xã, phường chưa gửi Báo cáo 6 tháng đầu năm 2023"
    assert items[text] == f"/reports/{period_id}/completeness"


def test_second_gift_in_a_round_waits_for_the_officer_and_is_marked_on_the_list(login_as, client, places, users,
                                                                               new_client, make_child):
    from tests.test_gifts_distributions import gift, new_url

    kids = [make_child(name, by="officer_A") for name in ("Giàng Thị Mai", "Sùng Seo Páo")]
    head = login_as("village_head_A")
    assert head.submit(new_url(places), gift(places, kids)).status_code == 303
    assert head.submit(new_url(places), gift(places, kids[:1], item="Sách vở")).status_code == 303
    officer = new_client()
    officer.login(users["officer_A"].username)
    assert waiting(officer)["1 trẻ nhận quà lần thứ hai trong một dịp, cần xem xét"] == "/gifts/"
    listed = officer.get("/gifts/").get_data(as_text=True)
    rows = re.findall(r"<li>(.*?)</li>", listed, re.S)
    marked = [row for row in rows if "1 trẻ nhận lần thứ hai trong dịp này" in row]
    assert len(marked) == 1 and "Sách vở" in marked[0]
    other = new_client()
    other.login(users["officer_B"].username)
    assert not any("lần thứ hai" in text for text in waiting(other))


def test_teacher_sees_her_class_without_todays_lesson(app, places, make_user, new_client, vietnam_time):
    from webapp.accounts.models import User
    from webapp.swim.models import SwimCourse, SwimLesson
    from webapp.swim.services import default_skills

    vietnam_time(2023, 6, 12, 7, 0)
    teacher = make_user("collector", places["A"].id, "giaovien.a")
    with app.app_context():
        course = SwimCourse(unit_id=places["A"].id, name="Lớp học bơi hè", place_kind="pool", place_name="Bể bơi",
                            start_date=date(2023, 6, 1), test_definition="Bơi 25 m", skills=default_skills(),
                            teachers=[db.session.get(User, teacher.id)], client_id=str(uuid.uuid4()))
        db.session.add(course)
        db.session.commit()
        course_id = course.id
    client = new_client()
    client.login(teacher.username)
    assert waiting(client) == {"1 lớp học bơi chưa ghi buổi học hôm nay": f"/swim/{course_id}"}
    with app.app_context():
        db.session.add(SwimLesson(course_id=course_id, number=1, date=date(2023, 6, 12), unit_id=places["A"].id))
        db.session.commit()
    assert waiting(client) == {}


def test_forum_coming_shows_for_its_commune(places, users, new_client, vietnam_time, make_forum):
    vietnam_time(2023, 6, 1, 9, 0)
    for unit, day in (("A", date(2023, 6, 11)), ("A", date(2023, 9, 1)), ("B", date(2023, 6, 5))):
        make_forum(unit, day)
    collector = new_client()
    collector.login(users["collector_A"].username)
    assert waiting(collector) == {"1 diễn đàn trong 30 ngày tới": "/forum/"}


def test_home_asks_the_database_little(app, new_client, users, entries, vietnam_time):
    vietnam_time(2023, 5, 8, 9, 0)
    for who, most in (("officer_A", 16), ("village_head_A", 10), ("admin", 16)):
        client = new_client()
        client.login(users[who].username)
        asked = queries_for(app, client, "/")
        assert asked <= most, f"{who}'s home asks {asked} queries"
