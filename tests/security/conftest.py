"""A world for the security sweep, made once per module and database: communes A and B, users of every role, and
one record of every kind in each commune, made through the real forms with hostile text in every free-text field.
Commune B's text carries B_TAG, so that a commune-A user who gets any of it is caught; children's names carry
KID_TAG, so that a viewer who gets one is caught."""

import re
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import (
    BACKENDS,
    PASSWORD,
    Client,
    _empty_and_reload,
    _unit_rows,
    base_config,
    hidden_fields,
)
from tests.security.forms import PAYLOAD, fill_and_post, unescaped
from webapp import create_app
from webapp.core import clock
from webapp.extensions import db

A_TAG, B_TAG, PROVINCE_TAG, KID_TAG = "qzxamark", "qzxbmark", "qzxpmark", "kidnamez"
ROLES = ("anonymous", "viewer", "collector", "village_head", "officer", "admin")
ROLE_USER = {"viewer": "viewer", "collector": "collector_A", "village_head": "village_head_A",
             "officer": "officer_A", "admin": "admin"}
FORUM_DAY = clock.today() + timedelta(days=10)


def formula(tag: str) -> str:
    """Text a spreadsheet would run as a formula, put where exports carry it (a school, a venue)."""
    return f'=HYPERLINK("http://evil.example/","{tag}")'


def _id(response, pattern: str) -> int:
    location = response.headers.get("Location") or response.headers.get("HX-Redirect") or ""
    found = re.search(pattern, location)
    assert found, (pattern, response.status_code, location)
    return int(found.group(1))


@dataclass
class World:
    app: object
    backend: str
    places: dict
    users: dict  # key -> user id
    usernames: dict  # key -> username
    ids: dict = field(default_factory=dict)  # "A"/"B"/"P" -> {kind: id}
    escapes: list = field(default_factory=list)  # (where, raw strings) of every answer that carried one unescaped
    _clients: dict = field(default_factory=dict)

    def new_client(self) -> Client:
        self.app.test_client_class = Client
        return self.app.test_client()

    def client(self, key: str) -> Client:
        """A signed-in client for a user key of `users` ("officer_A"…) or a role of ROLES; kept for the module."""
        key = ROLE_USER.get(key, key)
        if key not in self._clients:
            client = self.new_client()
            if key != "anonymous":
                response = client.login(self.usernames[key])
                assert response.status_code == 303, response.get_data(as_text=True)
            self._clients[key] = client
        return self._clients[key]

    def check_escaped(self, response, where: str) -> None:
        raw = unescaped(response)
        if raw:
            self.escapes.append((where, raw))

    def counts(self) -> dict[str, int]:
        """Rows in every table but the audit log (a refused request may be audited)."""
        with self.app.app_context():
            result = {t.name: db.session.scalar(select(func.count()).select_from(t))
                      for t in db.metadata.sorted_tables if t.name != "audit_log"}
            db.session.remove()
            return result


USERNAMES = {"admin": "quantri", "viewer": "lanhdao", "officer_A": "canbo.a", "officer_B": "canbo.b",
             "collector_A": "thuthap.a", "village_head_A": "truongthon.a", "collector_B": "thuthap.b"}


def _make_users(app, places) -> dict:
    from webapp.accounts.models import User

    specs = {
        "admin": ("admin", "province", "quantri"), "viewer": ("viewer", "province", "lanhdao"),
        "officer_A": ("officer", "A", "canbo.a"), "officer_B": ("officer", "B", "canbo.b"),
        "collector_A": ("collector", "A", "thuthap.a"), "village_head_A": ("collector", "village_A", "truongthon.a"),
        "collector_B": ("collector", "B", "thuthap.b"),
    }
    made = {}
    with app.app_context():
        for key, (role, place, username) in specs.items():
            user = User(username=username, full_name=f"Người Thử {key}", role=role, unit_id=places[place],
                        active=True)
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.flush()
            made[key] = user.id
        db.session.commit()
    return made


def _setup_places_and_plans(app, users_out: dict) -> dict:
    from webapp.accounts.models import User
    from webapp.geo.models import Unit
    from webapp.geo.services import new_village
    from webapp.plans.services import copy_plan, load_plan_2023

    with app.app_context():
        province = db.session.scalar(select(Unit).where(Unit.level == "province"))
        a = db.session.scalar(select(Unit).where(Unit.code == "02761"))
        b = db.session.scalar(select(Unit).where(Unit.code == "02839"))
        va, vb = new_village(a, "Thôn Lùng Cẩu"), new_village(b, "Bản Phố")
        db.session.add_all([va, vb])
        db.session.commit()
        places = {"province": province.id, "A": a.id, "B": b.id, "village_A": va.id, "village_B": vb.id}
    users_out.update(_make_users(app, places))
    with app.app_context():
        plan, _ = load_plan_2023(db.session.get(Unit, places["province"]))
        current = copy_plan(plan, clock.today().year, db.session.get(User, users_out["admin"]))
        db.session.add(current)
        db.session.commit()
        places["plan"] = current.id
        places["half_year"] = next(p.id for p in current.periods if p.code == "half_year")
        places["target"] = current.targets[0].id
        places["quantity"] = current.quantities[0].id
    return places


def _seed_commune(world: World, x: str) -> dict:
    """One record of every kind in commune `x`, made through the forms by its officer (and collector)."""
    from tests.activities.test_activities_kinds import KIND_DATA
    from tests.forum_helpers import row_fields, tap
    from webapp.activities.models import KINDS

    tag = A_TAG if x == "A" else B_TAG
    p = world.places
    commune, village = p[x], p[f"village_{x}"]
    officer = world.client(f"officer_{x}")
    collector_key = f"collector_{x}"
    collector = world.client(collector_key)
    check = world.check_escaped
    ids: dict = {"unit": commune, "village": village, "user_collector": world.users[collector_key]}

    # Places: a village added, then renamed twice from the same version (the second edit is kept as a conflict).
    fill_and_post(officer, f"/places/{commune}/villages/new", {"kind": "thôn"}, tag=tag, check=check)
    page = officer.get(f"/places/{village}/edit").get_data(as_text=True)
    base = hidden_fields(page)
    for name in (f"Bản {tag} 1 {PAYLOAD}", f"Bản {tag} 2 {PAYLOAD}"):
        officer.post(f"/places/{village}/edit", data={**base, "name": name})
    with world.app.app_context():
        from webapp.core.edits import EditConflict

        ids["conflict"] = db.session.scalar(select(EditConflict.id).where(EditConflict.record_id == village))

    # A child of the village; a swim course and a forum in the commune.
    born = date(FORUM_DAY.year - 12, 1, 1).isoformat()
    child = fill_and_post(officer, "/children/new", {
        "full_name": f"{KID_TAG} {tag} {x} {'<b>&amp;</b>'}", "birth_date": born, "birth_year": "", "sex": "F",
        "ethnicity": "08", "village_id": str(village), "guardian_name": f"{KID_TAG} giám hộ {tag}",
        "school": formula(tag),
        "consent_by": f"{KID_TAG} giám hộ {tag}", "consent_relation": "mother", "consent_method": "paper",
        "consent_on": clock.today().isoformat(),
        "consent_child": "y", "not_duplicate": "y"}, tag=tag, check=check)
    ids["child"] = _id(child, r"/children/(\d+)$")

    # Activities: every kind in B, one in A (in the village, so that the village head sees it too).
    kinds = KINDS if x == "B" else ("communication",)
    for kind in kinds:
        data = dict(KIND_DATA[kind])
        if kind == "training":
            data["participants-0-name"] = f"{KID_TAG} {tag} người học"
        data["unit_id"] = str(village)
        data["venue"] = formula(tag)
        made = fill_and_post(collector, f"/activities/new/{kind}", data, tag=tag, check=check)
        ids.setdefault("activity", _id(made, r"/activities/(\d+)$"))

    # Gifts: a distribution to the child, with its receipt.
    year = clock.today().year
    gift = fill_and_post(officer, f"/gifts/new?village={village}&occasion=mid_autumn&year={year}", {
        "occasion": "mid_autumn", "year": str(year), "kind": "in_kind", "value_each": "150.000", "source": "fund",
        "given_on": clock.today().isoformat(), "group_count": "0", "children": [str(ids["child"])],
        "source_unit_id": str(commune)}, tag=tag, check=check)
    ids["distribution"] = _id(gift, r"/gifts/(\d+)$")

    # Fund: a target, a donation, a spending.
    fill_and_post(officer, f"/fund/?unit={commune}&year={year}", {"year": str(year), "amount": "1.000.000"},
                  action=f"/fund/target?unit={commune}", tag=tag, check=check)
    fill_and_post(officer, f"/fund/donations/new?unit={commune}", {
        "donor_kind": "organisation", "form": "cash", "value": "500.000", "status": "received",
        "given_on": clock.today().isoformat()}, tag=tag, check=check)
    fill_and_post(officer, f"/fund/spending/new?unit={commune}", {"amount": "40.000",
                                                                   "spent_on": clock.today().isoformat()},
                  tag=tag, check=check)

    # Forum: the forum, its training, the child as delegate with both consents, a check-in, a recommendation
    # followed up.
    forum = fill_and_post(officer, "/forum/new", {"level": "commune", "unit_id": str(commune),
                                                  "date": FORUM_DAY.isoformat()}, tag=tag, check=check)
    ids["forum"] = forum_id = _id(forum, r"/forum/(\d+)$")
    fill_and_post(officer, f"/forum/{forum_id}/training", {
        "start_date": clock.today().isoformat(), "end_date": clock.today().isoformat(), "facilitators": "2",
        "children": "10", "girls": "5"}, tag=tag, check=check)
    delegate = fill_and_post(officer, f"/forum/{forum_id}/delegates/add?child={ids['child']}",
                             {"role": "delegate"}, tag=tag, check=check)
    ids["delegate"] = _id(delegate, r"/forum/delegates/(\d+)$")
    for kind, relation in (("guardian", "father"), ("child", "self")):
        fill_and_post(officer, f"/forum/delegates/{ids['delegate']}", {
            "kind": kind, "relation": relation, "given_on": clock.today().isoformat(), "method": "in_person",
            "participate": "y", "recommendations": "y", "given_by": f"{KID_TAG} {tag} {kind}"},
            action=f"/forum/delegates/{ids['delegate']}/consents", tag=tag, check=check)
    from webapp.forum.models import Consent, Recommendation

    with world.app.app_context():
        ids["consent"] = db.session.scalar(select(func.max(Consent.id)).where(Consent.delegate_id == ids["delegate"]))
    tap(officer, forum_id, row_fields(officer, forum_id, ids["delegate"]))
    fill_and_post(officer, f"/forum/{forum_id}/recommendations/new", {"topic": "drowning", "agency_id": "0",
                                                                      "due_date": ""}, tag=tag, check=check)
    with world.app.app_context():
        ids["recommendation"] = db.session.scalar(select(Recommendation.id)
                                                  .where(Recommendation.forum_id == forum_id))
    fill_and_post(officer, f"/forum/recommendations/{ids['recommendation']}", {
        "status": "in_progress", "on": clock.today().isoformat(), "due_date": ""},
        action=f"/forum/recommendations/{ids['recommendation']}/updates", tag=tag, check=check)

    # Swim: a course taught by the collector, its programme, the child enrolled, one added at the water, a tap.
    course = fill_and_post(officer, "/swim/new", {
        "unit_id": str(commune), "place_kind": "water_point", "start_date": clock.today().isoformat(),
        "end_date": "", "teacher_ids": [str(world.users[collector_key])]}, tag=tag, check=check)
    ids["course"] = course_id = _id(course, r"/swim/(\d+)$")
    fill_and_post(officer, f"/swim/{course_id}/programme", {"lesson_count": "16", "lesson_minutes": "45",
                                                            "skills": f"Nổi {tag} {'<b>x</b>'}\nBơi 25 m"},
                  tag=tag, check=check)
    fill_and_post(officer, f"/swim/{course_id}/enrol", {"child_id": str(ids["child"])}, tag=tag, check=check,
                  expect=(200, 303))
    fill_and_post(officer, f"/swim/{course_id}/enrol", {
        "full_name": f"{KID_TAG} {tag} bơi", "sex": "M", "birth_year": str(year - 10),
        "village_id": str(village), "consent_relation": "mother", "consent_method": "enrolment",
        "consent_on": clock.today().isoformat(), "consent_child": "y"}, action=f"/swim/{course_id}/quick-add",
        tag=tag, check=check, expect=(200, 303))
    from tests.test_swim_courses import tap as swim_tap

    assert swim_tap(officer, course_id, 1, ids["child"], "present:1", day=clock.today().isoformat()).status_code \
        in (200, 303)

    # A report about the child (Báo tin về trẻ em) by the commune's collector, verified by the officer.
    fill_and_post(collector, "/concerns/new", {
        "village_id": str(village), "kind": "violence", "in_danger": "yes", "child_id": str(ids["child"]),
        "happened_on": clock.today().isoformat()}, tag=tag, check=check)
    from webapp.concerns.models import Concern

    with world.app.app_context():
        ids["concern"] = db.session.scalar(select(func.max(Concern.id)).where(Concern.unit_id == commune))
        db.session.remove()
    fill_and_post(officer, f"/concerns/{ids['concern']}/steps/refer", {"referred_to": "police"}, tag=tag,
                  check=check)

    # Reports: the commune's report written, and a value entered with its source.
    report_url = f"/reports/{p['half_year']}/units/{commune}"
    fill_and_post(officer, report_url, {}, tag=tag, check=check)
    board = officer.get(f"/reports/dashboard?period={p['half_year']}&unit={commune}").get_data(as_text=True)
    goal = re.search(r"/values/([^\"?]+)\"", board)
    assert goal, "no goal to enter a value for"
    ids["goal"] = goal.group(1)
    fill_and_post(officer, f"{report_url}/values/{ids['goal']}", {"value": "12"}, tag=tag, check=check)

    # The commune's children aged 6 to 15 from the population statistics, and its recognition as child-friendly.
    fill_and_post(officer, f"/reports/population/{commune}", {"children_6_15": "1.250"}, tag=tag, check=check)
    decided = clock.today() - timedelta(days=1)
    fill_and_post(world.client("admin"), "/reports/recognitions/new", {
        "unit_id": str(commune), "decided_on": decided.isoformat(), "valid_until": "",
        "deciding_level": "province" if decided >= date(2025, 7, 1) else "district"}, tag=tag, check=check)
    from webapp.reports.models import Recognition

    with world.app.app_context():
        ids["recognition"] = db.session.scalar(select(Recognition.id).where(Recognition.unit_id == commune))
        db.session.remove()

    # An account of the commune.
    made = fill_and_post(officer, "/users/new", {"username": f"nguoi.{x.lower()}", "role": "collector",
                                                 "unit_id": str(commune), "password": "mật-khẩu-đầu-1",
                                                 "phone": ""}, tag=tag, check=check)
    ids["user"] = _id(made, r"/users/(\d+)$")

    from webapp.fund.models import Donation
    from webapp.gifts.models import Receipt

    with world.app.app_context():
        ids["receipt"] = db.session.scalar(select(Receipt.id).where(Receipt.distribution_id == ids["distribution"]))
        ids["donation"] = db.session.scalar(select(Donation.id).where(Donation.unit_id == commune))
        db.session.remove()
    ids["period"], ids["plan"], ids["target"], ids["quantity"] = p["half_year"], p["plan"], p["target"], p["quantity"]
    assert all(v is not None for v in ids.values()), ids
    return ids


def _seed_province(world: World) -> dict:
    """What the province's administrator makes: an agency and a target of the plan."""
    admin = world.client("admin")
    check = world.check_escaped
    fill_and_post(admin, "/plans/agencies", {}, tag=PROVINCE_TAG, check=check)
    fill_and_post(admin, f"/plans/{world.places['plan']}/targets/new", {"figure": "90", "baseline": ""},
                  tag=PROVINCE_TAG, check=check)
    from webapp.plans.models import Agency

    with world.app.app_context():
        agency = db.session.scalar(select(func.max(Agency.id)))
        db.session.remove()
    return {"agency": agency}


def build_world(app, backend) -> World:
    users: dict = {}
    places = _setup_places_and_plans(app, users)
    world = World(app, backend, places, users, dict(USERNAMES))
    world.ids["P"] = _seed_province(world)
    world.ids["A"] = _seed_commune(world, "A")
    world.ids["B"] = _seed_commune(world, "B")
    return world


@pytest.fixture(scope="module", params=BACKENDS)
def world(request, tmp_path_factory):
    backend = request.param
    tmp = tmp_path_factory.mktemp(f"security-{backend}")
    patch = pytest.MonkeyPatch()
    patch.setenv("SOTAY_INSTANCE_PATH", str(tmp / "instance"))
    if backend == "sqlite":
        path = tmp / "test.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        uri = f"sqlite:///{path}"
    else:
        uri = request.getfixturevalue("postgres_ready")
    app = create_app(base_config(uri, tmp))
    if backend == "postgresql":
        _unit_rows(app)
    try:
        yield build_world(app, backend)
    finally:
        if backend == "postgresql":
            _empty_and_reload(app)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        patch.undo()
