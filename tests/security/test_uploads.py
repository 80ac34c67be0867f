"""Uploads and imports: a file too large, empty, broken or not what its name says gets a clear message in
Vietnamese and saves nothing (the village import, a swim class list, the photo of a signed sheet)."""

import io
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.conftest import hidden_fields
from webapp.children.models import Child
from webapp.extensions import db
from webapp.geo.models import Unit
from webapp.gifts.models import Distribution
from webapp.swim.models import SwimEnrolment

TOO_LARGE = 5 * 1024 * 1024 + 1
TOO_LARGE_MESSAGE = "Tệp lớn hơn 5 MB. Chưa có gì được lưu."
UNREADABLE = "Không đọc được tệp này"


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, url: str, name: str, data: bytes, field: str = "file", action: str | None = None, **kwargs):
    page = client.get(url)
    assert page.status_code == 200
    fields = hidden_fields(page.get_data(as_text=True))
    fields[field] = (io.BytesIO(data), name)
    if "/swim/" in url:  # a class list comes with the basis of consent of the children it adds
        fields.update({"consent_method": "enrolment", "consent_on": date.today().isoformat(), "consent_child": "y"})
    return client.post(action or url, data=fields, content_type="multipart/form-data", **kwargs)


def message_of(response) -> str:
    return " ".join(re.findall(r'class="error"[^>]*>([^<]+)<', response.get_data(as_text=True)))


BAD_LISTS = [
    ("empty.csv", b""),
    ("blank.csv", b"\r\n   \r\n\r\n"),
    ("photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),  # binary named .csv
    ("latin1.csv", "Xã Mường Khương;Thôn Mới".encode("cp1258", "replace") + b"\xff\xfe"),
    ("table.xlsx", "Xã Mường Khương,Thôn Giả\n".encode()),  # CSV named .xlsx
    ("broken.xlsx", xlsx([["Xã Mường Khương", "Thôn Cắt Ngang"]])[:300]),  # cut short
    ("list.pdf", b"%PDF-1.4 \n"),
    ("many.csv", ("Xã Mường Khương,Thôn Thừa\n" * 5002).encode()),  # more rows than an import takes
]


@pytest.mark.parametrize("name, data", BAD_LISTS, ids=[n for n, _ in BAD_LISTS])
def test_a_village_list_that_cannot_be_read_is_refused_and_changes_nothing(login_as, client, name, data, count):
    login_as("officer_A")
    before = count(Unit)
    response = upload(client, "/places/import", name, data)
    assert response.status_code == 422
    assert UNREADABLE in message_of(response) and "Chưa có gì thay đổi" in message_of(response)
    assert count(Unit) == before


def test_a_village_list_over_the_limit_is_413_with_a_message_in_vietnamese(login_as, client, count):
    login_as("officer_A")
    before = count(Unit)
    response = upload(client, "/places/import", "huge.csv", b"Xa Muong Khuong,Thon A\n" * (TOO_LARGE // 23 + 1))
    assert response.status_code == 413
    assert TOO_LARGE_MESSAGE in response.get_data(as_text=True) and "<h1" in response.get_data(as_text=True)
    assert count(Unit) == before


def test_an_empty_upload_field_is_asked_for_again(login_as, client, count):
    login_as("officer_A")
    page = client.get("/places/import")
    response = client.post("/places/import", data=hidden_fields(page.get_data(as_text=True)),
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "chọn một tệp" in message_of(response)


def test_a_good_list_still_imports(login_as, client, places, count):
    """The refusals above are the file's fault: the same form takes a real list."""
    login_as("officer_A")
    before = count(Unit)
    response = upload(client, "/places/import", "ok.xlsx", xlsx([["Xã Mường Khương", "Thôn Nhập Thử"]]))
    assert response.status_code == 200 and count(Unit) == before + 1


@pytest.fixture
def course(login_as, client, places):
    login_as("officer_A")
    response = client.submit("/swim/new", {"name": "Lớp bơi thử", "unit_id": str(places["A"].id), "school": "",
                                           "place_kind": "water_point", "place_name": "Bến suối",
                                           "start_date": "2026-06-01", "end_date": ""})
    assert response.status_code == 303
    return int(response.headers["Location"].rsplit("/", 1)[1])


@pytest.mark.parametrize("name, data", BAD_LISTS[:6], ids=[n for n, _ in BAD_LISTS[:6]])
def test_a_class_list_that_cannot_be_read_is_refused_and_saves_nothing(client, course, name, data, count):
    children, enrolled = count(Child), count(SwimEnrolment)
    response = upload(client, f"/swim/{course}/import", name, data)
    assert response.status_code == 422 and message_of(response).strip()
    assert (count(Child), count(SwimEnrolment)) == (children, enrolled)


def test_a_class_list_over_the_limit_is_413(client, course, count):
    children = count(Child)
    response = upload(client, f"/swim/{course}/import", "huge.csv", b"x" * TOO_LARGE)
    assert response.status_code == 413 and TOO_LARGE_MESSAGE in response.get_data(as_text=True)
    assert count(Child) == children


# --- the photo of a signed sheet -----------------------------------------------------------------------------------

@pytest.fixture
def distribution(login_as, client, places):
    login_as("officer_A")
    response = client.submit(f"/gifts/new?village={places['village_A'].id}&occasion=mid_autumn&year=2023", {
        "occasion": "mid_autumn", "year": "2023", "kind": "in_kind", "item": "Sách vở", "value_each": "150.000",
        "source": "fund", "given_on": "2023-09-28", "group_count": "12", "source_unit_id": str(places["A"].id)})
    assert response.status_code == 303
    return int(response.headers["Location"].rsplit("/", 1)[1])


BAD_PHOTOS = [
    ("empty.jpg", b""),
    ("letter.jpg", b"Xin chao, day khong phai la anh."),
    ("sheet.png", b"%PDF-1.4 a scanned sheet, but a PDF\n" * 20),
    ("script.jpg", b"<script>alert(1)</script>"),
    ("big.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * (4 * 1024 * 1024)),  # under the request limit, over the photo's
]


def _photos_on_disk(app) -> list[Path]:
    folder = Path(app.instance_path) / "uploads"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.mark.parametrize("name, data", BAD_PHOTOS, ids=[n for n, _ in BAD_PHOTOS])
def test_a_photo_that_is_not_one_is_refused_with_a_message_and_nothing_kept(app, client, distribution, name, data):
    response = upload(client, f"/gifts/{distribution}", name, data, field="photo",
                      action=f"/gifts/{distribution}/photo")
    assert response.status_code == 422
    assert "Ảnh" in message_of(response)  # the message next to the photo field says what a photo must be
    with app.app_context():
        assert db.session.get(Distribution, distribution).photo_file is None
    assert _photos_on_disk(app) == []


def test_a_photo_over_the_request_limit_is_413_in_vietnamese_also_for_the_outbox(app, client, distribution):
    response = upload(client, f"/gifts/{distribution}", "huge.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * TOO_LARGE,
                      field="photo", action=f"/gifts/{distribution}/photo")
    assert response.status_code == 413 and TOO_LARGE_MESSAGE in response.get_data(as_text=True)
    replayed = upload(client, f"/gifts/{distribution}", "huge.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * TOO_LARGE,
                      field="photo", action=f"/gifts/{distribution}/photo", headers={"X-Sotay-Outbox": "replay"})
    assert replayed.status_code == 413 and replayed.json["status"] == "refused"
    assert replayed.json["message"] == TOO_LARGE_MESSAGE
    with app.app_context():
        assert db.session.get(Distribution, distribution).photo_file is None
    assert _photos_on_disk(app) == []
