"""Issue 15, items 4 and 5: a report period's figures are counted to its data cut-off (by default the day before
the report is due), lateness is judged against the due date, and the figures count approved entries only with the
entries waiting for review shown beside them, linked to the list that reviews them."""

import html
import io
import re
from datetime import date

import pytest
from docx import Document
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from webapp.activities.models import Activity
from webapp.activities.totals import ActivityMonthTotal, rebuild
from webapp.core.audit import AuditLog
from webapp.core.models import new_client_id
from webapp.extensions import db
from webapp.fund.models import Donation
from webapp.geo.models import Unit
from webapp.plans.models import Plan, ReportPeriod
from webapp.plans.services import load_plan_2023
from webapp.reports import indicators, services


@pytest.fixture
def plan2023(app, places):
    """The 2023 plan as loaded: 6-month report due 15/05 (counted to 14/05), annual due 10/10 (counted to 09/10)."""
    with app.app_context():
        plan, _ = load_plan_2023(db.session.get(Unit, places["province"].id))
        return {"plan": plan.id, **{p.code: p.id for p in plan.periods}}


def add(plan_id, unit_id, day, status="approved", kind="training", **columns):
    db.session.add(Activity(kind=kind, plan_id=plan_id, unit_id=unit_id, date=day, status=status,
                            client_id=new_client_id(), **columns))


@pytest.fixture
def sixty_and_forty_five(app, places, plan2023):
    """Commune A's trainings of the first half: 60 approved and 45 waiting for review (all before the cut-off, in
    whole and partial months), each of 10 people; drafts and returned ones, which neither count nor wait."""
    with app.app_context():
        for i in range(60):
            add(plan2023["plan"], places["A"].id, date(2023, 1 + i % 4, 1 + i % 28), audience_total=10)
        for i in range(45):
            add(plan2023["plan"], places["village_A"].id, date(2023, 2 + i % 3, 2 + i % 27), status="submitted",
                audience_total=10)
        add(plan2023["plan"], places["A"].id, date(2023, 5, 10), status="submitted", audience_total=10)  # 46th
        add(plan2023["plan"], places["A"].id, date(2023, 3, 3), status="draft", audience_total=10)
        add(plan2023["plan"], places["A"].id, date(2023, 3, 3), status="returned", audience_total=10)
        db.session.commit()


def test_the_cut_off_is_the_day_before_the_due_date_and_copies_move_with_the_year(app, plan2023, users):
    from webapp.accounts.models import User
    from webapp.plans.services import copy_plan

    with app.app_context():
        half, annual = db.session.get(ReportPeriod, plan2023["half_year"]), db.session.get(ReportPeriod,
                                                                                          plan2023["annual"])
        assert (half.end_date, half.due_date, half.cutoff_date, half.counted_until) == \
            (date(2023, 6, 30), date(2023, 5, 15), date(2023, 5, 14), date(2023, 5, 14))
        assert (annual.cutoff_date, annual.counted_until) == (date(2023, 10, 9), date(2023, 10, 9))
        half.cutoff_date = date(2023, 5, 31)
        copy = copy_plan(db.session.get(Plan, plan2023["plan"]), 2024, db.session.get(User, users["admin"].id))
        db.session.add(copy)
        db.session.commit()
        assert {p.code: p.cutoff_date for p in copy.periods} == {"half_year": date(2024, 5, 31),
                                                                 "annual": date(2024, 10, 9)}
        # A period made without one (the plan's form adds a missing period) is counted to the day before it is due.
        plan = db.session.get(Plan, plan2023["plan"])
        db.session.delete(next(p for p in plan.periods if p.code == "annual"))
        db.session.flush()
        plan.periods.append(ReportPeriod(code="annual", start_date=date(2023, 1, 1), end_date=date(2023, 12, 31),
                                         due_date=date(2023, 12, 20)))
        db.session.commit()
        assert next(p for p in plan.periods if p.code == "annual").cutoff_date == date(2023, 12, 19)


def test_an_activity_after_the_cut_off_counts_in_the_year_not_in_the_6_month_report(app, places, plan2023):
    with app.app_context():
        plan_id = plan2023["plan"]
        add(plan_id, places["A"].id, date(2023, 5, 14), audience_total=30)  # the cut-off day: counted
        add(plan_id, places["A"].id, date(2023, 5, 15), audience_total=50)  # due date: after the cut-off
        add(plan_id, places["village_A"].id, date(2023, 6, 20), audience_total=70)  # inside the period
        add(plan_id, places["A"].id, date(2023, 6, 21), status="submitted", audience_total=5)
        db.session.add(Donation(unit_id=places["province"].id, donor_name="Công ty X", donor_key="cong ty x",
                                donor_kind="organisation", form="cash", value=300_000_000, status="received",
                                given_on=date(2023, 6, 1), client_id=new_client_id()))
        db.session.commit()
        half, annual = db.session.get(ReportPeriod, plan2023["half_year"]), db.session.get(ReportPeriod,
                                                                                          plan2023["annual"])
        province = db.session.get(Unit, places["province"].id)
        for use_summary in (True, False):
            first = indicators.evaluate(province, half, use_summary=use_summary)
            year = indicators.evaluate(province, annual, use_summary=use_summary)
            assert (first.totals["trainings_held"], first.totals["people_trained"]) == (1, 30)
            assert first.waiting.get("trainings_held", 0) == 0  # the waiting one is after the cut-off too
            assert (year.totals["trainings_held"], year.totals["people_trained"]) == (3, 150)
            assert year.waiting["trainings_held"] == 1
        assert indicators.value("fund_raised", province, half) == 0  # a feature's records: the same cut-off
        assert indicators.value("fund_raised", province, annual) == 300_000_000
        groups = {g.code: g for g in services.group_lines(province, half)}
        assert (groups["training"].sessions, groups["training"].participants) == (1, 30)


def test_approved_entries_are_the_figure_and_the_waiting_ones_are_beside_it(app, places, plan2023,
                                                                           sixty_and_forty_five):
    with app.app_context():
        half = db.session.get(ReportPeriod, plan2023["half_year"])
        for key in ("province", "A"):
            unit = db.session.get(Unit, places[key].id)
            for use_summary in (True, False):
                results = indicators.evaluate(unit, half, use_summary=use_summary)
                assert (results.totals["trainings_held"], results.totals["people_trained"]) == (60, 600)
                assert results.waiting["trainings_held"] == results.waiting["people_trained"] == 46
                assert "talks_held" not in results.waiting
                # a figure of every kind bears on them (spent, materials…): the same entries
                assert results.waiting["amount_spent"] == 46
            board = services.dashboard(unit, half, on=date(2023, 5, 8))
            q1 = next(r for r in board.rows if r.goal.code == "Q1")
            assert (q1.actual, q1.waiting, q1.waiting_kind) == (60, 46, "training")
            training = next(g for g in services.group_lines(unit, half) if g.code == "training")
            assert (training.sessions, training.participants, training.waiting) == (60, 600, 46)
        assert services.waiting_text(46) == "46 chờ duyệt"  # for the report's file


def test_the_figure_says_how_many_wait_and_links_to_them(app, places, plan2023, sixty_and_forty_five, login_as,
                                                         client, vietnam_time):
    vietnam_time(2023, 5, 8, 9, 0)
    login_as("officer_A")
    period = plan2023["half_year"]
    page = client.get(f"/reports/dashboard?unit={places['A'].id}&period={period}").get_data(as_text=True)
    assert "Số liệu tính đến ngày 14/05/2023" in page
    q1 = re.search(r"<b>Q1</b>(.*?)</li>", page, re.S).group(1)
    assert "60" in q1 and "105" not in q1
    link = re.search(r'<a href="([^"]+)">46 chờ duyệt</a>', q1)
    assert link, q1
    url = html.unescape(link.group(1))
    assert "status=submitted" in url and f"unit={places['A'].id}" in url and f"period=period-{period}" in url \
        and "kind=training" in url
    listed = client.get(url).get_data(as_text=True)
    assert "46 hoạt động" in listed  # the link lists exactly the entries it counts

    report = client.get(f"/reports/{period}/units/{places['A'].id}").get_data(as_text=True)
    assert "Số liệu tính đến ngày 14/05/2023" in report
    goals = report[report.index("<h2>2. "):]
    assert re.search(r"<b>Q1</b>.*?<td>60 <span class=\"waiting\"><a href=\"[^\"]+\">46 chờ duyệt</a>", goals,
                     re.S)
    groups = report[:report.index("<h2>2. ")]
    assert re.search(r"<td>60 <span class=\"waiting\"><a href=\"[^\"]*kind=training[^\"]*\">46 chờ duyệt</a>",
                     groups)
    docx = Document(io.BytesIO(client.get(f"/reports/{period}/units/{places['A'].id}/report.docx").data))
    assert "(Số liệu tính đến ngày 14/05/2023)" in [p.text for p in docx.paragraphs]
    client.logout()
    login_as("viewer")  # a leader sees how many wait, and has no list to review them in
    page = client.get(f"/reports/dashboard?unit={places['A'].id}&period={period}").get_data(as_text=True)
    assert '<span class="waiting">46 chờ duyệt</span>' in page


def test_a_report_sent_on_the_due_date_is_on_time_and_the_day_after_late(app, places, plan2023, login_as, client,
                                                                         vietnam_time):
    half = plan2023["half_year"]
    for officer, unit, moment in (("officer_A", "A", (2023, 5, 15, 23, 30)), ("officer_B", "B", (2023, 5, 16, 0, 10))):
        vietnam_time(*moment)
        login_as(officer)
        url = f"/reports/{half}/units/{places[unit].id}"
        assert client.submit(url, {"results": "Kết quả."}).status_code == 303
        assert client.submit(url, {}, action=url + "/submit").status_code == 303
        client.logout()
    with app.app_context():
        period = db.session.get(ReportPeriod, half)
        lines = {line.unit.id: line.timing for line in services.completeness(
            db.session.get(Unit, places["province"].id), period, date(2023, 5, 20))}
        assert (lines[places["A"].id], lines[places["B"].id]) == ("on_time", "late")
        assert services.needs_reminder(None, period, date(2023, 5, 5))  # ten days before it is due
        assert not services.needs_reminder(None, period, date(2023, 5, 4))


def test_the_admin_moves_the_cut_off_on_the_plans_page(app, places, plan2023, login_as, client, vietnam_time):
    vietnam_time(2023, 4, 1, 9, 0)
    login_as("admin")
    detail = f"/plans/{plan2023['plan']}"
    url = f"/plans/{plan2023['plan']}/periods/{plan2023['half_year']}/cutoff"
    page = client.get(detail).get_data(as_text=True)
    assert "số liệu tính đến ngày 14/05/2023" in page and url in page
    form = client.get(url).get_data(as_text=True)
    assert 'value="2023-05-14"' in form and "Số liệu tính đến ngày" in form

    for typed, message in (("2023-02-30", "Hãy nhập ngày, ví dụ 15/05/2023."),
                           ("2023-07-15", "Chọn một ngày trong kỳ báo cáo, từ 01/01/2023 đến 30/06/2023."),
                           ("2023-05-20", "Hạn nộp báo cáo là ngày 15/05/2023: không thể tính số liệu đến ngày sau "
                                          "hạn nộp.")):
        refused = client.submit(url, {"cutoff_date": typed})
        assert refused.status_code == 422, typed
        body = refused.get_data(as_text=True)
        error = re.search(r'id="cutoff_date-error"[^>]*>(.*?)<', body, re.S)
        assert error and message in html.unescape(error.group(1)), (typed, body[-3000:])
        assert f'value="{typed}"' in body  # what was typed is kept
    with app.app_context():
        assert db.session.get(ReportPeriod, plan2023["half_year"]).cutoff_date == date(2023, 5, 14)

    moved = client.submit(url, {"cutoff_date": "2023-05-10"})
    assert moved.status_code == 303
    with app.app_context():
        assert db.session.get(ReportPeriod, plan2023["half_year"]).counted_until == date(2023, 5, 10)
        log = db.session.scalars(select(AuditLog).where(AuditLog.action == "update")).all()[-1]
        assert log.detail_dict["changes"] == {"half_year.cutoff_date": ["2023-05-14", "2023-05-10"]}
    assert "số liệu tính đến ngày 10/05/2023" in client.get(detail).get_data(as_text=True)
    board = client.get(f"/reports/dashboard?period={plan2023['half_year']}").get_data(as_text=True)
    assert "Số liệu tính đến ngày 10/05/2023" in board


@pytest.mark.parametrize("who", ["officer_A", "viewer", "collector_A"])
def test_only_the_admin_moves_the_cut_off(app, places, plan2023, login_as, client, who):
    url = f"/plans/{plan2023['plan']}/periods/{plan2023['half_year']}/cutoff"
    login_as("admin")
    fields = {"csrf_token": client.csrf_token(), "cutoff_date": "2023-05-10"}
    client.logout()
    login_as(who)
    assert client.get(url).status_code == 403
    assert client.post(url, data={**fields, "csrf_token": client.csrf_token()}).status_code == 403
    assert f"/periods/{plan2023['half_year']}/cutoff" not in client.get(f"/plans/{plan2023['plan']}").get_data(
        as_text=True)
    with app.app_context():
        assert db.session.get(ReportPeriod, plan2023["half_year"]).cutoff_date == date(2023, 5, 14)


def test_a_period_of_another_plan_is_not_found(app, places, plan2023, login_as, client, this_years_plan):
    login_as("admin")
    assert client.get(f"/plans/{this_years_plan}/periods/{plan2023['half_year']}/cutoff").status_code == 404


def test_upgrading_keeps_the_periods_fills_their_cut_off_and_the_summary_keys_status(app, places, plan2023):
    with app.app_context():
        add(plan2023["plan"], places["A"].id, date(2023, 3, 1), audience_total=10)
        add(plan2023["plan"], places["village_A"].id, date(2023, 3, 2), status="submitted", audience_total=20)
        db.session.commit()
        summary = sorted(db.session.execute(select(*[c for c in ActivityMonthTotal.__table__.columns
                                                     if c.name != "id"])).all(), key=repr)
        db.session.remove()
        downgrade(revision="0016_files_stored_files")
        columns = {c["name"] for c in db.inspect(db.engine).get_columns("report_periods")}
        assert "cutoff_date" not in columns
        with db.engine.begin() as connection:  # a period saved before the cut-off existed, due 10 October
            connection.execute(text("UPDATE report_periods SET due_date = :due WHERE id = :id"),
                               {"due": date(2023, 10, 10), "id": plan2023["half_year"]})
            assert connection.execute(text("SELECT sum(n) FROM activity_month_totals WHERE scope = 0")).scalar() == 2
        upgrade()
        db.session.remove()
        periods = {p.code: (p.start_date, p.end_date, p.due_date, p.cutoff_date)
                   for p in db.session.scalars(select(ReportPeriod).where(ReportPeriod.plan_id == plan2023["plan"]))}
        assert periods == {
            "half_year": (date(2023, 1, 1), date(2023, 6, 30), date(2023, 10, 10), date(2023, 10, 9)),
            "annual": (date(2023, 1, 1), date(2023, 12, 31), date(2023, 10, 10), date(2023, 10, 9))}
        refilled = sorted(db.session.execute(select(*[c for c in ActivityMonthTotal.__table__.columns
                                                      if c.name != "id"])).all(), key=repr)
        assert refilled == summary and {row.status for row in refilled} == {"approved", "submitted"}
        rebuild()
        assert sorted(db.session.execute(select(*[c for c in ActivityMonthTotal.__table__.columns
                                                  if c.name != "id"])).all(), key=repr) == refilled
        db.session.rollback()
