"""On a 360×740 phone in Vietnamese (issue 19): a commune officer whose every goal has a figure opens her dashboard.
The first screen, without scrolling, says how many goals are on track, behind and without data, the progress
expected by today, her report's status and due date and what waits for review; the whole page is at most three
screens tall; she taps a goal and sees its month-by-month line and her villages ranked."""

import os
from datetime import date

import pytest

pytestmark = pytest.mark.browser

SCREEN = 740


@pytest.fixture
def filled_commune(app, places, users, login_as, client, vietnam_time):
    """Commune A on 8 May 2023: trainings and talks in every month so far (one waiting for review), a value entered
    with its source for every goal that records cannot give, its children aged 6 to 15 from the statistics and a
    donation received by its fund: every goal of its dashboard has a figure (but the swim shares T6 and T7, which
    need a course's lessons of registered children: their cells say "—", as tall as any other)."""
    from tests.test_fund_ledger import donate
    from webapp.activities.models import Activity
    from webapp.core.models import new_client_id
    from webapp.extensions import db
    from webapp.geo.models import Unit
    from webapp.plans.services import load_plan_2023
    from webapp.reports import indicators, services
    from webapp.reports.models import EnteredValue, PopulationFigure

    vietnam_time(2023, 5, 8, 9, 0)
    with app.app_context():
        plan, _ = load_plan_2023(db.session.get(Unit, places["province"].id))
        periods = {p.code: p for p in plan.periods}
        for month in (1, 2, 3, 4):
            for kind, unit, extra in (("training", "A", {}),
                                      ("communication", "village_A", {"channel": "community_talk"})):
                db.session.add(Activity(kind=kind, plan_id=plan.id, unit_id=places[unit].id, date=date(2023, month, 12),
                                        status="approved", audience_total=20 + month, client_id=new_client_id(),
                                        **extra))
        db.session.add(Activity(kind="training", plan_id=plan.id, unit_id=places["A"].id, date=date(2023, 5, 2),
                                status="submitted", audience_total=15, client_id=new_client_id()))
        commune = db.session.get(Unit, places["A"].id)
        for goal in services.goals_for(plan, commune):
            if indicators.measuring(goal.code) is None:
                db.session.add(EnteredValue(period_id=periods["half_year"].id, unit_id=commune.id, goal=goal.code,
                                            value=9500 if goal.kind == "percent" else 1, source="Báo cáo của xã",
                                            client_id=new_client_id(), created_by_id=users["officer_A"].id))
        db.session.add(PopulationFigure(unit_id=commune.id, year=2023, children_6_15=120, source="Thống kê xã"))
        db.session.commit()
        half = periods["half_year"].id
    login_as("officer_A")
    assert donate(client, places["A"].id, value="20.000.000", given_on="2023-03-01").status_code == 303
    with app.app_context():
        board = services.dashboard(db.session.get(Unit, places["A"].id), db.session.get(type(periods["half_year"]),
                                                                                          half))
        # every goal has its figure but the swim shares, which only children's swim lessons give, and T3/T5, which
        # only reports about children verified in the period give (webapp/concerns) — their cells are alike
        assert [r.goal.code for r in board.rows if r.actual is None] == ["T3", "T5", "T6", "T7"]
    return half


def test_a_commune_reads_its_dashboard_at_a_glance(page, sign_in, users, places, filled_commune):
    sign_in(users["officer_A"].username, users["officer_A"].password)
    page.goto(f"/reports/dashboard?unit={places['A'].id}&period={filled_commune}")
    nav_top = page.locator("nav.bottom").bounding_box()["y"]
    glance = page.locator("section.glance")
    box = glance.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= nav_top, (box, nav_top)  # above the fold, above the menu
    tiles = [t.inner_text() for t in glance.locator(".tiles li").all()]
    assert len(tiles) == 3 and tiles[2].split()[0] == "4" and "chưa có số liệu" in tiles[2]  # T3, T5, T6, T7
    text = glance.inner_text()
    assert "Tiến độ cần đạt đến 08/05/2023: 35% chỉ tiêu năm" in text
    assert "Chưa bắt đầu" in text and "hạn 15/05/2023" in text
    assert "1 hoạt động" in glance.get_by_role("link", name="1 hoạt động").inner_text()
    # the goals: a grid of cells, each a link to the goal
    assert page.locator(".goalgrid li.g a").count() >= 20
    # the months as a picture with its numbers as text
    chart = page.get_by_role("img", name="Hoạt động theo tháng", exact=False)
    assert "tháng 1: 2" in chart.get_attribute("aria-label")
    if os.environ.get("SOTAY_SHOTS"):  # a folder to keep the screens in, to look at them
        page.screenshot(path=f"{os.environ['SOTAY_SHOTS']}/glance-commune.png", full_page=True)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 3 * SCREEN, f"the dashboard is {height} px tall"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.locator(".goalgrid li.g a", has_text="Q1 · số người").click()
    page.wait_for_load_state()
    assert "Q1" in page.locator("h1").inner_text()
    line = page.get_by_role("img", name="Q1 · theo tháng", exact=False)
    label = line.get_attribute("aria-label")
    assert "tháng 1: 21 (lũy kế 21)" in label and "tháng 4: 24 (lũy kế 90)" in label
    assert page.locator("svg polyline.line").count() == 1
    if os.environ.get("SOTAY_SHOTS"):
        page.screenshot(path=f"{os.environ['SOTAY_SHOTS']}/glance-goal.png", full_page=True)
    ranked = page.locator("#subunits ~ ul.ranked li")
    assert ranked.count() >= 1 and places["village_A"].name in page.locator("ul.ranked").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
