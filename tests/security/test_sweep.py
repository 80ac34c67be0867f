"""The security sweep: every route × every role × inside and outside the user's area answers as designed; nothing of
commune B reaches commune A by any page, partial, export or report; a viewer never gets a child's name; stored
script comes back escaped everywhere; a post without its CSRF token saves nothing; hostile query parameters never
break a page. The world (tests/security/conftest.py) is made once per module and database."""

import inspect
import re
from dataclasses import dataclass

import pytest
from flask import url_for

from tests.conftest import hidden_fields
from tests.security.conftest import B_TAG, KID_TAG, ROLES
from tests.security.forms import post_forms, text_of, unescaped
from tests.security.routes import ARGUMENTS, COMMUNE_ROLES, EXTRA_GETS, PUBLIC, ROUTES
from tests.vietnamese import english_in, page_text
from webapp.core import clock

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}
REFUSALS = (302, 401, 403, 404)


@dataclass
class Case:
    endpoint: str
    method: str
    role: str
    area: str  # "A" (the user's own, for province users simply commune A) or "B"
    url: str
    partial: bool
    expected: int


def app_routes(app) -> list[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found.add((rule.endpoint, method))
    return sorted(found)


def test_every_route_is_in_the_table(world):
    app = world.app
    missing = [route for route in app_routes(app) if route not in ROUTES]
    assert not missing, (f"Routes not in the security sweep's table: {missing}. Add each to ROUTES in "
                         "tests/security/routes.py with who may use it and whether it opens a record of an area.")
    gone = [route for route in ROUTES if route not in app_routes(app)]
    assert not gone, f"ROUTES lists routes the app no longer has: {gone}"


def _value(world, area: str, key):
    if not isinstance(key, str):
        return key
    if re.fullmatch(r"[ABP]\.\w+", key):
        scope, name = key.split(".")
        return world.ids[scope][name]
    if key in world.ids[area]:
        return world.ids[area][key]
    return key


def build_url(world, endpoint: str, method: str, area: str) -> str:
    rule = ROUTES[(endpoint, method)]
    werkzeug_rule = next(r for r in world.app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {name: _value(world, area, rule.args.get(name, ARGUMENTS.get(name, name)))
              for name in werkzeug_rule.arguments}
    with world.app.test_request_context():
        url = url_for(endpoint, **values)
    if rule.query:
        url += "?" + rule.query.format(**world.ids[area])
    return url


def expected(endpoint: str, method: str, role: str, area: str, partial: bool) -> int:
    rule = ROUTES[(endpoint, method)]
    if rule.roles == PUBLIC:
        return 200 if role == "anonymous" else rule.ok
    if role == "anonymous":
        return 401 if partial else 302
    if role not in rule.roles:
        return 403
    if area == "B" and rule.area and role in COMMUNE_ROLES:
        return rule.other.get(role, 404)
    if area == "B":
        return rule.other.get(role, rule.own.get(role, rule.ok))
    return rule.own.get(role, rule.ok)


def cases(world) -> list[Case]:
    made = []
    for endpoint, method in sorted(ROUTES):
        rule = ROUTES[(endpoint, method)]
        for role in ROLES:
            areas = ("A", "B") if rule.area and role not in ("anonymous",) else ("A",)
            for area in areas:
                variants = [False]
                if method == "GET" and rule.roles != PUBLIC and (rule.partial or role == "anonymous"):
                    variants.append(True)
                for partial in variants:
                    answer = expected(endpoint, method, role, area, partial)
                    if method != "GET" and (rule.destructive and answer not in REFUSALS):
                        continue  # posting it would change the world; the feature's own tests post it
                    made.append(Case(endpoint, method, role, area, build_url(world, endpoint, method, area),
                                     partial, answer))
    return made


@dataclass
class Sweep:
    answers: list  # (case, response)
    wrong: list  # (case, status)


_TOKENS: dict = {}


def _token(world, role: str) -> str:
    key = (id(world), role)
    if key not in _TOKENS:
        client = world.client(role)
        page = client.get("/account" if role != "anonymous" else "/login")
        _TOKENS[key] = hidden_fields(page.get_data(as_text=True))["csrf_token"]
    return _TOKENS[key]


@pytest.fixture(scope="module")
def sweep(world) -> Sweep:
    """Every case asked once; the answers are kept for the checks below."""
    before = world.counts()
    answers, wrong = [], []
    for case in cases(world):
        client = world.client(case.role)
        headers = dict(PARTIAL) if case.partial else {}
        if case.method == "GET":
            response = client.get(case.url, headers=headers)
        else:
            response = client.open(case.url, method=case.method, headers=headers,
                                   data={"csrf_token": _token(world, case.role)})
        status = response.status_code
        if status != case.expected or (status == 302 and case.role == "anonymous"
                                       and "/login" not in response.headers.get("Location", "")):
            wrong.append((case, status))
        answers.append((case, response))
    for role in ("collector", "village_head", "officer"):
        client = world.client(role)
        for template in EXTRA_GETS:
            url = _fill(world, template)
            for headers in ({}, PARTIAL):
                response = client.get(url, headers=headers)
                case = Case("extra", "GET", role, "A", url, bool(headers), 0)
                if response.status_code >= 500:
                    wrong.append((case, response.status_code))
                answers.append((case, response))
    # Nothing that was refused changed anything.
    assert world.counts() == before
    return Sweep(answers, wrong)


def _fill(world, template: str) -> str:
    def repl(match):
        scope, name = match.group(1), match.group(2)
        return str(world.ids[scope][name])

    url = re.sub(r"\{([AB])\.(\w+)\}", repl, template)
    return url.replace("{B_PART}", B_TAG[:-1]).replace("{year}", str(clock.today().year))


def test_every_route_answers_each_role_as_designed(sweep):
    lines = [f"{c.method} {c.url} as {c.role}{' (htmx)' if c.partial else ''}: {status}, designed {c.expected}"
             for c, status in sweep.wrong]
    assert not lines, "\n".join(lines)
    assert not [c for c, r in sweep.answers if r.status_code >= 500]


def test_nothing_of_commune_b_reaches_commune_a(sweep):
    leaks = [f"{c.method} {c.url}{' (htmx)' if c.partial else ''} as {c.role}"
             for c, r in sweep.answers if c.role in COMMUNE_ROLES and B_TAG in text_of(r).lower()]
    assert not leaks, "commune B's records reached a commune-A user:\n" + "\n".join(leaks)
    # The sweep would see a leak: the same pages show commune B's records to the province's administrator.
    admin_pages = [text_of(r).lower() for c, r in sweep.answers if c.role == "admin" and c.area == "B"]
    assert sum(B_TAG in page for page in admin_pages) > 20


def test_a_viewer_never_gets_a_childs_name(sweep):
    seen = [f"{c.method} {c.url}" for c, r in sweep.answers if c.role == "viewer" and KID_TAG in text_of(r).lower()]
    assert not seen, "a viewer got a child's name:\n" + "\n".join(seen)
    officer_pages = [text_of(r).lower() for c, r in sweep.answers if c.role == "officer"]
    assert any(KID_TAG in page for page in officer_pages)


def test_no_export_carries_a_live_formula(sweep):
    """The school and the venue of the world are formulas (=HYPERLINK…): every spreadsheet the sweep got keeps them
    as text."""
    import csv
    import io

    from openpyxl import load_workbook

    live, seen = [], 0
    for c, r in sweep.answers:
        if r.status_code != 200:
            continue
        if r.mimetype.endswith("spreadsheetml.sheet"):
            book = load_workbook(io.BytesIO(r.get_data()))
            cells = [cell for ws in book for row in ws.iter_rows() for cell in row]
            seen += any("HYPERLINK" in str(cell.value) for cell in cells)
            live += [f"{c.url}: {cell.coordinate}" for cell in cells if cell.data_type == "f"]
        elif r.mimetype == "text/csv":
            fields = [v for row in csv.reader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))) for v in row]
            seen += any("HYPERLINK" in v for v in fields)
            live += [f"{c.url}: {v[:30]}" for v in fields if v.startswith(("=", "+", "@", "\t", "\r"))]
    assert not live, "live formulas in exports:\n" + "\n".join(live)
    assert seen >= 2  # the sweep did get exports carrying them


ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
SHOWS_TEXT = [  # pages that show what people typed: each must show the hostile text, escaped
    "activities.detail", "children.detail", "gifts.detail", "gifts.sheet", "forum.detail", "forum.delegate",
    "forum.recommendation", "forum.public", "forum.training", "swim.detail", "swim.programme", "fund.index",
    "fund.receipt", "fund.donors_view", "reports.report", "reports.print_view", "accounts.user_detail",
    "offline.conflicts", "plans.agencies", "plans.detail", "reports.dashboard",
]


def test_stored_script_comes_back_escaped(world, sweep):
    assert not world.escapes, f"forms re-shown with script unescaped: {world.escapes}"
    raw = [f"{c.method} {c.url} as {c.role}: {unescaped(r)}" for c, r in sweep.answers if unescaped(r)]
    assert not raw, "stored script came back unescaped:\n" + "\n".join(raw)
    shown = {c.endpoint for c, r in sweep.answers
             if c.role == "admin" and r.status_code == 200 and ESCAPED in text_of(r)}
    assert not set(SHOWS_TEXT) - shown, f"pages that did not show the stored text: {set(SHOWS_TEXT) - shown}"


def test_a_post_without_its_csrf_token_is_refused_and_saves_nothing(world):
    client = world.client("admin")
    before = world.counts()
    wrong = []
    for endpoint, method in sorted(ROUTES):
        if method == "GET":
            continue
        url = build_url(world, endpoint, method, "A")
        fields = {}
        if (endpoint, "GET") in ROUTES:
            page = client.get(url)
            forms = post_forms(page.get_data(as_text=True)) if page.status_code == 200 else []
            if forms:
                fields = {k: v[0] for k, v in forms[0].fields.items() if k != "csrf_token"}
        response = client.open(url, method=method, data=fields)
        if response.status_code != 400 or "chưa có gì được lưu" not in response.get_data(as_text=True):
            wrong.append(f"{method} {url}: {response.status_code}")
        htmx = client.open(url, method=method, data=fields, headers=PARTIAL)
        if htmx.status_code != 400:
            wrong.append(f"{method} {url} (htmx): {htmx.status_code}")
    assert not wrong, "\n".join(wrong)
    assert world.counts() == before


# --- hostile query parameters ---------------------------------------------------------------------------------------
HOSTILE = ["' OR '1'='1", "1; DROP TABLE users; --", "%", "_", "%_%", "a\x00b", "x" * 10_000, "-1",
           "99999999999999999999", "1.5", "[]", "Bản Phố", "\\", "unit=1&unit=2", "2147483648", "\u00b2",
           "0001-01-01", "9999-12-31", "year-9999", "period-2147483648"]
_ARG = re.compile(r"request\.args(?:\.get|\.getlist)?[\(\[]\"(\w+)\"")


def query_names(app, endpoint: str) -> set[str]:
    """The query parameters a view's module reads (every one, so that a new filter is tried too), and its page."""
    module = inspect.getmodule(app.view_functions[endpoint])
    source = inspect.getsource(module)
    names = set(_ARG.findall(source)) | {"page"}
    if "FilterForm(request.args)" in source:
        from webapp.activities.forms import FilterForm

        names |= {name for name in FilterForm.__dict__ if not name.startswith("_")
                  and hasattr(getattr(FilterForm, name), "field_class")}
    return names


def test_hostile_query_parameters_never_break_a_page_or_cross_the_area(world):
    wrong = []
    for (endpoint, method), rule in sorted(ROUTES.items()):
        if method != "GET" or rule.roles == PUBLIC or endpoint == "static":
            continue
        role = "officer" if "officer" in rule.roles else "admin"  # the administrator's pages too (the audit log)
        client = world.client(role)
        base = build_url(world, endpoint, method, "A").split("?")[0]
        names = sorted(query_names(world.app, endpoint))
        for value in HOSTILE:
            response = client.get(base, query_string={name: value for name in names})
            status = response.status_code
            body = text_of(response)
            if status >= 500 or status not in (200, 400, 404, 422):
                wrong.append(f"{endpoint} {names}={value[:20]!r}: {status}")
            elif status in (400, 422) and "<h1" not in body:
                wrong.append(f"{endpoint} {names}={value[:20]!r}: {status} without a message")
            elif role == "officer" and B_TAG in body.lower():
                wrong.append(f"{endpoint} {names}={value[:20]!r}: shows commune B's records")
    assert not wrong, "\n".join(wrong)


def test_a_viewer_asking_for_a_village_gets_its_commune(world, sweep):
    """Viewers see commune level and above: every page a viewer may open for a unit, asked for commune A's village
    (as ?unit= or as the unit in the path), answers for the commune or refuses, never with the village's figures."""
    from tests.security.conftest import A_TAG

    village, commune = world.ids["A"]["village"], world.ids["A"]["unit"]
    marker = f"bản {A_TAG} 1"  # the village's name, as the world renamed it
    client = world.client("viewer")
    asked, wrong = 0, []
    for case, _response in sweep.answers:
        if case.role != "viewer" or case.method != "GET" or case.area != "A" or case.partial:
            continue
        url = case.url.replace(f"unit={commune}", f"unit={village}").replace(f"/units/{commune}/",
                                                                              f"/units/{village}/")
        if url == case.url:
            continue
        asked += 1
        response = client.get(url)
        if response.status_code >= 500 or (response.status_code == 200 and marker in text_of(response).lower()):
            wrong.append(f"{url}: {response.status_code}")
    assert asked >= 3 and not wrong, "\n".join(wrong)


# --- values at the edges in every form --------------------------------------------------------------------------------
EDGE_DATES = ["0001-01-01", "9999-12-31"]
EDGE_IDS = ["2147483648", "-2147483649", "\u00b2"]
WIDE_TEXT = "\ufb2c" * 400  # 400 characters typed, 1,200 once normalised
_INPUT_TAG = re.compile(r"<input\b[^>]*>", re.I)
_SELECT = re.compile(r'<select\b[^>]*name="([^"]+)"[^>]*>(.*?)</select>', re.I | re.S)


def _attrs(tag: str) -> dict:
    return dict(re.findall(r'([\w:-]+)="([^"]*)"', tag))


def edge_fields(html: str) -> tuple[set, set]:
    """The date inputs of a page, and the fields that carry an id: selects whose options are numbers, and hidden or
    numeric inputs named *_id."""
    dates, ids = set(), set()
    for tag in _INPUT_TAG.findall(html):
        a = _attrs(tag)
        if "name" not in a:
            continue
        if a.get("type") == "date":
            dates.add(a["name"])
        elif a["name"].endswith("_id") and a["name"] not in ("client_id",) and a.get("type") != "checkbox":
            ids.add(a["name"])
    for name, options in _SELECT.findall(html):
        values = re.findall(r'<option\b[^>]*value="([^"]*)"', options)
        if any(v.lstrip("-").isdigit() for v in values):
            ids.add(name)
    return dates, ids


def _edge_role(rule) -> str:
    return "officer" if rule.roles != PUBLIC and "officer" in rule.roles and not rule.own.get("officer") else "admin"


def test_values_at_the_edges_in_every_form_are_refused_with_a_message(world):
    """Every form the sweep knows, filled as it comes and posted with each date at year 1 and 9999, each id beyond
    an Integer column, and its free text at 1,200 characters once normalised: never a 500, and no date or id at the
    edge is saved. Asked on SQLite and on PostgreSQL (which refuses what SQLite stores)."""
    wrong, tried = [], 0
    for (endpoint, method), rule in sorted(ROUTES.items()):
        if method != "POST" or (endpoint, "GET") not in ROUTES or rule.roles == PUBLIC or endpoint.startswith(
                ("accounts.login", "accounts.logout", "accounts.language")):
            continue
        role = _edge_role(rule)
        client = world.client(role)
        url = build_url(world, endpoint, method, "A")
        page = client.get(url)
        if page.status_code != 200:
            continue
        forms = [f for f in post_forms(page.get_data(as_text=True))
                 if (f.action or url).split("?")[0] == url.split("?")[0]]
        if not forms:
            continue
        dates, ids = edge_fields(page.get_data(as_text=True))
        variants = [(f"{name}={value}", {name: value}, True) for name in sorted(dates) for value in EDGE_DATES]
        variants += [(f"{name}={value}", {name: value}, True) for name in sorted(ids) for value in EDGE_IDS]
        variants += [("free text", dict.fromkeys(forms[0].free_text, WIDE_TEXT), False)] if forms[0].free_text else []
        for label, changes, nothing_saved in variants:
            fresh = post_forms(client.get(url).get_data(as_text=True))  # a new client_id each time
            form = next(f for f in fresh if (f.action or url).split("?")[0] == url.split("?")[0])
            data = {k: (v if len(v) > 1 else v[0]) for k, v in form.fields.items()}
            data.update(changes)
            before = world.counts()
            response = client.post(form.action or url, data=data)
            tried += 1
            status = response.status_code
            if status >= 500:
                wrong.append(f"{endpoint} {label}: {status}")
            elif nothing_saved and world.counts() != before:
                wrong.append(f"{endpoint} {label}: saved ({status})")
            elif status == 422 and 'class="error"' not in response.get_data(as_text=True) \
                    and "flash-error" not in response.get_data(as_text=True):
                wrong.append(f"{endpoint} {label}: 422 without a message")
    assert tried > 50
    assert not wrong, "\n".join(wrong)


def test_every_page_reads_in_vietnamese(sweep):
    """Every page every role opens, in Vietnamese (the default), holds no English message of the catalogue: a label
    built at import stays English (issue 15 item 8, "a) Orphaned of both parents" on "Thêm trẻ em")."""
    english, pages = [], 0
    for c, r in sweep.answers:
        if r.status_code != 200 or not (r.mimetype or "").startswith("text/html"):
            continue
        pages += 1
        body = r.get_data(as_text=True)
        assert 'aria-describedby="None"' not in body, c.url  # a box described by nothing has no such attribute
        found = english_in(page_text(body))
        if found:
            english.append(f"{c.url} as {c.role}{' (htmx)' if c.partial else ''}: {found}")
    assert pages > 100
    assert not english, "English on a Vietnamese page:\n" + "\n".join(sorted(set(english)))
