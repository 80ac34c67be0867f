"""Page weight: the compressed size (as Chromium asks: br, gzip, zstd) of every page each demo role can reach,
and of a first visit.

Budget (DESIGN.md): HTML of any page <= 14 KB compressed; a first visit <= 60 KB compressed in all (aim 32 KB).
Run: .venv/bin/python bench/page_weight.py   (uses a fresh SQLite database with the demo data in a temp folder)
"""

import os
import re
import sys
import tempfile
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

BUDGET_PAGE = 14 * 1024
BUDGET_FIRST_VISIT = 60 * 1024
ROLES = ["truongthon.lungcau", "canbo.muongkhuong", "admin", "lanhdao"]
MAX_PAGES_PER_ROLE = 80


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "script" and attrs.get("src"):
            self.assets.append(attrs["src"])
        if tag == "link" and attrs.get("rel") in ("stylesheet", "icon", "manifest") and attrs.get("href"):
            self.assets.append(attrs["href"])


def parse(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def compressed_size(client, url: str) -> tuple[int, int, str]:
    """(status, bytes on the wire as a phone's Chromium asks for them, body text)."""
    response = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    data = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        import brotli

        body = brotli.decompress(data)
    elif encoding == "gzip":
        import gzip

        body = gzip.decompress(data)
    elif encoding == "deflate":
        import zlib

        body = zlib.decompress(data)
    else:
        body = data
    return response.status_code, len(data), body.decode("utf-8", "replace")


def main() -> int:
    tmp = tempfile.mkdtemp(prefix="sotay-weight-")
    os.environ["SOTAY_INSTANCE_PATH"] = tmp
    os.environ.pop("DATABASE_URL", None)
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.demo import DEMO_PASSWORD, seed_demo

    app = create_app()
    with app.app_context():
        upgrade()
        seed_demo()

    over = 0
    # First visit: the sign-in page and every asset it loads, as a new phone would fetch them.
    client = app.test_client()
    status, size, html = compressed_size(client, "/login")
    total = size
    print(f"{'first visit':<40} {'bytes (compressed)':>18}")
    print(f"{'/login':<40} {size:>12,}")
    for asset in parse(html).assets:
        _, asset_size, _ = compressed_size(client, asset)
        total += asset_size
        print(f"{urlsplit(asset).path:<40} {asset_size:>12,}")
    print(f"{'TOTAL first visit':<40} {total:>12,}  budget {BUDGET_FIRST_VISIT:,}"
          f"{'  OVER' if total > BUDGET_FIRST_VISIT else ''}")
    over += total > BUDGET_FIRST_VISIT

    for username in ROLES:
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        client.post("/login", data={"csrf_token": token, "identifier": username, "password": DEMO_PASSWORD})
        seen: set[str] = set()
        queue = ["/"]
        rows = []
        while queue and len(seen) < MAX_PAGES_PER_ROLE:
            url = queue.pop(0)
            path = urlsplit(url).path
            key = re.sub(r"/\d+", "/N", path)  # one page per route shape
            if key in seen or path.startswith("/static") or "export" in path or path.endswith((".xlsx", ".docx",
                                                                                                ".csv", ".json")):
                continue
            seen.add(key)
            status, size, html = compressed_size(client, url)
            if status != 200 or "<html" not in html:
                continue
            rows.append((size, url))
            for link in parse(html).links:
                absolute = urljoin(url, link)
                if absolute.startswith("/") and not absolute.startswith("//"):
                    queue.append(absolute)
        print(f"\nrole {username}: {len(rows)} pages")
        for size, url in sorted(rows, reverse=True):
            flag = "  OVER" if size > BUDGET_PAGE else ""
            over += size > BUDGET_PAGE
            print(f"  {url:<50} {size:>8,}{flag}")
    print(f"\npage budget {BUDGET_PAGE:,} bytes; pages or visits over budget: {over}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
