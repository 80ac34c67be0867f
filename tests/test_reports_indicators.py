"""Each indicator of the registry against a small set of activities whose answers are known by hand."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from webapp.activities.models import Activity, ActivityMaterial
from webapp.core import clock
from webapp.core.models import new_client_id
from webapp.extensions import db
from webapp.geo.models import Unit
from webapp.plans.models import Plan, ReportPeriod
from webapp.plans.services import load_plan_2023
from webapp.reports import indicators


@pytest.fixture
def plan2023(app, places):
    """The 2023 plan of Lào Cai, its figures counted to the periods' ends (the cut-off moved from the day before the
    due date, as an admin can), so that these answers test the indicators over whole halves of the year; the
    cut-off itself is tested in test_reports_period.py. Returns {period code: period id}."""
    with app.app_context():
        province = db.session.get(Unit, places["province"].id)
        plan, _ = load_plan_2023(province)
        for period in plan.periods:
            period.cutoff_date = period.end_date
        db.session.commit()
        return {p.code: p.id for p in plan.periods}


def add_activity(plan_id, kind, unit_id, day, materials=None, **columns):
    """An activity, approved unless a status is given (figures count approved entries only)."""
    columns.setdefault("status", "approved")
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
        add_activity(plan_id, "training", B, d(2023, 3, 1), audience_total=999, deleted_at=clock.now())
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
    "moa_activities": 2, "forums_province_logged": 1, "forums_district_logged": 1, "forums_logged": 2,
    "cases_handled": 3, "gifts_logged": 30, "gifts_value_logged": 9_000_000, "scholarships_logged": 5,
    "scholarships_value_logged": 10_000_000,
    # Without forum or distribution records, the activities' figures are the ones shown.
    "forums_province": 1, "forums_district": 1, "forums_held": 2,
    "gifts_given": 30, "gifts_value": 9_000_000, "scholarships_given": 5, "scholarships_value": 10_000_000,
    "money_raised": 20_000_000, "in_kind_raised": 5_000_000, "funds_raised": 25_000_000,
    "amount_spent": 10_000_000, "spent_national_programme": 0, "spent_provincial_budget": 5_000_000,
    "spent_local_budget": 3_000_000, "spent_donations": 2_000_000, "materials_handed_out": 262,
    "communes_self_assessed": 1, "communes_recognised": 0,
}


@pytest.mark.parametrize("code", sorted(HALF_YEAR_PROVINCE))
def test_indicator_for_the_province_in_the_first_half(app, places, plan2023, known_activities, code):
    assert val(app, code, places["province"].id, plan2023["half_year"]) == HALF_YEAR_PROVINCE[code]


def test_every_registered_indicator_has_a_known_answer_or_a_ratio():
    known = set(HALF_YEAR_PROVINCE) | set(FEATURES_HALF_YEAR_PROVINCE) | {"communes"}
    untested = {c for c, i in indicators.REGISTRY.items() if not i.ratio} - known
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
    assert val(app, "self_assessed_share", places["A"].id, half) == 10000  # 100%: met in May after failing
    assert val(app, "self_assessed_share", places["B"].id, half) == 0  # met in March, failed in June
    with app.app_context():
        communes = db.session.scalar(select(func.count()).select_from(Unit).where(Unit.level == "commune"))
    assert val(app, "communes", places["province"].id, half) == communes
    assert val(app, "self_assessed_share", places["province"].id, half) == round(10000 / communes)
    assert val(app, "self_assessed_share", places["village_A"].id, half) is None  # a village is no commune


def test_evaluate_gives_each_sub_unit_what_value_gives_it(app, places, plan2023, known_activities):
    with app.app_context():
        province = db.session.get(Unit, places["province"].id)
        period = db.session.get(ReportPeriod, plan2023["half_year"])
        results = indicators.evaluate(province, period)
        for code in ("people_trained", "materials_handed_out", "self_assessed_share", "funds_raised"):
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


# --- The indicators of the other features: children, gifts, fund, forum, swim ------------------------------------

@pytest.fixture
def known_records(app, places, plan2023, known_activities):
    """On top of the activities above, records of the features in 2023 (answers worked out in the comments):

    register: in village A a girl born 1/3/2015 (special circumstances), a boy born in 2010 (year only), a child
    born 2020, one who turns 16 on 1/7/2023 (still 15 on 30/6) and one who turned 16 on 30/6/2023 (not a child);
    in village B a girl born 2012, a merged duplicate of her, and an erased child born 2014 (anonymous count kept).
    Under 16 on 30/6: 6; aged 6–15: 5; special: 1.
    swim (A's course, then B's): the girl of 2015 attends and swims 10 m and passes the test, the boy of 2010 attends
    and rescues himself and fails, the child of 2020 attends (too young); B's girl attends. Taught 3, swim 1,
    passed 1, self-rescue 1; T6 = 3/5, T7 = 1/5.
    gifts: A gives at Tết 2 named children + 10 counted × 300.000 ₫ (paid by A's fund) and a scholarship of
    1.000.000 ₫ to one child in May; B gives nothing until Mid-Autumn (September); B's activity logs 7 gifts
    (700.000 ₫). A's activity numbers (30 gifts, 5 scholarships) give way to its distributions.
    fund: the province receives 500 M in cash and 50 M in kind, is pledged 200 M (not received) and receives 100 M
    in August; A's fund receives 20 M; the province spends 30 M; A's fund paid A's Tết gifts (3,6 M).
    forum: the province's forum on 20/6 with its training (20 facilitators, 60 children) and 3 recommendations (one
    still only received); B's commune forum on 10/5 with 1 in progress; A's forum in November with 1 answered.
    The activities logged a province-level forum at A (kept: A keeps no register in the half year) and a
    district-level one at B (dropped: B keeps its forums in the register)."""
    from webapp.children.models import Child
    from webapp.concerns.models import Concern
    from webapp.forum.models import Forum, ForumTraining, Recommendation
    from webapp.fund.models import Donation, Spending
    from webapp.gifts.models import Distribution, Receipt
    from webapp.swim.models import SwimAttendance, SwimCourse, SwimEnrolment, SwimLesson, SwimSkill, SwimSkillShown
    from webapp.swim.services import default_skills

    P, A, vA, B, vB = (places[k].id for k in ("province", "A", "village_A", "B", "village_B"))
    d = date
    with app.app_context():
        plan_id = db.session.scalar(select(Plan.id).where(Plan.year == 2023))

        def child(village, commune, name, born=None, year=None, **columns):
            row = Child(full_name=name, search_name=name.lower(), birth_date=born, birth_year=year or born.year,
                        sex=columns.pop("sex", "F"), unit_id=village, commune_id=commune, client_id=new_client_id(),
                        **columns)
            db.session.add(row)
            db.session.flush()
            return row

        girl15 = child(vA, A, "Lò Thị Một", d(2015, 3, 1), special_groups="a")
        boy10 = child(vA, A, "Lò Văn Hai", year=2010, sex="M")
        small = child(vA, A, "Lò Thị Ba", d(2020, 1, 1))
        child(vA, A, "Lò Văn Bốn", d(2007, 7, 1), sex="M")
        child(vA, A, "Lò Văn Năm", d(2007, 6, 30), sex="M")
        girl12 = child(vB, B, "Sùng Thị Sáu", year=2012)
        child(vB, B, "Sùng Thị Sáu", year=2012, merged_into_id=girl12.id)
        child(vB, B, "", year=2014, erased_at=clock.now())

        def course(unit_id, day):
            row = SwimCourse(unit_id=unit_id, name="Lớp bơi hè", place_kind="pool", place_name="Bể bơi",
                             start_date=day, test_definition="Bơi 25 m", skills=default_skills(),
                             client_id=new_client_id())
            db.session.add(row)
            db.session.flush()
            lesson = SwimLesson(course_id=row.id, number=1, date=day, unit_id=unit_id)
            db.session.add(lesson)
            db.session.flush()
            return row, lesson

        def skill(course_row, code):
            return db.session.scalar(select(SwimSkill.id).where(SwimSkill.course_id == course_row.id,
                                                                SwimSkill.code == code))

        course_a, lesson_a = course(A, d(2023, 5, 10))
        course_b, lesson_b = course(B, d(2023, 6, 1))
        for c in (girl15, boy10, small):
            db.session.add(SwimAttendance(lesson_id=lesson_a.id, child_id=c.id))
        db.session.add(SwimAttendance(lesson_id=lesson_b.id, child_id=girl12.id))
        db.session.add(SwimSkillShown(lesson_id=lesson_a.id, child_id=girl15.id, skill_id=skill(course_a, "swim_10m")))
        db.session.add(SwimSkillShown(lesson_id=lesson_a.id, child_id=boy10.id,
                                      skill_id=skill(course_a, "self_rescue")))
        for c, passed in ((girl15, True), (boy10, False)):
            db.session.add(SwimEnrolment(course_id=course_a.id, child_id=c.id, unit_id=A, passed=passed,
                                         tested_on=d(2023, 6, 15), client_id=new_client_id()))

        def distribution(unit_id, commune_id, occasion, kind, value_each, day, children=(), group=0, **columns):
            row = Distribution(unit_id=unit_id, commune_id=commune_id, occasion=occasion, year=day.year, kind=kind,
                               value_each=value_each, item="Quà", source=columns.pop("source", "budget"),
                               given_on=day, group_count=group, client_id=new_client_id(), **columns)
            db.session.add(row)
            db.session.flush()
            for c in children:
                db.session.add(Receipt(distribution_id=row.id, child_id=c.id, occasion=occasion, year=day.year,
                                       first_in_round=True))
            return row

        distribution(vA, A, "tet", "in_kind", 300_000, d(2023, 1, 20), (girl15, boy10), group=10, source="fund",
                     source_unit_id=A)
        distribution(A, A, "excellent_pupils", "scholarship", 1_000_000, d(2023, 5, 30), (girl15,))
        distribution(vB, B, "mid_autumn", "in_kind", 100_000, d(2023, 9, 29), group=50)
        add_activity(plan_id, "recreation", B, d(2023, 6, 1), gifts_count=7, gifts_value=700_000)

        def donation(unit_id, form, value, status, day):
            db.session.add(Donation(unit_id=unit_id, donor_name="Công ty X", donor_key="cong ty x",
                                    donor_kind="organisation", form=form, value=value, status=status, given_on=day,
                                    item="Sách vở" if form == "in_kind" else None, client_id=new_client_id()))

        donation(P, "cash", 500_000_000, "received", d(2023, 6, 1))
        donation(P, "in_kind", 50_000_000, "received", d(2023, 3, 1))
        donation(P, "cash", 200_000_000, "pledged", d(2023, 4, 1))
        donation(P, "cash", 100_000_000, "received", d(2023, 8, 1))
        donation(A, "cash", 20_000_000, "received", d(2023, 2, 1))
        db.session.add(Spending(unit_id=P, spent_on=d(2023, 5, 1), amount=30_000_000, purpose="Tháng hành động",
                                client_id=new_client_id()))

        def forum(unit_id, level, day, statuses):
            row = Forum(unit_id=unit_id, level=level, date=day, place="Nhà văn hóa", theme="Trẻ em",
                        client_id=new_client_id())
            db.session.add(row)
            db.session.flush()
            for status in statuses:
                db.session.add(Recommendation(forum_id=row.id, unit_id=unit_id, text="Xây bể bơi", topic="drowning",
                                              group="Nhóm 1", status=status, client_id=new_client_id()))
            return row

        province_forum = forum(P, "province", d(2023, 6, 20), ("received", "answered", "done"))
        db.session.add(ForumTraining(forum_id=province_forum.id, unit_id=P, start_date=d(2023, 6, 18),
                                     end_date=d(2023, 6, 19), place="Sa Pa", facilitators=20, children=60,
                                     client_id=new_client_id()))
        forum(B, "commune", d(2023, 5, 10), ("in_progress",))
        forum(A, "commune", d(2023, 11, 5), ("answered",))

        def concern(unit_id, kind, verified_on, verified=True, in_time=True, plan_on=None, erased=False):
            db.session.add(Concern(
                unit_id=unit_id, kind=kind, what="…", happened_on=verified_on, in_danger=True,
                received_at=datetime(verified_on.year, verified_on.month, verified_on.day, 1, 0, tzinfo=UTC),
                status="planned" if plan_on else "assessed", verified=verified, verified_on=verified_on,
                assessed_in_time=in_time, plan_approved_on=plan_on, client_id=new_client_id(),
                erased_at=datetime(2023, 9, 1, tzinfo=UTC) if erased else None))

        concern(A, "violence", d(2023, 3, 10), plan_on=d(2023, 3, 15))  # T3: in time, with a plan
        concern(A, "sexual_abuse", d(2023, 4, 20), in_time=False, plan_on=d(2023, 4, 30), erased=True)  # late
        concern(A, "neglect", d(2023, 5, 5))  # in time, no plan yet
        concern(A, "labour", d(2023, 6, 1), plan_on=d(2023, 6, 10))  # T5: in time, with a plan
        concern(A, "violence", d(2023, 2, 2), verified=False)  # not true: not counted
        concern(A, "violence", d(2023, 8, 5), plan_on=d(2023, 8, 9))  # the second half
        concern(B, "labour", d(2023, 3, 3), plan_on=d(2023, 7, 20))  # its plan after the half year's end
        concern(B, "other", d(2023, 3, 4), plan_on=d(2023, 3, 5))  # neither T3 nor T5
        db.session.commit()


FEATURES_HALF_YEAR_PROVINCE = {
    "children_registered": 6, "children_school_age": 5, "children_special": 1,
    "swim_taught": 3, "swim_can_swim": 1, "swim_passed": 1, "swim_self_rescue": 1,
    # No population figure is entered: the shares are "no data", never shares of the register's children (5).
    "population_6_15": None, "population_communes_covered": None, "swim_taught_counted": None,
    "swim_can_swim_counted": None, "swim_taught_share": None, "swim_can_swim_share": None,
    "gifts_distributed": 12, "gifts_value_distributed": 3_600_000, "scholarships_distributed": 1,
    "scholarships_value_distributed": 1_000_000, "gift_rounds": 2,
    "gifts_given": 12 + 7, "gifts_value": 3_600_000 + 700_000, "scholarships_given": 1,
    "scholarships_value": 1_000_000,
    # T13 is the provincial fund's own 550 million; commune A's 20 million is the communes' funds' figure.
    "fund_raised": 550_000_000, "fund_raised_local": 20_000_000, "fund_cash_raised": 520_000_000,
    "fund_in_kind_raised": 50_000_000,
    "fund_spent": 33_600_000,
    "forums_province_register": 1, "forums_district_register": 0, "forums_register": 2,
    "forums_province": 2, "forums_district": 0, "forums_held": 3,
    "forum_trainings": 1, "forum_trained": 80, "recommendations_made": 4, "recommendations_answered": 3,
    "recommendations_answered_share": 7500,
    "funds_raised": 25_000_000,  # the activities' own figure, no longer the fund's goal
    # Reports about children verified in the half year: T3 3 (one in time with a plan, one late and later erased,
    # one without a plan yet), T5 2 (A's in time with a plan; B's plan approved only in July).
    "concerns_t3_verified": 3, "concerns_t3_in_time": 1, "concerns_t3_share": 3333,
    "concerns_t5_verified": 2, "concerns_t5_in_time": 1, "concerns_t5_share": 5000,
}


def test_feature_indicators_for_the_province_in_the_first_half(app, places, plan2023, known_records):
    with app.app_context():
        results = indicators.evaluate(db.session.get(Unit, places["province"].id),
                                      db.session.get(ReportPeriod, plan2023["half_year"]))
    assert {code: results.totals[code] for code in FEATURES_HALF_YEAR_PROVINCE} == FEATURES_HALF_YEAR_PROVINCE
    for code in FEATURES_HALF_YEAR_PROVINCE:  # value() of one indicator gives what evaluate() of all gives
        assert val(app, code, places["province"].id, plan2023["half_year"]) == FEATURES_HALF_YEAR_PROVINCE[code]


def test_feature_indicators_of_each_commune_and_the_goals_they_measure(app, places, plan2023, known_records):
    half, annual = plan2023["half_year"], plan2023["annual"]
    A, B = places["A"].id, places["B"].id
    assert (val(app, "gifts_given", A, half), val(app, "gifts_given", B, half)) == (12, 7)
    assert val(app, "gifts_given", B, annual) == 50  # B's Mid-Autumn distribution now replaces its activity's 7
    assert val(app, "children_school_age", B, half) == 2 and val(app, "swim_taught_share", B, half) is None
    assert val(app, "fund_raised", A, half) == 20_000_000 and val(app, "fund_spent", A, half) == 3_600_000
    assert val(app, "fund_raised", places["province"].id, annual) == 650_000_000  # the province's own fund
    assert val(app, "fund_raised_local", places["province"].id, annual) == 20_000_000
    assert val(app, "forums_held", A, half) == 1 and val(app, "forums_held", A, annual) == 1  # register in Nov.
    assert val(app, "recommendations_made", places["province"].id, annual) == 5
    assert {g: indicators.measuring(g).code for g in ("T6", "T7", "T13", "Q3", "Q3:participants", "Q4", "Q5")} == {
        "T6": "swim_taught_share", "T7": "swim_can_swim_share", "T13": "fund_raised", "Q3": "forum_trainings",
        "Q3:participants": "forum_trained", "Q4": "forums_province", "Q5": "forums_district"}
    for goal in ("T1", "T2", "T8", "T10", "T14"):  # the register cannot answer these
        assert indicators.measuring(goal) is None
    assert (indicators.measuring("T3").code, indicators.measuring("T5").code) == (
        "concerns_t3_share", "concerns_t5_share")


def test_t3_and_t5_from_the_reports_about_children(app, places, plan2023, known_records):
    half, annual, P = plan2023["half_year"], plan2023["annual"], places["province"].id
    A, B = places["A"].id, places["B"].id
    assert [val(app, c, A, half) for c in ("concerns_t3_verified", "concerns_t3_in_time", "concerns_t3_share",
                                            "concerns_t5_verified", "concerns_t5_in_time", "concerns_t5_share")] == [
        3, 1, 3333, 1, 1, 10000]
    assert [val(app, c, B, half) for c in ("concerns_t3_share", "concerns_t5_verified", "concerns_t5_share")] == [
        None, 1, 0]
    assert (val(app, "concerns_t3_share", P, annual), val(app, "concerns_t5_share", P, annual)) == (5000, 10000)
