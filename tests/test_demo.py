"""The demo is lived in: `seed_demo` gives the demo communes a year of records, fast, once, in NFC, with nobody's
personal data outside their area, so that every page a newcomer opens shows what it is for."""

import time
import unicodedata
from datetime import date

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import String, Text, func, select

from webapp.extensions import db

SEED_BOUND = 30  # seconds: a guard only; the seed takes a few seconds (measured and printed by the first test)
# The goals of the province's dashboard that records can measure today and the demo gives a value above zero.
MEASURED = ("T6", "T7", "T12", "T13", "Q1", "Q1:participants", "Q2", "Q3", "Q3:participants", "Q4")
EMPTY_STATES = ("No activity matches.", "No child matches.", "Nothing yet.", "No distribution yet.",
                "No donation yet.", "No spending yet.", "No forum yet.", "No course yet.", "No child enrolled yet.",
                "No plan yet.", "Nothing matches these filters.", "No recommendation recorded yet.")


def _seed(app) -> float:
    from webapp.demo import seed_demo

    with app.app_context():
        start = time.perf_counter()
        seed_demo()
        took = time.perf_counter() - start
        db.session.remove()
    return took


def _row_counts(app) -> dict[str, int]:
    with app.app_context():
        return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}


@pytest.fixture
def demo(app):
    _seed(app)
    return app


def test_the_seed_is_fast_and_running_it_again_adds_nothing(app, capsys):
    took = _seed(app)
    with capsys.disabled():
        print(f"\n[demo seed: {took:.2f} s on {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}]")
    assert took < SEED_BOUND
    first = _row_counts(app)
    assert first["children"] >= 90 and first["activities"] >= 90 and first["gift_receipts"] >= 40
    _seed(app)
    assert _row_counts(app) == first


def test_a_year_of_every_kind_with_review_consent_a_flagged_receipt_and_reports(demo):
    from webapp.activities.models import APPROVED, KINDS, RETURNED, SUBMITTED, Activity
    from webapp.activities.totals import rebuild
    from webapp.children.models import Child
    from webapp.core import clock
    from webapp.forum.models import Consent, Delegate, Recommendation
    from webapp.gifts.models import Receipt
    from webapp.reports.models import Report
    from webapp.swim.models import SwimLesson

    with demo.app_context():
        today = clock.today()
        kinds = set(db.session.scalars(select(Activity.kind).distinct()))
        assert kinds == set(KINDS)
        statuses = dict(db.session.execute(select(Activity.status, func.count()).group_by(Activity.status)).all())
        assert statuses[APPROVED] > 5 * statuses.get(SUBMITTED, 0) and statuses[RETURNED] in (1, 2)
        assert db.session.scalar(select(func.max(Activity.date))) <= today
        assert all(a.created_by_id and a.client_id for a in db.session.scalars(select(Activity)))
        children = db.session.scalars(select(Child)).all()
        assert all(c.consent_recorded for c in children)
        assert all(c.guardian_phone is None or c.guardian_phone.startswith("0000000") for c in children)  # fake
        assert db.session.scalar(select(func.count()).where(Receipt.flagged.is_(True))) == 1
        delegates = db.session.scalars(select(Delegate)).all()
        assert delegates and all(d.may_check_in for d in delegates)
        assert db.session.scalar(select(func.count()).select_from(Consent)) == 2 * len(delegates)
        assert {r.status for r in db.session.scalars(select(Recommendation))} >= {"answered", "in_progress", "done"}
        from webapp.swim.models import SwimCourse

        running = db.session.scalar(select(SwimCourse).where(SwimCourse.name == "Lớp học bơi an toàn Bắc Hà"))
        held = db.session.scalar(select(func.count()).select_from(SwimLesson).where(SwimLesson.course_id == running.id))
        assert 0 < held < 16  # half taught
        if today >= date(today.year, 8, 15):  # and the summer's course, taught to its end
            assert db.session.scalar(select(func.count()).select_from(SwimLesson)) == held + 16
        reports = db.session.scalars(select(Report)).all()
        timing = sorted(clock.local_date(r.first_submitted_at) <= r.period.due_date for r in reports)
        assert timing == [False, True]  # one on time, one late
        # the monthly summary the commits kept is the one computed from scratch
        summary = db.metadata.tables["activity_month_totals"]
        columns = [c for c in summary.columns if c.name != "id"]
        kept = sorted(map(repr, db.session.execute(select(*columns)).all()))
        rebuild()
        assert kept == sorted(map(repr, db.session.execute(select(*columns)).all()))
        db.session.rollback()


def _province_board(app):
    from webapp.accounts.models import User
    from webapp.reports import services

    admin = db.session.scalar(select(User).where(User.username == "admin"))
    return services.dashboard(admin.unit, services.current_period(admin))


def test_the_province_dashboard_shows_a_value_for_the_goals(demo):
    with demo.test_request_context():
        board = _province_board(demo)
        values = {row.goal.code: row.actual for row in board.rows}
    # every goal has a value but T14 (said in words): those no record measures entered with their source, the rest
    # from records (a plan copied into a year after 01/7/2025 has no district forums, Q5)
    assert [code for code, value in values.items() if value is None] == ["T14"], values
    assert all(values[code] > 0 for code in MEASURED), values


def test_the_dashboard_shows_data_early_in_the_year_too(app, vietnam_time):
    vietnam_time(2026, 2, 10, 9, 0)  # before the 6-month report is due: the previous period's reports are shown
    _seed(app)
    with app.test_request_context():
        board = _province_board(app)
        values = {row.goal.code: row.actual for row in board.rows}
        from webapp.reports.models import Report

        assert len(db.session.scalars(select(Report)).all()) == 2
    assert sum(1 for code in ("T6", "T13", "Q1", "Q4") if values[code]) >= 3, values
    from webapp.activities.models import Activity
    from webapp.forum.models import Forum
    from webapp.fund.models import Donation
    from webapp.gifts.models import Distribution
    from webapp.swim.models import SwimLesson

    with app.app_context():  # nothing is dated after today
        for column in (Activity.date, Distribution.given_on, Donation.given_on, Forum.date, SwimLesson.date):
            assert db.session.scalar(select(func.max(column))) <= date(2026, 2, 10), column


def test_a_later_year_adds_that_years_records_but_not_the_children_again(app, vietnam_time, count):
    from webapp.activities.models import Activity
    from webapp.children.models import Child

    vietnam_time(2026, 11, 20, 9, 0)
    _seed(app)
    children, activities = count(Child), count(Activity)
    vietnam_time(2027, 3, 2, 9, 0)
    _seed(app)
    assert count(Child) == children and count(Activity) > activities


def test_no_demo_records_without_the_demo(app):
    from webapp.children.models import Child

    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Child)) == 0


PAGES = {
    "admin": ("/", "/reports/dashboard", "/activities/", "/children/", "/gifts/", "/fund/", "/forum/", "/swim/"),
    "lanhdao": ("/", "/reports/dashboard", "/forum/"),
    "canbo.muongkhuong": ("/", "/reports/dashboard", "/activities/", "/children/", "/gifts/", "/fund/", "/forum/",
                          "/reports/"),
    "canbo.bacha": ("/", "/activities/", "/children/", "/gifts/", "/swim/", "/fund/"),
    "canbo.sapa": ("/", "/activities/", "/children/", "/fund/", "/forum/"),
    "truongthon.lungcau": ("/", "/activities/", "/children/", "/gifts/"),
    "tinhnguyen.muongkhuong": ("/", "/activities/", "/children/", "/gifts/"),
    "giaovien.bacha": ("/", "/activities/", "/children/", "/swim/"),
    "tinhnguyen.sapa": ("/", "/activities/", "/children/"),
}


@pytest.mark.parametrize("username", list(PAGES))
def test_each_roles_main_pages_have_content(demo, client, username):
    from webapp.demo import DEMO_PASSWORD

    with demo.test_request_context(), force_locale("vi"):
        empty = [gettext(text) for text in EMPTY_STATES]
    assert client.login(username, DEMO_PASSWORD).status_code == 303
    for url in PAGES[username]:
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert not [text for text in empty if text in page], (username, url)


def test_a_collector_sees_only_the_children_of_their_area(demo, client):
    from webapp.children.models import Child
    from webapp.demo import DEMO_PASSWORD
    from webapp.geo.models import Unit

    with demo.app_context():
        bac_ha = db.session.scalar(select(Unit).where(Unit.code == "02839"))
        muong_khuong = db.session.scalar(select(Unit).where(Unit.code == "02761"))
        others = db.session.scalars(select(Child).where(Child.commune_id != muong_khuong.id)).all()
        own = db.session.scalars(select(Child).where(Child.commune_id == muong_khuong.id)).all()
        other_names = {c.full_name for c in others} - {c.full_name for c in own}
        other_id = next(c.id for c in others if c.commune_id == bac_ha.id)
    client.login("tinhnguyen.muongkhuong", DEMO_PASSWORD)
    pages = "".join(client.get(url).get_data(as_text=True) for url in
                    ("/children/", "/children/?page=2", "/children/?page=3", "/gifts/", "/activities/"))
    assert any(c.full_name in pages for c in own)
    assert not [name for name in other_names if name in pages]
    assert client.get(f"/children/{other_id}").status_code == 404


def test_every_name_and_text_is_nfc(demo):
    with demo.app_context():
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text)]
            for row in db.session.execute(select(*columns)).all() if columns else ():
                for value in row:
                    assert value is None or unicodedata.is_normalized("NFC", value), (table.name, value)
