"""Files: the report as a Vietnamese administrative document (DOCX) and its tables (XLSX); activity records as CSV
and XLSX. Built from the same ReportData the page shows, so the numbers agree."""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..activities.models import Activity
from ..core import spreadsheets
from ..core.formatting import fmt_date
from ..extensions import db
from .indicators import counted_activities
from .services import ReportData, counted_until_text, issuing_body, place_name, today

MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"


def _n(value) -> str:
    """A number written the Vietnamese way: 1.000.000."""
    return "" if value is None else f"{int(value):,}".replace(",", ".")


def goal_value(row, value) -> str:
    if value is None:
        return ""
    if row.goal.kind == "percent":
        return f"{value / 100:g}".replace(".", ",") + "%"
    if row.goal.kind == "done":
        return _("Done") if value else _("Not done")
    return _n(value)


def other_value(indicator, value) -> str:
    if value is None:
        return ""
    if indicator.kind == "percent":
        return f"{value / 100:g}".replace(".", ",") + "%"
    return _n(value)


def _title(data: ReportData) -> tuple[str, str]:
    period = data.period
    if period.code == "half_year":
        sub = f"Kết quả thực hiện công tác bảo vệ, chăm sóc trẻ em 6 tháng đầu năm {period.plan.year}"
    else:
        sub = f"Kết quả thực hiện công tác bảo vệ, chăm sóc trẻ em năm {period.plan.year}"
    return "BÁO CÁO", sub


def date_line(data: ReportData) -> str:
    report = data.report
    day = (report.report_date if report and report.report_date else today())
    place = (report.place if report and report.place else place_name(data.unit))
    return f"{place}, ngày {day.day} tháng {day.month} năm {day.year}"


def _cell(cell, lines, bold=(), italic=(), size=13):
    cell.text = ""
    for i, text in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold, run.italic, run.font.size = i in bold, i in italic, Pt(size)


def _para(doc, text, bold=False, italic=False, align=None, size=14):
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    if align is not None:
        p.alignment = align
    return p


def _table(doc, header, rows):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text)
    return table


def report_docx(data: ReportData) -> bytes:
    """The report in the layout of Nghị định 30/2020/NĐ-CP: motto block, issuing body and number, place and date,
    title, body, "Nơi nhận" and the signature block."""
    report = data.report
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(14)

    head = doc.add_table(rows=1, cols=2)
    number = report.number if report and report.number else "      /BC-UBND"
    _cell(head.rows[0].cells[0], [issuing_body(data.unit).upper(), f"Số: {number}"], bold=(0,))
    _cell(head.rows[0].cells[1], [MOTTO, MOTTO_2, "", date_line(data)], bold=(0, 1), italic=(3,))

    title, subtitle = _title(data)
    _para(doc, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, subtitle, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, counted_until_text(data.period), italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)

    _para(doc, "I. KẾT QUẢ THỰC HIỆN", bold=True)
    _para(doc, "1. Các hoạt động theo kế hoạch", bold=True)
    _table(doc, ["TT", "Nhóm hoạt động", "Số buổi, hoạt động", "Số người tham gia", "Tài liệu phát", "Kinh phí (đồng)"],
           [[i, g.label, _n(g.sessions), _n(g.participants), _n(g.materials), _n(g.spent)]
            for i, g in enumerate(data.groups, 1)])
    _para(doc, "2. Kết quả thực hiện các chỉ tiêu", bold=True)
    _table(doc, ["Mã", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tỷ lệ đạt", "Nguồn số liệu"],
           [[r.goal.code.replace(":participants", ""), r.goal.text, goal_value(r, r.goal.figure if r.goal.applies
                                                                               else None),
             goal_value(r, r.actual), "" if r.reached is None else f"{r.reached}%", r.source or ""]
            for r in data.rows])
    _para(doc, "3. Các kết quả khác", bold=True)
    _table(doc, ["Chỉ số", "Thực hiện", "Nguồn số liệu"],
           [[str(ind.label), other_value(ind, v), str(ind.source)] for ind, v in data.others])
    _para(doc, "4. Kinh phí theo nguồn", bold=True)
    _table(doc, ["Nguồn kinh phí", "Số tiền (đồng)"], [[label, _n(v)] for label, v in data.money]
           + [["Tổng cộng", _n(sum(v or 0 for _label, v in data.money))]])
    if report and report.results:
        _para(doc, "5. Đánh giá chung", bold=True)
        for line in report.results.splitlines():
            _para(doc, line)
    _para(doc, "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", bold=True)
    for line in (report.shortcomings if report and report.shortcomings else "").splitlines():
        _para(doc, line)
    _para(doc, "III. ĐỀ XUẤT, KIẾN NGHỊ", bold=True)
    for line in (report.proposals if report and report.proposals else "").splitlines():
        _para(doc, line)

    foot = doc.add_table(rows=1, cols=2)
    recipients = (report.recipients if report and report.recipients else "Như trên;\nLưu: VT.").splitlines()
    left = foot.rows[0].cells[0]
    left.text = ""
    p = left.paragraphs[0]
    run = p.add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    for line in recipients:
        run = left.add_paragraph().add_run(f"- {line.strip()}")
        run.font.size = Pt(11)
    signer_title = (report.signer_title if report and report.signer_title else "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH")
    title_lines = [t.strip() for t in signer_title.split("/")]
    name = report.signer_name if report and report.signer_name else ""
    _cell(foot.rows[0].cells[1], [*title_lines, "", "", "", name], bold=tuple(range(len(title_lines) + 4)))

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def report_xlsx(data: ReportData) -> bytes:
    """The report's tables: activities by group, targets, other results, money by source; one sheet each, titled.
    Written through core.spreadsheets: an entered figure's source or a unit's name stays text."""
    book = spreadsheets.workbook()
    title = f"{_title(data)[1]} — {data.unit.name}"

    def sheet(ws, name, header, rows):
        ws.title = name
        spreadsheets.append(ws, [title], bold=True, size=13)
        spreadsheets.append(ws, header, bold=True)
        for row in rows:
            spreadsheets.append(ws, row)

    sheet(book.active, "Hoạt động", ["TT", "Nhóm hoạt động", "Số buổi, hoạt động", "Số người tham gia",
                                     "Tài liệu phát", "Kinh phí (đồng)", "Vận động (đồng)"],
          [[i, g.label, g.sessions, g.participants, g.materials, g.spent, g.raised]
           for i, g in enumerate(data.groups, 1)])
    sheet(book.create_sheet(), "Chỉ tiêu", ["Mã", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tỷ lệ đạt (%)",
                                            "Nguồn số liệu"],
          [[r.goal.code.replace(":participants", ""), r.goal.text,
            _xl(r, r.goal.figure if r.goal.applies else None), _xl(r, r.actual), r.reached, r.source or ""]
           for r in data.rows])
    sheet(book.create_sheet(), "Kết quả khác", ["Chỉ số", "Thực hiện", "Nguồn số liệu"],
          [[str(ind.label), v if v is None or ind.kind != "percent" else v / 100, str(ind.source)]
           for ind, v in data.others])
    sheet(book.create_sheet(), "Kinh phí", ["Nguồn kinh phí", "Số tiền (đồng)"],
          [[label, v or 0] for label, v in data.money] + [["Tổng cộng", sum(v or 0 for _label, v in data.money)]])
    return spreadsheets.save(book)


def _xl(row, value):
    """A percentage as a number of percent (3.5), other values as they are."""
    if value is None:
        return None
    return value / 100 if row.goal.kind == "percent" else value


# --- Activity records -------------------------------------------------------------------------------------------

ACTIVITY_HEADER = ["id", "kind", "date", "commune_or_village", "venue", "status", "channel", "level",
                   "audience_total", "adults", "children", "boys", "girls", "ethnic_minority", "materials",
                   "gifts_count", "gifts_value", "scholarships_count", "scholarships_value", "money_raised",
                   "in_kind_value", "funding_source", "amount_spent", "cases_handled", "assessment_total",
                   "assessment_met"]


def activity_rows(unit, period) -> list[list]:
    """The header and one row per activity counted for the period, oldest first. No participant's name."""
    stmt = (select(Activity).where(counted_activities(unit, period)).order_by(Activity.date, Activity.id)
            .options(selectinload(Activity.materials)))
    rows = [ACTIVITY_HEADER]
    for a in db.session.scalars(stmt):
        rows.append([a.id, a.kind, fmt_date(a.date), a.unit.name, a.venue or "", a.status, a.channel or "",
                     a.level or "", a.audience_total, a.adults, a.children, a.boys, a.girls, a.ethnic_minority,
                     sum(m.quantity for m in a.materials), a.gifts_count, a.gifts_value, a.scholarships_count,
                     a.scholarships_value, a.money_raised, a.in_kind_value, a.funding_source or "", a.amount_spent,
                     a.cases_handled, a.assessment_total,
                     "" if a.assessment_met is None else int(a.assessment_met)])
    return rows


def rows_csv(rows) -> bytes:
    return spreadsheets.csv_bytes(rows)


def rows_xlsx(rows) -> bytes:
    return spreadsheets.xlsx_bytes([("Hoạt động", rows)])
