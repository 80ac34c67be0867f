"""Load: the app under gunicorn with production settings over a province's data, driven by locust through real
journeys; prints the throughput at saturation and, at a steady 50 requests per second, the latency percentiles of
every page, against DESIGN.md's budgets (≥ 300 requests/s at saturation; p95 ≤ 50 ms at 50 requests/s).

    python bench/load.py --database-url sqlite:////tmp/province.db          # made by bench/generate.py
    python bench/load.py --database-url postgresql://postgres@127.0.0.1/sotay_province
    python bench/load.py --scale 0.1                                        # generate a tenth into a temp SQLite

Needs the bench extra (`pip install -e '.[bench]'`: locust). The app runs as `sotay serve --no-demo` (gunicorn,
threads, scrypt passwords, compression) on a loopback port; its access log goes to a file, as in production.
Requests are bounded in count and time and stop by themselves.
"""

import argparse
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUDGET_RPS, BUDGET_P95_MS, STEADY_RPS = 300, 50, 50


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def usernames(database_url: str) -> dict:
    from sqlalchemy import create_engine, text

    from webapp.config import normalise_database_url

    engine = create_engine(normalise_database_url(database_url))
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT role, username FROM users WHERE active AND username LIKE 'bench.%' "
                                 "ORDER BY id")).all()
    engine.dispose()
    found: dict[str, list[str]] = {"admin": [], "viewer": [], "officer": [], "collector": []}
    for role, name in rows:
        found[role].append(name)
    if not found["officer"] or not found["collector"]:
        raise SystemExit("No bench users in this database: fill it with bench/generate.py first.")
    return found


def start_server(database_url: str, workers: int, port: int, folder: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "SOTAY_INSTANCE_PATH": str(folder),
           "SECRET_KEY": "load-bench-secret"}
    sotay = shutil.which("sotay", path=str(Path(sys.executable).parent)) or "sotay"
    log = open(folder / "access.log", "w")
    server = subprocess.Popen([sotay, "serve", "--no-demo", "--host", "127.0.0.1", "--port", str(port),
                               "--workers", str(workers)], env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
        if server.poll() is not None:
            raise SystemExit(f"the server stopped: see {folder / 'access.log'}")
    raise SystemExit("the server did not answer /healthz within a minute")


def run_locust(port: int, users_file: Path, people: int, seconds: int, rate: float, out: Path) -> list[dict]:
    env = {**os.environ, "SOTAY_BENCH_USERS": str(users_file), "SOTAY_BENCH_RATE": str(rate)}
    locust = shutil.which("locust", path=str(Path(sys.executable).parent)) or "locust"
    subprocess.run([locust, "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--only-summary",
                    "-u", str(people), "-r", str(people), "-t", f"{seconds}s", "--stop-timeout", "5",
                    "--host", f"http://127.0.0.1:{port}", "--csv", str(out), "--exit-code-on-error", "0"],
                   env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with open(f"{out}_stats.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def show(rows: list[dict], title: str) -> dict:
    print(f"\n{title}")
    print(f"  {'page':48} {'requests':>8} {'fails':>5} {'req/s':>7} {'p50':>5} {'p95':>5} {'p99':>5}  ms")
    total = {}
    for row in rows:
        name = row["Name"] if row["Type"] else "all pages"
        line = (f"  {name[:48]:48} {int(row['Request Count']):8d} {int(row['Failure Count']):5d} "
                f"{float(row['Requests/s']):7.1f} {row['50%']:>5} {row['95%']:>5} {row['99%']:>5}")
        print(line)
        if not row["Type"]:
            total = row
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a database filled by bench/generate.py")
    parser.add_argument("--scale", type=float, default=0.1, help="without --database-url: generate this scale")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (each with 4 threads)")
    parser.add_argument("--seconds", type=int, default=60, help="length of each run")
    parser.add_argument("--saturation-people", type=int, default=32)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="sotay-load-"))
    url = args.database_url
    if url is None:
        from bench.generate import generate, make_app

        url = f"sqlite:///{folder}/province.db"
        os.environ["SOTAY_INSTANCE_PATH"] = str(folder)
        print(f"Generating a province at scale {args.scale} into {url} …")
        generate(make_app(url), args.scale, say=lambda *_: None)
    users_file = folder / "users.json"
    users_file.write_text(json.dumps(usernames(url)), encoding="utf-8")
    port = free_port()
    server = start_server(url, args.workers, port, folder)
    backend = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    try:
        print(f"{backend}, gunicorn with {args.workers} workers × 4 threads on 127.0.0.1:{port}; "
              f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} before the runs")
        saturated = show(run_locust(port, users_file, args.saturation_people, args.seconds, 0, folder / "sat"),
                         f"Saturation: {args.saturation_people} people asking without pause for {args.seconds} s")
        per_person = 2.0
        steady = run_locust(port, users_file, int(STEADY_RPS / per_person), args.seconds, per_person,
                            folder / "steady")
        show(steady, f"Steady: {int(STEADY_RPS / per_person)} people × {per_person:g} requests/s "
                     f"(≈ {STEADY_RPS}/s) for {args.seconds} s")
        worst = max((int(r["95%"]), r["Name"]) for r in steady if r["Type"])
        rps = float(saturated.get("Requests/s", 0))
        print(f"\nthroughput at saturation {rps:.0f} requests/s (budget ≥ {BUDGET_RPS}); worst p95 at steady load "
              f"{worst[0]} ms on {worst[1]} (budget ≤ {BUDGET_P95_MS} ms); load average now "
              f"{os.getloadavg()[0]:.1f}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
