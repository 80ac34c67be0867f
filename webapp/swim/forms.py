"""Forms of swim courses: a course, its programme (officers), quick enrolment, a class list, a tap."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..children.data import CONSENT_METHODS, SEXES
from ..children.forms import ConsentFields, consent_date_problem, ethnicity_field
from ..core import clock
from ..core.edits import base_version_field
from ..core.fields import DateField, IntegerField, StringField, TextAreaField, column_int
from ..core.idempotent import client_id_field
from ..core.security import as_id
from .data import PLACE_KINDS, PRESENT, RESULT, SKILL


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CourseForm(FlaskForm):
    client_id = client_id_field()
    name = StringField(_l("Name of the course"), validators=[
        InputRequired(_l("Name the course.")), Length(max=120, message=_l("At most 120 characters."))],
        description=_l("For example: Summer swim class, Lùng Cẩu primary school"))
    unit_id = SelectField(_l("Commune or village"), coerce=column_int, validators=[InputRequired(_l("Choose where."))])
    school = StringField(_l("School"), validators=[Optional(), Length(max=120)],
                         description=_l("Leave empty when the commune runs the course."))
    place_kind = RadioField(_l("Place"), choices=[SelectChoice(k, v) for k, v in PLACE_KINDS.items()],
                            validators=[InputRequired(_l("Choose the kind of place."))])
    place_name = StringField(_l("Name of the pool or water point"), validators=[
        InputRequired(_l("Name the place.")), Length(max=120, message=_l("At most 120 characters."))])
    start_date = DateField(_l("First lesson"), validators=[InputRequired(_l("Enter the date of the first lesson."))])
    end_date = DateField(_l("Last lesson"), validators=[Optional()])
    teacher_ids = MultiCheckboxField(_l("Teachers"), coerce=column_int, validators=[Optional()])

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The last lesson cannot come before the first."))


class ProgrammeForm(FlaskForm):
    base_version = base_version_field()
    lesson_count = IntegerField(_l("Number of lessons"), validators=[
        InputRequired(_l("Enter the number of lessons.")),
        NumberRange(1, 60, message=_l("Between %(min)s and %(max)s.", min=1, max=60))],
        description=_l("QĐ 2993/QĐ-BGDĐT: 16 lessons, the last one a test."))
    lesson_minutes = IntegerField(_l("Minutes per lesson"), validators=[
        InputRequired(_l("Enter the length of a lesson.")),
        NumberRange(20, 180, message=_l("Between %(min)s and %(max)s.", min=20, max=180))])
    test_definition = StringField(_l("What passing the test means"), validators=[
        InputRequired(_l("Say what a child must do to pass.")), Length(max=200)],
        description=_l("Vietnam has no single standard of “biết bơi an toàn”; this is written next to each result."))
    skills = TextAreaField(_l("Skills ladder, one skill a line"), validators=[
        InputRequired(_l("Enter at least one skill."))],
        description=_l("A skill renamed or added counts towards no indicator; keep the default names for that."))

    def validate_skills(self, field):
        lines = self.skill_lines()
        if not 1 <= len(lines) <= 20:
            raise ValidationError(_l("Between %(min)s and %(max)s skills.", min=1, max=20))
        if any(len(line) > 200 for line in lines):
            raise ValidationError(_l("A skill's name has at most 200 characters."))

    def skill_lines(self) -> list[str]:
        return [line.strip() for line in (self.skills.data or "").splitlines() if line.strip()]


class QuickAddForm(ConsentFields, FlaskForm):
    """A child typed in at the water, with the basis of keeping their data (who agreed, how, when)."""

    client_id = client_id_field()
    full_name = StringField(_l("Full name"), validators=[
        InputRequired(_l("Enter the child's full name.")), Length(max=120, message=_l("At most 120 characters."))])
    sex = RadioField(_l("Sex"), choices=[SelectChoice(k, v) for k, v in SEXES.items()],
                     validators=[InputRequired(_l("Choose girl or boy."))])
    ethnicity = ethnicity_field()  # the course's completion is counted by ethnicity
    birth_year = IntegerField(_l("Year of birth"), validators=[InputRequired(_l("Enter the year of birth."))])
    village_id = SelectField(_l("Village"), coerce=column_int, validators=[InputRequired(_l("Choose the village."))])

    def validate_birth_year(self, field):

        if field.data is None:  # not a number: the field already says so
            return
        this_year = clock.today().year
        if not this_year - 20 <= field.data <= this_year:
            raise ValidationError(_l("Enter a year between %(start)s and %(end)s.", start=this_year - 20,
                                     end=this_year))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.consent_on.errors or self.birth_year.errors) and self.birth_year.data:
            valid = self.check_consent(None, self.birth_year.data) and valid
        return valid


IMPORT_METHODS = {code: CONSENT_METHODS[code] for code in ("enrolment", "paper")}


class ClassListForm(FlaskForm):
    """A class list, and the basis on which the children it adds to the register are kept: each row names the
    parent or guardian who agreed; the form says how and when, and whether the children of 7 or over agreed too."""

    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired(_l("Choose a file."))],
                     description=_l("Columns: full name, sex (Nam/Nữ), date or year of birth, ethnicity, village, "
                                    "class, the parent or guardian who agreed."))
    consent_method = RadioField(_l("How the parents agreed"),
                                choices=[SelectChoice(k, v) for k, v in IMPORT_METHODS.items()],
                                validators=[InputRequired(_l("Choose how the consent was given."))],
                                description=_l("A child new to the register is added only with a parent's or "
                                               "guardian's consent (Decree 13/2023, Article 20), named in the last "
                                               "column."))
    consent_on = DateField(_l("Date the forms were signed"),
                           validators=[InputRequired(_l("Enter the date of the consent."))])
    consent_child = BooleanField(_l("The children of 7 or over were asked and agree too"),
                                 description=_l("Without it, no child of 7 or over is added."))

    def validate_consent_on(self, field):
        problem = consent_date_problem(field.data, None, None)
        if problem is not None:
            raise ValidationError(problem)


class EnrolForm(FlaskForm):
    client_id = client_id_field()
    child_id = IntegerField(validators=[InputRequired()])


UNREADABLE_TAP = _l("This tap could not be read. Reload the page.")


class TapForm(FlaskForm):
    """One tap at lesson `number` of `course`: `tap` is "present:1", "skill:<id>:0", "result:pass"… and says the
    state to set; once validated, `what`, `skill_id` and `value` say it (a skill of this course, the result only at
    the course's last lesson)."""

    client_id = client_id_field()
    child_id = IntegerField(validators=[InputRequired()])
    date = DateField(validators=[InputRequired()], latest=clock.today)  # the day the lesson was held
    tap = StringField(validators=[InputRequired()])

    def __init__(self, *args, course=None, number: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.course, self.number = course, number
        self.what, self.skill_id, self.value = None, None, None

    def validate_tap(self, field):
        parts = field.data.split(":")
        if parts[0] == PRESENT and len(parts) == 2 and parts[1] in ("0", "1"):
            self.what, self.skill_id, self.value = PRESENT, None, parts[1] == "1"
        elif parts[0] == SKILL and len(parts) == 3 and as_id(parts[1]) in {s.id for s in self.course.skills} \
                and parts[2] in ("0", "1"):
            self.what, self.skill_id, self.value = SKILL, as_id(parts[1]), parts[2] == "1"
        elif parts[0] == RESULT and len(parts) == 2 and parts[1] in ("pass", "fail") \
                and self.number == self.course.lesson_count:
            self.what, self.skill_id, self.value = RESULT, None, parts[1] == "pass"
        else:
            raise ValidationError(UNREADABLE_TAP)
