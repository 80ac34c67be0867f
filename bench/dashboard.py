"""Time the province dashboard and a province report over a province-sized set of activities.

    python bench/dashboard.py                                   # SQLite in a temporary folder
    python bench/dashboard.py --database-url postgresql://postgres@127.0.0.1/sotay_bench --activities 1000000

Makes Lào Cai's communes, 15 villages each and N activities of the 2023 plan spread over them (bulk inserts),
then asks the app, through its test client as the province's admin, for the dashboard, the report page and the
report's DOCX and XLSX, times an officer logging one activity (the POST that saves it), and prints the median and
best of several runs. The bulk inserts bypass the session that keeps the activities' monthly summary, so `build`
fills it once with `rebuild()`. The database is emptied first, unless
`--reuse` is given and it already holds the activities (generating 1,000,000 takes a while: keep the SQLite file
with `--sqlite-file` and time it again with `--reuse`; migrations are applied to it first).

    python bench/dashboard.py --activities 1000000 --sqlite-file /tmp/sotay-1m.db --reuse
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

KINDS = ("communication", "training", "month_of_action", "forum", "support_model", "child_friendly", "recreation",
         "violence_prevention", "injury_prevention", "child_labour", "fundraising", "inspection")
SOURCES = ("national_programme", "provincial_budget", "local_budget", "donations")


def build(app, n_activities: int, villages_per_commune: int, seed: int = 2023) -> dict:
    from sqlalchemy import insert, select

    from webapp.accounts.models import User
    from webapp.activities.models import Activity, ActivityMaterial
    from webapp.activities.totals import rebuild
    from webapp.core.models import new_client_id, utcnow
    from webapp.extensions import db
    from webapp.geo.models import Unit
    from webapp.geo.services import load_province, new_village
    from webapp.plans.services import load_plan_2023

    rnd = random.Random(seed)
    with app.app_context():
        province, _ = load_province(15)
        plan, _ = load_plan_2023(province)
        communes = db.session.scalars(select(Unit).where(Unit.level == "commune")).all()
        for commune in communes:
            for i in range(villages_per_commune):
                db.session.add(new_village(commune, f"Thôn Thử {i + 1}"))
        admin = User(username="bench", full_name="Bench", role="admin", unit_id=province.id)
        admin.set_password("bench-password")
        db.session.add(admin)
        db.session.commit()
        units = [u for u in db.session.scalars(select(Unit.id).where(Unit.level.in_(("commune", "village"))))]
        start, days = date(2023, 1, 1), 365
        now = utcnow()
        t0 = time.perf_counter()
        chunk = 20_000
        for first in range(0, n_activities, chunk):
            rows, materials = [], []
            for i in range(first, min(first + chunk, n_activities)):
                kind = KINDS[i % len(KINDS)]
                row = {"id": i + 1, "kind": kind, "plan_id": plan.id, "date": start + timedelta(rnd.randrange(days)),
                       "unit_id": rnd.choice(units), "status": "submitted" if i % 10 else "approved",
                       "outside_plan_year": False, "client_id": new_client_id(), "created_at": now,
                       "updated_at": now, "audience_total": rnd.randrange(10, 200),
                       "funding_source": SOURCES[i % 4], "amount_spent": rnd.randrange(0, 5_000_000, 1000)}
                if kind == "communication":
                    row["channel"] = rnd.choice(("community_talk", "school_talk", "loudspeaker", "online"))
                    materials.append({"activity_id": i + 1, "kind": "leaflet", "quantity": rnd.randrange(1, 300)})
                if kind in ("month_of_action", "forum"):
                    row["level"] = rnd.choice(("province", "district", "commune"))
                if kind == "child_friendly":
                    row["assessment_total"] = rnd.randrange(600, 1000)
                    row["assessment_met"] = row["assessment_total"] >= 850
                if kind in ("fundraising", "recreation"):
                    row["money_raised"] = rnd.randrange(0, 20_000_000, 1000)
                    row["gifts_count"] = rnd.randrange(0, 50)
                rows.append(row)
            db.session.execute(insert(Activity), rows)
            if materials:
                db.session.execute(insert(ActivityMaterial), materials)
            db.session.commit()
        rebuild()  # the bulk inserts bypassed the session: fill the monthly summary once
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                conn.exec_driver_sql("SELECT setval('activities_id_seq', (SELECT max(id) FROM activities))")
                conn.commit()
            # VACUUM as autovacuum would after a bulk load: index-only scans need the visibility map.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        else:
            with db.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
        return {"province": province.id, "half": plan.periods[0].id, "annual": plan.periods[-1].id,
                "units": len(units), "insert_seconds": time.perf_counter() - t0}


def existing(app) -> dict | None:
    """The facts of a database built earlier by `build`, or None when it holds no activities."""
    from sqlalchemy import func, select

    from webapp.activities.models import Activity
    from webapp.extensions import db
    from webapp.geo.models import Unit
    from webapp.plans.models import Plan

    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(Activity))
        if not n:
            return None
        province = db.session.scalar(select(Unit).where(Unit.level == "province"))
        plan = db.session.scalar(select(Plan).where(Plan.year == 2023))
        units = db.session.scalar(select(func.count()).select_from(Unit).where(Unit.level.in_(("commune", "village"))))
        return {"province": province.id, "half": plan.periods[0].id, "annual": plan.periods[-1].id, "units": units,
                "activities": n, "insert_seconds": None}


def timed(client, url: str, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), min(times)


def officer(app) -> str:
    """The username of an officer of the first commune (made once), who logs the activities timed below."""
    from sqlalchemy import select

    from webapp.accounts.models import User
    from webapp.extensions import db
    from webapp.geo.models import Unit

    with app.app_context():
        if db.session.scalar(select(User).where(User.username == "bench-officer")) is None:
            commune = db.session.scalar(select(Unit).where(Unit.level == "commune").order_by(Unit.id))
            user = User(username="bench-officer", full_name="Bench Officer", role="officer", unit_id=commune.id)
            user.set_password("bench-password")
            db.session.add(user)
            db.session.commit()
    return "bench-officer"


def timed_writes(app, runs: int) -> tuple[float, float]:
    """Log one school talk through the form as an officer, `runs` times: the time of the POST (saving it)."""
    from sqlalchemy import select

    from tests.activities.conftest import read_form
    from webapp.extensions import db
    from webapp.plans.models import Plan

    with app.app_context():
        plan_id = db.session.scalar(select(Plan.id).where(Plan.year == 2023))
    client = app.test_client()
    client.post("/login", data={"identifier": officer(app), "password": "bench-password"})
    times = []
    for i in range(runs):
        action, fields = read_form(client.get("/activities/new/communication").get_data(as_text=True))
        fields.update(plan_id=str(plan_id), date=f"2023-05-{10 + i % 15}", channel="school_talk",
                      topics=["violence_abuse"], children="30", audience_total="30", amount_spent="150000",
                      funding_source="local_budget")
        t0 = time.perf_counter()
        response = client.post(action, data=fields)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 303, response.status_code
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--villages", type=int, default=15, help="villages per commune")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sqlite-file", default=None, help="keep the SQLite database in this file")
    parser.add_argument("--reuse", action="store_true", help="time the database as it is if it holds activities")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="sotay-bench-")
    os.environ["SOTAY_INSTANCE_PATH"] = tmp
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.extensions import db

    sqlite_file = Path(args.sqlite_file).resolve() if args.sqlite_file else Path(tmp) / "bench.db"
    url = args.database_url or f"sqlite:///{sqlite_file}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    facts = None
    if args.reuse:
        with app.app_context():
            upgrade()
        facts = existing(app)
    if facts is None:
        if url.startswith("postgresql"):
            from tests.conftest import reset_postgres

            reset_postgres(url)
        else:
            with app.app_context():
                db.engine.dispose()  # no connection may keep the old file open
            for path in (sqlite_file, Path(f"{sqlite_file}-wal"), Path(f"{sqlite_file}-shm")):
                path.unlink(missing_ok=True)
        with app.app_context():
            upgrade()
        facts = build(app, args.activities, args.villages)
        facts["activities"] = args.activities
    client = app.test_client()
    client.post("/login", data={"identifier": "bench", "password": "bench-password"})
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    made = (f"inserted in {facts['insert_seconds']:.1f} s" if facts["insert_seconds"] is not None
            else "reused as it was")
    print(f"{backend}: {facts['activities']:,} activities over {facts['units']:,} communes and villages, {made}")
    p, half, annual = facts["province"], facts["half"], facts["annual"]
    for label, path in [
        ("province dashboard, 6 months", f"/reports/dashboard?period={half}"),
        ("province dashboard, year", f"/reports/dashboard?period={annual}"),
        ("province report page, year", f"/reports/{annual}/units/{p}"),
        ("province report DOCX, year", f"/reports/{annual}/units/{p}/report.docx"),
        ("province report XLSX, year", f"/reports/{annual}/units/{p}/report.xlsx"),
    ]:
        median, best = timed(client, path, args.runs)
        print(f"  {label:32} median {median:7.0f} ms   best {best:7.0f} ms")
    median, best = timed_writes(app, args.runs)
    print(f"  {'one activity logged (POST)':32} median {median:7.0f} ms   best {best:7.0f} ms")
    print(f"  load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
