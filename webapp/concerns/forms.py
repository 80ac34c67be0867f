"""Forms of a report about a child and of each step of handling it: each small, with its date and who."""

from datetime import datetime, time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..core import clock
from ..core.fields import DateField, StringField, TextAreaField, choices, column_int
from ..core.idempotent import client_id_field
from .labels import HARMS, KINDS, REFERRALS, REVIEW_OUTCOMES, RISKS, VERIFY_OUTCOMES, YES_NO


def local_moment(day, at) -> datetime | None:
    """A day and a time of day typed in Vietnam, as an aware moment in UTC."""
    if day is None:
        return None
    try:
        return datetime.combine(day, at or time(0, 0), tzinfo=clock.LOCAL_TZ).astimezone(clock.UTC)
    except OverflowError:  # a day no form takes (refused by its field already)
        return None


class ConcernForm(FlaskForm):
    """Báo tin về trẻ em (Mẫu số 01): what, when, where, which kind, danger now, the child, who reported."""

    client_id = client_id_field()
    what = TextAreaField(_l("What did you see or hear?"),
                         validators=[InputRequired(_l("Say what you saw or heard.")), Length(max=2000)])
    happened_on = DateField(_l("When"), default=clock.today, latest=clock.today,
                            validators=[InputRequired(_l("Enter the date."))])
    village_id = SelectField(_l("Village"), coerce=column_int,
                             validators=[InputRequired(_l("Choose the village."))])
    place = StringField(_l("Where exactly"), validators=[Optional(), Length(max=200)],
                        description=_l("A house, a field, the school… (optional)"))
    kind = RadioField(_l("What kind"), choices=choices(KINDS), validators=[InputRequired(_l("Choose the kind."))])
    in_danger = RadioField(_l("Is the child in danger now?"), choices=choices(YES_NO),
                           validators=[InputRequired(_l("Say whether the child is in danger now."))])
    child_id = HiddenField()  # a child chosen from those the reporter may see (the search needs signal)
    child_description = TextAreaField(
        _l("The child, in words"), validators=[Optional(), Length(max=500)],
        description=_l("Name if known, age, boy or girl, family, where they live. A report never waits for the "
                       "child's record."))
    reporter_name = StringField(_l("Who reported"), validators=[InputRequired(_l("Say who reported.")),
                                                               Length(max=120)])
    reporter_contact = StringField(_l("How to reach them"), validators=[Optional(), Length(max=120)],
                                   description=_l("A phone number, or where to find them."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.child_id.data or "").strip() and not (self.child_description.data or "").strip():
            self.child_description.errors = [*self.child_description.errors,
                                             _l("Choose the child or describe them in words.")]
            valid = False
        return valid


class StepForm(FlaskForm):
    """What every step has: when it was done and by whom."""

    client_id = client_id_field()
    done_on = DateField(_l("Date"), default=clock.today, latest=clock.today,
                        validators=[InputRequired(_l("Enter the date."))])
    done_time = TimeField(_l("Time"), validators=[Optional()])
    done_by = StringField(_l("Done by"), validators=[InputRequired(_l("Say who did it.")), Length(max=120)])
    text = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])

    def moment(self) -> datetime:
        return local_moment(self.done_on.data, self.done_time.data)

    def validate_done_time(self, field):
        moment = self.moment() if self.done_on.data and not self.done_on.errors else None
        if moment is not None and moment > clock.now():
            raise ValidationError(_l("The time cannot be in the future."))


def _text_required(form, valid: bool, message) -> bool:
    if not (form.text.data or "").strip():
        form.text.errors = [*form.text.errors, message]
        return False
    return valid


class VerifyForm(StepForm):
    text = TextAreaField(_l("What was checked"), validators=[Optional(), Length(max=4000)])
    outcome = RadioField(_l("Result"), choices=choices(VERIFY_OUTCOMES),
                         validators=[InputRequired(_l("Say whether the information is true."))])


class AssessForm(StepForm):
    """Mẫu số 02: the level of risk and of harm; emergency measures needed or not, and when they were taken."""

    text = TextAreaField(_l("Emergency measures taken, and what the assessment found"),
                         validators=[Optional(), Length(max=4000)])
    risk = RadioField(_l("Level of risk"), choices=choices(RISKS), validators=[InputRequired(_l("Choose the level."))])
    harm = RadioField(_l("Level of harm"), choices=choices(HARMS), validators=[InputRequired(_l("Choose the level."))])
    emergency = RadioField(_l("Emergency measures needed?"), choices=choices(YES_NO),
                           validators=[InputRequired(_l("Say whether emergency measures are needed."))])
    emergency_on = DateField(_l("Emergency measures taken on"), latest=clock.today, validators=[Optional()])
    emergency_time = TimeField(_l("at"), validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.emergency.data == "yes":
            if self.emergency_on.data is None and not self.emergency_on.errors:
                self.emergency_on.errors = [_l("Enter when the emergency measures were taken.")]
                valid = False
            if not (self.text.data or "").strip():
                self.text.errors = [*self.text.errors, _l("Say which emergency measures were taken.")]
                valid = False
            moment = None if self.emergency_on.errors else local_moment(self.emergency_on.data,
                                                                        self.emergency_time.data)
            if moment is not None and moment > clock.now():
                self.emergency_time.errors = [*self.emergency_time.errors, _l("The time cannot be in the future.")]
                valid = False
        return valid


class PlanForm(StepForm):
    text = TextAreaField(_l("Who does what by when"), validators=[Optional(), Length(max=4000)])
    due_on = DateField(_l("To be done by"), validators=[InputRequired(_l("Enter the date."))])
    approved_by = StringField(_l("Approved by (Chairman of the commune People's Committee)"),
                              validators=[InputRequired(_l("Name who approved the plan.")), Length(max=120)])
    approved_on = DateField(_l("Approved on"), latest=clock.today, validators=[InputRequired(_l("Enter the date."))])

    def validate(self, extra_validators=None) -> bool:
        return _text_required(self, super().validate(extra_validators), _l("Say who does what by when."))


class CarryOutForm(StepForm):
    text = TextAreaField(_l("What was done"), validators=[Optional(), Length(max=4000)])

    def validate(self, extra_validators=None) -> bool:
        return _text_required(self, super().validate(extra_validators), _l("Say what was done."))


class ReviewForm(StepForm):
    text = TextAreaField(_l("How the child is now"), validators=[Optional(), Length(max=4000)])
    outcome = RadioField(_l("Result"), choices=choices(REVIEW_OUTCOMES),
                         validators=[InputRequired(_l("Choose the result of the review."))])


class ReferForm(StepForm):
    referred_to = RadioField(_l("Referred to"), choices=choices(REFERRALS),
                             validators=[InputRequired(_l("Choose where the case goes."))])
    whom = StringField(_l("To whom"), validators=[InputRequired(_l("Name the person or office.")), Length(max=200)])


STEP_FORMS = {"verify": VerifyForm, "assess": AssessForm, "plan": PlanForm, "carry_out": CarryOutForm,
              "review": ReviewForm, "refer": ReferForm}


class EraseForm(FlaskForm):
    reason = SelectField(_l("Why"), choices=[SelectChoice("request", _l("A request to erase it")),
                                             SelectChoice("mistake", _l("Entered by mistake"))])

