"""The reference page: the floor of this stack. A Flask page that reads the signed session cookie, runs one
SQLAlchemy query on SQLite and renders a ~4 KB Jinja page that extends a base, served by gunicorn exactly as
`sotay serve` serves the app (`webapp.cli.run_gunicorn`: same workers, threads, access log) and compressed by
Flask-Compress with the app's settings (brotli, then gzip). `bench/throughput.py` drives it side by side with the
app's pages, so each page's throughput is read as a ratio of this one, measured in the same run.

    python bench/reference.py --port 8001          # then: ab -n 2000 -c 8 -H 'Cookie: ...' http://127.0.0.1:8001/
"""

import argparse
import sqlite3
import sys
import tempfile
from pathlib import Path

from flask import Flask, render_template_string, session
from flask_compress import Compress
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SECRET = "reference-page-secret"
BASE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{% block title %}{% endblock %} · Sổ tay</title><link rel="stylesheet" href="/static/app.css"></head>
<body><header><a href="/">Sổ tay</a> <span>{{ who }}</span></header><main>{% block content %}{% endblock %}</main>
<footer>Sổ tay</footer></body></html>"""
PAGE = """{% extends "base" %}{% block title %}{{ place.name }}{% endblock %}{% block content %}
<h1>{{ place.name }}</h1>
<form method="post" class="stack">
{% for i in range(24) %}<div class="field"><label for="f{{ i }}">Trường số {{ i }} của {{ place.name }}</label>
<input id="f{{ i }}" name="f{{ i }}" type="text" inputmode="numeric" value="{{ i }}"></div>
{% endfor %}<button type="submit">Lưu</button></form>{% endblock %}"""

db = SQLAlchemy()


class Place(db.Model):
    __tablename__ = "places"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


def cookie_value(app: Flask) -> str:
    """A signed session cookie as the app would have set it (for `ab -H 'Cookie: session=...'`)."""
    return app.session_interface.get_signing_serializer(app).dumps({"user": 7, "locale": "vi"})


def create_app(database: Path) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=SECRET, SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}",
                      COMPRESS_MIMETYPES=["text/html"], COMPRESS_ALGORITHM=["br", "gzip"])
    db.init_app(app)
    Compress(app)
    templates = {"base": BASE, "page": PAGE}
    app.jinja_env.loader = __import__("jinja2").DictLoader(templates)

    @app.route("/")
    def page():
        who = session.get("user")
        place = db.session.scalars(select(Place).where(Place.id == 1 + (who or 0) % 10)).one()
        return render_template_string('{% include "page" %}', place=place, who=who)

    return app


def make_database() -> Path:
    path = Path(tempfile.mkdtemp(prefix="sotay-reference-")) / "reference.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE places (id INTEGER PRIMARY KEY, name VARCHAR(100))")
        conn.executemany("INSERT INTO places VALUES (?, ?)", [(i, f"Thôn Lũng Cẩu {i}") for i in range(1, 11)])
    return path


def main() -> None:
    from webapp.cli import run_gunicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--print-cookie", action="store_true", help="print the session cookie and stop")
    args = parser.parse_args()
    app = create_app(make_database())
    if args.print_cookie:
        print(cookie_value(app))
        return
    run_gunicorn(app, args.host, args.port, args.workers, args.threads)


if __name__ == "__main__":
    main()
