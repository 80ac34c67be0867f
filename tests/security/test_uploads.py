"""Uploads and imports: a file too large, empty, broken or not what its name says gets a clear message in
Vietnamese and saves nothing (the village import, a swim class list, the photo of a signed sheet)."""

import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.conftest import hidden_fields
from webapp.children.models import Child
from webapp.core import clock
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
        fields.update({"consent_method": "enrolment", "consent_on": clock.today().isoformat(), "consent_child": "y"})
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
    """Photos kept anywhere: on this server's disk (never now) or in the file store."""
    from sqlalchemy import select

    from webapp.core.files import StoredFile

    folder = Path(app.instance_path)
    with app.app_context():
        kept = list(db.session.scalars(select(StoredFile.key)))
    return [p for p in folder.rglob("*") if p.is_file() and p.suffix in (".jpg", ".png", ".webp")] + kept


@pytest.mark.parametrize("name, data", BAD_PHOTOS, ids=[n for n, _ in BAD_PHOTOS])
def test_a_photo_that_is_not_one_is_refused_with_a_message_and_nothing_kept(app, client, distribution, name, data):
    response = upload(client, f"/gifts/{distribution}", name, data, field="photo",
                      action=f"/gifts/{distribution}/photo")
    assert response.status_code == 422
    assert "Ảnh" in message_of(response)  # the message next to the photo field says what a photo must be
    with app.app_context():
        assert db.session.get(Distribution, distribution).photo_sha256 is None
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
        assert db.session.get(Distribution, distribution).photo_sha256 is None
    assert _photos_on_disk(app) == []


# --- every image upload: one way in (core.images) -----------------------------------------------------------------

def phone_photo_with_gps() -> bytes:
    """A photo as a phone writes it: the maker, a comment and the GPS position of where it was taken."""
    from PIL import Image

    image = Image.new("RGB", (2400, 1800), "#d0c0a0")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0112] = 6  # taken turned: stored sideways
    exif.get_ifd(0x8825).update({1: "N", 2: (22.0, 31.0, 7.5), 3: "E", 4: (104.0, 8.0, 2.25)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"Ban Lung Cau, nha em Mai")
    return out.getvalue()


def bomb_png(width: int = 7000, height: int = 7000) -> bytes:
    """A real RGBA PNG of 49 megapixels in a small file: decoding it would take seconds and a gigabyte."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = zlib.compress((b"\x00" + b"\x00" * (width * 4)) * height, 9)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", rows) + chunk(b"IEND", b""))


@pytest.fixture
def image_forms(login_as, client, places, distribution):
    """Every form that takes an image: (name, page, action, field, data for the other fields)."""

    from tests.forum_helpers import both_consents, delegate_id, plan_forum, register_child

    forum = plan_forum(client, places["A"].id)
    mai = delegate_id(client, forum, register_child(client, places["village_A"].id, "Vừ Thị Mai", 12))
    both_consents(client, mai, purposes=("participate", "photos"))
    paper = {"kind": "guardian", "given_by": "Vừ A Páo", "relation": "father", "given_on": clock.today().isoformat(),
             "method": "paper", "agencies": "", "participate": "y"}
    return {
        "gift sheet": (f"/gifts/{distribution}", f"/gifts/{distribution}/photo", "photo", {}),
        "consent paper": (f"/forum/delegates/{mai}", f"/forum/delegates/{mai}/consents", "paper_photo", paper),
        "badge photo": (f"/forum/delegates/{mai}", f"/forum/delegates/{mai}/photo", "photo", {}),
    }


def _kept_key(app, form: str) -> str | None:
    from sqlalchemy import select

    from webapp.forum.models import Consent, Delegate

    with app.app_context():
        if form == "gift sheet":
            return db.session.scalar(select(Distribution.photo_sha256))
        if form == "consent paper":
            return db.session.scalar(select(Consent.paper_photo).where(Consent.paper_photo.isnot(None)))
        return db.session.scalar(select(Delegate.photo))


IMAGE_FORMS = ("gift sheet", "consent paper", "badge photo")


@pytest.mark.parametrize("form", IMAGE_FORMS)
def test_every_image_upload_keeps_no_exif_or_gps_and_shrinks_it(app, client, image_forms, form):
    from PIL import Image

    from webapp.core import files

    page, action, field, data = image_forms[form]
    original = phone_photo_with_gps()
    assert b"PhoneMaker" in original and b"nha em Mai" in original
    response = client.submit(page, {**data, field: (io.BytesIO(original), "IMG_0001.JPG")}, action=action,
                             content_type="multipart/form-data")
    assert response.status_code == 303, message_of(response)
    key = _kept_key(app, form)
    with app.app_context():
        kept = files.load(key).data
    assert len(kept) <= 300 * 1024 and b"PhoneMaker" not in kept and b"nha em Mai" not in kept
    assert b"Exif" not in kept and b"GPS" not in kept
    image = Image.open(io.BytesIO(kept))
    assert image.format == "JPEG" and image.size == (1200, 1600)  # turned upright, longest side 1600
    assert len(image.getexif()) == 0 and not image.info.get("comment")
    assert not [p for p in Path(app.instance_path).rglob("*") if p.suffix in (".jpg", ".png")]  # not on disk


@pytest.mark.parametrize("form", IMAGE_FORMS)
def test_a_decompression_bomb_is_refused_before_it_is_decoded(app, client, image_forms, form):
    import time

    page, action, field, data = image_forms[form]
    bomb = bomb_png()
    assert len(bomb) < 300 * 1024
    started = time.monotonic()
    response = client.submit(page, {**data, field: (io.BytesIO(bomb), "anh.png")}, action=action,
                             content_type="multipart/form-data", follow_redirects=True)
    assert time.monotonic() - started < 2
    assert "Ảnh quá lớn, không mở được (49 megapixel, tối đa 8). Chưa có gì được lưu." in response.get_data(
        as_text=True)
    assert _kept_key(app, form) is None and _photos_on_disk(app) == []


def test_taking_in_the_largest_image_allowed_keeps_a_worker_under_200_mb(tmp_path):
    """Memory: the app loaded, then the largest PNG with transparency taken in and the 49-megapixel bomb refused,
    in a process of its own so that its peak is measured alone."""
    import os
    import subprocess
    import sys

    from PIL import Image, ImageDraw

    from webapp.core.images import MAX_PIXELS

    side = int(MAX_PIXELS["PNG"] ** 0.5)
    largest = Image.new("RGBA", (side, side), (255, 255, 255, 0))
    draw = ImageDraw.Draw(largest)
    for x in range(0, side, 97):
        draw.line((x, 0, side - x, side), fill="black", width=3)
    largest.save(tmp_path / "largest.png")
    (tmp_path / "bomb.png").write_bytes(bomb_png())
    script = f"""
from webapp import create_app
from webapp.core import clock, images
app = create_app({{"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"}})
with app.test_request_context():
    assert len(images.clean(open({str(tmp_path / "largest.png")!r}, "rb").read())) <= 300 * 1024
    try:
        images.clean(open({str(tmp_path / "bomb.png")!r}, "rb").read())
    except images.BadImage as exc:
        assert exc.reason == "bomb"
peak = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")][0]  # this process's own peak
print(int(peak.split()[1]) // 1024)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=os.getcwd(),
                          env={**os.environ, "SOTAY_INSTANCE_PATH": str(tmp_path / "instance")}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[-1]) < 200  # megabytes


# --- imports: read as a stream, within a number of rows and a time -----------------------------------------------

def million_row_xlsx() -> bytes:
    """An XLSX of 1,048,576 rows (every row Excel has) in a file of about 150 KB."""
    import zipfile

    small = xlsx([["Nguyễn Văn A", "2015"]])
    rows = b"<row><c><v>2015</v></c></row>" * 1_048_576
    sheet = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + rows + b"</sheetData></worksheet>")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(small)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, sheet if item.filename == "xl/worksheets/sheet1.xml" else source.read(item))
    return out.getvalue()


def test_a_million_row_class_list_is_refused_quickly_and_saves_nothing(client, course, count):
    import time

    data = million_row_xlsx()
    assert len(data) < 5 * 1024 * 1024
    children, enrolled = count(Child), count(SwimEnrolment)
    started = time.monotonic()
    response = upload(client, f"/swim/{course}/import", "lop.xlsx", data)
    assert time.monotonic() - started < 3
    assert response.status_code == 422
    assert "có hơn 2000 dòng" in message_of(response) and "Chưa có gì thay đổi" in message_of(response)
    assert (count(Child), count(SwimEnrolment)) == (children, enrolled)


def test_a_million_row_village_list_is_refused_quickly_and_changes_nothing(login_as, client, count):
    import time

    login_as("officer_A")
    before = count(Unit)
    started = time.monotonic()
    response = upload(client, "/places/import", "thon.xlsx", million_row_xlsx())
    assert time.monotonic() - started < 3
    assert response.status_code == 422 and "có hơn 5000 dòng" in message_of(response)
    assert count(Unit) == before


def test_a_class_list_whose_shared_strings_unpack_to_a_bomb_is_refused_before_reading(client, course, count):
    """Shared strings are read whole before the first row: 30 MB of them (a 100 KB file) is refused unread."""
    import time
    import zipfile

    strings = b"<si><t>Em</t></si>" * 1_700_000
    small, out = xlsx([["Vừ Thị Mai", "2014"]]), io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(small)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "xl/sharedStrings.xml":
                target.writestr(item, source.read(item))
        target.writestr("xl/sharedStrings.xml", b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                                                b'2006/main">' + strings + b"</sst>")
    started = time.monotonic()
    response = upload(client, f"/swim/{course}/import", "lop.xlsx", out.getvalue())
    assert time.monotonic() - started < 2
    assert response.status_code == 422 and "lớn hơn nhiều so với một danh sách" in message_of(response)
    assert count(Child) == 0


def test_an_import_slower_than_its_time_is_refused_with_a_message(app, client, course, count):
    app.config["IMPORT_SECONDS"] = 0  # any file takes longer than that
    children = count(Child)
    response = upload(client, f"/swim/{course}/import", "lop.csv", "Vừ Thị Mai,2014\n".encode() * 50)
    assert response.status_code == 422 and "mất hơn 0 giây" in message_of(response)
    assert count(Child) == children


@pytest.mark.parametrize("name, data", [
    ("wide.csv", ("a," * 300_000 + "\n").encode()),  # one row of 300,000 columns
    ("long.csv", b'"' + b"x" * 200_000 + b'"\n'),  # a field longer than the csv module takes
])
def test_a_class_list_of_odd_shape_is_refused_or_read_within_bounds(client, course, name, data, count):
    response = upload(client, f"/swim/{course}/import", name, data)
    assert response.status_code in (200, 422) and count(Child) == 0
