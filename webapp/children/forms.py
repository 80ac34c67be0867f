"""Forms of the child register."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..core import clock
from ..core.edits import base_version_field
from ..core.fields import DateField, IntegerField, StringField, choices, column_int
from ..core.idempotent import client_id_field
from ..extensions import db
from ..geo.models import Unit
from .data import (
    CHILD_CONSENT_AGE,
    CONSENT_METHODS,
    CONSENT_RELATIONS,
    SEXES,
    SPECIAL_GROUPS,
    ethnicity_choices,
    lettered,
)
from .services import possible_duplicates, visible_duplicates

OLDEST_YEARS = 20  # a record may be entered late: a child of a 2023 distribution can be 17 today


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def ethnicity_field() -> SelectField:
    """The child's ethnic group, as every form that adds a child asks it: the groups of Lào Cai first, "—" when not
    known."""
    return SelectField(_l("Ethnicity"), validators=[Optional()],
                       choices=[SelectChoice("", "—")] + [SelectChoice(c, n) for c, n in ethnicity_choices()])


def age_on(on: date, birth_date: date | None, birth_year: int | None) -> int:
    """Age in whole years on a day; with only the birth year known, the age reached during that year."""
    if birth_date is None:
        return on.year - (birth_year or on.year)
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def consent_date_problem(on: date | None, birth_date: date | None, birth_year: int | None):
    """Why a consent's date cannot be right (before the child was born, or after today), or None."""
    if on is None:
        return None
    if on > clock.today():
        return _l("The date cannot be in the future.")
    born = birth_date or (date(birth_year, 1, 1) if birth_year and 1 <= birth_year <= 9999 else None)
    if born is not None and on < born:
        return _l("A consent cannot be dated before the child was born.")
    return None


def child_must_agree(on: date, birth_date: date | None, birth_year: int | None) -> bool:
    """Nghị định 13/2023 Điều 20: a child of 7 or over agrees too. The child's data is processed from now on, so a
    child who is 7 today agrees, even when the parent's consent dates from before."""
    return max(age_on(on, birth_date, birth_year), age_on(clock.today(), birth_date, birth_year)) >= CHILD_CONSENT_AGE


CHILD_MUST_AGREE = _l("A child of 7 or over must agree too (Decree 13/2023, Article 20). Ask the child; without the "
                      "child's agreement the child is not registered.")


class ConsentFields:
    """The basis on which a child's data is kept (Nghị định 13/2023 Điều 20): who agreed, their relation, how, when,
    and the child's own agreement from 7; on every form that puts a child in the register. The form calls
    `check_consent(birth_date, birth_year)` from its validate()."""

    consent_by = StringField(_l("Consent given by"), validators=[
        InputRequired(_l("Enter who gave the consent.")), Length(max=120, message=_l("At most 120 characters."))],
        description=_l("The parent or guardian who agreed that the child's data is kept in the register."))
    consent_relation = SelectField(_l("Relation to the child"), choices=choices(CONSENT_RELATIONS))
    consent_method = RadioField(_l("How the consent was given"), choices=choices(CONSENT_METHODS),
                                validators=[InputRequired(_l("Choose how the consent was given."))])
    consent_on = DateField(_l("Date of the consent"), default=clock.today,
                           validators=[InputRequired(_l("Enter the date of the consent."))])
    consent_child = BooleanField(_l("The child (7 or over) was asked and agrees too"))

    def check_consent(self, birth_date: date | None, birth_year: int | None) -> bool:
        problem = consent_date_problem(self.consent_on.data, birth_date, birth_year)
        if problem is not None:
            self.consent_on.errors = [*self.consent_on.errors, problem]
            return False
        if self.consent_on.data and (birth_date or birth_year) \
                and child_must_agree(self.consent_on.data, birth_date, birth_year) and not self.consent_child.data:
            self.consent_child.errors = [*self.consent_child.errors, CHILD_MUST_AGREE]
            return False
        return True


class ChildForm(ConsentFields, FlaskForm):
    """A child's record; adding one carries client_id (and may be a duplicate), editing one carries base_version."""

    client_id = client_id_field()
    base_version = base_version_field()
    full_name = StringField(_l("Full name"), validators=[
        InputRequired(_l("Enter the child's full name.")), Length(max=120, message=_l("At most 120 characters."))])
    birth_date = DateField(_l("Date of birth"), validators=[Optional()],
                           description=_l("Leave empty when only the year of birth is known."))
    birth_year = IntegerField(_l("Year of birth"), validators=[Optional()],
                              description=_l("Only when the date of birth is not known."))
    sex = RadioField(_l("Sex"), choices=choices(SEXES), validators=[InputRequired(_l("Choose girl or boy."))])
    ethnicity = ethnicity_field()
    village_id = SelectField(_l("Village"), coerce=column_int, validators=[InputRequired(_l("Choose the village."))])
    school = StringField(_l("School"), validators=[Optional(), Length(max=120)])
    school_class = StringField(_l("Class"), validators=[Optional(), Length(max=20)])
    guardian_name = StringField(_l("Parent or guardian"), validators=[Optional(), Length(max=120)])
    guardian_phone = StringField(_l("Guardian's phone"), validators=[
        Optional(), Regexp(r"^[0-9 +.-]{9,15}$", message=_l("A phone number has 9 to 11 digits."))])
    special_groups = MultiCheckboxField(
        _l("Groups of Article 10 of the Law on Children"),
        choices=[SelectChoice(k, lettered(k, v)) for k, v in SPECIAL_GROUPS.items()], validators=[Optional()],
        description=_l("Sensitive: only officers see and change these."))
    not_duplicate = BooleanField(_l("This is a different child: save a new record"))


    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicates, self.elsewhere = [], False  # found by _check_register for a new child
    def validate_birth_date(self, field):
        if field.data and field.data > clock.today():
            raise ValidationError(_l("The date of birth cannot be in the future."))
        if field.data and field.data.year < clock.today().year - OLDEST_YEARS:
            raise ValidationError(_l("This person is too old for the children's register."))

    def validate_birth_year(self, field):
        if field.data is None:  # not a number: the field already says so
            return
        this_year = clock.today().year
        if not this_year - OLDEST_YEARS <= field.data <= this_year:
            raise ValidationError(_l("Enter a year between %(start)s and %(end)s.",
                                     start=this_year - OLDEST_YEARS, end=this_year))
        if self.birth_date.data and self.birth_date.data.year != field.data:
            raise ValidationError(_l("The year differs from the date of birth."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.birth_date.data is None and self.birth_year.data is None and not self.birth_date.errors \
                and not self.birth_year.errors:
            self.birth_year.errors.append(_l("Enter the date of birth or at least the year."))
            valid = False
        if not (self.consent_on.errors or self.birth_date.errors or self.birth_year.errors) \
                and (self.birth_date.data or self.birth_year.data):
            valid = self.check_consent(self.birth_date.data, self.birth_year.data) and valid
        return valid and self._check_register()

    def _check_register(self) -> bool:
        """A new child (whose form keeps the box) who may already be in the register is added only when the box
        says it is another child; `duplicates` are those the user may see, `elsewhere` says one is hidden."""
        self.duplicates, self.elsewhere = [], False
        if self.not_duplicate is None or self.not_duplicate.data:
            return True
        village = db.session.get(Unit, self.village_id.data)
        if village is None:  # not a village offered: its field says so
            return True
        year = self.birth_date.data.year if self.birth_date.data else self.birth_year.data
        return not flag_possible_duplicates(self, year, village.parent_id, _l(
            "A child with a similar name, born the same year, is already registered in this commune. Use that "
            "record, or tick the box below if this is a different child."))


def flag_possible_duplicates(form, year: int | None, commune_id: int, seen_message) -> bool:
    """A new child's name against the register of the commune, as the user may see it: `form.duplicates` (shown,
    with `seen_message` on the name) and `form.elsewhere` (in villages the user may not see, named to nobody).
    True when there is any: the form then asks for the box "this is a different child"."""
    form.duplicates, form.elsewhere = visible_duplicates(possible_duplicates(form.full_name.data, year, commune_id))
    if form.duplicates:
        form.full_name.errors.append(seen_message)
    elif form.elsewhere:
        form.full_name.errors.append(_l("A child with a similar name, born the same year, may be registered in "
                                        "another village of this commune. Only the commune officer can see that "
                                        "record and link the two; tick the box below to add this child."))
    return bool(form.duplicates or form.elsewhere)


class MergeForm(FlaskForm):
    into_id = SelectField(_l("Keep this record"), coerce=column_int,
                          validators=[InputRequired(_l("Choose the record to keep."))])


ERASE_REASONS = {"request": _l("The guardian asked to erase the data"),
                 "withdrawn": _l("The consent was withdrawn (by the guardian or the child)")}


class ConfirmForm(FlaskForm):
    reason = RadioField(_l("Why"), choices=choices(ERASE_REASONS), default="request")
    confirm = BooleanField(_l("The guardian asked for this in person, and I checked who they are"),
                           validators=[InputRequired(_l("Confirm that the request was checked."))])


class CountsForm(FlaskForm):
    """The counts page's choice of unit and date, a GET."""

    class Meta:
        csrf = False

    unit = SelectField(_l("Area"), coerce=column_int, validators=[Optional()])
    on = DateField(_l("Age on"), validators=[Optional()])
