"""The monthly summary of the activities (activities/totals.py) gives the dashboard exactly what the activities give:
for random activities, for the province, a commune and a village, over whole months and over a period with partial
months; after edits through the app that move activities between months, units and statuses; and when two
PostgreSQL writers add to the same month of the same unit at once."""

import random
import threading
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import and_, func, select

from tests.activities.conftest import read_form
from tests.conftest import TEST_DATABASE_URL
from webapp.activities.models import Activity, ActivityMaterial
from webapp.activities.totals import ActivityMonthTotal, rebuild
from webapp.core.models import new_client_id
from webapp.extensions import db
from webapp.geo.models import Unit
from webapp.plans.models import Plan
from webapp.plans.services import load_plan_2023
from webapp.reports import indicators, services
from webapp.reports.indicators import Indicator, UntranslatableIndicator, evaluate

KINDS = {
    "training": {},
    "communication": {"channel": ("community_talk", "school_talk", "loudspeaker", None)},
    "month_of_action": {"level": ("province", "district", "commune")},
    "forum": {"level": ("province", "district", None)},
    "child_friendly": {},
    "fundraising": {},
    "recreation": {},
    "violence_prevention": {},
}
STATUSES = ("submitted", "submitted", "approved", "draft", "returned")
SOURCES = ("national_programme", "provincial_budget", "local_budget", "donations", None)


def maybe(rnd, make):
    return make() if rnd.random() < 0.6 else None


def random_activity(rnd, plan_id, units, deleted=None):
    kind = rnd.choice(list(KINDS))
    columns = {name: rnd.choice(values) for name, values in KINDS[kind].items()}
    day = date(2022, 12, 1) + timedelta(days=rnd.randrange(0, 240))  # December 2022 to July 2023
    activity = Activity(
        kind=kind, plan_id=plan_id, unit_id=rnd.choice(units), date=day, client_id=new_client_id(),
        status=rnd.choice(STATUSES), funding_source=rnd.choice(SOURCES),
        audience_total=maybe(rnd, lambda: rnd.randrange(0, 300)),
        amount_spent=maybe(rnd, lambda: rnd.randrange(0, 9_000_000, 1000)),
        money_raised=maybe(rnd, lambda: rnd.randrange(0, 5_000_000, 1000)),
        in_kind_value=maybe(rnd, lambda: rnd.randrange(0, 5_000_000, 1000)),
        gifts_count=maybe(rnd, lambda: rnd.randrange(0, 40)),
        gifts_value=maybe(rnd, lambda: rnd.randrange(0, 4_000_000, 1000)),
        scholarships_count=maybe(rnd, lambda: rnd.randrange(0, 10)),
        scholarships_value=maybe(rnd, lambda: rnd.randrange(0, 9_000_000, 1000)),
        cases_handled=maybe(rnd, lambda: rnd.randrange(0, 5)),
        deleted_at=deleted if rnd.random() < 0.1 else None, **columns)
    if kind == "child_friendly":
        activity.assessment_total = rnd.randrange(600, 1000)
        activity.assessment_threshold = 850
        activity.assessment_met = activity.assessment_total >= 850
    if kind in ("communication", "training") and rnd.random() < 0.7:
        activity.materials = [ActivityMaterial(kind=k, quantity=rnd.randrange(1, 200))
                              for k in rnd.sample(("booklet", "leaflet", "poster"), rnd.randrange(1, 3))]
    return activity


@pytest.fixture
def plan2023(app, places):
    with app.app_context():
        plan, _ = load_plan_2023(db.session.get(Unit, places["province"].id))
        db.session.commit()
        return plan.id


@pytest.fixture
def random_activities(app, places, plan2023):
    rnd = random.Random(2023)
    units = [places[k].id for k in ("A", "B", "village_A", "village_B")]
    with app.app_context():
        deleted = db.session.scalar(select(func.now()))
        for _ in range(300):
            db.session.add(random_activity(rnd, plan2023, units, deleted))
        db.session.commit()


# (start, end, cut-off): a half year counted to its end, and to a cut-off inside May; periods with partial months.
PERIODS = [(date(2023, 1, 1), date(2023, 6, 30), date(2023, 6, 30)), (date(2023, 1, 1), date(2023, 6, 30),
                                                                     date(2023, 5, 14)),
           (date(2022, 12, 15), date(2023, 6, 14), date(2023, 7, 1)), (date(2023, 3, 2), date(2023, 3, 30), None)]


def assert_summary_agrees(app, places, plan_id):
    """Every indicator, the entries waiting for review beside it, and the report's lines by group, the same from
    the summary as from the activities."""
    with app.app_context():
        plan = db.session.get(Plan, plan_id)
        for start, end, cutoff in PERIODS:
            period = SimpleNamespace(plan=plan, plan_id=plan.id, start_date=start, end_date=end, id=None,
                                     counted_until=min(end, cutoff or end))
            for key in ("province", "A", "village_A"):
                unit = db.session.get(Unit, places[key].id)
                fast, slow = evaluate(unit, period), evaluate(unit, period, use_summary=False)
                assert fast.totals == slow.totals, (key, start, end)
                assert fast.by_sub == slow.by_sub, (key, start, end)
                assert fast.waiting == slow.waiting, (key, start, end)
                assert services.group_lines(unit, period) == services.group_lines(unit, period, use_summary=False)
            assert any(v for v in slow.totals.values())  # the comparison is not between two empty results
            assert any(v for v in slow.waiting.values())  # nor between two empty counts of waiting entries
        # The summary holds exactly what a rebuild from scratch would.
        table = ActivityMonthTotal.__table__
        columns = [c for c in table.columns if c.name != "id"]
        kept = sorted(db.session.execute(select(*columns)).all(), key=repr)
        rebuild()
        assert sorted(db.session.execute(select(*columns)).all(), key=repr) == kept
        db.session.rollback()


def test_the_summary_gives_every_indicator_what_the_activities_give(app, places, plan2023, random_activities,
                                                                    users, login_as, client):
    assert_summary_agrees(app, places, plan2023)
    with app.app_context():
        ids = {a.kind: a.id for a in db.session.scalars(
            select(Activity).where(Activity.unit_id == places["A"].id, Activity.deleted_at.is_(None),
                                   Activity.status == "submitted", Activity.date < date(2023, 6, 1))
            .order_by(Activity.id))}
    talk, training = ids["communication"], ids["training"]
    login_as("officer_A")

    def edit(activity_id, changes):
        action, fields = read_form(client.get(f"/activities/{activity_id}/edit").get_data(as_text=True))
        fields.update(changes)
        response = client.post(action, data={k: v for k, v in fields.items() if v is not None})
        assert response.status_code == 303, response.get_data(as_text=True)[:2000]

    def decide(activity_id, decision, comment=""):
        response = client.submit(f"/activities/{activity_id}", {"decision": decision, "comment": comment},
                                 action=f"/activities/{activity_id}/review")
        assert response.status_code == 303

    # into a partial month (a talk says its topics: the form now asks them of every talk)
    edit(talk, {"date": "2023-06-20", "audience_total": "77", "material_poster": "9", "topics": ["violence_abuse"]})
    edit(talk, {"material_banner": "4", "material_poster": ""})  # only its materials change
    assert_summary_agrees(app, places, plan2023)
    edit(training, {"unit_id": str(places["village_A"].id), "date": "2023-02-01"})  # another unit and month
    decide(talk, "approve")
    decide(training, "return", "Thiếu danh sách.")
    assert client.submit(f"/activities/{ids['fundraising']}",
                         action=f"/activities/{ids['fundraising']}/delete").status_code == 303
    action, fields = read_form(client.get("/activities/new/communication").get_data(as_text=True))
    fields.update(plan_id=str(plan2023), date="2023-01-31", channel="school_talk", topics=["violence_abuse"],
                  children="12", audience_total="12", unit_id=str(places["A"].id))
    assert client.post(action, data=fields).status_code == 303
    with app.app_context():
        moved = db.session.get(Activity, training)
        assert (moved.unit_id, moved.date, moved.status) == (places["village_A"].id, date(2023, 2, 1), "returned")
        assert db.session.get(Activity, talk).status == "approved"
        assert [(m.kind, m.quantity) for m in db.session.get(Activity, talk).materials if m.kind in ("banner",
                                                                                                 "poster")] == [
            ("banner", 4)]
        assert db.session.get(Activity, ids["fundraising"]).deleted_at is not None
    assert_summary_agrees(app, places, plan2023)


def test_every_registered_activity_sum_can_be_read_from_the_summary():
    indicators.check_translations()  # raises UntranslatableIndicator naming the indicator
    adults = Indicator("adults_reached", "Adults", "count", "test",
                       activity_sum=(Activity.kind == "training", Activity.adults))
    with pytest.raises(UntranslatableIndicator, match="adults_reached.*activities.adults"):
        indicators.summary_sum(adults.code, adults.activity_sum)
    big_talks = (Activity.audience_total > 100, indicators.ONE)
    with pytest.raises(UntranslatableIndicator, match="big_talks.*audience_total"):
        indicators.summary_sum("big_talks", big_talks)


if TEST_DATABASE_URL:  # SQLite serialises writers: two at once cannot happen there

    @pytest.mark.parametrize("backend", ["postgresql"])
    def test_two_writers_of_the_same_month_and_unit_at_once_leave_the_summary_right(app, places, plan2023):
        barrier = threading.Barrier(2)

        def write(n):
            with app.app_context():
                db.session.add(Activity(kind="training", plan_id=plan2023, unit_id=places["A"].id,
                                        date=date(2023, 3, n), client_id=new_client_id(), status="submitted",
                                        audience_total=n))
                db.session.flush()
                barrier.wait(timeout=10)  # both rows inserted, neither committed
                db.session.commit()

        threads = [threading.Thread(target=write, args=(n,)) for n in (3, 4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with app.app_context():
            rows = db.session.execute(select(ActivityMonthTotal.n, ActivityMonthTotal.audience_total).where(and_(
                ActivityMonthTotal.unit_id == places["A"].id, ActivityMonthTotal.month == date(2023, 3, 1),
                ActivityMonthTotal.kind == "training"))).all()
            assert [tuple(row) for row in rows] == [(2, 7), (2, 7)]  # the commune's own row and its roll-up
