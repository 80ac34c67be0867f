"""Swim courses, their skills ladder, enrolled children, lessons, and every tap made at the water's edge."""

from datetime import date

from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, SmallInteger, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import ClientRecordMixin, TimestampMixin
from ..extensions import db
from .data import DEFAULT_LESSONS, DEFAULT_MINUTES, DEFAULT_SKILLS

swim_course_teachers = Table(
    "swim_course_teachers",
    db.metadata,
    Column("course_id", ForeignKey("swim_courses.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True, index=True),
)

_DEFAULT_NAMES = {code: name for code, _meaning, name in DEFAULT_SKILLS}


class SwimCourse(ClientRecordMixin, db.Model):
    """A course of swim lessons run by a school or a commune, at a pool or a safe water point."""

    __tablename__ = "swim_courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # the commune or village running it
    name: Mapped[str] = mapped_column(String(120))
    school: Mapped[str | None] = mapped_column(String(120))  # the school organising it, if a school does
    place_kind: Mapped[str] = mapped_column(String(12))
    place_name: Mapped[str] = mapped_column(String(120))
    start_date: Mapped[date] = mapped_column(Date, index=True)
    end_date: Mapped[date | None] = mapped_column(Date)
    lesson_count: Mapped[int] = mapped_column(SmallInteger, default=DEFAULT_LESSONS)
    lesson_minutes: Mapped[int] = mapped_column(SmallInteger, default=DEFAULT_MINUTES)
    test_definition: Mapped[str] = mapped_column(String(200))  # what "biết bơi an toàn" meant in the test

    unit = relationship("Unit", foreign_keys=[unit_id], lazy="joined", innerjoin=True)
    teachers = relationship("User", secondary=swim_course_teachers, order_by="User.full_name")
    skills: Mapped[list["SwimSkill"]] = relationship(cascade="all, delete-orphan", back_populates="course",
                                                     order_by="SwimSkill.position")
    enrolments: Mapped[list["SwimEnrolment"]] = relationship(back_populates="course", cascade="all, delete-orphan")
    lessons: Mapped[list["SwimLesson"]] = relationship(back_populates="course", cascade="all, delete-orphan",
                                                       order_by="SwimLesson.number")

    def __repr__(self) -> str:
        return f"<SwimCourse {self.id} {self.name!r}>"


class SwimSkill(db.Model):
    """One rung of a course's skills ladder; `counts_as` says which indicator reaching it counts towards."""

    __tablename__ = "swim_skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("swim_courses.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(SmallInteger)
    code: Mapped[str | None] = mapped_column(String(20))  # a default skill's code; None for one an officer added
    counts_as: Mapped[str | None] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200), default="")  # empty: the default skill's translated name

    course: Mapped[SwimCourse] = relationship(back_populates="skills")

    def __repr__(self) -> str:
        return f"<SwimSkill {self.course_id}#{self.position} {self.code}>"

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        return str(_DEFAULT_NAMES[self.code]) if self.code in _DEFAULT_NAMES else ""


class SwimEnrolment(ClientRecordMixin, db.Model):
    """A child in a course, and the result of the final test with the definition of "biết bơi an toàn" used."""

    __tablename__ = "swim_enrolments"
    __table_args__ = (UniqueConstraint("course_id", "child_id", name="uq_swim_enrolments_course_id_child_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("swim_courses.id", ondelete="CASCADE"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # the course's unit, for scope
    passed: Mapped[bool | None] = mapped_column(Boolean)  # None until tested
    test_definition: Mapped[str | None] = mapped_column(String(200))
    tested_on: Mapped[date | None] = mapped_column(Date)

    course: Mapped[SwimCourse] = relationship(back_populates="enrolments")
    child = relationship("Child", lazy="joined", innerjoin=True)

    def __repr__(self) -> str:
        return f"<SwimEnrolment {self.course_id}:{self.child_id}>"


class SwimLesson(TimestampMixin, db.Model):
    """Lesson number N of a course, made by the first tap recorded for it (which may come from the outbox)."""

    __tablename__ = "swim_lessons"
    __table_args__ = (UniqueConstraint("course_id", "number", name="uq_swim_lessons_course_id_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("swim_courses.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(SmallInteger)
    date: Mapped[date] = mapped_column(Date, index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)

    course: Mapped[SwimCourse] = relationship(back_populates="lessons")

    def __repr__(self) -> str:
        return f"<SwimLesson {self.course_id}#{self.number} {self.date}>"


class SwimAttendance(db.Model):
    """A child present at a lesson (a row exists only while the child is marked present)."""

    __tablename__ = "swim_attendance"

    lesson_id: Mapped[int] = mapped_column(ForeignKey("swim_lessons.id", ondelete="CASCADE"), primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), primary_key=True, index=True)

    def __repr__(self) -> str:
        return f"<SwimAttendance {self.lesson_id}:{self.child_id}>"


class SwimSkillShown(db.Model):
    """A skill a child showed at a lesson (a row exists only while it is ticked)."""

    __tablename__ = "swim_skills_shown"

    lesson_id: Mapped[int] = mapped_column(ForeignKey("swim_lessons.id", ondelete="CASCADE"), primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), primary_key=True, index=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("swim_skills.id", ondelete="CASCADE"), primary_key=True,
                                          index=True)

    def __repr__(self) -> str:
        return f"<SwimSkillShown {self.lesson_id}:{self.child_id}:{self.skill_id}>"


class SwimTap(ClientRecordMixin, db.Model):
    """One tap at the water: its client_id makes a replay from the outbox change nothing a second time."""

    __tablename__ = "swim_taps"
    __table_args__ = (Index("ix_swim_taps_lesson_id_child_id", "lesson_id", "child_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("swim_lessons.id", ondelete="CASCADE"))
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    what: Mapped[str] = mapped_column(String(10))  # "present", "skill" or "result"
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("swim_skills.id", ondelete="CASCADE"), index=True)
    value: Mapped[bool] = mapped_column(Boolean)

    def __repr__(self) -> str:
        return f"<SwimTap {self.lesson_id}:{self.child_id} {self.what}={self.value}>"
