"""Input the forms did not expect, found by the property tests, is refused next to the field (422), not a 500."""

from tests.activities.conftest import read_form
from webapp.activities.models import Activity
from webapp.children.models import Child
from webapp.core import clock


def test_an_activity_with_a_choice_no_longer_offered_is_refused_not_a_500(app, login_as, client, places, users,
                                                                         count):
    from webapp.plans.services import copy_plan, load_plan_2023

    with app.app_context():

        from webapp.accounts.models import User
        from webapp.extensions import db
        from webapp.geo.models import Unit

        plan, _ = load_plan_2023(db.session.get(Unit, places["province"].id))
        db.session.add(copy_plan(plan, clock.today().year, db.session.get(User, users["admin"].id)))
        db.session.commit()
    login_as("collector_A")
    action, fields = read_form(client.get("/activities/new/communication").get_data(as_text=True))
    fields.update({"channel": "school_talk", "topics": ["violence_abuse", "no_such_topic"], "boys": "3",
                   "girls": "4"})
    response = client.post(action, data=fields)
    assert response.status_code == 422 and 'id="topics-error"' in response.get_data(as_text=True)
    assert count(Activity) == 0


def test_a_year_of_birth_that_is_not_a_number_is_refused_not_a_500(login_as, client, places, count):
    login_as("officer_A")
    response = client.submit("/children/new", {"full_name": "Vừ Thị Mai", "birth_date": "",
                                                "birth_year": "hai nghìn", "sex": "F", "ethnicity": "08",
                                                "village_id": str(places["village_A"].id)})
    assert response.status_code == 422 and 'id="birth_year-error"' in response.get_data(as_text=True)
    assert count(Child) == 0


def test_a_swim_quick_add_with_a_year_that_is_not_a_number_is_refused(login_as, client, places, count):
    login_as("officer_A")
    course = client.submit("/swim/new", {"name": "Lớp bơi", "unit_id": str(places["A"].id), "school": "",
                                         "place_kind": "water_point", "place_name": "Bến suối",
                                         "start_date": "2026-06-01", "end_date": ""})
    course_id = int(course.headers["Location"].rsplit("/", 1)[1])
    response = client.submit(f"/swim/{course_id}/enrol", {"full_name": "Vừ A Sử", "sex": "M", "birth_year": "x",
                                                          "village_id": str(places["village_A"].id)},
                             action=f"/swim/{course_id}/quick-add")
    assert response.status_code == 422
    assert count(Child) == 0
