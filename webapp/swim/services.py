"""Courses, enrolment, lesson taps and progress, shared by the views; the class-list import is in `class_list.py`,
the plan's swim figures (T6, T7) in `indicators.py`."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..children.models import Child
from ..children.services import EXPORT_HOOKS, HISTORY_HOOKS, MERGE_HOOKS, add_missing_consent, build_child
from ..core import audit, idempotent
from ..core.formatting import fmt_date
from ..core.models import new_client_id
from ..core.scope import COLLECTOR, get_or_404, scoped, subtree_ids
from ..core.text import clean, fold
from ..extensions import db
from ..geo.models import COMMUNE, VILLAGE, Unit
from .data import DEFAULT_SKILLS, PRESENT, RESULT, SKILL
from .models import SwimAttendance, SwimCourse, SwimEnrolment, SwimLesson, SwimSkill, SwimSkillShown, SwimTap

# --- courses -----------------------------------------------------------------------------------------------------

def courses_query(user: User):
    """The courses a user may open: those of their area; a teacher (collector) only the courses she teaches."""
    stmt = scoped(select(SwimCourse), SwimCourse.unit_id, user)
    if user.role == COLLECTOR:
        stmt = stmt.where(SwimCourse.teachers.any(User.id == user.id))
    return stmt.order_by(SwimCourse.start_date.desc(), SwimCourse.id.desc())


def course_or_404(course_id: int, user: User) -> SwimCourse:
    """The course if the user may open it; 404 outside their area, and for a teacher not teaching it."""
    course = get_or_404(SwimCourse, course_id, user)
    if user.role == COLLECTOR and all(t.id != user.id for t in course.teachers):
        abort(404)
    return course


def course_units(user: User) -> list[Unit]:
    """Where a course can be run: the user's own commune or village, or the communes of their area."""
    if user.unit.level in (COMMUNE, VILLAGE):
        return [user.unit]
    return list(db.session.scalars(
        select(Unit).where(Unit.id.in_(subtree_ids(user.unit)), Unit.level == COMMUNE).order_by(Unit.name)))


def possible_teachers(user: User) -> list[User]:
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


def enrol(course: SwimCourse, child: Child, client_id: str, user: User) -> tuple[SwimEnrolment, bool]:
    """Enrol a child of the register once; enrolling again (or replaying) returns the enrolment already made."""
    existing = enrolment_of(course, child.id)
    if existing is not None:
        return existing, False
    return idempotent.create_once(
        SwimEnrolment, client_id, user,
        lambda: SwimEnrolment(course_id=course.id, child_id=child.id, unit_id=course.unit_id))


def same_child(full_name: str, birth_year: int, commune_id: int, user: User) -> Child | None:
    """An active child of the commune with exactly this name (accents aside) and birth year, among the children the
    user may see: a child of another village of the commune is never attached by a name typed in or imported
    (nor revealed by being enrolled); a new child of the user's village is added instead, for the commune officer
    to merge if it is the same child."""
    return db.session.scalars(scoped(select(Child), Child.unit_id, user).where(
        Child.commune_id == commune_id, Child.birth_year == birth_year, Child.search_name == fold(full_name),
        Child.merged_into_id.is_(None), Child.erased_at.is_(None)).order_by(Child.id)).first()


def quick_add(course: SwimCourse, data: dict, village: Unit, client_id: str, user: User) -> tuple[SwimEnrolment, bool]:
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
               client_id: str, user: User) -> tuple[SwimTap, bool]:
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


# --- the child register's merge ----------------------------------------------------------------------------------

def _before_merge(duplicate: Child, kept: Child) -> None:
    """Where both records of one child sit in the same course or lesson, keep the kept child's rows only, so the
    register's merge can move the rest without breaking a unique key."""
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
    results = {True: _l("passed"), False: _l("not yet"), None: "—"}
    lines = [f"{fmt_date(e.course.start_date)} · {e.course.name} · {results[e.passed]}" for e in _enrolments(child)]
    return [(str(_l("Swim courses")), lines)]


EXPORT_HOOKS.append(_export_swim)
HISTORY_HOOKS.append(_history)
