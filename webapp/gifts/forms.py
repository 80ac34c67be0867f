"""Forms of gifts and scholarships."""


from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..core import clock
from ..core.edits import base_version_field
from ..core.fields import DateField, IntegerField, MoneyField, StringField, TextAreaField, choices, column_int
from ..core.idempotent import client_id_field
from .services import KIND_LABELS, NOBODY, OCCASION_LABELS, SOURCE_LABELS


class RoundForm(FlaskForm):
    """Step one, a GET: which village and which round, so the list can show who already received."""

    class Meta:
        csrf = False

    village = SelectField(_l("Village"), coerce=column_int)
    occasion = SelectField(_l("Occasion"), choices=choices(OCCASION_LABELS))
    year = SelectField(_l("Year"), coerce=column_int)


class DistributionForm(FlaskForm):
    client_id = client_id_field()
    occasion = SelectField(_l("Occasion"), choices=choices(OCCASION_LABELS))
    year = SelectField(_l("Year"), coerce=column_int)
    kind = SelectField(_l("Kind"), choices=choices(KIND_LABELS))
    item = StringField(_l("What was given"), validators=[
        InputRequired(_l("Say what was given, for example a bag of school books.")), Length(max=200)])
    value_each = MoneyField(_l("Value for each recipient (đồng)"), validators=[
        InputRequired(_l("Enter the value in đồng.")),
        NumberRange(min=0, max=1_000_000_000, message=_l("Enter a value between 0 and 1.000.000.000 đồng."))])
    source = SelectField(_l("Paid from"), choices=choices(SOURCE_LABELS))
    source_unit_id = SelectField(_l("Fund or budget of"), coerce=column_int)
    donor_name = StringField(_l("Donor"), validators=[Length(max=200)],
                             description=_l("When a named donor paid for it."))
    given_on = DateField(_l("Date given"), default=clock.today, latest=clock.today,
                         validators=[InputRequired(_l("Enter the date it was given."))])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    giver = StringField(_l("Given by"), validators=[Optional(), Length(max=200)])
    group_count = IntegerField(_l("Also given to a group without names (how many)"), default=0,
                               validators=[Optional(), NumberRange(min=0, max=100_000)],
                               description=_l("For mass gifts, for example 120 gifts at a school."))
    group_note = StringField(_l("Which group"), validators=[Optional(), Length(max=200)])
    reason = TextAreaField(_l("Officer's reason for a second receipt in this round"),
                           validators=[Optional(), Length(max=500)],
                           description=_l("Only needed when a ticked child already received in this round."))

    def __init__(self, *args, ticked=(), received: int = 0, **kwargs):
        """`ticked`: the children ticked on the page; `received`: how many the distribution names already."""
        super().__init__(*args, **kwargs)
        self.ticked, self.received = ticked, received

    def validate_donor_name(self, field):
        if self.source.data == "donor" and not (field.data or "").strip():
            raise ValidationError(_l("Name the donor."))

    def validate(self, extra_validators=None) -> bool:
        """Someone received: a child ticked (or named already), or a group counted (checked here: an empty count
        stops its own validators)."""
        if not super().validate(extra_validators):
            return False
        if not (self.received or self.ticked or self.group_count.data):
            self.group_count.errors.append(NOBODY)
            return False
        return True


class DistributionEditForm(DistributionForm):
    """Editing a distribution: the same fields, and more children may be ticked; it carries the version it was
    opened on instead of a client_id."""

    client_id = None
    base_version = base_version_field()


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[InputRequired(_l("Give the reason.")), Length(max=500)])


class PhotoForm(FlaskForm):
    base_version = base_version_field()
    photo = FileField(_l("Take or choose the photo"), validators=[FileRequired(_l("Choose a photo."))],
                      description=_l("Shrunk on the phone to at most 300 KB before it is sent."))
