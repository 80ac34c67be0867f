"""List pages ask the database the same number of questions for 2 rows as for 30: no query per row (an N+1 makes
a province-sized list slow long before anything else does)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, select

from webapp.extensions import db

# (who looks, the page): every list of records and the pages that sum them.
PAGES = [
    ("officer_A", "/"),  # home counts what waits (activities to review, second gifts, forums): never per row
    ("collector_A", "/"),
    ("admin", "/"),
    ("officer_A", "/activities/"),
    ("officer_A", "/activities/?status=submitted"),
    ("collector_A", "/activities/"),
    ("officer_A", "/children/"),
    ("officer_A", "/children/?q=giang"),
    ("officer_A", "/gifts/"),
    ("officer_A", "/fund/"),
    ("officer_A", "/fund/donors"),
    ("officer_A", "/forum/"),
    ("officer_A", "/swim/"),
    ("officer_A", "/reports/dashboard"),
    ("admin", "/users"),
    ("admin", "/audit"),
    ("admin", "/reports/dashboard"),
    ("officer_A", "/concerns/"),  # and home lists the new ones with their clocks: one query, never per report
    ("admin", "/concerns/?show=all"),
]


@pytest.fixture
def add_records(app, places, users):
    """add_records(n): n more records of every listed kind in commune A's village, made by A's officer."""
    from webapp.accounts.models import User
    from webapp.activities.models import Activity, ActivityMaterial, Agency
    from webapp.children.models import Child
    from webapp.concerns.models import Concern
    from webapp.core.audit import AuditLog
    from webapp.core.text import fold
    from webapp.forum.models import Forum
    from webapp.fund.models import Donation, Spending
    from webapp.geo.models import Unit
    from webapp.gifts.models import Distribution, Receipt
    from webapp.plans.services import load_plan_2023
    from webapp.swim.models import SwimCourse

    with app.app_context():
        plan, _ = load_plan_2023(db.session.get(Unit, places["province"].id))
        db.session.commit()
        plan_id = plan.id
    made = {"n": 0}

    def add(n: int) -> None:
        with app.app_context():
            village, commune, officer = places["village_A"].id, places["A"].id, users["officer_A"].id
            agency = db.session.scalar(select(Agency))
            for _ in range(n):
                i = made["n"] = made["n"] + 1
                name = f"Giàng Seo Páo {i}"
                child = Child(full_name=name, search_name=fold(name), birth_year=2015, sex="M", unit_id=village,
                              commune_id=commune, created_by_id=officer)
                activity = Activity(kind=("communication", "training", "forum")[i % 3], plan_id=plan_id,
                                    date=date(2023, 3, 1) + timedelta(days=i), unit_id=village,
                                    status=("submitted", "approved")[i % 2], created_by_id=officer,
                                    lead_agency_id=agency.id if agency else None, audience_total=10 + i)
                activity.materials.append(ActivityMaterial(kind="leaflet", quantity=i))
                distribution = Distribution(unit_id=village, commune_id=commune, occasion="mid_autumn", year=2023,
                                            kind="in_kind", value_each=100_000, item=f"Bánh {i}", source="fund",
                                            source_unit_id=commune, given_on=date(2023, 9, 29), group_count=i,
                                            created_by_id=officer)
                distribution.receipts.append(Receipt(child=child, occasion="mid_autumn", year=2023,
                                                     first_in_round=True, created_by_id=officer))
                db.session.add_all([
                    child, activity, distribution,
                    Donation(unit_id=commune, donor_name=f"Nhà hảo tâm {i}", donor_key=fold(f"Nhà hảo tâm {i}"),
                             donor_kind="person", form="cash", value=1_000_000 * i, status="received",
                             given_on=date(2023, 5, 1), created_by_id=officer),
                    Spending(unit_id=commune, spent_on=date(2023, 6, 1), amount=100_000, purpose=f"Quà {i}",
                             created_by_id=officer),
                    Forum(unit_id=commune, level="commune", date=date(2023, 6, 1) + timedelta(days=i),
                          place="Nhà văn hoá", theme=f"Diễn đàn {i}", created_by_id=officer),
                    SwimCourse(unit_id=commune, name=f"Lớp bơi {i}", place_kind="pool", place_name="Bể bơi",
                               start_date=date(2023, 6, 1), test_definition="Bơi 25 m", created_by_id=officer),
                    AuditLog(user_id=officer, action="view", object_type="child", object_id=i, unit_id=commune),
                    Concern(unit_id=commune, village_id=village, child=child if i % 2 else None, kind="violence",
                            what=f"Báo tin {i}", happened_on=date(2023, 5, 1), in_danger=bool(i % 2),
                            received_at=datetime(2023, 5, 1, tzinfo=UTC) + timedelta(hours=i), status="received",
                            created_by_id=officer),
                    User(username=f"nguoidung{i}", full_name=f"Người dùng {i}", role="collector",
                         unit_id=village, password_hash="-"),
                ])
            db.session.commit()

    return add


def queries_for(app, client, url: str) -> int:
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200, (url, response.status_code)
    return len(seen)


def test_list_pages_ask_as_many_queries_for_thirty_rows_as_for_two(app, new_client, users, add_records):
    clients = {}
    for who in {who for who, _ in PAGES}:
        clients[who] = new_client()
        assert clients[who].login(users[who].username).status_code == 303
    add_records(2)
    few = {(who, url): queries_for(app, clients[who], url) for who, url in PAGES}
    add_records(28)
    many = {(who, url): queries_for(app, clients[who], url) for who, url in PAGES}
    grew = {page: (few[page], many[page]) for page in PAGES if many[page] != few[page]}
    assert not grew, f"queries grew with the rows (page: (2 rows, 30 rows)): {grew}"
    # and the lists are not empty, so the rows were really there to be shown: distribution i went to one named
    # child and a counted group of i, at 100.000 ₫ each
    gifts = clients["officer_A"].get("/gifts/").get_data(as_text=True)
    assert "Bánh 30</a>" in gifts and "31 người nhận · 3.100.000\u00a0₫" in gifts
    assert "Giàng Seo Páo 30" in clients["officer_A"].get("/children/?q=giang+seo+pao+30").get_data(as_text=True)
