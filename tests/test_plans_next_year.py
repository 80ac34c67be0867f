"""Next year's plan (issue 15, item 6): a copy names the agencies in force when it starts (Sở Y tế for Sở LĐ-TB&XH,
whose role ended 28/02/2025), the forms offer only agencies in force on the activity's date, every figure of a plan
can be edited or removed by the admin, and a commune can have its own target."""

from datetime import date

import pytest
from sqlalchemy import select

from tests.activities.conftest import read_form
from webapp.extensions import db
from webapp.plans.models import Agency, Plan, PlanQuantity, Target

DOLISA = "Sở Lao động – Thương binh và Xã hội"
HEALTH = "Sở Y tế"


@pytest.fixture
def plan_2023(app, users):
    result = app.test_cli_runner().invoke(args=["load-plan-2023"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        return db.session.scalar(select(Plan.id).where(Plan.year == 2023))


def agency_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Agency.id).where(Agency.name == name))


def fill(client, url: str, data: dict):
    """Post the form at `url` as a browser would: what it shows, with `data` changed."""
    action, fields = read_form(client.get(url).get_data(as_text=True))
    fields.update(data)
    return client.post(action or url, data={k: v for k, v in fields.items() if v is not None})


def copy_to(client, app, year: int) -> int:
    """Copy the plan of the year before to `year` through the plan page, as the admin does; the new plan's id."""
    with app.app_context():
        source = db.session.scalar(select(Plan.id).where(Plan.year == year - 1))
    response = client.submit(f"/plans/{source}", action=f"/plans/{source}/copy")
    assert response.status_code == 303
    with app.app_context():
        return db.session.scalar(select(Plan.id).where(Plan.year == year))


@pytest.fixture
def plans_to_2026(plan_2023, login_as, client, app):
    """2024, 2025 and 2026, each copied from the year before by the admin; {year: id}."""
    login_as("admin")
    ids = {2023: plan_2023}
    for year in (2024, 2025, 2026):
        ids[year] = copy_to(client, app, year)
        told = client.get(f"/plans/{ids[year]}/edit").get_data(as_text=True)  # the page the copy opens
        assert ("Không đưa vào vì từ 01/7/2025 không còn cấp huyện: Q5." in told) == (year == 2026)
    client.logout()
    return ids


def test_the_seed_names_sodyte_as_successor(app, plan_2023):
    with app.app_context():
        dolisa = db.session.scalar(select(Agency).where(Agency.name == DOLISA))
        assert dolisa.valid_until == date(2025, 2, 28) and dolisa.successor.name == HEALTH
        assert dolisa.successor_on(date(2025, 2, 28)) is dolisa
        assert dolisa.successor_on(date(2025, 3, 1)).name == HEALTH


def test_copy_to_2026_names_sodyte_and_no_ended_agency(app, plans_to_2026):
    with app.app_context():
        plan_2025 = db.session.get(Plan, plans_to_2026[2025])
        assert plan_2025.lead_agency.name == DOLISA  # in force on 01/01/2025, when that plan starts
        plan = db.session.get(Plan, plans_to_2026[2026])
        assert plan.lead_agency.name == HEALTH
        named = [plan.issuing_agency, plan.lead_agency, *plan.agencies]
        assert all(a.in_force(plan.start_date) for a in named), [a.name for a in named]
        assert DOLISA not in [a.name for a in named]
    # District forums are not copied into a plan starting after districts ended (01/7/2025).
    assert _quantity(app, plans_to_2026[2025], "Q5") is not None
    assert _quantity(app, plans_to_2026[2026], "Q5") is None
    # The plan's edit page does not offer the ended agency for 2026 …
    page = login_and_get(app, plans_to_2026[2026])
    assert HEALTH in page and DOLISA not in page


def login_and_get(app, plan_id: int) -> str:
    from tests.conftest import Client

    app.test_client_class = Client
    other = app.test_client()
    assert other.login("quantri").status_code == 303
    return other.get(f"/plans/{plan_id}/edit").get_data(as_text=True)


def test_copy_follows_a_chain_of_successors(app, plan_2023, users):
    """An office that ended in 2023 and passed its role to Sở LĐ-TB&XH, which passed it to Sở Y tế: a 2026 copy
    names Sở Y tế, once."""
    from webapp.accounts.models import User
    from webapp.plans.services import copy_plan

    with app.app_context():
        dolisa = db.session.scalar(select(Agency).where(Agency.name == DOLISA))
        office = Agency(unit_id=dolisa.unit_id, name="Phòng Bảo vệ trẻ em (cũ)", level="province",
                        valid_until=date(2023, 12, 31), successor=dolisa)
        plan = db.session.get(Plan, plan_2023)
        plan.agencies = [*plan.agencies, office, dolisa, db.session.scalar(select(Agency).where(Agency.name == HEALTH))]
        db.session.commit()
        copy = copy_plan(plan, 2026, db.session.get(User, users["admin"].id))
        names = [a.name for a in copy.agencies]
        assert names.count(HEALTH) == 1 and DOLISA not in names and office.name not in names
        assert copy.lead_agency_id == agency_id(app, HEALTH)
        db.session.rollback()


def _communication(fill_form, client, url: str, data: dict):
    return fill_form(client, url, {"channel": "school_talk", "topics": ["violence_abuse"], "boys": "10",
                                   "girls": "12", **data})


def test_activity_form_offers_only_agencies_in_force(app, plans_to_2026, login_as, client, vietnam_time, count):
    from webapp.activities.models import Activity

    vietnam_time(2026, 3, 10, 9, 0)
    login_as("officer_A")
    page = client.get("/activities/new/communication").get_data(as_text=True)
    assert "Sở LĐ-TB&amp;XH" not in page and "Sở Y tế" in page
    _action, fields = read_form(page)
    assert fields["lead_agency_id"] == str(agency_id(app, HEALTH))  # the plan's lead, in force
    # Posting the ended agency anyway (a page opened earlier, a crafted post) is refused next to the field.
    refused = _communication(fill, client, "/activities/new/communication", {
        "date": "2026-03-05", "lead_agency_id": str(agency_id(app, DOLISA)), "venue": "Trường Tiểu học Pha Long"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'id="lead_agency_id-error"' in html
    assert "Sở LĐ-TB&amp;XH chỉ đảm nhiệm nhiệm vụ này đến ngày 28/02/2025" in html
    assert "Sở Y tế" in html and 'value="Trường Tiểu học Pha Long"' in html and 'value="2026-03-05"' in html
    assert count(Activity) == 0
    # The same for a coordinating agency.
    refused = _communication(fill, client, "/activities/new/communication", {
        "date": "2026-03-05", "agencies": [str(agency_id(app, DOLISA))]})
    assert refused.status_code == 422 and 'id="agencies-error"' in refused.get_data(as_text=True)
    assert count(Activity) == 0


def test_the_plans_lead_is_preselected_only_while_in_force(app, plans_to_2026, login_as, client, vietnam_time):
    """In March 2025 the 2025 plan still names Sở LĐ-TB&XH (it led when the plan started): the form pre-selects the
    agency holding its role that day, Sở Y tế, and does not offer the ended one."""
    vietnam_time(2025, 3, 10, 9, 0)
    login_as("officer_A")
    page = client.get("/activities/new/communication").get_data(as_text=True)
    _action, fields = read_form(page)
    assert fields["plan_id"] == str(plans_to_2026[2025])
    assert fields["lead_agency_id"] == str(agency_id(app, HEALTH))
    assert "Sở LĐ-TB&amp;XH" not in page


def _agencies_of(app, activity_id: int) -> tuple:
    """(lead agency id, coordinating agency ids, notes) of an activity, read straight from the database."""
    from webapp.activities.models import Activity

    with app.app_context():
        activity = db.session.get(Activity, activity_id)
        return activity.lead_agency_id, [a.id for a in activity.agencies], activity.notes


def test_an_old_activity_keeps_its_ended_agency_when_edited(app, plans_to_2026, login_as, client, vietnam_time):
    from webapp.activities.models import Activity

    dolisa = agency_id(app, DOLISA)
    vietnam_time(2025, 2, 20, 9, 0)
    login_as("officer_A")
    page = client.get("/activities/new/communication").get_data(as_text=True)
    assert "Sở LĐ-TB&amp;XH" in page  # still in its role on 20/02/2025
    saved = _communication(fill, client, "/activities/new/communication", {
        "lead_agency_id": str(dolisa), "agencies": [str(dolisa)]})
    assert saved.status_code == 303, saved.get_data(as_text=True)
    with app.app_context():
        activity_id = db.session.scalar(select(Activity.id))
    vietnam_time(2026, 3, 10, 9, 0)
    form = client.get(f"/activities/{activity_id}/edit").get_data(as_text=True)
    _action, fields = read_form(form)
    assert fields["lead_agency_id"] == str(dolisa)
    edited = fill(client, f"/activities/{activity_id}/edit", {"notes": "Bổ sung số liệu."})
    assert edited.status_code == 303, edited.get_data(as_text=True)
    assert _agencies_of(app, activity_id) == (dolisa, [dolisa], "Bổ sung số liệu.")
    # Moving it to a day after the agency's role ended keeps what it names (the record's own), as saved.
    moved = fill(client, f"/activities/{activity_id}/edit", {"date": "2025-03-05"})
    assert moved.status_code == 303
    assert _agencies_of(app, activity_id)[:2] == (dolisa, [dolisa])


def test_the_admin_names_a_successor_on_the_agency_form(app, plan_2023, login_as, client):
    login_as("admin")
    tinh_doan = agency_id(app, "Tỉnh đoàn Lào Cai")
    health = agency_id(app, HEALTH)
    without_day = fill(client, f"/plans/agencies/{tinh_doan}/edit", {"successor_id": str(health)})
    assert without_day.status_code == 422
    assert "Hãy cho biết cơ quan thực hiện nhiệm vụ đến ngày nào" in without_day.get_data(as_text=True)
    saved = fill(client, f"/plans/agencies/{tinh_doan}/edit", {"successor_id": str(health),
                                                               "valid_until": "2026-06-30"})
    assert saved.status_code == 303
    with app.app_context():
        agency = db.session.get(Agency, tinh_doan)
        assert agency.successor_id == health and agency.valid_until == date(2026, 6, 30)
    # A successor that leads back to the agency is refused.
    loop = fill(client, f"/plans/agencies/{health}/edit", {"successor_id": str(tinh_doan),
                                                           "valid_until": "2026-12-31"})
    assert loop.status_code == 422
    assert 'id="successor_id-error"' in loop.get_data(as_text=True)
    assert "Cơ quan kế nhiệm" in client.get("/plans/agencies").get_data(as_text=True)


def test_the_plan_form_refuses_an_agency_ended_before_the_plan(app, plans_to_2026, login_as, client):
    login_as("admin")
    plan_id = plans_to_2026[2026]
    refused = client.post(f"/plans/{plan_id}/edit", data={
        **read_form(client.get(f"/plans/{plan_id}/edit").get_data(as_text=True))[1],
        "lead_agency_id": str(agency_id(app, DOLISA))})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'id="lead_agency_id-error"' in html and "28/02/2025" in html
    with app.app_context():
        assert db.session.get(Plan, plan_id).lead_agency.name == HEALTH


# --- Planned activities ------------------------------------------------------------------------------------------

def _quantity(app, plan_id: int, code: str) -> PlanQuantity | None:
    with app.app_context():
        row = db.session.scalar(select(PlanQuantity).where(PlanQuantity.plan_id == plan_id,
                                                           PlanQuantity.code == code))
        db.session.expunge_all()
        return row


def test_the_admin_edits_and_removes_a_planned_activity(app, plans_to_2026, login_as, client):
    from webapp.core.audit import AuditLog

    plan_id = plans_to_2026[2026]
    q1, q5 = _quantity(app, plan_id, "Q1"), _quantity(app, plans_to_2026[2025], "Q5")
    login_as("admin")
    url = f"/plans/{plan_id}/quantities/{q1.id}/edit"
    assert 'value="540"' in client.get(url).get_data(as_text=True)
    saved = fill(client, url, {"events": "12", "participants": "720", "adult_participants": "600",
                               "child_participants": "120"})
    assert saved.status_code == 303
    after = _quantity(app, plan_id, "Q1")
    assert (after.events, after.participants, after.adult_participants, after.child_participants) == (12, 720, 600,
                                                                                                        120)
    assert _quantity(app, plans_to_2026[2025], "Q1").events == 9  # the year before is untouched
    # Bad numbers are refused next to their field, with what was typed kept.
    for data, field, message in [
        ({"events": "mười"}, "events", "Hãy nhập số nguyên từ 0 đến 100.000."),
        ({"events": "-3"}, "events", "Hãy nhập số nguyên từ 0 đến 100.000."),
        ({"events": ""}, "events", "Hãy nhập số lượng."),
        ({"participants": "100", "adult_participants": "90", "child_participants": "20"}, "participants",
         "Người lớn và trẻ em cộng lại là 110, nhiều hơn 100 người."),
        ({"code": "Q2"}, "code", "Kế hoạch đã có hoạt động Q2."),
    ]:
        refused = fill(client, url, {"text_vi": "Lớp tập huấn đã sửa", **data})
        assert refused.status_code == 422, data
        html = refused.get_data(as_text=True)
        assert f'id="{field}-error"' in html and message in html, (data, message)
        assert "Lớp tập huấn đã sửa" in html
    assert _quantity(app, plan_id, "Q1").events == 12
    # The 2025 plan set 9 district forums, but districts ended on 01/7/2025: the admin removes them.
    plan_2025 = plans_to_2026[2025]
    edit_q5 = client.get(f"/plans/{plan_2025}/quantities/{q5.id}/edit").get_data(as_text=True)
    assert "Bỏ Q5 khỏi kế hoạch" in edit_q5
    removed = client.submit(f"/plans/{plan_2025}/quantities/{q5.id}/edit",
                            action=f"/plans/{plan_2025}/quantities/{q5.id}/remove")
    assert removed.status_code == 303
    assert _quantity(app, plan_2025, "Q5") is None
    assert _quantity(app, plans_to_2026[2024], "Q5") is not None
    assert "9/9" not in client.get(f"/plans/{plan_2025}").get_data(as_text=True)
    assert "720" in client.get(f"/plans/{plan_id}").get_data(as_text=True)
    with app.app_context():
        updates = db.session.scalars(select(AuditLog).where(AuditLog.action == "update", AuditLog.object_type == "Plan",
                                                            AuditLog.object_id.in_([plan_id, plan_2025]))).all()
        details = [u.detail_dict for u in updates]
        assert any("Q1.events" in d.get("changes", {}) for d in details)
        assert any(d.get("changes", {}).get("Q5", [None, 1])[1] is None for d in details)
    # A planned activity is added back.
    added = fill(client, f"/plans/{plan_id}/quantities/new", {
        "code": "Q6", "activity_kind": "forum", "level": "commune", "text_vi": "Diễn đàn trẻ em cấp xã",
        "text_en": "Commune children's forums", "events": "20"})
    assert added.status_code == 303
    assert _quantity(app, plan_id, "Q6").events == 20


@pytest.mark.parametrize("who", ["officer_A", "viewer", "collector_A"])
def test_only_the_admin_changes_planned_activities(app, plans_to_2026, login_as, client, who):
    plan_id = plans_to_2026[2026]
    q1 = _quantity(app, plan_id, "Q1")
    login_as(who)
    token = client.csrf_token()
    assert client.get(f"/plans/{plan_id}/quantities/{q1.id}/edit").status_code == 403
    assert client.post(f"/plans/{plan_id}/quantities/{q1.id}/edit",
                       data={"csrf_token": token, "code": "Q1", "activity_kind": "training", "text_vi": "x",
                             "text_en": "x", "events": "0"}).status_code == 403
    assert client.post(f"/plans/{plan_id}/quantities/{q1.id}/remove", data={"csrf_token": token}).status_code == 403
    assert client.get(f"/plans/{plan_id}/quantities/new").status_code == 403
    assert _quantity(app, plan_id, "Q1").events == 9
    assert "/quantities/" not in client.get(f"/plans/{plan_id}").get_data(as_text=True)


def test_a_quantity_of_another_plan_is_not_found(app, plans_to_2026, login_as, client):
    q1_2025 = _quantity(app, plans_to_2026[2025], "Q1")
    login_as("admin")
    assert client.get(f"/plans/{plans_to_2026[2026]}/quantities/{q1_2025.id}/edit").status_code == 404


# --- A commune's own targets -------------------------------------------------------------------------------------

def test_a_commune_gets_its_own_fund_target(app, plans_to_2026, login_as, client, places):
    from webapp.geo.models import Unit
    from webapp.reports.services import goals_for

    plan_id = plans_to_2026[2026]
    with app.app_context():
        t13 = db.session.scalar(select(Target).where(Target.plan_id == plan_id, Target.code == "T13"))
        t13_id = t13.id
    login_as("admin")
    new = f"/plans/{plan_id}/targets/new?like={t13_id}"
    _action, prefilled = read_form(client.get(new).get_data(as_text=True))
    assert prefilled["code"] == "T13" and prefilled["kind"] == "money"
    saved = fill(client, new, {"unit_id": str(places["A"].id), "figure": "50.000.000"})
    assert saved.status_code == 303, saved.get_data(as_text=True)
    # Once per commune: a second T13 for the same commune is refused; another measure is refused too.
    again = fill(client, new, {"unit_id": str(places["A"].id), "figure": "60.000.000"})
    assert again.status_code == 422
    assert "Xã Mường Khương đã có chỉ tiêu T13 riêng." in again.get_data(as_text=True)
    other_kind = fill(client, new, {"unit_id": str(places["B"].id), "kind": "count", "figure": "5"})
    assert other_kind.status_code == 422 and 'id="kind-error"' in other_kind.get_data(as_text=True)
    with app.app_context():
        plan = db.session.get(Plan, plan_id)
        t13s = {t.unit_id: t.figure for t in plan.targets if t.code == "T13"}
        assert t13s == {None: 1_000_000_000, places["A"].id: 50_000_000}
        for unit_key, figure, applies in [("A", 50_000_000, True), ("B", 1_000_000_000, False),
                                          ("province", 1_000_000_000, True)]:
            goals = [g for g in goals_for(plan, db.session.get(Unit, places[unit_key].id)) if g.code == "T13"]
            assert [(g.figure, g.applies) for g in goals] == [(figure, applies)], unit_key
        assert len([g for g in goals_for(plan, db.session.get(Unit, places["A"].id))]) == len(
            goals_for(plan, db.session.get(Unit, places["B"].id)))
    # The plan page shows it under T13.
    page = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    t13_row = page[page.index(">T13<"):page.index(">T14<")]
    assert "Xã Mường Khương" in t13_row and "50.000.000\u00a0₫" in t13_row
    # Copied to the next year with the rest, and removed when no longer set.
    with app.app_context():
        own = db.session.scalar(select(Target.id).where(Target.plan_id == plan_id, Target.unit_id == places["A"].id))
    removed = client.submit(f"/plans/{plan_id}/targets/{own}/edit", action=f"/plans/{plan_id}/targets/{own}/remove")
    assert removed.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Target).where(Target.plan_id == plan_id,
                                                      Target.unit_id == places["A"].id)) is None
        assert db.session.get(Target, t13_id) is not None


def test_a_commune_target_refused_to_others(app, plans_to_2026, login_as, client, places):
    plan_id = plans_to_2026[2026]
    login_as("officer_A")
    assert client.get(f"/plans/{plan_id}/targets/new").status_code == 403
    with app.app_context():
        t13 = db.session.scalar(select(Target.id).where(Target.plan_id == plan_id, Target.code == "T13"))
    assert client.post(f"/plans/{plan_id}/targets/{t13}/remove",
                       data={"csrf_token": client.csrf_token()}).status_code == 403


def test_migration_keeps_targets_and_names_the_successor(app, plan_2023, places):
    """Down to the revision before 0019 and up again: every target is kept (a commune's own T13, which the older
    (plan, code) rule cannot hold twice, is renamed on the way down, not lost), and Sở LĐ-TB&XH gets Sở Y tế as
    its successor on the way up."""
    from alembic.script import ScriptDirectory
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    with app.app_context():
        plan = db.session.get(Plan, plan_2023)
        t13 = next(t for t in plan.targets if t.code == "T13")
        plan.targets.append(Target(code="T13", position=t13.position, text_vi=t13.text_vi, text_en=t13.text_en,
                                   kind="money", direction="at_least", figure=50_000_000, unit_id=places["A"].id))
        db.session.commit()
        before = db.session.execute(text("SELECT count(*) FROM targets")).scalar()
        config = app.extensions["migrate"].migrate.get_config()
        previous = ScriptDirectory.from_config(config).get_revision("0019_agency_successor").down_revision
        db.session.remove()
        downgrade(revision=previous)
        rows = db.session.execute(text("SELECT code, unit_id, figure FROM targets WHERE code LIKE 'T13%'")).all()
        assert sorted(rows, key=lambda r: r[0]) == [("T13", None, 1_000_000_000),
                                                    (f"T13-{places['A'].id}", places["A"].id, 50_000_000)]
        db.session.remove()
        upgrade()
        assert db.session.execute(text("SELECT count(*) FROM targets")).scalar() == before
        successor = db.session.execute(text(
            "SELECT s.name FROM agencies a JOIN agencies s ON s.id = a.successor_id WHERE a.name = :name"),
            {"name": DOLISA}).scalar()
        assert successor == HEALTH
        db.session.remove()


def test_a_forum_recommendation_is_addressed_to_an_agency_in_force(app, plan_2023, login_as, client, places, count):
    """The children's recommendation of a forum held now goes to Sở Y tế, not to the ended Sở LĐ-TB&XH."""
    from tests.forum_helpers import plan_forum
    from webapp.forum.models import Recommendation

    login_as("officer_A")
    forum = plan_forum(client, places["A"].id)
    url = f"/forum/{forum}/recommendations/new"
    page = client.get(url).get_data(as_text=True)
    assert "Sở Y tế" in page and DOLISA not in page
    fields = {"text": "Xây rào và biển cảnh báo ở hồ nước cạnh trường.", "topic": "drowning",
              "group": "Nhóm nữ 12–15 tuổi", "presenter_id": "0", "agency_id": str(agency_id(app, DOLISA)),
              "addressed_to": "", "answer": "", "due_date": ""}
    refused = client.submit(url, fields)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'id="agency_id-error"' in html and "28/02/2025" in html and "Xây rào và biển cảnh báo" in html
    assert count(Recommendation) == 0
    assert client.submit(url, {**fields, "agency_id": str(agency_id(app, HEALTH))}).status_code == 303


def test_a_communes_own_target_is_copied_and_becomes_its_funds_target(app, plans_to_2026, login_as, client,
                                                                       places):
    from webapp.fund.models import FundTarget

    plan_id = plans_to_2026[2026]
    with app.app_context():
        t13 = db.session.scalar(select(Target.id).where(Target.plan_id == plan_id, Target.code == "T13"))
    login_as("admin")
    new = f"/plans/{plan_id}/targets/new?like={t13}"
    assert fill(client, new, {"unit_id": str(places["A"].id), "figure": "50.000.000"}).status_code == 303
    plan_2027 = copy_to(client, app, 2027)
    with app.app_context():
        copied = db.session.scalars(select(Target).where(Target.plan_id == plan_2027, Target.code == "T13")).all()
        assert {(t.unit_id, t.figure) for t in copied} == {(None, 1_000_000_000), (places["A"].id, 50_000_000)}
        funds = db.session.scalars(select(FundTarget).where(FundTarget.year == 2027)).all()
        assert {(f.unit_id, f.amount) for f in funds} == {(places["province"].id, 1_000_000_000),
                                                          (places["A"].id, 50_000_000)}
