"""Forms of reports: the parts an officer writes, sending and reviewing a report, and a value entered by hand."""

import re
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..core.edits import base_version_field
from ..core.fields import DateField, StringField, TextAreaField
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
