"""Each indicator of the registry against a small set of activities whose answers are known by hand."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from webapp.activities.models import Activity, ActivityMaterial
from webapp.core.models import new_client_id
from webapp.extensions import db
from webapp.geo.models import Unit
from webapp.plans.models import Plan, ReportPeriod
from webapp.plans.services import load_plan_2023
from webapp.reports import indicators


@pytest.fixture
def plan2023(app, places):
    """The 2023 plan of Lào Cai; returns {period code: period id}."""
    with app.app_context():
        province = db.session.get(Unit, places["province"].id)
        plan, _ = load_plan_2023(province)
        return {p.code: p.id for p in plan.periods}


def add_activity(plan_id, kind, unit_id, day, materials=None, **columns):
    activity = Activity(kind=kind, plan_id=plan_id, unit_id=unit_id, date=day, client_id=new_client_id(), **columns)
    activity.materials = [ActivityMaterial(kind=k, quantity=q) for k, q in (materials or {}).items()]
    db.session.add(activity)
    return activity


@pytest.fixture
def known_activities(app, places, plan2023):
    """Activities of communes A and B in 2023, with drafts, a deleted one and one after June that must not count
    in the 6-month figures."""
    A, vA, B = places["A"].id, places["village_A"].id, places["B"].id
    with app.app_context():
        plan_id = db.session.scalar(select(Plan.id).where(Plan.year == 2023))
        d = date
        add_activity(plan_id, "training", A, d(2023, 3, 10), audience_total=60, amount_spent=5_000_000,
                     funding_source="provincial_budget")
        add_activity(plan_id, "training", vA, d(2023, 4, 2), audience_total=40, amount_spent=3_000_000,
                     funding_source="local_budget")
        add_activity(plan_id, "training", B, d(2023, 5, 5), audience_total=50)
        add_activity(plan_id, "training", A, d(2023, 8, 1), audience_total=30)  # second half of the year
        add_activity(plan_id, "training", A, d(2023, 3, 1), audience_total=999, status="draft")
        add_activity(plan_id, "training", A, d(2023, 3, 1), audience_total=999, status="returned")
        add_activity(plan_id, "training", B, d(2023, 3, 1), audience_total=999, deleted_at=datetime.now(UTC))
        add_activity(plan_id, "communication", vA, d(2023, 2, 1), channel="community_talk", audience_total=120,
                     materials={"leaflet": 200, "poster": 10})
        add_activity(plan_id, "communication", B, d(2023, 3, 1), channel="school_talk", audience_total=80,
                     materials={"booklet": 50})
        add_activity(plan_id, "communication", A, d(2023, 3, 2), channel="television", materials={"banner": 2})
        add_activity(plan_id, "month_of_action", A, d(2023, 6, 1), level="province", audience_total=500)
        add_activity(plan_id, "month_of_action", B, d(2023, 6, 2), level="commune")
        add_activity(plan_id, "forum", A, d(2023, 6, 20), level="province", audience_total=80)
        add_activity(plan_id, "forum", B, d(2023, 6, 21), level="district")
        add_activity(plan_id, "child_friendly", A, d(2023, 2, 1), assessment_total=700, assessment_met=False)
        add_activity(plan_id, "child_friendly", A, d(2023, 5, 1), assessment_total=880, assessment_met=True)
        add_activity(plan_id, "child_friendly", B, d(2023, 3, 1), assessment_total=900, assessment_met=True)
        add_activity(plan_id, "child_friendly", B, d(2023, 6, 10), assessment_total=600, assessment_met=False)
        add_activity(plan_id, "fundraising", B, d(2023, 6, 1), money_raised=20_000_000, in_kind_value=5_000_000)
        add_activity(plan_id, "recreation", A, d(2023, 6, 1), gifts_count=30, gifts_value=9_000_000,
                     scholarships_count=5, scholarships_value=10_000_000, amount_spent=2_000_000,
                     funding_source="donations")
        add_activity(plan_id, "violence_prevention", A, d(2023, 4, 4), cases_handled=3)
        db.session.commit()


def val(app, code, unit_id, period_id):
    with app.app_context():
        return indicators.value(code, db.session.get(Unit, unit_id), db.session.get(ReportPeriod, period_id))


HALF_YEAR_PROVINCE = {
    "trainings_held": 3, "people_trained": 150, "talks_held": 2, "talk_audience": 200, "moa_launches": 1,
    "moa_activities": 2, "forums_province": 1, "forums_district": 1, "forums_held": 2, "cases_handled": 3,
    "gifts_given": 30, "gifts_value": 9_000_000, "scholarships_given": 5, "scholarships_value": 10_000_000,
    "money_raised": 20_000_000, "in_kind_raised": 5_000_000, "funds_raised": 25_000_000,
    "amount_spent": 10_000_000, "spent_national_programme": 0, "spent_provincial_budget": 5_000_000,
    "spent_local_budget": 3_000_000, "spent_donations": 2_000_000, "materials_handed_out": 262,
    "communes_child_friendly": 1,
}


@pytest.mark.parametrize("code", sorted(HALF_YEAR_PROVINCE))
def test_indicator_for_the_province_in_the_first_half(app, places, plan2023, known_activities, code):
    assert val(app, code, places["province"].id, plan2023["half_year"]) == HALF_YEAR_PROVINCE[code]


def test_every_registered_indicator_has_a_known_answer_or_a_ratio():
    untested = {c for c, i in indicators.REGISTRY.items() if not i.ratio} - set(HALF_YEAR_PROVINCE) - {"communes"}
    assert untested == set()


def test_commune_sees_its_own_subtree_only(app, places, plan2023, known_activities):
    half = plan2023["half_year"]
    assert val(app, "trainings_held", places["A"].id, half) == 2  # the commune and its village
    assert val(app, "people_trained", places["A"].id, half) == 100
    assert val(app, "people_trained", places["village_A"].id, half) == 40
    assert val(app, "people_trained", places["B"].id, half) == 50
    assert val(app, "materials_handed_out", places["B"].id, half) == 50


def test_the_year_adds_the_second_half(app, places, plan2023, known_activities):
    assert val(app, "trainings_held", places["province"].id, plan2023["annual"]) == 4
    assert val(app, "people_trained", places["province"].id, plan2023["annual"]) == 180


def test_child_friendly_uses_each_communes_latest_self_assessment(app, places, plan2023, known_activities):
    half = plan2023["half_year"]
    assert val(app, "child_friendly_share", places["A"].id, half) == 10000  # 100%: met in May after failing
    assert val(app, "child_friendly_share", places["B"].id, half) == 0  # met in March, failed in June
    with app.app_context():
        communes = db.session.scalar(select(func.count()).select_from(Unit).where(Unit.level == "commune"))
    assert val(app, "communes", places["province"].id, half) == communes
    assert val(app, "child_friendly_share", places["province"].id, half) == round(10000 / communes)
    assert val(app, "child_friendly_share", places["village_A"].id, half) is None  # a village is no commune


def test_evaluate_gives_each_sub_unit_what_value_gives_it(app, places, plan2023, known_activities):
    with app.app_context():
        province = db.session.get(Unit, places["province"].id)
        period = db.session.get(ReportPeriod, plan2023["half_year"])
        results = indicators.evaluate(province, period)
        for code in ("people_trained", "materials_handed_out", "child_friendly_share", "funds_raised"):
            for commune in ("A", "B"):
                unit = db.session.get(Unit, places[commune].id)
                assert results.by_sub[unit.id][code] == indicators.value(code, unit, period)
        assert len(results.subunits) == results.totals["communes"]


def test_an_empty_period_gives_zero_not_nothing(app, places, plan2023):
    assert val(app, "trainings_held", places["province"].id, plan2023["half_year"]) == 0
    assert val(app, "funds_raised", places["B"].id, plan2023["annual"]) == 0


def test_an_indicator_must_say_how_it_is_computed():
    with pytest.raises(ValueError):
        indicators.Indicator("broken", "x", "count", "y")
