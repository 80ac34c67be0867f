"""Files: the report as a Vietnamese administrative document (DOCX) and its tables (XLSX); activity records as CSV
and XLSX. Built from the same ReportData the page shows, so the numbers agree."""

import io
import re
import string
import unicodedata

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..activities.models import FUNDING_SOURCES, Activity
from ..core import spreadsheets
from ..core.formatting import fmt_date
from ..extensions import db
from . import drafting
from .drafting import goal_value, other_value
from .drafting import number as _n
from .forms import DEFAULT_RECIPIENTS
from .indicators import counted_activities
from .services import ReportData, counted_until_text, full_name, issuing_body, place_name, today

MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"

# The layout of an administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I): A4; margins top and bottom
# 20–25 mm, left 30–35 mm, right 15–20 mm; Times New Roman; each part in its size and style.
FONT = "Times New Roman"
MARGINS_CM = {"top": 2.0, "bottom": 2.0, "left": 3.0, "right": 2.0}
TEXT_CM = 21.0 - MARGINS_CM["left"] - MARGINS_CM["right"]  # 16 cm
HEAD_CM = (6.0, 10.0)  # the issuing body and number | the motto and the date line
FOOT_CM = (7.0, 9.0)  # "Nơi nhận" | the signature
CELL_MARGIN_CM = 0.19  # each side of a table cell (Word's default)
BODY, TABLE, NOTE = 14, 12, 10  # point sizes: the text, the tables, a figure's source under its name

# Advance widths of Times New Roman Bold per 1000 em (Liberation Serif Bold, which LibreOffice uses in its place,
# has the same), to draw the lines under the issuing body, the motto and the title as long as the decree asks.
_BOLD = dict(zip(string.ascii_uppercase + string.ascii_lowercase + string.digits, (
    722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722,
    1000, 722, 722, 667, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444,
    389, 333, 556, 500, 722, 500, 500, 444, *[500] * 10), strict=True))
_BOLD.update({" ": 250, "-": 333, ".": 250, ",": 250, ":": 333, ";": 333, "(": 333, ")": 333, "/": 278, "Đ": 722,
              "đ": 556})
_HORN = {"U": 74, "u": 44, "O": 0, "o": 54}  # Ư ư Ơ ơ are wider than their letter


def bold_width_cm(text: str, size: float) -> float:
    """How long `text` runs in Times New Roman Bold at `size` points."""
    total = 0
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = ch if ch in "Đđ" else parts[0]
        total += _BOLD.get(base, 556) + (_HORN.get(base, 0) if "\u031b" in parts else 0)
    return total / 1000 * size / 72 * 2.54


def _two_digits(n: int, below: int) -> str:
    """A day under 10, a month under 3, written with a leading zero as the decree asks: 08, 02."""
    return f"{n:02d}" if n < below else str(n)


def _title(data: ReportData) -> tuple[str, str]:
    period = data.period
    if period.code == "half_year":
        sub = f"Kết quả thực hiện công tác bảo vệ, chăm sóc trẻ em 6 tháng đầu năm {period.plan.year}"
    else:
        sub = f"Kết quả thực hiện công tác bảo vệ, chăm sóc trẻ em năm {period.plan.year}"
    return "BÁO CÁO", sub


def _span(data: ReportData) -> str:
    year = data.period.plan.year
    return f"6 tháng đầu năm {year}" if data.period.code == "half_year" else f"năm {year}"


def date_line(data: ReportData) -> str:
    report = data.report
    day = (report.report_date if report and report.report_date else today())
    place = (report.place if report and report.place else place_name(data.unit))
    return f"{place}, ngày {_two_digits(day.day, 10)} tháng {_two_digits(day.month, 3)} năm {day.year}"


def data_cutoff_line(data: ReportData) -> str:
    """"(Số liệu tính đến ngày …)": the one place the document says up to which day its figures count, the period's
    `counted_until` (its end, or its data cut-off if earlier), in the words the pages use."""
    return f"({counted_until_text(data.period)})"


def _in_text(unit) -> str:
    """The unit's name as running text writes it: "xã Mường Khương", "tỉnh Lào Cai"."""
    name, place = full_name(unit), place_name(unit)
    return name[:len(name) - len(place)].lower() + place


def _issuing_lines(unit) -> list[str]:
    """The issuing body in capitals, its kind over its name: ỦY BAN NHÂN DÂN / XÃ MƯỜNG KHƯƠNG."""
    body, name = issuing_body(unit), full_name(unit)
    kind = body[:len(body) - len(name)].strip()
    return [kind.upper(), name.upper()] if kind else [body.upper()]


# --- Word's XML where python-docx has no word for it ------------------------------------------------------------

def _el(tag: str, **attrs) -> OxmlElement:
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def _run(p, text, size, bold=False, italic=False):
    run = p.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return run


def _tight(p, align=WD_ALIGN_PARAGRAPH.CENTER, after=0):
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(after), 1.0
    p.alignment = align
    return p


def _rule(container, length_cm: float, room_cm: float):
    """A solid line `length_cm` long, centred in `room_cm`, right under the paragraph before: the top border of an
    empty paragraph of exact height."""
    p = container.add_paragraph()
    fmt = p.paragraph_format
    side = Cm(max(0.0, (room_cm - length_cm) / 2))
    fmt.left_indent = fmt.right_indent = side
    fmt.first_line_indent = Cm(0)
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(3), Pt(0), Pt(6)  # a gap: not an underline
    borders = _el("w:pBdr")
    borders.append(_el("w:top", val="single", sz=6, space=1, color="000000"))
    p._p.get_or_add_pPr().insert_element_before(
        borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
        "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
        "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc")
    return p


def _cell_lines(cell, lines, size, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.CENTER):
    """A cell's text, one paragraph a line (its first paragraph is the cell's own)."""
    for i, text in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        _tight(p, align)
        if text:
            _run(p, text, size, bold, italic)
    return cell


def _grid(doc, widths_cm, rows=1, border=True):
    """A table of fixed column widths (name columns wide, number columns narrow) that Word and LibreOffice both
    keep as given."""
    table = doc.add_table(rows=rows, cols=len(widths_cm))
    if border:
        table.style = "Table Grid"
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    width = table._tbl.tblPr.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(round(sum(widths_cm) / 2.54 * 1440)))
    for column, cm in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(cm)
    for row in table.rows:
        for cell, cm in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(cm)
    return table


def _row_kept_whole(row, header=False):
    """A row never broken across pages; a header row repeated on every page the table runs to."""
    properties = row._tr.get_or_add_trPr()
    properties.append(_el("w:cantSplit"))
    if header:
        properties.append(_el("w:tblHeader"))


def _fit(header, rows, least_cm, numeric_from) -> list[float]:
    """Column widths for their content: each number column as wide as its longest figure (and its header's longest
    word) needs, at least `least_cm`; the name column (None in `least_cm`) takes the rest of the line."""
    widths = []
    for i, least in enumerate(least_cm):
        if least is None or i < numeric_from:
            widths.append(least)
            continue
        words = [w for w in header[i].split()] + [str(r[i]) for r in rows]
        need = max(bold_width_cm(w, TABLE) for w in words) + 2 * CELL_MARGIN_CM + 0.05
        widths.append(round(max(least, need), 2))
    rest = TEXT_CM - sum(w for w in widths if w is not None)
    return [rest if w is None else w for w in widths]


def _table(doc, header, rows, least_cm, numeric_from=2):
    """A bordered table: a bold header repeated on each page, then one line a row, no row broken across pages; the
    columns from `numeric_from` hold numbers, aligned right. A cell is a string, or (text, note) for a name with
    its source under it."""
    widths_cm = _fit(header, rows, least_cm, numeric_from)
    table = _grid(doc, widths_cm, rows=1)
    _row_kept_whole(table.rows[0], header=True)
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _cell_lines(cell, [text], TABLE, bold=True)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for values in rows:
        row = table.add_row()
        _row_kept_whole(row)
        for i, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.width = Cm(widths_cm[i])
            text, note = value if isinstance(value, tuple) else (value, None)
            bold = isinstance(value, Total)
            align = (WD_ALIGN_PARAGRAPH.RIGHT if i >= numeric_from else
                     WD_ALIGN_PARAGRAPH.CENTER if i == 0 and numeric_from > 1 else WD_ALIGN_PARAGRAPH.LEFT)
            _cell_lines(cell, [str(text)], TABLE, bold=bold, align=align)
            if note:
                _run(_tight(cell.add_paragraph(), WD_ALIGN_PARAGRAPH.LEFT), note, NOTE, italic=True)
    return table


MONEY_CODES = {"amount_spent", *(f"spent_{source}" for source in FUNDING_SOURCES)}


class Total(str):
    """A cell of a table's total line, set in bold."""


def _page_numbers(section):
    """Page numbers centred in the top margin, from the second page on (the first shows none)."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    p = _tight(section.header.paragraphs[0])
    field = _el("w:fldSimple", instr="PAGE")
    run = _el("w:r")
    properties = _el("w:rPr")
    properties.append(_el("w:sz", val=BODY * 2))
    run.append(properties)
    number = _el("w:t")
    number.text = "2"
    run.append(number)
    field.append(run)
    p._p.append(field)


def _setup(doc):
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(MARGINS_CM["top"]), Cm(MARGINS_CM["bottom"])
    section.left_margin, section.right_margin = Cm(MARGINS_CM["left"]), Cm(MARGINS_CM["right"])
    section.header_distance = Cm(1)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(BODY)
    properties = style.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    for script in ("eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), FONT)
    properties.insert_element_before(_el("w:lang", val="vi-VN"), "w:eastAsianLayout", "w:specVanish", "w:oMath")
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
    fmt.widow_control = True
    _page_numbers(section)


def _para(doc, text, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, keep=False,
          size=BODY, before=0):
    """A paragraph of the body: justified, its first line indented 1,27 cm, 6 pt after (the decree's minimum)."""
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(6)
    if indent:
        fmt.first_line_indent = Cm(1.27)
    fmt.keep_with_next = keep
    p.alignment = align
    _run(p, text, size, bold, italic)
    return p


def _heading(doc, text):
    return _para(doc, text, bold=True, keep=True, before=6)


def _lines(doc, text):
    for line in text.splitlines():
        if line.strip():
            _para(doc, line.strip())


def _folded(labels) -> str:
    return ", ".join(dict.fromkeys(labels))


def _goal_rows(data: ReportData):
    """The goals with something to report, and the codes of the others folded into lines: those without a figure
    and those of the plan's unit with nothing done here (a commune is not measured against the province's count)."""
    kept, no_figure, nothing = [], [], []
    for r in data.rows:
        if r.actual is None:
            no_figure.append(r)
        elif r.actual == 0 and not r.goal.applies:
            nothing.append(r)
        else:
            kept.append(r)
    shown = {r.goal.label for r in kept}

    def code(r):  # a goal's people keep its code: named apart when the goal itself is shown
        return f"{r.goal.label} (số người)" if r.goal.code.endswith(":participants") and r.goal.label in shown \
            else r.goal.label

    return kept, [code(r) for r in no_figure], [code(r) for r in nothing]


def _goal_text(row, above) -> str:
    """A goal's text; a goal's people right under the goal itself need not repeat it."""
    if row.goal.code.endswith(":participants") and above is not None and above.goal.label == row.goal.label:
        return "Số người tham gia"
    return row.goal.text


def report_docx(data: ReportData) -> bytes:
    """The report in the layout of Nghị định 30/2020/NĐ-CP: the issuing body and number beside the motto and the
    place and date, the title, the body (I. the figures; II. and III. the parts the officer writes, or the text they
    start from), then "Nơi nhận" beside the signature block. Rows with nothing to report are folded into one line,
    so a commune's half year fits on about three pages."""
    report = data.report
    doc = Document()
    _setup(doc)

    head = _grid(doc, HEAD_CM, rows=2, border=False)
    body_lines = _issuing_lines(data.unit)
    left, right = head.rows[0].cells
    _cell_lines(left, body_lines, 13, bold=True)
    inner = [w - 2 * CELL_MARGIN_CM for w in HEAD_CM]
    _rule(left, 0.4 * max(bold_width_cm(line, 13) for line in body_lines), inner[0])
    _cell_lines(right, [MOTTO], 12, bold=True)
    _run(_tight(right.add_paragraph()), MOTTO_2, 13, bold=True)
    _rule(right, bold_width_cm(MOTTO_2, 13), inner[1])
    # a number under 10 with its 0 (5/BC-UBND -> 05/BC-UBND); none yet: a blank the clerk fills when issuing it
    number = re.sub(r"^(\d)(?=/)", r"0\1", report.number.strip()) if report and report.number else "      /BC-UBND"
    left, right = head.rows[1].cells
    _cell_lines(left, [f"Số: {number}"], 13)
    _cell_lines(right, [date_line(data)], 14, italic=True)
    for row in head.rows:
        _row_kept_whole(row)
    for cell in head.rows[1].cells:
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)

    title, subtitle = _title(data)
    _tight(_para(doc, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)).paragraph_format \
        .space_before = Pt(18)
    _tight(_para(doc, subtitle, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False))
    _rule(doc, 0.4 * min(bold_width_cm(subtitle, BODY), TEXT_CM), TEXT_CM)
    cutoff = data_cutoff_line(data)
    if cutoff:
        _para(doc, cutoff, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    doc.add_paragraph().paragraph_format.space_after = Pt(6)

    plan = data.period.plan
    reference = plan.title + (f" (số {plan.document_number})" if plan.document_number else "")
    if plan.issuing_agency and data.unit.id != plan.unit_id:
        reference += f" của {plan.issuing_agency.name}"
    _para(doc, f"Thực hiện {reference}, Ủy ban nhân dân {_in_text(data.unit)} báo cáo kết quả thực hiện công tác "
               f"bảo vệ, chăm sóc trẻ em {_span(data)} như sau:")

    _heading(doc, "I. KẾT QUẢ THỰC HIỆN")
    part = iter(range(1, 10))
    held = [g for g in data.groups if g.sessions]
    _heading(doc, f"{next(part)}. Các hoạt động theo kế hoạch")
    if held:
        _table(doc, ["TT", "Nhóm hoạt động", "Số buổi, hoạt động", "Số người tham gia", "Tài liệu phát",
                     "Kinh phí (đồng)"],
               [[str(i), g.label, _n(g.sessions), _n(g.participants), _n(g.materials), _n(g.spent)]
                for i, g in enumerate(held, 1)]
               + [["", Total("Tổng cộng"), *(Total(_n(sum(getattr(g, k) for g in held)))
                                             for k in ("sessions", "participants", "materials", "spent"))]],
               (1.0, None, 2.1, 2.1, 2.0, 2.2))
    idle = [g.label for g in data.groups if not g.sessions]
    if idle:
        _para(doc, f"Các nhóm hoạt động chưa thực hiện trong kỳ: {_folded(idle)}." if held
              else "Chưa có hoạt động nào được ghi nhận trong kỳ.", before=6)

    kept, no_figure, nothing = _goal_rows(data)
    _heading(doc, f"{next(part)}. Kết quả thực hiện các chỉ tiêu")
    if kept:
        _table(doc, ["Mã", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tỷ lệ đạt"],
               [[r.goal.label,
                 (_goal_text(r, kept[i - 1] if i else None), f"Nguồn: {r.described}" if r.described else None),
                 goal_value(r, r.goal.figure if r.goal.applies else None), goal_value(r, r.actual),
                 "" if r.reached is None else f"{r.reached}%"] for i, r in enumerate(kept)],
               (1.2, None, 2.0, 2.0, 1.8))
    if no_figure:
        _para(doc, f"Các chỉ tiêu chưa có số liệu: {_folded(no_figure)}.", before=6)
    if nothing:
        _para(doc, f"Các chỉ tiêu chưa có kết quả trong kỳ: {_folded(nothing)}.", before=0 if no_figure else 6)

    # the other figures with a value; the money spent is told by source under "Kinh phí" below
    others = [(ind, v) for ind, v in data.others if v and ind.code not in MONEY_CODES]
    if others:
        _heading(doc, f"{next(part)}. Các kết quả khác")
        _table(doc, ["Chỉ số", "Thực hiện"], [[str(ind.label), other_value(ind, v)] for ind, v in others],
               (None, 2.5), numeric_from=1)

    _heading(doc, f"{next(part)}. Kinh phí thực hiện")
    spent = [(label, v) for label, v in data.money if v]
    if spent:
        _para(doc, f"Tổng kinh phí đã chi: {_n(sum(v for _label, v in spent))} đồng, trong đó: "
                   + "; ".join(f"{label[0].lower()}{label[1:]} {_n(v)} đồng" for label, v in spent) + ".")
    else:
        _para(doc, "Chưa phát sinh kinh phí trong kỳ.")

    texts, titles = drafting.sections(data), drafting.section_titles(data)
    _heading(doc, "II. ĐÁNH GIÁ CHUNG")
    for name in ("results", "shortcomings"):
        _heading(doc, titles[name])
        _lines(doc, texts[name])
    _heading(doc, "III. PHƯƠNG HƯỚNG, NHIỆM VỤ VÀ ĐỀ XUẤT, KIẾN NGHỊ")
    for name in ("next_tasks", "proposals"):
        _heading(doc, titles[name])
        _lines(doc, texts[name])

    doc.add_paragraph().paragraph_format.space_after = Pt(6)
    foot = _grid(doc, FOOT_CM, rows=1, border=False)
    _row_kept_whole(foot.rows[0])
    recipients = (report.recipients if report and report.recipients else DEFAULT_RECIPIENTS).splitlines()
    left, right = foot.rows[0].cells
    _cell_lines(left, ["Nơi nhận:"], 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in recipients:
        if line.strip():
            _run(_tight(left.add_paragraph(), WD_ALIGN_PARAGRAPH.LEFT), f"- {line.strip().lstrip('- ')}", 11)
    signer_title = (report.signer_title if report and report.signer_title else "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH")
    title_lines = [t.strip().upper() for t in signer_title.split("/") if t.strip()]
    name = report.signer_name if report and report.signer_name else ""
    _cell_lines(right, [*title_lines, "", "", "", "", name], BODY, bold=True)

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
            _xl(r, r.goal.figure if r.goal.applies else None), _xl(r, r.actual), r.reached, r.described]
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
