"""What is cached (core/fragments.py) never shows a stale figure after a write, nor one person's page to another:
the blank activity form's HTML (per role and unit) and the dashboards' indicator results (per unit and period),
both keyed by the data's change counter (core/versions.py)."""

import re
from datetime import date

import pytest
from sqlalchemy import delete, select

from webapp.core import clock, fragments, versions
from webapp.core.models import new_client_id
from webapp.extensions import db
from webapp.geo.models import Unit

from . import test_reports_indicators as shared
from .activities.conftest import read_form
from .conftest import hidden_fields

plan2023, known_activities, known_records = shared.plan2023, shared.known_activities, shared.known_records
FORM = "/activities/new/communication?channel=community_talk"


def _village(app, commune_id: int, name: str) -> None:
    from webapp.geo.services import new_village

    with app.app_context():
        db.session.add(new_village(db.session.get(Unit, commune_id), name))
        db.session.commit()


def test_a_blank_form_follows_every_write_of_what_it_is_made_of(app, login_as, client, places, this_years_plan):
    login_as("officer_A")
    first = client.get(FORM).get_data(as_text=True)
    assert "Thôn Lùng Cẩu" in first and "Thôn Mới Lập" not in first
    assert fragments.STORE.entries, "the blank form was not kept"
    hits = fragments.STORE.hits
    again = client.get(FORM).get_data(as_text=True)
    assert fragments.STORE.hits > hits
    # Logging an activity changes no plan, agency or place: the kept form stays.
    assert _post_as_shown(client, FORM, {"topics": ["violence_abuse"], "boys": "3"}).status_code == 303
    hits = fragments.STORE.hits
    client.get(FORM)
    assert fragments.STORE.hits > hits
    _village(app, places["A"].id, "Thôn Mới Lập")  # a new place: the next answer is made afresh
    assert "Thôn Mới Lập" in client.get(FORM).get_data(as_text=True)
    assert "Thôn Mới Lập" not in again


def test_a_plan_changed_by_the_admin_changes_the_blank_form(app, login_as, client, places, this_years_plan):
    from webapp.plans.models import Plan

    login_as("officer_A")
    year = str(clock.today().year)
    assert f">{year}</option>" in client.get(FORM).get_data(as_text=True)
    with app.app_context():
        db.session.get(Plan, this_years_plan).year = 2031
        db.session.commit()
    page = client.get(FORM).get_data(as_text=True)
    assert ">2031</option>" in page and f">{year}</option>" not in page


def test_each_answer_has_its_own_client_id_and_a_token_that_posts(app, login_as, client, places, this_years_plan,
                                                                   count):
    from webapp.activities.models import Activity

    login_as("collector_A")
    pages = [client.get(FORM).get_data(as_text=True) for _ in range(3)]
    ids = {hidden_fields(p)["client_id"] for p in pages}
    assert len(ids) == 3
    for page in pages:
        assert "\x00" not in page  # no stand-in left in a page
        token = hidden_fields(page)["csrf_token"]
        assert token and f'"X-CSRFToken": "{token}"' in page.replace("&#34;", '"')
    # the kept form posts and saves
    response = _post_as_shown(client, FORM, {"topics": ["violence_abuse"], "boys": "12", "girls": "9"})
    assert response.status_code == 303
    assert count(Activity, boys=12) == 1


def test_two_units_and_two_roles_never_share_a_blank_form(app, client, new_client, users, places, this_years_plan):
    a, b, collector = new_client(), new_client(), new_client()
    a.login(users["officer_A"].username)
    b.login(users["officer_B"].username)
    collector.login(users["collector_A"].username)
    page_a = a.get(FORM).get_data(as_text=True)
    page_b = b.get(FORM).get_data(as_text=True)
    page_collector = collector.get(FORM).get_data(as_text=True)
    assert "Thôn Lùng Cẩu" in page_a and "Bản Phố" not in page_a
    assert "Bản Phố" in page_b and "Thôn Lùng Cẩu" not in page_b
    # An officer may allow an activity outside the plan's year; a collector of the same unit is not offered it.
    assert 'name="outside_plan_year"' in page_a and 'name="outside_plan_year"' not in page_collector
    assert hidden_fields(page_a)["csrf_token"] != hidden_fields(page_b)["csrf_token"]


def test_the_same_unit_and_role_in_two_languages(app, new_client, make_user, users, places, this_years_plan):
    english, vietnamese = new_client(), new_client()
    english.login(users["officer_A"].username)
    page = english.get("/account").get_data(as_text=True)
    assert english.post("/language", data={"locale": "en", "csrf_token": hidden_fields(page)["csrf_token"]}
                        ).status_code == 303
    second = make_user("officer", places["A"].id, "canbo.a2")
    vietnamese.login(second.username)
    assert "Trẻ em trai" in vietnamese.get(FORM).get_data(as_text=True)  # kept in Vietnamese, no write since
    page = english.get(FORM).get_data(as_text=True)
    assert "Trẻ em trai" not in page and "Boys" in page


def test_each_role_sees_its_own_menu_in_its_own_language(app, new_client, users):
    """The menu's links are built once per role (core.nav): an officer and a village head in one process, one of
    them in English, each see their own bar."""
    officer, head = new_client(), new_client()
    officer.login(users["officer_A"].username)
    head.login(users["village_head_A"].username)
    page = officer.get("/account").get_data(as_text=True)
    officer.post("/language", data={"locale": "en", "csrf_token": hidden_fields(page)["csrf_token"]})
    for _ in range(2):  # built, then read from what was kept
        bar_officer = officer.get("/outbox").get_data(as_text=True).split('<nav class="bottom"')[1]
        bar_head = head.get("/outbox").get_data(as_text=True).split('<nav class="bottom"')[1]
        assert 'href="/reports/"' in bar_officer and 'href="/gifts/"' not in bar_officer
        assert 'href="/gifts/"' in bar_head and 'href="/reports/"' not in bar_head
        assert "More" in bar_officer and "More" not in bar_head


def _post_as_shown(client, url: str, data: dict):
    """Post the form as the browser shows it (today, my unit, the plan, the hidden fields), with `data` typed."""
    action, fields = read_form(client.get(url).get_data(as_text=True))
    fields.update(data)
    return client.post(action or url, data={k: v for k, v in fields.items() if v is not None})


def _value(app, code, unit_id, period_id):
    from webapp.plans.models import ReportPeriod
    from webapp.reports import indicators

    with app.test_request_context():
        return indicators.value(code, db.session.get(Unit, unit_id), db.session.get(ReportPeriod, period_id))


def _write_child(app, places):
    from webapp.children.models import Child

    db.session.add(Child(full_name="Lò Thị Mới", search_name="lo thi moi", birth_date=date(2016, 2, 1),
                         birth_year=2016, sex="F", unit_id=places["village_A"].id, commune_id=places["A"].id,
                         client_id=new_client_id()))


def _write_donation(app, places):
    from webapp.fund.models import Donation

    db.session.add(Donation(unit_id=places["province"].id, donor_name="Công ty Y", donor_key="cong ty y",
                            donor_kind="organisation", form="cash", value=1_000_000, status="received",
                            given_on=date(2023, 4, 2), client_id=new_client_id()))


def _write_receipt_removed(app, places):
    from webapp.gifts.models import Distribution

    row = db.session.scalars(select(Distribution).where(Distribution.occasion == "tet")).first()
    row.group_count = (row.group_count or 0) + 5


def _write_swim(app, places):
    from webapp.swim.models import SwimAttendance

    db.session.execute(delete(SwimAttendance))  # a bulk statement: counted as a write too


def _write_forum(app, places):
    from webapp.forum.models import Forum

    db.session.add(Forum(unit_id=places["B"].id, level="province", date=date(2023, 4, 1), place="Nhà văn hóa",
                         theme="Trẻ em", client_id=new_client_id()))


@pytest.mark.parametrize("code, write", [
    ("children_registered", _write_child), ("fund_raised", _write_donation), ("gifts_given", _write_receipt_removed),
    ("swim_taught", _write_swim), ("forums_held", _write_forum),
])
def test_a_write_of_any_feature_changes_the_next_figure(app, places, plan2023, known_records, code, write):
    period = plan2023["half_year"]
    before = _value(app, code, places["province"].id, period)
    assert _value(app, code, places["province"].id, period) == before  # asked again: the kept result
    with app.app_context():
        version = versions.current()
        write(app, places)
        db.session.commit()
        assert versions.current() != version
    assert _value(app, code, places["province"].id, period) != before


def test_a_sign_in_leaves_the_kept_figures(app, login_as, client, places, plan2023, known_records):
    with app.app_context():
        version = versions.current()
    login_as("admin")
    with app.app_context():
        assert versions.current() == version  # the sign-in's bookkeeping is not a change of any figure


def test_two_units_never_share_a_figure(app, places, plan2023, known_records):
    period = plan2023["half_year"]
    a = _value(app, "fund_raised_local", places["A"].id, period)
    b = _value(app, "fund_raised_local", places["B"].id, period)
    assert (a, b) == (20_000_000, 0)


def test_the_dashboard_page_shows_an_activity_just_logged(app, login_as, client, new_client, users, places,
                                                         this_years_plan, vietnam_time):
    vietnam_time(clock.today().year, 3, 10, 9, 0)  # inside the plan's first half
    officer = new_client()
    officer.login(users["officer_A"].username)
    board = officer.get("/reports/dashboard").get_data(as_text=True)
    waiting = len(re.findall("chờ duyệt", board))
    login_as("collector_A")
    assert _post_as_shown(client, FORM, {"topics": ["violence_abuse"], "boys": "4"}).status_code == 303
    board = officer.get("/reports/dashboard").get_data(as_text=True)
    assert len(re.findall("chờ duyệt", board)) > waiting


def test_the_months_chart_follows_a_write_and_is_never_another_units(app, places, plan2023, known_records):
    """The dashboard's activities per month (reports.services.activity_months) are kept like its figures."""
    from webapp.activities.models import Activity
    from webapp.plans.models import ReportPeriod
    from webapp.reports import services

    def months(unit_id):
        with app.test_request_context():
            chart = services.activity_months(db.session.get(Unit, unit_id),
                                             db.session.get(ReportPeriod, plan2023["half_year"]), on=date(2023, 6, 30))
            return [sum(values) for values in zip(*(s.values for s in chart.series), strict=True)]

    before_a, before_b = months(places["A"].id), months(places["B"].id)
    assert months(places["A"].id) == before_a  # asked again: the kept chart
    with app.app_context():
        plan_id = db.session.get(ReportPeriod, plan2023["half_year"]).plan_id
        db.session.add(Activity(kind="training", plan_id=plan_id, unit_id=places["A"].id, date=date(2023, 3, 14),
                                status="approved", audience_total=12, client_id=new_client_id()))
        db.session.commit()
    after_a = months(places["A"].id)
    assert sum(after_a) == sum(before_a) + 1 and after_a[2] == before_a[2] + 1  # March, one more
    assert months(places["B"].id) == before_b
