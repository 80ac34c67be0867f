"""Scope, roles, idempotency, audit, soft delete, edit conflicts and htmx partials, as the foundation set them."""

import pytest
from sqlalchemy import select

from webapp.activities.models import Activity
from webapp.core.audit import AuditLog
from webapp.core.edits import EditConflict
from webapp.extensions import db

TALK = {"channel": "school_talk", "topics": ["violence_abuse"], "children": "30"}


@pytest.fixture
def talk_of_A(login_as, client, fill, plans):
    """A school talk logged by the collector of commune A; the client is signed out afterwards."""
    login_as("collector_A")
    response = fill("/activities/new/communication", TALK)
    assert response.status_code == 303
    client.logout()
    return int(response.headers["Location"].split("/")[-1])


def _csrf(client) -> str:
    return client.csrf_token()


@pytest.mark.parametrize("who", ["collector_B", "officer_B"])
def test_outside_my_commune_every_url_answers_404(who, talk_of_A, login_as, client, count):
    login_as(who)
    token = _csrf(client)
    assert client.get(f"/activities/{talk_of_A}").status_code == 404
    assert client.get(f"/activities/{talk_of_A}/edit").status_code == 404
    assert client.post(f"/activities/{talk_of_A}/edit", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/activities/{talk_of_A}/review",
                       data={"csrf_token": token, "decision": "approve"}).status_code == 404
    assert client.post(f"/activities/{talk_of_A}/delete", data={"csrf_token": token}).status_code == 404
    assert f"/activities/{talk_of_A}" not in client.get("/activities/").get_data(as_text=True)
    assert count(Activity, status="submitted") == 1


def test_a_viewer_may_not_open_the_log(talk_of_A, login_as, client):
    login_as("viewer")
    assert client.get("/activities/").status_code == 403
    assert client.get(f"/activities/{talk_of_A}").status_code == 403
    assert client.get("/activities/new/communication").status_code == 403


def test_a_village_head_does_not_see_the_communes_own_records(talk_of_A, login_as, client):
    login_as("village_head_A")
    assert client.get(f"/activities/{talk_of_A}").status_code == 404


def test_a_collector_may_not_review_nor_edit_someone_elses_record(talk_of_A, make_user, places, client, activity_of):
    other = make_user("collector", places["A"].id, "tinhnguyen.a")
    client.login(other.username)
    assert client.get(f"/activities/{talk_of_A}").status_code == 200  # same commune: may read it
    token = _csrf(client)
    assert client.get(f"/activities/{talk_of_A}/edit").status_code == 403
    assert client.post(f"/activities/{talk_of_A}/delete", data={"csrf_token": token}).status_code == 403
    assert client.post(f"/activities/{talk_of_A}/review",
                       data={"csrf_token": token, "decision": "approve"}).status_code == 403
    assert activity_of(talk_of_A).status == "submitted" and activity_of(talk_of_A).deleted_at is None


def test_the_same_client_id_twice_makes_one_activity(login_as, client, plans, count, app):
    login_as("collector_A")
    page = client.get("/activities/new/communication?channel=school_talk").get_data(as_text=True)
    from tests.activities.conftest import read_form  # noqa: PLC0415
    _action, fields = read_form(page)
    fields.update(TALK)
    first = client.post("/activities/new/communication", data=fields)
    again = client.post("/activities/new/communication", data=fields)
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    assert count(Activity) == 1
    with app.app_context():
        creates = db.session.scalars(select(AuditLog).where(AuditLog.action == "create",
                                                            AuditLog.object_type == "Activity")).all()
        assert len(creates) == 1


def test_a_replay_from_htmx_answers_with_hx_redirect(login_as, client, plans, count):
    login_as("collector_A")
    from tests.activities.conftest import read_form  # noqa: PLC0415
    _action, fields = read_form(client.get("/activities/new/communication").get_data(as_text=True))
    fields.update(TALK)
    response = client.post("/activities/new/communication", data=fields, headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.headers["HX-Redirect"].startswith("/activities/")
    assert count(Activity) == 1


def test_another_users_client_id_is_refused(talk_of_A, login_as, client, app, count):
    with app.app_context():
        client_id = db.session.get(Activity, talk_of_A).client_id
    login_as("officer_A")
    from tests.activities.conftest import read_form  # noqa: PLC0415
    _action, fields = read_form(client.get("/activities/new/communication").get_data(as_text=True))
    fields.update(TALK, client_id=client_id)
    assert client.post("/activities/new/communication", data=fields).status_code == 409
    assert count(Activity) == 1


def test_create_edit_review_delete_are_audited_and_delete_is_soft(talk_of_A, login_as, client, fill, app,
                                                                    activity_of):
    login_as("officer_A")
    assert fill(f"/activities/{talk_of_A}/edit", {"children": "31", "audience_total": "31"}).status_code == 303
    assert client.submit(f"/activities/{talk_of_A}", {"decision": "return", "comment": "Xem lại."},
                         action=f"/activities/{talk_of_A}/review").status_code == 303
    assert client.submit(f"/activities/{talk_of_A}", {"decision": "approve"},
                         action=f"/activities/{talk_of_A}/review").status_code == 303
    deleted = client.submit(f"/activities/{talk_of_A}", action=f"/activities/{talk_of_A}/delete")
    assert deleted.status_code == 303
    assert client.get(f"/activities/{talk_of_A}").status_code == 404
    assert f"/activities/{talk_of_A}\"" not in client.get("/activities/").get_data(as_text=True)
    kept = activity_of(talk_of_A)
    assert kept is not None and kept.deleted_at is not None
    with app.app_context():
        entries = db.session.scalars(select(AuditLog).where(AuditLog.object_type == "Activity",
                                                            AuditLog.object_id == talk_of_A)
                                     .order_by(AuditLog.id)).all()
        assert [e.action for e in entries] == ["create", "update", "return", "approve", "delete"]
        assert entries[1].detail_dict["changes"]["children"] == [30, 31]
        assert entries[2].detail_dict["comment"] == "Xem lại."


def test_an_edit_from_an_older_version_is_kept_as_a_conflict(talk_of_A, login_as, client, fill, app, activity_of):
    login_as("collector_A")
    from tests.activities.conftest import read_form  # noqa: PLC0415
    _action, stale = read_form(client.get(f"/activities/{talk_of_A}/edit").get_data(as_text=True))
    assert fill(f"/activities/{talk_of_A}/edit", {"children": "40", "audience_total": "40"}).status_code == 303
    stale.update(children="99", audience_total="99")
    response = client.post(f"/activities/{talk_of_A}/edit", data=stale)
    assert response.status_code == 303
    assert activity_of(talk_of_A).children == 40
    with app.app_context():
        conflict = db.session.scalar(select(EditConflict).where(EditConflict.record_id == talk_of_A))
        assert conflict.record_type == "Activity" and conflict.posted["children"] == ["99"]


def test_the_filter_answers_htmx_with_the_rows_only(talk_of_A, login_as, client):
    login_as("officer_A")
    partial = client.get("/activities/?kind=communication", headers={"HX-Request": "true"})
    html = partial.get_data(as_text=True)
    assert partial.status_code == 200 and "<html" not in html and f"/activities/{talk_of_A}" in html
    assert "HX-Request" in partial.headers["Vary"]
    full = client.get("/activities/?kind=communication").get_data(as_text=True)
    assert "<html" in full and 'hx-get="/activities/"' in full and f"/activities/{talk_of_A}" in full
    empty = client.get("/activities/?kind=training", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert f"/activities/{talk_of_A}" not in empty


def test_adding_a_participant_row_works_with_and_without_javascript(login_as, client, plans, count):
    login_as("collector_A")
    row = client.get("/activities/participant-row?index=2", headers={"HX-Request": "true"})
    html = row.get_data(as_text=True)
    assert row.status_code == 200 and 'name="participants-2-name"' in html and "index=3" in html
    from tests.activities.conftest import read_form  # noqa: PLC0415
    _action, fields = read_form(client.get("/activities/new/training").get_data(as_text=True))
    fields.update({"participants-0-name": "Sùng A Lử", "add_row": "1"})
    more = client.post("/activities/new/training", data=fields)
    page = more.get_data(as_text=True)
    assert more.status_code == 200 and 'name="participants-2-name"' in page and "Sùng A Lử" in page
    assert count(Activity) == 0


def test_log_an_activity_is_first_in_the_bottom_bar(login_as, client):
    login_as("collector_A")
    page = client.get("/").get_data(as_text=True)
    nav = page[page.index('<nav class="bottom"'):]
    assert nav.index("Ghi hoạt động") < nav.index("Hoạt động</a>")


def test_where_it_took_place_lists_villages_for_a_commune_and_only_communes_for_the_province(
        login_as, client, places, plans):
    village = f'value="{places["village_A"].id}"'
    login_as("officer_A")
    assert village in client.get("/activities/new/communication").get_data(as_text=True)
    client.logout()
    login_as("admin")
    page = client.get("/activities/new/communication").get_data(as_text=True)
    assert f'value="{places["A"].id}"' in page and village not in page
    assert village not in client.get("/activities/").get_data(as_text=True)
