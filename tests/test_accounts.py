"""Signing in and out, the throttle on wrong passwords, sessions that end, and who may manage whom."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from webapp.accounts.models import User
from webapp.core import clock
from webapp.core.audit import AuditLog
from webapp.extensions import db


def test_sign_in_by_username(client, users):
    response = client.login("canbo.a")
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_sign_in_by_phone_number_in_any_usual_form(client, users):
    assert client.login("+84 912 345 678").status_code == 303


def test_wrong_password_is_refused_and_the_username_kept(client, users):
    response = client.login("canbo.a", "wrong-password")
    body = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu." in body
    assert 'value="canbo.a"' in body


def test_unknown_user_gets_the_same_message(client, users):
    response = client.login("khongco", "whatever-1")
    assert response.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu." in response.get_data(as_text=True)


def test_sixth_try_after_five_wrong_passwords_waits_even_with_the_right_one(client, users):
    for _ in range(5):
        assert client.login("canbo.a", "wrong-password").status_code == 401
    response = client.login("canbo.a")
    assert response.status_code == 401
    assert "Nhập sai mật khẩu quá nhiều lần. Hãy thử lại sau" in response.get_data(as_text=True)


def test_the_lock_ends_after_its_time(app, client, users):
    for _ in range(5):
        client.login("canbo.a", "wrong-password")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "canbo.a"))
        user.locked_until = clock.now() - timedelta(seconds=1)
        db.session.commit()
    assert client.login("canbo.a").status_code == 303


def test_wrong_passwords_spread_over_more_than_15_minutes_do_not_lock(app, client, users):
    for _ in range(4):
        client.login("canbo.a", "wrong-password")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "canbo.a"))
        user.first_failed_at = clock.now() - timedelta(minutes=16)
        db.session.commit()
    client.login("canbo.a", "wrong-password")
    assert client.login("canbo.a").status_code == 303


def test_sign_ins_and_failures_are_audited(app, client, users):
    client.login("canbo.a", "wrong-password")
    client.login("canbo.a")
    with app.app_context():
        actions = db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
        ip = db.session.scalar(select(AuditLog.ip).where(AuditLog.action == "login"))
    assert actions[-2:] == ["login_failed", "login"]
    assert ip == "127.0.0.1"


def test_remember_this_phone_sets_a_30_day_cookie(client, users):
    response = client.login("canbo.a", remember="y")
    remember = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token="))
    expires = remember.split("Expires=")[1].split(";")[0]
    when = datetime.strptime(expires, "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC)
    assert timedelta(days=29) < when - clock.now() <= timedelta(days=30, minutes=1)


def test_sign_out(login_as, client):
    login_as("collector_A")
    response = client.logout()
    assert response.status_code == 303
    assert client.get("/").status_code == 302


def test_sign_out_needs_a_post(login_as, client):
    login_as("collector_A")
    assert client.get("/logout").status_code == 405


def test_a_deactivated_users_open_session_stops_at_once(login_as, client, new_client, users):
    phone = new_client()
    phone.login(users["collector_A"].username)
    assert phone.get("/").status_code == 200
    login_as("officer_A")
    response = client.post(f"/users/{users['collector_A'].id}/active",
                            data={"csrf_token": client.csrf_token(), "active": "0"})
    assert response.status_code == 303
    assert phone.get("/").status_code == 302
    assert "Tài khoản này đã bị khóa" in phone.login(users["collector_A"].username).get_data(as_text=True)


def test_changing_ones_password_signs_out_other_phones(login_as, client, new_client, users):
    other = new_client()
    other.login(users["collector_A"].username)
    login_as("collector_A")
    response = client.submit("/account", {"pw-current": users["collector_A"].password, "pw-new": "mật khẩu mới 2026",
                                          "pw-confirm": "mật khẩu mới 2026"})
    assert response.status_code == 303
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302
    assert new_client().login(users["collector_A"].username, "mật khẩu mới 2026").status_code == 303


def test_wrong_current_password_is_refused_next_to_the_field(login_as, client):
    login_as("collector_A")
    response = client.submit("/account", {"pw-current": "nope-nope", "pw-new": "abcdefgh1", "pw-confirm": "abcdefgh1"})
    assert response.status_code == 422
    assert 'id="pw-current-error"' in response.get_data(as_text=True)


def test_production_hashes_passwords_with_scrypt(app, tmp_path, monkeypatch):
    from webapp import create_app

    monkeypatch.setenv("SOTAY_INSTANCE_PATH", str(tmp_path))
    production = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with production.app_context():
        user = User(username="x", full_name="X", role="viewer", unit_id=1)
        user.set_password("a long password")
        assert user.password_hash.startswith("scrypt:")


# --- managing users -----------------------------------------------------------------------------------------------

def new_account(**overrides):
    return {"full_name": "Hà Thị Lan", "username": "ha.lan", "phone": "0987 654 321", "role": "collector",
            "password": "mật-khẩu-đầu", **overrides}


def test_admin_creates_an_officer_anywhere(login_as, client, places, count):
    login_as("admin")
    response = client.submit("/users/new", new_account(role="officer", unit_id=str(places["B"].id)))
    assert response.status_code == 303
    assert count(User, username="ha.lan", role="officer", unit_id=places["B"].id) == 1


def test_officer_creates_a_collector_in_a_village_of_their_commune(login_as, client, places, count, new_client):
    login_as("officer_A")
    response = client.submit("/users/new", new_account(unit_id=str(places["village_A"].id)))
    assert response.status_code == 303
    assert count(User, username="ha.lan", unit_id=places["village_A"].id) == 1
    assert new_client().login("0987654321", "mật-khẩu-đầu").status_code == 303


def test_officer_cannot_create_in_another_commune(login_as, client, places, count):
    login_as("officer_A")
    response = client.submit("/users/new", new_account(unit_id=str(places["B"].id)))
    assert response.status_code == 422
    assert count(User, username="ha.lan") == 0


def test_officer_cannot_create_an_officer(login_as, client, places, count):
    login_as("officer_A")
    response = client.submit("/users/new", new_account(role="officer", unit_id=str(places["A"].id)))
    assert response.status_code == 422
    assert count(User, username="ha.lan") == 0


def test_a_taken_username_is_refused_and_the_form_kept(login_as, client, places):
    login_as("admin")
    response = client.submit("/users/new", new_account(username="canbo.b", unit_id=str(places["A"].id)))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Tên đăng nhập này đã có người dùng." in body and "Hà Thị Lan" in body


def test_collectors_and_viewers_cannot_manage_users(login_as, client):
    login_as("collector_A")
    assert client.get("/users").status_code == 403
    assert client.get("/users/new").status_code == 403


def test_officer_sees_only_their_own_areas_collectors(login_as, client, users):
    login_as("officer_A")
    body = client.get("/users").get_data(as_text=True)
    assert users["collector_A"].full_name in body and users["village_head_A"].full_name in body
    assert users["collector_B"].full_name not in body and users["admin"].full_name not in body


def test_officer_cannot_deactivate_another_communes_collector(login_as, client, users, count):
    login_as("officer_A")
    response = client.post(f"/users/{users['collector_B'].id}/active",
                           data={"csrf_token": client.csrf_token(), "active": "0"})
    assert response.status_code == 404
    assert count(User, id=users["collector_B"].id, active=True) == 1


def test_user_changes_are_audited(app, login_as, client, users):
    login_as("officer_A")
    client.post(f"/users/{users['collector_A'].id}/active", data={"csrf_token": client.csrf_token(), "active": "0"})
    with app.app_context():
        entry = db.session.scalars(select(AuditLog).order_by(AuditLog.id.desc())).first()
        assert (entry.action, entry.object_type, entry.object_id) == ("deactivate", "User", users["collector_A"].id)
        assert entry.user_id == users["officer_A"].id


def test_pages_opened_at_once_after_sign_in_share_one_csrf_token(app, client, users):
    """Right after signing in, the phone opens a page while its worker keeps others: both answers carry the
    session cookie, and the one stored last wins. The sign-in's own answer already holds the CSRF token, so a form
    from either page is accepted, whichever cookie the phone kept."""
    from tests.conftest import hidden_fields

    client.login("canbo.a")
    signed_in = client.get_cookie("session").value
    page = client.get("/account").get_data(as_text=True)  # the page she opens
    client.set_cookie("session", signed_in)  # the worker's answer, made from the sign-in's cookie, stored last
    assert client.get("/").status_code == 200
    fields = {**hidden_fields(page), "current": "", "new": "", "confirm": ""}
    answer = client.post("/account", data=fields)
    assert answer.status_code != 400, "the form of the first page was refused as unchecked"
