"""Refusals: each says what is wrong in Vietnamese next to its field (status 422) and keeps what was typed."""

import re

import pytest

from webapp.activities.models import Activity

TALK = {"channel": "school_talk", "topics": ["violence_abuse"], "children": "30"}


def error_of(html: str, field: str) -> str:
    found = re.search(rf'<p id="{re.escape(field)}-error" class="error">([^<]*)</p>', html)
    return found.group(1) if found else ""


def value_of(html: str, field: str) -> str | None:
    found = re.search(rf'<input[^>]*\bname="{re.escape(field)}"[^>]*>', html)
    if not found:
        return None
    value = re.search(r'value="([^"]*)"', found.group(0))
    return value.group(1) if value else ""


@pytest.mark.parametrize("field,typed,message", [
    ("children", "100001", "Hãy nhập số nguyên từ 0 đến 100.000."),
    ("girls", "-3", "Hãy nhập số nguyên từ 0 đến 100.000."),
    ("boys", "12,5", "Hãy nhập số nguyên từ 0 đến 100.000."),
    ("adults", "mười", "Hãy nhập số nguyên từ 0 đến 100.000."),
    ("material_leaflet", "100001", "Hãy nhập số nguyên từ 0 đến 100.000."),
    ("amount_spent", "1000000000001", "Hãy nhập số tiền (đồng) từ 0 đến 1.000.000.000.000, chỉ gồm chữ số."),
    ("amount_spent", "1,5 triệu", "Hãy nhập số tiền (đồng) từ 0 đến 1.000.000.000.000, chỉ gồm chữ số."),
])
def test_a_wrong_number_is_refused_next_to_its_field(field, typed, message, login_as, fill, plans, count):
    login_as("collector_A")
    data = {**TALK, "venue": "Trường Tiểu học Lùng Cẩu", field: typed}
    if field == "amount_spent":
        data["funding_source"] = "local_budget"
    response = fill("/activities/new/communication", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_of(html, field) == message
    assert value_of(html, field) == typed  # kept as typed
    assert value_of(html, "venue") == "Trường Tiểu học Lùng Cẩu"
    assert 'value="violence_abuse" checked' in html or 'checked id="topics-1"' in html or re.search(
        r'<input[^>]*checked[^>]*value="violence_abuse"|<input[^>]*value="violence_abuse"[^>]*checked', html)
    assert count(Activity) == 0


@pytest.mark.parametrize("data,field,message", [
    ({"children": "30", "boys": "20", "girls": "15"}, "children",
     "Trẻ em trai và trẻ em gái cộng lại là 35, nhiều hơn 30 trẻ em."),
    ({"adults": "5", "adult_men": "4", "adult_women": "3"}, "adults",
     "Nam và nữ cộng lại là 7, nhiều hơn 5 người lớn."),
    ({"audience_total": "40", "adults": "10", "children": "35"}, "audience_total",
     "Người lớn và trẻ em cộng lại là 45, nhiều hơn tổng số 40 người tham dự."),
    ({"children": "40", "ethnic_minority": "41"}, "ethnic_minority", "Nhiều hơn tổng số 40 người tham dự."),
    ({"amount_spent": "500000"}, "funding_source", "Hãy chọn nguồn kinh phí."),
])
def test_parts_never_exceed_their_whole(data, field, message, login_as, fill, plans, count):
    login_as("collector_A")
    response = fill("/activities/new/communication", {**TALK, **data})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_of(html, field) == message
    for name, typed in data.items():
        assert value_of(html, name) == typed
    assert count(Activity) == 0


def test_boys_and_girls_make_the_children_when_left_empty(login_as, fill, plans, activity_of):
    login_as("collector_A")
    response = fill("/activities/new/communication", {**TALK, "children": None, "boys": "7", "girls": "9",
                                                      "adult_women": "2"})
    assert response.status_code == 303
    saved = activity_of(int(response.headers["Location"].split("/")[-1]))
    assert (saved.children, saved.adults, saved.audience_total) == (16, 2, 18)


def test_a_training_names_no_more_people_than_came(login_as, fill, plans):
    login_as("collector_A")
    response = fill("/activities/new/training", {"audience_total": "1", "participants-0-name": "Lò Văn A",
                                                 "participants-1-name": "Lò Thị B"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_of(html, "audience_total") == "Danh sách bên dưới có 2 người, nhiều hơn 1."
    assert value_of(html, "participants-1-name") == "Lò Thị B"


def test_a_date_outside_the_plan_year_is_refused_for_a_collector(login_as, fill, plans, count):
    login_as("collector_A")
    response = fill("/activities/new/communication", {**TALK, "date": f"{plans.year - 1}-12-30"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_of(html, "date") == (f"Ngày này không thuộc năm {plans.year} của kế hoạch. Hãy hỏi cán bộ phụ trách "
                                      "nếu hoạt động thuộc kế hoạch này.")
    assert value_of(html, "date") == f"{plans.year - 1}-12-30"
    assert 'name="outside_plan_year"' not in html  # a collector cannot allow it
    # Posting the box anyway changes nothing.
    response = fill("/activities/new/communication", {**TALK, "date": f"{plans.year - 1}-12-30",
                                                      "outside_plan_year": "y"})
    assert response.status_code == 422
    assert count(Activity) == 0


def test_an_officer_may_allow_a_date_outside_the_plan_year(login_as, fill, plans, activity_of):
    login_as("officer_A")
    refused = fill("/activities/new/communication", {**TALK, "date": f"{plans.year - 1}-12-30"})
    assert refused.status_code == 422
    assert "Cho phép ngày ngoài năm của kế hoạch" in error_of(refused.get_data(as_text=True), "date")
    allowed = fill("/activities/new/communication", {**TALK, "date": f"{plans.year - 1}-12-30",
                                                     "outside_plan_year": "y"})
    assert allowed.status_code == 303
    saved = activity_of(int(allowed.headers["Location"].split("/")[-1]))
    assert saved.outside_plan_year is True and saved.plan_id == plans.current


def test_a_channel_is_needed_for_communication(login_as, fill, plans):
    login_as("collector_A")
    response = fill("/activities/new/communication", {"channel": ""})
    assert response.status_code == 422
    assert error_of(response.get_data(as_text=True), "channel") == "Hãy chọn một mục."


def test_scores_are_all_or_none_and_within_range(login_as, fill, plans):
    login_as("officer_A")
    response = fill("/activities/new/child_friendly", {"stage": "self_assessment", "score_1": "50",
                                                       "score_2": "2000"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_of(html, "score_2") == "Hãy nhập số điểm nguyên từ 0 đến 1.000."
    assert error_of(html, "score_3") == "Hãy chấm điểm tất cả các tiêu chí, hoặc để trống toàn bộ."
    assert value_of(html, "score_1") == "50"


def test_health_insurance_cards_cannot_exceed_children_checked(login_as, fill, plans):
    login_as("officer_A")
    response = fill("/activities/new/inspection", {"under6_checked": "10", "under6_with_card": "11"})
    assert response.status_code == 422
    assert error_of(response.get_data(as_text=True), "under6_with_card") == "Nhiều hơn 10 trẻ em được kiểm tra."


def test_returning_needs_a_comment(login_as, client, fill, plans, new_client, users, activity_of):
    login_as("collector_A")
    activity_id = int(fill("/activities/new/communication", TALK).headers["Location"].split("/")[-1])
    officer = new_client()
    officer.login(users["officer_A"].username)
    response = officer.submit(f"/activities/{activity_id}", {"decision": "return", "comment": ""},
                              action=f"/activities/{activity_id}/review")
    assert response.status_code == 422
    assert error_of(response.get_data(as_text=True), "comment") == "Hãy ghi rõ người nhập cần sửa gì."
    assert activity_of(activity_id).status == "submitted"


def test_a_talk_without_audience_or_topic_is_refused_with_its_reasons(login_as, fill, plans, count):
    """Issue 15 item 9: a talk with no one who came and no topic was saved and sent for review."""
    login_as("village_head_A")
    for channel in ("community_talk", "school_talk"):
        response = fill("/activities/new/communication", {"channel": channel, "venue": "Nhà văn hóa thôn",
                                                          "material_leaflet": "20"})
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert error_of(html, "audience_total") == "Buổi nói chuyện phải có người nghe: nhập số người tham dự."
        assert 'id="topics-error"' in html and "Chọn nội dung của buổi nói chuyện." in html
        assert value_of(html, "venue") == "Nhà văn hóa thôn" and value_of(html, "material_leaflet") == "20"
    assert count(Activity) == 0
    # Zero who came is no audience either; the number of boys alone is one.
    response = fill("/activities/new/communication", {**TALK, "children": None, "audience_total": "0"})
    assert response.status_code == 422 and error_of(response.get_data(as_text=True), "audience_total")
    assert fill("/activities/new/communication", {**TALK, "children": None, "boys": "12"}).status_code == 303
    # A broadcast on the loudspeaker has no audience to count.
    assert fill("/activities/new/communication", {"channel": "loudspeaker",
                                                  "topics": ["hotlines"]}).status_code == 303


def test_a_date_after_today_is_refused_as_in_the_future(login_as, fill, plans, count, vietnam_time):
    """Issue 15 item 9: an activity is logged once held; a date after Vietnam's today is in the future, and a date
    next year says so, not only that it is outside the plan's year."""
    vietnam_time(plans.year, 6, 10, 23, 30)  # 16:30 UTC: already the 10th in Vietnam, 11th is tomorrow
    login_as("officer_A")
    for day in (f"{plans.year}-06-11", f"{plans.year}-07-03", f"{plans.year + 1}-01-05"):
        response = fill("/activities/new/communication", {**TALK, "date": day, "venue": "Trường THCS Bản Lầu"})
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert error_of(html, "date") == "Ngày không được sau hôm nay."
        assert "không thuộc năm" not in html
        assert value_of(html, "date") == day and value_of(html, "venue") == "Trường THCS Bản Lầu"
        assert value_of(html, "children") == "30"
    assert count(Activity) == 0
    assert fill("/activities/new/communication", {**TALK, "date": f"{plans.year}-06-10"}).status_code == 303
