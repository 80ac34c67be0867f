"""The dashboard read at a glance (issue 19): the first screen's counts, the goals' grid, the months as an SVG, the
sub-units ranked with the laggards first, the other results in groups, a goal's own page; known answers: every
number the charts draw is the number the indicators give for the same unit and period."""

import gzip
import re
from datetime import date

import pytest

from webapp.extensions import db
from webapp.geo.models import Unit
from webapp.plans.models import ReportPeriod
from webapp.reports import indicators, services
from webapp.reports.models import EnteredValue

from . import test_reports_indicators as shared

plan2023, known_activities, known_records = shared.plan2023, shared.known_activities, shared.known_records

# The approved activities of the first half of 2023 in known_activities, by month (drafts, returned and deleted
# entries and the one of August left out): February 2, March 4, April 2, May 2, June 7.
MONTHS_H1 = [0, 2, 4, 2, 2, 7]


@pytest.fixture
def may_8(vietnam_time):
    vietnam_time(2023, 5, 8, 9, 0)


def _load(places, plan2023, unit="province", code="half_year"):
    return db.session.get(Unit, places[unit].id), db.session.get(ReportPeriod, plan2023[code])


def test_the_months_chart_counts_what_the_groups_and_indicators_count(app, places, plan2023, known_activities, may_8):
    with app.app_context():
        province, half = _load(places, plan2023)
        chart = services.activity_months(province, half)
        assert chart.totals == MONTHS_H1 and chart.current == 4 and chart.counted_to == 5  # May is this month
        # the three largest groups by name (a tie in the plan's order), the rest as one
        assert [s.label for s in chart.series] == ["Xã, phường phù hợp với trẻ em", "Truyền thông",
                                                   "Nâng cao năng lực", "Nhóm khác"]
        sessions = {line.label: line.sessions for line in services.group_lines(province, half)}
        for s in chart.series[:3]:
            assert sum(s.values) == sessions[s.label]
        assert sum(chart.series[3].values) == sum(sessions.values()) - sum(sum(s.values) for s in chart.series[:3])
        training = next(s for s in chart.series if s.label == "Nâng cao năng lực")
        assert training.values == [0, 0, 1, 1, 1, 0]
        assert sum(training.values) == indicators.value("trainings_held", province, half) == 3
        # a commune: its own and its villages' activities only
        commune, _ = _load(places, plan2023, "A")
        assert services.activity_months(commune, half).totals == [0, 2, 2, 2, 1, 3]


def test_a_goals_months_add_up_to_its_figure(app, places, plan2023, known_activities, may_8):
    with app.app_context():
        province, half = _load(places, plan2023)
        people = services.goal_months(province, half, indicators.measuring("Q1:participants"))
        assert people.series[0].values == [0, 0, 60, 40, 50, 0]
        assert sum(people.series[0].values) == indicators.value("people_trained", province, half) == 150
        annual = db.session.get(ReportPeriod, plan2023["annual"])
        year = services.goal_months(province, annual, indicators.measuring("Q1"))
        assert year.series[0].values == [0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
        assert sum(year.series[0].values) == indicators.value("trainings_held", province, annual) == 4
        # the pace to the plan's 9 classes a year: the share of the year gone at each month's end
        goal = next(r.goal for r in services.dashboard(province, annual).rows if r.goal.code == "Q1")
        pace = services.pace(goal, year, annual)
        assert pace[0] == round(9 * 31 / 365) and pace[5] == round(9 * 181 / 365) and pace[-1] == 9
        # a share, a register's count or an entered value has no months of its own
        assert services.goal_months(province, half, indicators.measuring("T6")) is None
        assert services.goal_months(province, half, None) is None


def test_months_cut_off_mid_month_come_from_the_days_as_the_figures_do(app, places, plan2023, known_activities,
                                                                       may_8):
    with app.app_context():
        province, half = _load(places, plan2023)
        half.cutoff_date = date(2023, 5, 4)  # A's self-assessment of 1 May counts, B's training of 5 May does not
        db.session.flush()
        chart = services.activity_months(province, half)
        assert chart.totals == [0, 2, 4, 2, 1, 0] and chart.counted_to == 4
        assert sum(chart.totals) == sum(line.sessions for line in services.group_lines(province, half))
        assert sum(chart.totals) == sum(line.sessions for line in services.group_lines(province, half,
                                                                                         use_summary=False))
        people = services.goal_months(province, half, indicators.measuring("Q1:participants"))
        assert sum(people.series[0].values) == indicators.value("people_trained", province, half) == 100
        db.session.rollback()


def test_sub_units_are_ranked_the_laggards_first_and_no_data_is_said(app, places, plan2023, known_activities,
                                                                     may_8):
    with app.app_context():
        province, half = _load(places, plan2023)
        board = services.dashboard(province, half)
        ranked = services.ranked_subunits(board, "Q1:participants")
        values = [(r.unit.id, r.value) for r in ranked]
        assert values.index((places["B"].id, 50)) < values.index((places["A"].id, 100))
        assert [v for _u, v in values] == sorted(v for _u, v in values)  # the lowest first
        a = next(r for r in ranked if r.unit.id == places["A"].id)
        assert a.share == 100  # the largest value fills its bar; B's is half of it
        assert next(r for r in ranked if r.unit.id == places["B"].id).share == 50
        db.session.add(EnteredValue(period_id=half.id, unit_id=places["A"].id, goal="T9", value=9000,
                                    source="Trạm y tế xã", client_id="t9-a"))
        db.session.commit()
        board = services.dashboard(province, half)
        t9 = services.ranked_subunits(board, "T9")
        assert (t9[0].unit.id, t9[0].value, t9[0].share) == (places["A"].id, 9000, 90)  # 90% against 100%
        assert all(r.value is None for r in t9[1:])  # the others have no figure: last, and not 0


def test_the_first_screen_counts_the_goals_by_standing(app, login_as, client, places, plan2023, known_records,
                                                       may_8):
    login_as("admin")
    response = client.get(f"/reports/dashboard?period={plan2023['half_year']}")
    page = response.get_data(as_text=True)
    with app.app_context():
        province, half = _load(places, plan2023)
        rows = services.dashboard(province, half).rows
        by_code = {r.goal.code: r for r in rows}
    on = sum(r.status == services.ON_TRACK for r in rows)
    behind = sum(r.status in services.BEHIND for r in rows)
    none = sum(r.actual is None for r in rows)
    assert (by_code["Q2"].status, by_code["Q1"].status, by_code["T1"].actual) == (services.ON_TRACK,
                                                                                  services.AT_RISK, None)
    tiles = re.search(r'<ul class="tiles">(.*?)</ul>', page, re.S).group(1)
    assert re.findall(r"<b>(\d+)</b>", tiles) == [str(on), str(behind), str(none)]
    assert "đạt tiến độ" in tiles and "chậm tiến độ" in tiles and "chưa có số liệu" in tiles
    assert "Tiến độ cần đạt đến 08/05/2023: 35% chỉ tiêu năm" in page
    assert "hạn 15/05/2023" in page and "Chưa bắt đầu" in page
    # the grid: a cell per goal, each a link to the goal's page, its status in its class
    assert page.count('<li class="g ') == len(rows)
    assert re.search(r'<li class="g on_track"><a href="/reports/dashboard/goals/Q2\?[^"]*"><span class="gh"><b>Q2'
                     r"</b>", page)
    assert re.search(r'<li class="g nodata"><a href="[^"]*goals/T1\?', page)
    # money and its unit never part
    assert "550.000.000\u00a0₫ / 1.000.000.000\u00a0₫" in page
    # the months as an SVG with a text alternative stating the numbers
    svg = re.search(r'<svg viewBox="0 0 328 \d+" width="100%" role="img" aria-label="([^"]+)"', page).group(1)
    with app.app_context():
        chart = services.activity_months(*_load(places, plan2023))
    months = svg.split(". ", 1)[1].split("; ")
    assert len(months) == 6 and months[0] == "tháng 1: 0"
    for i, month in enumerate(months):
        assert month.startswith(f"tháng {i + 1}: {chart.totals[i]}")
        for s in chart.series:
            if s.values[i]:
                assert f"{s.label} {s.values[i]}" in month
    assert months[1] == "tháng 2: 2 (Xã, phường phù hợp với trẻ em 1, Truyền thông 1)"
    # the other results in groups, each a small table
    for group in ("Hoạt động", "Trẻ em", "Quà tặng và học bổng", "Quỹ Bảo trợ trẻ em", "Diễn đàn trẻ em", "Dạy bơi"):
        assert f"<summary>{group}</summary>" in page, group
    assert len(gzip.compress(response.get_data())) < 14.6 * 1024


def test_what_waits_for_review_is_on_the_first_screen(app, login_as, client, places, plan2023, known_activities,
                                                      may_8):
    with app.app_context():
        shared.add_activity(db.session.get(ReportPeriod, plan2023["half_year"]).plan_id, "training", places["A"].id,
                            date(2023, 4, 20), audience_total=25, status="submitted")
        db.session.commit()
    login_as("officer_A")
    page = client.get(f"/reports/dashboard?unit={places['A'].id}&period={plan2023['half_year']}") \
        .get_data(as_text=True)
    glance = re.search(r'<section class="glance".*?</section>', page, re.S).group(0)
    link = re.search(r'<p>Chờ duyệt: <a href="([^"]+)">1 hoạt động</a>', glance)
    assert link and "status=submitted" in link.group(1)
    assert "Cần nhập" in glance and "/values/T1" in glance  # the officer's own goals still to be entered
    client.logout()
    login_as("viewer")
    page = client.get(f"/reports/dashboard?unit={places['A'].id}&period={plan2023['half_year']}") \
        .get_data(as_text=True)
    glance = re.search(r'<section class="glance".*?</section>', page, re.S).group(0)
    assert "<p>Chờ duyệt: 1 hoạt động</p>" in glance and "/values/" not in glance  # a count, no link


def test_a_goals_page_shows_its_source_months_and_sub_units(app, login_as, client, places, plan2023,
                                                             known_activities, may_8):
    login_as("admin")
    page = client.get(f"/reports/dashboard/goals/Q1:participants?period={plan2023['half_year']}") \
        .get_data(as_text=True)
    assert "Số người dự các lớp tập huấn đã ghi" in page  # the indicator's source
    label = re.search(r'<svg viewBox="0 0 328 \d+" width="100%" role="img" aria-label="([^"]+)"', page).group(1)
    assert "tháng 3: 60 (lũy kế 60)" in label and "tháng 5: 50 (lũy kế 150)" in label
    assert "Tiến độ cần đạt: 268 đến cuối kỳ" in label  # 540 people a year: 181 of its 365 days by 30 June
    subs = page[page.index('id="subunits"'):]
    assert subs.index(places["B"].name) < subs.index(places["A"].name)  # 50 before 100
    # a share: no months of its own, said so
    t6 = client.get(f"/reports/dashboard/goals/T6?period={plan2023['half_year']}").get_data(as_text=True)
    assert "không cộng dồn theo tháng" in t6


@pytest.mark.parametrize("who, status", [("admin", 200), ("viewer", 200), ("officer_A", 200), ("officer_B", 404),
                                         ("collector_A", 403)])
def test_a_goals_page_is_scoped_as_the_dashboard(login_as, client, places, plan2023, who, status):
    login_as(who)
    url = f"/reports/dashboard/goals/Q1?unit={places['A'].id}&period={plan2023['half_year']}"
    assert client.get(url).status_code == status


def test_an_unknown_goal_is_not_found(login_as, client, places, plan2023):
    login_as("admin")
    assert client.get(f"/reports/dashboard/goals/T99?period={plan2023['half_year']}").status_code == 404
    assert client.get(f"/reports/dashboard/goals/%3Cscript%3E?period={plan2023['half_year']}").status_code == 404


def test_a_viewer_sees_a_communes_goal_without_its_villages(login_as, client, places, plan2023, known_activities,
                                                            may_8):
    login_as("viewer")
    page = client.get(f"/reports/dashboard/goals/Q1:participants?unit={places['A'].id}"
                      f"&period={plan2023['half_year']}").get_data(as_text=True)
    assert "100" in page and places["village_A"].name not in page
    client.logout()
    login_as("officer_A")
    page = client.get(f"/reports/dashboard/goals/Q1:participants?unit={places['A'].id}"
                      f"&period={plan2023['half_year']}").get_data(as_text=True)
    assert places["village_A"].name in page
