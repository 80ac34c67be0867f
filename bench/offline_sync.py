"""Benchmark of working offline, in real Chromium: prints its figures (record them in bench/README.md).

1. 500 submissions queued offline, then the network back: seconds until all are saved, duplicates, lost.
2. Bytes the server sends on a first visit and on a repeat visit (assets must come from the worker's cache).
3. Time until a form is usable over an emulated slow 3G line (400 ms round trip, 400 kbit/s), first and repeat visit.

Usage: .venv/bin/python bench/offline_sync.py [--n 500]     (SQLite in a temporary folder; needs /usr/bin/chromium)
"""

import argparse
import asyncio
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHROMIUM = os.environ.get("SOTAY_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
PASSWORD = "bench-password-1"


class ByteCounter:
    """WSGI middleware: bytes of every response body the server sends, and which paths."""

    def __init__(self, app):
        self.app, self.bytes, self.paths, self.lock = app, 0, [], threading.Lock()

    def reset(self):
        with self.lock:
            self.bytes, self.paths = 0, []

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        for chunk in self.app(environ, start_response):
            with self.lock:
                self.bytes += len(chunk)
            yield chunk
        with self.lock:
            self.paths.append(path)


class SlowLine:
    """A TCP proxy that behaves like a slow 3G line: `rtt` seconds round trip, `rate` bytes/s each way, shared."""

    def __init__(self, target_port: int, rtt: float = 0.4, rate: int = 50_000):
        self.target_port, self.rtt, self.rate = target_port, rtt, rate
        self.free_at = {"down": 0.0, "up": 0.0}
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
            data = await reader.read(8192)
            now = self.loop.time()
            if not data:
                await queue.put((now + self.rtt / 2, None))
                break
            sent = max(now, self.free_at[direction]) + len(data) / self.rate
            self.free_at[direction] = sent
            await queue.put((sent + self.rtt / 2, data))
        await task


def make_app(folder: Path):
    os.environ["SOTAY_INSTANCE_PATH"] = str(folder / "instance")
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.accounts.models import User
    from webapp.extensions import db
    from webapp.geo.models import Unit
    from webapp.geo.services import load_province

    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}"})
    with app.app_context():
        upgrade()
        load_province(15)
        commune = db.session.query(Unit).filter_by(code="02761").one()
        user = User(username="bench", full_name="Người Đo", role="officer", unit_id=commune.id)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return app, commune.id


def sign_in(page, base):
    page.goto(f"{base}/login")
    page.fill("#identifier", "bench")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def wait_for_worker(page):
    page.wait_for_function("() => !!navigator.serviceWorker && navigator.serviceWorker.controller !== null",
                           timeout=60_000)


def queue_offline(page, n):
    """Fill and submit the form n times through the page, as a person would, with the phone offline."""
    page.evaluate("""async (n) => {
        const form = document.querySelector('form[method=post]');
        for (let i = 1; i <= n; i++) {
            form.querySelector('[name=name]').value = 'Thôn Đo ' + i;
            form.requestSubmit();
            while (form.dataset.sending) await new Promise(r => setTimeout(r, 1));
        }
    }""", n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500)
    n = parser.parse_args().n
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        app, commune_id = make_app(Path(tmp))
        counter = ByteCounter(app.wsgi_app)
        app.wsgi_app = counter
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        form_url = f"/places/{commune_id}/villages/new"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            phone = {"viewport": {"width": 360, "height": 740}, "locale": "vi-VN", "is_mobile": True}

            # 1. the outbox
            ctx = browser.new_context(**phone)
            page = ctx.new_page()
            sign_in(page, base)
            page.goto(base + form_url)
            wait_for_worker(page)
            ctx.set_offline(True)
            started = time.perf_counter()
            queue_offline(page, n)
            queued = page.evaluate("SotayOutbox.everything().then(i => i.length)")
            queue_seconds = time.perf_counter() - started
            started = time.perf_counter()
            ctx.set_offline(False)
            page.wait_for_selector("#outbox-badge", state="hidden", timeout=600_000)
            sync_seconds = time.perf_counter() - started
            left = page.evaluate("SotayOutbox.everything().then(i => i.length)")
            with app.app_context():
                from sqlalchemy import func, select

                from webapp.extensions import db
                from webapp.geo.models import Unit

                rows = db.session.execute(select(Unit.name, func.count()).where(Unit.name.like("Thôn Đo %"))
                                          .group_by(Unit.name)).all()
            saved = len(rows)
            duplicates = sum(c - 1 for _name, c in rows)
            lost = n - saved
            ctx.close()

            # 2. bytes on a first and a repeat visit
            ctx = browser.new_context(**phone)
            page = ctx.new_page()
            counter.reset()
            page.goto(base + "/login")
            wait_for_worker(page)
            page.wait_for_load_state("networkidle")
            first_bytes, first_paths = counter.bytes, list(counter.paths)
            counter.reset()
            page.goto(base + "/login")
            page.wait_for_load_state("networkidle")
            repeat_bytes, repeat_paths = counter.bytes, list(counter.paths)
            ctx.close()

            # 3. time until a form is usable on slow 3G, first and repeat visit
            line = SlowLine(server.server_port)
            slow = f"http://127.0.0.1:{line.port}"
            ctx = browser.new_context(**phone)
            page = ctx.new_page()
            sign_in(page, base)  # cookies belong to the host, so the slow origin is signed in too

            def usable() -> float:
                t0 = time.perf_counter()
                page.goto(slow + form_url, wait_until="commit", timeout=120_000)
                page.wait_for_selector("body[data-outbox-ready] form button[type=submit]", timeout=120_000)
                return time.perf_counter() - t0

            first_usable = usable()
            wait_for_worker(page)
            page.wait_for_load_state("networkidle", timeout=120_000)
            repeat_usable = usable()
            ctx.close()
            browser.close()
        server.shutdown()

    assets = [p for p in repeat_paths if p.startswith("/static/")]
    print(f"outbox: {n} queued offline in {queue_seconds:.1f} s ({queued} stored)")
    print(f"outbox: all saved {sync_seconds:.1f} s after the network returned; saved {saved}, "
          f"duplicates {duplicates}, lost {lost}, left in the outbox {left}")
    print(f"first visit (/login): {first_bytes} bytes from the server in {len(first_paths)} responses "
          f"(page, assets, worker and its precache)")
    print(f"repeat visit (/login): {repeat_bytes} bytes in {len(repeat_paths)} responses {sorted(set(repeat_paths))}; "
          f"assets from the network: {len(assets)}")
    print(f"slow 3G (400 ms RTT, 400 kbit/s): form usable after {first_usable:.2f} s on a first visit, "
          f"{repeat_usable:.2f} s on a repeat visit")
    if duplicates or lost or left or assets:
        sys.exit(1)


if __name__ == "__main__":
    main()
