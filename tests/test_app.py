"""The app as a whole: health check, error pages in the user's language, security headers, languages, formats."""

from datetime import date, timedelta

import pytest
from flask_babel import force_locale

from webapp import create_app
from webapp.core.formatting import fmt_date, fmt_money


def test_healthz_answers_when_the_database_does(client):
    assert client.get("/healthz").status_code == 200


def test_healthz_fails_when_the_database_does_not(tmp_path, monkeypatch):
    monkeypatch.setenv("SOTAY_INSTANCE_PATH", str(tmp_path))
    broken = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.db"})
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SOTAY_INSTANCE_PATH", str(tmp_path))
    first = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["SECRET_KEY"]
    second = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_not_found_page_is_in_vietnamese(client):
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.get_data(as_text=True)


def test_english_from_the_browser_setting(client):
    page = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert "Sign in" in page and 'lang="en"' in page


def test_vietnamese_is_the_default(client):
    page = client.get("/login", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert 'lang="vi"' in page and "Đăng nhập" in page


def test_choosing_a_language_before_signing_in_sticks(client):
    token = client.csrf_token()
    client.post("/language", data={"csrf_token": token, "locale": "en", "next": "/login"})
    assert "Sign in" in client.get("/login").get_data(as_text=True)


def test_a_signed_in_users_language_is_kept_on_the_account(client, login_as, users, new_client):
    login_as("collector_A")
    client.post("/language", data={"csrf_token": client.csrf_token(), "locale": "en", "next": "/"})
    other_phone = new_client()
    other_phone.login(users["collector_A"].username)
    assert "Hello" in other_phone.get("/").get_data(as_text=True)


def test_security_headers(client):
    headers = client.get("/login").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_and_lax(client, users):
    response = client.login(users["collector_A"].username)
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie


def test_secure_cookies_when_served_over_https(tmp_path, monkeypatch):
    monkeypatch.setenv("SOTAY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SOTAY_HTTPS", "1")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


@pytest.mark.parametrize(("locale", "expected"), [("vi", "1.000.000\u00a0₫"), ("en", "1,000,000\u00a0₫")])
def test_money_in_the_users_locale(app, locale, expected):
    with app.test_request_context(), force_locale(locale):
        assert fmt_money(1_000_000) == expected


def test_dates_are_day_month_year(app):
    with app.test_request_context():
        assert fmt_date(date(2023, 5, 15)) == "15/05/2023"


def test_stylesheet_is_small(app):
    import gzip
    from pathlib import Path

    css = Path(app.static_folder, "css", "app.css").read_bytes()
    assert len(gzip.compress(css, 9)) <= 10 * 1024


def test_htmx_is_vendored_with_its_licence(app):
    from pathlib import Path

    folder = Path(app.static_folder, "vendor", "htmx-4.0.1")
    assert (folder / "htmx.min.js").stat().st_size > 30_000
    assert "Zero-Clause BSD" in (folder / "LICENSE").read_text()


def test_forbidden_page_is_in_the_users_language(login_as, client):
    login_as("collector_A")
    response = client.get("/users")
    assert response.status_code == 403 and "Không được phép" in response.get_data(as_text=True)


def test_a_server_error_page_says_what_was_saved_is_safe(tmp_path, monkeypatch):
    monkeypatch.setenv("SOTAY_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "PROPAGATE_EXCEPTIONS": False})

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom", headers={"Accept-Language": "vi"})
    assert response.status_code == 500
    assert "Dữ liệu đã lưu trước đó vẫn an toàn" in response.get_data(as_text=True)


def test_the_menu_is_in_the_same_order_whichever_feature_was_imported_first(app, users):
    """The bottom bar shows a person's first four items: ties of `order` must not depend on import order."""
    from flask_login import login_user

    from webapp.accounts.models import User
    from webapp.core import nav
    from webapp.extensions import db

    with app.test_request_context():
        head = db.session.get(User, users["village_head_A"].id)
        login_user(head)
        first = [item["endpoint"] for item in nav.items_for(head)]
        nav._ITEMS.reverse()  # as if every feature had been imported in the opposite order
        nav.forget()  # (each role's menu is built once)
        try:
            assert [item["endpoint"] for item in nav.items_for(head)] == first
        finally:
            nav._ITEMS.reverse()
            nav.forget()
    assert first[:4] == ["activities.new", "activities.index", "children.index", "gifts.index"]
    with app.test_request_context():
        officer = db.session.get(User, users["officer_A"].id)
        login_user(officer)
        # a commune officer's fourth is the reports she writes and sends
        assert [item["endpoint"] for item in nav.items_for(officer)][:4] == [
            "activities.new", "activities.index", "children.index", "reports.index"]


def test_an_unchanged_session_is_signed_again_only_once_a_day_old(client, users, monkeypatch):
    """Every answer used to sign the session cookie anew. Now a page that changes nothing in the session sends none
    while its cookie is under a day old; a change (signing out here) is always sent, and a day-old cookie is signed
    again, so a session in use still lasts its 30 days from its last use (within a day, never longer)."""
    from webapp.core import security

    client.login(users["collector_A"].username)
    client.get("/")  # the CSRF token is put in the session: a change, written
    assert "Set-Cookie" not in client.get("/").headers
    assert "Set-Cookie" not in client.get("/outbox").headers
    monkeypatch.setattr(security, "RESIGN_AFTER", timedelta(0))  # as if the cookie were a day old
    renewed = client.get("/")
    assert renewed.status_code == 200 and renewed.headers.get("Set-Cookie", "").startswith("session=")
    monkeypatch.undo()
    assert "Set-Cookie" not in client.get("/").headers
    client.logout()
    assert client.get("/").status_code == 302  # the change (signed out) was sent and is kept


def test_labels_translated_once_per_answer_in_its_language(app):
    """A list's labels are translated once per answer (core.formatting.translated), never kept across answers: the
    next answer in another language shows its own words."""
    from webapp.activities.views import LABELS
    from webapp.core.formatting import translated

    with app.test_request_context():
        with force_locale("vi"):
            shown = translated(LABELS)
            assert shown["statuses"]["draft"] == "Bản nháp" and shown["statuses"]["draft"] is shown["statuses"]["draft"]
            assert dict(shown["statuses"]).keys() == LABELS["statuses"].keys()
        with force_locale("en"):
            assert translated(LABELS)["statuses"]["draft"] == "Draft"
            assert shown["statuses"]["draft"] == "Bản nháp"  # an answer's own labels stay as that answer showed them


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_small_whole_numbers_are_written_as_babel_writes_them(app, locale):
    from flask_babel import format_decimal

    from webapp.core.formatting import fmt_number

    assert set(app.config["LANGUAGES"]) == {"vi", "en"}  # another language must be checked here before it is added
    with app.test_request_context(), force_locale(locale):
        for value in [0, 1, 7, 42, 999, 1000, 12345, -3, 2.5]:
            assert fmt_number(value) == format_decimal(value)
