"""Idempotent create: the same client_id posted again returns the record already saved, never a second one,
also when two posts arrive at the same moment."""

import threading
import uuid

import pytest

from webapp.core import idempotent
from webapp.geo.models import Unit


def test_posting_the_same_form_twice_saves_one_village(login_as, client, places, count):
    login_as("officer_A")
    url = f"/places/{places['A'].id}/villages/new"
    page = client.get(url).get_data(as_text=True)
    from tests.conftest import hidden_fields

    fields = {**hidden_fields(page), "kind": "thôn", "name": "Thôn Một Lần"}
    first = client.post(url, data=fields)
    second = client.post(url, data=fields)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert count(Unit, name="Thôn Một Lần") == 1


def test_a_replay_of_a_saved_account_does_not_fail_on_its_own_username(login_as, client, places, count):
    from webapp.accounts.models import User

    login_as("admin")
    from tests.conftest import hidden_fields

    fields = {**hidden_fields(client.get("/users/new").get_data(as_text=True)), "full_name": "Chu Văn An",
              "username": "chu.an", "role": "collector", "unit_id": str(places["A"].id), "password": "abcdefgh12"}
    assert client.post("/users/new", data=fields).status_code == 303
    replay = client.post("/users/new", data=fields)
    assert replay.status_code == 303 and "/users/" in replay.headers["Location"]
    assert count(User, username="chu.an") == 1


def test_a_client_id_used_by_another_user_is_refused(login_as, client, new_client, users, places, count):
    from tests.conftest import hidden_fields

    login_as("officer_A")
    url = f"/places/{places['A'].id}/villages/new"
    fields = {**hidden_fields(client.get(url).get_data(as_text=True)), "kind": "thôn", "name": "Thôn Của Mai"}
    client.post(url, data=fields)
    other = new_client()
    other.login(users["admin"].username)
    fields["csrf_token"] = other.csrf_token()
    fields["name"] = "Thôn Khác"
    assert other.post(url, data=fields).status_code == 409
    assert count(Unit, name="Thôn Khác") == 0


def test_a_missing_or_broken_client_id_is_refused_and_the_form_kept(login_as, client, places, count):
    login_as("officer_A")
    response = client.submit(f"/places/{places['A'].id}/villages/new",
                             {"kind": "thôn", "name": "Thôn Giữ Lại", "client_id": "not-a-uuid"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Biểu mẫu này đã cũ" in body and 'value="Thôn Giữ Lại"' in body
    assert count(Unit, name="Thôn Giữ Lại") == 0


def test_two_posts_at_the_same_moment_give_one_record(app, places, users, monkeypatch, count):
    """Both requests look for the client_id before either has saved; the unique constraint decides."""
    barrier = threading.Barrier(2, timeout=10)
    original = idempotent._find_existing
    calls = {"n": 0}

    def find_then_wait(model, client_id):
        found = original(model, client_id)
        calls["n"] += 1
        if calls["n"] <= 2:  # the two first look-ups, one per request, wait for each other
            barrier.wait()
        return found

    monkeypatch.setattr(idempotent, "_find_existing", find_then_wait)
    client_id = str(uuid.uuid4())
    results = []

    def post():
        from webapp.accounts.models import User
        from webapp.extensions import db
        from webapp.geo.services import new_village

        with app.app_context():
            officer = db.session.get(User, users["officer_A"].id)
            commune = db.session.get(Unit, places["A"].id)
            village, created = idempotent.create_once(Unit, client_id, officer,
                                                      lambda: new_village(commune, "Thôn Cùng Lúc"))
            results.append((village.id, created))
            db.session.remove()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(results) == 2, "both requests must finish"
    assert results[0][0] == results[1][0]
    assert sorted(created for _, created in results) == [False, True]
    assert count(Unit, client_id=client_id) == 1


def test_create_once_rejects_a_non_uuid(app, users):
    with app.app_context(), pytest.raises(ValueError):
        idempotent.create_once(Unit, "1234", None, lambda: None)
