"""Forms of the fund."""


from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..core import clock
from ..core.fields import DateField, MoneyField, StringField, choices, column_int
from ..core.idempotent import client_id_field

DONOR_KIND_LABELS = {"person": _l("A person"), "organisation": _l("An organisation")}
FORM_LABELS = {"cash": _l("Cash"), "in_kind": _l("In kind")}
STATUS_LABELS = {"pledged": _l("Pledged"), "received": _l("Received")}


def money(label):
    return MoneyField(label, validators=[InputRequired(_l("Enter the value in đồng.")),
                                         NumberRange(min=1, max=10**13, message=_l("Enter a value above 0 đồng."))])


class DonationForm(FlaskForm):
    client_id = client_id_field()
    donor_name = StringField(_l("Donor"), validators=[InputRequired(_l("Name the donor.")), Length(max=200)])
    donor_kind = RadioField(_l("Donor is"), choices=choices(DONOR_KIND_LABELS), default="person")
    form = RadioField(_l("Given as"), choices=choices(FORM_LABELS), default="cash")
    item = StringField(_l("What was given in kind"), validators=[Length(max=200)])
    value = money(_l("Value (đồng)"))
    status = RadioField(_l("Status"), choices=choices(STATUS_LABELS), default="received")
    given_on = DateField(_l("Date"), default=clock.today, validators=[InputRequired(_l("Enter the date."))],
                        latest=clock.today)
    receipt_no = StringField(_l("Receipt number"), validators=[Optional(), Length(max=40)])

    def validate_item(self, field):
        if self.form.data == "in_kind" and not (field.data or "").strip():
            raise ValidationError(_l("Say what was given."))


class SpendingForm(FlaskForm):
    client_id = client_id_field()
    purpose = StringField(_l("Spent on"), validators=[InputRequired(_l("Say what the money was spent on.")),
                                                      Length(max=200)])
    amount = money(_l("Amount (đồng)"))
    spent_on = DateField(_l("Date"), default=clock.today, validators=[InputRequired(_l("Enter the date."))],
                        latest=clock.today)
    activity_ref = StringField(_l("Activity (number)"), validators=[Optional(), Length(max=40)])


class TargetForm(FlaskForm):
    year = SelectField(_l("Year"), coerce=column_int)
    amount = money(_l("Target (đồng)"))
    plan_target_ref = StringField(_l("Plan target"), validators=[Optional(), Length(max=40)],
                                  description=_l("For example T13 of the year's plan."))
