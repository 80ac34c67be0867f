"""Swim courses: list, create, programme, enrol, import a class list, record a lesson tap by tap, certificates."""

from datetime import timedelta

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, or_, select
from wtforms.fields.choices import SelectChoice

from ..accounts.models import User
from ..children.data import ETHNICITIES, SEXES
from ..children.models import Child
from ..children.services import children_query, villages_of
from ..core import audit, clock, edits, idempotent, waiting, working_set
from ..core.models import new_client_id
from ..core.pagination import paginate
from ..core.scope import ADMIN, COLLECTOR, OFFICER, child_in_scope, get_or_404, roles_required
from ..core.text import clean
from ..extensions import db
from ..geo.models import Unit
from ..geo.services import UnreadableFile, read_rows
from ..htmx import is_partial, redirect_to, render
from . import bp
from .class_list import import_class_list
from .data import DEFAULT_TEST_DEFINITION, PLACE_KINDS
from .forms import UNREADABLE_TAP, ClassListForm, CourseForm, EnrolForm, ProgrammeForm, QuickAddForm, TapForm
from .models import SwimCourse, SwimEnrolment, SwimLesson, SwimTap
from .models import swim_course_teachers as teaching
from .services import (
    completion,
    course_or_404,
    course_progress,
    course_units,
    courses_query,
    default_skills,
    enrol,
    enrolment_of,
    lesson_for,
    lesson_of,
    lesson_state,
    possible_teachers,
    quick_add,
    record_tap,
    set_skills,
)

USERS = (ADMIN, OFFICER, COLLECTOR)
OFFICERS = (ADMIN, OFFICER)


@bp.route("/")
@roles_required(*USERS)
def index():
    """My swim courses: a teacher sees the courses she teaches, an officer those of the area."""
    return render("swim/index.html", page=paginate(courses_query(current_user)))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*USERS)
def new():
    """Start a course: where, at which pool or water point, when, who teaches; 16 lessons and the default skills."""
    existing = idempotent.replay_of(SwimCourse, request.form.get("client_id"))
    if existing is not None:
        return redirect_to(url_for("swim.detail", course_id=existing.id))
    form = CourseForm(start_date=clock.today() if request.method == "GET" else None)
    units = course_units(current_user)
    teachers = possible_teachers(current_user)
    form.unit_id.choices = [SelectChoice(u.id, u.name) for u in units]
    form.teacher_ids.choices = [SelectChoice(t.id, f"{t.full_name} ({t.unit.name})") for t in teachers]
    if request.method == "GET" and current_user.role == COLLECTOR:
        form.teacher_ids.data = [current_user.id]
    if form.validate_on_submit():
        unit = get_or_404(Unit, form.unit_id.data, unit_attr="id")
        chosen = [t for t in teachers if t.id in (form.teacher_ids.data or [])]
        if current_user.role == COLLECTOR and all(t.id != current_user.id for t in chosen):
            chosen.append(current_user._get_current_object())  # a teacher who starts a course teaches it
        data = form.data

        def build() -> SwimCourse:
            return SwimCourse(unit_id=unit.id, name=clean(data["name"]), school=clean(data["school"]) or None,
                              place_kind=data["place_kind"], place_name=clean(data["place_name"]),
                              start_date=data["start_date"], end_date=data["end_date"],
                              test_definition=str(DEFAULT_TEST_DEFINITION), teachers=chosen, skills=default_skills())

        course, _created = idempotent.create_once(SwimCourse, form.client_id.data, current_user, build)
        flash(_("Course saved. Enrol the children next."), "success")
        return redirect_to(url_for("swim.detail", course_id=course.id))
    return render("swim/form.html", form=form, status=422 if form.errors else 200)


@bp.route("/<int:course_id>")
@roles_required(*USERS)
def detail(course_id: int):
    """A course: its lessons, and each child's progress; completion by sex and ethnicity."""
    course = course_or_404(course_id, current_user)
    progress = course_progress(course)
    held = {lesson.number: lesson for lesson in course.lessons}
    test_present, _shown = lesson_state(held.get(course.lesson_count))
    return render("swim/detail.html", course=course, progress=progress, held=held, sexes=SEXES,
                  ethnicities=ETHNICITIES, place_kinds=PLACE_KINDS,
                  summary=completion(progress, test_present), may_edit=current_user.role in OFFICERS)


@bp.route("/<int:course_id>/programme", methods=["GET", "POST"])
@roles_required(*OFFICERS)
def programme(course_id: int):
    """Officers change a course's number of lessons, their length, the test's definition and the skills ladder."""
    course = course_or_404(course_id, current_user)
    form = ProgrammeForm(obj=course if request.method == "GET" else None)
    if request.method == "GET":
        form.base_version.data = course.version
        form.skills.data = "\n".join(s.label for s in course.skills)
    if form.validate_on_submit():
        posted = {k: v for k, v in form.data.items() if k not in ("csrf_token", "base_version")}

        def apply() -> dict:
            changed = edits.assign(course, {"lesson_count": posted["lesson_count"],
                                            "lesson_minutes": posted["lesson_minutes"],
                                            "test_definition": clean(posted["test_definition"])})
            before = [s.label for s in course.skills]
            if [line for line in form.skill_lines()] != before:
                set_skills(course, form.skill_lines())
                changed["skills"] = [before, form.skill_lines()]
            return changed

        if edits.save_edit(course, form.base_version.data, apply, current_user, posted):
            flash(_("Programme saved."), "success")
        else:
            flash(_("Someone changed this course meanwhile; your change is kept for review."), "warning")
        return redirect_to(url_for("swim.detail", course_id=course.id))
    return render("swim/programme.html", form=form, course=course, status=422 if form.errors else 200)


@bp.route("/<int:course_id>/enrol", methods=["GET", "POST"])
@roles_required(*USERS)
def enrol_view(course_id: int):
    """Enrol children: tap a child of the register, or type a new child in."""
    course = course_or_404(course_id, current_user)
    if request.method == "POST":
        form = EnrolForm()
        replay = idempotent.replay_of(SwimEnrolment, request.form.get("client_id"))
        if replay is None:
            if not form.validate_on_submit():
                abort(400)
            child = db.session.scalar(children_query(current_user).where(Child.id == form.child_id.data))
            if child is None:
                abort(404)
            enrol(course, child, form.client_id.data, current_user)
        else:
            child = replay.child
        if is_partial():
            return render("swim/_candidate.html", "swim/_candidate.html", course=course, c=child,
                          enrolled={e.child_id for e in course.enrolments}, sexes=SEXES, new_form=EnrolForm)
        return redirect_to(url_for("swim.enrol_view", course_id=course.id))
    query = clean(request.args.get("q"))
    enrolled = {e.child_id for e in course.enrolments}
    page = paginate(children_query(current_user, query))
    quick = QuickAddForm()
    quick.village_id.choices = [SelectChoice(v.id, v.name) for v in villages_of(current_user)]
    return render("swim/enrol.html", "swim/_candidates.html", course=course, page=page, query=query,
                  enrolled=enrolled, quick=quick, sexes=SEXES, new_form=EnrolForm)


@bp.route("/<int:course_id>/quick-add", methods=["POST"])
@roles_required(*USERS)
def quick_add_view(course_id: int):
    """A child typed in at the water: the register's child of that name and year is enrolled, or a new one added."""
    course = course_or_404(course_id, current_user)
    if idempotent.replay_of(SwimEnrolment, request.form.get("client_id")) is not None:
        return redirect_to(url_for("swim.enrol_view", course_id=course.id))
    villages = villages_of(current_user)
    quick = QuickAddForm()
    quick.village_id.choices = [SelectChoice(v.id, v.name) for v in villages]
    if quick.validate_on_submit():
        village = get_or_404(Unit, quick.village_id.data, unit_attr="id")
        quick_add(course, quick.data, village, quick.client_id.data, current_user)
        flash(_("%(name)s is enrolled.", name=clean(quick.full_name.data)), "success")
        return redirect_to(url_for("swim.enrol_view", course_id=course.id))
    page = paginate(children_query(current_user))
    return render("swim/enrol.html", course=course, page=page, query="", quick=quick, sexes=SEXES,
                  enrolled={e.child_id for e in course.enrolments}, new_form=EnrolForm, status=422)


@bp.route("/<int:course_id>/import", methods=["GET", "POST"])
@roles_required(*USERS)
def import_view(course_id: int):
    """Enrol a class list from CSV or XLSX; each row says added, found in the register, already enrolled, or why not."""
    course = course_or_404(course_id, current_user)
    form = ClassListForm()
    results = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            rows = read_rows(upload.filename or "", upload.read())
        except UnreadableFile as exc:
            form.file.errors.append(str(exc.message) if exc.message else _(
                "This file cannot be read. Save it as CSV (UTF-8) or XLSX with the full name in the first column. "
                "Nothing was changed."))
        else:
            basis = {"consent_method": form.consent_method.data, "consent_on": form.consent_on.data,
                     "consent_child": bool(form.consent_child.data)}
            results = import_class_list(course, rows, villages_of(current_user), current_user, basis)
            done = sum(r.status in ("added", "enrolled") for r in results)
            flash(_("%(done)s of %(total)s rows enrolled.", done=done, total=len(results)),
                  "success" if done == len(results) else "info")
    return render("swim/import.html", form=form, course=course, results=results, status=422 if form.errors else 200)


def _lesson_number_or_404(course: SwimCourse, number: int) -> int:
    if not 1 <= number <= course.lesson_count:
        abort(404)
    return number


@bp.route("/<int:course_id>/lessons/<int:number>")
@roles_required(*USERS)
def lesson(course_id: int, number: int):
    """A lesson at the water: one tap marks a child present, one tap per skill the child showed."""
    course = course_or_404(course_id, current_user)
    _lesson_number_or_404(course, number)
    held = lesson_of(course, number)
    present, shown = lesson_state(held)
    return render("swim/lesson.html", course=course, number=number, held=held, present=present, shown=shown,
                  day=held.date if held else clock.today(), is_test=number == course.lesson_count,
                  progress=course_progress(course), new_client_id=new_client_id)


@bp.route("/<int:course_id>/lessons/<int:number>/tap", methods=["POST"])
@roles_required(*USERS)
def tap(course_id: int, number: int):
    """One tap: sets one child's presence, one skill shown, or the test result; a replayed tap changes nothing."""
    course = course_or_404(course_id, current_user)
    _lesson_number_or_404(course, number)
    if idempotent.replay_of(SwimTap, request.form.get("client_id")) is None:
        form = TapForm(course=course, number=number)
        if not form.validate_on_submit():
            return {"error": str(UNREADABLE_TAP)}, 422
        enrolment = enrolment_of(course, form.child_id.data)
        if enrolment is None or not child_in_scope(enrolment.child):
            abort(404)
        held = lesson_for(course, number, form.date.data)
        record_tap(course, held, enrolment.child_id, form.what, form.skill_id, form.value, form.client_id.data,
                   current_user)
    if is_partial():
        return "", 204
    return redirect_to(url_for("swim.lesson", course_id=course.id, number=number))


@bp.route("/<int:course_id>/certificates")
@roles_required(*USERS)
def certificates(course_id: int):
    """Printable certificates for the children who passed the test; printing names is audited as an export."""
    course = course_or_404(course_id, current_user)
    # a certificate names a child: only the children who live in my area now (core.scope's rule); an erased
    # child's certificate has no name to print
    passed = [e for e in sorted(course.enrolments, key=lambda e: e.child.search_name)
              if e.passed and e.child.erased_at is None and child_in_scope(e.child)]
    audit.record("export", course, what="swim_certificates", children=[e.child_id for e in passed])
    db.session.commit()
    return render("swim/certificates.html", course=course, passed=passed)


@working_set.add
def _kept_for_the_water(user) -> list[str]:
    """A teacher at the water has no signal: every lesson of the courses she teaches that run now (or start within
    a week), and each course's page with its class list."""
    if user.role not in USERS:
        return []
    day = clock.today()
    courses = db.session.scalars(
        select(SwimCourse).where(SwimCourse.teachers.any(User.id == user.id),
                                 SwimCourse.start_date <= day + timedelta(days=7),
                                 or_(SwimCourse.end_date.is_(None), SwimCourse.end_date >= day))
        .order_by(SwimCourse.start_date, SwimCourse.id).limit(4))
    urls = []
    for course in courses:
        urls.append(url_for("swim.detail", course_id=course.id))
        urls += [url_for("swim.lesson", course_id=course.id, number=n) for n in range(1, course.lesson_count + 1)]
    return urls


@waiting.add
def _waiting_lessons(user) -> list[waiting.Waiting]:
    """A teacher's courses that run today, are not finished, and have no lesson recorded today: one query."""
    if user.role != COLLECTOR:
        return []
    day = clock.today()
    recorded = select(func.count()).where(SwimLesson.course_id == SwimCourse.id).scalar_subquery()
    today_done = select(SwimLesson.id).where(SwimLesson.course_id == SwimCourse.id, SwimLesson.date == day).exists()
    mine = SwimCourse.id.in_(select(teaching.c.course_id).where(teaching.c.user_id == user.id))  # by the index
    courses = db.session.scalars(
        select(SwimCourse.id).where(mine, SwimCourse.start_date <= day,
                                    or_(SwimCourse.end_date.is_(None), SwimCourse.end_date >= day),
                                    recorded < SwimCourse.lesson_count, ~today_done).limit(10)).all()
    if not courses:
        return []
    url = url_for("swim.detail", course_id=courses[0]) if len(courses) == 1 else url_for("swim.index")
    return [waiting.Waiting(ngettext("%(num)s swim class: today's lesson not recorded yet",
                                     "%(num)s swim classes: today's lesson not recorded yet", len(courses)), url)]
