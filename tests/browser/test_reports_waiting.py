"""On a 360×740 phone in Vietnamese (issue 15, items 4 and 5): a commune officer's report counts her approved
training only, says "1 chờ duyệt" beside the figure and how far its figures are counted; she taps it, approves the
waiting training and finds it counted. The province's admin moves the 6-month report's cut-off on the plan's page."""

from datetime import UTC, date, datetime

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def may_2023(monkeypatch):
    from webapp.core import clock

    monkeypatch.setattr(clock, "now", lambda: datetime(2023, 5, 8, 2, 0, tzinfo=UTC))  # 09:00 on 8 May in Vietnam


@pytest.fixture
def trainings(app, places):
    """Commune A's trainings: one approved (30 people), one waiting for review (20), one after the cut-off (9)."""
    from webapp.activities.models import Activity
    from webapp.core.models import new_client_id
    from webapp.extensions import db
    from webapp.geo.models import Unit
    from webapp.plans.services import load_plan_2023

    with app.app_context():
        plan, _ = load_plan_2023(db.session.get(Unit, places["province"].id))
        for day, status, audience in ((date(2023, 3, 14), "approved", 30), (date(2023, 4, 2), "submitted", 20),
                                      (date(2023, 5, 20), "approved", 9)):
            db.session.add(Activity(kind="training", plan_id=plan.id, unit_id=places["A"].id, date=day,
                                    status=status, audience_total=audience, client_id=new_client_id()))
        db.session.commit()
        return {"plan": plan.id, **{p.code: p.id for p in plan.periods}}


def fits_the_phone(page, locator):
    box = locator.bounding_box()
    size = float(locator.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px"))
    assert box["height"] >= 44 and size >= 14, (box, size)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_officer_sees_what_waits_approves_it_and_finds_it_counted(page, sign_in, users, places, trainings,
                                                                      may_2023):
    sign_in(users["officer_A"].username, users["officer_A"].password)
    page.goto(f"/reports/{trainings['half_year']}/units/{places['A'].id}")
    assert "Số liệu tính đến ngày 14/05/2023" in page.locator("p.muted").first.inner_text()
    row = page.locator("tr", has_text="2. Nâng cao năng lực")
    assert row.locator("td").nth(1).inner_text().split() == ["1", "1", "chờ", "duyệt"]  # 1 counted, 1 waiting
    assert row.locator("td").nth(2).inner_text() == "30"  # neither the waiting 20 nor the 9 after the cut-off
    people = page.locator("tr", has_text="— số người")  # the goal Q1's people, in the targets' table
    assert people.locator("td").nth(2).inner_text().split() == ["30", "1", "chờ", "duyệt"]
    link = row.get_by_role("link", name="1 chờ duyệt")
    fits_the_phone(page, link)

    link.click()
    page.get_by_text("1 hoạt động", exact=True).wait_for()
    assert page.locator("ul.cards li").count() == 1
    page.locator("ul.cards li a").first.click()
    page.get_by_role("button", name="Duyệt").click()
    page.locator(".flash").first.wait_for()

    page.goto(f"/reports/{trainings['half_year']}/units/{places['A'].id}")
    row = page.locator("tr", has_text="2. Nâng cao năng lực")
    assert row.locator("td").nth(1).inner_text() == "2" and row.locator("td").nth(2).inner_text() == "50"
    assert page.locator("table").get_by_text("chờ duyệt").count() == 0  # no figure has an entry waiting

    page.goto(f"/reports/dashboard?unit={places['A'].id}&period={trainings['half_year']}")
    assert "Số liệu tính đến ngày 14/05/2023" in page.locator("p.muted").first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_admin_moves_the_cut_off_on_the_plans_page(page, sign_in, users, trainings, may_2023):
    sign_in(users["admin"].username, users["admin"].password)
    page.goto(f"/plans/{trainings['plan']}")
    period = page.locator("dd", has_text="số liệu tính đến ngày 14/05/2023")
    period.get_by_role("link", name="Sửa").click()
    field = page.get_by_label("Số liệu tính đến ngày")
    assert field.input_value() == "2023-05-14"
    fits_the_phone(page, field)
    field.fill("2023-05-20")
    page.get_by_role("button", name="Lưu").click()
    error = page.locator("#cutoff_date-error")
    assert "Hạn nộp báo cáo là ngày 15/05/2023" in error.inner_text()
    assert page.get_by_label("Số liệu tính đến ngày").input_value() == "2023-05-20"  # kept as typed
    page.get_by_label("Số liệu tính đến ngày").fill("2023-05-10")
    page.get_by_role("button", name="Lưu").click()
    page.locator("dd", has_text="số liệu tính đến ngày 10/05/2023").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
