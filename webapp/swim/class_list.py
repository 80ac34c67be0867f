"""A class list imported into a course: each row's child found in the register or added to it on the list's basis
of consent, enrolled, and the row's result (added, enrolled, already enrolled, or refused with the reason)."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from ..children.data import ETHNICITIES
from ..children.forms import child_must_agree, consent_date_problem
from ..children.services import add_missing_consent, build_child
from ..core import audit, clock
from ..core.models import new_client_id
from ..core.text import clean, fold
from ..extensions import db
from ..geo.models import VILLAGE, Unit
from .models import SwimCourse, SwimEnrolment
from .services import same_child


@dataclass
class RowResult:
    line: int
    name: str
    status: str  # "added" (new child), "enrolled" (child of the register), "exists" (already enrolled), "refused"
    reason: str = ""


_SEX = {"nam": "M", "m": "M", "trai": "M", "boy": "M", "nu": "F", "f": "F", "gai": "F", "girl": "F"}
_ETHNICITY_BY_NAME = {fold(name): code for code, name in ETHNICITIES.items()}


def _parse_birth(value: str) -> tuple[date | None, int | None]:
    """dd/mm/yyyy, yyyy-mm-dd (as XLSX dates arrive) or a year alone; (None, None) if unreadable."""
    value = clean(value)
    if re.fullmatch(r"\d{4}", value):
        return None, int(value)
    for pattern, text in (("%d/%m/%Y", value), ("%d-%m-%Y", value), ("%Y-%m-%d", value[:10])):
        try:
            day = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return day, day.year
    return None, None


def _find_village(value: str, villages: list[Unit], course: SwimCourse) -> Unit | None:
    if not value:
        if course.unit.level == VILLAGE:
            return course.unit
        return villages[0] if len(villages) == 1 else None
    folded = fold(value)
    matches = [v for v in villages if v.search_name == folded or v.search_name.split(" ", 1)[-1] == folded
               or fold(v.name.split(" ", 1)[-1]) == folded]
    return matches[0] if len(matches) == 1 else None


def _is_header(row: list[str]) -> bool:
    first = fold(row[0]) if row else ""
    return any(word in first for word in ("ho", "ten", "name", "stt"))


def _basis_problem(parent: str, birth_date: date | None, birth_year: int, basis: dict) -> str:
    """Why a new child of a class list cannot be added on the list's basis (empty when it can)."""
    if not parent or len(parent) > 120:
        return str(_l("Who agreed is missing: give the parent's or guardian's name in the last column."))
    if consent_date_problem(basis["consent_on"], birth_date, birth_year) is not None:
        return str(_l("The consent's date is before the child was born."))
    if child_must_agree(basis["consent_on"], birth_date, birth_year) and not basis["consent_child"]:
        return str(_l("A child of 7 or over must agree too: tick on the form that the children were asked."))
    return ""


def import_class_list(course: SwimCourse, rows: list[list[str]], villages: list[Unit], user,
                      basis: dict) -> list[RowResult]:
    """Enrol each row's child: found in the register, or added to it on the list's basis of consent (`basis`:
    consent_method, consent_on, consent_child; the row's last column names the parent or guardian who agreed); each
    row gets its result. Columns: full name, sex, date or year of birth, ethnicity, village, class, parent."""
    this_year = clock.today().year
    results: list[RowResult] = []
    start = 1 if _is_header(rows[0]) else 0
    enrolled = {e.child_id for e in course.enrolments}
    for number, row in enumerate(rows[start:], start=start + 1):
        cells = [clean(c) for c in row] + [""] * 7
        name, sex_text, birth_text, ethnicity_text, village_text, school_class, parent = cells[:7]
        result = RowResult(number, name, "refused")
        results.append(result)
        sex = _SEX.get(fold(sex_text))
        birth_date, birth_year = _parse_birth(birth_text)
        ethnicity = ethnicity_text if ethnicity_text in ETHNICITIES else _ETHNICITY_BY_NAME.get(fold(ethnicity_text))
        village = _find_village(village_text, villages, course)
        if not name or len(name) > 120:
            result.reason = str(_l("The full name is missing or longer than 120 characters."))
        elif sex is None:
            result.reason = str(_l("The sex must be Nam or Nữ."))
        elif birth_year is None or not this_year - 20 <= birth_year <= this_year:
            result.reason = str(_l("The date or year of birth cannot be read."))
        elif ethnicity_text and ethnicity is None:
            result.reason = str(_l("Unknown ethnicity."))
        elif village is None:
            result.reason = str(_l("No village with this name in your area."))
        elif len(school_class) > 20:  # the column's size, as the child's form checks it
            result.reason = str(_l("The class has at most 20 characters."))
        if result.reason:
            continue
        child = same_child(name, birth_year, village.parent_id, user)
        if child is not None and child.id in enrolled:
            result.status = "exists"
            continue
        if child is None:
            result.reason = _basis_problem(parent, birth_date, birth_year, basis)
            if result.reason:
                continue
            child = build_child({"full_name": name, "birth_date": birth_date, "birth_year": birth_year, "sex": sex,
                                 "ethnicity": ethnicity, "school_class": school_class, "school": course.school,
                                 "guardian_name": parent, "consent_by": parent, "consent_relation": "parent",
                                 **basis, "consent_child": basis["consent_child"] and child_must_agree(
                                     basis["consent_on"], birth_date, birth_year)}, village, may_set_groups=False)
            child.client_id, child.created_by_id = new_client_id(), user.id
            db.session.add(child)
            audit.record("create", child, user=user, via="swim_import", course_id=course.id)
            result.status = "added"
        else:
            if not child.consent_recorded and not _basis_problem(parent, child.birth_date, child.birth_year, basis):
                add_missing_consent(child, {**basis, "consent_by": parent, "consent_relation": "parent",
                                            "consent_child": basis["consent_child"] and child_must_agree(
                                                basis["consent_on"], child.birth_date, child.birth_year)}, user)
            result.status = "enrolled"
        db.session.add(SwimEnrolment(course_id=course.id, child_id=child.id, unit_id=course.unit_id,
                                     client_id=new_client_id(), created_by_id=user.id))
        enrolled.add(child.id)
    audit.record("import", course, user=user, rows=len(results),
                 enrolled=sum(r.status in ("added", "enrolled") for r in results))
    db.session.commit()
    return results
