"""Throughput side by side: the reference page (`bench/reference.py`, the floor of this stack) and each page a
field worker opens, each served by gunicorn as `sotay serve` serves it, driven in turn by ApacheBench (`ab`,
Debian's apache2-utils) with 8 requests at a time on the same cores. Each page's rate is divided by the mean of the
reference runs just before and after it, so the ratio holds however busy the shared machine is.

    python bench/throughput.py --database-url sqlite:////tmp/province.db
    python bench/throughput.py --database-url postgresql://postgres@127.0.0.1/sotay_province --workers 2 --threads 4
    python bench/throughput.py --database-url sqlite:////tmp/province.db --revalidate   # also If-None-Match: 304s

The app signs in as the village head `bench/server_time.py` picks (a collector of a village) and asks as her phone
does (`Accept-Encoding: br, gzip`, her session cookie). The goal: every page ≥ 0.6 of the reference.
"""

import argparse
import http.cookiejar
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import free_port  # noqa: E402

GOAL = 0.6


def wait_for(url: str, server: subprocess.Popen, log: Path) -> None:
    for _ in range(240):
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.25)
        if server.poll() is not None:
            raise SystemExit(f"the server stopped: see {log}")
    raise SystemExit(f"{url} did not answer within a minute")


def start(args: list[str], env: dict, folder: Path, name: str) -> subprocess.Popen:
    log = folder / f"{name}.log"
    return subprocess.Popen(args, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT, start_new_session=True)


def sign_in(base: str, username: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "identifier": username,
                                   "password": "bench-password"}).encode()
    opener.open(f"{base}/login", data=data)
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def ab(url: str, requests: int, concurrency: int, headers: dict[str, str]) -> tuple[float, int, float]:
    """(requests per second, failed or non-2xx/304 answers, mean bytes of a body)."""
    command = ["ab", "-q", "-n", str(requests), "-c", str(concurrency)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests per second:\s+([\d.]+)", out).group(1))
    failed = int(re.search(r"Failed requests:\s+(\d+)", out).group(1))
    lengths = re.search(r"Length: (\d+)", out)  # a page's length differs by its token: not a failure
    failed -= int(lengths.group(1)) if lengths else 0
    non2xx = re.search(r"Non-2xx responses:\s+(\d+)", out)
    body = int(re.search(r"Document Length:\s+(\d+)", out).group(1))
    return rps, failed + (int(non2xx.group(1)) if non2xx and "If-None-Match" not in headers else 0), body


def etag_of(url: str, headers: dict[str, str]) -> str | None:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request) as answer:
        return answer.headers.get("ETag")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--revalidate", action="store_true", help="also each page asked with its ETag (304)")
    parser.add_argument("--pages", help="comma-separated paths instead of the village head's pages")
    args = parser.parse_args()

    from bench.server_time import make_app, personas

    username, field_pages, _facts = personas(make_app(args.database_url))["village head"]
    pages = args.pages.split(",") if args.pages else [p for p in field_pages if "/activities/new/" not in p
                                                       or "communication" in p or p.endswith("/training")]
    folder = Path(tempfile.mkdtemp(prefix="sotay-throughput-"))
    ref_port, app_port = free_port(), free_port()
    python, bin_dir = sys.executable, Path(sys.executable).parent
    sotay = shutil.which("sotay", path=str(bin_dir)) or "sotay"
    env = {**os.environ, "DATABASE_URL": args.database_url, "SOTAY_INSTANCE_PATH": str(folder),
           "SECRET_KEY": "throughput-bench-secret"}
    sizes = ["--workers", str(args.workers), "--threads", str(args.threads)]
    reference = start([python, str(ROOT / "bench" / "reference.py"), "--port", str(ref_port), *sizes], env, folder,
                      "reference")
    app = start([sotay, "serve", "--no-demo", "--host", "127.0.0.1", "--port", str(app_port), *sizes], env, folder,
                "app")
    try:
        ref_url, base = f"http://127.0.0.1:{ref_port}/", f"http://127.0.0.1:{app_port}"
        wait_for(ref_url, reference, folder / "reference.log")
        wait_for(f"{base}/healthz", app, folder / "app.log")
        ref_cookie = subprocess.run([python, str(ROOT / "bench" / "reference.py"), "--print-cookie"],
                                    capture_output=True, text=True, env=env, check=True).stdout.strip()
        ref_headers = {"Cookie": f"session={ref_cookie}", "Accept-Encoding": "br, gzip"}
        headers = {"Cookie": sign_in(base, username), "Accept-Encoding": "br, gzip"}
        for url in (ref_url, *(base + p for p in pages)):  # warm both up
            ab(url, 50, args.concurrency, ref_headers if url == ref_url else headers)
        print(f"{'PostgreSQL' if args.database_url.startswith('postgres') else 'SQLite'}; gunicorn {args.workers} "
              f"workers × {args.threads} threads for both; ab -n {args.requests} -c {args.concurrency}; "
              f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} before; as {username}")
        print(f"  {'page':60} {'req/s':>7} {'ref':>7} {'ratio':>6} {'fails':>5} {'bytes':>6}")
        last_ref = ab(ref_url, args.requests, args.concurrency, ref_headers)[0]
        refs, rates, below = [last_ref], [], 0
        for path in pages:
            rps, failed, body = ab(base + path, args.requests, args.concurrency, headers)
            rows = [(path, rps, failed, body)]
            if args.revalidate:
                tag = etag_of(base + path, headers)
                if tag:
                    r304, f304, b304 = ab(base + path, args.requests, args.concurrency,
                                          {**headers, "If-None-Match": tag})
                    rows.append((f"{path} (If-None-Match: 304)", r304, f304, b304))
            ref_now = ab(ref_url, args.requests, args.concurrency, ref_headers)[0]
            ref = (last_ref + ref_now) / 2
            refs.append(ref_now)
            last_ref = ref_now
            for name, rate, fails, size in rows:
                ratio = rate / ref
                below += ratio < GOAL and "304" not in name
                print(f"  {name[:60]:60} {rate:7.1f} {ref:7.1f} {ratio:6.2f} {fails:5d} {size:6d}"
                      f"{'  below 0.6' if ratio < GOAL else ''}")
            rates.append(rps)
        mix = len(rates) / sum(1 / r for r in rates)  # an even mix: each page once, in turn
        print(f"\nreference page {statistics.mean(refs):.0f} requests/s (min {min(refs):.0f}, max {max(refs):.0f}); "
              f"an even mix of these pages {mix:.0f} requests/s = {mix / statistics.mean(refs):.2f} of it; "
              f"pages below {GOAL}: {below}; load average now {os.getloadavg()[0]:.1f}")
    finally:
        for server in (reference, app):
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
