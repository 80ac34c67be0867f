"""Benchmark of working offline, in real Chromium: prints its figures (record them in bench/README.md).

1. The outbox as a village head uses it. She signs in over slow 3G and the worker keeps her working set; the phone
   goes offline and she makes N entries through the real pages, moving as a person does: the menu's "Ghi hoạt động",
   a kind's link (four kinds in turn: a talk in the community, a talk at a school, violence prevention, injury
   prevention), a number typed into "Trẻ em trai", "Lưu"; every tenth menu trip she goes home first. By default
   she goes through the menus for every 10th entry only (--navigate-every 10) and saves the other nine again on the
   form she is on: 500 menu trips took 10.6 min on the shared 2-core machine (--navigate-every 1 does them all).
   Then the network returns (still slow 3G), after her working set's copy has been back-dated a day, as it would be
   after hours of work without signal (so the worker fetches it again meanwhile, as it would): seconds until all N
   are saved; duplicates, lost and left in the outbox, counted in the database by the number typed into each entry
   (each entry has its own), and whether each was saved as the kind it was typed into.
2. Each role's working set, as the worker fetches it: GET /offline/working-set signed in as that person, then each
   page in it with `Accept-Encoding: br, gzip` (through Flask's test client, so flask-compress answers as it does
   the phone): pages, bytes as sent and uncompressed, for a village head (after part 1: with her latest
   activities), a teacher with two swim courses running now (16 lessons, 20 children each), an organiser (commune
   officer) with a forum in ten days (30 delegates with consents), and the province's viewer.
3. Bytes the server sends on a first and a repeat visit of /login (assets must come from the worker's cache), and
   the time until the community-talk form is usable over slow 3G, first and repeat visit.

Slow 3G is a TCP proxy in this script (SlowLine): 400 ms round trip and 400 kbit/s each way, shared by every
connection, the worker's too. The data is the demo's (webapp/demo.py) plus the courses and the forum made here
through the app's own forms.

Usage: .venv/bin/python bench/offline_sync.py [--n 500] [--navigate-every 10] [--sync-timeout 900]
       (SQLite in a temporary folder; needs /usr/bin/chromium)
Exits 1 when an entry is lost, saved twice, saved as another kind or left in the outbox, when a form the village
head opens offline is not on the phone, or when an asset comes from the network on a repeat visit.
"""

import argparse
import asyncio
import contextlib
import gzip
import html
import io
import os
import re
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import brotli
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHROMIUM = os.environ.get("SOTAY_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "vi-VN", "is_mobile": True, "has_touch": True}

# The demo's people (webapp/demo.py), all with the demo password.
VILLAGE_HEAD = "truongthon.lungcau"  # collector of Thôn Lùng Cẩu, Xã Mường Khương
TEACHER = "giaovien.bacha"  # collector of Xã Bắc Hà: teaches the two swim courses made below
TEACHERS_OFFICER = "canbo.bacha"  # officer of Xã Bắc Hà: sets the courses up
ORGANISER = "canbo.muongkhuong"  # officer of Xã Mường Khương: organises the forum made below
VIEWER = "lanhdao"  # the province's viewer
ROLES = [("village head", VILLAGE_HEAD, 150_000), ("teacher, 2 courses", TEACHER, 400_000),
         ("organiser (officer), 1 forum", ORGANISER, None), ("viewer", VIEWER, None)]

COURSES, SWIMMERS, DELEGATES = 2, 20, 30
TALK_FORM = "/activities/new/communication?channel=community_talk"
# The kinds the village head logs, in turn: (kind, channel, the link on "Ghi hoạt động"). All show "Trẻ em trai".
KINDS = [
    ("communication", "community_talk", "/activities/new/communication?channel=community_talk"),
    ("communication", "school_talk", "/activities/new/communication?channel=school_talk"),
    ("violence_prevention", None, "/activities/new/violence_prevention"),
    ("injury_prevention", None, "/activities/new/injury_prevention"),
]
HOME_EVERY = 10  # every tenth time she goes through the menus, she goes home first
FIRST_NUMBER = 1000  # entry i has FIRST_NUMBER + i boys: each entry is told apart in the database by it


class ByteCounter:
    """WSGI middleware: bytes of every response body the server sends, and (path, bytes) of each."""

    def __init__(self, app):
        self.app, self.bytes, self.paths, self.lock = app, 0, [], threading.Lock()

    def reset(self):
        with self.lock:
            self.bytes, self.paths = 0, []

    def __call__(self, environ, start_response):
        path, sent = environ.get("PATH_INFO", ""), 0
        for chunk in self.app(environ, start_response):
            sent += len(chunk)
            yield chunk
        with self.lock:
            self.bytes += sent
            self.paths.append((path, sent))


class SlowLine:
    """A TCP proxy that behaves like a slow 3G line: `rtt` seconds round trip, `rate` bytes/s each way, shared.
    Counts the bytes that went each way."""

    def __init__(self, target_port: int, rtt: float = 0.4, rate: int = 50_000):
        self.target_port, self.rtt, self.rate = target_port, rtt, rate
        self.free_at = {"down": 0.0, "up": 0.0}
        self.carried = {"down": 0, "up": 0}
        self.loop = asyncio.new_event_loop()
        self.port = None
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result()

    async def _start(self):
        server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]

    async def _client(self, reader, writer):
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        await asyncio.gather(self._pipe(reader, up_writer, "up"), self._pipe(up_reader, writer, "down"))

    async def _pipe(self, reader, writer, direction):
        queue: asyncio.Queue = asyncio.Queue()

        async def deliver():
            while True:
                at, data = await queue.get()
                await asyncio.sleep(max(0.0, at - self.loop.time()))
                if data is None:
                    writer.close()
                    return
                writer.write(data)
                await writer.drain()

        task = asyncio.ensure_future(deliver())
        while True:
            try:
                data = await reader.read(8192)
            except ConnectionError:
                data = b""
            now = self.loop.time()
            if not data:
                await queue.put((now + self.rtt / 2, None))
                break
            self.carried[direction] += len(data)
            sent = max(now, self.free_at[direction]) + len(data) / self.rate
            self.free_at[direction] = sent
            await queue.put((sent + self.rtt / 2, data))
        with contextlib.suppress(ConnectionError):
            await task


# --- the app and its data, set up through the app's own forms with Flask's test client -----------------------------

_INPUT = re.compile(r"<input\b[^>]*>", re.I)
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')


def hidden_fields(page: str) -> dict:
    fields = {}
    for tag in _INPUT.findall(page):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get("type") == "hidden" and "name" in attrs:
            fields.setdefault(attrs["name"], html.unescape(attrs.get("value", "")))
    return fields


def submit(client, url: str, data: dict, action: str | None = None):
    """Open the form at `url`, keep its hidden fields (CSRF token, client_id), fill in `data` and post it."""
    page = client.get(url)
    assert page.status_code == 200, f"{url} answered {page.status_code}"
    response = client.post(action or url, data={**hidden_fields(page.get_data(as_text=True)), **data})
    assert response.status_code in (302, 303), f"{action or url} answered {response.status_code}"
    return response


def signed_in(app, username: str):
    from webapp.demo import DEMO_PASSWORD

    client = app.test_client()
    submit(client, "/login", {"identifier": username, "password": DEMO_PASSWORD})
    return client


def new_id(response, pattern: str) -> int:
    return int(re.search(pattern, response.headers["Location"]).group(1))


def make_app(folder: Path):
    os.environ["SOTAY_INSTANCE_PATH"] = str(folder / "instance")
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.demo import seed_demo

    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}"})
    with app.app_context():
        log = io.StringIO()
        try:
            with contextlib.redirect_stderr(log):  # alembic's INFO lines
                upgrade()
        except Exception:
            print(log.getvalue(), file=sys.stderr)
            raise
        seed_demo()  # Lào Cai, three communes with villages, a user of every role, the 2023 plan and this year's copy
    return app


def user_ids(app) -> dict[str, int]:
    from sqlalchemy import select

    from webapp.accounts.models import User
    from webapp.extensions import db

    with app.app_context():
        return dict(db.session.execute(select(User.username, User.id)).all())


def first_village(app, commune_code: str) -> tuple[int, int]:
    """(commune id, id of its first village)."""
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.geo.models import Unit

    with app.app_context():
        commune = db.session.scalar(select(Unit).where(Unit.code == commune_code))
        return commune.id, db.session.scalar(select(Unit.id).where(Unit.parent_id == commune.id).order_by(Unit.id))


def set_up_courses(app, ids: dict[str, int]) -> None:
    """Two courses of Xã Bắc Hà running now (started a week ago, 16 lessons each), taught by the teacher; she types
    20 children into each at the water (quick add)."""
    officer, teacher = signed_in(app, TEACHERS_OFFICER), signed_in(app, TEACHER)
    commune, village = first_village(app, "02839")
    today = date.today()
    for c in range(COURSES):
        course = new_id(submit(officer, "/swim/new", {
            "name": f"Lớp bơi hè {c + 1}", "unit_id": str(commune), "school": "Trường Tiểu học Bắc Hà",
            "place_kind": "water_point", "place_name": f"Bến suối {c + 1}",
            "start_date": (today - timedelta(days=7)).isoformat(), "end_date": (today + timedelta(days=45)).isoformat(),
            "teacher_ids": str(ids[TEACHER])}), r"/swim/(\d+)$")
        for i in range(SWIMMERS):
            submit(teacher, f"/swim/{course}/enrol", {
                "full_name": f"Lù Văn Bơi {c + 1}-{i + 1:02d}", "sex": "MF"[i % 2], "birth_year": str(today.year - 9),
                "village_id": str(village),
                # the basis of consent a quick-add records (the school's enrolment form)
                "consent_by": f"Lù A Cha {c + 1}-{i + 1:02d}", "consent_relation": "father",
                "consent_method": "enrolment", "consent_on": today.isoformat(), "consent_child": "y"},
                action=f"/swim/{course}/quick-add")


def set_up_forum(app) -> None:
    """A forum of Xã Mường Khương in ten days with 30 delegates, each with the consents of the child and a parent."""
    officer = signed_in(app, ORGANISER)
    commune, village = first_village(app, "02761")
    day = date.today() + timedelta(days=10)
    forum = new_id(submit(officer, "/forum/new", {
        "level": "commune", "unit_id": str(commune), "date": day.isoformat(), "place": "Nhà văn hoá xã",
        "theme": "Trẻ em nói, người lớn nghe"}), r"/forum/(\d+)$")
    for i in range(DELEGATES):
        child = new_id(submit(officer, "/children/new", {
            "full_name": f"Vừ Thị Đại Biểu {i + 1:02d}", "birth_date": date(day.year - 12 - i % 4, 1, 1).isoformat(),
            "birth_year": "", "sex": "FM"[i % 2], "ethnicity": "08", "village_id": str(village),
            "guardian_name": "Vừ A Páo", "not_duplicate": "y", "consent_by": "Vừ A Páo",
            "consent_relation": "guardian", "consent_method": "paper", "consent_child": "y",
            "consent_on": date.today().isoformat()}), r"/children/(\d+)$")
        delegate = new_id(submit(officer, f"/forum/{forum}/delegates/add?child={child}", {"role": "delegate"}),
                          r"/forum/delegates/(\d+)$")
        for kind in ("guardian", "child"):
            submit(officer, f"/forum/delegates/{delegate}", {
                "kind": kind, "given_by": "Vừ Thị Mai" if kind == "child" else "Vừ A Páo",
                "relation": "self" if kind == "child" else "father", "given_on": date.today().isoformat(),
                "method": "in_person", "agencies": "", "participate": "y"},
                action=f"/forum/delegates/{delegate}/consents")


# --- 1. the outbox --------------------------------------------------------------------------------------------------

def sign_in(page, base: str, username: str) -> None:
    from webapp.demo import DEMO_PASSWORD

    page.goto(f"{base}/login", timeout=120_000)
    page.get_by_label("Tên đăng nhập hoặc số điện thoại").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    with page.expect_navigation(timeout=120_000):
        page.get_by_role("button", name="Đăng nhập").click()


def wait_for_worker(page) -> None:
    page.wait_for_function("() => !!navigator.serviceWorker && navigator.serviceWorker.controller !== null",
                           timeout=120_000)


def wait_for_working_set(page, user_id: int, timeout_s: float = 300) -> dict:
    """The worker's note of the working set it kept for this user ({user, at, pages, bytes})."""
    kept = page.evaluate("""async ([user, timeout]) => {
        for (const end = Date.now() + timeout; Date.now() < end;) {
            const meta = await SotayOutbox.getMeta('workingSet');
            if (meta && meta.user === user) return meta;
            await new Promise(r => setTimeout(r, 100));
        }
        return null;
    }""", [str(user_id), timeout_s * 1000])
    if kept is None:
        raise SystemExit(f"the worker did not keep the working set within {timeout_s:.0f} s")
    return kept


def outbox_items(page) -> list[dict]:
    return page.evaluate("SotayOutbox.everything().then(items => items.map(i => ({status: i.status, "
                         "message: i.message || '', boys: (i.fields.find(f => f.name === 'boys') || {}).value})))")


def open_form(page, link: str, home_first: bool) -> bool:
    """Through the menus, as a person moves; returns whether the form came from the phone's kept copy."""
    if home_first:
        page.locator("header a.brand").click()
        page.wait_for_selector("body[data-outbox-ready] h1")
    page.get_by_role("navigation", name="Chính").get_by_role("link", name="Ghi hoạt động").click()
    page.wait_for_selector("body[data-outbox-ready] ul.actions")
    page.locator(f"main a[href='{link}']").click()
    page.wait_for_selector("body[data-outbox-ready] form.log button[type=submit]")
    if page.get_by_role("heading", level=1).inner_text() == "Không có mạng":
        raise SystemExit(f"{link} was not kept on the phone: the offline page was shown")
    return page.evaluate("!!document.documentElement.dataset.keptAt")


def make_entries(page, n: int, navigate_every: int) -> dict:
    """N entries made offline: {number typed: (kind, channel)}, seconds per menu trip (two kept pages, three with
    home) and per save (typing and "Lưu" until the entry is kept), and how many forms opened were kept copies."""
    typed, trips, saves, kept = {}, [], [], 0
    kind = None
    for i in range(n):
        if i % navigate_every == 0:
            kind = KINDS[len(trips) % len(KINDS)]
            t0 = time.perf_counter()
            kept += open_form(page, kind[2], home_first=len(trips) % HOME_EVERY == HOME_EVERY - 1)
            trips.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        number = FIRST_NUMBER + i
        before = page.input_value("form.log input[name=client_id]")
        page.get_by_label("Trẻ em trai", exact=True).fill(str(number))
        if kind[1]:  # a talk says what it was about (its topics), as the form asks
            page.locator("form.log input[name=topics]").first.check(force=True)
        page.get_by_role("button", name="Lưu", exact=True).click()
        # Kept on the phone: the form is emptied and gets a new client_id for the next entry.
        page.wait_for_function("""(before) => {
            const form = document.querySelector('form.log');
            return !form.dataset.sending && form.elements.client_id.value !== before;
        }""", arg=before)
        saves.append(time.perf_counter() - t0)
        typed[number] = kind[:2]
        if (i + 1) % 50 == 0:
            print(f"  … {i + 1} entries kept offline", file=sys.stderr, flush=True)
    return {"typed": typed, "trips": trips, "saves": saves, "kept_forms": kept}


def saved_entries(app, user_id: int, n: int) -> list[tuple]:
    """(boys, kind, channel, rows) of the bench's activities in the database."""
    from sqlalchemy import func, select

    from webapp.activities.models import Activity
    from webapp.extensions import db

    with app.app_context():
        rows = db.session.execute(
            select(Activity.boys, Activity.kind, Activity.channel, func.count())
            .where(Activity.created_by_id == user_id, Activity.boys.between(FIRST_NUMBER, FIRST_NUMBER + n - 1))
            .group_by(Activity.boys, Activity.kind, Activity.channel)).all()
        db.session.remove()
    return [tuple(r) for r in rows]


def outbox_run(browser, app, base: str, slow: str, line: SlowLine, user_id: int, args) -> dict:
    r: dict = {}
    ctx = browser.new_context(**PHONE)
    ctx.set_default_timeout(60_000)
    page = ctx.new_page()
    t0 = time.perf_counter()
    sign_in(page, slow, VILLAGE_HEAD)
    r["signed_in"] = time.perf_counter() - t0
    wait_for_worker(page)
    r["working_set"] = wait_for_working_set(page, user_id)
    r["kept_after"] = time.perf_counter() - t0

    ctx.set_offline(True)
    t0 = time.perf_counter()
    made = make_entries(page, args.n, args.navigate_every)
    typed = made["typed"]
    r.update(made)
    r["make_seconds"] = time.perf_counter() - t0
    stored = outbox_items(page)
    r["stored"] = len(stored)
    # Entries like these take her hours or days, not minutes: the worker's copy of her working set is that old
    # when the signal returns, so it fetches the working set again (after 3 s) while the outbox is being sent.
    page.evaluate("""SotayOutbox.getMeta('workingSet').then(m =>
        SotayOutbox.setMeta('workingSet', Object.assign({}, m, {at: m.at - 24 * 3600 * 1000})))""")
    warmed_before = r["working_set"]["at"] - 24 * 3600 * 1000

    carried = dict(line.carried)
    t0 = told = time.perf_counter()
    back_at = time.time()
    ctx.set_offline(False)  # the real `online` event
    r["sync_seconds"] = None
    while time.perf_counter() - t0 < args.sync_timeout:
        time.sleep(0.5)
        left = outbox_items(page)
        if not [i for i in left if i["status"] in ("waiting", "signin")]:
            r["sync_seconds"] = time.perf_counter() - t0
            break
        if time.perf_counter() - told > 30:
            told = time.perf_counter()
            print(f"  … {len(left)} left to send after {told - t0:.0f} s", file=sys.stderr, flush=True)
    r["line_bytes"] = {k: line.carried[k] - carried[k] for k in carried}
    left = outbox_items(page)
    saved = saved_entries(app, user_id, args.n)
    after = page.evaluate("""async (before) => {
        for (const end = Date.now() + 120000; Date.now() < end;) {
            const meta = await SotayOutbox.getMeta('workingSet');
            if (meta.at !== before) return meta;
            await new Promise(r => setTimeout(r, 200));
        }
        return null;
    }""", warmed_before)
    r["warmed_after"] = after["at"] / 1000 - back_at if after else None
    r["left"] = left
    numbers = {row[0] for row in saved}
    waiting = {int(i["boys"]) for i in left if i["boys"]}
    r["saved"] = len(numbers)
    r["duplicates"] = sum(row[3] for row in saved) - len(numbers)
    r["lost"] = sorted(set(typed) - numbers - waiting)
    r["wrong_kind"] = sorted(row[0] for row in saved if typed.get(row[0]) != (row[1], row[2]))
    r["statuses"] = {}
    for item in left:
        key = (item["status"], item["message"])
        r["statuses"][key] = r["statuses"].get(key, 0) + 1
    ctx.close()
    return r


# --- 2. the working sets --------------------------------------------------------------------------------------------

def working_set_weight(app, username: str) -> dict:
    """Every page of the person's working set, asked as the worker asks it; what the worker would keep (200, HTML,
    not a redirect, not no-store) and what not."""
    client = signed_in(app, username)
    urls = client.get("/offline/working-set").get_json()["urls"]
    pages, refused = [], []
    for url in urls:
        r = client.get(url, headers={"Accept-Encoding": "br, gzip", "X-Sotay-Warm": "1"})
        body = r.get_data()
        encoding = r.headers.get("Content-Encoding", "")
        plain = brotli.decompress(body) if encoding == "br" else gzip.decompress(body) if encoding == "gzip" else body
        if r.status_code != 200 or r.mimetype != "text/html" or "no-store" in r.headers.get("Cache-Control", ""):
            refused.append((url, r.status_code, r.headers.get("Location") or r.mimetype))
            continue
        pages.append({"url": url, "sent": len(body), "plain": len(plain), "encoding": encoding or "identity",
                      "personal": r.headers.get("X-Sotay-Personal") == "1"})
    return {"urls": urls, "pages": pages, "refused": refused, "sent": sum(p["sent"] for p in pages),
            "plain": sum(p["plain"] for p in pages)}


def describe_pages(pages: list[dict]) -> str:
    """The pages grouped by shape: `/swim/1/lessons/3` is one of /swim/<n>/lessons/<n>."""
    groups: dict[str, list[int]] = {}
    for p in pages:
        path = p["url"].split("?")[0]
        shape = "/activities/new/<kind>" if path.startswith("/activities/new/") else re.sub(r"/\d+", "/<n>", path)
        groups.setdefault(shape, []).append(p["sent"])
    parts = [f"{shape} ×{len(sizes)} {sum(sizes):,} B" if len(sizes) > 1 else f"{shape} {sizes[0]:,} B"
             for shape, sizes in groups.items()]
    return "; ".join(parts)


# --- 3. first and repeat visit, and slow 3G -------------------------------------------------------------------------

def visits(browser, base: str, counter: ByteCounter) -> dict:
    r: dict = {}
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    counter.reset()
    page.goto(base + "/login")
    wait_for_worker(page)
    page.wait_for_load_state("networkidle")
    r["first_bytes"], r["first_paths"] = counter.bytes, list(counter.paths)
    counter.reset()
    page.goto(base + "/login")
    page.wait_for_load_state("networkidle")
    r["repeat_bytes"], r["repeat_paths"] = counter.bytes, list(counter.paths)
    ctx.close()
    return r


def slow_form(browser, base: str, slow: str, user_id: int) -> dict:
    r: dict = {}
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    sign_in(page, base, VILLAGE_HEAD)  # cookies belong to the host, so the slow origin is signed in too

    def usable() -> float:
        t0 = time.perf_counter()
        page.goto(slow + TALK_FORM, wait_until="commit", timeout=120_000)
        page.wait_for_selector("body[data-outbox-ready] form.log button[type=submit]", timeout=120_000)
        return time.perf_counter() - t0

    r["first"] = usable()
    t0 = time.perf_counter()
    wait_for_worker(page)
    kept = wait_for_working_set(page, user_id)
    r["kept_after"] = r["first"] + time.perf_counter() - t0
    r["kept_pages"] = kept["pages"]
    r["repeat"] = usable()
    r["repeat_from_worker"] = page.evaluate("performance.getEntriesByType('navigation')[0].workerStart > 0")
    ctx.close()
    return r


# --- 4. repeat visits of kept pages, with and without revalidation ----------------------------------------------

REPEAT = ["/", "/activities/new", TALK_FORM, "/activities/", "/outbox"]


def repeat_visits(browser, app, slow: str, line: "SlowLine", counter: ByteCounter, user_id: int) -> dict:
    """The village head, signed in over slow 3G with her working set kept, opens five of her pages again (home, the
    kinds, the talk form, her activities, the outbox), then the worker refreshes her working set as it does every
    15 minutes online. Once with the server's ETags switched off (as before core/etags.py), once with them: the
    worker then sends If-None-Match and the server answers an unchanged page 304 with no body."""
    results = {}
    for etags in (False, True):
        app.config["SOTAY_ETAGS"] = etags
        ctx = browser.new_context(**PHONE)
        page = ctx.new_page()
        sign_in(page, slow, VILLAGE_HEAD)
        wait_for_worker(page)
        before = wait_for_working_set(page, user_id)
        r = {}
        counter.reset()
        down, t0 = line.carried["down"], time.perf_counter()
        for path in REPEAT:
            page.goto(slow + path, timeout=120_000)
            page.wait_for_selector("body[data-outbox-ready]", timeout=120_000)
        r["pages_seconds"] = time.perf_counter() - t0
        r["pages_body"], r["pages_line"] = counter.bytes, line.carried["down"] - down
        r["pages_304"] = sum(1 for _p, sent in counter.paths if sent == 0)
        counter.reset()
        down, t0 = line.carried["down"], time.perf_counter()
        page.evaluate("([user]) => navigator.serviceWorker.controller.postMessage({type: 'warm', user, force: true})",
                      [str(user_id)])
        page.evaluate("""async ([at]) => {
            for (const end = Date.now() + 300000; Date.now() < end;) {
                const w = await SotayOutbox.getMeta('workingSet');
                if (w && w.at > at) return;
                await new Promise(r => setTimeout(r, 100));
            }
        }""", [before["at"]])
        r["warm_seconds"] = time.perf_counter() - t0
        r["warm_body"], r["warm_line"] = counter.bytes, line.carried["down"] - down
        r["warm_pages"] = len(counter.paths)
        r["warm_304"] = sum(1 for _p, sent in counter.paths if sent == 0)
        results["after" if etags else "before"] = r
        ctx.close()
    app.config["SOTAY_ETAGS"] = True
    return results


def print_repeat_visits(rv: dict) -> None:
    print("\n4. repeat visits of kept pages over slow 3G (village head: home, kinds, talk form, her activities, "
          "outbox; then the worker's refresh of her working set)")
    for label in ("before", "after"):
        r = rv[label]
        print(f"   {'without ETags' if label == 'before' else 'with ETags   '}: 5 pages {r['pages_line']:,} B on the "
              f"line ({r['pages_body']:,} B of bodies, {r['pages_304']} answered 304) in {r['pages_seconds']:.1f} s; "
              f"working-set refresh {r['warm_line']:,} B on the line ({r['warm_body']:,} B of bodies, "
              f"{r['warm_304']} of {r['warm_pages']} answered 304) in {r['warm_seconds']:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500, help="entries the village head makes offline")
    parser.add_argument("--navigate-every", type=int, default=10,
                        help="go through the menus for every K-th entry; save the others on the same form")
    parser.add_argument("--sync-timeout", type=float, default=900, help="seconds to wait for the outbox to empty")
    parser.add_argument("--repeat-only", action="store_true", help="only part 4: repeat visits with and without ETags")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        app = make_app(Path(tmp))
        ids = user_ids(app)
        set_up_courses(app, ids)
        set_up_forum(app)
        setup_seconds = time.perf_counter() - t0
        counter = ByteCounter(app.wsgi_app)
        app.wsgi_app = counter
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        line = SlowLine(server.server_port)
        slow = f"http://127.0.0.1:{line.port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            if args.repeat_only:
                rv = repeat_visits(browser, app, slow, line, counter, ids[VILLAGE_HEAD])
                browser.close()
                server.shutdown()
                print(f"(load average {', '.join(f'{x:.1f}' for x in os.getloadavg())})")
                print_repeat_visits(rv)
                return
            outbox = outbox_run(browser, app, base, slow, line, ids[VILLAGE_HEAD], args)
            rv = repeat_visits(browser, app, slow, line, counter, ids[VILLAGE_HEAD])
            weights = [(label, who, aim, working_set_weight(app, who)) for label, who, aim in ROLES]
            visit = visits(browser, base, counter)
            form = slow_form(browser, base, slow, ids[VILLAGE_HEAD])
            browser.close()
        server.shutdown()

    n = args.n
    print(f"(data set up through the forms in {setup_seconds:.0f} s; load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())})")
    print("\n1. outbox: a village head offline, slow 3G (400 ms RTT, 400 kbit/s each way)")
    ws = outbox["working_set"]
    print(f"   signed in over slow 3G in {outbox['signed_in']:.1f} s; the worker kept her working set "
          f"{outbox['kept_after']:.1f} s after she began ({ws['pages']} pages, {ws['chars']:,} characters of HTML)")
    trips, saves = outbox["trips"], outbox["saves"]
    mode = ("through the menus for every entry" if args.navigate_every == 1 else
            f"through the menus for 1 entry in {args.navigate_every}, the others saved again on the form she was on")
    print(f"   {n} entries made offline in {outbox['make_seconds']:.0f} s, {mode} ({len(trips)} menu trips, home "
          f"first every {HOME_EVERY}th; {outbox['kept_forms']} of {len(trips)} forms opened were kept copies); "
          f"{outbox['stored']} in the outbox")

    def mean(xs: list[float]) -> str:
        return f"{sum(xs) / len(xs):.2f}" if xs else "-"

    tenth, saves_tenth = max(1, len(trips) // 10), max(1, len(saves) // 10)
    print(f"   a menu trip (kept pages) took {mean(trips[:tenth])} s in the first tenth, {mean(trips[-tenth:])} s in "
          f"the last; a save {mean(saves[:saves_tenth])} s and {mean(saves[-saves_tenth:])} s")
    sync = outbox["sync_seconds"]
    done = (f"all sent after {sync:.1f} s (budget ≤ 60 s: {'met' if sync <= 60 else 'NOT met'})"
            if sync is not None else f"NOT all sent within {args.sync_timeout:.0f} s")
    warm = (f"the worker fetched her working set again meanwhile (done {outbox['warmed_after']:.0f} s after the "
            f"signal returned)" if outbox["warmed_after"] is not None else "the working set was not fetched again")
    print(f"   network back: {done}; {outbox['line_bytes']['up']:,} B up, {outbox['line_bytes']['down']:,} B down "
          f"over the line; {warm}")
    print(f"   saved {outbox['saved']} of {n}; duplicates {outbox['duplicates']}, lost {len(outbox['lost'])}, "
          f"saved as another kind {len(outbox['wrong_kind'])}, left in the outbox {len(outbox['left'])}")
    for (status, message), count in outbox["statuses"].items():
        print(f"     left: {count} × {status} {message!r}")
    if outbox["lost"]:
        print(f"     lost numbers: {outbox['lost'][:20]}")

    print("\n2. working sets (each page as the worker asks it, Accept-Encoding: br, gzip)")
    for label, who, aim, w in weights:
        verdict = f" (aim ≤ {aim // 1000} KB: {'met' if w['sent'] <= aim else 'NOT met'})" if aim else ""
        personal = sum(p["personal"] for p in w["pages"])
        print(f"   {label} ({who}): {len(w['pages'])} pages, {w['sent']:,} B sent, {w['plain']:,} B uncompressed"
              f"{verdict}; {personal} with a child's data; heaviest "
              f"{max(p['sent'] for p in w['pages']):,} B")
        print(f"     {describe_pages(w['pages'])}")
        if personal:
            print(f"     with a child's data (X-Sotay-Personal, not shown after 72 h offline): "
                  f"{describe_pages([p for p in w['pages'] if p['personal']])}")
        for url, status, where in w["refused"]:
            print(f"     NOT KEPT: {url} → {status} {where}")

    assets = [p for p, _sent in visit["repeat_paths"] if p.startswith("/static/")]
    print("\n3. visits")
    print(f"   first visit (/login): {visit['first_bytes']:,} bytes from the server in {len(visit['first_paths'])} "
          f"responses (page, assets, worker and its precache)")
    first: dict[str, list[int]] = {}
    for path, sent in visit["first_paths"]:
        first.setdefault(path.removeprefix("/static/"), []).append(sent)
    print("     " + "; ".join(f"{path} {' + '.join(f'{b:,}' for b in sizes)}" for path, sizes in first.items()))
    print(f"   repeat visit (/login): {visit['repeat_bytes']:,} bytes in {len(visit['repeat_paths'])} responses "
          f"{sorted({p for p, _sent in visit['repeat_paths']})}; assets from the network: {len(assets)}")
    print(f"   slow 3G, community-talk form usable (button there, form taken over by the outbox): "
          f"{form['first']:.2f} s first visit, {form['repeat']:.2f} s repeat visit "
          f"({'through the worker' if form['repeat_from_worker'] else 'NOT through the worker'}); "
          f"working set ({form['kept_pages']} pages) kept {form['kept_after']:.1f} s after the first visit began")
    print_repeat_visits(rv)
    failed = (outbox["duplicates"] or outbox["lost"] or outbox["wrong_kind"] or outbox["left"] or assets
              or outbox["stored"] != n)
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
