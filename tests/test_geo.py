"""Places: Lào Cai's official units, villages added by form or imported from CSV/XLSX, accent-free search."""

import io

from openpyxl import Workbook
from sqlalchemy import select

from webapp.extensions import db
from webapp.geo.models import Unit
from webapp.geo.services import load_province


def test_lao_cai_is_loaded_with_its_99_communes_and_wards(app, count):
    assert count(Unit, level="province", code="15", name="Lào Cai") == 1
    assert count(Unit, level="commune") == 99
    assert count(Unit, code="02761", name="Xã Mường Khương") == 1


def test_loading_again_adds_nothing(app, count):
    with app.app_context():
        _, added = load_province(15)
    assert added == 0 and count(Unit) == 100


def test_names_are_stored_in_nfc(app):
    import unicodedata

    with app.app_context():
        names = db.session.scalars(select(Unit.name)).all()
    assert all(unicodedata.is_normalized("NFC", n) for n in names)


def test_search_ignores_accents_and_case(login_as, client):
    login_as("admin")
    body = client.get("/places/?q=MUONG khuong").get_data(as_text=True)
    assert "Xã Mường Khương" in body


def test_search_with_like_wildcards_is_taken_literally(login_as, client):
    login_as("admin")
    body = client.get("/places/?q=%25").get_data(as_text=True)
    assert "Không có địa danh nào khớp" in body


def test_officer_adds_a_village(login_as, client, places, count):
    login_as("officer_A")
    response = client.submit(f"/places/{places['A'].id}/villages/new", {"kind": "bản", "name": "  Bản  Sín Chải "})
    assert response.status_code == 303
    assert count(Unit, name="Bản Sín Chải", kind="bản", parent_id=places["A"].id, level="village") == 1
    assert "Bản Sín Chải" in client.get(f"/places/{places['A'].id}").get_data(as_text=True)


def test_a_village_gets_its_path_under_its_commune(app, login_as, client, places):
    login_as("officer_A")
    client.submit(f"/places/{places['A'].id}/villages/new", {"kind": "thôn", "name": "Thôn Mới"})
    with app.app_context():
        village = db.session.scalar(select(Unit).where(Unit.name == "Thôn Mới"))
        assert village.path == f"{places['A'].path}{village.id}/"


def test_the_same_village_twice_is_refused_with_the_typed_name_kept(login_as, client, places, count):
    login_as("officer_A")
    response = client.submit(f"/places/{places['A'].id}/villages/new", {"kind": "thôn", "name": "thôn lung cau"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "đã có thôn, bản, tổ dân phố mang tên này" in body and 'value="thôn lung cau"' in body
    assert count(Unit, parent_id=places["A"].id) == 1


def test_an_empty_name_is_refused_next_to_the_field(login_as, client, places):
    login_as("officer_A")
    response = client.submit(f"/places/{places['A'].id}/villages/new", {"kind": "thôn", "name": "  "})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="name-error"' in body and 'aria-describedby="name-help name-error"' in body


def test_collector_cannot_add_villages(login_as, client, places):
    login_as("collector_A")
    assert client.get(f"/places/{places['A'].id}/villages/new").status_code == 403


def test_a_village_cannot_get_villages(login_as, client, places):
    login_as("officer_A")
    assert client.get(f"/places/{places['village_A'].id}/villages/new").status_code == 404


def _upload(client, name: str, data: bytes):
    return client.submit("/places/import", {"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_import_csv_reports_each_row(login_as, client, places, count):
    login_as("admin")
    csv_text = (
        "Mã xã,Tên thôn,Loại\n"
        "02761,Thôn Pha Long 1,\n"          # added, by code
        "Mường Khương,Bản Sín Chải,bản\n"   # added, by name without "Xã"
        "xa muong khuong,Thôn Lùng Cẩu,\n"  # already there
        "99999,Thôn Không Xã,\n"            # refused: no such commune
        "02839,,\n"                         # refused: no village name
        "02839,Thôn Sai Loại,xóm\n"         # refused: unknown kind
        "02761,Thôn Pha Long 1,\n"          # already there (earlier in this file)
    )
    response = _upload(client, "thon.csv", csv_text.encode("utf-8"))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.count('class="status-added"') == 2
    assert body.count('class="status-exists"') == 2
    assert body.count('class="status-refused"') == 3
    assert "Không có xã, phường nào có mã hoặc tên này" in body
    assert count(Unit, name="Thôn Pha Long 1") == 1 and count(Unit, name="Bản Sín Chải", kind="bản") == 1


def test_import_xlsx(login_as, client, places, count):
    login_as("officer_A")
    book = Workbook()
    sheet = book.active
    sheet.append(["Xã", "Thôn"])
    sheet.append(["02761", "Thôn Na Lốc"])
    sheet.append(["02839", "Thôn Ngoài Xã"])  # another commune than the officer's: refused
    buffer = io.BytesIO()
    book.save(buffer)
    body = _upload(client, "thon.xlsx", buffer.getvalue()).get_data(as_text=True)
    assert body.count('class="status-added"') == 1 and body.count('class="status-refused"') == 1
    assert count(Unit, name="Thôn Na Lốc") == 1 and count(Unit, name="Thôn Ngoài Xã") == 0


def test_an_unreadable_file_changes_nothing(login_as, client, places, count):
    login_as("admin")
    before = count(Unit)
    response = _upload(client, "thon.xlsx", b"this is not a spreadsheet")
    assert response.status_code == 422
    assert "Không đọc được tệp này" in response.get_data(as_text=True)
    assert _upload(client, "thon.csv", "Xã,Thôn\n02761,Thôn A\n".encode("utf-16")).status_code == 422
    assert _upload(client, "anh.png", b"\x89PNG....").status_code == 422
    assert count(Unit) == before


def test_an_empty_upload_is_refused(login_as, client):
    login_as("admin")
    response = client.submit("/places/import", {}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Hãy chọn một tệp." in response.get_data(as_text=True)


def test_an_import_is_audited(app, login_as, client, places):
    from webapp.core.audit import AuditLog

    login_as("admin")
    _upload(client, "thon.csv", "02761,Thôn Mới Nhập\n".encode())
    with app.app_context():
        actions = db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert "import" in actions and "create" in actions


def test_a_long_list_has_pages_that_keep_the_search(login_as, client):
    login_as("admin")
    first = client.get("/places/?q=xa").get_data(as_text=True)
    assert 'rel="next"' in first and "q=xa" in first and "page=2" in first
    second = client.get("/places/?q=xa&page=2").get_data(as_text=True)
    assert 'rel="prev"' in second
