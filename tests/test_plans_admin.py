"""An admin makes next year's plan by copying one and editing it; others may read plans but not change them."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.plans.models import Plan, Target


@pytest.fixture
def plan_2023(app, users):
    result = app.test_cli_runner().invoke(args=["load-plan-2023"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        return db.session.scalar(select(Plan.id).where(Plan.year == 2023))


def fill(client, url: str, data: dict):
    """Post the form at `url` as a browser would: what it shows, with `data` changed."""
    from tests.activities.conftest import read_form

    action, fields = read_form(client.get(url).get_data(as_text=True))
    fields.update(data)
    return client.post(action or url, data=fields)


def _plan(app, year):
    with app.app_context():
        plan = db.session.scalar(select(Plan).where(Plan.year == year))
        if plan is not None:
            plan.targets, plan.periods, plan.agencies, plan.lead_agency  # noqa: B018 - load before detaching
            db.session.expunge_all()
        return plan


def test_copy_to_next_year_then_edit(plan_2023, login_as, client, app, count):
    login_as("admin")
    response = client.submit(f"/plans/{plan_2023}", action=f"/plans/{plan_2023}/copy")
    assert response.status_code == 303
    new = _plan(app, 2024)
    assert response.headers["Location"] == f"/plans/{new.id}/edit"
    assert new.title.endswith("năm 2024") and new.copied_from_id == plan_2023
    assert [t.code for t in new.targets] == [f"T{i}" for i in range(1, 15)]
    assert {p.code: p.due_date for p in new.periods} == {"half_year": date(2024, 5, 15),
                                                         "annual": date(2024, 10, 10)}
    # The admin names this year's lead agency and moves a due date: no code change needed.
    with app.app_context():
        from webapp.plans.models import Agency
        health = db.session.scalar(select(Agency.id).where(Agency.name == "Sở Y tế"))
    edited = fill(client, f"/plans/{new.id}/edit", {"lead_agency_id": str(health), "half_year_due": "2024-05-20"})
    assert edited.status_code == 303
    after = _plan(app, 2024)
    assert after.lead_agency.name == "Sở Y tế" and after.version == new.version + 1
    assert {p.code: p.due_date for p in after.periods}["half_year"] == date(2024, 5, 20)
    assert _plan(app, 2023).lead_agency.name == "Sở Lao động – Thương binh và Xã hội"  # the source is untouched


def test_a_target_is_edited_and_added(plan_2023, login_as, client, app):
    login_as("admin")
    t6 = next(t for t in _plan(app, 2023).targets if t.code == "T6")
    form = client.get(f"/plans/{plan_2023}/targets/{t6.id}/edit").get_data(as_text=True)
    assert 'value="93"' in form
    assert fill(client, f"/plans/{plan_2023}/targets/{t6.id}/edit", {"figure": "95,5"}).status_code == 303
    with app.app_context():
        assert db.session.get(Target, t6.id).figure == 9550
    refused = fill(client, f"/plans/{plan_2023}/targets/{t6.id}/edit", {"figure": "120"})
    assert refused.status_code == 422
    assert "Hãy nhập tỷ lệ phần trăm từ 0 đến 100, ví dụ 93 hoặc 3,5." in refused.get_data(as_text=True)
    added = fill(client, f"/plans/{plan_2023}/targets/new", {
        "code": "T15", "text_vi": "Trẻ em được học bơi", "text_en": "Children taught to swim", "kind": "count",
        "direction": "at_least", "figure": "1.200"})
    assert added.status_code == 303
    assert _plan(app, 2023).targets[-1].figure == 1200
    page = client.get(f"/plans/{plan_2023}").get_data(as_text=True)
    assert "95,5%" in page and "1.000.000.000\u00a0₫" in page


def test_copying_twice_makes_one_plan(plan_2023, login_as, client, count):
    login_as("admin")
    page = client.get(f"/plans/{plan_2023}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client_id = re.search(r'name="client_id" type="hidden" value="([^"]+)"', page).group(1)
    for _ in range(2):
        assert client.post(f"/plans/{plan_2023}/copy",
                           data={"csrf_token": token, "client_id": client_id}).status_code == 303
    assert count(Plan) == 2
    # Another copy asked for (a fresh client_id) finds next year's plan and makes none.
    import uuid

    assert client.post(f"/plans/{plan_2023}/copy",
                       data={"csrf_token": token, "client_id": str(uuid.uuid4())}).status_code == 303
    assert count(Plan) == 2


@pytest.mark.parametrize("who", ["officer_A", "collector_A", "viewer"])
def test_only_an_admin_changes_plans(who, plan_2023, login_as, client, count):
    login_as(who)
    assert client.get(f"/plans/{plan_2023}").status_code == 200
    token = client.csrf_token()
    assert client.post(f"/plans/{plan_2023}/copy", data={"csrf_token": token}).status_code == 403
    assert client.get(f"/plans/{plan_2023}/edit").status_code == 403
    assert client.get("/plans/agencies").status_code == 403
    assert count(Plan) == 1


def test_an_admin_adds_an_agency(plan_2023, login_as, client, count):
    from webapp.plans.models import Agency

    login_as("admin")
    before = count(Agency)
    response = fill(client, "/plans/agencies", {"name": "Cục Bà mẹ và Trẻ em", "level": "province"})
    assert response.status_code == 303 and count(Agency) == before + 1
    again = fill(client, "/plans/agencies", {"name": "Cục Bà mẹ và Trẻ em", "level": "province"})
    assert again.status_code == 422 and "Cơ quan này đã có trong danh sách." in again.get_data(as_text=True)


def test_an_admin_renames_an_agency(plan_2023, login_as, client, app):
    from webapp.plans.models import Agency

    login_as("admin")
    with app.app_context():
        agency_id = db.session.scalar(select(Agency.id).where(Agency.name == "Sở Thông tin và Truyền thông"))
    response = fill(client, f"/plans/agencies/{agency_id}/edit", {"valid_until": "2025-02-28"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Agency, agency_id).valid_until == date(2025, 2, 28)
