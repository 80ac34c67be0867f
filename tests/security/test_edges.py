"""Every id and choice is checked, and an answer to a value at the edge is a 4xx with a message, never a 500: ids that
no column holds (2³¹ and more, in URLs and in forms), ids of records one may not choose, text that grows when
normalised, and dates outside a sane range (2000-01-01 to a year from today)."""

import importlib
import inspect
import re
from datetime import timedelta

import pytest
from werkzeug.routing import IntegerConverter
from wtforms import Form

from tests.conftest import hidden_fields
from tests.forum_helpers import plan_forum
from tests.test_swim_courses import enrol, make_course, tap, teacher  # noqa: F401  (fixtures)
from webapp import FEATURES
from webapp.activities.models import Activity, ActivityParticipant
from webapp.children.models import Child
from webapp.core import clock
from webapp.forum.models import Forum
from webapp.swim.models import SwimTap

BIG = ["2147483648", "9223372036854775808", "99999999999999999999999"]
WIDE = "\ufb2c" * 100  # 100 characters typed, 300 once normalised (NFC)


def test_ids_no_column_holds_are_not_found_in_any_url(app, client, users):
    """Every URL with a number in it, as the administrator, with numbers beyond PostgreSQL's integer: not found."""
    client.login("quantri")
    token = client.csrf_token()
    wrong = []
    for rule in app.url_map.iter_rules():
        numbers = [name for name, conv in rule._converters.items() if isinstance(conv, IntegerConverter)]
        if not numbers:
            continue
        for big in BIG:
            url = rule.rule
            for name in rule.arguments:
                value = big if name in numbers else "x"
                url = re.sub(rf"<(?:[^:<>]+:)?{name}>", value, url)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(url, method=method, data={"csrf_token": token})
                if not 400 <= response.status_code < 500:
                    wrong.append(f"{method} {url}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_the_public_forum_page_of_a_forum_no_column_holds_is_not_found(client):
    assert client.get("/forum/public/2147483648").status_code == 404


@pytest.fixture
def activity_form(client, login_as, places, this_years_plan):
    """Officer A's communication activity form, filled in; returns (url, fields)."""
    login_as("officer_A")
    url = "/activities/new/communication"
    fields = hidden_fields(client.get(url).get_data(as_text=True))
    fields.update({"date": clock.today().isoformat(), "unit_id": str(places["A"].id), "plan_id": str(this_years_plan),
                   "channel": "community_talk", "audience_total": "10", "funding_source": ""})
    return url, fields


@pytest.mark.parametrize("agency", ["9999", "-5", "2147483648", "abc"])
def test_a_lead_agency_not_in_the_list_is_refused(client, activity_form, count, agency):
    url, fields = activity_form
    response = client.post(url, data={**fields, "lead_agency_id": agency})
    assert response.status_code == 422
    assert 'id="lead_agency_id-error"' in response.get_data(as_text=True)
    assert count(Activity) == 0


def test_a_participant_from_a_village_of_another_commune_is_refused(client, login_as, places, this_years_plan,
                                                                     count):
    login_as("officer_A")
    url = "/activities/new/training"
    fields = hidden_fields(client.get(url).get_data(as_text=True))
    fields.update({"date": clock.today().isoformat(), "unit_id": str(places["A"].id),
                   "plan_id": str(this_years_plan), "funding_source": "", "topics": "injury_drowning",
                   "audience_groups": "village_heads", "audience_total": "10", "adults": "10",
                   "participants-0-name": "Người Học", "participants-0-role": "village_head"})
    for village in (str(places["village_B"].id), "2147483648", "-1"):
        response = client.post(url, data={**fields, "participants-0-village_id": village})
        assert response.status_code == 422, village
        assert count(ActivityParticipant) == 0
    ok = client.post(url, data={**fields, "participants-0-village_id": str(places["village_A"].id)})
    assert ok.status_code == 303, ok.get_data(as_text=True)[:2000]


def _child(places, **overrides) -> dict:
    data = {"full_name": "Vừ Thị Mai", "birth_date": "", "birth_year": str(clock.today().year - 10), "sex": "F",
            "ethnicity": "08", "village_id": str(places["village_A"].id), "consent_by": "Vừ A Páo",
            "consent_relation": "father", "consent_method": "paper", "consent_on": clock.today().isoformat(),
            "consent_child": "y", "not_duplicate": "y"}
    data.update(overrides)
    return data


def test_a_name_is_measured_once_normalised(client, login_as, places, count):
    login_as("officer_A")
    for name, status in ((WIDE, 422), ("\ufb2c" * 40, 303)):
        response = client.submit("/children/new", _child(places, full_name=name))
        assert response.status_code == status, name[:3]
    assert count(Child) == 1
    page = client.submit("/children/new", _child(places, full_name=WIDE)).get_data(as_text=True)
    assert "Tối đa 120 ký tự" in page


@pytest.mark.parametrize(("field", "message"), [("village_id", "Hãy chọn trong danh sách."),
                                                ("birth_year", "Hãy nhập một số nhỏ hơn.")])
def test_a_childs_numbers_beyond_any_column_are_refused(client, login_as, places, count, field, message):
    login_as("officer_A")
    response = client.submit("/children/new", _child(places, **{field: "2147483648"}))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)  # in Vietnamese, WTForms' own refusals too
    assert count(Child) == 0


EDGES = ["0001-01-01", "1999-12-31", "9999-12-31", (clock.today() + timedelta(days=400)).isoformat()]


@pytest.mark.parametrize("day", EDGES)
def test_a_forum_dated_outside_a_sane_range_is_refused(client, login_as, places, count, day):
    login_as("officer_A")
    response = client.submit("/forum/new", {"level": "commune", "unit_id": str(places["A"].id), "date": day})
    assert response.status_code == 422
    assert "Nhập một ngày từ 01/01/2000 đến" in response.get_data(as_text=True)
    assert count(Forum) == 0
    plan_forum(client, places["A"].id, clock.today() + timedelta(days=300))  # a year ahead is fine


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2147483648-01-01"])
def test_a_swim_tap_dated_outside_a_sane_range_is_refused(app, login_as, client, make_course, make_child,  # noqa: F811
                                                          count, day):
    login_as("officer_A")
    course = make_course()
    child = make_child("Vừ Thị Mai")
    assert enrol(client, course, child).status_code == 303
    response = tap(client, course, 1, child, "present:1", day=day)
    assert 400 <= response.status_code < 500
    assert count(SwimTap) == 0
    assert tap(client, course, 1, child, "present:1", day=clock.today().isoformat()).status_code in (200, 204, 303)
    assert count(SwimTap) == 1


def _form_classes():
    for feature in FEATURES:
        try:
            module = importlib.import_module(f"webapp.{feature}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Form) and cls.__module__ == module.__name__:
                yield cls


def test_every_form_field_is_a_checked_one(app):
    """Every date is within a sane range, every whole number fits a column, every text is measured normalised: each
    form of the app uses the fields of webapp/core/fields.py, not WTForms' own."""
    from wtforms import fields as wtf

    plain = {wtf.DateField: "DateField", wtf.IntegerField: "IntegerField", wtf.StringField: "StringField",
             wtf.TextAreaField: "TextAreaField"}
    wrong = []
    with app.test_request_context():
        for cls in _form_classes():
            for name, unbound in vars(cls).items():
                field_class = getattr(unbound, "field_class", None)
                if field_class in plain:
                    wrong.append(f"{cls.__module__}.{cls.__name__}.{name}: wtforms {plain[field_class]}")
    assert not wrong, "fields not from webapp.core.fields:\n" + "\n".join(wrong)


ODD_IDS = ["2147483648", "\u00b2", "\u0663", "99999999999999999999999"]  # beyond a column; "²" and "٣" are digits to
# str.isdigit() but not to int()


def test_ids_read_from_text_are_checked_like_ids_in_urls(client, login_as, places, make_course, make_child,  # noqa: F811
                                                         this_years_plan):
    login_as("officer_A")
    forum = plan_forum(client, places["A"].id)
    course = make_course()
    child = make_child("Vừ Thị Mai")
    assert enrol(client, course, child).status_code == 303
    token = client.csrf_token()
    for odd in ODD_IDS:
        assert client.get(f"/forum/{forum}/delegates/add?child={odd}").status_code in (200, 404), odd
        assert client.post(f"/forum/{forum}/delegates/add", data={"csrf_token": token, "child_id": odd,
                                                                    "role": "delegate"}).status_code < 500
        assert 400 <= client.post(f"/forum/{forum}/checkin", data={"csrf_token": token, "delegate_id": odd,
                                                                   "client_id": f"c-{odd}"}).status_code < 500
        assert client.get(f"/activities/?unit={odd}&period=period-{odd}").status_code == 200
        assert client.get(f"/activities/?period=year-{odd}").status_code == 200
        assert tap(client, course, 1, child, f"skill:{odd}:1", day=clock.today().isoformat()).status_code == 422


def test_a_class_list_row_that_would_not_fit_is_refused_not_saved(client, login_as, places, make_course, count):  # noqa: F811
    """Imported text is measured as the forms measure it: a class of 21 characters (the column holds 20) or a name
    that grows past 120 when normalised is a refused row, not a failed save."""
    from tests.security.test_uploads import upload

    login_as("officer_A")
    course = make_course()
    year = clock.today().year - 9
    rows = [f"Vừ Thị Mai,Nữ,{year},Mông,Thôn Lùng Cẩu,{'4A' * 11},Vừ A Dơ",
            f"{WIDE},Nữ,{year},Mông,Thôn Lùng Cẩu,4A,Vừ A Dơ",
            f"Giàng A Súa,Nam,{year},Mông,Thôn Lùng Cẩu,4A,Giàng A Lử"]
    response = upload(client, f"/swim/{course}/import", "lop.csv", "\n".join(rows).encode())
    assert response.status_code in (200, 303, 422)
    assert count(Child) == 1
