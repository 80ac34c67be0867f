"""The journeys of `bench/load.py`: people of every role using Sổ tay over a province's data.

Run by `bench/load.py` (which starts the app under gunicorn and reads the figures back); by hand:
    SOTAY_BENCH_USERS=users.json locust -f bench/locustfile.py --headless -u 20 -t 60s --host http://127.0.0.1:8000
`SOTAY_BENCH_USERS` is a JSON file {"officer": [...], "collector": [...], "admin": [...], "viewer": [...]} of
usernames whose password is `bench-password`, as `bench/generate.py` makes them. `SOTAY_BENCH_RATE` (requests per
second per simulated person) makes a steady load; without it each person asks again as soon as answered.
Each request is named by its page, so the figures come per page; any answer but the designed one is a failure.
"""

import itertools
import json
import os
import re
import uuid
from html.parser import HTMLParser
from urllib.parse import urlencode

from locust import between, constant_throughput, task
from locust.contrib.fasthttp import FastHttpUser

PASSWORD = "bench-password"
USERS = json.load(open(os.environ["SOTAY_BENCH_USERS"], encoding="utf-8"))
RATE = float(os.environ.get("SOTAY_BENCH_RATE", "0"))
_next = {role: itertools.cycle(names) for role, names in USERS.items() if names}


class _Form(HTMLParser):
    """The fields a browser would post from the page's first POST form, with their shown values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, str] = {}
        self.action: str | None = None
        self._in = self._done = False
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post" and not self._done and self.action is None:
            self.action, self._in = a.get("action"), True
        if not self._in or not a.get("name"):
            if tag == "option" and self._in and self._select and (self._select not in self.fields
                                                                    or "selected" in a):
                self.fields[self._select] = a.get("value", "")
            return
        if tag == "input" and a.get("type") not in ("checkbox", "radio", "submit", "file"):
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "input" and a.get("type") in ("checkbox", "radio") and "checked" in a:
            self.fields[a["name"]] = a.get("value", "on")
        elif tag == "select":
            self._select = a["name"]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "form" and self._in:
            self._in, self._done = False, True


def form_of(html: str) -> _Form:
    reader = _Form()
    reader.feed(html)
    return reader


class Person(FastHttpUser):
    """Signs in once as the next user of its role, then goes about its work."""

    abstract = True
    role = "collector"
    wait_time = constant_throughput(RATE) if RATE else between(0, 0)

    def on_start(self):
        self.username = next(_next[self.role])
        page = self.client.get("/login", name="/login")
        fields = form_of(page.text).fields
        fields.update(identifier=self.username, password=PASSWORD)
        with self.client.post("/login", data=fields, name="/login [POST]", allow_redirects=False,
                              catch_response=True) as answer:
            if answer.status_code not in (302, 303):
                answer.failure(f"sign-in as {self.username} answered {answer.status_code}")

    def get(self, url: str, name: str, hx: bool = False):
        headers = {"HX-Request": "true"} if hx else {}
        with self.client.get(url, name=name, headers=headers, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"{answer.status_code}")
            return answer


class FieldWorker(Person):
    """A village head, volunteer or teacher: logs talks and looks at what was logged; replays from the outbox."""

    role = "collector"
    weight = 6

    @task(4)
    def home(self):
        self.get("/", "/")

    @task(4)
    def my_activities(self):
        self.get("/activities/", "/activities/")

    @task(2)
    def filtered_activities(self):
        self.get("/activities/?kind=communication&status=submitted", "/activities/?filters", hx=True)

    @task(2)
    def find_a_child(self):
        self.get("/children/?q=giang", "/children/?q=")

    @task(2)
    def log_a_talk(self):
        """Open the form, fill it as a person would, send it; then the outbox replays it once more (as after a
        lost answer): the replay must give back the saved record, not a second one."""
        page = self.get("/activities/new/communication", "/activities/new/communication")
        if page.status_code != 200:
            return
        fields = form_of(page.text).fields
        fields.update(channel="community_talk", topics=["violence_abuse"], boys="12", girls="15", material_leaflet="20",
                      client_id=str(uuid.uuid4()))
        # As a browser encodes a form: a list (the topics' checkboxes) is one field per value.
        body = urlencode(fields, doseq=True)
        for attempt in ("[POST]", "[POST replay]"):
            with self.client.post("/activities/new/communication", data=body, allow_redirects=False,
                                  headers={"Content-Type": "application/x-www-form-urlencoded"},
                                  name=f"/activities/new/communication {attempt}", catch_response=True) as answer:
                if answer.status_code != 303:
                    errors = re.findall(r'class="error"[^>]*>([^<]*)', answer.text)[:2]
                    answer.failure(f"{answer.status_code} {errors}")

    @task(1)
    def sync_token(self):
        self.get("/csrf", "/csrf")


class Officer(Person):
    """A commune officer: reviews, looks at the dashboard and the report, gifts and the fund."""

    role = "officer"
    weight = 3

    @task(3)
    def waiting_for_review(self):
        self.get("/activities/?status=submitted", "/activities/?filters", hx=True)

    @task(2)
    def dashboard(self):
        self.get("/reports/dashboard", "/reports/dashboard (commune)")

    @task(1)
    def children(self):
        self.get("/children/", "/children/")

    @task(1)
    def gifts(self):
        self.get("/gifts/", "/gifts/")

    @task(1)
    def fund(self):
        self.get("/fund/", "/fund/")

    @task(1)
    def reports(self):
        self.get("/reports/", "/reports/")


class Province(Person):
    """The province's admin or a leader (viewer): the dashboard and who has reported."""

    role = "admin"
    weight = 1

    @task(2)
    def dashboard(self):
        self.get("/reports/dashboard", "/reports/dashboard (province)")

    @task(1)
    def reports(self):
        self.get("/reports/", "/reports/")

    @task(1)
    def activities(self):
        self.get("/activities/", "/activities/")
