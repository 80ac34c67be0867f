"""Forms of the child register."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.idempotent import client_id_field
from .data import SEXES, SPECIAL_GROUPS, ethnicity_choices

OLDEST_YEARS = 20  # a record may be entered late: a child of a 2023 distribution can be 17 today


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ChildForm(FlaskForm):
    client_id = client_id_field()
    full_name = StringField(_l("Full name"), validators=[
        InputRequired(_l("Enter the child's full name.")), Length(max=120, message=_l("At most 120 characters."))])
    birth_date = DateField(_l("Date of birth"), validators=[Optional()],
                           description=_l("Leave empty when only the year of birth is known."))
    birth_year = IntegerField(_l("Year of birth"), validators=[Optional()],
                              description=_l("Only when the date of birth is not known."))
    sex = RadioField(_l("Sex"), choices=list(SEXES.items()), validators=[InputRequired(_l("Choose girl or boy."))])
    ethnicity = SelectField(_l("Ethnicity"), choices=[("", "—")] + ethnicity_choices(), validators=[Optional()])
    village_id = SelectField(_l("Village"), coerce=int, validators=[InputRequired(_l("Choose the village."))])
    school = StringField(_l("School"), validators=[Optional(), Length(max=120)])
    school_class = StringField(_l("Class"), validators=[Optional(), Length(max=20)])
    guardian_name = StringField(_l("Parent or guardian"), validators=[Optional(), Length(max=120)])
    guardian_phone = StringField(_l("Guardian's phone"), validators=[
        Optional(), Regexp(r"^[0-9 +.-]{9,15}$", message=_l("A phone number has 9 to 11 digits."))])
    special_groups = MultiCheckboxField(
        _l("Groups of Article 10 of the Law on Children"),
        choices=[(k, f"{k}) {v}") for k, v in SPECIAL_GROUPS.items()], validators=[Optional()],
        description=_l("Sensitive: only officers see and change these."))
    not_duplicate = BooleanField(_l("This is a different child: save a new record"))

    def validate_birth_date(self, field):
        if field.data and field.data > date.today():
            raise ValidationError(_l("The date of birth cannot be in the future."))
        if field.data and field.data.year < date.today().year - OLDEST_YEARS:
            raise ValidationError(_l("This person is too old for the children's register."))

    def validate_birth_year(self, field):
        if field.data is None:  # not a number: the field already says so
            return
        this_year = date.today().year
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
        return valid


class MergeForm(FlaskForm):
    into_id = SelectField(_l("Keep this record"), coerce=int,
                          validators=[InputRequired(_l("Choose the record to keep."))])


class ConfirmForm(FlaskForm):
    confirm = BooleanField(_l("The guardian asked for this in person, and I checked who they are"),
                           validators=[InputRequired(_l("Confirm that the request was checked."))])
