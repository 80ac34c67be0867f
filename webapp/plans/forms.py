"""Forms of the plans feature: editing a plan and its report periods, a target, an agency; copying a plan."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..activities import labels as activity_labels
from ..core.edits import base_version_field
from ..core.fields import DateField, IntegerField, StringField, TextAreaField, choices, column_int, optional_id
from ..core.idempotent import client_id_field

DATE_MESSAGE = _l("Enter a date, for example 15/05/2023.")
CHOICE_MESSAGE = _l("Choose from the list.")
KIND_LABELS = {"percent": _l("Percentage"), "count": _l("Count"), "money": _l("Money (đồng)"),
               "done": _l("Done / not done"), "qualitative": _l("Qualitative")}
DIRECTION_LABELS = {"at_least": _l("At least the figure"), "at_most": _l("At most the figure (bring down)"),
                    "rising": _l("Higher than the year before"), "none": _l("No figure")}
PERIOD_LABELS = {"half_year": _l("6-month report"), "annual": _l("Annual report")}


def _date(label):
    return DateField(label, validators=[InputRequired(DATE_MESSAGE)], invalid_value_message=DATE_MESSAGE)


class PlanForm(FlaskForm):
    base_version = base_version_field()
    title = StringField(_l("Title"), validators=[InputRequired(_l("Enter the plan's title.")),
                                                 Length(max=300, message=_l("At most 300 characters."))])
    document_number = StringField(_l("Document number"), validators=[Optional(), Length(max=40)])
    issued_on = DateField(_l("Issued on"), validators=[Optional()], invalid_value_message=DATE_MESSAGE)
    issuing_agency_id = SelectField(_l("Issued by"), coerce=optional_id, invalid_choice_message=CHOICE_MESSAGE)
    lead_agency_id = SelectField(_l("Lead agency"), coerce=optional_id, invalid_choice_message=CHOICE_MESSAGE)
    agencies = SelectMultipleField(_l("Coordinating agencies"), coerce=column_int,
                                   widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
                                   invalid_choice_message=CHOICE_MESSAGE)
    start_date = _date(_l("From"))
    end_date = _date(_l("To"))
    provincial_hotline = StringField(_l("Provincial hotline"), validators=[Optional(), Length(max=20)])
    hotline_confirmed = BooleanField(_l("This number is confirmed: every home page offers to call it"))
    half_year_start = _date(_l("6-month report covers from"))
    half_year_end = _date(_l("to"))
    half_year_due = _date(_l("6-month report due"))
    annual_start = _date(_l("Annual report covers from"))
    annual_end = _date(_l("to"))
    annual_due = _date(_l("Annual report due"))


class TargetForm(FlaskForm):
    client_id = client_id_field()
    base_version = base_version_field()
    code = StringField(_l("Code"), validators=[InputRequired(_l("Enter a code, for example T15.")),
                                               Length(max=10, message=_l("At most 10 characters."))])
    text_vi = TextAreaField(_l("Target in Vietnamese"), validators=[InputRequired(_l("Enter the target."))])
    text_en = TextAreaField(_l("Target in English"), validators=[InputRequired(_l("Enter the target."))])
    kind = SelectField(_l("Measured as"), choices=choices(KIND_LABELS), invalid_choice_message=CHOICE_MESSAGE)
    direction = SelectField(_l("Reached when"), choices=choices(DIRECTION_LABELS),
                            invalid_choice_message=CHOICE_MESSAGE)
    figure = StringField(_l("Figure"), description=_l("A percentage like 93 or 3,5; a count; đồng in digits; "
                                                      "1 for done. Empty for a qualitative target."))
    baseline = StringField(_l("Baseline"), validators=[Optional()])
    baseline_year = IntegerField(_l("Baseline year"), validators=[Optional(), NumberRange(2000, 2100)],
                                 invalid_value_message=_l("Enter a year, for example 2022."))
    unit_id = SelectField(_l("Applies to"), coerce=optional_id, invalid_choice_message=CHOICE_MESSAGE)
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


COUNT_MESSAGE = _l("Enter a whole number from 0 to 100,000.")


def _count(label, required: bool = False, description=None):
    first = InputRequired(_l("Enter how many.")) if required else Optional()
    return IntegerField(label, validators=[first, NumberRange(0, 100_000, message=COUNT_MESSAGE)],
                        invalid_value_message=COUNT_MESSAGE, description=description)


class QuantityForm(FlaskForm):
    """How many of an activity the plan sets: events, and the people they reach (adults and children of them)."""

    base_version = base_version_field()
    code = StringField(_l("Code"), validators=[InputRequired(_l("Enter a code, for example Q6.")),
                                               Length(max=10, message=_l("At most 10 characters."))])
    activity_kind = SelectField(_l("Group of activities"), choices=choices(activity_labels.KIND_LABELS),
                                invalid_choice_message=CHOICE_MESSAGE)
    text_vi = TextAreaField(_l("Activity in Vietnamese"), validators=[InputRequired(_l("Enter the activity."))])
    text_en = TextAreaField(_l("Activity in English"), validators=[InputRequired(_l("Enter the activity."))])
    level = SelectField(_l("Level"), choices=choices(activity_labels.LEVEL_LABELS, blank="—"),
                        invalid_choice_message=CHOICE_MESSAGE)
    events = _count(_l("How many"), required=True, description=_l("Classes, events or forums the plan sets."))
    participants = _count(_l("People in all"))
    adult_participants = _count(_l("Adults of them"))
    child_participants = _count(_l("Children of them"))


class RemoveForm(FlaskForm):
    base_version = base_version_field()


class AgencyForm(FlaskForm):
    client_id = client_id_field()
    base_version = base_version_field()
    name = StringField(_l("Name"), validators=[InputRequired(_l("Enter the agency's name.")),
                                               Length(max=200, message=_l("At most 200 characters."))])
    short_name = StringField(_l("Short name"), validators=[Optional(), Length(max=60)])
    level = SelectField(_l("Level"), choices=[SelectChoice("province", _l("Province")),
                                              SelectChoice("commune", _l("Commune"))],
                        invalid_choice_message=CHOICE_MESSAGE)
    active = BooleanField(_l("In use"), default=True)
    valid_until = DateField(_l("Held its role until"), validators=[Optional()], invalid_value_message=DATE_MESSAGE)
    successor_id = SelectField(_l("Its role passed to"), coerce=optional_id, invalid_choice_message=CHOICE_MESSAGE,
                               description=_l("A copied plan names this agency instead, from the day after."))


class CopyForm(FlaskForm):
    client_id = client_id_field()
