"""The words of a report as a commune office sends it: numbers written the Vietnamese way, and the parts the officer
writes — II. Đánh giá chung (results achieved; shortcomings and their causes) and III. Phương hướng, nhiệm vụ
(tasks ahead; proposals).

While the officer has written nothing in a part, it starts from a text drawn from the report itself: what the
figures show, the goals ahead of and behind the progress expected by now (`services.assess`), the goals without a
figure, and the entries still waiting for review or returned for correction. The page's form, the print view and
the DOCX all take a part from `sections`, so the file needs no editing before it is signed. The text is Vietnamese,
as the document is."""

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..activities.models import RETURNED, SUBMITTED, Activity
from ..core.scope import area_filter
from ..extensions import db
from .services import AT_RISK, OFF_TRACK, ON_TRACK, ReportData, Row, goals_for

SECTIONS = ("results", "shortcomings", "next_tasks", "proposals")
NOTHING = "Không có."  # a part with nothing to say, as reports write it


# --- Numbers as the document writes them ------------------------------------------------------------------------

def number(value) -> str:
    """A whole number written the Vietnamese way: 1.000.000."""
    return "" if value is None else f"{int(value):,}".replace(",", ".")


def percent(value) -> str:
    """Hundredths of a percent written the Vietnamese way: 6667 -> "66,67%"."""
    return f"{value / 100:g}".replace(".", ",") + "%"


def goal_value(row: Row, value) -> str:
    if value is None:
        return ""
    if row.goal.kind == "percent":
        return percent(value)
    if row.goal.kind == "done":
        return _("Done") if value else _("Not done")
    return number(value)


def other_value(indicator, value) -> str:
    if value is None:
        return ""
    return percent(value) if indicator.kind == "percent" else number(value)


# --- What still waits -------------------------------------------------------------------------------------------

@dataclass
class Backlog:
    waiting: int = 0  # sent and waiting for review
    returned: int = 0  # returned to their author for correction


def backlog(unit, period) -> Backlog:
    """The activities of the unit's area and the period that wait for review or were returned for correction."""
    stmt = (select(Activity.status, func.count())
            .where(*area_filter(Activity.unit_id, unit, known_inside=unit.id == period.plan.unit_id),
                   Activity.plan_id == period.plan_id, Activity.date >= period.start_date,
                   Activity.date <= period.end_date, Activity.deleted_at.is_(None),
                   Activity.status.in_((SUBMITTED, RETURNED)))
            .group_by(Activity.status))
    counts = dict(db.session.execute(stmt).all())
    return Backlog(waiting=counts.get(SUBMITTED, 0), returned=counts.get(RETURNED, 0))


# --- The parts the officer writes -------------------------------------------------------------------------------

def section_titles(data: ReportData) -> dict[str, str]:
    """The numbered titles of the parts, as the document prints them."""
    year = data.period.plan.year
    ahead = f"6 tháng cuối năm {year}" if data.period.code == "half_year" else f"năm {year + 1}"
    return {"results": "1. Kết quả đạt được", "shortcomings": "2. Tồn tại, hạn chế và nguyên nhân",
            "next_tasks": f"1. Phương hướng, nhiệm vụ {ahead}", "proposals": "2. Đề xuất, kiến nghị"}


def sections(data: ReportData, waiting: Backlog | None = None) -> dict[str, str]:
    """Each part as the report shows it: what the officer wrote, else the suggested text (else "Không có.")."""
    report = data.report
    written = {name: (getattr(report, name) or "").strip() if report else "" for name in SECTIONS}
    if all(written.values()):
        return written
    suggested = suggestions(data, waiting)
    return {name: written[name] or suggested[name] or NOTHING for name in SECTIONS}


def suggestions(data: ReportData, waiting: Backlog | None = None) -> dict[str, str]:
    """The text each part starts from, drawn from the report's figures (in Vietnamese, whatever the page's
    language: it is the document's text)."""
    waiting = waiting if waiting is not None else backlog(data.unit, data.period)
    with force_locale("vi"):
        texts = {g.code: g.text for g in goals_for(data.period.plan, data.unit)}
        return {"results": _results(data, texts), "shortcomings": _shortcomings(data, texts, waiting),
                "next_tasks": _next_tasks(data, texts, waiting), "proposals": _proposals(data)}


def _named(row: Row, texts: dict[str, str]) -> str:
    return f"{row.goal.label} – {texts.get(row.goal.code, row.goal.text)}"


def _short(row: Row) -> str:
    """A goal by its code, its people named apart: "Q1", "Q1 (số người)"."""
    return f"{row.goal.label} (số người)" if row.goal.code.endswith(":participants") else row.goal.label


def _progress(row: Row) -> str:
    """What a goal reached against its figure: "3/9 (33%)", "66,67% (kế hoạch 93%)"."""
    goal = row.goal
    if goal.kind == "done":
        return "đã hoàn thành" if row.actual else "chưa hoàn thành"
    if goal.direction == "rising":
        return f"{goal_value(row, row.actual)} (năm trước {goal_value(row, goal.baseline)})"
    if goal.kind == "percent":
        return f"{goal_value(row, row.actual)} (kế hoạch {goal_value(row, goal.figure)})"
    return f"{goal_value(row, row.actual)}/{goal_value(row, goal.figure)} ({row.reached}% kế hoạch năm)"


def _without_figure(data: ReportData) -> list[str]:
    """The goals of this unit that have no figure yet (a goal's people share its code: listed once)."""
    labels = [r.goal.label for r in data.rows if r.actual is None and r.goal.applies]
    return list(dict.fromkeys(labels))


def _results(data: ReportData, texts) -> str:
    lines = []
    held = [g for g in data.groups if g.sessions]
    if held:
        people = sum(g.participants for g in held)
        materials = sum(g.materials for g in held)
        line = (f"Trong kỳ đã tổ chức {number(sum(g.sessions for g in held))} hoạt động thuộc {len(held)}/"
                f"{len(data.groups)} nhóm hoạt động của kế hoạch")
        if people:
            line += f", với {number(people)} lượt người tham gia"
        if materials:
            line += f"; phát {number(materials)} tài liệu truyền thông"
        lines.append(line + ".")
    ahead = [r for r in data.rows if r.status == ON_TRACK]
    if ahead:
        lines.append("Các chỉ tiêu đạt tiến độ đề ra:")
        lines += [f"- {_named(r, texts)}: {_progress(r)};" for r in ahead]
        lines[-1] = lines[-1][:-1] + "."
    return "\n".join(lines)


def _shortcomings(data: ReportData, texts, waiting: Backlog) -> str:
    lines = []
    behind = [r for r in data.rows if r.status in (AT_RISK, OFF_TRACK)]
    if behind:
        lines.append("Một số chỉ tiêu chưa đạt tiến độ đề ra:")
        for r in behind:
            line = f"- {_named(r, texts)}: {_progress(r)}"
            if r.expected and r.goal.kind not in ("percent", "done"):
                line += f", theo tiến độ cần đạt {r.expected}%"
            lines.append(line + ";")
        lines[-1] = lines[-1][:-1] + "."
    missing = _without_figure(data)
    if missing:
        lines.append(f"Chưa có số liệu để đánh giá các chỉ tiêu: {', '.join(missing)}.")
    parts = []
    if waiting.waiting:
        parts.append(f"{number(waiting.waiting)} hoạt động đang chờ duyệt")
    if waiting.returned:
        parts.append(f"{number(waiting.returned)} hoạt động bị trả lại để sửa, bổ sung")
    if parts:
        lines.append(f"Còn {' và '.join(parts)}.")
    return "\n".join(lines)


def _next_tasks(data: ReportData, texts, waiting: Backlog) -> str:
    year = data.period.plan.year
    plan = f"kế hoạch năm {year}" if data.period.code == "half_year" else f"kế hoạch năm {year + 1}"
    tasks = []
    for r in data.rows:
        if r.status not in (AT_RISK, OFF_TRACK):
            continue
        goal = r.goal
        name = _short(r)
        if goal.kind == "done":
            tasks.append(f"- Hoàn thành chỉ tiêu {name}.")
        elif goal.kind == "percent" or goal.direction != "at_least" or goal.figure is None:
            tasks.append(f"- Chỉ tiêu {name}: phấn đấu đạt {goal_value(r, goal.figure)}.")
        else:
            tasks.append(f"- Chỉ tiêu {name}: thực hiện thêm {goal_value(r, goal.figure - (r.actual or 0))} để đạt "
                         f"{goal_value(r, goal.figure)} theo kế hoạch.")
    if data.period.code == "half_year":
        idle = [g.label for g in data.groups if not g.sessions]
        if idle:
            tasks.append(f"- Tổ chức các hoạt động chưa thực hiện trong 6 tháng đầu năm: {', '.join(idle)}.")
    if waiting.waiting or waiting.returned:
        parts = []
        if waiting.waiting:
            parts.append(f"duyệt {number(waiting.waiting)} hoạt động đang chờ duyệt")
        if waiting.returned:
            parts.append(f"hướng dẫn sửa, gửi lại {number(waiting.returned)} hoạt động bị trả lại")
        text = "; ".join(parts)
        tasks.append(f"- {text[0].upper()}{text[1:]}.")
    if not tasks:
        return f"Tiếp tục triển khai các hoạt động bảo vệ, chăm sóc trẻ em theo {plan}."
    return "\n".join([f"Tiếp tục triển khai các hoạt động bảo vệ, chăm sóc trẻ em theo {plan}, trong đó tập trung:",
                      *tasks])


def _proposals(data: ReportData) -> str:
    missing = _without_figure(data)
    if not missing:
        return ""
    who = "các sở, ngành liên quan" if data.unit.id == data.period.plan.unit_id else "cơ quan chuyên môn cấp tỉnh"
    return f"Đề nghị {who} hướng dẫn, cung cấp số liệu của các chỉ tiêu {', '.join(missing)} để báo cáo đầy đủ."
