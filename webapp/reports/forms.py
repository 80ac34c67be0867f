"""Forms of reports: the parts an officer writes, sending and reviewing a report, and a value entered by hand."""

import re
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..core import clock
from ..core.edits import base_version_field
from ..core.fields import DateField, StringField, TextAreaField, optional_id
from ..core.idempotent import client_id_field

DEFAULT_RECIPIENTS = "Như trên;\nLưu: VT."
# The parts the officer writes: II. the general assessment (results, shortcomings), III. what comes next (tasks,
# proposals). Their text starts from the report's figures while empty (reports/drafting.py).
SECTION_LABELS = {
    "results": _l("II.1. Results achieved"),
    "shortcomings": _l("II.2. Shortcomings, difficulties and their causes"),
    "next_tasks": _l("III.1. Directions and tasks for the next period"),
    "proposals": _l("III.2. Proposals and recommendations"),
}


class ReportForm(FlaskForm):
    client_id = client_id_field()
    base_version = base_version_field()
    number = StringField(_l("Number"), validators=[Optional(), Length(max=40)],
                         description=_l("For example: 45/BC-UBND"))
    place = StringField(_l("Place of the date line"), validators=[Optional(), Length(max=80)])
    report_date = DateField(_l("Date of the report"), validators=[Optional()])
    results = TextAreaField(SECTION_LABELS["results"], validators=[Optional(), Length(max=20000)])
    shortcomings = TextAreaField(SECTION_LABELS["shortcomings"], validators=[Optional(), Length(max=20000)])
    next_tasks = TextAreaField(SECTION_LABELS["next_tasks"], validators=[Optional(), Length(max=20000)])
    proposals = TextAreaField(SECTION_LABELS["proposals"], validators=[Optional(), Length(max=20000)])
    recipients = TextAreaField(_l("Recipients (Nơi nhận), one a line"), validators=[Optional(), Length(max=2000)])
    signer_title = StringField(_l("Title of the signer"), validators=[Optional(), Length(max=120)],
                               description=_l("For example: TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"))
    signer_name = StringField(_l("Name of the signer"), validators=[Optional(), Length(max=120)])


class SubmitForm(FlaskForm):
    base_version = base_version_field()


class ReviewForm(FlaskForm):
    base_version = base_version_field()
    decision = RadioField(_l("Decision"), choices=[SelectChoice("accept", _l("Accept")),
                                                   SelectChoice("return", _l("Return for correction"))],
                          validators=[InputRequired(_l("Choose accept or return."))])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.decision.data == "return" and not (self.comment.data or "").strip():  # Optional() stops inline checks
            self.comment.errors = [*self.comment.errors, _l("Say what must be corrected.")]
            valid = False
        return valid


_NUMBER = re.compile(r"^\d+(?:[.,]\d{1,2})?$")
MAX_ENTERED = 10**15  # a count or a sum of đồng no province reaches, far inside the database's 64-bit integers


class ValueForm(FlaskForm):
    """A value typed as people write it: 3,5 (%) or 1.000.000 (đồng)."""

    client_id = client_id_field()
    base_version = base_version_field()
    value = StringField(_l("Value"), validators=[InputRequired(_l("Enter the value."))])
    source = StringField(_l("Source"), validators=[InputRequired(_l("Say where the value comes from.")),
                                                   Length(max=300)],
                         description=_l("For example: the national child database, 30/06/2023"))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])

    def __init__(self, *args, kind: str = "count", **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind

    def validate_value(self, field):
        text = (field.data or "").strip().replace(" ", "")
        if self.kind != "percent":
            text = text.replace(".", "")
        if not _NUMBER.match(text):
            raise ValidationError(_l("Enter a number, such as 3,5."))
        number = Decimal(text.replace(",", "."))  # exact: a float turns a long figure into another number
        if number > MAX_ENTERED:
            raise ValidationError(_l("This number is too large."))
        if self.kind == "percent":
            if number > 100:
                raise ValidationError(_l("A percentage is at most 100."))
            self.parsed = round(number * 100)
        else:
            self.parsed = int(number)


MAX_CHILDREN = 10_000_000  # more children aged 6 to 15 than any province has


class PopulationForm(FlaskForm):
    """A unit's children aged 6 to 15 from the population statistics, with the source, for a plan's year."""

    client_id = client_id_field()
    base_version = base_version_field()
    children_6_15 = StringField(_l("Children aged 6 to 15"), validators=[InputRequired(_l("Enter the number."))],
                                description=_l("From the population statistics, for example 1.250"))
    source = StringField(_l("Source"), validators=[InputRequired(_l("Say where the figure comes from.")),
                                                   Length(max=300)],
                         description=_l("For example: Chi cục Thống kê, số liệu 2022"))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])

    def validate_children_6_15(self, field):
        text = (field.data or "").strip().replace(" ", "").replace(".", "")
        if not text.isascii() or not text.isdigit():
            raise ValidationError(_l("Enter a whole number of children, such as 1.250."))
        number = int(text)
        if number < 1:
            raise ValidationError(_l("Enter at least 1 child."))
        if number > MAX_CHILDREN:
            raise ValidationError(_l("This number is too large."))
        self.parsed = number


REFORM_DAY = date(2025, 7, 1)  # two-level local government: no district level from this day
QD06_DAY = date(2019, 1, 3)  # Quyết định 06/QĐ-TTg


class RecognitionForm(FlaskForm):
    """A decision recognising a commune as child-friendly (Quyết định 06/QĐ-TTg)."""

    client_id = client_id_field()
    base_version = base_version_field()
    unit_id = SelectField(_l("Commune or ward"), coerce=optional_id,
                          validators=[InputRequired(_l("Choose the commune."))])
    decision_number = StringField(_l("Number of the decision"),
                                  validators=[InputRequired(_l("Enter the number of the decision.")), Length(max=40)],
                                  description=_l("For example: 1234/QĐ-UBND"))
    decided_on = DateField(_l("Date of the decision"),
                           validators=[InputRequired(_l("Enter the date of the decision."))],
                           earliest=QD06_DAY, latest=clock.today)
    deciding_level = RadioField(_l("Decided by"), choices=[
        SelectChoice("district", _l("Chairman of the district People's Committee (before 01/7/2025)")),
        SelectChoice("province", _l("Chairman of the provincial People's Committee (from 01/7/2025)"))],
        validators=[InputRequired(_l("Say who decided."))])
    deciding_body = StringField(_l("Deciding body"),
                                validators=[InputRequired(_l("Name the body that decided.")), Length(max=200)],
                                description=_l("For example: UBND huyện Bát Xát"))
    valid_until = DateField(_l("Holds until (if the decision says, or it is withdrawn)"), validators=[Optional()],
                            earliest=QD06_DAY, latest=date(2100, 12, 31),
                            description=_l("Leave empty: it holds until 31/12 of the year after the decision, "
                                           "when the commune is assessed again"))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])

    def validate_deciding_level(self, field):
        day = self.decided_on.data
        if day is None:
            return
        if field.data == "district" and day >= REFORM_DAY:
            raise ValidationError(_l("From 01/7/2025 there is no district level: the province decides."))
        if field.data == "province" and day < REFORM_DAY:
            raise ValidationError(_l("Before 01/7/2025 the chairman of the district decided."))

    def validate_valid_until(self, field):
        if field.data is not None and self.decided_on.data is not None and field.data < self.decided_on.data:
            raise ValidationError(_l("This date is before the decision."))
