"""Idempotent create: the same client_id posted again returns the record already saved, never a second one,
also when two posts arrive at the same moment."""

import threading
import uuid

import pytest
from werkzeug.datastructures import MultiDict

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
    # The very fields she sent (only the token is the admin's): refused for being hers, not for other fields.
    answer = other.post(url, data={**fields, "csrf_token": other.csrf_token()})
    assert answer.status_code == 409 and "Location" not in answer.headers
    assert "Bản ghi này đã được tài khoản khác lưu" in answer.get_data(as_text=True)
    answer = other.post(url, data={**fields, "csrf_token": other.csrf_token(), "name": "Thôn Khác"})
    assert answer.status_code == 409
    assert "Bản ghi này đã được tài khoản khác lưu" in answer.get_data(as_text=True)
    assert count(Unit, name="Thôn Khác") == 0
    assert count(Unit, name="Thôn Của Mai", created_by_id=users["officer_A"].id) == 1


def test_a_form_sent_again_with_other_values_is_not_answered_with_the_first_record(login_as, client, places,
                                                                                   count):
    """Back to the form after saving, a change, save again: the page still holds the first client_id. That is a
    second entry, not a replay: refused (409), never quietly answered with the first record."""
    from tests.conftest import hidden_fields

    login_as("officer_A")
    url = f"/places/{places['A'].id}/villages/new"
    fields = {**hidden_fields(client.get(url).get_data(as_text=True)), "kind": "thôn", "name": "Thôn Đầu"}
    assert client.post(url, data=fields).status_code == 303
    answer = client.post(url, data={**fields, "name": "Thôn Sau"})
    assert answer.status_code == 409 and "Location" not in answer.headers
    assert count(Unit, name="Thôn Sau") == 0 and count(Unit, name="Thôn Đầu") == 1


def _fingerprint(app, data, **kwargs):
    with app.test_request_context("/form", method="POST", data=data, **kwargs):
        return idempotent.fingerprint()


def test_a_fingerprint_is_of_what_was_typed(app):
    base = _fingerprint(app, {"kind": "thôn", "name": "Thôn A", "csrf_token": "one", "client_id": "c-1"})
    assert len(base) == 64
    # The order of fields, the CSRF token and the client_id itself are not part of it.
    assert _fingerprint(app, MultiDict([("name", "Thôn A"), ("csrf_token", "two"), ("kind", "thôn")])) == base
    assert _fingerprint(app, {"kind": "thôn", "name": "Thôn B"}) != base
    assert _fingerprint(app, {"kind": "thôn", "name": "Thôn A", "notes": ""}) != base  # a field more
    # Repeated values (ticked boxes) in any order; no two different posts run together.
    assert _fingerprint(app, {"topics": ["a", "b"]}) == _fingerprint(app, {"topics": ["b", "a"]})
    assert _fingerprint(app, {"a": "x;b=y"}) != _fingerprint(app, {"a": "x", "b": "y"})


def test_a_fingerprint_holds_the_files_and_leaves_them_readable(app):
    import io

    def with_photo(content: bytes):
        with app.test_request_context("/form", method="POST",
                                      data={"item": "Sách", "photo": (io.BytesIO(content), "a.jpg")}):
            from flask import request

            value = idempotent.fingerprint()
            assert request.files["photo"].read() == content  # the view still reads the whole file
            return value

    assert with_photo(b"one") == with_photo(b"one") != with_photo(b"two")


def test_no_fingerprint_outside_a_post(app):
    assert idempotent.fingerprint() is None
    with app.test_request_context("/form?name=x"):
        assert idempotent.fingerprint() is None


def test_create_once_tells_a_replay_from_another_entry_under_the_same_id(app, users, places, count):
    from webapp.accounts.models import User
    from webapp.extensions import db
    from webapp.geo.services import new_village

    client_id = str(uuid.uuid4())

    def save(name: str, token: str) -> tuple[int, bool]:
        with app.test_request_context("/form", method="POST", data={"name": name, "csrf_token": token}):
            officer = db.session.get(User, users["officer_A"].id)
            commune = db.session.get(Unit, places["A"].id)
            village, created = idempotent.create_once(Unit, client_id, officer, lambda: new_village(commune, name))
            return village.id, created

    first, created = save("Thôn Vân", "one")
    assert created
    assert save("Thôn Vân", "two") == (first, False)
    with pytest.raises(idempotent.ReusedClientId):
        save("Thôn Khác", "three")
    assert count(Unit, client_id=client_id) == 1 and count(Unit, name="Thôn Khác") == 0
    # A record saved before fingerprints were kept has none to compare: a replay of it is answered with it.
    with app.app_context():
        db.session.get(Unit, first).client_fingerprint = None
        db.session.commit()
    assert save("Thôn Khác", "four") == (first, False)
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
