"""The activity form: one form for the 12 kinds; each kind keeps only the sections it needs."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..core import clock
from ..core.edits import base_version_field
from ..core.fields import DateField, IntegerField, StringField, TextAreaField, choices, column_int, optional_id
from ..core.idempotent import client_id_field
from . import labels
from .models import (
    CHANNELS,
    CRITERIA,
    FACETS,
    FUNDING_SOURCES,
    KINDS,
    LEVELS,
    MATERIALS,
    MAX_AMOUNT,
    MAX_COUNT,
    PARTICIPANT_ROLES,
    STATUSES,
    THRESHOLDS,
)

COUNT_MESSAGE = _l("Enter a whole number from 0 to 100,000.")
AMOUNT_MESSAGE = _l("Enter an amount in đồng from 0 to 1,000,000,000,000, in digits only.")
SCORE_MESSAGE = _l("Enter a whole number of points from 0 to 1,000.")
CHOICE_MESSAGE = _l("Choose from the list.")


class ChoiceField(SelectField):
    """A drop-down list whose refusal is in the user's language."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("invalid_choice_message", CHOICE_MESSAGE)
        super().__init__(label, validators, **kwargs)


class CountField(IntegerField):
    """A whole number from 0 to 100,000; anything else is refused with one clear message, and kept as typed."""

    message = COUNT_MESSAGE
    maximum = MAX_COUNT

    def __init__(self, label=None, **kwargs):
        super().__init__(label, validators=[Optional(), self._in_range], **kwargs)

    def _in_range(self, form, field):
        # A value that could not be read has its message already; say it once.
        if field.data is not None and not 0 <= field.data <= self.maximum:
            raise ValidationError(self.message)

    def _digits(self, raw: str) -> str:
        return raw.replace(" ", "")

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        digits = self._digits(valuelist[0].strip())
        if not digits.isascii() or not digits.isdigit():
            self.data = None
            raise ValueError(self.message)
        self.data = int(digits)


class ScoreField(CountField):
    message = SCORE_MESSAGE
    maximum = 1000


class MoneyField(CountField):
    """Whole đồng, typed as digits; the dots or spaces people put between thousands are allowed and dropped."""

    message = AMOUNT_MESSAGE
    maximum = MAX_AMOUNT

    def _digits(self, raw: str) -> str:
        for mark in (" ", ".", ",", "₫", "đ", "\u00a0"):
            raw = raw.replace(mark, "")
        return raw


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        values = {c.value for c in self.choices or []}
        for value in self.data or []:
            if value not in values:  # a ValidationError: WTForms lets any other error of pre_validate through (500)
                raise ValidationError(CHOICE_MESSAGE)


def _choices(mapping: dict, blank=None) -> list[SelectChoice]:
    return choices(mapping, blank=blank)


class ParticipantForm(Form):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=120, message=_l("At most 120 characters."))])
    role = ChoiceField(_l("Role"), choices=choices(labels.ROLE_LABELS, PARTICIPANT_ROLES),
                       default="village_head")
    village_id = ChoiceField(_l("Village"), coerce=optional_id, choices=[SelectChoice("", "—")])  # the views list them


# Which fields each section brings, and which sections each kind shows.
SECTION_FIELDS = {
    "channel": ["channel"],
    "topics": ["topics"],
    "audience": ["children", "boys", "girls", "adults", "adult_men", "adult_women", "ethnic_minority",
                 "audience_total"],
    "materials": [f"material_{m}" for m in MATERIALS],
    "audience_groups": ["audience_groups"],
    "participants": ["participants"],
    "event_type": ["event_type"],
    "level": ["level"],
    "gifts": ["gifts_count", "gifts_value"],
    "money_raised": ["money_raised"],
    "in_kind": ["in_kind_value"],
    "forum_part": ["forum_part"],
    "model": ["model"],
    "model_steps": ["model_steps"],
    "stage": ["stage"],
    "scores": ["threshold"] + [f"score_{c}" for c in CRITERIA],
    "occasion": ["occasion"],
    "recreation_types": ["recreation_types"],
    "scholarships": ["scholarships_count", "scholarships_value"],
    "actions": ["actions"],
    "cases": ["cases_handled"],
    "settings": ["settings"],
    "reached": ["reached"],
    "donors": ["donors"],
    "checks": ["checks"],
    "inspection_counts": ["places_checked", "under6_checked", "under6_with_card"],
}
KIND_SECTIONS = {
    "communication": ("channel", "topics", "audience", "materials"),
    "training": ("topics", "audience_groups", "audience", "participants"),
    "month_of_action": ("event_type", "level", "topics", "audience", "gifts", "money_raised"),
    "forum": ("forum_part", "level", "topics", "audience"),
    "support_model": ("model", "model_steps", "audience"),
    "child_friendly": ("stage", "scores"),
    "recreation": ("occasion", "recreation_types", "audience", "gifts", "scholarships"),
    "violence_prevention": ("actions", "cases", "audience", "materials"),
    "injury_prevention": ("settings", "topics", "audience", "materials"),
    "child_labour": ("reached", "audience", "materials"),
    "fundraising": ("level", "donors", "money_raised", "in_kind"),
    "inspection": ("checks", "inspection_counts"),
}
# Multiple choices kept as activity_tags rows: form field -> facet.
TAG_FIELDS = {"topics": "topic", "audience_groups": "audience", "model_steps": "model_step", "actions": "action",
              "settings": "setting", "reached": "reached", "donors": "donor", "checks": "check",
              "recreation_types": "recreation", "model": "model"}
# Kind-specific facts never summed, kept in the JSON `details` column.
DETAIL_FIELDS = ("event_type", "forum_part", "stage", "occasion", "places_checked", "under6_checked",
                 "under6_with_card")
# Choices a kind cannot do without.
REQUIRED = {"communication": ("channel",), "support_model": ("model",), "month_of_action": ("event_type",),
            "child_friendly": ("stage",), "forum": ("forum_part",)}
COMMON_FIELDS = ["date", "unit_id", "venue", "plan_id", "lead_agency_id", "agencies", "funding_source",
                 "amount_spent", "notes", "outside_plan_year"]
ALL_SECTION_FIELDS = {name for names in SECTION_FIELDS.values() for name in names}


class ActivityForm(FlaskForm):
    client_id = client_id_field()
    base_version = base_version_field()

    date = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date."))], latest=clock.today,
                     invalid_value_message=_l("Enter a date, for example 15/05/2023."))
    unit_id = ChoiceField(_l("Where"), coerce=column_int,
                          validators=[InputRequired(_l("Choose the commune or village."))])
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=200, message=_l("At most 200 characters."))],
                        description=_l("For example the school's name or the village hall."))
    plan_id = ChoiceField(_l("Plan"), coerce=column_int, validators=[InputRequired(_l("Choose the plan."))])
    outside_plan_year = BooleanField(_l("Allow a date outside the plan's year"))
    lead_agency_id = ChoiceField(_l("Lead agency"), coerce=optional_id)
    agencies = MultiCheckboxField(_l("Coordinating agencies"), coerce=column_int)
    funding_source = ChoiceField(_l("Funding source"),
                                 choices=_choices(labels.FUNDING_LABELS, _l("— no money spent —")))
    amount_spent = MoneyField(_l("Amount spent (đồng)"), description=_l("Digits only, for example 1500000."))
    notes = TextAreaField(_l("Notes"),
                          validators=[Optional(), Length(max=4000, message=_l("At most 4,000 characters."))])

    channel = ChoiceField(_l("Channel"), choices=_choices(labels.CHANNEL_LABELS, _l("— choose —")))
    topics = MultiCheckboxField(_l("Topics"), choices=choices(labels.FACET_LABELS["topic"]))
    children = CountField(_l("Children"))
    boys = CountField(_l("Boys"))
    girls = CountField(_l("Girls"))
    adults = CountField(_l("Adults"))
    adult_men = CountField(_l("Men"))
    adult_women = CountField(_l("Women"))
    ethnic_minority = CountField(_l("Ethnic minority"))
    audience_total = CountField(_l("Total who came"), description=_l("Left empty: adults plus children."))
    material_booklet = CountField(labels.MATERIAL_LABELS["booklet"])
    material_leaflet = CountField(labels.MATERIAL_LABELS["leaflet"])
    material_poster = CountField(labels.MATERIAL_LABELS["poster"])
    material_banner = CountField(labels.MATERIAL_LABELS["banner"])

    audience_groups = MultiCheckboxField(_l("Who was trained"), choices=choices(labels.FACET_LABELS["audience"]))
    participants = FieldList(FormField(ParticipantForm), min_entries=2, max_entries=200)

    event_type = ChoiceField(_l("Event"), choices=_choices(labels.EVENT_TYPE_LABELS, _l("— choose —")))
    level = ChoiceField(_l("Level"), choices=_choices(labels.LEVEL_LABELS, _l("— choose —")))
    gifts_count = CountField(_l("Gifts given"))
    gifts_value = MoneyField(_l("Value of the gifts (đồng)"))
    money_raised = MoneyField(_l("Money raised (đồng)"))
    in_kind_value = MoneyField(_l("Value of goods given (đồng)"))

    forum_part = ChoiceField(_l("Part of the forum"), choices=_choices(labels.FORUM_PART_LABELS, _l("— choose —")))
    model = ChoiceField(_l("Model"), choices=_choices(labels.FACET_LABELS["model"], _l("— choose —")))
    model_steps = MultiCheckboxField(_l("Step"), choices=choices(labels.FACET_LABELS["model_step"]))

    stage = ChoiceField(_l("Stage"), choices=_choices(labels.STAGE_LABELS, _l("— choose —")))
    threshold = ChoiceField(_l("Points needed"), coerce=column_int, default=800,
                            choices=choices(labels.THRESHOLD_LABELS, THRESHOLDS))

    occasion = ChoiceField(_l("Occasion"), choices=_choices(labels.OCCASION_LABELS, _l("— choose —")))
    recreation_types = MultiCheckboxField(_l("What was done"), choices=choices(labels.FACET_LABELS["recreation"]))
    scholarships_count = CountField(_l("Scholarships"))
    scholarships_value = MoneyField(_l("Value of the scholarships (đồng)"))

    actions = MultiCheckboxField(_l("What was done"), choices=choices(labels.FACET_LABELS["action"]))
    cases_handled = CountField(_l("Reports or cases handled"))
    settings = MultiCheckboxField(_l("Model"), choices=choices(labels.FACET_LABELS["setting"]))
    reached = MultiCheckboxField(_l("Who was reached"), choices=choices(labels.FACET_LABELS["reached"]))
    donors = MultiCheckboxField(_l("Given by"), choices=choices(labels.FACET_LABELS["donor"]))
    checks = MultiCheckboxField(_l("What was checked"), choices=choices(labels.FACET_LABELS["check"]))
    places_checked = CountField(_l("Places checked"))
    under6_checked = CountField(_l("Children under 6 checked"))
    under6_with_card = CountField(_l("Of them with a health insurance card"))


for _criterion in CRITERIA:
    setattr(ActivityForm, f"score_{_criterion}", ScoreField(labels.CRITERION_LABELS[_criterion]))


def activity_form(kind: str, **kwargs) -> ActivityForm:
    """The form for one kind: the common fields and the sections the kind shows."""
    form = ActivityForm(**kwargs)
    keep = {name for section in KIND_SECTIONS[kind] for name in SECTION_FIELDS[section]}
    for name in ALL_SECTION_FIELDS - keep:
        delattr(form, name)
    form.kind = kind
    return form


def has(form, name: str) -> bool:
    return name in form._fields


class ReviewForm(FlaskForm):
    base_version = base_version_field()
    decision = ChoiceField(choices=[SelectChoice("approve", _l("Approve")), SelectChoice("return", _l("Return"))])
    comment = TextAreaField(_l("Comment for the author"),
                            validators=[Optional(), Length(max=2000, message=_l("At most 2,000 characters."))])


class DeleteForm(FlaskForm):
    pass


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    kind = ChoiceField(_l("Kind"), choices=_choices(labels.KIND_LABELS, _l("All kinds")))
    period = ChoiceField(_l("Period"), validate_choice=False)
    unit = ChoiceField(_l("Where"), validate_choice=False)
    topic = ChoiceField(_l("Topic"), choices=_choices(labels.FACET_LABELS["topic"], _l("All topics")))
    status = ChoiceField(_l("Status"), choices=_choices(labels.STATUS_LABELS, _l("Any status")))


assert set(KIND_SECTIONS) == set(KINDS)
assert set(STATUSES) == set(labels.STATUS_LABELS)
assert all(set(FACETS[f]) == set(labels.FACET_LABELS[f]) for f in FACETS)
assert set(LEVELS) == set(labels.LEVEL_LABELS) and set(CHANNELS) == set(labels.CHANNEL_LABELS)
assert set(FUNDING_SOURCES) == set(labels.FUNDING_LABELS)
