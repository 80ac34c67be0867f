"""Forms of the plans feature: editing a plan and its report periods, a target, an agency; copying a plan."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..activities import labels as activity_labels
from ..core.edits import base_version_field
from ..core.fields import DateField, IntegerField, StringField, TextAreaField, choices, column_int, optional_id
from ..core.idempotent import client_id_field
from ..core.text import clean
from ..extensions import db
from ..geo.models import Unit
from .models import Agency
from .services import parse_figure

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

    def validate_end_date(self, field):
        if self.start_date.data and field.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end comes before the start."))


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

    def __init__(self, *args, plan=None, target=None, **kwargs):
        """A target of `plan` (`target` when it is edited): its code once for the whole plan and once for each unit
        with its own figure, a unit's own target measured as the plan's target of its code is."""
        super().__init__(*args, **kwargs)
        self.plan, self.target = plan, target
        self.parsed = {"figure": None, "baseline": None}  # the figures in the kind's integer unit, once valid

    @property
    def clean_code(self) -> str:
        return clean(self.code.data).upper()

    def _others(self):
        """The plan's other targets of this code."""
        targets = self.plan.targets if self.plan is not None else []
        return [t for t in targets if t.code == self.clean_code and t is not self.target]

    def validate_figure(self, field):
        self._parse(field)

    def validate_baseline(self, field):
        self._parse(field)

    def _parse(self, field):
        try:
            self.parsed[field.name] = parse_figure(self.kind.data, field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def validate_code(self, field):
        if self.unit_id.data is None and any(t.unit_id is None for t in self._others()):
            raise ValidationError(_l("This plan has a target %(code)s already.", code=self.clean_code))

    def validate_unit_id(self, field):
        if field.errors or field.data is None:
            return
        if any(t.unit_id == field.data for t in self._others()):
            raise ValidationError(_l("%(unit)s has its own target %(code)s already.", code=self.clean_code,
                                     unit=db.session.get(Unit, field.data).name))

    def validate_kind(self, field):
        """A unit's own target is measured as the plan's target of its code is."""
        whole = next((t for t in self._others() if t.unit_id is None), None)
        if self.unit_id.data is not None and whole is not None and whole.kind != field.data:
            raise ValidationError(_l("%(code)s of the plan is measured as “%(kind)s”; a unit's own %(code)s must "
                                     "be too.", code=self.clean_code, kind=KIND_LABELS[whole.kind]))


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

    def __init__(self, *args, plan=None, quantity=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan, self.quantity = plan, quantity

    @property
    def clean_code(self) -> str:
        return clean(self.code.data).upper()

    def validate_code(self, field):
        quantities = self.plan.quantities if self.plan is not None else []
        if any(q.code == self.clean_code and q is not self.quantity for q in quantities):
            raise ValidationError(_l("This plan has an activity %(code)s already.", code=self.clean_code))

    def validate_participants(self, field):
        parts = (self.adult_participants.data or 0) + (self.child_participants.data or 0)
        if field.data is not None and parts > field.data:
            raise ValidationError(_l("Adults and children add up to %(parts)s, more than the %(whole)s people.",
                                     parts=parts, whole=field.data))


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

    def __init__(self, *args, agency=None, province=None, **kwargs):
        """`agency` when it is edited, `province` whose list a new one joins."""
        super().__init__(*args, **kwargs)
        self.agency, self.province = agency, province

    def validate_name(self, field):
        if self.province is not None and db.session.scalar(select(Agency.id).where(
                Agency.unit_id == self.province.id, Agency.name == clean(field.data))):
            raise ValidationError(_l("This agency is in the list already."))

    def validate_successor_id(self, field):
        """A successor may not lead back to the agency itself."""
        successor, seen = db.session.get(Agency, field.data) if field.data else None, set()
        while successor is not None and successor.id not in seen:
            if self.agency is not None and successor.id == self.agency.id:
                raise ValidationError(_l("%(name)s took over from this agency: it cannot be its successor.",
                                         name=db.session.get(Agency, field.data).name))
            seen.add(successor.id)
            successor = successor.successor

    def validate(self, extra_validators=None) -> bool:
        """A successor needs the day the role ended (checked here: an empty date stops its own validators)."""
        valid = super().validate(extra_validators)
        if self.successor_id.data and self.valid_until.data is None and not self.valid_until.errors:
            self.valid_until.errors.append(_l("Say until when it held its role, the day before its successor "
                                              "took over."))
            return False
        return valid


class CopyForm(FlaskForm):
    client_id = client_id_field()
