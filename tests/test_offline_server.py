"""The server side of working offline: the manifest, the worker script, the pages kept for working without signal,
and the answers the outbox reads. The outbox exists for the forms of the field (an activity, a child, a lesson's
taps): these tests send a village head's community talk and a child's record through it. Administration forms
(accounts, plans, places) are never sent through it."""

import html
import json
import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.activities.conftest import read_form
from tests.conftest import hidden_fields
from tests.test_children_register import child_data, child_id_from
from webapp.accounts.models import User
from webapp.activities.models import Activity
from webapp.children.models import Child
from webapp.core import clock
from webapp.core.audit import AuditLog
from webapp.core.edits import EditConflict
from webapp.extensions import db
from webapp.geo.models import Unit
from webapp.plans.models import Agency

REPLAY = {"X-Sotay-Outbox": "replay"}
LIVE = {"X-Sotay-Outbox": "live"}
# The form the outbox exists for: a village head logs a talk in her community, often where there is no signal.
TALK = "/activities/new/communication?channel=community_talk"
COUNT_MESSAGE = "Hãy nhập số nguyên từ 0 đến 100.000."
STALE_FORM_MESSAGE = "Biểu mẫu này đã cũ"


def village_url(places):
    return f"/places/{places['A'].id}/villages/new"


def form_fields(client, url):
    return hidden_fields(client.get(url).get_data(as_text=True))


def talk(client, boys, **more) -> dict:
    """The talk form as the page shows it (today, the village, this year's plan, the channel, a new client_id),
    with the number of boys who came: what tells one record from another in these tests."""
    page = client.get(TALK)
    assert page.status_code == 200, page.status_code
    _action, fields = read_form(page.get_data(as_text=True))
    assert fields["channel"] == "community_talk" and fields["client_id"]
    return fields | {"boys": str(boys), "topics": "violence_abuse", **more}


def activity_id_of(url: str) -> int:
    return int(re.fullmatch(r"/activities/(\d+)", url).group(1))


def activity(app, activity_id) -> Activity:
    with app.app_context():
        record = db.session.get(Activity, activity_id)
        db.session.expunge_all()
        return record


@pytest.fixture
def village_head(login_as, this_years_plan):
    """The village head of village A, signed in, with this year's plan to log her activities under."""
    return login_as("village_head_A")


def test_manifest_makes_the_app_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    data = response.get_json(force=True)
    assert data["display"] == "standalone" and data["start_url"] == "/"
    assert data["name"].startswith("Sổ tay") and data["lang"] == "vi"
    sizes = {(i["sizes"], i["purpose"]) for i in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")} <= sizes
    for icon in data["icons"]:
        png = client.get(icon["src"])
        assert png.status_code == 200 and png.data[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(png.data[16:20], "big") == int(icon["sizes"].split("x")[0])


def test_pages_link_the_manifest_and_scripts(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert re.search(r'<script src="/static/js/offline.js\?v=\w+" defer>', page)
    strings = json.loads(re.search(r'<script type="application/json" id="sotay-strings">(.*?)</script>', page).group(1))
    assert strings["savedOnPhone"] == "Đã lưu trên điện thoại — sẽ gửi khi có mạng"


def test_worker_is_served_at_the_root_never_from_an_http_cache(client):
    response = client.get("/sw.js")
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"
    text = response.get_data(as_text=True)
    shell = json.loads(re.search(r"const SHELL = (.*);", text).group(1))
    assert "/offline" in shell and "/manifest.webmanifest" in shell
    assert any(re.fullmatch(r"/static/css/app\.css\?v=\w{10}", url) for url in shell)
    for url in shell:
        assert client.get(url).status_code == 200, url


def test_worker_version_changes_with_a_new_build(app, client):
    def version():
        return re.search(r'const VERSION = "(\w+)"', client.get("/sw.js").get_data(as_text=True)).group(1)

    first = version()
    assert version() == first
    app.config["SOTAY_BUILD"] = "next-deploy"
    assert version() != first


def test_offline_page_holds_nobody_s_data(login_as, client):
    login_as("officer_A")
    page = client.get("/offline").get_data(as_text=True)
    assert "Không có mạng" in page
    assert "Lý Thị Mai" not in page and "Mường Khương" not in page and "csrf" not in page.lower()


def test_csrf_endpoint_gives_a_fresh_token_and_who_is_signed_in(login_as, client, users):
    anonymous = client.get("/csrf")
    assert anonymous.get_json()["user"] is None and anonymous.headers["Cache-Control"] == "no-store"
    login_as("officer_A")
    data = client.get("/csrf").get_json()
    assert data["user"] == users["officer_A"].id and data["token"]


def test_a_replay_is_saved_once_and_answers_saved_each_time(village_head, client, users, count):
    fields = talk(client, 17)
    first = client.post(TALK, data=fields, headers=REPLAY)
    again = client.post(TALK, data=fields, headers=REPLAY)
    for answer in (first, again):
        assert answer.status_code == 200
        assert answer.get_json()["status"] == "saved"
    assert first.get_json()["url"] == again.get_json()["url"]
    assert first.get_json()["message"].startswith("Đã lưu: ")
    assert count(Activity, boys=17, created_by_id=users["village_head_A"].id) == 1
    # A replay's flash messages do not pile up in the session.
    assert first.get_json()["message"] not in client.get("/").get_data(as_text=True)


def test_a_live_send_keeps_its_message_for_the_next_page(village_head, client, app):
    answer = client.post(TALK, data=talk(client, 9), headers=LIVE)
    data = answer.get_json()
    assert data["status"] == "saved" and data["message"].startswith("Đã lưu: ")
    assert activity(app, activity_id_of(data["url"])).boys == 9
    assert data["message"] in client.get(data["url"]).get_data(as_text=True)


def test_an_invalid_replay_answers_with_the_field_messages(village_head, client, count):
    answer = client.post(TALK, data=talk(client, "abc"), headers=REPLAY)
    assert answer.status_code == 422
    data = answer.get_json()
    assert data["status"] == "invalid"
    assert data["errors"] == {"boys": COUNT_MESSAGE}
    # A refusal the view makes from several fields comes back next to its field too.
    data = client.post(TALK, data=talk(client, 8, girls="5", children="10"), headers=REPLAY).get_json()
    assert data["status"] == "invalid" and list(data["errors"]) == ["children"]
    assert "13" in data["errors"]["children"] and "10" in data["errors"]["children"]
    assert count(Activity) == 0


def test_signed_out_is_401_not_the_login_page(client, this_years_plan, count):
    token = client.get("/csrf").get_json()["token"]
    answer = client.post(TALK, headers=REPLAY,
                         data={"csrf_token": token, "client_id": "9d7c1c52-1d37-4a51-8f0e-2b1c6d1f0a11",
                               "channel": "community_talk", "date": clock.today().isoformat(), "boys": "4"})
    assert answer.status_code == 401
    assert answer.get_json()["status"] == "signed_out"
    assert count(Activity) == 0


def test_a_stale_token_answers_csrf_so_the_outbox_fetches_a_fresh_one(village_head, client, count):
    answer = client.post(TALK, data=talk(client, 4, csrf_token="stale"), headers=REPLAY)
    assert answer.status_code == 400 and answer.get_json()["status"] == "csrf"
    assert count(Activity) == 0


def test_a_client_id_of_another_user_is_refused(village_head, client, new_client, users, count):
    fields = talk(client, 11)
    assert client.post(TALK, data=fields, headers=REPLAY).get_json()["status"] == "saved"
    other = new_client()
    other.login(users["collector_A"].username)
    stolen = talk(other, 12, client_id=fields["client_id"])
    answer = other.post(TALK, data=stolen, headers=REPLAY)
    assert answer.status_code == 409 and answer.get_json()["status"] == "refused"
    # Also with the very fields the village head sent: it is hers, not a replay of the collector's.
    answer = other.post(TALK, data=fields | {"csrf_token": other.get("/csrf").get_json()["token"]}, headers=REPLAY)
    assert answer.status_code == 409 and answer.get_json()["status"] == "refused"
    assert count(Activity) == 1 and count(Activity, created_by_id=users["collector_A"].id) == 0


def test_an_item_another_account_made_on_this_phone_is_not_sent(village_head, client, users, count):
    answer = client.post(TALK, data=talk(client, 6),
                         headers=REPLAY | {"X-Sotay-User": str(users["collector_A"].id)})
    assert answer.status_code == 409 and answer.get_json()["status"] == "refused"
    assert count(Activity) == 0


def test_a_plain_form_post_still_gets_a_303(village_head, client):
    answer = client.post(TALK, data=talk(client, 3))
    assert answer.status_code == 303 and re.fullmatch(r"/activities/\d+", answer.headers["Location"])


# --- administration is never sent through the outbox -----------------------------------------------------------

def _new_village(client, places):
    return village_url(places), form_fields(client, village_url(places)) | {"kind": "thôn", "name": "Thôn Pạc Bo"}


def _rename_village(client, places):
    url = f"/places/{places['village_A'].id}/edit"
    return url, form_fields(client, url) | {"name": "Thôn Pạc Bo"}


def _new_user(client, places):
    return "/users/new", form_fields(client, "/users/new") | {
        "full_name": "Chu Văn An", "username": "chu.an", "role": "collector", "unit_id": str(places["A"].id),
        "password": "abcdefgh12"}


def _new_agency(client, places):
    return "/plans/agencies", form_fields(client, "/plans/agencies") | {"name": "Hội Nông dân tỉnh",
                                                                         "level": "province", "active": "y"}


def _nothing_made(app, count, places):
    assert count(Unit, name="Thôn Pạc Bo") == 0
    assert count(User, username="chu.an") == 0
    assert count(Agency, name="Hội Nông dân tỉnh") == 0
    with app.app_context():
        village = db.session.get(Unit, places["village_A"].id)
        assert (village.name, village.version) == ("Thôn Lùng Cẩu", 1)


@pytest.mark.parametrize("form, who", [(_new_village, "officer_A"), (_rename_village, "officer_A"),
                                       (_new_user, "admin"), (_new_agency, "admin")],
                         ids=["village", "rename", "user", "agency"])
def test_an_administration_form_from_the_outbox_is_refused(form, who, app, login_as, client, places, count):
    login_as(who)
    url, fields = form(client, places)
    for mode in ("live", "replay"):
        answer = client.post(url, data=fields, headers={"X-Sotay-Outbox": mode})
        assert answer.status_code == 403, (mode, answer.status_code)
        assert answer.get_json()["status"] == "refused" and answer.headers["X-Sotay-Answer"] == "refused"
        assert not answer.get_json()["message"].isascii()  # said in Vietnamese, for the outbox page to show
    _nothing_made(app, count, places)
    # The same form sent by hand, with signal, is saved as ever.
    assert client.post(url, data=fields).status_code == 303


# --- a client_id names one entry: the fields it was made from ----------------------------------------------------

def test_the_same_client_id_with_the_same_fields_is_the_same_record(village_head, client, count):
    fields = talk(client, 12)
    first = client.post(TALK, data=fields)
    assert first.status_code == 303
    # The outbox sends it again later with a fresh token: not a field of the entry, so the same entry.
    again = client.post(TALK, data=fields | {"csrf_token": client.get("/csrf").get_json()["token"]}, headers=REPLAY)
    assert again.status_code == 200
    assert again.get_json()["status"] == "saved" and again.get_json()["url"] == first.headers["Location"]
    assert count(Activity) == 1


@pytest.mark.parametrize("mode", ["replay", "live"])
def test_the_same_client_id_with_other_fields_is_another_entry(mode, app, village_head, client, count):
    """A page kept on the phone shown again with its old client_id: what is typed into it is a new entry. It is
    refused as "reused_id", nothing is changed or lost, and the outbox sends it again under a new id."""
    fields = talk(client, 12)
    saved = client.post(TALK, data=fields, headers=REPLAY).get_json()
    first_id = activity_id_of(saved["url"])
    other = fields | {"boys": "13"}
    answer = client.post(TALK, data=other, headers={"X-Sotay-Outbox": mode})
    assert answer.status_code == 409
    assert answer.get_json()["status"] == "reused_id" and not answer.get_json()["message"].isascii()
    first = activity(app, first_id)
    assert (first.boys, first.version) == (12, 1)
    assert count(Activity) == 1
    # The outbox's recovery: the same fields under a new client_id make a record of their own.
    retry = client.post(TALK, data=other | {"client_id": str(uuid.uuid4())}, headers=REPLAY)
    assert retry.status_code == 200 and retry.get_json()["status"] == "saved"
    assert activity(app, activity_id_of(retry.get_json()["url"])).boys == 13
    assert activity(app, first_id).boys == 12
    assert count(Activity) == 2


def test_a_plain_post_of_a_reused_client_id_is_refused_in_vietnamese(app, village_head, client, count):
    fields = talk(client, 12)
    first = client.post(TALK, data=fields)
    assert first.status_code == 303
    answer = client.post(TALK, data=fields | {"boys": "13"})
    assert answer.status_code == 409 and "Location" not in answer.headers  # no redirect to the old record
    assert answer.mimetype == "text/html"
    page = answer.get_data(as_text=True)
    assert '<html lang="vi"' in page
    main = page.split("<main", 1)[1]
    assert "<h1>Chưa lưu</h1>" in main, main[:600]
    assert "already been saved with other values" not in main and "Not saved" not in main
    assert activity(app, activity_id_of(first.headers["Location"])).boys == 12
    assert count(Activity) == 1


def test_an_invalid_answer_takes_its_messages_from_the_form(village_head, client, count):
    data = client.post(TALK, data=talk(client, "abc"), headers=REPLAY).get_json()
    assert data["errors"] == {"boys": COUNT_MESSAGE}
    assert isinstance(data["form_errors"], list) and data["form_errors"] == []
    assert COUNT_MESSAGE in data["message"]
    # A refusal of the whole form (its client_id broken) is a form error, not a field's.
    data = client.post(TALK, data=talk(client, 5, client_id="not-a-uuid"), headers=REPLAY).get_json()
    assert data["status"] == "invalid" and data["errors"] == {}
    assert isinstance(data["form_errors"], list) and len(data["form_errors"]) == 1
    assert data["form_errors"][0].startswith(STALE_FORM_MESSAGE)
    # A field of a list of rows is named as the page names it.
    page = client.get("/activities/new/training")
    _action, fields = read_form(page.get_data(as_text=True))
    fields |= {"topics": ["injury_drowning"], "participants-0-name": "A" * 121, "participants-0-role": "volunteer"}
    data = client.post("/activities/new/training", data=fields, headers=REPLAY).get_json()
    assert data["status"] == "invalid" and list(data["errors"]) == ["participants-0-name"]
    assert isinstance(data["form_errors"], list)
    assert count(Activity) == 0


# --- what the service worker learns from every page --------------------------------------------------------------

def test_every_page_says_whose_it_is(client, login_as, users, this_years_plan):
    for url in ("/login", "/offline", "/no-such-page"):
        response = client.get(url)
        assert response.mimetype == "text/html" and response.headers["X-Sotay-User"] == "", url
    login_as("village_head_A")
    mine = str(users["village_head_A"].id)
    for url in ("/", "/outbox", "/offline", "/activities/new", TALK, "/activities/", "/no-such-page",
                "/users/new"):
        response = client.get(url)
        assert response.mimetype == "text/html", url
        assert response.headers["X-Sotay-User"] == mine, url
    # Not on what is not a page.
    assert "X-Sotay-User" not in client.get("/offline/working-set").headers


def test_a_page_with_a_childs_data_says_so(client, login_as, places):
    login_as("officer_A")
    child_id = child_id_from(client.submit("/children/new", child_data(places)))
    for url in ("/children/", f"/children/{child_id}", f"/children/{child_id}/edit"):
        response = client.get(url)
        assert response.status_code == 200 and response.headers.get("X-Sotay-Personal") == "1", url
    for url in ("/activities/new", "/activities/new/communication", "/outbox", "/offline"):
        response = client.get(url)
        assert response.status_code == 200 and "X-Sotay-Personal" not in response.headers, url


# --- the working set: the pages kept on the phone before they are needed ------------------------------------------

def working_set(client) -> dict:
    response = client.get("/offline/working-set")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    return response.get_json()


def assert_all_open(client, urls) -> None:
    answers = {url: client.get(url).status_code for url in urls}
    assert {url: code for url, code in answers.items() if code != 200} == {}


def test_the_working_set_of_a_village_head(client, login_as, users, this_years_plan):
    assert working_set(client) == {"user": None, "urls": []}
    login_as("village_head_A")
    data = working_set(client)
    assert data["user"] == users["village_head_A"].id
    urls = data["urls"]
    assert len(urls) == len(set(urls))
    assert {"/", "/outbox", "/activities/new"} <= set(urls)
    listed = re.findall(r'href="(/activities/new/[^"]+)"', client.get("/activities/new").get_data(as_text=True))
    forms = {html.unescape(url) for url in listed}
    assert TALK in forms and len(forms) >= 13
    assert forms <= set(urls), forms - set(urls)
    assert_all_open(client, urls)


def test_the_working_set_of_a_teacher_holds_every_lesson(client, new_client, login_as, make_user, places):
    from tests.test_swim_courses import course_data

    teacher = make_user("collector", places["A"].id, "giaovien.a", "Hoàng Thị Lan")
    login_as("officer_A")
    today = clock.today()
    response = client.submit("/swim/new", course_data(places, teacher_ids=str(teacher.id),
                                                      start_date=today.isoformat(),
                                                      end_date=(today + timedelta(days=45)).isoformat()))
    assert response.status_code == 303, response.get_data(as_text=True)
    course_id = int(re.search(r"/swim/(\d+)$", response.headers["Location"]).group(1))
    phone = new_client()
    assert phone.login(teacher.username).status_code == 303
    urls = working_set(phone)["urls"]
    assert f"/swim/{course_id}" in urls
    assert {f"/swim/{course_id}/lessons/{n}" for n in range(1, 17)} <= set(urls)
    assert_all_open(phone, urls)


def test_the_working_set_of_an_officer_holds_the_check_in_of_a_coming_forum(client, login_as, places):
    from tests.forum_helpers import plan_forum

    login_as("officer_A")
    forum_id = plan_forum(client, places["A"].id, day=clock.today() + timedelta(days=10))
    later = plan_forum(client, places["A"].id, day=clock.today() + timedelta(days=60))
    urls = working_set(client)["urls"]
    assert f"/forum/{forum_id}/checkin" in urls
    assert f"/forum/{later}/checkin" not in urls
    assert_all_open(client, urls)


# --- editing a child's record offline, and edits kept as conflicts -----------------------------------------------

def edit_url(child_id):
    return f"/children/{child_id}/edit"


def child(app, child_id) -> Child:
    with app.app_context():
        record = db.session.get(Child, child_id)
        db.session.expunge_all()
        return record


def make_conflict(client, new_client, places, users, headers=None):
    """The village head corrects a child's name on a page kept on her phone while the officer corrects it online:
    her edit, made on the old version, arrives second. Returns (the officer's client, the child's id)."""
    client.login(users["village_head_A"].username)
    child_id = child_id_from(client.submit("/children/new", child_data(places, full_name="Nguyen Van An")))
    stale = form_fields(client, edit_url(child_id)) | child_data(places, full_name="Nguyễn Văn Ân")
    assert stale["base_version"] == "1"
    officer = new_client()
    officer.login(users["officer_A"].username)
    assert officer.submit(edit_url(child_id), child_data(places, full_name="Nguyễn Văn Anh")).status_code == 303
    answer = client.post(edit_url(child_id), data=stale, headers=headers or {})
    return officer, child_id, answer


def test_an_edit_made_offline_on_the_current_version_is_saved(app, login_as, client, places):
    login_as("village_head_A")
    child_id = child_id_from(client.submit("/children/new", child_data(places)))
    fields = form_fields(client, edit_url(child_id)) | child_data(places, school_class="4A")
    answer = client.post(edit_url(child_id), data=fields, headers=REPLAY)
    assert answer.get_json()["status"] == "saved" and answer.get_json()["url"] == f"/children/{child_id}"
    assert (child(app, child_id).school_class, child(app, child_id).version) == ("4A", 2)


def test_an_edit_made_on_an_old_version_is_kept_as_a_conflict(app, client, new_client, places, users, count):
    _officer, child_id, answer = make_conflict(client, new_client, places, users, headers=REPLAY)
    assert answer.get_json()["status"] == "conflict"
    assert answer.get_json()["url"] == "/conflicts"
    assert child(app, child_id).full_name == "Nguyễn Văn Anh"
    assert count(EditConflict) == 1
    page = client.get("/conflicts").get_data(as_text=True)
    assert re.search(r'class="theirs">Nguyễn Văn Anh<.*class="mine">Nguyễn Văn Ân<', page, re.S)


def test_an_activity_edited_on_an_old_version_answers_conflict(app, village_head, client, new_client, users,
                                                                count):
    activity_id = activity_id_of(client.post(TALK, data=talk(client, 10), headers=REPLAY).get_json()["url"])
    page = client.get(f"/activities/{activity_id}/edit").get_data(as_text=True)
    _action, stale = read_form(page)
    assert stale["base_version"] == "1"
    officer = new_client()
    officer.login(users["officer_A"].username)
    page = officer.get(f"/activities/{activity_id}/edit").get_data(as_text=True)
    _action, theirs = read_form(page)
    eleven = {"boys": "11", "children": "11", "audience_total": "11"}
    assert officer.post(f"/activities/{activity_id}/edit", data=theirs | eleven).status_code == 303
    fourteen = {"boys": "14", "children": "14", "audience_total": "14"}
    answer = client.post(f"/activities/{activity_id}/edit", data=stale | fourteen, headers=REPLAY)
    assert answer.status_code == 200 and answer.get_json()["status"] == "conflict"
    assert (activity(app, activity_id).boys, activity(app, activity_id).version) == (11, 2)
    assert count(EditConflict, record_type="Activity", record_id=activity_id) == 1


def test_an_activity_conflict_is_listed_and_settled(app, village_head, client, new_client, users):
    activity_id = activity_id_of(client.post(TALK, data=talk(client, 10), headers=REPLAY).get_json()["url"])
    _action, stale = read_form(client.get(f"/activities/{activity_id}/edit").get_data(as_text=True))
    officer = new_client()
    officer.login(users["officer_A"].username)
    _action, theirs = read_form(officer.get(f"/activities/{activity_id}/edit").get_data(as_text=True))
    assert officer.post(f"/activities/{activity_id}/edit", data=theirs | {"venue": "Nhà văn hoá"}).status_code == 303
    answer = client.post(f"/activities/{activity_id}/edit", data=stale | {"venue": "Sân trường"}, headers=REPLAY)
    assert answer.get_json()["status"] == "conflict"
    assert "Sân trường" in client.get("/conflicts").get_data(as_text=True).split("<main", 1)[1]
    token = client.get("/csrf").get_json()["token"]
    answer = client.post(f"/conflicts/{conflict_id(app)}", data={"csrf_token": token, "choice": "mine"})
    assert answer.status_code == 303 and activity(app, activity_id).venue == "Sân trường"


def conflict_id(app):
    with app.app_context():
        return db.session.scalar(select(EditConflict.id))


def test_conflicts_are_seen_by_their_author_and_the_area_s_officers_only(app, client, new_client, places, users):
    officer, _child_id, _answer = make_conflict(client, new_client, places, users)
    assert "Nguyễn Văn Ân" in client.get("/conflicts").get_data(as_text=True)
    assert "Nguyễn Văn Ân" in officer.get("/conflicts").get_data(as_text=True)
    for outsider in ("officer_B", "collector_A"):
        other = new_client()
        other.login(users[outsider].username)
        assert "Nguyễn Văn Ân" not in other.get("/conflicts").get_data(as_text=True), outsider
        token = other.get("/csrf").get_json()["token"]
        answer = other.post(f"/conflicts/{conflict_id(app)}", data={"csrf_token": token, "choice": "mine"})
        assert answer.status_code == 404, outsider


def test_keep_mine_applies_the_edit_through_the_same_code(app, client, new_client, places, users):
    _officer, child_id, _answer = make_conflict(client, new_client, places, users)
    cid = conflict_id(app)
    answer = client.post(f"/conflicts/{cid}", data={"csrf_token": client.get("/csrf").get_json()["token"],
                                                    "choice": "mine"})
    assert answer.status_code == 303
    record = child(app, child_id)
    assert (record.full_name, record.search_name, record.version) == ("Nguyễn Văn Ân", "nguyen van an", 3)
    with app.app_context():
        conflict = db.session.get(EditConflict, cid)
        assert conflict.resolution == "mine" and conflict.resolved_by_id == users["village_head_A"].id
        assert db.session.scalar(select(AuditLog).where(AuditLog.action == "settle_conflict")) is not None
    assert "Nguyễn Văn Ân" not in client.get("/conflicts").get_data(as_text=True).split("<main", 1)[1]


def test_keep_theirs_drops_the_edit(app, client, new_client, places, users):
    officer, child_id, _answer = make_conflict(client, new_client, places, users)
    cid = conflict_id(app)
    answer = officer.post(f"/conflicts/{cid}", data={"csrf_token": officer.get("/csrf").get_json()["token"],
                                                     "choice": "theirs"})
    assert answer.status_code == 303
    assert child(app, child_id).full_name == "Nguyễn Văn Anh"
    with app.app_context():
        assert db.session.get(EditConflict, cid).resolution == "theirs"
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "settle_conflict"))
        assert entry.user_id == users["officer_A"].id and entry.detail_dict["choice"] == "theirs"


# --- the village form itself: officers add and rename villages online ---------------------------------------------

def rename_url(places):
    return f"/places/{places['village_A'].id}/edit"


def unit(app, unit_id):
    with app.app_context():
        return db.session.get(Unit, unit_id)


def test_an_officer_adds_a_village_online(login_as, client, places, count):
    login_as("officer_A")
    answer = client.submit(village_url(places), {"kind": "thôn", "name": "Thôn Thường"})
    assert answer.status_code == 303 and answer.headers["Location"] == f"/places/{places['A'].id}"
    assert count(Unit, name="Thôn Thường") == 1


def test_renaming_a_village_bumps_its_version_and_is_audited(app, login_as, client, places):
    login_as("officer_A")
    answer = client.submit(rename_url(places), {"name": "Thôn Lùng Cẩu Mới"})
    assert answer.status_code == 303
    village = unit(app, places["village_A"].id)
    assert village.name == "Thôn Lùng Cẩu Mới" and village.version == 2
    with app.app_context():
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "update"))
        assert entry.detail_dict["changes"] == {"name": ["Thôn Lùng Cẩu", "Thôn Lùng Cẩu Mới"]}


def test_rename_to_a_taken_name_is_refused(login_as, client, places, app):
    login_as("officer_A")
    client.submit(f"/places/{places['A'].id}/villages/new", {"kind": "thôn", "name": "Thôn Hai"})
    answer = client.submit(rename_url(places), {"name": "thôn hai"})
    assert answer.status_code == 422
    assert unit(app, places["village_A"].id).name == "Thôn Lùng Cẩu"


def test_rename_is_for_officers_of_the_area(login_as, client, new_client, places, users):
    login_as("collector_A")
    assert client.get(rename_url(places)).status_code == 403
    other = new_client()
    other.login(users["officer_B"].username)
    assert other.get(rename_url(places)).status_code == 404
    assert other.get(f"/places/{places['A'].id}/edit").status_code == 404  # a commune is not renamed here


def test_a_rename_on_an_old_version_is_kept_as_a_conflict(app, login_as, client, new_client, places, users, count):
    """Two people renaming the same village online: the second, made on the page as it was, is kept to settle."""
    login_as("officer_A")
    stale = form_fields(client, rename_url(places)) | {"name": "Thôn Của Mai"}
    admin = new_client()
    admin.login(users["admin"].username)
    assert admin.submit(rename_url(places), {"name": "Thôn Của Admin"}).status_code == 303
    answer = client.post(rename_url(places), data=stale)
    assert answer.status_code == 303 and answer.headers["Location"] == "/conflicts"
    assert unit(app, places["village_A"].id).name == "Thôn Của Admin"
    assert count(EditConflict) == 1
    page = client.get("/conflicts").get_data(as_text=True)
    assert re.search(r'class="theirs">Thôn Của Admin<.*class="mine">Thôn Của Mai<', page, re.S)


def test_outbox_page_is_there_for_everyone_signed_in(login_as, client):
    login_as("collector_A")
    page = client.get("/outbox").get_data(as_text=True)
    assert 'id="outbox-send"' in page and 'id="outbox-download"' in page


def test_signing_out_also_ends_remember_me(client, users):
    client.login(users["officer_A"].username, remember="y")
    assert client.get_cookie("remember_token") is not None
    client.logout()
    assert client.get_cookie("remember_token") is None
    assert client.get("/").status_code == 302


def test_a_post_that_loses_the_race_to_its_own_twin_answers_saved(village_head, client, count, monkeypatch):
    """Two posts of one submission at once: the second passed the replay check before the first committed, then
    finds the record its twin made when it saves. It is answered saved, with that record, never a second one."""
    from webapp.core import idempotent

    fields = talk(client, 21)
    first = client.post(TALK, data=fields, headers=REPLAY).get_json()
    assert first["status"] == "saved"
    real = idempotent._find_existing
    calls = iter([None])  # the replay check looks too early and sees nothing; later looks see the record
    monkeypatch.setattr(idempotent, "_find_existing", lambda model, cid: next(calls, real(model, cid)))
    answer = client.post(TALK, data=fields, headers=REPLAY)
    assert answer.status_code == 200 and answer.get_json()["status"] == "saved"
    assert answer.get_json()["url"] == first["url"]
    assert count(Activity) == 1


def test_a_twin_refused_by_the_form_because_of_its_own_record_answers_saved(login_as, client, places, count,
                                                                             monkeypatch):
    """The same race, where the form's own checks then refuse the post: a child of the same name and year is
    already registered in the commune — the very record its twin made. It is answered saved, not invalid."""
    from webapp.core import idempotent

    login_as("village_head_A")
    fields = form_fields(client, "/children/new") | child_data(places, full_name="Giàng Thị Song")
    assert client.post("/children/new", data=fields, headers=REPLAY).get_json()["status"] == "saved"
    real = idempotent._find_existing
    calls = iter([None])
    monkeypatch.setattr(idempotent, "_find_existing", lambda model, cid: next(calls, real(model, cid)))
    answer = client.post("/children/new", data=fields, headers=REPLAY)
    assert answer.status_code == 200 and answer.get_json()["status"] == "saved"
    assert count(Child) == 1


def test_a_page_kept_in_the_background_leaves_the_saved_message_to_the_next_page(login_as, client):
    """The worker keeps pages while the person works: such a fetch neither takes the message a post left for the
    next page nor writes back the session it began with (which would undo the post's message)."""
    login_as("collector_A")
    client.get("/")  # the session has its CSRF token, as after any form
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Đã lưu hoạt động.")]
    kept = client.get("/", headers={"X-Sotay-Warm": "1"})
    assert kept.status_code == 200
    assert "Đã lưu hoạt động." not in kept.get_data(as_text=True)
    assert "Set-Cookie" not in kept.headers
    shown = client.get("/")
    assert "Đã lưu hoạt động." in shown.get_data(as_text=True)
    assert "Set-Cookie" in shown.headers  # an ordinary page still refreshes the session
