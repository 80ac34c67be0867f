"""Scope in one place: a collector of commune A sees nothing of commune B by any URL; an officer sees the whole
subtree; a viewer never sees a person's name."""

import pytest

from webapp.core.scope import subtree_ids
from webapp.extensions import db
from webapp.geo.models import Unit


def test_subtree_is_one_prefix_query_on_the_materialised_path(app, places):
    with app.app_context():
        commune = db.session.get(Unit, places["A"].id)
        ids = set(db.session.scalars(subtree_ids(commune)))
        assert ids == {places["A"].id, places["village_A"].id}
        sql = str(subtree_ids(commune).compile(compile_kwargs={"literal_binds": True}))
        assert "LIKE" in sql and "JOIN" not in sql


def test_the_path_index_serves_the_subtree_query(app, places, backend):
    with app.app_context():
        if backend == "sqlite":
            plan = db.session.execute(db.text("EXPLAIN QUERY PLAN SELECT id FROM units WHERE path LIKE :p"),
                                      {"p": places["A"].path + "%"}).all()
            assert any("ix_units_path" in str(row) for row in plan)
        else:  # PostgreSQL needs text_pattern_ops for LIKE 'prefix%' under a non-C collation
            definition = db.session.scalar(db.text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_units_path'"))
            assert "text_pattern_ops" in definition


def test_collector_of_a_cannot_open_a_place_of_b(login_as, client, places):
    login_as("collector_A")
    assert client.get(f"/places/{places['B'].id}").status_code == 404
    assert client.get(f"/places/{places['village_B'].id}").status_code == 404
    assert client.get(f"/places/{places['A'].id}").status_code == 200


def test_collector_of_a_does_not_find_b_in_lists(login_as, client, places):
    login_as("collector_A")
    body = client.get("/places/?q=ban pho").get_data(as_text=True)
    assert "Bản Phố" not in body
    body = client.get("/places/", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Xã Bắc Hà" not in body and "Thôn Lùng Cẩu" in body


def test_village_head_sees_only_her_village(login_as, client, places):
    login_as("village_head_A")
    assert client.get(f"/places/{places['A'].id}").status_code == 404
    assert client.get(f"/places/{places['village_A'].id}").status_code == 200


def test_officer_sees_the_whole_subtree(login_as, client, places):
    login_as("officer_A")
    body = client.get(f"/places/{places['A'].id}").get_data(as_text=True)
    assert "Thôn Lùng Cẩu" in body
    assert client.get(f"/places/{places['village_B'].id}").status_code == 404


def test_admin_sees_the_province(login_as, client, places):
    login_as("admin")
    assert client.get(f"/places/{places['village_B'].id}").status_code == 200
    assert "Xã Mường Khương" in client.get("/places/?q=muong").get_data(as_text=True)


def test_officer_of_a_cannot_add_a_village_to_b(login_as, client, places, count):
    login_as("officer_A")
    assert client.get(f"/places/{places['B'].id}/villages/new").status_code == 404
    response = client.post(f"/places/{places['B'].id}/villages/new",
                           data={"csrf_token": client.csrf_token(), "name": "Thôn Lạ", "kind": "thôn",
                                 "client_id": "7f1d0f0e-64ad-4c55-9a63-0a4a4f5f4c11"})
    assert response.status_code == 404
    assert count(Unit, name="Thôn Lạ") == 0


@pytest.mark.parametrize("url", ["/places/", "/users", "/users/new", "/audit"])
def test_viewer_gets_no_page_with_names_or_records(login_as, client, url):
    login_as("viewer")
    assert client.get(url).status_code == 403


def test_viewer_home_shows_no_other_persons_name(login_as, client, users):
    login_as("viewer")
    body = client.get("/").get_data(as_text=True)
    for key in ("officer_A", "collector_A", "admin"):
        assert users[key].full_name not in body


def test_officer_gets_404_for_a_user_of_another_commune(login_as, client, users):
    login_as("officer_A")
    assert client.get(f"/users/{users['collector_B'].id}").status_code == 404
    assert client.get(f"/users/{users['collector_A'].id}").status_code == 200


def test_signed_out_visitor_is_sent_to_sign_in(client, places):
    response = client.get(f"/places/{places['A'].id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
