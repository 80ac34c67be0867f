"""Recommendations followed until done, the children's public page without personal data, counts for reports,
and the commune's report due to the province within 15 days."""

import re
from datetime import timedelta

import pytest

from tests.forum_helpers import both_consents, delegate_id, give_consent, plan_forum, register_child
from webapp.core import clock
from webapp.extensions import db
from webapp.forum.models import Forum, Recommendation, RecommendationUpdate
from webapp.forum.services import recommendation_counts_by_unit
from webapp.geo.models import Unit


@pytest.fixture
def forum(login_as, client, places):
    login_as("officer_A")
    return plan_forum(client, places["A"].id)


def recommend(client, forum: int, **data):
    fields = {"text": "Xây rào và biển cảnh báo ở hồ nước cạnh trường.", "topic": "drowning",
              "group": "Nhóm nữ 12–15 tuổi", "presenter_id": "0", "agency_id": "0",
              "addressed_to": "Chủ tịch UBND xã", "answer": "", "due_date": ""}
    fields.update(data)
    return client.submit(f"/forum/{forum}/recommendations/new", fields)


def follow_up(client, rec: int, status: str, note: str, **data):
    return client.submit(f"/forum/recommendations/{rec}", {"status": status, "note": note,
                                                           "on": clock.today().isoformat(), **data},
                         action=f"/forum/recommendations/{rec}/updates")


def test_a_recommendations_whole_life(client, forum, app, count):
    refused = recommend(client, forum, addressed_to="", text="Có sân chơi cho trẻ em")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert 'id="addressed_to-error"' in page and "Có sân chơi cho trẻ em" in page
    created = recommend(client, forum)
    assert created.status_code == 303
    rec = int(created.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        assert db.session.get(Recommendation, rec).status == "received"
    due = (clock.today() + timedelta(days=60)).isoformat()
    assert follow_up(client, rec, "answered", "Xã hứa làm rào trước mùa mưa.", due_date=due).status_code == 303
    assert follow_up(client, rec, "in_progress", "Đã dự trù kinh phí.").status_code == 303
    backwards = follow_up(client, rec, "received", "Nhầm")
    assert backwards.status_code == 422 and 'id="status-error"' in backwards.get_data(as_text=True)
    assert follow_up(client, rec, "done", "Đã xây rào và cắm biển.").status_code == 303
    with app.app_context():
        record = db.session.get(Recommendation, rec)
        assert record.status == "done" and record.answer == "Xã hứa làm rào trước mùa mưa."
        assert record.due_date.isoformat() == due
        assert [u.status for u in record.updates] == ["answered", "in_progress", "done"]
    page = client.get(f"/forum/recommendations/{rec}").get_data(as_text=True)
    assert "Đã xây rào và cắm biển." in page and "Đã dự trù kinh phí." in page


def test_replayed_follow_up_is_saved_once(client, forum, count):
    rec = int(recommend(client, forum).headers["Location"].rsplit("/", 1)[1])
    from tests.conftest import hidden_fields

    fields = {**hidden_fields(client.get(f"/forum/recommendations/{rec}").get_data(as_text=True)),
              "status": "answered", "note": "Đã trả lời", "on": clock.today().isoformat()}
    for _ in range(2):
        assert client.post(f"/forum/recommendations/{rec}/updates", data=fields).status_code == 303
    assert count(RecommendationUpdate) == 1


def test_answer_given_at_the_dialogue_marks_it_answered(client, forum, app):
    rec = int(recommend(client, forum, answer="Công an xã sẽ tuần tra.").headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        assert db.session.get(Recommendation, rec).status == "answered"


def test_public_page_shows_what_became_of_each_recommendation_without_personal_data(
        client, places, forum, app, new_client):
    child = register_child(client, places["village_A"].id, "Vừ Thị Mai", 12)
    mai = delegate_id(client, forum, child)
    give_consent(client, mai, "guardian", purposes=("participate", "recommendations"), agencies="UBND xã")
    give_consent(client, mai, "child", purposes=("participate", "recommendations"), agencies="UBND xã")
    created = recommend(client, forum, presenter_id=str(mai), answer="Xã sẽ làm rào.")
    rec = int(created.headers["Location"].rsplit("/", 1)[1])
    assert "Vừ Thị Mai" in client.get(f"/forum/recommendations/{rec}").get_data(as_text=True)
    follow_up(client, rec, "in_progress", "Đã khởi công.")
    visitor = new_client()  # a child on any phone, not signed in
    response = visitor.get(f"/forum/public/{forum}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Xây rào và biển cảnh báo" in page and "Xã sẽ làm rào." in page and "Đã khởi công." in page
    for personal in ("Vừ Thị Mai", "Vừ A Páo", "Nhóm nữ 12–15 tuổi", "Người Giám Hộ", "Lý Thị Mai"):
        assert personal not in page
    assert visitor.get(f"/forum/{forum}").status_code == 302  # the staff page still needs signing in


def test_presenter_name_needs_consent_to_pass_recommendations(client, places, forum):
    child = register_child(client, places["village_A"].id, "Vừ Thị Mai", 12)
    mai = delegate_id(client, forum, child)
    both_consents(client, mai)  # taking part only
    page = client.get(f"/forum/{forum}/recommendations/new").get_data(as_text=True)
    assert "Vừ Thị Mai" not in page


def test_counts_by_status_for_reports_and_the_forums_page(client, places, forum, app):
    """What the dashboard's recommendation figures read (by the unit of the forum, in the period of its date) and
    what the forum's page shows."""
    recommend(client, forum)
    recommend(client, forum, addressed_to="Trường THCS Lùng Cẩu", answer="Sẽ mở thư viện.")
    recommend(client, forum, addressed_to="Trường THCS Lùng Cẩu")
    with app.app_context():
        day = db.session.get(Forum, forum).date
        counts = recommendation_counts_by_unit(db.session.get(Unit, places["province"].id), day, day)
        assert counts == {places["A"].id: {"received": 2, "answered": 1, "in_progress": 0, "done": 0}}
        assert recommendation_counts_by_unit(db.session.get(Unit, places["B"].id), day, day) == {}
        assert recommendation_counts_by_unit(db.session.get(Unit, places["A"].id), day + timedelta(days=1),
                                             day + timedelta(days=30)) == {}
    page = client.get(f"/forum/{forum}").get_data(as_text=True)
    shown = re.search(r'<p id="recommendation-counts">(.*?)</p>', page, re.S).group(1)
    assert re.findall(r"\d+", shown) == ["3", "2", "1", "0", "0"]


def test_commune_report_is_due_15_days_after_the_forum_and_reminded_until_sent(client, places, forum, app):
    held = plan_forum(client, places["A"].id, day=clock.today() - timedelta(days=20))
    due = (clock.today() - timedelta(days=5)).strftime("%d/%m/%Y")
    index = client.get("/forum/").get_data(as_text=True)
    assert 'id="reports-due"' in index and due in index
    assert due in client.get(f"/forum/{held}").get_data(as_text=True)
    sent = client.submit(f"/forum/{held}", {"sent_on": clock.today().isoformat()}, action=f"/forum/{held}/report")
    assert sent.status_code == 303
    assert 'id="reports-due"' not in client.get("/forum/").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Forum, held).report_sent_on == clock.today()


def test_only_the_forums_own_officers_record_recommendations(client, forum, new_client):
    collector = new_client()
    collector.login("thuthap.a")
    assert collector.get(f"/forum/{forum}/recommendations/new").status_code == 403
    other = new_client()
    other.login("canbo.b")
    assert other.get(f"/forum/{forum}/recommendations/new").status_code == 404


def test_a_follow_up_dated_after_today_is_refused(client, forum, count, vietnam_time):
    """Issue 15 item 9: a follow-up records what was answered or done; a date after today is in the future, while
    the promise's due date may lie ahead."""
    rec = recommend(client, forum).headers["Location"].rsplit("/", 1)[-1]
    vietnam_time(2030, 1, 1, 9, 0)
    response = follow_up(client, rec, "answered", "Xã đã trả lời.", on="2030-01-02", due_date="2030-03-01")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Ngày không được sau hôm nay." in page and "Xã đã trả lời." in page and 'value="2030-01-02"' in page
    assert count(RecommendationUpdate) == 0
    assert follow_up(client, rec, "answered", "Xã đã trả lời.", on="2030-01-01",
                     due_date="2030-03-01").status_code == 303
