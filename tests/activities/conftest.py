"""Fixtures of the activity log: the 2023 plan loaded and copied to this year, so that today lies in a plan."""

from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from webapp.core import clock
from webapp.extensions import db


@dataclass
class Plans:
    old: int  # the 2023 plan
    current: int  # its copy for this year
    year: int
    lead_agency: int


@pytest.fixture
def plans(app, places, users):
    """The 2023 plan and a copy of it for the current year, made as an admin would."""
    from webapp.accounts.models import User
    from webapp.geo.models import Unit
    from webapp.plans.services import copy_plan, load_plan_2023

    with app.app_context():
        province = db.session.get(Unit, places["province"].id)
        plan, _ = load_plan_2023(province)
        year = clock.today().year
        admin = db.session.get(User, users["admin"].id)
        current = copy_plan(plan, year, admin)
        db.session.add(current)
        db.session.commit()
        return Plans(plan.id, current.id, year, plan.lead_agency_id)


@pytest.fixture
def activity_of(app):
    """activity_of(id) -> the Activity read straight from the database (with its rows), detached."""
    from sqlalchemy.orm import selectinload

    from webapp.activities.models import Activity

    def load(activity_id):
        with app.app_context():
            stmt = select(Activity).where(Activity.id == activity_id).options(
                selectinload(Activity.tags), selectinload(Activity.materials), selectinload(Activity.participants),
                selectinload(Activity.scores), selectinload(Activity.agencies))
            activity = db.session.scalar(stmt)
            db.session.expunge_all()
            return activity

    return load


class _FormReader(HTMLParser):
    """What a browser would send from a page's POST form: every field with its shown value, as typed or chosen."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.action = None
        self.fields: dict[str, list[str]] = {}
        self._in_post_form = False
        self._select = None
        self._select_first = None
        self._select_chosen = False
        self._textarea = None

    def _add(self, name, value):
        self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post" and self.action is None:
            self.action, self._in_post_form = a.get("action"), True
        if not self._in_post_form:
            return
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(a["name"], a.get("value", "on"))
            else:
                self._add(a["name"], a.get("value") or "")
        elif tag == "select":
            self._select, self._select_first, self._select_chosen = a.get("name"), None, False
        elif tag == "option" and self._select:
            if self._select_first is None:
                self._select_first = a.get("value", "")
            if "selected" in a:
                self._add(self._select, a.get("value", ""))
                self._select_chosen = True
        elif tag == "textarea":
            self._textarea = a.get("name")
            self._add(self._textarea, "")

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self._add(self._select, self._select_first)
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._in_post_form:
            self._in_post_form = False

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea][-1] += data


def read_form(html: str) -> tuple[str, dict]:
    reader = _FormReader()
    reader.feed(html)
    return reader.action, {k: (v if len(v) > 1 else v[0]) for k, v in reader.fields.items()}


@pytest.fixture
def fill(client):
    """fill(url, {field: value}) opens the form at `url`, keeps what the page shows (today, my unit, the plan,
    hidden fields), changes the given fields and posts it as the browser would; returns the response."""

    def do(url: str, data: dict | None = None, **kwargs):
        page = client.get(url)
        assert page.status_code == 200, f"{url} answered {page.status_code}"
        action, fields = read_form(page.get_data(as_text=True))
        fields.update(data or {})
        fields = {k: v for k, v in fields.items() if v is not None}
        return client.post(action or url, data=fields, **kwargs)

    return do
