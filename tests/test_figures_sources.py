"""Figures that must be right (issue 15, items 1–3): the swim shares over the children aged 6 to 15 of the
population statistics, the provincial fund's target met by the province's fund alone, and T12 counting the
communes recognised as child-friendly; the pages where their sources are entered."""

from datetime import date

import pytest
from sqlalchemy import select

from webapp.core.audit import AuditLog
from webapp.extensions import db
from webapp.geo.models import Unit
from webapp.plans.models import ReportPeriod, Target
from webapp.reports import indicators, population, services
from webapp.reports.models import PopulationFigure, Recognition

from . import test_reports_indicators as shared

plan2023, known_activities, known_records = shared.plan2023, shared.known_activities, shared.known_records
val = shared.val
C_CODE = "02710"  # a third commune of Lào Cai


@pytest.fixture
def commune_c(app, places):
    with app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.level == "commune", Unit.id.not_in(
            [places["A"].id, places["B"].id])).order_by(Unit.id))
        return unit.id


def add_figure(unit_id, n, year=2023, source="Chi cục Thống kê, số liệu 2022"):
    db.session.add(PopulationFigure(unit_id=unit_id, year=year, children_6_15=n, source=source))
    db.session.commit()


def communes_count() -> int:
    return db.session.scalar(select(db.func.count()).select_from(Unit).where(Unit.level == "commune",
                                                                             Unit.active.is_(True)))


# --- The engine: a unit's own value -------------------------------------------------------------------------------

def test_an_own_value_is_the_units_own_not_the_sum_of_its_subtree(app, places, plan2023, monkeypatch):
    P, A, vA, B = (places[k].id for k in ("province", "A", "village_A", "B"))

    def by_unit(unit, period):
        return {P: {"v": 7}, A: {"v": 3}, vA: {"v": 2}, B: {"v": 5}}

    monkeypatch.setattr(indicators, "REGISTRY", dict(indicators.REGISTRY))
    indicators.register(indicators.Indicator("t_own", "own", "count", "test", by_unit=by_unit, key="v",
                                             own_value=True))
    indicators.register(indicators.Indicator("t_sum", "sum", "count", "test", by_unit=by_unit, key="v"))
    indicators.register(indicators.Indicator("t_share", "share", "percent", "test", ratio=("t_own", "t_sum")))
    with app.app_context():
        period = db.session.get(ReportPeriod, plan2023["half_year"])
        results = indicators.evaluate(db.session.get(Unit, P), period, ["t_own", "t_sum", "t_share"])
        assert (results.totals["t_own"], results.totals["t_sum"], results.totals["t_share"]) == (7, 17, 4118)
        assert results.by_sub[A]["t_own"] == 3 and results.by_sub[A]["t_sum"] == 5  # A's own; A with its village
        assert results.by_sub[B]["t_own"] == 5
        other = next(s.id for s in results.subunits if s.id not in (A, B))
        assert results.by_sub[other]["t_own"] is None and results.by_sub[other]["t_sum"] == 0
        assert results.by_sub[other]["t_share"] is None  # no value: no share
        assert indicators.evaluate(db.session.get(Unit, vA), period, ["t_own"]).totals["t_own"] == 2
    with pytest.raises(ValueError):
        indicators.Indicator("bad", "bad", "count", "test", ratio=("a", "b"), own_value=True)


# --- T6, T7: children aged 6 to 15 from the population statistics ------------------------------------------------

def test_the_denominator_covers_only_communes_with_a_figure(app, places, plan2023, commune_c):
    """3 communes with figures 100, 200 and none, 45, 15 and 40 children taught: (45 + 15) / 300 = 20%."""
    A, B, C, P = places["A"].id, places["B"].id, commune_c, places["province"].id
    with app.app_context():
        add_figure(A, 100)
        add_figure(B, 200)
        add_figure(A, 999, year=2024)  # another year's figure serves another plan
        counts = {A: {"taught": 45}, B: {"taught": 15}, C: {"taught": 40}, places["village_A"].id: {"taught": 0}}
        resolved = population.resolve(db.session.get(Unit, P), 2023, counts)
        assert resolved[P] == {"population": 300, "taught": 60, "communes_covered": 2}
        assert indicators._percent(resolved[P]["taught"], resolved[P]["population"]) == 2000
        assert resolved[A]["population"] == 100 and C not in resolved  # C: no data, not a share of 0
        coverage = population.coverage(db.session.get(Unit, P), 2023)
        assert (coverage.population, coverage.communes_covered, coverage.communes) == (300, 2, communes_count())
        assert coverage.sources == ["Chi cục Thống kê, số liệu 2022"]
        add_figure(P, 1000, source="Cục Thống kê tỉnh, số liệu 2022")  # the province's own figure covers it all
        resolved = population.resolve(db.session.get(Unit, P), 2023, counts)
        assert resolved[P] == {"population": 1000, "taught": 100, "communes_covered": communes_count()}
        assert resolved[B]["population"] == 200  # each commune still has its own
        assert population.coverage(db.session.get(Unit, P), 2023).sources == ["Cục Thống kê tỉnh, số liệu 2022"]


def test_swim_shares_over_the_population_figures(app, places, plan2023, known_records):
    """The known records: 2 children aged 6–15 taught in commune A (one can swim), 1 in B; the register holds 5."""
    half = plan2023["half_year"]
    P, A, B = places["province"].id, places["A"].id, places["B"].id
    assert val(app, "swim_taught_share", P, half) is None  # no figure: no data, never the register's 60%
    assert val(app, "children_school_age", P, half) == 5  # the register's count stays, as a check
    with app.app_context():
        add_figure(A, 4)
    assert val(app, "swim_taught_share", A, half) == 5000  # 2 of 4
    assert val(app, "swim_taught_share", B, half) is None
    assert val(app, "swim_taught_share", P, half) == 5000  # B's child is not counted over A's 4 children
    assert val(app, "population_communes_covered", P, half) == 1
    with app.app_context():
        add_figure(B, 6)
        province = db.session.get(Unit, P)
        period = db.session.get(ReportPeriod, half)
        results = indicators.evaluate(province, period)
        assert results.totals["population_6_15"] == 10 and results.totals["swim_taught_share"] == 3000  # 3 of 10
        assert results.totals["swim_can_swim_share"] == 1000  # 1 of 10
        assert results.by_sub[A]["swim_taught_share"] == 5000 and results.by_sub[B]["swim_taught_share"] == 1667
        rows = {r.goal.code: r for r in services.dashboard(province, period, on=date(2023, 5, 8)).rows}
    assert rows["T6"].actual == 3000 and rows["T7"].actual == 1000
    assert rows["T6"].note.startswith("2/")  # 2 of the communes have a population figure


# --- T13: the provincial fund's own receipts -----------------------------------------------------------------------

def test_the_provincial_fund_target_is_met_by_the_provincial_fund(app, places, plan2023, known_records):
    """The province's fund received 550 million in the first half (a pledge of 200 million does not count), commune
    A's fund 20 million."""
    half, annual = plan2023["half_year"], plan2023["annual"]
    P, A, B = places["province"].id, places["A"].id, places["B"].id
    assert val(app, "fund_raised", P, half) == 550_000_000
    assert val(app, "fund_raised_local", P, half) == 20_000_000
    assert val(app, "fund_raised", A, half) == 20_000_000 and val(app, "fund_raised_local", A, half) == 20_000_000
    assert val(app, "fund_raised", B, half) == 0  # a fund that received nothing: 0, not "no data"
    assert val(app, "fund_raised", P, annual) == 650_000_000
    with app.app_context():
        province = db.session.get(Unit, P)
        period = db.session.get(ReportPeriod, half)
        board = services.dashboard(province, period, on=date(2023, 5, 8))
        rows = {r.goal.code: r for r in board.rows}
        assert rows["T13"].actual == 550_000_000 and rows["T13"].reached == 55
        assert board.sub_values[A]["T13"] == 20_000_000 and board.sub_values[B]["T13"] == 0  # each its own fund
        assert dict((i.code, v) for i, v in board.others)["fund_raised_local"] == 20_000_000
        # A commune's dashboard: its fund against its own target, when the plan sets one for it.
        commune = db.session.get(Unit, A)
        row = next(r for r in services.dashboard(commune, period, on=date(2023, 5, 8)).rows if r.goal.code == "T13")
        assert (row.actual, row.goal.applies, row.reached) == (20_000_000, False, None)
        target = db.session.scalar(select(Target).where(Target.plan_id == period.plan_id, Target.code == "T13"))
        target.unit_id, target.figure = A, 40_000_000
        db.session.commit()
        row = next(r for r in services.dashboard(commune, period, on=date(2023, 5, 8)).rows if r.goal.code == "T13")
        assert (row.actual, row.goal.applies, row.reached) == (20_000_000, True, 50)


# --- T12: communes recognised -------------------------------------------------------------------------------------

def recognise(unit_id, day, level="district", valid_until=None, number="12/QĐ-UBND"):
    db.session.add(Recognition(unit_id=unit_id, decision_number=number, decided_on=day, deciding_level=level,
                               deciding_body="Chủ tịch UBND huyện", valid_until=valid_until))
    db.session.commit()


def test_t12_counts_recognitions_in_the_period_or_still_holding(app, places, plan2023, known_activities, commune_c):
    half, annual = plan2023["half_year"], plan2023["annual"]
    P, A, B, C = places["province"].id, places["A"].id, places["B"].id, commune_c
    assert indicators.measuring("T12").code == "recognised_share"
    assert indicators.REGISTRY["self_assessed_share"].measures is None  # the self-assessment stays as a step
    assert val(app, "communes_self_assessed", P, half) == 1
    assert val(app, "communes_recognised", P, half) == 0 and val(app, "recognised_share", A, half) == 0
    with app.app_context():
        recognise(A, date(2022, 12, 15))  # holds until 31/12/2023: counts all of 2023
        recognise(B, date(2021, 11, 1))  # lapsed at the end of 2022
        recognise(B, date(2023, 8, 1))  # recognised again in August: the year, not the first half
        recognise(C, date(2023, 3, 10), valid_until=date(2023, 5, 1))  # dated in both periods, withdrawn in May
        recognise(places["village_A"].id, date(2023, 3, 1))  # a village is no commune
        n = communes_count()
    assert val(app, "communes_recognised", P, half) == 2  # A and C
    assert val(app, "communes_recognised", P, annual) == 3  # A, B and C
    assert val(app, "recognised_share", P, half) == indicators._percent(2, n)
    assert (val(app, "recognised_share", A, half), val(app, "recognised_share", B, half)) == (10000, 0)
    assert val(app, "recognised_share", B, annual) == 10000
    assert indicators.recognition_holds_until(None, date(2022, 12, 15)) == date(2023, 12, 31)


def test_a_recognition_lapses_the_year_after_next(app, places, this_years_plan):
    with app.app_context():
        plan_period = db.session.scalar(select(ReportPeriod).where(ReportPeriod.plan_id == this_years_plan,
                                                                   ReportPeriod.code == "annual"))
        year = plan_period.plan.year
        assert indicators.recognition_counts(date(year - 1, 6, 1), None, plan_period)
        assert not indicators.recognition_counts(date(year - 2, 12, 31), None, plan_period)
        assert indicators.recognition_counts(date(year - 2, 12, 31), date(year + 1, 1, 1), plan_period)
        assert not indicators.recognition_counts(date(year + 1, 1, 2), None, plan_period)


# --- The pages ----------------------------------------------------------------------------------------------------

def population_url(places, unit="A", year=2023):
    return f"/reports/population/{places[unit].id}?year={year}"


def test_entering_population_figures(app, client, login_as, places, plan2023, count):
    login_as("admin")
    index = client.get("/reports/").get_data(as_text=True)
    assert "/reports/population" in index and "/reports/recognitions" in index
    page = client.get("/reports/population?year=2023")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Không có số liệu" in text or "Chưa có số liệu" in text
    answer = client.submit(population_url(places, "A"), {"children_6_15": "1.250",
                                                          "source": "Chi cục Thống kê, số liệu 2022"})
    assert answer.status_code in (302, 303)
    with app.app_context():
        figure = db.session.scalar(select(PopulationFigure).where(PopulationFigure.unit_id == places["A"].id))
        assert (figure.year, figure.children_6_15, figure.source) == (2023, 1250, "Chi cục Thống kê, số liệu 2022")
        assert figure.created_by_id is not None
        assert db.session.scalar(select(AuditLog.action).where(AuditLog.object_type == "PopulationFigure")) == "create"
    text = client.get("/reports/population?year=2023").get_data(as_text=True)
    assert "1.250" in text and "Chi cục Thống kê, số liệu 2022" in text
    client.logout()
    login_as("officer_A")
    page = client.get(population_url(places, "A")).get_data(as_text=True)
    assert "1.250" in page and "chỉ để đối chiếu" in page
    answer = client.submit(population_url(places, "A"), {"children_6_15": "1300",
                                                          "source": "Chi cục Thống kê, số liệu 2022"})
    assert answer.status_code in (302, 303)
    with app.app_context():
        assert db.session.scalar(select(PopulationFigure.children_6_15)) == 1300
        entry = db.session.scalar(select(AuditLog).where(AuditLog.object_type == "PopulationFigure",
                                                          AuditLog.action == "update"))
        assert entry.detail_dict["changes"]["children_6_15"] == [1250, 1300]
    assert count(PopulationFigure) == 1


def test_population_refusals(app, client, login_as, places, plan2023, count, new_client):
    login_as("officer_A")
    assert client.get(population_url(places, "B")).status_code == 404  # another commune
    assert client.get(population_url(places, "village_A")).status_code == 404  # no figure for a village
    assert client.get(population_url(places, "province")).status_code == 404  # above the officer's area
    assert client.get(population_url(places, "A", year=2031)).status_code == 404  # no plan that year
    for typed, message in (("12a", "Nhập số trẻ em là số nguyên"), ("0", "ít nhất 1"), ("-5", "số nguyên"),
                           ("", "Nhập số trẻ em")):
        answer = client.submit(population_url(places, "A"), {"children_6_15": typed,
                                                             "source": "Nguồn đã gõ <giữ lại>"})
        assert answer.status_code == 422
        text = answer.get_data(as_text=True)
        assert message in text and "Nguồn đã gõ &lt;giữ lại&gt;" in text
    answer = client.submit(population_url(places, "A"), {"children_6_15": "100", "source": ""})
    assert answer.status_code == 422 and "Cho biết số liệu lấy từ đâu" in answer.get_data(as_text=True)
    assert count(PopulationFigure) == 0
    viewer = new_client()
    viewer.login("lanhdao")
    assert viewer.get("/reports/population?year=2023").status_code == 200
    assert viewer.get(population_url(places, "A")).status_code == 403


def test_recording_a_recognition(app, client, login_as, places, plan2023, count, vietnam_time, new_client):
    vietnam_time(2026, 3, 2, 9, 0)
    login_as("admin")
    form = client.get("/reports/recognitions/new").get_data(as_text=True)
    assert "Quyết định 06/QĐ-TTg" in client.get("/reports/recognitions").get_data(as_text=True)
    assert "Ủy ban nhân dân" in form
    good = {"unit_id": str(places["A"].id), "decision_number": "1234/QĐ-UBND", "decided_on": "2025-12-20",
            "deciding_level": "province", "deciding_body": "Chủ tịch UBND tỉnh Lào Cai"}
    refused = [({"deciding_level": "district"}, "không còn cấp huyện"),
               ({"decided_on": "2026-04-01"}, "không được sau hôm nay"),  # in the future
               ({"decided_on": "2024-12-20"}, "Trước 01/7/2025"),
               ({"decision_number": ""}, "Nhập số quyết định"),
               ({"unit_id": ""}, "Chọn xã"),
               ({"valid_until": "2025-01-01"}, "trước ngày quyết định")]
    for change, message in refused:
        answer = client.submit("/reports/recognitions/new", {**good, **change})
        assert answer.status_code == 422, change
        text = answer.get_data(as_text=True)
        assert message in text, (change, message)
        assert "Chủ tịch UBND tỉnh Lào Cai" in text  # nothing typed is lost
    assert count(Recognition) == 0
    assert client.submit("/reports/recognitions/new", good).status_code in (302, 303)
    with app.app_context():
        saved = db.session.scalar(select(Recognition))
        assert (saved.unit_id, saved.decided_on, saved.deciding_level) == (places["A"].id, date(2025, 12, 20),
                                                                           "province")
        assert db.session.scalar(select(AuditLog.action).where(AuditLog.object_type == "Recognition")) == "create"
        recognition_id = saved.id
    answer = client.submit("/reports/recognitions/new", good)  # the same commune and day again
    assert answer.status_code == 422 and "đã được ghi" in answer.get_data(as_text=True)
    assert client.submit(f"/reports/recognitions/{recognition_id}", {**good, "decision_number": "1235/QĐ-UBND"}) \
        .status_code in (302, 303)
    with app.app_context():
        assert db.session.get(Recognition, recognition_id).decision_number == "1235/QĐ-UBND"
    officer = new_client()
    officer.login("canbo.a")
    assert "1235/QĐ-UBND" in officer.get("/reports/recognitions").get_data(as_text=True)  # sees its own
    assert officer.get("/reports/recognitions/new").status_code == 403
    assert officer.get(f"/reports/recognitions/{recognition_id}").status_code == 403
    other = new_client()
    other.login("canbo.b")
    assert "1235/QĐ-UBND" not in other.get("/reports/recognitions").get_data(as_text=True)
    viewer = new_client()
    viewer.login("lanhdao")
    assert viewer.get("/reports/recognitions/new").status_code == 403
    assert "1235/QĐ-UBND" in viewer.get("/reports/recognitions").get_data(as_text=True)
