"""The `sotay` command: init and seed run again safely; serve brings the app up with demo logins; the wheel ships
templates, static files, compiled catalogues and migrations."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from webapp.accounts.models import User
from webapp.extensions import db
from webapp.geo.models import Unit

ROOT = Path(__file__).resolve().parent.parent
SOTAY = [sys.executable, "-c", "from webapp.cli import main; main()"]
# The command runs this checkout's code, wherever the environment has the package installed from.
PYTHONPATH = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))


def test_seed_demo_twice_duplicates_nothing(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed", "--demo"])
    assert first.exit_code == 0, first.output
    assert "canbo.muongkhuong" in first.output and "sotay-demo" in first.output
    with app.app_context():
        counts = (db.session.scalar(select(func.count()).select_from(User)),
                  db.session.scalar(select(func.count()).select_from(Unit)))
    assert runner.invoke(args=["seed", "--demo"]).exit_code == 0
    with app.app_context():
        assert counts == (db.session.scalar(select(func.count()).select_from(User)),
                          db.session.scalar(select(func.count()).select_from(Unit)))
        roles = set(db.session.scalars(select(User.role)))
        assert roles == {"admin", "officer", "collector", "viewer"}
        assert db.session.scalar(select(Unit.name).where(Unit.name == "Thôn Lùng Cẩu")) == "Thôn Lùng Cẩu"


def test_init_runs_again_safely(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init"]).exit_code == 0
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0 and "0 new communes" in result.output


def test_import_villages_command(app, tmp_path, users):
    csv_file = tmp_path / "thon.csv"
    csv_file.write_text("02761,Thôn Từ Dòng Lệnh\n02761,\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import-villages", str(csv_file), "--as-user", "canbo.a"])
    assert result.exit_code == 0
    assert "added" in result.output and "refused" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_on_a_fresh_machine(tmp_path):
    port = _free_port()
    env = {**os.environ, "SOTAY_INSTANCE_PATH": str(tmp_path / "instance"), "PYTHONPATH": PYTHONPATH}
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen([*SOTAY, "serve", "--port", str(port), "--workers", "1"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("the server did not come up")
                time.sleep(0.3)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as response:
            page = response.read().decode()
            assert "Đăng nhập" in page and DEMO_BANNER in page  # a demo says so on every page
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    assert "admin" in output and "sotay-demo" in output and f"http://127.0.0.1:{port}/" in output
    assert (tmp_path / "instance" / "sotay.db").exists() and (tmp_path / "instance" / "secret_key").exists()


DEMO_BANNER = "Bản trình diễn — dữ liệu không có thật"


def _serve(tmp_path, database_url: str, *args: str) -> tuple[str, str]:
    """Run `sotay serve` on a database named by DATABASE_URL until it answers; returns (login page, output)."""
    port = _free_port()
    env = {**os.environ, "SOTAY_INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": database_url,
           "PYTHONPATH": PYTHONPATH}
    process = subprocess.Popen([*SOTAY, "serve", "--port", str(port), "--workers", "1", *args], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as response:
                    page = response.read().decode()
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("the server did not come up")
                time.sleep(0.3)
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    return page, output


def _usernames(database_url: str) -> set[str]:
    from sqlalchemy import create_engine

    engine = create_engine(database_url)
    with engine.connect() as conn:
        names = set(conn.scalars(select(User.username)))
    engine.dispose()
    return names


def test_serve_never_loads_demo_accounts_into_a_database_named_by_database_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'real.db'}"
    page, output = _serve(tmp_path, url)
    assert _usernames(url) == set()
    assert "sotay-demo" not in output and "--demo" in output  # says how to load it, and how to start for real
    assert DEMO_BANNER not in page


def test_serve_with_demo_loads_it_anywhere_and_marks_every_page(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    page, output = _serve(tmp_path, url, "--demo")
    assert "admin" in _usernames(url) and "sotay-demo" in output
    assert DEMO_BANNER in page
    page, _output = _serve(tmp_path, url)  # served again: still a demo, still marked
    assert DEMO_BANNER in page


def test_a_demo_instance_says_so_on_every_page_and_a_real_one_does_not(app, client):
    assert DEMO_BANNER not in client.get("/login").get_data(as_text=True)
    app.config["SOTAY_DEMO"] = True
    for url in ("/login", "/offline", "/no-such-page"):
        assert DEMO_BANNER in client.get(url).get_data(as_text=True), url


def test_the_wheel_ships_the_data_folders(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("sotay-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("webapp/templates/base.html", "webapp/static/css/app.css",
                     "webapp/static/vendor/htmx-4.0.1/htmx.min.js", "webapp/static/vendor/htmx-4.0.1/LICENSE",
                     "webapp/translations/vi/LC_MESSAGES/messages.mo", "webapp/migrations/env.py",
                     "webapp/migrations/alembic.ini"):
        assert expected in names, expected
    assert not any(n.startswith(("translations/", "templates/", "tests/")) for n in names)
