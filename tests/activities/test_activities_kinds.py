"""Each of the 12 kinds of activity is logged, listed, filtered, opened, edited, approved and returned through the
client, as a collector and an officer of commune A would."""

import re

import pytest

from webapp.activities.models import KINDS, Activity

# What a person types for each kind, beyond what the form shows already (today, their unit, the plan).
KIND_DATA = {
    "communication": {"channel": "school_talk", "topics": ["violence_abuse", "hotlines"], "boys": "20",
                      "girls": "25", "material_leaflet": "45"},
    "training": {"topics": ["injury_drowning"], "audience_groups": ["village_heads", "volunteers"],
                 "audience_total": "30", "adults": "30", "participants-0-name": "Giàng Seo Páo",
                 "participants-0-role": "village_head", "participants-1-name": "Vàng Thị Dung",
                 "participants-1-role": "volunteer"},
    "month_of_action": {"event_type": "launch", "level": "commune", "children": "120", "gifts_count": "50",
                        "gifts_value": "15.000.000", "money_raised": "20000000"},
    "forum": {"forum_part": "forum", "level": "commune", "children": "40", "girls": "22", "boys": "18"},
    "support_model": {"model": "leaders_of_change", "model_steps": ["kickoff"], "adults": "15", "children": "25"},
    "child_friendly": {"stage": "self_assessment", "threshold": "800",
                       **{f"score_{c}": "70" for c in range(1, 14)}},
    "recreation": {"occasion": "mid_autumn", "recreation_types": ["visits_gifts"], "children": "200",
                   "gifts_count": "200", "gifts_value": "10000000"},
    "violence_prevention": {"actions": ["monitoring_at_risk"], "cases_handled": "2", "adults": "12"},
    "injury_prevention": {"settings": ["safe_school"], "topics": ["injury_drowning"], "children": "300",
                          "material_poster": "10"},
    "child_labour": {"reached": ["employers"], "adults": "18", "material_booklet": "18"},
    "fundraising": {"level": "commune", "donors": ["companies"], "money_raised": "50000000",
                    "in_kind_value": "5000000"},
    "inspection": {"checks": ["health_insurance_under6", "child_database"], "places_checked": "3",
                   "under6_checked": "40", "under6_with_card": "38"},
}


def _id(response) -> int:
    assert response.status_code == 303, re.findall(r'class="error">([^<]*)', response.get_data(as_text=True))
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_through_its_whole_life(kind, login_as, client, fill, plans, users, activity_of, new_client):
    assert set(KIND_DATA) == set(KINDS)
    login_as("collector_A")
    activity_id = _id(fill(f"/activities/new/{kind}", KIND_DATA[kind]))
    saved = activity_of(activity_id)
    assert saved.kind == kind and saved.status == "submitted" and saved.plan_id == plans.current
    assert saved.unit_id == users["collector_A"].unit_id

    # Listed, and found by its kind but not by another.
    listing = client.get(f"/activities/?kind={kind}").get_data(as_text=True)
    assert f"/activities/{activity_id}" in listing
    other = next(k for k in KINDS if k != kind)
    assert f"/activities/{activity_id}" not in client.get(f"/activities/?kind={other}").get_data(as_text=True)

    # Opened.
    assert client.get(f"/activities/{activity_id}").status_code == 200

    # Edited by its author: the note is kept and the version moves on.
    response = fill(f"/activities/{activity_id}/edit", {"notes": "Đã bổ sung số liệu."})
    assert _id(response) == activity_id
    edited = activity_of(activity_id)
    assert edited.notes == "Đã bổ sung số liệu." and edited.version == saved.version + 1
    assert edited.kind == kind

    # Returned by the officer with a comment, which the author then sees.
    officer = new_client()
    assert officer.login(users["officer_A"].username).status_code == 303
    back = officer.submit(f"/activities/{activity_id}",
                          {"decision": "return", "comment": "Thiếu số trẻ em gái."},
                          action=f"/activities/{activity_id}/review")
    assert back.status_code == 303
    assert activity_of(activity_id).status == "returned"
    assert "Thiếu số trẻ em gái." in client.get(f"/activities/{activity_id}").get_data(as_text=True)
    assert "Thiếu số trẻ em gái." in client.get("/activities/").get_data(as_text=True)

    # The author fixes it, which sends it back for review; the officer approves it.
    assert _id(fill(f"/activities/{activity_id}/edit", {"venue": "Nhà văn hóa thôn"})) == activity_id
    assert activity_of(activity_id).status == "submitted"
    ok = officer.submit(f"/activities/{activity_id}", {"decision": "approve"},
                        action=f"/activities/{activity_id}/review")
    assert ok.status_code == 303
    approved = activity_of(activity_id)
    assert approved.status == "approved" and approved.reviewed_by_id == users["officer_A"].id

    # Approved: its author may no longer change it.
    assert client.get(f"/activities/{activity_id}/edit").status_code == 403


def test_kind_specific_values_are_stored_in_columns_and_rows(login_as, fill, plans, activity_of):
    login_as("collector_A")
    talk = activity_of(_id(fill("/activities/new/communication", KIND_DATA["communication"])))
    assert (talk.channel, talk.children, talk.boys, talk.girls, talk.audience_total) == ("school_talk", 45, 20, 25, 45)
    assert sorted(talk.codes("topic")) == ["hotlines", "violence_abuse"]
    assert {m.kind: m.quantity for m in talk.materials} == {"leaflet": 45}

    training = activity_of(_id(fill("/activities/new/training", KIND_DATA["training"])))
    assert [(p.name, p.role) for p in training.participants] == [("Giàng Seo Páo", "village_head"),
                                                                  ("Vàng Thị Dung", "volunteer")]
    assert sorted(training.codes("audience")) == ["village_heads", "volunteers"]

    month = activity_of(_id(fill("/activities/new/month_of_action", KIND_DATA["month_of_action"])))
    assert (month.gifts_count, month.gifts_value, month.money_raised) == (50, 15_000_000, 20_000_000)
    assert month.detail_dict == {"event_type": "launch"} and month.level == "commune"

    commune = activity_of(_id(fill("/activities/new/child_friendly", KIND_DATA["child_friendly"])))
    assert [s.score for s in commune.scores] == [70] * 13
    assert (commune.assessment_total, commune.assessment_threshold, commune.assessment_met) == (910, 800, True)

    inspection = activity_of(_id(fill("/activities/new/inspection", KIND_DATA["inspection"])))
    assert inspection.detail_dict == {"places_checked": 3, "under6_checked": 40, "under6_with_card": 38}
    assert sorted(inspection.codes("check")) == ["child_database", "health_insurance_under6"]


def test_a_criterion_at_zero_fails_the_assessment_whatever_the_total(login_as, fill, plans, activity_of):
    login_as("officer_A")
    data = {**KIND_DATA["child_friendly"], "score_5": "0", "score_1": "200"}
    commune = activity_of(_id(fill("/activities/new/child_friendly", data)))
    assert commune.assessment_total == 70 * 11 + 200 and commune.assessment_met is False


def test_money_is_shown_with_dots_and_the_dong_sign(login_as, client, fill, plans):
    login_as("collector_A")
    activity_id = _id(fill("/activities/new/fundraising", KIND_DATA["fundraising"]))
    page = client.get(f"/activities/{activity_id}").get_data(as_text=True)
    assert "50.000.000\u00a0₫" in page and "5.000.000\u00a0₫" in page


@pytest.mark.parametrize("field,value,column,expected", [
    ("topic", "violence_abuse", None, True), ("topic", "child_labour", None, False),
])
def test_filter_by_topic(field, value, column, expected, login_as, client, fill, plans):
    login_as("collector_A")
    activity_id = _id(fill("/activities/new/communication", KIND_DATA["communication"]))
    listing = client.get(f"/activities/?{field}={value}").get_data(as_text=True)
    assert (f"/activities/{activity_id}" in listing) is expected


def test_filter_by_period_and_unit(login_as, client, fill, plans, places, app):
    login_as("officer_A")
    in_village = _id(fill("/activities/new/communication", {**KIND_DATA["communication"],
                                                            "unit_id": str(places["village_A"].id)}))
    old = _id(fill("/activities/new/communication", {**KIND_DATA["communication"], "date": "2023-03-08",
                                                     "plan_id": str(plans.old)}))
    with app.app_context():
        from sqlalchemy import select

        from webapp.extensions import db
        from webapp.plans.models import ReportPeriod
        half = db.session.scalar(select(ReportPeriod).where(ReportPeriod.plan_id == plans.old,
                                                            ReportPeriod.code == "half_year"))
        half_id = half.id
    by_period = client.get(f"/activities/?period=period-{half_id}").get_data(as_text=True)
    assert f"/activities/{old}" in by_period and f"/activities/{in_village}" not in by_period
    by_year = client.get(f"/activities/?period=year-{plans.year}").get_data(as_text=True)
    assert f"/activities/{in_village}" in by_year and f"/activities/{old}" not in by_year
    by_unit = client.get(f"/activities/?unit={places['village_A'].id}").get_data(as_text=True)
    assert f"/activities/{in_village}" in by_unit and f"/activities/{old}" not in by_unit


def test_the_list_has_pages(login_as, client, fill, plans, app, count):
    app.config["PAGE_SIZE"] = 2
    login_as("collector_A")
    for _ in range(3):
        _id(fill("/activities/new/communication", KIND_DATA["communication"]))
    first = client.get("/activities/").get_data(as_text=True)
    assert first.count('class="badge badge-') == 2 and "page=2" in first
    second = client.get("/activities/?page=2").get_data(as_text=True)
    assert second.count('class="badge badge-') == 1
    assert count(Activity) == 3
