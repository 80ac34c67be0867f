"""Two app servers, one PostgreSQL: the same submissions replayed across both, at the same moment and several times
each, are each saved exactly once, and every answer is the designed one. Runs when TEST_DATABASE_URL is set (always
in CI, where it fails if it cannot run)."""

import http.cookiejar
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD, TEST_DATABASE_URL, _empty_and_reload, _unit_rows, base_config
from webapp.core import clock

SUBMISSIONS, REPLAYS_PER_SERVER = 20, 3


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One phone talking to one server: its own cookies, no redirects followed."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  _NoRedirect())

    def request(self, path: str, data: dict | list | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(port: int, env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "4", "--bind", f"127.0.0.1:{port}",
         "--graceful-timeout", "5", "webapp:create_app()"],
        env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)


def _wait_ready(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, f"app server on {port} stopped:\n{log.read_text()[-3000:]}"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"app server on {port} did not answer in 60 s:\n{log.read_text()[-3000:]}")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _seed(app) -> dict:
    """Commune A, a collector of it, and this year's plan, straight into the database the servers share."""
    from webapp.accounts.models import User
    from webapp.extensions import db
    from webapp.geo.models import Unit
    from webapp.plans.services import copy_plan, load_plan_2023

    with app.app_context():
        province = db.session.scalar(select(Unit).where(Unit.level == "province"))
        commune = db.session.scalar(select(Unit).where(Unit.code == "02761"))
        admin = User(username="quantri", full_name="Quản Trị", role="admin", unit_id=province.id)
        collector = User(username="thuthap.a", full_name="Thu Thập", role="collector", unit_id=commune.id)
        for user in (admin, collector):
            user.set_password(PASSWORD)
            db.session.add(user)
        db.session.commit()
        plan, _ = load_plan_2023(province)
        db.session.add(copy_plan(plan, clock.today().year, admin))
        db.session.commit()
        return {"collector": collector.id}


def _sign_in(browser: Browser) -> None:
    from tests.conftest import hidden_fields

    status, _headers, page = browser.request("/login")
    assert status == 200
    status, headers, _ = browser.request("/login", {**hidden_fields(page), "identifier": "thuthap.a",
                                                    "password": PASSWORD})
    assert status == 303, status


def _form(browser: Browser) -> dict:
    from tests.activities.conftest import read_form

    status, _headers, page = browser.request("/activities/new/communication")
    assert status == 200
    _action, fields = read_form(page)
    return fields


def _run(tmp_path: Path, database_url: str) -> None:
    from webapp import create_app
    from webapp.activities.models import Activity
    from webapp.extensions import db

    instance = tmp_path / "instance"
    app = create_app(base_config(database_url, tmp_path))
    _unit_rows(app)  # what to put back afterwards, taken before anything is added
    servers = []
    try:
        _seed(app)
        env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "two-servers-" + uuid.uuid4().hex,
               "SOTAY_INSTANCE_PATH": str(instance)}
        ports = [_free_port(), _free_port()]
        for n, port in enumerate(ports):
            servers.append((_start_server(port, env, tmp_path / f"server{n}.log"), port, tmp_path / f"server{n}.log"))
        for server, port, log in servers:
            _wait_ready(port, server, log)

        browsers = [Browser(f"http://127.0.0.1:{port}") for _server, port, _log in servers]
        for browser in browsers:
            _sign_in(browser)
        forms = [_form(browser) for browser in browsers]

        from tests.activities.test_activities_kinds import KIND_DATA

        submissions = [(str(uuid.uuid4()), f"Nói chuyện ở trường, lần {n}") for n in range(SUBMISSIONS)]
        posts = []
        for client_id, note in submissions:
            for server in (0, 1):
                for replay in range(REPLAYS_PER_SERVER):
                    outbox = replay == REPLAYS_PER_SERVER - 1  # the phone's outbox replaying it in the background
                    posts.append((server, client_id, note, outbox))
        random.Random(9).shuffle(posts)

        def post(item):
            server, client_id, note, outbox = item
            data = {**forms[server], **KIND_DATA["communication"], "client_id": client_id, "notes": note}
            headers = {"X-Sotay-Outbox": "replay"} if outbox else {}
            status, response_headers, body = browsers[server].request("/activities/new/communication", data,
                                                                       headers)
            return item, status, response_headers.get("Location", ""), body

        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(post, posts))

        wrong, saved_at = [], {}
        for (server, client_id, _note, outbox), status, location, body in answers:
            if outbox:
                answer = json.loads(body) if body.startswith("{") else {}
                ok = status == 200 and answer.get("status") == "saved" and "/activities/" in (answer.get("url") or "")
                url = answer.get("url") or ""
            else:
                ok = status == 303 and "/activities/" in location
                url = location
            if not ok:
                wrong.append((server, client_id, outbox, status, body[:300]))
            else:
                saved_at.setdefault(client_id, set()).add(url.rsplit("/", 1)[-1])
        assert not wrong, wrong
        # Every answer for one submission names the same activity.
        assert all(len(ids) == 1 for ids in saved_at.values()), saved_at
        with app.app_context():
            counts = dict(db.session.execute(
                select(Activity.client_id, func.count()).where(Activity.client_id.in_([c for c, _ in submissions]))
                .group_by(Activity.client_id)).all())
            notes = set(db.session.scalars(select(Activity.notes)))
        assert counts == {client_id: 1 for client_id, _ in submissions}
        assert notes == {note for _, note in submissions}
        _reused_ids(browsers, forms, app)
        for server, _port, log in servers:
            assert server.poll() is None, log.read_text()[-3000:]
            assert " 500 " not in log.read_text() and "Traceback" not in log.read_text(), log.read_text()[-3000:]
    finally:
        for server, _port, _log in servers:
            _stop(server)
        _empty_and_reload(app)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _reused_ids(browsers: list[Browser], forms: list[dict], app) -> None:
    """Two different entries under one client_id (a kept page posting its old id twice), sent to both servers at
    the same moment: one is saved, the other is answered reused_id, never "saved" with the other's record; sent
    again under a new id, as the outbox does, it is a record of its own. Nothing is lost."""
    from tests.activities.test_activities_kinds import KIND_DATA
    from webapp.activities.models import Activity
    from webapp.extensions import db

    pairs = [(str(uuid.uuid4()), f"Buổi {n} ở thôn", f"Buổi {n} ở trường") for n in range(8)]
    posts = [(server, client_id, note) for client_id, first, second in pairs
             for server, note in ((0, first), (1, second))]
    random.Random(3).shuffle(posts)

    def post(item):
        server, client_id, note = item
        data = {**forms[server], **KIND_DATA["communication"], "client_id": client_id, "notes": note}
        status, _headers, body = browsers[server].request("/activities/new/communication", data,
                                                          {"X-Sotay-Outbox": "replay"})
        return item, status, json.loads(body) if body.startswith("{") else {}

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(post, posts))
    refused = []
    for (server, _client_id, note), status, answer in answers:
        assert (status, answer.get("status")) in ((200, "saved"), (409, "reused_id")), (status, answer)
        if answer["status"] == "reused_id":
            refused.append((server, note))
    assert len(refused) == len(pairs)  # exactly one of each pair
    for server, note in refused:  # the outbox's second try, under a new id
        data = {**forms[server], **KIND_DATA["communication"], "client_id": str(uuid.uuid4()), "notes": note}
        status, _headers, body = browsers[server].request("/activities/new/communication", data,
                                                          {"X-Sotay-Outbox": "replay"})
        assert status == 200 and json.loads(body)["status"] == "saved", body[:300]
    with app.app_context():
        notes = list(db.session.scalars(select(Activity.notes).where(Activity.notes.like("Buổi %"))))
    assert sorted(notes) == sorted(n for _c, first, second in pairs for n in (first, second))


if TEST_DATABASE_URL or os.environ.get("CI") == "true":

    def test_two_app_servers_on_one_postgresql_save_each_replayed_submission_once(request, tmp_path):
        if not TEST_DATABASE_URL:
            pytest.fail("CI must run the two-server test: set TEST_DATABASE_URL to a PostgreSQL test database")
        _run(tmp_path, request.getfixturevalue("postgres_ready"))
