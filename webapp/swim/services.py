"""Courses, enrolment, lesson taps, progress and the plan's swim indicators (T6, T7), shared by views and reports."""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, or_, select
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..children.data import ETHNICITIES
from ..children.forms import child_must_agree, consent_date_problem
from ..children.models import Child
from ..children.services import EXPORT_HOOKS, HISTORY_HOOKS, MERGE_HOOKS, add_missing_consent, build_child
from ..core import audit, clock, idempotent
from ..core.models import new_client_id
from ..core.scope import COLLECTOR, get_or_404, scoped, subtree_ids
from ..core.text import clean, fold
from ..extensions import db
from ..geo.models import COMMUNE, VILLAGE, Unit
from .data import AGE_GROUPS, DEFAULT_SKILLS, SELF_RESCUE, SWIM
from .models import SwimAttendance, SwimCourse, SwimEnrolment, SwimLesson, SwimSkill, SwimSkillShown, SwimTap

PRESENT, SKILL, RESULT = "present", "skill", "result"


# --- courses -----------------------------------------------------------------------------------------------------

def courses_query(user):
    """The courses a user may open: those of their area; a teacher (collector) only the courses she teaches."""
    stmt = scoped(select(SwimCourse), SwimCourse.unit_id, user)
    if user.role == COLLECTOR:
        stmt = stmt.where(SwimCourse.teachers.any(User.id == user.id))
    return stmt.order_by(SwimCourse.start_date.desc(), SwimCourse.id.desc())


def course_or_404(course_id: int, user) -> SwimCourse:
    """The course if the user may open it; 404 outside their area, and for a teacher not teaching it."""
    course = get_or_404(SwimCourse, course_id, user)
    if user.role == COLLECTOR and all(t.id != user.id for t in course.teachers):
        from flask import abort

        abort(404)
    return course


def course_units(user) -> list[Unit]:
    """Where a course can be run: the user's own commune or village, or the communes of their area."""
    if user.unit.level in (COMMUNE, VILLAGE):
        return [user.unit]
    return list(db.session.scalars(
        select(Unit).where(Unit.id.in_(subtree_ids(user.unit)), Unit.level == COMMUNE).order_by(Unit.name)))


def possible_teachers(user) -> list[User]:
    """Active officers and collectors of the user's area, who can be named teachers of a course."""
    return list(db.session.scalars(
        scoped(select(User), User.unit_id, user).where(User.active.is_(True), User.role.in_(("officer", COLLECTOR)))
        .order_by(User.full_name)))


def default_skills() -> list[SwimSkill]:
    return [SwimSkill(position=i, code=code, counts_as=meaning, name="")
            for i, (code, meaning, _name) in enumerate(DEFAULT_SKILLS)]


def set_skills(course: SwimCourse, lines: list[str]) -> None:
    """The ladder becomes these names in this order; a name already on it keeps its skill (and what it counts as)."""
    by_label = {fold(s.label): s for s in course.skills}
    kept: list[SwimSkill] = []
    for position, line in enumerate(lines):
        skill = by_label.pop(fold(line), None) or SwimSkill(code=None, counts_as=None, name=clean(line)[:200])
        skill.position = position
        kept.append(skill)
    course.skills = kept  # skills left out are deleted, with their ticks (delete-orphan, ON DELETE CASCADE)


# --- enrolment ---------------------------------------------------------------------------------------------------

def enrolment_of(course: SwimCourse, child_id: int) -> SwimEnrolment | None:
    return db.session.scalar(select(SwimEnrolment).where(SwimEnrolment.course_id == course.id,
                                                         SwimEnrolment.child_id == child_id))


def enrol(course: SwimCourse, child: Child, client_id: str, user) -> tuple[SwimEnrolment, bool]:
    """Enrol a child of the register once; enrolling again (or replaying) returns the enrolment already made."""
    existing = enrolment_of(course, child.id)
    if existing is not None:
        return existing, False
    return idempotent.create_once(
        SwimEnrolment, client_id, user,
        lambda: SwimEnrolment(course_id=course.id, child_id=child.id, unit_id=course.unit_id))


def same_child(full_name: str, birth_year: int, commune_id: int, user) -> Child | None:
    """An active child of the commune with exactly this name (accents aside) and birth year, among the children the
    user may see: a child of another village of the commune is never attached by a name typed in or imported
    (nor revealed by being enrolled); a new child of the user's village is added instead, for the commune officer
    to merge if it is the same child."""
    return db.session.scalars(scoped(select(Child), Child.unit_id, user).where(
        Child.commune_id == commune_id, Child.birth_year == birth_year, Child.search_name == fold(full_name),
        Child.merged_into_id.is_(None), Child.erased_at.is_(None)).order_by(Child.id)).first()


def quick_add(course: SwimCourse, data: dict, village: Unit, client_id: str, user) -> tuple[SwimEnrolment, bool]:
    """Enrol a child typed in at the water: the register's child of the same name and year, or a new one."""
    birth_year = data["birth_date"].year if data.get("birth_date") else data["birth_year"]
    child = same_child(data["full_name"], birth_year, village.parent_id, user)
    if child is not None:
        add_missing_consent(child, data, user)
        enrolment = enrol(course, child, client_id, user)
        db.session.commit()  # the basis recorded, also when the child was enrolled already
        return enrolment

    def build() -> SwimEnrolment:
        new = build_child({**data, "birth_year": birth_year}, village, may_set_groups=False)
        new.client_id, new.created_by_id = new_client_id(), user.id
        db.session.add(new)
        audit.record("create", new, user=user, via="swim_course", course_id=course.id)
        return SwimEnrolment(course_id=course.id, child_id=new.id, unit_id=course.unit_id)

    return idempotent.create_once(SwimEnrolment, client_id, user, build)


# --- import of a class list --------------------------------------------------------------------------------------

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


# --- lessons and taps --------------------------------------------------------------------------------------------

def lesson_of(course: SwimCourse, number: int) -> SwimLesson | None:
    return db.session.scalar(select(SwimLesson).where(SwimLesson.course_id == course.id, SwimLesson.number == number))


def lesson_for(course: SwimCourse, number: int, day: date) -> SwimLesson:
    """Lesson `number`, made with `day` as its date by the first tap that reaches the server."""
    lesson = lesson_of(course, number)
    if lesson is not None:
        return lesson
    lesson = SwimLesson(course_id=course.id, number=number, date=day, unit_id=course.unit_id)
    db.session.add(lesson)
    try:
        db.session.commit()
    except IntegrityError:  # another tap made it at the same moment
        db.session.rollback()
        lesson = lesson_of(course, number)
    return lesson


def _set_row(model, present: bool, **key) -> None:
    row = db.session.get(model, key)
    if present and row is None:
        db.session.add(model(**key))
    elif not present and row is not None:
        db.session.delete(row)


def record_tap(course: SwimCourse, lesson: SwimLesson, child_id: int, what: str, skill_id: int | None, value: bool,
               client_id: str, user) -> tuple[SwimTap, bool]:
    """Apply one tap (present or not, a skill shown or not, the test passed or failed) once per client_id."""

    def build() -> SwimTap:
        if what == PRESENT or what == RESULT:
            _set_row(SwimAttendance, value or what == RESULT, lesson_id=lesson.id, child_id=child_id)
        if what == SKILL:
            _set_row(SwimSkillShown, value, lesson_id=lesson.id, child_id=child_id, skill_id=skill_id)
            if value:  # a child who shows a skill was there
                _set_row(SwimAttendance, True, lesson_id=lesson.id, child_id=child_id)
        if what == RESULT:
            enrolment = enrolment_of(course, child_id)
            enrolment.passed, enrolment.tested_on = value, lesson.date
            enrolment.test_definition = course.test_definition
            enrolment.version += 1
        return SwimTap(unit_id=course.unit_id, lesson_id=lesson.id, child_id=child_id, what=what,
                       skill_id=skill_id, value=value)

    return idempotent.create_once(SwimTap, client_id, user, build)


def lesson_state(lesson: SwimLesson | None) -> tuple[set[int], set[tuple[int, int]]]:
    """(children present, {(child, skill) ticked}) at a lesson."""
    if lesson is None:
        return set(), set()
    present = set(db.session.scalars(select(SwimAttendance.child_id).where(SwimAttendance.lesson_id == lesson.id)))
    shown = {(c, s) for c, s in db.session.execute(
        select(SwimSkillShown.child_id, SwimSkillShown.skill_id).where(SwimSkillShown.lesson_id == lesson.id))}
    return present, shown


# --- progress ----------------------------------------------------------------------------------------------------

@dataclass
class ChildProgress:
    enrolment: SwimEnrolment
    attended: int
    skills: set[int]

    @property
    def child(self) -> Child:
        return self.enrolment.child


def course_progress(course: SwimCourse) -> list[ChildProgress]:
    """Per child: lessons attended, skills reached (shown at any lesson), and the test result."""
    attended = Counter(db.session.scalars(
        select(SwimAttendance.child_id).join(SwimLesson).where(SwimLesson.course_id == course.id)))
    skills: dict[int, set[int]] = defaultdict(set)
    for child_id, skill_id in db.session.execute(
            select(SwimSkillShown.child_id, SwimSkillShown.skill_id).join(SwimLesson)
            .where(SwimLesson.course_id == course.id)):
        skills[child_id].add(skill_id)
    enrolments = sorted(course.enrolments, key=lambda e: (e.child.search_name, e.child.id))
    return [ChildProgress(e, attended[e.child_id], skills[e.child_id]) for e in enrolments]


def completion(progress: list[ChildProgress], test_present: set[int]) -> dict[str, list[tuple[str, dict]]]:
    """Enrolled, attended at least once, took the test, passed: by sex and by ethnicity."""

    def tally(key) -> list[tuple[str, dict]]:
        groups: dict[str, dict] = defaultdict(lambda: {"enrolled": 0, "attended": 0, "tested": 0, "passed": 0})
        for p in progress:
            row = groups[key(p.child)]
            row["enrolled"] += 1
            row["attended"] += p.attended > 0
            row["tested"] += p.enrolment.passed is not None or p.child.id in test_present
            row["passed"] += p.enrolment.passed is True
        return sorted(groups.items())

    return {"sex": tally(lambda c: c.sex), "ethnicity": tally(lambda c: c.ethnicity or "")}


# --- the plan's indicators ---------------------------------------------------------------------------------------

def age_group(age: int) -> str | None:
    for name, low, high in AGE_GROUPS:
        if low <= age <= high:
            return name
    return None


def _qualified(firsts: dict[int, tuple[date, int]]) -> list[tuple[Child, str, int]]:
    """(child, age group, unit) of each child counted: aged 6 to under 16 on the day they first qualified, at the
    unit where they did."""
    if not firsts:
        return []
    children = db.session.scalars(select(Child).where(Child.id.in_(firsts))).all()
    result = []
    for child in children:
        day, unit_id = firsts[child.id]
        group = age_group(child.age_at(day))
        if group is not None:
            result.append((child, group, unit_id))
    return result


def _by_age(firsts: dict[int, tuple[date, int]]) -> dict[str, int]:
    """Children counted once each, by their age on the day they first qualified; only ages 6 to under 16."""
    counts = {name: 0 for name, _low, _high in AGE_GROUPS} | {"girls": 0, "boys": 0, "total": 0}
    for child, group, _unit_id in _qualified(firsts):
        counts[group] += 1
        counts["girls" if child.sex == "F" else "boys"] += 1
        counts["total"] += 1
    return counts


def _firsts(stmt) -> dict[int, tuple[date, int]]:
    """{child_id: (day, unit_id)} of the earliest of the rows (child_id, day, unit_id) of each child."""
    result: dict[int, tuple[date, int]] = {}
    for child_id, day, unit_id in db.session.execute(stmt):
        if child_id not in result or (day, unit_id) < result[child_id]:
            result[child_id] = (day, unit_id)
    return result


def _swim_firsts(unit: Unit, start: date, end: date) -> dict[str, dict[int, tuple[date, int]]]:
    """For each of taught, learned_to_swim, swims_safely and self_rescue: when and where each child first did it."""
    in_area = SwimLesson.unit_id.in_(subtree_ids(unit))
    in_period = SwimLesson.date.between(start, end)
    taught = _firsts(select(SwimAttendance.child_id, func.min(SwimLesson.date), SwimLesson.unit_id)
                     .join(SwimLesson).where(in_area, in_period)
                     .group_by(SwimAttendance.child_id, SwimLesson.unit_id))

    def shown(meaning: str) -> dict[int, tuple[date, int]]:
        return _firsts(
            select(SwimSkillShown.child_id, func.min(SwimLesson.date), SwimLesson.unit_id)
            .join(SwimLesson, SwimLesson.id == SwimSkillShown.lesson_id)
            .join(SwimSkill, SwimSkill.id == SwimSkillShown.skill_id)
            .where(in_area, in_period, SwimSkill.counts_as == meaning)
            .group_by(SwimSkillShown.child_id, SwimLesson.unit_id))

    passed = _firsts(
        select(SwimEnrolment.child_id, func.min(SwimEnrolment.tested_on), SwimEnrolment.unit_id)
        .where(SwimEnrolment.unit_id.in_(subtree_ids(unit)), SwimEnrolment.passed.is_(True),
               SwimEnrolment.tested_on.between(start, end)).group_by(SwimEnrolment.child_id, SwimEnrolment.unit_id))
    return {"taught": taught, "learned_to_swim": shown(SWIM), "swims_safely": passed,
            "self_rescue": shown(SELF_RESCUE)}


def swim_indicators(unit: Unit, start: date, end: date) -> dict:
    """The plan's swim indicators over `unit`'s subtree and [start, end], ages 6 to under 16, each child once:

    taught: attended at least one lesson (water-safety skills taught; T6 with the talks below, T7 "được học bơi");
    learned_to_swim: showed a skill that counts as swimming (10 m or 25 m by default; T7 "biết bơi");
    swims_safely: passed the final test (T7 "biết bơi an toàn"; the definition used is kept on each result);
    self_rescue: showed the self-rescue skill (T7 "có kỹ năng tự cứu đuối");
    talks: drowning-prevention activities of the log (events, children reached, not by age: the log counts heads).
    """
    result = {key: _by_age(firsts) for key, firsts in _swim_firsts(unit, start, end).items()}
    talks = drowning_talks(unit, start, end)
    result["talks"] = talks
    result["water_safety_total"] = result["taught"]["total"] + talks["children"]
    return result


def swim_counts_by_unit(unit: Unit, start: date, end: date) -> dict[int, dict[str, int]]:
    """The same children as `swim_indicators` counts, each at the unit (course's commune or village) where they
    first qualified: {unit_id: {"taught": n, "learned_to_swim": n, "swims_safely": n, "self_rescue": n}}, so that
    the units' figures add up to their parent's."""
    result: dict[int, dict[str, int]] = {}
    for key, firsts in _swim_firsts(unit, start, end).items():
        for _child, _group, unit_id in _qualified(firsts):
            values = result.setdefault(unit_id, {})
            values[key] = values.get(key, 0) + 1
    return result


def drowning_talks(unit: Unit, start: date, end: date) -> dict[str, int]:
    """Activities of the log about injury and drowning prevention (not drafts, not deleted): events and children."""
    from ..activities.models import DRAFT, Activity, ActivityTag

    about_drowning = or_(
        Activity.kind == "injury_prevention",
        exists().where(ActivityTag.activity_id == Activity.id, or_(
            (ActivityTag.facet == "topic") & (ActivityTag.code == "injury_drowning"),
            (ActivityTag.facet == "model") & (ActivityTag.code == "drowning_prevention"),
            (ActivityTag.facet == "setting") & (ActivityTag.code == "drowning_project"))))
    events, children = db.session.execute(
        select(func.count(Activity.id), func.coalesce(func.sum(Activity.children), 0))
        .where(Activity.unit_id.in_(subtree_ids(unit)), Activity.date.between(start, end),
               Activity.deleted_at.is_(None), Activity.status != DRAFT, about_drowning)).one()
    return {"events": int(events), "children": int(children)}


# --- the child register's merge ----------------------------------------------------------------------------------

def _before_merge(duplicate: Child, kept: Child) -> None:
    """Where both records of one child sit in the same course or lesson, keep the kept child's rows only, so the
    register's merge can move the rest without breaking a unique key."""
    from sqlalchemy import delete

    kept_courses = select(SwimEnrolment.course_id).where(SwimEnrolment.child_id == kept.id)
    kept_lessons = select(SwimAttendance.lesson_id).where(SwimAttendance.child_id == kept.id)
    db.session.execute(delete(SwimEnrolment).where(SwimEnrolment.child_id == duplicate.id,
                                                   SwimEnrolment.course_id.in_(kept_courses)))
    db.session.execute(delete(SwimAttendance).where(SwimAttendance.child_id == duplicate.id,
                                                    SwimAttendance.lesson_id.in_(kept_lessons)))
    kept_shown = select(SwimSkillShown.lesson_id, SwimSkillShown.skill_id).where(SwimSkillShown.child_id == kept.id)
    for lesson_id, skill_id in db.session.execute(kept_shown).all():
        db.session.execute(delete(SwimSkillShown).where(SwimSkillShown.child_id == duplicate.id,
                                                        SwimSkillShown.lesson_id == lesson_id,
                                                        SwimSkillShown.skill_id == skill_id))


MERGE_HOOKS.append(_before_merge)


def _enrolments(child: Child) -> list[SwimEnrolment]:
    return list(db.session.scalars(select(SwimEnrolment).where(SwimEnrolment.child_id == child.id)
                                   .order_by(SwimEnrolment.id)))


def _export_swim(child: Child) -> dict:
    """A guardian's request to see the child's data: every swim course, lessons attended and the test's result."""
    courses = []
    for e in _enrolments(child):
        attended = db.session.scalar(
            select(func.count()).select_from(SwimAttendance).join(SwimLesson, SwimAttendance.lesson_id == SwimLesson.id)
            .where(SwimLesson.course_id == e.course_id, SwimAttendance.child_id == child.id))
        courses.append({"course": e.course.name, "place": e.course.place_name,
                        "start": e.course.start_date.isoformat(), "lessons_attended": attended, "passed": e.passed,
                        "test_definition": e.test_definition,
                        "tested_on": e.tested_on.isoformat() if e.tested_on else None})
    return {"swim_courses": courses}


def _history(child: Child) -> list[tuple[str, list[str]]]:
    from ..core.formatting import fmt_date

    results = {True: _l("passed"), False: _l("not yet"), None: "—"}
    lines = [f"{fmt_date(e.course.start_date)} · {e.course.name} · {results[e.passed]}" for e in _enrolments(child)]
    return [(str(_l("Swim courses")), lines)]


EXPORT_HOOKS.append(_export_swim)
HISTORY_HOOKS.append(_history)
