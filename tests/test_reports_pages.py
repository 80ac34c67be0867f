"""Dashboards, reports and exports as officers, the province and leaders use them."""

import csv
import gzip
import io
import re
from datetime import UTC, date, datetime

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from webapp.core import clock
from webapp.core.audit import AuditLog
from webapp.extensions import db
from webapp.geo.models import Unit
from webapp.plans.models import ReportPeriod
from webapp.reports import services
from webapp.reports.models import EnteredValue, PopulationFigure, Report

from . import test_reports_indicators as shared

# The fixtures with known answers, shared with the indicators' tests.
plan2023, known_activities, known_records = shared.plan2023, shared.known_activities, shared.known_records


@pytest.fixture
def on(monkeypatch):
    """Set today's date (in Vietnam) for the calendar, lateness and reminders."""

    def set_day(day: date):
        moment = datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)  # 09:00 in Vietnam
        monkeypatch.setattr(clock, "now", lambda: moment)

    set_day(date(2023, 5, 8))
    return set_day


@pytest.fixture
def province_population(app, places):
    """The province's children aged 6 to 15 from the population statistics: 5 (as many as the register holds, so
    the swim shares are those the register gave before they came from the statistics)."""
    with app.app_context():
        db.session.add(PopulationFigure(unit_id=places["province"].id, year=2023, children_6_15=5,
                                        source="Cục Thống kê, số liệu 2022"))
        db.session.commit()


def report_url(plan2023, places, code="half_year", unit="A", tail=""):
    return f"/reports/{plan2023[code]}/units/{places[unit].id}{tail}"


def test_dashboard_shows_targets_against_what_was_done(login_as, client, places, plan2023, known_records, on,
                                                      province_population):
    login_as("admin")
    response = client.get(f"/reports/dashboard?period={plan2023['half_year']}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Lớp tập huấn nâng cao năng lực" in page
    assert "3 / 9" in page and "150 / 540" in page  # classes and people against the plan
    assert "<svg" in page and 'class="bar"' in page
    # T13: the provincial fund's donations received, in cash and in kind (not commune A's 20 million)
    assert "550.000.000\u00a0₫ / 1.000.000.000\u00a0₫" in page
    assert "60% / 93%" in page  # T6: 3 of the province's 5 children aged 6 to 15 (statistics) taught to swim
    assert len(gzip.compress(response.get_data())) < 14 * 1024


def test_status_is_judged_against_the_share_of_the_year_gone(app, places, plan2023, known_activities):
    with app.app_context():
        period = db.session.get(ReportPeriod, plan2023["half_year"])
        province = db.session.get(Unit, places["province"].id)
        rows = {r.goal.code: r for r in services.dashboard(province, period, on=date(2023, 5, 8)).rows}
    q1 = rows["Q1"]  # 3 of 9 classes = 33%, with 35% of the year gone by 8 May: behind, but within a quarter
    assert (q1.actual, q1.reached, q1.expected, q1.status) == (3, 33, 35, services.AT_RISK)
    assert rows["Q2"].status == services.ON_TRACK  # the provincial launch is held
    assert rows["T13"].status == services.OFF_TRACK  # 2,5% of 1 tỷ
    assert rows["T1"].actual is None and rows["T1"].status is None  # not entered yet


def test_sub_units_are_sorted_by_result(login_as, client, places, plan2023, known_activities, on):
    login_as("admin")
    url = f"/reports/dashboard?period={plan2023['half_year']}&goal=Q1:participants&sort=result"
    page = client.get(url + "&dir=desc").get_data(as_text=True)
    assert page.index(places["A"].name) < page.index(places["B"].name)  # 100 before 50
    partial = client.get(url + "&dir=asc", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in partial and partial.index(places["B"].name) < partial.index(places["A"].name)


def test_viewer_sees_aggregates_but_no_record_export(login_as, client, plan2023, known_activities, on):
    login_as("viewer")
    assert client.get(f"/reports/dashboard?period={plan2023['half_year']}").status_code == 200
    assert client.get(f"/reports/activities.csv?period={plan2023['half_year']}").status_code == 403


@pytest.mark.parametrize("who, status", [("admin", 200), ("viewer", 200), ("officer_A", 200), ("officer_B", 404),
                                         ("collector_A", 403)])
def test_scope_of_commune_As_dashboard_and_report(login_as, client, places, plan2023, on, who, status):
    login_as(who)
    assert client.get(f"/reports/dashboard?unit={places['A'].id}&period={plan2023['half_year']}") \
        .status_code == status
    assert client.get(report_url(plan2023, places)).status_code == status
    assert client.get(report_url(plan2023, places, tail="/report.docx")).status_code == status


def test_commune_officer_cannot_open_the_province_dashboard(login_as, client, places, plan2023, on):
    login_as("officer_A")
    assert client.get(f"/reports/dashboard?unit={places['province'].id}").status_code == 404


def test_officer_writes_downloads_and_sends_the_report_on_time(login_as, client, app, places, plan2023,
                                                                known_activities, on, count):
    login_as("officer_A")
    index = client.get("/reports/").get_data(as_text=True)
    assert "còn 7 ngày" in index  # reminder: due 15/05, today 08/05
    url = report_url(plan2023, places)
    page = client.get(url).get_data(as_text=True)
    assert "Nâng cao năng lực" in page and ">100<" in page  # A's trainings: 100 people
    response = client.submit(url, {"results": "Đã tổ chức 2 lớp tập huấn.", "shortcomings": "Thiếu kinh phí.",
                                   "proposals": "Đề nghị tỉnh hỗ trợ tài liệu.", "number": "45/BC-UBND"})
    assert response.status_code == 303
    assert count(Report, status="draft") == 1

    docx = client.get(url + "/report.docx")
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    document = Document(io.BytesIO(docx.data))
    head = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head[0][1] and "Độc lập - Tự do - Hạnh phúc" in head[0][1]
    assert "ỦY BAN NHÂN DÂN\nXÃ MƯỜNG KHƯƠNG" in head[0][0] and "Số: 45/BC-UBND" in head[1][0]
    assert "Mường Khương, ngày 08 tháng 5 năm 2023" in head[1][1]  # a day under 10 with its 0 (NĐ 30/2020)
    assert "BÁO CÁO" in text and "6 tháng đầu năm 2023" in text and "Thiếu kinh phí." in text
    groups = document.tables[1]  # only the groups with something done: communication, then training
    training = [c.text for c in groups.rows[2].cells]
    assert training[1] == "Nâng cao năng lực" and training[2] == "2" and training[3] == "100"
    assert "Nơi nhận:" in document.tables[-1].rows[0].cells[0].text

    response = client.submit(url, {}, action=url + "/submit")
    assert response.status_code == 303
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report.status == "submitted" and report.first_submitted_at is not None
    client.logout()
    login_as("admin")
    page = client.get(f"/reports/{plan2023['half_year']}/completeness").get_data(as_text=True)
    row = re.search(r"Xã Mường Khương</a></td><td>([^<]*)</td><td>([^<]*)<", page)
    assert row.groups() == ("Đã gửi", "đúng hạn")


def test_report_numbers_equal_the_dashboards(app, places, plan2023, known_records, login_as, client, on,
                                             province_population):
    on(date(2023, 7, 3))  # after the province's forum of 20 June
    with app.app_context():
        period = db.session.get(ReportPeriod, plan2023["half_year"])
        province = db.session.get(Unit, places["province"].id)
        board = services.dashboard(province, period)
        data = services.report_data(province, period)
        assert [(r.goal.code, r.actual, r.reached) for r in board.rows] == \
               [(r.goal.code, r.actual, r.reached) for r in data.rows]
        assert [(i.code, v) for i, v in board.others] == [(i.code, v) for i, v in data.others]
        groups = {g.code: g for g in data.groups}
        totals = board.results.totals
        assert groups["training"].sessions == totals["trainings_held"]
        assert groups["training"].participants == totals["people_trained"]
        assert sum(g.materials for g in data.groups) == totals["materials_handed_out"]
        assert sum(g.spent for g in data.groups) == totals["amount_spent"] == sum(v for _l, v in data.money)
        rows = {r.goal.code: r.actual for r in data.rows}
        others = {i.code: v for i, v in data.others}
    assert (rows["T6"], rows["T7"], rows["T13"], rows["Q3"], rows["Q3:participants"], rows["Q4"]) == \
        (6000, 2000, 550_000_000, 1, 80, 2)
    assert (others["gifts_given"], others["fund_spent"], others["recommendations_answered"]) == (19, 33_600_000, 3)
    assert "gifts_logged" not in others and "forums_register" not in others  # parts of a figure are not shown
    login_as("admin")
    book = load_workbook(io.BytesIO(client.get(report_url(plan2023, places, unit="province",
                                                          tail="/report.xlsx")).data))
    assert book.sheetnames == ["Hoạt động", "Chỉ tiêu", "Kết quả khác", "Kinh phí"]
    assert "6 tháng đầu năm 2023" in book["Hoạt động"]["A1"].value
    target_rows = list(book["Chỉ tiêu"].iter_rows(min_row=3, values_only=True))
    targets = {row[0]: row for row in target_rows}
    assert targets["T13"][2:4] == (1_000_000_000, 550_000_000)
    assert "xã, phường có số liệu dân số" in targets["T6"][-1] and "chỉ để đối chiếu" in targets["T6"][-1]
    assert targets["T6"][2:4] == (93, 60) and [row[2:4] for row in target_rows if row[0] == "Q3"] == [(1, 1), (80, 80)]
    activities = list(book["Hoạt động"].iter_rows(min_row=3, values_only=True))
    assert activities[1][1:4] == ("Nâng cao năng lực", 3, 150)
    other = {row[0]: row[1] for row in book["Kết quả khác"].iter_rows(min_row=3, values_only=True)}
    assert other["Số suất quà"] == 19 and other["Quỹ Bảo trợ trẻ em đã chi"] == 33_600_000
    assert other["Tỷ lệ kiến nghị của trẻ em được trả lời"] == 75
    money = list(book["Kinh phí"].iter_rows(min_row=3, values_only=True))
    assert money[-1] == ("Tổng cộng", 10_000_000)
    document = Document(io.BytesIO(client.get(report_url(plan2023, places, unit="province",
                                                         tail="/report.docx")).data))
    cells = {tuple(c.text for c in row.cells) for table in document.tables for row in table.rows}
    assert ("T13", "Quỹ Bảo trợ trẻ em cấp tỉnh vận động được\n"  # the figure's source under its goal
            "Nguồn: Các khoản ủng hộ Quỹ của chính đơn vị đã nhận, không gồm Quỹ của các đơn vị cấp dưới (khoản mới "
            "hứa ủng hộ chưa tính)", "1.000.000.000", "550.000.000", "55%") in cells
    assert ("Số suất quà", "19") in cells
    assert ("Tỷ lệ kiến nghị của trẻ em được trả lời", "75%") in cells


def test_a_late_report_and_who_has_not_sent(login_as, client, app, places, plan2023, on):
    on(date(2023, 5, 20))
    login_as("officer_B")
    url = report_url(plan2023, places, unit="B")
    client.submit(url, {"results": "Kết quả."})
    client.submit(url, {}, action=url + "/submit")
    with app.app_context():
        period = db.session.get(ReportPeriod, plan2023["half_year"])
        province = db.session.get(Unit, places["province"].id)
        lines = {line.unit.name: line for line in services.completeness(province, period, date(2023, 5, 20))}
    assert lines[places["B"].name].timing == "late" and lines[places["B"].name].status == "submitted"
    assert lines[places["A"].name].timing == "late" and lines[places["A"].name].status == "not_started"
    client.logout()
    login_as("admin")
    page = client.get(f"/reports/{plan2023['half_year']}/completeness?missing=1").get_data(as_text=True)
    assert places["A"].name in page and places["B"].name not in page


def test_no_reminder_long_before_the_due_date_or_once_sent(login_as, client, plan2023, places, on):
    on(date(2023, 4, 1))
    login_as("officer_A")
    assert "ngày nữa" not in client.get("/reports/").get_data(as_text=True)


def test_province_returns_a_report_and_the_officer_corrects_it(login_as, client, app, places, plan2023, on):
    login_as("officer_A")
    url = report_url(plan2023, places)
    client.submit(url, {"results": "Kết quả."})
    client.submit(url, {}, action=url + "/submit")
    client.logout()
    login_as("admin")
    refused = client.submit(url, {"decision": "return", "comment": ""}, action=url + "/review")
    assert refused.status_code == 422 and "Nêu rõ những gì cần sửa." in refused.get_data(as_text=True)
    client.submit(url, {"decision": "return", "comment": "Bổ sung số liệu."}, action=url + "/review")
    client.logout()
    login_as("officer_A")
    page = client.get(url).get_data(as_text=True)
    assert "Bổ sung số liệu." in page and "Bị trả lại" in page
    assert client.submit(url, {"results": "Kết quả đã sửa."}).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Report.status)) == "draft"


def test_an_officer_cannot_write_another_units_report_or_review_their_own(login_as, client, places, plan2023, on):
    login_as("officer_A")
    page = client.get(report_url(plan2023, places)).get_data(as_text=True)
    fields = dict(re.findall(r'name="(csrf_token|client_id)"[^>]*value="([^"]*)"', page))
    assert client.post(report_url(plan2023, places, unit="province"), data=fields).status_code == 404
    assert client.post(report_url(plan2023, places, tail="/review"),
                       data={**fields, "decision": "accept"}).status_code == 403


def test_entered_value_with_its_source(login_as, client, app, places, plan2023, on):
    login_as("admin")
    url = report_url(plan2023, places, unit="province", tail="/values/T1")
    bad = client.submit(url, {"value": "ba phẩy năm", "source": ""})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert 'id="value-error"' in page and 'id="source-error"' in page and 'value="ba phẩy năm"' in page
    assert client.submit(url, {"value": "3,6", "source": "Cơ sở dữ liệu trẻ em quốc gia, 30/6/2023"}) \
        .status_code == 303
    with app.app_context():
        assert db.session.scalar(select(EnteredValue.value)) == 360
    page = client.get(f"/reports/dashboard?period={plan2023['half_year']}").get_data(as_text=True)
    assert "3,6%" in page  # the grid shows the value; the goal's page where it comes from and who entered it
    goal = client.get(f"/reports/dashboard/goals/T1?period={plan2023['half_year']}").get_data(as_text=True)
    assert "3,6%" in goal and "Cơ sở dữ liệu trẻ em quốc gia, 30/6/2023" in goal
    assert re.search(r"Người Thử Admin \d+ nhập ngày \d\d/\d\d/\d{4}", goal), goal  # who entered it, and when
    assert client.get(report_url(plan2023, places, unit="province", tail="/values/Q1")).status_code == 404


def test_record_exports_are_scoped_and_audited(login_as, client, app, places, plan2023, known_activities, on):
    login_as("officer_B")
    response = client.get(f"/reports/activities.csv?period={plan2023['half_year']}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["id", "kind", "date"]
    assert {r[3] for r in rows[1:]} == {places["B"].name}
    assert len(rows) - 1 == 7  # B's counted activities in the first half
    book = load_workbook(io.BytesIO(client.get(f"/reports/activities.xlsx?period={plan2023['half_year']}").data))
    assert book.active.max_row == 8
    assert client.get(f"/reports/activities.csv?unit={places['A'].id}").status_code == 404
    with app.app_context():
        exports = db.session.scalars(select(AuditLog).where(AuditLog.action == "export")).all()
        assert [(e.detail_dict["what"], e.detail_dict["format"]) for e in exports] == \
            [("activities", "csv"), ("activities", "xlsx")]
        assert exports[0].unit_id == places["B"].id


def test_print_view_has_the_motto_and_no_navigation(login_as, client, places, plan2023, on):
    login_as("officer_A")
    page = client.get(report_url(plan2023, places, tail="/print")).get_data(as_text=True)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page and "Nơi nhận:" in page and 'class="bottom"' not in page


def test_replayed_first_save_makes_one_report(login_as, client, places, plan2023, on, count):
    from tests.conftest import hidden_fields

    login_as("officer_A")
    url = report_url(plan2023, places)
    fields = {**hidden_fields(client.get(url).get_data(as_text=True)), "results": "Một lần."}
    assert client.post(url, data=fields).status_code == 303
    assert client.post(url, data=fields).status_code == 303
    assert count(Report) == 1


def test_submitted_at_is_judged_in_vietnam_time(app, places, plan2023):
    with app.app_context():
        period = db.session.get(ReportPeriod, plan2023["half_year"])
        report = Report(first_submitted_at=datetime(2023, 5, 15, 18, 0, tzinfo=UTC))  # 01:00 on 16/05 in Hà Nội
        assert services.timeliness(report, period, date(2023, 5, 16)) == "late"
        report.first_submitted_at = datetime(2023, 5, 15, 16, 0, tzinfo=UTC)
        assert services.timeliness(report, period, date(2023, 5, 16)) == "on_time"


def test_the_reminder_counts_days_left_then_says_overdue(login_as, client, plan2023, places, vietnam_time):
    """Issue 15 item 12: past the due date the reminder says "quá hạn 36 ngày", never "còn -36 ngày nữa"."""
    login_as("officer_A")
    vietnam_time(2023, 5, 8, 9, 0)  # the 6-month report is due 15/05
    assert "(còn 7 ngày nữa)" in client.get("/reports/").get_data(as_text=True)
    vietnam_time(2023, 5, 15, 23, 30)
    page = client.get("/reports/").get_data(as_text=True)
    assert "hạn gửi là hôm nay" in page and "còn 0 ngày" not in page
    vietnam_time(2023, 6, 20, 0, 30)  # still 19/06 in UTC: Vietnam's date counts
    page = client.get("/reports/").get_data(as_text=True)
    assert "quá hạn 36 ngày" in page
    assert "còn -" not in page and "ngày nữa" not in page
