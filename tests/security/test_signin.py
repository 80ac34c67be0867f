"""Signing in: wrong passwords are throttled per account and per address, across app servers (the count is in the
database); a session cookie from before signing in never becomes the signed-in session; a cookie copied before
signing out no longer signs anyone in."""

from datetime import timedelta

from sqlalchemy import update

from webapp.core import clock
from webapp.core.audit import AuditLog
from webapp.extensions import db


def from_address(client, address: str):
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_wrong_passwords_from_one_address_make_it_wait_even_for_another_account(app, new_client, users):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    assert limit >= app.config["LOGIN_MAX_FAILURES"]
    guesser = from_address(new_client(), "203.0.113.7")
    names = ["canbo.a", "thuthap.a", "khongco", "canbo.b", "lanhdao"]
    for n in range(limit):  # spread over accounts (and an unknown one), so no single account locks first
        assert guesser.login(names[n % len(names)], f"sai-{n}").status_code == 401
    refused = guesser.login("truongthon.a")  # the right password of an account never guessed at
    assert refused.status_code == 429
    assert "Nhập sai mật khẩu quá nhiều lần từ mạng này. Hãy thử lại sau" in refused.get_data(as_text=True)
    assert refused.headers.get("Set-Cookie", "").count("remember_token=") == 0
    assert guesser.get("/").status_code == 302  # not signed in

    # Another address is not held back, and the wait ends with the window.
    assert from_address(new_client(), "198.51.100.9").login("truongthon.a").status_code == 303
    with app.app_context():
        db.session.execute(update(AuditLog).where(AuditLog.ip == "203.0.113.7")
                           .values(at=clock.now() - app.config["LOGIN_FAILURE_WINDOW"] - timedelta(minutes=1)))
        db.session.commit()
    assert guesser.login("truongthon.a").status_code == 303


def test_five_wrong_passwords_from_five_addresses_lock_the_account(new_client, users):
    for n in range(5):
        assert from_address(new_client(), f"192.0.2.{n + 1}").login("canbo.a", "sai").status_code == 401
    locked = from_address(new_client(), "192.0.2.99").login("canbo.a")
    assert locked.status_code == 401
    assert "Nhập sai mật khẩu quá nhiều lần. Hãy thử lại sau" in locked.get_data(as_text=True)


def test_behind_a_proxy_the_address_counted_is_the_clients(monkeypatch, tmp_path):
    """With SOTAY_PROXIES=1 the address is the one the proxy saw, not the proxy's own (which would throttle everyone
    at once); without it, a forwarded address is not believed."""
    from flask import request

    from webapp import create_app

    monkeypatch.setenv("SOTAY_INSTANCE_PATH", str(tmp_path / "instance"))
    for proxies, seen in (("1", "203.0.113.50"), ("0", "127.0.0.1")):
        monkeypatch.setenv("SOTAY_PROXIES", proxies)
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
        app.add_url_rule("/address", "address", lambda: request.remote_addr)
        answer = app.test_client().get("/address", headers={"X-Forwarded-For": "203.0.113.50"})
        assert answer.get_data(as_text=True) == seen


def test_a_cookie_from_before_signing_in_does_not_become_the_signed_in_session(app, new_client, users):
    browser = new_client()
    browser.get("/login")
    before = browser.get_cookie("session").value
    assert browser.login("canbo.a").status_code == 303
    after = browser.get_cookie("session").value
    assert after != before
    # Someone holding the cookie from before (planted, or read off the phone) is not signed in with it.
    attacker = new_client()
    attacker.set_cookie("session", before)
    assert attacker.get("/").status_code == 302
    # And the signed-in session's CSRF token is not the one handed out before.
    from tests.conftest import hidden_fields

    old_token = hidden_fields(attacker.get("/login").get_data(as_text=True))["csrf_token"]
    response = attacker.post("/logout", data={"csrf_token": old_token})
    assert browser.get("/").status_code == 200 and response.status_code in (303, 400)


def test_a_cookie_copied_before_signing_out_no_longer_signs_in(app, new_client, users):
    phone = new_client()
    assert phone.login("canbo.a", remember="y").status_code == 303
    session_cookie = phone.get_cookie("session").value
    remember_cookie = phone.get_cookie("remember_token").value
    assert phone.logout().status_code == 303
    assert phone.get("/").status_code == 302

    replay = new_client()
    replay.set_cookie("session", session_cookie)
    assert replay.get("/").status_code == 302
    remembered = new_client()
    remembered.set_cookie("remember_token", remember_cookie)
    assert remembered.get("/").status_code == 302
    with app.app_context():
        assert db.session.query(AuditLog).filter_by(action="logout").count() == 1


# --- an account that exists and one that does not answer alike -------------------------------------------------------
def _message(response) -> str:
    import re

    found = re.search(r'class="(?:error|flash flash-error)"[^>]*>([^<]*)', response.get_data(as_text=True))
    return found.group(1).strip() if found else ""


def test_a_known_and_an_unknown_account_get_the_same_answers_and_both_wait(new_client, users):
    """Wrong passwords for canbo.a and for an account nobody has: the same status and message every time, the fifth
    making both wait, with the same message; so nobody learns which accounts exist from the answers."""
    known, unknown = from_address(new_client(), "192.0.2.10"), from_address(new_client(), "192.0.2.11")
    for n in range(7):
        a, b = known.login("canbo.a", f"sai-{n}"), unknown.login("khong.ai.co", f"sai-{n}")
        assert (a.status_code, _message(a)) == (b.status_code, _message(b)), n
    assert "Nhập sai mật khẩu quá nhiều lần. Hãy thử lại sau" in _message(a)
    # By phone number too (an unknown number is throttled like a known one).
    for n in range(6):
        c = from_address(new_client(), f"192.0.2.{20 + n}").login("0999888777", "sai")
    assert "Nhập sai mật khẩu quá nhiều lần. Hãy thử lại sau" in _message(c)


def test_every_answer_costs_one_password_hash(app, new_client, users, monkeypatch):
    """An unknown account, a locked one and a known one each check one password hash of the configured kind, so the
    time of the answer does not tell them apart either."""
    from webapp.accounts import models

    checked = []
    real = models.check_password_hash

    def counting(pwhash, password):
        checked.append(pwhash.split("$")[0])
        return real(pwhash, password)

    monkeypatch.setattr(models, "check_password_hash", counting)
    method = app.config["PASSWORD_HASH_METHOD"]
    for name in ["canbo.a"] * 6 + ["khong.ai.co"] * 6:
        checked.clear()
        from_address(new_client(), "192.0.2.30").login(name, "sai")
        assert checked == [method], (name, checked)


def test_the_time_of_an_answer_does_not_tell_which_accounts_exist(app, new_client, make_user, places):
    import statistics
    import time

    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:150000"  # a real hash's cost, as scrypt has in production
    make_user("officer", places["A"].id, "do.cham")

    def median(name: str) -> float:
        times = []
        for n in range(4):
            client = from_address(new_client(), f"198.51.100.{n + 1}")
            client.get("/login")
            start = time.perf_counter()
            client.login(name, "sai-hoan-toan")
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    known, unknown = median("do.cham"), median("khong.ai.co.ca")
    assert 0.5 < unknown / known < 2, (known, unknown)


def test_someone_elses_wrong_passwords_do_not_lock_the_owner_out_of_her_phone(new_client, users):
    """Strangers can make an account wait, but not on the phone its owner has signed in with before."""
    phone = from_address(new_client(), "192.0.2.50")
    assert phone.login("canbo.a").status_code == 303
    assert phone.logout().status_code == 303
    for n in range(5):
        from_address(new_client(), f"203.0.113.{n + 60}").login("canbo.a", "sai")
    stranger = from_address(new_client(), "203.0.113.99")
    assert stranger.login("canbo.a").status_code == 401  # even the right password waits, off her phone
    assert phone.login("canbo.a").status_code == 303
