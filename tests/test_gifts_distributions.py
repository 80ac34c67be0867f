"""Recording gifts and scholarships: ticking children, flagging a second receipt in a round (also when two phones
sync late), the sign-off sheet, the photo of the signed sheet, totals that agree, and who sees what."""

import hashlib
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import hidden_fields
from webapp.children.models import Child
from webapp.core.audit import AuditLog
from webapp.extensions import db
from webapp.gifts.models import Distribution, Receipt


@pytest.fixture
def kids(make_child):
    """Three children of village A (Thôn Lùng Cẩu) and one of village B, straight in the register."""
    return {key: make_child(name, village, by="officer_A")
            for key, name, village in [("an", "Nguyễn Văn An", "village_A"), ("mai", "Giàng Thị Mai", "village_A"),
                                       ("pao", "Sùng Seo Páo", "village_A"), ("hoa", "Lò Thị Hoa", "village_B")]}


def gift(places, children=(), **overrides) -> dict:
    data = {"occasion": "mid_autumn", "year": "2023", "kind": "in_kind", "item": "Bánh trung thu và đèn ông sao",
            "value_each": "150.000", "source": "fund", "given_on": "2023-09-28", "place": "Nhà văn hóa thôn",
            "giver": "Lý Thị Mai", "group_count": "0", "children": [str(c) for c in children],
            "source_unit_id": str(places["A"].id)}
    data.update(overrides)
    return data


def new_url(places, occasion="mid_autumn", year=2023) -> str:
    return f"/gifts/new?village={places['village_A'].id}&occasion={occasion}&year={year}"


def record(client, places, children=(), **overrides):
    return client.submit(new_url(places), gift(places, children, **overrides))


def dist_id(response) -> int:
    return int(re.search(r"/gifts/(\d+)$", response.headers["Location"]).group(1))


def test_ticked_children_receive_and_the_total_is_value_times_recipients(login_as, client, places, kids, app):
    login_as("village_head_A")
    page = client.get(new_url(places)).get_data(as_text=True)
    assert "Nguyễn Văn An" in page and "Lò Thị Hoa" not in page  # only the village's own list
    response = record(client, places, [kids["an"], kids["mai"]], group_count="3", group_note="Lớp mẫu giáo")
    assert response.status_code == 303
    with app.app_context():
        d = db.session.get(Distribution, dist_id(response))
        assert d.value_each == 150_000 and d.recipients == 5 and d.total == 750_000
        assert sorted(r.child_id for r in d.receipts) == sorted([kids["an"], kids["mai"]])
        assert not any(r.flagged for r in d.receipts)
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "750.000\u00a0₫" in detail and "Giàng Thị Mai" in detail


def test_nothing_ticked_and_no_group_is_refused(login_as, client, places, kids, count):
    login_as("officer_A")
    response = record(client, places, [], item="Vở")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="group_count-error"' in page and 'value="Vở"' in page
    assert count(Distribution) == 0


def test_bad_money_is_refused_next_to_the_field(login_as, client, places, kids):
    login_as("officer_A")
    response = record(client, places, [kids["an"]], value_each="150 nghìn")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="value_each-error"' in page and 'value="150 nghìn"' in page


def test_a_child_who_already_received_in_the_round_is_marked_and_flagged(login_as, client, places, kids, app):
    login_as("village_head_A")
    record(client, places, [kids["an"]])
    page = client.get(new_url(places)).get_data(as_text=True)
    assert "đã nhận quà trong dịp này" in page
    second = record(client, places, [kids["an"], kids["mai"]], item="Sách vở")
    assert second.status_code == 303
    with app.app_context():
        receipts = db.session.scalars(select(Receipt).where(Receipt.child_id == kids["an"]).order_by(Receipt.id)).all()
        assert [r.flagged for r in receipts] == [False, True] and receipts[1].reason is None
        assert db.session.scalar(select(Receipt).where(Receipt.child_id == kids["mai"])).flagged is False
    # another round (Tết) is no second receipt
    client.submit(new_url(places, "tet", 2024), gift(places, [kids["an"]], occasion="tet", year="2024",
                                                      given_on="2024-02-05"))
    with app.app_context():
        tet = db.session.scalar(select(Receipt).where(Receipt.occasion == "tet"))
        assert tet.flagged is False


def test_two_phones_offline_the_second_to_sync_is_flagged(app, places, kids, users, new_client, count):
    phone1, phone2 = new_client(), new_client()
    phone1.login(users["village_head_A"].username)
    phone2.login(users["officer_A"].username)
    # both forms were opened while online (each gets its own client_id), filled offline, and replayed later
    form1 = {**hidden_fields(phone1.get(new_url(places)).get_data(as_text=True)), **gift(places, [kids["an"]])}
    form2 = {**hidden_fields(phone2.get(new_url(places)).get_data(as_text=True)),
             **gift(places, [kids["an"], kids["pao"]], item="Đèn lồng")}
    assert form1["client_id"] != form2["client_id"]
    assert phone1.post(new_url(places), data=form1).status_code == 303
    assert phone2.post(new_url(places), data=form2).status_code == 303
    # the outbox may replay both again: nothing doubles
    phone2.post(new_url(places), data=form2)
    phone1.post(new_url(places), data=form1)
    assert count(Distribution) == 2
    with app.app_context():
        receipts = db.session.scalars(select(Receipt).where(Receipt.child_id == kids["an"]).order_by(Receipt.id)).all()
        assert len(receipts) == 2
        assert [r.first_in_round for r in receipts] == [True, None] and receipts[1].flagged
        assert db.session.scalar(select(AuditLog).where(AuditLog.action == "flag_second_receipt")) is not None


def test_the_database_refuses_a_second_first_receipt(app, places, kids, users):
    """The guarantee does not rest on the application's check: the unique constraint itself refuses it."""
    from datetime import date

    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        for n in range(2):
            d = Distribution(unit_id=places["village_A"].id, commune_id=places["A"].id, occasion="tet", year=2025,
                             kind="cash", value_each=1, item="x", source="budget", given_on=date(2025, 1, 1))
            db.session.add(d)
            db.session.flush()
            db.session.add(Receipt(distribution_id=d.id, child_id=kids["an"], occasion="tet", year=2025,
                                   first_in_round=True))
            if n == 0:
                db.session.flush()
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_an_officer_gives_the_reason_for_a_second_receipt(login_as, client, places, kids, app, users):
    login_as("village_head_A")
    record(client, places, [kids["an"]])
    location = record(client, places, [kids["an"]], item="Áo ấm").headers["Location"]
    page = client.get(location).get_data(as_text=True)
    assert "Chờ cán bộ xem xét." in page and "receipts/" not in page  # a collector cannot accept it
    client.logout()
    client.login(users["officer_A"].username)
    with app.app_context():
        receipt_id = db.session.scalar(select(Receipt.id).where(Receipt.flagged.is_(True)))
    response = client.submit(location, {"reason": "Trẻ mồ côi, được hỗ trợ thêm"},
                             action=f"/gifts/receipts/{receipt_id}/reason")
    assert response.status_code == 303
    with app.app_context():
        receipt = db.session.get(Receipt, receipt_id)
        assert receipt.reason == "Trẻ mồ côi, được hỗ trợ thêm" and receipt.reviewed_by_id == users["officer_A"].id


def test_an_officer_recording_a_second_receipt_gives_the_reason_at_once(login_as, client, places, kids, app):
    login_as("officer_A")
    record(client, places, [kids["an"]])
    record(client, places, [kids["an"]], item="Học bổng", kind="scholarship", reason="Học sinh giỏi cấp tỉnh")
    with app.app_context():
        flagged = db.session.scalar(select(Receipt).where(Receipt.flagged.is_(True)))
        assert flagged.reason == "Học sinh giỏi cấp tỉnh"


def test_sign_off_sheet_lists_name_village_item_value_and_signature(login_as, client, places, kids, app):
    login_as("officer_A")
    location = record(client, places, [kids["an"], kids["mai"]], group_count="2",
                      group_note="Trường Mầm non Lùng Cẩu").headers["Location"]
    sheet = client.get(location + "/sheet")
    assert sheet.status_code == 200
    html = sheet.get_data(as_text=True)
    table = html[html.index('id="sheet"'):html.index("</table>")]
    assert "DANH SÁCH KÝ NHẬN" in html and "Ký nhận" in table
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>", table)
    assert [(r[1], r[2], r[3], r[4]) for r in rows] == [
        ("Giàng Thị Mai", "Thôn Lùng Cẩu", "Bánh trung thu và đèn ông sao", "150.000\u00a0₫"),
        ("Nguyễn Văn An", "Thôn Lùng Cẩu", "Bánh trung thu và đèn ông sao", "150.000\u00a0₫"),
    ]  # in alphabetical order, accents aside
    assert "Nhóm 2 người không ghi tên" in table and "600.000\u00a0₫" in table
    with app.app_context():
        assert db.session.scalar(select(AuditLog).where(AuditLog.action == "export")).detail_dict["what"] \
            == "sign_off_sheet"


def phone_photo(size=(3000, 2000)) -> bytes:
    """A full-size photo as a phone takes it: large, turned by its EXIF orientation, with a GPS position."""
    from PIL import ExifTags, Image

    grey = Image.effect_noise(size, 24)
    image = Image.merge("RGB", [grey, grey.rotate(180), grey])
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # taken holding the phone upright: shown turned by 90°
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update({ExifTags.GPS.GPSLatitudeRef: "N",
                                               ExifTags.GPS.GPSLatitude: (22.0, 43.0, 12.5),
                                               ExifTags.GPS.GPSLongitudeRef: "E",
                                               ExifTags.GPS.GPSLongitude: (104.0, 9.0, 30.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims to be width × height pixels: a decompression bomb's header, nothing behind it."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def test_a_full_size_photo_is_shrunk_cleaned_and_kept_in_the_file_store_under_its_checksum(
        login_as, client, places, kids, app):
    """Posted without JavaScript (no shrinking on the phone): the server shrinks it, turns it upright and drops
    its EXIF (the GPS position of the child's home must not be kept)."""
    from PIL import Image

    from webapp.core import files

    original = phone_photo()
    assert len(original) > 1024 * 1024 and b"PhoneMaker" in original
    login_as("village_head_A")
    location = record(client, places, [kids["an"]]).headers["Location"]
    d = dist_id_from(location)
    response = client.submit(location, {"photo": (io.BytesIO(original), "IMG_0001.JPG")},
                             action=f"/gifts/{d}/photo", content_type="multipart/form-data")
    assert response.status_code == 303
    with app.app_context():
        distribution = db.session.get(Distribution, d)
        stored = files.load(distribution.photo_sha256).data
        assert not (Path(app.instance_path) / "uploads").exists()  # nothing on this server's own disk
        assert distribution.photo_sha256 == hashlib.sha256(stored).hexdigest()
        assert distribution.photo_size == len(stored) <= 300 * 1024 and distribution.photo_type == "image/jpeg"
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and image.size == (1067, 1600)  # upright, longest side 1600
    assert len(image.getexif()) == 0 and b"PhoneMaker" not in stored and b"Exif" not in stored
    shown = client.get(f"/gifts/{d}/photo")
    assert shown.status_code == 200 and shown.data == stored
    # the same photo sent again (the outbox replays it) changes nothing
    client.submit(location, {"photo": (io.BytesIO(original), "IMG_0001.JPG")}, action=f"/gifts/{d}/photo",
                  content_type="multipart/form-data")
    with app.app_context():
        assert db.session.get(Distribution, d).version == 2


@pytest.mark.parametrize("data, message", [
    (png_header(30_000, 30_000), "Ảnh quá lớn, không mở được (900 megapixel, tối đa 8). Chưa có gì được lưu."),
    (b"%PDF-1.4 not an image", "Ảnh phải là tệp JPEG, PNG hoặc WebP. Chưa có gì được lưu."),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 2000, "Ảnh phải là tệp JPEG, PNG hoặc WebP. Chưa có gì được lưu."),
])
def test_a_decompression_bomb_or_not_an_image_is_refused(login_as, client, places, kids, data, message, app):
    login_as("village_head_A")
    location = record(client, places, [kids["an"]]).headers["Location"]
    d = dist_id_from(location)
    response = client.submit(location, {"photo": (io.BytesIO(data), "x.jpg")}, action=f"/gifts/{d}/photo",
                             content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        from webapp.core.files import StoredFile

        assert db.session.get(Distribution, d).photo_sha256 is None
        assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0


def dist_id_from(location: str) -> int:
    return int(location.rstrip("/").rsplit("/", 1)[1])


def test_totals_by_every_breakdown_agree(login_as, client, places, kids, users, app):
    login_as("officer_A")
    record(client, places, [kids["an"], kids["mai"]], value_each="100000")  # 200.000, fund, Sep, trung thu
    client.submit(new_url(places, "tet", 2023), gift(places, [kids["pao"]], occasion="tet", value_each="500000",
                                                      source="budget", given_on="2023-01-20", group_count="4"))
    # 2.500.000, budget, Jan, Tết
    client.logout()
    client.login(users["officer_B"].username)
    client.submit(f"/gifts/new?village={places['village_B'].id}&occasion=children_day&year=2023",
                  gift(places, [kids["hoa"]], occasion="children_day", source_unit_id=str(places["B"].id),
                       value_each="1.000.000", source="donor", donor_name="Công ty Cổ phần Apatit",
                       given_on="2023-06-01"))  # 1.000.000, donor, Jun
    client.logout()
    client.login(users["admin"].username)
    page = client.get("/gifts/totals?year=2023").get_data(as_text=True)
    assert re.search(r'id="grand">3\.700\.000\u00a0₫', page)
    for by in ("occasion", "commune", "source", "month"):
        table = page[page.index(f'id="by-{by}"'):]
        table = table[:table.index("</table>")]
        values = [int(v.replace(".", "")) for v in re.findall(r"<td>([\d.]+)\u00a0₫</td>", table)]
        assert sum(values) == 3_700_000, by
    from webapp.gifts.services import totals

    with app.app_context():
        from webapp.accounts.models import User

        admin = db.session.get(User, users["admin"].id)
        by_source = {k: v for k, _n, v in totals(admin, 2023, "source")}
        assert by_source == {"budget": 2_500_000, "donor": 1_000_000, "fund": 200_000}
        by_month = {k: (n, v) for k, n, v in totals(admin, 2023, "month")}
        assert by_month == {1: (5, 2_500_000), 6: (1, 1_000_000), 9: (2, 200_000)}
        officer = db.session.get(User, users["officer_A"].id)
        assert sum(v for _k, _n, v in totals(officer, 2023, "commune")) == 2_700_000  # only commune A


def test_viewer_sees_counts_and_totals_but_no_names(login_as, client, places, kids, users):
    login_as("officer_A")
    location = record(client, places, [kids["an"]]).headers["Location"]
    client.logout()
    client.login(users["viewer"].username)
    page = client.get(location)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "150.000\u00a0₫" in html and "Nguyễn Văn An" not in html
    assert client.get(location + "/sheet").status_code == 403
    assert client.get("/gifts/new").status_code == 403
    assert client.get("/gifts/totals").status_code == 200


@pytest.mark.parametrize("role, status", [("officer_B", 404), ("collector_B", 404), ("admin", 200),
                                          ("collector_A", 200)])
def test_a_distribution_of_commune_a_is_hidden_from_commune_b(role, status, login_as, client, places, kids, users):
    login_as("officer_A")
    location = record(client, places, [kids["an"]]).headers["Location"]
    client.logout()
    client.login(users[role].username)
    assert client.get(location).status_code == status
    assert client.get(location + "/sheet").status_code == status


def test_a_child_of_another_village_cannot_be_slipped_in(login_as, client, places, kids, app):
    login_as("village_head_A")
    response = record(client, places, [kids["an"], kids["hoa"]])
    with app.app_context():
        d = db.session.get(Distribution, dist_id(response))
        assert [r.child_id for r in d.receipts] == [kids["an"]]


def test_merging_children_moves_receipts_and_flags_a_clash(login_as, client, places, kids, app, users):
    login_as("officer_A")
    record(client, places, [kids["an"]])
    record(client, places, [kids["mai"]], item="Đèn lồng")
    with app.app_context():
        mai = db.session.get(Child, kids["mai"])
        mai.full_name, mai.search_name = "Nguyễn Văn Ân", "nguyen van an"
        db.session.commit()
    response = client.submit(f"/children/{kids['mai']}", {"into_id": str(kids["an"])},
                             action=f"/children/{kids['mai']}/merge")
    assert response.status_code == 303
    with app.app_context():
        receipts = db.session.scalars(select(Receipt).where(Receipt.child_id == kids["an"]).order_by(Receipt.id)).all()
        assert len(receipts) == 2 and [r.flagged for r in receipts] == [False, True]
    history = client.get(f"/children/{kids['an']}").get_data(as_text=True)
    assert "Đèn lồng" in history and "Bánh trung thu" in history


def test_a_donor_source_needs_the_donors_name(login_as, client, places, kids):
    login_as("officer_A")
    response = record(client, places, [kids["an"]], source="donor", donor_name="")
    assert response.status_code == 422
    assert 'id="donor_name-error"' in response.get_data(as_text=True)


def test_a_gift_given_after_today_is_refused_as_in_the_future(login_as, client, places, kids, count, vietnam_time):
    """Issue 15 item 9: a distribution records gifts given; tomorrow (in Vietnam) is in the future."""
    vietnam_time(2023, 9, 28, 23, 0)
    login_as("officer_A")
    response = record(client, places, [kids["an"]], given_on="2023-09-29")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="given_on-error"[^>]*>Ngày không được sau hôm nay\.<', page)
    assert 'value="2023-09-29"' in page and 'value="Bánh trung thu và đèn ông sao"' in page
    assert count(Distribution) == 0
    assert record(client, places, [kids["an"]], given_on="2023-09-28").status_code == 303
