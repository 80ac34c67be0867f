"""The server side of working offline: the manifest, the worker script, and the answers the outbox reads."""

import json
import re

from sqlalchemy import select

from tests.conftest import hidden_fields
from webapp.core.audit import AuditLog
from webapp.core.edits import EditConflict
from webapp.extensions import db
from webapp.geo.models import Unit

REPLAY = {"X-Sotay-Outbox": "replay"}


def village_url(places):
    return f"/places/{places['A'].id}/villages/new"


def form_fields(client, url):
    return hidden_fields(client.get(url).get_data(as_text=True))


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


def test_a_replay_is_saved_once_and_answers_saved_each_time(login_as, client, places, count):
    login_as("officer_A")
    fields = form_fields(client, village_url(places)) | {"kind": "thôn", "name": "Thôn Pạc Bo"}
    first = client.post(village_url(places), data=fields, headers=REPLAY)
    again = client.post(village_url(places), data=fields, headers=REPLAY)
    for answer in (first, again):
        assert answer.status_code == 200
        assert answer.get_json()["status"] == "saved"
        assert answer.get_json()["url"] == f"/places/{places['A'].id}"
    assert count(Unit, name="Thôn Pạc Bo") == 1
    # A replay's flash messages do not pile up in the session.
    assert "Thôn Pạc Bo" not in client.get("/").get_data(as_text=True)


def test_a_live_send_keeps_its_message_for_the_next_page(login_as, client, places):
    login_as("officer_A")
    fields = form_fields(client, village_url(places)) | {"kind": "bản", "name": "Bản Sín Chải"}
    answer = client.post(village_url(places), data=fields, headers={"X-Sotay-Outbox": "live"})
    assert answer.get_json()["status"] == "saved"
    assert "Bản Sín Chải" in client.get(answer.get_json()["url"]).get_data(as_text=True)


def test_an_invalid_replay_answers_with_the_field_messages(login_as, client, places, count):
    login_as("officer_A")
    fields = form_fields(client, village_url(places)) | {"kind": "thôn", "name": ""}
    answer = client.post(village_url(places), data=fields, headers=REPLAY)
    assert answer.status_code == 422
    data = answer.get_json()
    assert data["status"] == "invalid"
    assert data["errors"] == {"name": "Hãy nhập tên thôn, bản."}
    taken = form_fields(client, village_url(places)) | {"kind": "thôn", "name": "Thôn Lùng Cẩu"}
    data = client.post(village_url(places), data=taken, headers=REPLAY).get_json()
    assert "đã có thôn" in data["errors"]["name"]


def test_signed_out_is_401_not_the_login_page(client, places, users, count):
    token = client.get("/csrf").get_json()["token"]
    answer = client.post(village_url(places), headers=REPLAY,
                         data={"csrf_token": token, "client_id": "9d7c1c52-1d37-4a51-8f0e-2b1c6d1f0a11",
                               "kind": "thôn", "name": "Thôn Mới"})
    assert answer.status_code == 401
    assert answer.get_json()["status"] == "signed_out"
    assert count(Unit, name="Thôn Mới") == 0


def test_a_stale_token_answers_csrf_so_the_outbox_fetches_a_fresh_one(login_as, client, places):
    login_as("officer_A")
    fields = form_fields(client, village_url(places)) | {"kind": "thôn", "name": "Thôn Cũ", "csrf_token": "stale"}
    answer = client.post(village_url(places), data=fields, headers=REPLAY)
    assert answer.status_code == 400 and answer.get_json()["status"] == "csrf"


def test_a_client_id_of_another_user_is_refused(login_as, client, new_client, places, users, count):
    login_as("officer_A")
    fields = form_fields(client, village_url(places)) | {"kind": "thôn", "name": "Thôn Một"}
    assert client.post(village_url(places), data=fields, headers=REPLAY).get_json()["status"] == "saved"
    admin = new_client()
    admin.login(users["admin"].username)
    stolen = fields | {"csrf_token": admin.get("/csrf").get_json()["token"], "name": "Thôn Hai"}
    answer = admin.post(village_url(places), data=stolen, headers=REPLAY)
    assert answer.status_code == 409 and answer.get_json()["status"] == "refused"
    assert count(Unit, name="Thôn Hai") == 0


def test_an_item_another_account_made_on_this_phone_is_not_sent(login_as, client, places, users, count):
    login_as("officer_A")
    fields = form_fields(client, village_url(places)) | {"kind": "thôn", "name": "Thôn Của Người Khác"}
    answer = client.post(village_url(places), data=fields,
                         headers=REPLAY | {"X-Sotay-User": str(users["collector_A"].id)})
    assert answer.status_code == 409 and answer.get_json()["status"] == "refused"
    assert count(Unit, name="Thôn Của Người Khác") == 0


def test_a_plain_form_post_still_gets_a_303(login_as, client, places):
    login_as("officer_A")
    answer = client.submit(village_url(places), {"kind": "thôn", "name": "Thôn Thường"})
    assert answer.status_code == 303


# --- renaming a village, and edits kept as conflicts ------------------------------------------------------------

def rename_url(places):
    return f"/places/{places['village_A'].id}/edit"


def unit(app, unit_id):
    with app.app_context():
        return db.session.get(Unit, unit_id)


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


def test_an_edit_made_on_an_old_version_is_kept_as_a_conflict(app, login_as, client, new_client, places, users,
                                                              count):
    login_as("officer_A")
    stale = form_fields(client, rename_url(places)) | {"name": "Thôn Của Mai"}
    admin = new_client()
    admin.login(users["admin"].username)
    assert admin.submit(rename_url(places), {"name": "Thôn Của Admin"}).status_code == 303
    answer = client.post(rename_url(places), data=stale, headers=REPLAY)
    assert answer.get_json()["status"] == "conflict"
    assert answer.get_json()["url"] == "/conflicts"
    assert unit(app, places["village_A"].id).name == "Thôn Của Admin"
    assert count(EditConflict) == 1
    page = client.get("/conflicts").get_data(as_text=True)
    assert re.search(r'class="theirs">Thôn Của Admin<.*class="mine">Thôn Của Mai<', page, re.S)


def make_conflict(client, new_client, places, users):
    client.login(users["officer_A"].username)
    stale = form_fields(client, rename_url(places)) | {"name": "Thôn Của Mai"}
    admin = new_client()
    admin.login(users["admin"].username)
    admin.submit(rename_url(places), {"name": "Thôn Của Admin"})
    client.post(rename_url(places), data=stale)
    return admin


def conflict_id(app):
    with app.app_context():
        return db.session.scalar(select(EditConflict.id))


def test_conflicts_are_seen_by_their_author_and_the_area_s_officers_only(app, client, new_client, places, users):
    admin = make_conflict(client, new_client, places, users)
    assert "Thôn Của Mai" in admin.get("/conflicts").get_data(as_text=True)
    other = new_client()
    other.login(users["officer_B"].username)
    assert "Thôn Của Mai" not in other.get("/conflicts").get_data(as_text=True)
    token = other.get("/csrf").get_json()["token"]
    assert other.post(f"/conflicts/{conflict_id(app)}", data={"csrf_token": token, "choice": "mine"}).status_code == 404


def test_keep_mine_applies_the_edit_through_the_same_code(app, client, new_client, places, users):
    make_conflict(client, new_client, places, users)
    cid = conflict_id(app)
    answer = client.post(f"/conflicts/{cid}", data={"csrf_token": client.get("/csrf").get_json()["token"],
                                                    "choice": "mine"})
    assert answer.status_code == 303
    village = unit(app, places["village_A"].id)
    assert village.name == "Thôn Của Mai" and village.version == 3
    with app.app_context():
        conflict = db.session.get(EditConflict, cid)
        assert conflict.resolution == "mine" and conflict.resolved_by_id == users["officer_A"].id
        assert db.session.scalar(select(AuditLog).where(AuditLog.action == "settle_conflict")) is not None
    assert "Thôn Của Mai" not in client.get("/conflicts").get_data(as_text=True).split("<main", 1)[1]


def test_keep_theirs_drops_the_edit(app, client, new_client, places, users):
    admin = make_conflict(client, new_client, places, users)
    cid = conflict_id(app)
    answer = admin.post(f"/conflicts/{cid}", data={"csrf_token": admin.get("/csrf").get_json()["token"],
                                                   "choice": "theirs"})
    assert answer.status_code == 303
    assert unit(app, places["village_A"].id).name == "Thôn Của Admin"
    with app.app_context():
        assert db.session.get(EditConflict, cid).resolution == "theirs"
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "settle_conflict"))
        assert entry.user_id == users["admin"].id and entry.detail_dict["choice"] == "theirs"


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


def test_a_post_that_loses_the_race_to_its_own_twin_answers_saved(app, login_as, client, places, count, monkeypatch):
    """Two posts of one submission at once: the second passed the replay check before the first committed, so the
    form then finds "a village of this name" — the very record its twin made. It is answered saved, not invalid."""
    from webapp.core import idempotent

    login_as("officer_A")
    fields = form_fields(client, village_url(places)) | {"kind": "thôn", "name": "Thôn Song Sinh"}
    assert client.post(village_url(places), data=fields, headers=REPLAY).get_json()["status"] == "saved"
    real = idempotent._find_existing
    calls = iter([None])  # the replay check looks too early and sees nothing; later looks see the record
    monkeypatch.setattr(idempotent, "_find_existing", lambda model, cid: next(calls, real(model, cid)))
    answer = client.post(village_url(places), data=fields, headers=REPLAY)
    assert answer.status_code == 200 and answer.get_json()["status"] == "saved"
    assert count(Unit, name="Thôn Song Sinh") == 1
