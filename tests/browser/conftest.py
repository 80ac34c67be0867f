"""Browser tests: the app served on 127.0.0.1 by a real WSGI server in a thread, driven in Debian's Chromium by
Playwright on a 360×740 phone screen in Vietnamese. In CI a missing browser fails the test; elsewhere it skips."""

import os
import shutil
import threading

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from webapp.core import clock

CHROMIUM = os.environ.get("SOTAY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 360, "height": 740}


@pytest.fixture(params=["sqlite"])
def backend(request):
    """Browser tests run on SQLite only: they test the pages and the phone's own code (the outbox, the worker, what a
    screen shows); what the server stores behind them is tested on both databases through HTTP (idempotent
    creates, replays, conflicts, two app servers on one PostgreSQL). Run twice they took ten minutes of CI's
    thirty."""
    return request.param


def _require_browser():
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    message = f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def playwright_instance():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def live_server(app):
    """The app under a threaded WSGI server on a free port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def context(browser, live_server):
    """A fresh browser profile (own cookies, caches and service workers) on a phone-sized screen, in Vietnamese."""
    ctx = browser.new_context(base_url=live_server, viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True)
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def sign_in(page):
    """Sign in through the real form, as a person would."""

    def do(username: str, password: str):
        page.goto("/login")
        page.get_by_label("Tên đăng nhập hoặc số điện thoại").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state()
        return page

    return do


@pytest.fixture
def this_years_plan(app, places, users):
    """The 2023 plan copied to this year: activities can be logged today (a village head's talks, trainings)."""
    from webapp.accounts.models import User
    from webapp.extensions import db
    from webapp.geo.models import Unit
    from webapp.plans.services import copy_plan, load_plan_2023

    with app.app_context():
        plan, _ = load_plan_2023(db.session.get(Unit, places["province"].id))
        admin = db.session.scalar(select(User).where(User.id == users["admin"].id))
        db.session.add(copy_plan(plan, clock.today().year, admin))
        db.session.commit()
