"""Fill a database with a province's worth of data: Lào Cai's communes with their villages, about 2,000 users,
250,000 children and 1,000,000 activity, attendance, distribution and lesson records.

    python bench/generate.py --database-url sqlite:////tmp/sotay-province.db
    python bench/generate.py --database-url postgresql://postgres@127.0.0.1/sotay_province --scale 0.1

The database is created or upgraded with the app's migrations and must hold no records yet (the province's units
are loaded if missing). Rows go in with bulk inserts (COPY on PostgreSQL); ids are given here, so every foreign key
is known without reading back. Every user's password is `bench-password`; the usernames are printed at the end
(`bench/load.py` signs in as them). Nobody in these data is a real person.
"""

import argparse
import itertools
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSWORD = "bench-password"
VILLAGES_PER_COMMUNE = 15

# Common family and given names in Lào Cai's villages (Mông, Dao, Tày, Giáy, Nùng, Kinh), written as people write
# them; combined at random they give the spread of names (and of near-duplicates) that a real register has.
FAMILY = ("Giàng", "Vàng", "Sùng", "Thào", "Lù", "Ly", "Hầu", "Má", "Lồ", "Tẩn", "Chảo", "Phàn", "Lý", "Hoàng",
          "Nguyễn", "Trần", "Lê", "Phạm", "Đặng", "Lò", "Nông", "La", "Vi", "Hà")
MIDDLE = ("Seo", "A", "Thị", "Văn", "Mí", "Láo", "Chá", "Thị Thu", "Văn Minh", "Ngọc", "Đức", "")
GIVEN = ("Páo", "Chứ", "Mỷ", "Sử", "Hương", "Lử", "Dình", "Chúng", "Pà", "Dế", "Súa", "Say", "Lan", "Hoa", "Mai",
         "Tuấn", "Hùng", "Linh", "Ngân", "Dung", "Thắng", "Phương", "Quyên", "Khánh", "Thủy", "Sang", "Cở", "Vả")
ETHNICITIES = ("08",) * 5 + ("09",) * 3 + ("02",) * 2 + ("01",) * 2 + ("07", "29", "15", "44")
ACTIVITY_KINDS = ("communication", "training", "month_of_action", "forum", "support_model", "child_friendly",
                  "recreation", "violence_prevention", "injury_prevention", "child_labour", "fundraising", "inspection")
FUNDING = ("national_programme", "provincial_budget", "local_budget", "donations")
CHANNELS = ("community_talk", "school_talk", "loudspeaker", "online")
PARTICIPANT_ROLES = ("collaborator", "volunteer", "village_head", "parent", "teacher", "officer")
OCCASIONS = ("tet", "children_day", "mid_autumn", "excellent_pupils", "action_month")


@dataclass
class Scale:
    """How many of each. At scale 1: 250,000 children; 1,002,000 records (activities 420,000, activity attendance
    150,000, distributions 6,000 with 200,000 receipts, swim courses 2,000 with 16,000 lessons and 180,000
    attendances, donations 20,000, spending 8,000); 2,000 users."""

    factor: float = 1.0
    counts: dict = field(default_factory=dict)

    def __post_init__(self):
        base = {"users": 2_000, "children": 250_000, "activities": 420_000, "participants": 150_000,
                "distributions": 6_000, "receipts": 200_000, "courses": 2_000, "lessons_per_course": 8,
                "attendance": 180_000, "donations": 20_000, "spending": 8_000}
        self.counts = {k: (v if k == "lessons_per_course" else max(1, int(v * self.factor))) for k, v in base.items()}

    def __getitem__(self, key):
        return self.counts[key]


class Writer:
    """Bulk inserts: COPY on PostgreSQL, executemany on SQLite; counts what it wrote."""

    def __init__(self, db):
        self.db = db
        self.postgres = db.engine.dialect.name == "postgresql"
        self.written: dict[str, int] = {}

    def rows(self, table_name: str, rows, chunk: int = 20_000) -> None:
        table = self.db.metadata.tables[table_name]
        batch_iter = iter(rows)
        while batch := list(itertools.islice(batch_iter, chunk)):
            columns = list(batch[0])
            if self.postgres:
                raw = self.db.session.connection().connection.driver_connection
                with raw.cursor() as cur, cur.copy(
                        f'COPY {table_name} ({", ".join(f"{c}" for c in columns)}) FROM STDIN') as copy:
                    for row in batch:
                        copy.write_row([row[c] for c in columns])
            else:
                self.db.session.execute(table.insert(), batch)
            self.written[table_name] = self.written.get(table_name, 0) + len(batch)
        self.db.session.commit()


def generate(app, factor: float = 1.0, seed: int = 2023, say=print) -> dict:
    """Fill the app's (empty) database; returns facts the benchmarks use (ids, usernames, counts)."""
    from sqlalchemy import func, select
    from werkzeug.security import generate_password_hash

    from webapp.accounts.models import User
    from webapp.core.models import new_client_id, utcnow
    from webapp.core.text import fold
    from webapp.extensions import db
    from webapp.geo.models import Unit
    from webapp.geo.services import load_province, new_village
    from webapp.plans.services import copy_plan, load_plan_2023

    rnd = random.Random(seed)
    scale = Scale(factor)
    started = time.perf_counter()
    with app.app_context():
        if db.session.scalar(select(func.count()).select_from(User)):
            raise SystemExit("The database already holds users: generate into an empty database.")
        province, _ = load_province(app.config["SOTAY_PROVINCE"])
        plan, _ = load_plan_2023(province)
        communes = db.session.scalars(select(Unit).where(Unit.level == "commune").order_by(Unit.id)).all()
        for commune in communes:
            existing = {u.search_name for u in db.session.scalars(select(Unit).where(Unit.parent_id == commune.id))}
            for i in range(VILLAGES_PER_COMMUNE):
                if fold(f"Thôn {i + 1}") not in existing:
                    db.session.add(new_village(commune, f"Thôn {i + 1}"))
        db.session.commit()
        villages = db.session.execute(select(Unit.id, Unit.parent_id).where(Unit.level == "village")).all()
        commune_ids = [c.id for c in communes]
        villages_of: dict[int, list[int]] = {}
        for village_id, commune_id in villages:
            villages_of.setdefault(commune_id, []).append(village_id)
        village_ids = [v for v, _ in villages]
        commune_of = dict(villages)
        now = utcnow()
        w = Writer(db)

        def stamp(row: dict) -> dict:
            row.update(client_id=new_client_id(), created_at=now, updated_at=now, version=1)
            return row

        # Users: an admin and two viewers at the province; per commune an officer and a few collectors; the rest
        # village heads and volunteers in villages. One hash for all: signing in costs the same as in production.
        password_hash = generate_password_hash(PASSWORD, method=app.config["PASSWORD_HASH_METHOD"])
        users, usernames = [], {"admin": [], "viewer": [], "officer": [], "collector": []}

        def user(role: str, unit_id: int, username: str) -> int:
            uid = len(users) + 1
            users.append(stamp({"id": uid, "username": username, "full_name": f"Người dùng {uid}",
                                "password_hash": password_hash, "role": role, "unit_id": unit_id, "active": True,
                                "session_token": new_client_id().replace("-", ""), "failed_logins": 0}))
            usernames[role].append(username)
            return uid

        user("admin", province.id, "bench.admin")
        for i in range(2):
            user("viewer", province.id, f"bench.viewer{i + 1}")
        for commune_id in commune_ids:
            user("officer", commune_id, f"bench.officer{commune_id}")
            for i in range(3):
                user("collector", commune_id, f"bench.collector{commune_id}.{i + 1}")
        village_cycle = itertools.cycle(village_ids)
        while len(users) < scale["users"]:
            user("collector", next(village_cycle), f"bench.village{len(users) + 1}")
        w.rows("users", users)
        creator_in = {}  # a user of each commune, who "made" its records
        for row in users:
            creator_in.setdefault(commune_of.get(row["unit_id"], row["unit_id"]), row["id"])
        say(f"  users {len(users):,}")
        # This year's plan, copied from 2023's as a province does each year, so that records made today count.
        this_year = date.today().year
        if this_year != plan.year:
            db.session.add(copy_plan(plan, this_year, db.session.get(User, 1)))
            db.session.commit()

        # Children: spread over the villages; a birth date for most, the year only for some; 0–15 years old in 2023.
        def children():
            for cid in range(1, scale["children"] + 1):
                village = rnd.choice(village_ids)
                name = " ".join(p for p in (rnd.choice(FAMILY), rnd.choice(MIDDLE), rnd.choice(GIVEN)) if p)
                born = date(2008, 1, 1) + timedelta(days=rnd.randrange(16 * 365))
                yield stamp({"id": cid, "full_name": name, "search_name": fold(name),
                             "birth_date": born if cid % 5 else None, "birth_year": born.year,
                             "sex": "F" if cid % 2 else "M", "ethnicity": rnd.choice(ETHNICITIES),
                             "unit_id": village, "commune_id": commune_of[village],
                             "guardian_name": f"Phụ huynh {cid}", "special_groups": "" if cid % 40 else "a",
                             "created_by_id": creator_in.get(commune_of[village])})

        child_village: list[int] = [0]  # child id -> village id, for recipients and enrolments
        children_by_village: dict[int, list[int]] = {}

        def remember(rows):
            for row in rows:
                child_village.append(row["unit_id"])
                children_by_village.setdefault(row["unit_id"], []).append(row["id"])
                yield row

        w.rows("children", remember(children()))
        say(f"  children {w.written['children']:,}")

        # Activities of the 2023 plan, with materials for talks and named attendance for trainings.
        year_start = date(2023, 1, 1)
        units_for_activities = village_ids + commune_ids

        def activities():
            for aid in range(1, scale["activities"] + 1):
                kind = ACTIVITY_KINDS[aid % len(ACTIVITY_KINDS)]
                unit = rnd.choice(units_for_activities)
                row = {"id": aid, "kind": kind, "plan_id": plan.id,
                       "date": year_start + timedelta(days=rnd.randrange(365)), "unit_id": unit,
                       "status": ("submitted", "approved", "approved", "draft")[aid % 4],
                       "outside_plan_year": False, "audience_total": rnd.randrange(10, 200),
                       "funding_source": FUNDING[aid % 4], "amount_spent": rnd.randrange(0, 5_000_000, 1000),
                       "created_by_id": creator_in.get(commune_of.get(unit, unit)),
                       "channel": None, "level": None, "assessment_total": None, "assessment_met": None,
                       "money_raised": None, "gifts_count": None}
                if kind == "communication":
                    row["channel"] = rnd.choice(CHANNELS)
                if kind in ("month_of_action", "forum"):
                    row["level"] = "commune"
                if kind == "child_friendly":
                    row["assessment_total"] = rnd.randrange(600, 1000)
                    row["assessment_met"] = row["assessment_total"] >= 850
                if kind in ("fundraising", "recreation"):
                    row["money_raised"] = rnd.randrange(0, 20_000_000, 1000)
                    row["gifts_count"] = rnd.randrange(0, 50)
                yield stamp(row)

        w.rows("activities", activities())
        n_act = scale["activities"]
        w.rows("activity_materials", ({"activity_id": aid, "kind": "leaflet", "quantity": rnd.randrange(1, 300)}
                                      for aid in range(1, n_act + 1) if aid % len(ACTIVITY_KINDS) == 0))
        training_ids = [aid for aid in range(1, n_act + 1) if aid % len(ACTIVITY_KINDS) == 1]
        w.rows("activity_participants", ({"id": pid, "activity_id": training_ids[pid % len(training_ids)],
                                          "position": pid % 30, "name": f"Học viên {pid}",
                                          "role": rnd.choice(PARTICIPANT_ROLES), "village_id": rnd.choice(village_ids)}
                                         for pid in range(1, scale["participants"] + 1)))
        say(f"  activities {n_act:,}, materials {w.written['activity_materials']:,}, "
            f"attendance {w.written['activity_participants']:,}")

        # Distributions: each to children of one village, in rounds (occasion, year); a few second receipts.
        dist_rows, receipt_rows = [], []
        per_dist = max(1, scale["receipts"] // scale["distributions"])
        received: set[tuple[int, str, int]] = set()
        rid = 0
        for did in range(1, scale["distributions"] + 1):
            village = rnd.choice(village_ids)
            occasion, year = OCCASIONS[did % len(OCCASIONS)], 2023
            dist_rows.append(stamp({
                "id": did, "unit_id": village, "commune_id": commune_of[village], "occasion": occasion,
                "year": year, "kind": ("in_kind", "cash", "scholarship")[did % 3],
                "value_each": 100_000 + did % 5 * 50_000, "item": "Quà", "source": ("fund", "budget", "donor")[did % 3],
                "source_unit_id": commune_of[village],
                "donor_name": None, "given_on": date(2023, 1, 15) + timedelta(days=did % 300), "place": "Nhà văn hoá",
                "giver": "Cán bộ xã", "group_count": 0 if did % 10 else 50,
                "created_by_id": creator_in.get(commune_of[village])}))
            pool = children_by_village.get(village) or [1]
            for child in rnd.sample(pool, min(per_dist, len(pool))):
                rid += 1
                first = (child, occasion, year) not in received
                received.add((child, occasion, year))
                receipt_rows.append({"id": rid, "distribution_id": did, "child_id": child, "occasion": occasion,
                                     "year": year, "first_in_round": True if first else None, "flagged": not first,
                                     "created_at": now})
        w.rows("distributions", dist_rows)
        w.rows("gift_receipts", receipt_rows)
        say(f"  distributions {len(dist_rows):,}, receipts {len(receipt_rows):,}")

        # Swim: courses in communes, 8 lessons each, attendance of the enrolled children of the commune's villages.
        course_rows, lesson_rows, enrol_rows, attend_rows = [], [], [], []
        per_course = max(1, scale["attendance"] // (scale["courses"] * scale["lessons_per_course"]))
        lesson_id = enrol_id = 0
        for course_id in range(1, scale["courses"] + 1):
            commune = commune_ids[course_id % len(commune_ids)]
            start = date(2023, 5, 15) + timedelta(days=course_id % 60)
            course_rows.append(stamp({"id": course_id, "unit_id": commune, "name": f"Lớp bơi {course_id}",
                                      "place_kind": "pool", "place_name": "Bể bơi di động", "start_date": start,
                                      "lesson_count": scale["lessons_per_course"], "lesson_minutes": 45,
                                      "test_definition": "Bơi 25 m", "created_by_id": creator_in.get(commune)}))
            pool = [c for v in villages_of[commune][:3] for c in children_by_village.get(v, [])]
            enrolled = rnd.sample(pool, min(per_course, len(pool)))
            for child in enrolled:
                enrol_id += 1
                enrol_rows.append(stamp({"id": enrol_id, "course_id": course_id, "child_id": child, "unit_id": commune,
                                         "passed": rnd.random() < 0.6}))
            for number in range(1, scale["lessons_per_course"] + 1):
                lesson_id += 1
                lesson_rows.append({"id": lesson_id, "course_id": course_id, "number": number,
                                    "date": start + timedelta(days=number), "unit_id": commune,
                                    "created_at": now, "updated_at": now})
                attend_rows.extend({"lesson_id": lesson_id, "child_id": c} for c in enrolled)
        w.rows("swim_courses", course_rows)
        w.rows("swim_lessons", lesson_rows)
        w.rows("swim_enrolments", enrol_rows)
        w.rows("swim_attendance", attend_rows)
        say(f"  swim courses {len(course_rows):,}, lessons {len(lesson_rows):,}, attendance {len(attend_rows):,}")

        # The fund: donations to communes' and the province's funds, and spending.
        fund_units = commune_ids + [province.id]
        w.rows("fund_donations", (stamp({
            "id": i, "unit_id": rnd.choice(fund_units), "donor_name": f"Nhà hảo tâm {i % 3000}",
            "donor_key": fold(f"Nhà hảo tâm {i % 3000}"), "donor_kind": ("person", "organisation")[i % 2],
            "form": ("cash", "in_kind")[i % 4 == 0], "item": None, "value": rnd.randrange(100_000, 50_000_000, 1000),
            "status": ("received", "pledged")[i % 7 == 0], "given_on": year_start + timedelta(days=i % 365),
            "receipt_no": f"BL-{i}"}) for i in range(1, scale["donations"] + 1)))
        w.rows("fund_spending", (stamp({
            "id": i, "unit_id": rnd.choice(fund_units), "spent_on": year_start + timedelta(days=i % 365),
            "amount": rnd.randrange(100_000, 10_000_000, 1000), "purpose": "Quà cho trẻ em"})
            for i in range(1, scale["spending"] + 1)))
        say(f"  donations {w.written['fund_donations']:,}, spending {w.written['fund_spending']:,}")

        _after_bulk_load(db)
        records = sum(w.written.get(t, 0) for t in (
            "activities", "activity_participants", "activity_materials", "distributions", "gift_receipts",
            "swim_courses", "swim_lessons", "swim_enrolments", "swim_attendance", "fund_donations", "fund_spending"))
        facts = {"province": province.id, "plan": plan.id, "periods": [p.id for p in plan.periods],
                 "communes": len(commune_ids), "villages": len(village_ids), "users": len(users),
                 "children": w.written["children"], "records": records, "usernames": usernames,
                 "seconds": time.perf_counter() - started}
    return facts


def _after_bulk_load(db) -> None:
    """Move PostgreSQL's sequences past the ids given here, and refresh both databases' statistics (and
    PostgreSQL's visibility map, as autovacuum would soon after a real load, so that counts can use the indexes),
    after filling the activities' monthly summary (the bulk inserts bypassed the session that keeps it)."""
    from webapp.activities.totals import rebuild

    rebuild()
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if db.engine.dialect.name == "postgresql":
            for table in db.metadata.sorted_tables:
                pk = list(table.primary_key.columns)
                if len(pk) == 1 and pk[0].autoincrement in (True, "auto") and pk[0].type.python_type is int:
                    conn.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                        f"COALESCE((SELECT max({pk[0].name}) FROM {table.name}), 0) + 1, false)")
        conn.exec_driver_sql("VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE")


def make_app(database_url: str):
    """The app on `database_url`, upgraded to the latest migration."""
    from flask_migrate import upgrade

    from webapp import create_app

    os.environ.setdefault("SOTAY_INSTANCE_PATH", tempfile.mkdtemp(prefix="sotay-generate-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade()
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = a province (default); 0.1 = a tenth")
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args()
    app = make_app(args.database_url)
    backend = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    print(f"Generating into {backend} at scale {args.scale}:")
    facts = generate(app, args.scale, args.seed)
    print(f"{facts['children']:,} children, {facts['records']:,} records, {facts['users']:,} users over "
          f"{facts['communes']} communes and {facts['villages']:,} villages in {facts['seconds']:.0f} s")
    print(f"Sign in as bench.admin, bench.officer{{commune id}} or bench.collector{{commune id}}.1 "
          f"with the password {PASSWORD!r}.")


if __name__ == "__main__":
    main()
