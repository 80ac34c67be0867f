"""A commune officer writes her 6-month report on a 360×740 phone in May: she opens it from the reminder, reads
numbers she recognises from her own activities, writes two paragraphs, downloads the DOCX and sends it; the
province then sees it sent on time."""

import io
from datetime import UTC, date, datetime

import pytest
from docx import Document
from sqlalchemy import select

pytestmark = pytest.mark.browser


@pytest.fixture
def may_2023(monkeypatch):
    """Today is 8 May 2023 in Vietnam for the report calendar (the server runs in this process)."""
    from webapp.core import clock

    monkeypatch.setattr(clock, "now", lambda: datetime(2023, 5, 8, 2, 0, tzinfo=UTC))


@pytest.fixture
def her_activities(app, places):
    """Commune A's first half of 2023, approved: a training of 35 people and a school talk for 120 children in its
    village; a draft that must not count."""
    from webapp.activities.models import Activity
    from webapp.core.models import new_client_id
    from webapp.extensions import db
    from webapp.geo.models import Unit
    from webapp.plans.services import load_plan_2023

    with app.app_context():
        plan, _ = load_plan_2023(db.session.get(Unit, places["province"].id))
        for kind, unit, day, audience, columns in [
            ("training", "A", date(2023, 3, 14), 35, {"status": "approved"}),
            ("communication", "village_A", date(2023, 4, 20), 120, {"channel": "school_talk", "status": "approved"}),
            ("training", "A", date(2023, 4, 2), 500, {"status": "draft"}),
        ]:
            db.session.add(Activity(kind=kind, plan_id=plan.id, unit_id=places[unit].id, date=day,
                                    audience_total=audience, client_id=new_client_id(), **columns))
        db.session.commit()
        return {p.code: p.id for p in plan.periods}


RESULTS = "Xã đã tổ chức 01 lớp tập huấn cho 35 người và nói chuyện tại trường cho 120 em học sinh."
SHORTCOMINGS = "Kinh phí còn hạn chế; một số thôn ở xa chưa được tuyên truyền trực tiếp."


def test_officer_writes_downloads_and_sends_her_report_in_may(page, sign_in, browser, live_server, users, places,
                                                              her_activities, may_2023, app):
    from webapp.extensions import db
    from webapp.reports.models import Report

    sign_in(users["officer_A"].username, users["officer_A"].password)
    page.get_by_role("navigation", name="Chính").get_by_role("link", name="Báo cáo").click()
    reminder = page.get_by_role("status").filter(has_text="Báo cáo 6 tháng đầu năm 2023")
    assert "còn 7 ngày" in reminder.inner_text()
    page.get_by_role("link", name="Báo cáo 6 tháng đầu năm 2023").click()
    page.get_by_role("heading", level=1, name="Báo cáo 6 tháng đầu năm 2023: Xã Mường Khương").wait_for()
    assert "Hạn 15/05/2023" in page.locator("p.muted").first.inner_text()

    # Her numbers: one training of 35 people (the draft of 500 is not counted), the school talk of 120.
    training = page.locator("tr", has_text="Nâng cao năng lực")
    assert training.locator("td").nth(1).inner_text() == "1" and training.locator("td").nth(2).inner_text() == "35"
    communication = page.locator("tr", has_text="Truyền thông").first
    assert communication.locator("td").nth(2).inner_text() == "120"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # Sections II and III start from her figures: what she has not written yet is there to correct, not to type.
    tasks = page.get_by_label("III.1. Phương hướng, nhiệm vụ thời gian tới")
    assert tasks.input_value().startswith("Tiếp tục triển khai các hoạt động bảo vệ, chăm sóc trẻ em")
    page.get_by_label("II.1. Kết quả đạt được").fill(RESULTS)
    page.get_by_label("II.2. Tồn tại, hạn chế, khó khăn và nguyên nhân").fill(SHORTCOMINGS)
    page.get_by_role("button", name="Lưu bản nháp").click()
    page.locator(".flash", has_text="Đã lưu bản nháp báo cáo.").wait_for()
    assert page.get_by_label("II.2. Tồn tại, hạn chế, khó khăn và nguyên nhân").input_value() == SHORTCOMINGS
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    with page.expect_download() as download:
        page.get_by_role("link", name="Tải về DOCX").click()
    document = Document(io.BytesIO(open(download.value.path(), "rb").read()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert RESULTS in text and SHORTCOMINGS in text and "Tiếp tục triển khai các hoạt động" in text
    assert "Mường Khương, ngày 08 tháng 5 năm 2023" in document.tables[0].rows[1].cells[1].text
    groups = [[c.text for c in row.cells] for row in document.tables[1].rows]
    assert ["2", "Nâng cao năng lực", "1", "35", "0", "0"] in groups

    page.get_by_role("button", name="Gửi báo cáo").click()
    page.locator(".flash", has_text="Đã gửi báo cáo.").wait_for()
    assert "Đã gửi · đúng hạn" in page.locator("p.muted").first.inner_text()
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert (report.status, report.results, report.unit_id) == ("submitted", RESULTS, places["A"].id)

    # The province's admin, on her own phone, sees the commune's report sent on time.
    context = browser.new_context(base_url=live_server, viewport={"width": 360, "height": 740}, locale="vi-VN",
                                  is_mobile=True, has_touch=True)
    try:
        admin = context.new_page()
        admin.goto("/login")
        admin.get_by_label("Tên đăng nhập hoặc số điện thoại").fill(users["admin"].username)
        admin.get_by_label("Mật khẩu").fill(users["admin"].password)
        admin.get_by_role("button", name="Đăng nhập").click()
        admin.get_by_role("navigation", name="Chính").get_by_role("link", name="Báo cáo").click()
        admin.locator("li", has_text="Báo cáo 6 tháng đầu năm 2023").get_by_role("link", name="Đơn vị đã gửi").click()
        admin.get_by_role("heading", level=1, name="Báo cáo 6 tháng đầu năm 2023: tình hình gửi báo cáo").wait_for()
        cells = admin.locator("tr", has_text="Xã Mường Khương").locator("td")
        assert [cells.nth(i).inner_text() for i in (1, 2)] == ["Đã gửi", "đúng hạn"]
        cells = admin.locator("tr", has_text="Xã Bắc Hà").locator("td")
        assert [cells.nth(i).inner_text() for i in (1, 2)] == ["Chưa bắt đầu", ""]  # not late yet on 8 May
    finally:
        context.close()
