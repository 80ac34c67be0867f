"""Fixtures: the app on SQLite and, when TEST_DATABASE_URL is set, again on PostgreSQL; users of every role; a
client that fills and sends forms the way a browser does (with the page's CSRF token and client_id)."""

import html
import os
import re
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, make_url, select, text

from webapp import create_app
from webapp.accounts.models import User
from webapp.children.models import Child
from webapp.children.services import build_child
from webapp.config import normalise_database_url
from webapp.core import clock, idempotent
from webapp.core.models import new_client_id
from webapp.extensions import db
from webapp.forum.models import Forum
from webapp.geo.models import Unit
from webapp.geo.services import load_province, new_village
from webapp.gifts.models import Distribution
from webapp.gifts.services import add_recipients
from webapp.plans.services import copy_plan, load_plan_2023


def _worker_database(url: str | None) -> str | None:
    """Under pytest-xdist each worker process has a PostgreSQL database of its own (`<name>_gw0`, ...), made and
    dropped by `postgres_ready`: the suite empties and reloads its tables after every test."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


SHARED_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
TEST_DATABASE_URL = _worker_database(SHARED_DATABASE_URL)
BACKENDS = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL else [])
PASSWORD = "mật-khẩu-thử-1"


def base_config(uri: str, instance_path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": uri,
        "SOTAY_PROVINCE": 15,
        # A fast hash keeps the suite quick; production uses scrypt (tests/test_accounts.py checks the default).
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }


def _prepare(uri: str, tmp) -> None:
    """Upgrade an empty database to the latest migration and load Lào Cai's units."""
    app = create_app(base_config(uri, tmp))
    with app.app_context():
        upgrade()
        load_province(15)
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "template.db"
    _prepare(f"sqlite:///{path}", path.parent)
    return path


def reset_postgres(url: str) -> None:
    engine = create_engine(_psycopg(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _psycopg(url: str) -> str:
    return normalise_database_url(url)


def _maintenance(statement: str) -> None:
    """Run CREATE/DROP DATABASE on the server of SHARED_DATABASE_URL (outside a transaction, as they must be)."""
    engine = create_engine(_psycopg(SHARED_DATABASE_URL), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(statement))
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_ready(tmp_path_factory):
    own = TEST_DATABASE_URL != SHARED_DATABASE_URL  # a worker's database, made here and dropped after the run
    name = make_url(TEST_DATABASE_URL).database
    if own:
        _maintenance(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _maintenance(f'CREATE DATABASE "{name}"')
    reset_postgres(TEST_DATABASE_URL)
    _prepare(_psycopg(TEST_DATABASE_URL), tmp_path_factory.mktemp("pg"))
    yield _psycopg(TEST_DATABASE_URL)
    if own:
        _maintenance(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_UNIT_ROWS: list[dict] = []


def _unit_rows(app) -> list[dict]:
    """The province's units as loaded once for the session, to put back after each test (fast, exact ids)."""
    if not _UNIT_ROWS:
        with app.app_context(), db.engine.connect() as conn:
            _UNIT_ROWS.extend(dict(r._mapping) for r in conn.execute(select(Unit.__table__).order_by(Unit.path)))
    return _UNIT_ROWS


def _empty_and_reload(app) -> None:
    """Empty every table and put the province's units back: DELETE is much quicker than TRUNCATE on small tables."""
    rows = _unit_rows(app)
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            conn.execute(Unit.__table__.update().values(created_by_id=None))  # the one key the sort leaves out
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
            conn.execute(Unit.__table__.insert(), rows)
        db.session.remove()


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture
def app(backend, request, tmp_path, monkeypatch):
    monkeypatch.setenv("SOTAY_INSTANCE_PATH", str(tmp_path / "instance"))
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "test.db"
        shutil.copy(template, path)
        uri = f"sqlite:///{path}"
    else:
        uri = request.getfixturevalue("postgres_ready")
    application = create_app(base_config(uri, tmp_path))
    if backend == "postgresql":
        _unit_rows(application)  # taken before the first test adds anything
    yield application
    if backend == "postgresql":
        _empty_and_reload(application)
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


_INPUT = re.compile(r"<input\b[^>]*>", re.I)
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')


def hidden_fields(html: str) -> dict:
    """The hidden inputs of a page (csrf_token, client_id, ...), as a browser would send them."""
    fields = {}
    for tag in _INPUT.findall(html):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get("type") == "hidden" and "name" in attrs:
            fields.setdefault(attrs["name"], attrs.get("value", ""))
    return {k: _unescape(v) for k, v in fields.items()}


def _unescape(value: str) -> str:
    return html.unescape(value)


class Client(FlaskClient):
    def submit(self, url: str, data: dict | None = None, *, action: str | None = None, **kwargs):
        """Open the form at `url`, fill it with `data` and post it, keeping the page's hidden fields."""
        page = self.get(url)
        assert page.status_code == 200, f"{url} answered {page.status_code}"
        fields = hidden_fields(page.get_data(as_text=True))
        fields.update(data or {})
        return self.post(action or url, data=fields, **kwargs)

    def csrf_token(self) -> str:
        page = self.get("/account") if self.get("/login").status_code == 302 else self.get("/login")
        return hidden_fields(page.get_data(as_text=True))["csrf_token"]

    def login(self, username: str, password: str = PASSWORD, **kwargs):
        return self.submit("/login", {"identifier": username, "password": password, **kwargs})

    def logout(self):
        return self.post("/logout", data={"csrf_token": self.csrf_token()})


@pytest.fixture
def client(app) -> Client:
    app.test_client_class = Client
    return app.test_client()


@pytest.fixture
def new_client(app):
    """Another browser (another phone), with its own cookies."""

    def make() -> Client:
        app.test_client_class = Client
        return app.test_client()

    return make


@dataclass
class Place:
    id: int
    name: str
    path: str


def _place(unit) -> Place:
    return Place(unit.id, unit.name, unit.path)


@pytest.fixture
def places(app):
    """Two communes (A: Mường Khương, B: Bắc Hà) with a village each, and the province."""
    with app.app_context():
        province = db.session.scalar(select(Unit).where(Unit.level == "province"))
        a = db.session.scalar(select(Unit).where(Unit.code == "02761"))
        b = db.session.scalar(select(Unit).where(Unit.code == "02839"))
        va, vb = new_village(a, "Thôn Lùng Cẩu"), new_village(b, "Bản Phố")
        db.session.add_all([va, vb])
        db.session.commit()
        return {"province": _place(province), "A": _place(a), "B": _place(b), "village_A": _place(va),
                "village_B": _place(vb)}


@dataclass
class Person:
    id: int
    username: str
    role: str
    unit_id: int
    full_name: str
    password: str = PASSWORD


@pytest.fixture
def make_user(app):
    """A factory: make_user("officer", unit_id) -> a saved user whose password is PASSWORD."""
    counter = iter(range(1, 10_000))

    def make(role: str, unit_id: int, username: str | None = None, full_name: str | None = None,
             phone: str | None = None, active: bool = True) -> Person:
        n = next(counter)
        with app.app_context():
            user = User(username=username or f"{role}{n}", full_name=full_name or f"Người Thử {role.title()} {n}",
                        role=role, unit_id=unit_id, phone=phone, active=active)
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.commit()
            return Person(user.id, user.username, role, unit_id, user.full_name)

    return make


@pytest.fixture
def users(places, make_user):
    """Users of every role: admin and viewer of the province, officer and collectors of communes A and B."""
    return {
        "admin": make_user("admin", places["province"].id, "quantri"),
        "viewer": make_user("viewer", places["province"].id, "lanhdao"),
        "officer_A": make_user("officer", places["A"].id, "canbo.a", "Lý Thị Mai", phone="0912345678"),
        "officer_B": make_user("officer", places["B"].id, "canbo.b"),
        "collector_A": make_user("collector", places["A"].id, "thuthap.a"),
        "village_head_A": make_user("collector", places["village_A"].id, "truongthon.a"),
        "collector_B": make_user("collector", places["B"].id, "thuthap.b"),
    }


@pytest.fixture
def login_as(client, users):
    """Sign the client in as one of `users` by its key."""

    def login(key: str) -> Client:
        response = client.login(users[key].username)
        assert response.status_code == 303, response.get_data(as_text=True)
        return client

    return login


@pytest.fixture
def count(app):
    """count(Model, **filters) -> how many rows, read straight from the database."""

    def do(model, **filters) -> int:
        with app.app_context():
            stmt = select(func.count()).select_from(model).filter_by(**filters)
            return db.session.scalar(stmt)

    return do


@pytest.fixture
def this_years_plan(app, places, users):
    """The 2023 plan copied to this year, so that an activity can be logged today; returns the copy's id."""
    with app.app_context():
        plan, _ = load_plan_2023(db.session.get(Unit, places["province"].id))
        current = copy_plan(plan, clock.today().year, db.session.get(User, users["admin"].id))
        db.session.add(current)
        db.session.commit()
        return current.id


@pytest.fixture
def vietnam_time(monkeypatch):
    """Set the app's one clock (webapp/core/clock.py) to a moment, given as Vietnam's wall time:
    `vietnam_time(2023, 5, 8, 9, 0)`. Every "today" and "now" of the app follows it."""

    def set_to(*parts):
        moment = datetime(*parts, tzinfo=clock.LOCAL_TZ)
        monkeypatch.setattr(clock, "now", lambda: moment.astimezone(clock.UTC))
        return moment

    return set_to


# --- Factories of records, built by the features' own services as their forms build them ------------------------

def _user(request, key: str | None):
    """The saved User of `users[key]` (None for no author)."""
    return db.session.get(User, request.getfixturevalue("users")[key].id) if key else None


@pytest.fixture
def make_child(app, places, request):
    """A factory: make_child("Giàng Thị Mai", "village_A", birth_year=2014, sex="F", by="officer_A", **fields) -> the
    id of a child of the register, made by `children.services.build_child` as every form that adds a child makes it
    (the name cleaned and folded for search, the commune from the village); `groups` sets the Điều 10 groups;
    `fields` are the form's other fields (birth_date, ethnicity, guardian_name, consent_by, consent_on…)."""

    def make(name: str, village: str = "village_A", *, birth_year: int = 2014, sex: str = "F", groups=(),
             by: str | None = None, **fields) -> int:
        with app.app_context():
            data = {"full_name": name, "birth_year": birth_year, "sex": sex, "special_groups": list(groups),
                    **fields}
            child = build_child(data, db.session.get(Unit, places[village].id), may_set_groups=bool(groups))
            author = _user(request, by)
            child.client_id, child.created_by_id = new_client_id(), author.id if author else None
            db.session.add(child)
            db.session.commit()
            return child.id

    return make


@pytest.fixture
def make_forum(app, places, request):
    """A factory: make_forum("A", day, level="commune", by="officer_A") -> the id of a forum held by that unit, saved
    once and audited by `core.idempotent.create_once` as the forum's page saves it."""

    def make(unit: str = "A", day=None, *, level: str = "commune", place: str = "Nhà văn hoá",
             theme: str = "Trẻ em nói, người lớn nghe", by: str = "officer_A") -> int:
        day = day or clock.today() + timedelta(days=10)
        with app.app_context():
            forum, _created = idempotent.create_once(
                Forum, new_client_id(), _user(request, by),
                lambda: Forum(unit_id=places[unit].id, level=level, date=day, place=place, theme=theme))
            return forum.id

    return make


@pytest.fixture
def make_distribution(app, places, request):
    """A factory: make_distribution([child ids], "village_A", occasion="tet", year=2025, by="officer_A", **columns)
    -> the id of a distribution saved by `core.idempotent.create_once` with its receipts added by
    `gifts.services.add_recipients` (a second receipt of the round is flagged), as the gifts form saves it."""

    def make(children=(), village: str = "village_A", *, occasion: str = "tet", year: int = 2025,
             kind: str = "in_kind", value_each: int = 100_000, item: str = "Bánh chưng", source: str = "budget",
             given_on: date | None = None, by: str = "officer_A", **columns) -> int:
        with app.app_context():
            unit, author = db.session.get(Unit, places[village].id), _user(request, by)
            distribution, _created = idempotent.create_once(
                Distribution, new_client_id(), author,
                lambda: Distribution(unit_id=unit.id, commune_id=unit.parent_id, occasion=occasion, year=year,
                                     kind=kind, value_each=value_each, item=item, source=source,
                                     given_on=given_on or date(year, 1, 15), **columns))
            add_recipients(distribution, [db.session.get(Child, i) for i in children], author)
            return distribution.id

    return make
