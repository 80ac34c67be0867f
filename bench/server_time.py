"""Server time of each page a field worker opens (and of an officer's lists and the dashboards), in the process:
Flask's test client over a database filled by `bench/generate.py`, no network, one request at a time, the page as
the phone asks for it (`Accept-Encoding: br, gzip`, so compression is counted). Prints the median and the fastest
of `--runs` requests per page after two to warm up, against the issue's budgets (field pages ≤ 5 ms, an
officer's lists ≤ 10 ms, a commune's dashboard ≤ 20 ms and the province's ≤ 50 ms when unchanged since asked).

    python bench/server_time.py --database-url sqlite:////tmp/province.db
    python bench/server_time.py --database-url postgresql://postgres@127.0.0.1/sotay_province
    python bench/server_time.py --database-url sqlite:////tmp/province.db --profile '/activities/new/communication'

`--profile PATH` prints cProfile's top functions for that page (as the village head) instead.
"""

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSWORD = "bench-password"
HEADERS = {"Accept-Encoding": "br, gzip", "Accept-Language": "vi"}


def make_app(database_url: str):
    os.environ.setdefault("SOTAY_INSTANCE_PATH", tempfile.mkdtemp(prefix="sotay-server-time-"))
    from webapp import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "server-time-bench"})


def sign_in(app, username: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"csrf_token": token, "identifier": username, "password": PASSWORD})
    if answer.status_code not in (302, 303):
        raise SystemExit(f"could not sign in as {username}: {answer.status_code}")
    return client


def personas(app) -> dict:
    """A village head (a collector of a village of a commune with swim courses), her commune's officer, the
    province's admin,
    and the pages each opens; a lesson of a course and a forum's check-in of that commune where the data has one."""
    from sqlalchemy import func, select

    from webapp.accounts.models import User
    from webapp.activities.models import KINDS
    from webapp.extensions import db
    from webapp.forum.models import Forum
    from webapp.geo.models import Unit
    from webapp.gifts.models import Distribution
    from webapp.swim.models import SwimCourse

    with app.app_context():
        year = date.today().year
        with_courses = select(Unit.parent_id).where(Unit.id.in_(select(SwimCourse.unit_id)))
        head = db.session.execute(
            select(User.username, Unit.id, Unit.parent_id).join(Unit, User.unit_id == Unit.id)
            .where(User.role == "collector", Unit.level == "village", User.username.like("bench.village%"),
                   User.active, Unit.parent_id.in_(with_courses) | Unit.parent_id.in_(select(SwimCourse.unit_id)))
            .order_by(User.id).limit(1)).one()
        officer = db.session.scalar(select(User.username).where(User.role == "officer", User.unit_id == head[2]))
        course = db.session.scalar(select(SwimCourse.id).where(SwimCourse.unit_id.in_(
            select(Unit.id).where((Unit.parent_id == head[2]) | (Unit.id == head[2])))).order_by(SwimCourse.id)
            .limit(1))
        forum = db.session.scalar(select(Forum.id).order_by(Forum.id).limit(1))
        rounds = db.session.scalar(select(func.count()).select_from(Distribution).where(
            Distribution.unit_id == head[1]))
    field = ["/", "/activities/new", "/activities/new/communication?channel=community_talk",
             "/activities/new/communication?channel=school_talk"]
    field += [f"/activities/new/{k}" for k in KINDS if k != "communication"]
    field += ["/activities/", f"/gifts/new?village={head[1]}&occasion=mid_autumn&year={year}", "/outbox"]
    lists = ["/activities/", "/children/", "/gifts/", "/fund/"]
    if course:
        lists.append(f"/swim/{course}/lessons/1")
    if forum:
        lists.append(f"/forum/{forum}/checkin")
    return {"village head": (head[0], field, {"rounds in her village": rounds}),
            "commune officer": (officer, lists + ["/reports/dashboard"], {}),
            "province admin": ("bench.admin", ["/reports/dashboard", "/activities/"], {})}


def timed(client, url: str, runs: int) -> tuple[float, float, int, int]:
    for _ in range(2):
        client.get(url, headers=HEADERS)
    times, size, status = [], 0, 0
    for _ in range(runs):
        start = time.perf_counter()
        answer = client.get(url, headers=HEADERS)
        times.append((time.perf_counter() - start) * 1000)
        size, status = len(answer.get_data()), answer.status_code
    return statistics.median(times), min(times), size, status


def budget(role: str, url: str) -> int:
    if "dashboard" in url:
        return 50 if role == "province admin" else 20
    return 5 if role == "village head" else 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--profile", help="a page to profile as the village head")
    args = parser.parse_args()
    app = make_app(args.database_url)
    people = personas(app)
    backend = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    if args.profile:
        client = sign_in(app, people["village head"][0])
        timed(client, args.profile, 2)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.runs):
            client.get(args.profile, headers=HEADERS)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        return
    print(f"{backend}; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}; median / fastest of "
          f"{args.runs} requests after 2 to warm up; bytes as sent (br)")
    over = 0
    for role, (username, urls, facts) in people.items():
        client = sign_in(app, username)
        print(f"\n{role} ({username}){''.join(f'; {k}: {v}' for k, v in facts.items())}")
        for url in urls:
            median, fastest, size, status = timed(client, url, args.runs)
            limit = budget(role, url)
            over += median > limit
            mark = "" if median <= limit else f"  over {limit} ms"
            print(f"  {url[:62]:62} {status} {median:7.1f} {fastest:7.1f} ms {size:6d} B{mark}")
    print(f"\npages over their budget: {over}")


if __name__ == "__main__":
    main()
