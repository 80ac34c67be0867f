"""Evidence files: kept where every app server reads them and every backup takes them (core.files, the database by
default), never on one server's own disk; an instance upgraded from a version that kept them on disk keeps them."""

import io
import os
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from tests.conftest import TEST_DATABASE_URL, base_config, hidden_fields
from webapp.core import files
from webapp.core.files import StoredFile
from webapp.extensions import db
from webapp.gifts.models import Distribution


def jpeg(colour: str = "#a08060", size=(300, 200)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


# --- the interface -------------------------------------------------------------------------------------------------

def test_put_get_delete_by_key_in_the_database(app):
    data = jpeg()
    with app.app_context():
        key = files.save(data, "image/jpeg")
        assert key == files.key_of(data) and len(key) == 64
        assert files.save(data, "image/jpeg") == key  # the same content again is the same file
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 1
        blob = files.load(key)
        assert blob.data == data and blob.content_type == "image/jpeg"
        files.store().delete(key)
        db.session.commit()
        assert files.load(key) is None and files.load(None) is None


def test_a_file_is_kept_with_its_record_or_not_at_all(app):
    with app.app_context():
        key = files.save(jpeg(), "image/jpeg")
        db.session.rollback()  # the form was refused after the photo was taken in
        assert files.load(key) is None


def test_a_stored_file_is_never_larger_than_300_kb(app):
    with app.app_context(), pytest.raises(ValueError):
        files.save(b"x" * (300 * 1024 + 1), "image/jpeg")


def test_discard_keeps_a_file_another_record_still_names(app, login_as, client, places, count):
    from webapp.forum.models import Consent  # noqa: F401  (registers its column)

    data = jpeg()
    with app.app_context():
        key = files.save(data, "image/jpeg")
        distribution = Distribution(unit_id=places["village_A"].id, commune_id=places["A"].id, occasion="tet",
                                    year=2024, kind="in_kind",
                                    item="Áo ấm", value_each=1, source="fund", given_on=date(2024, 2, 1),
                                    group_count=1, photo_sha256=key, client_id=str(uuid.uuid4()))
        db.session.add(distribution)
        db.session.commit()
        files.discard(key)  # still named by the distribution
        db.session.commit()
        assert files.load(key) is not None
        distribution.photo_sha256 = None
        files.discard(key)
        db.session.commit()
        assert files.load(key) is None


def test_an_unknown_file_store_is_refused_at_start(tmp_path):
    from webapp import create_app

    with pytest.raises(RuntimeError, match="FILE_STORE"):
        create_app({**base_config(f"sqlite:///{tmp_path / 'x.db'}", tmp_path), "FILE_STORE": "s3-not-yet"})


def test_a_served_file_is_not_cached_or_sniffed(app):
    with app.test_request_context():
        key = files.save(jpeg(), "image/jpeg")
        response = files.send(key)
    assert response.mimetype == "image/jpeg" and response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# --- backup and restore take the photos ---------------------------------------------------------------------------

def _gift_with_photo(client, places, photo: bytes) -> int:
    response = client.submit(f"/gifts/new?village={places['village_A'].id}&occasion=mid_autumn&year=2023", {
        "occasion": "mid_autumn", "year": "2023", "kind": "in_kind", "item": "Sách vở", "value_each": "150.000",
        "source": "fund", "given_on": "2023-09-28", "group_count": "12", "source_unit_id": str(places["A"].id)})
    assert response.status_code == 303
    distribution = int(response.headers["Location"].rsplit("/", 1)[1])
    attached = client.submit(f"/gifts/{distribution}", {"photo": (io.BytesIO(photo), "sheet.jpg")},
                             action=f"/gifts/{distribution}/photo", content_type="multipart/form-data")
    assert attached.status_code == 303
    return distribution


def test_backup_then_an_empty_database_then_restore_brings_every_photo_back(app, login_as, client, places,
                                                                           tmp_path):
    from tests.forum_helpers import PNG, both_consents, delegate_id, give_consent, plan_forum, register_child

    login_as("officer_A")
    distribution = _gift_with_photo(client, places, jpeg("#102030", (900, 600)))
    forum = plan_forum(client, places["A"].id)
    mai = delegate_id(client, forum, register_child(client, places["village_A"].id, "Vừ Thị Mai", 12))
    assert give_consent(client, mai, "guardian", method="paper", paper_photo=(io.BytesIO(PNG), "giay.png"),
                        content_type="multipart/form-data").status_code == 303
    both_consents(client, mai, purposes=("participate", "photos"))
    assert client.submit(f"/forum/delegates/{mai}", {"photo": (io.BytesIO(jpeg("#305070")), "mai.jpg")},
                         action=f"/forum/delegates/{mai}/photo",
                         content_type="multipart/form-data").status_code == 303
    from webapp.forum.models import Consent

    with app.app_context():
        consent = db.session.scalar(select(Consent.id).where(Consent.paper_photo.isnot(None)))
    urls = [f"/gifts/{distribution}/photo", f"/consents/{consent}/paper", f"/delegates/{mai}/photo"]
    urls = [urls[0]] + [f"/forum{u}" for u in urls[1:]]
    before = {url: client.get(url).data for url in urls}
    assert all(data[:3] == b"\xff\xd8\xff" for data in before.values())

    backup_file = tmp_path / "backup.bin"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", str(backup_file)])
    assert result.exit_code == 0, result.output
    with app.app_context():  # an empty database: the server lost everything
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0
        db.session.remove()
    result = runner.invoke(args=["restore", "--yes", str(backup_file)])
    assert result.exit_code == 0, result.output
    after = {url: client.get(url) for url in urls}
    assert {url: r.status_code for url, r in after.items()} == dict.fromkeys(urls, 200)
    assert {url: r.data for url, r in after.items()} == before


# --- an instance upgraded from a version that kept photos on disk ------------------------------------------------

def test_upgrading_takes_the_photos_on_disk_into_the_database_cleaned(app, login_as, client, places):
    """Before revision 0016, gift sheets lay in instance/uploads/gifts/<sha256>.jpg and forum photos, with their
    EXIF and GPS, in instance/forum/<random>.<ext>; after `sotay init` they open as before, cleaned, from the
    database, and nothing is left on disk."""
    from flask_migrate import downgrade, upgrade

    from tests.forum_helpers import both_consents, delegate_id, plan_forum, register_child
    from tests.security.test_uploads import phone_photo_with_gps
    from webapp.forum.models import Delegate

    login_as("officer_A")
    sheet = jpeg("#445566", (800, 600))
    distribution = _gift_with_photo(client, places, sheet)
    forum = plan_forum(client, places["A"].id)
    mai = delegate_id(client, forum, register_child(client, places["village_A"].id, "Vừ Thị Mai", 12))
    both_consents(client, mai, purposes=("participate", "photos"))
    with app.app_context():
        sheet_key = db.session.get(Distribution, distribution).photo_sha256
        served_sheet = files.load(sheet_key).data
        db.session.remove()  # no transaction of this test left holding a table the downgrade alters
        downgrade(revision="0014_client_fingerprints")  # the older version: photos back on disk
    instance = Path(app.instance_path)
    assert (instance / "uploads" / "gifts" / f"{sheet_key}.jpg").read_bytes() == served_sheet
    old_photo = phone_photo_with_gps()
    (instance / "forum").mkdir(exist_ok=True)
    (instance / "forum" / "0123456789abcdef0123456789abcdef.jpg").write_bytes(old_photo)
    with app.app_context():
        db.session.execute(text("UPDATE forum_delegates SET photo = '0123456789abcdef0123456789abcdef.jpg' "
                                "WHERE id = :id"), {"id": mai})
        db.session.commit()
        db.session.remove()

    result = app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        key = db.session.get(Delegate, mai).photo
        assert len(key) == 64
        kept = files.load(key).data
        assert b"PhoneMaker" not in kept and b"GPS" not in kept and b"Exif" not in kept
    assert client.get(f"/gifts/{distribution}/photo").data == served_sheet
    assert client.get(f"/forum/delegates/{mai}/photo").data == kept
    assert not [p for p in instance.rglob("*") if p.suffix in (".jpg", ".png")]  # nothing left on disk
    with app.app_context():
        db.session.remove()
        upgrade()  # again: harmless


# --- two app servers on one PostgreSQL ----------------------------------------------------------------------------

if TEST_DATABASE_URL or os.environ.get("CI") == "true":

    def test_a_photo_posted_to_one_app_server_opens_from_the_other(request, tmp_path):
        if not TEST_DATABASE_URL:
            pytest.fail("CI must run the two-server test: set TEST_DATABASE_URL to a PostgreSQL test database")
        _two_servers(tmp_path, request.getfixturevalue("postgres_ready"))


def _two_servers(tmp_path: Path, database_url: str) -> None:
    from tests.conftest import _empty_and_reload, _unit_rows
    from tests.security.test_two_servers import (
        Browser,
        _free_port,
        _seed,
        _sign_in,
        _start_server,
        _stop,
        _wait_ready,
    )
    from webapp import create_app

    app = create_app(base_config(database_url, tmp_path))
    _unit_rows(app)
    servers = []
    try:
        _seed(app)
        ports = [_free_port(), _free_port()]
        for n, port in enumerate(ports):  # each server an instance folder of its own, as on two machines
            env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "two-servers-photo",
                   "SOTAY_INSTANCE_PATH": str(tmp_path / f"instance{n}")}
            log = tmp_path / f"server{n}.log"
            servers.append((_start_server(port, env, log), port, log))
        for server, port, log in servers:
            _wait_ready(port, server, log)
        first, second = (Browser(f"http://127.0.0.1:{port}") for _server, port, _log in servers)
        for browser in (first, second):
            _sign_in(browser)

        from tests.activities.conftest import read_form
        from webapp.geo.models import Unit
        from webapp.geo.services import new_village

        with app.app_context():
            commune = db.session.scalar(select(Unit).where(Unit.code == "02761"))
            village = new_village(commune, "Thôn Hai Máy")
            db.session.add(village)
            db.session.commit()
            village_id, commune_id = village.id, commune.id
        status, _headers, page = first.request(f"/gifts/new?village={village_id}&occasion=mid_autumn&year=2023")
        _action, fields = read_form(page)
        fields.update({"occasion": "mid_autumn", "year": "2023", "kind": "in_kind", "item": "Sách vở",
                       "value_each": "150.000", "source": "fund", "given_on": "2023-09-28", "group_count": "12",
                       "source_unit_id": str(commune_id), "village_id": str(village_id)})
        status, headers, body = first.request(f"/gifts/new?village={village_id}&occasion=mid_autumn&year=2023",
                                              fields)
        assert status == 303, body[:1000]
        distribution = int(headers["Location"].rsplit("/", 1)[1])

        status, _headers, page = first.request(f"/gifts/{distribution}")
        photo = jpeg("#204060", (1200, 900))
        status, _headers, body = _post_file(first, f"/gifts/{distribution}/photo", hidden_fields(page),
                                            "photo", "sheet.jpg", photo)
        assert status == 303, body[:1000]
        status, shown = _get_bytes(second, f"/gifts/{distribution}/photo")
        assert status == 200 and shown[:3] == b"\xff\xd8\xff"
        assert _get_bytes(first, f"/gifts/{distribution}/photo") == (200, shown)
        assert not [p for p in tmp_path.rglob("*") if p.suffix == ".jpg"]  # on neither server's disk
        for _server, _port, log in servers:
            assert " 500 " not in log.read_text() and "Traceback" not in log.read_text(), log.read_text()[-3000:]
    finally:
        for server, _port, _log in servers:
            _stop(server)
        _empty_and_reload(app)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _post_file(browser, path: str, fields: dict, name: str, filename: str, data: bytes):
    """A multipart form post, as a browser sends a form with a file."""
    import urllib.error
    import urllib.request

    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                 f"Content-Type: image/jpeg\r\n\r\n".encode() + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    request = urllib.request.Request(browser.base + path, data=body,
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        with browser.opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def _get_bytes(browser, path: str) -> tuple[int, bytes]:
    import urllib.error
    import urllib.request

    try:
        with browser.opener.open(urllib.request.Request(browser.base + path), timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
