"""Forms of the forum: the event, its training, a delegate, a consent, a tap at check-in, a recommendation."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..children.forms import CHILD_MUST_AGREE, ChildForm, ConsentFields, age_on, flag_possible_duplicates
from ..core import clock
from ..core.edits import base_version_field
from ..core.fields import DateField, IntegerField, StringField, TextAreaField, choices, column_int, optional_id
from ..core.idempotent import client_id_field
from ..core.text import clean
from ..geo.models import COMMUNE, PROVINCE, Unit
from .labels import (
    LEVEL_LABELS,
    METHOD_LABELS,
    RELATION_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    TOPIC_LABELS,
)
from .models import (
    CHILD_CONSENT_AGE,
    CONSENT_KINDS,
    IN_PERSON,
    LEVELS,
    METHODS,
    PAPER,
    RELATIONS,
    ROLES,
    STATUSES,
    TOPICS,
)
from .services import DelegateRefused, check_delegate


def count_field(label, **kwargs) -> IntegerField:
    return IntegerField(label, validators=[InputRequired(_l("Enter a number, 0 if none.")),
                                           NumberRange(min=0, max=10_000, message=_l("Enter a number from 0."))],
                        **kwargs)


class ForumForm(FlaskForm):
    """A forum held by one of `units` (the user's own and those under it), of a level that unit holds."""

    client_id = client_id_field()
    level = SelectField(_l("Level"), choices=choices(LEVEL_LABELS, LEVELS))
    unit_id = SelectField(_l("Held by"), coerce=column_int, validators=[InputRequired(_l("Choose the unit."))])
    date = DateField(_l("Date"), validators=[InputRequired(_l("Enter the forum's date."))])
    place = StringField(_l("Place"), validators=[InputRequired(_l("Enter where it is held.")), Length(max=200)])
    theme = StringField(_l("Theme"), validators=[InputRequired(_l("Enter the forum's theme.")), Length(max=300)])

    def __init__(self, *args, units: list[Unit] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {u.id: u for u in units}
        self.unit_id.choices = [SelectChoice(u.id, u.name) for u in units]

    @property
    def unit(self) -> Unit | None:
        return self.units.get(self.unit_id.data)

    def validate_unit_id(self, field):
        expected = {"province": PROVINCE, "commune": COMMUNE}.get(self.level.data)
        if self.unit is None:
            raise ValidationError(_l("Choose a unit of your area."))
        if expected and self.unit.level != expected:
            raise ValidationError(_l("A forum of this level is held by a unit of that level."))


class TrainingForm(FlaskForm):
    client_id = client_id_field()
    base_version = base_version_field()
    start_date = DateField(_l("First day"), validators=[InputRequired(_l("Enter the first day."))])
    end_date = DateField(_l("Last day"), validators=[InputRequired(_l("Enter the last day."))])
    place = StringField(_l("Place"), validators=[InputRequired(_l("Enter where it is held.")), Length(max=200)])
    facilitators = count_field(_l("Facilitators trained"), description=_l("Adults trained to lead the children's "
                                                                         "discussions (dẫn trình viên)."))
    children = count_field(_l("Children trained"))
    girls = count_field(_l("of whom girls"))

    def validate_end_date(self, field):
        if self.start_date.data and field.data and field.data < self.start_date.data:
            raise ValidationError(_l("The last day cannot be before the first."))

    def validate_girls(self, field):
        if field.data is not None and self.children.data is not None and field.data > self.children.data:
            raise ValidationError(_l("Girls cannot be more than the children trained."))


class DelegateForm(FlaskForm):
    """A child of the register (`child`) joins `forum`'s delegation under the rules of `services.check_delegate`
    for the user (`officer`: may let a child outside the age range in, with a reason)."""

    client_id = client_id_field()
    child_id = HiddenField(validators=[InputRequired()])
    walk_in = HiddenField()
    role = SelectField(_l("Role"), choices=choices(ROLE_LABELS, ROLES))
    override_reason = TextAreaField(
        _l("Reason to take part outside the age range"), validators=[Optional(), Length(max=500)],
        description=_l("Only an officer may let a child younger than 9 or 16 and over take part."))

    def __init__(self, *args, forum=None, child=None, officer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.forum, self.child, self.officer = forum, child, officer

    def refuse(self, refused: DelegateRefused) -> None:
        """Show why the delegation refuses the child: at the role when already a delegate, else at the reason."""
        (self.role if refused.field == "taken" else self.override_reason).errors.append(refused.message)

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        try:
            check_delegate(self.forum, self.child.id, self.child.age_at(self.forum.date), self.officer,
                           clean(self.override_reason.data))
        except DelegateRefused as refused:
            self.refuse(refused)
            return False
        return True


def paper_photo_field() -> FileField:
    return FileField(_l("Photo of the signed paper"),
                     description=_l("A photo taken with the phone (JPEG, PNG or WebP, at most 5 MB)."))


class PurposeFields:
    """What a consent of the forum agrees to: the child taking part, photos, the press, and passing the child's
    recommendations to the agencies named (which must then be named)."""

    participate = BooleanField(_l("Taking part in the forum"))
    photos = BooleanField(_l("Photos of the child"))
    press = BooleanField(_l("Speaking to the press"))
    recommendations = BooleanField(_l("Passing the child's recommendations to the agencies named"))
    agencies = StringField(_l("Agencies named"), validators=[Length(max=500)])

    def validate_agencies(self, field):
        if self.recommendations.data and not (field.data or "").strip():
            raise ValidationError(_l("Name the agencies the recommendations may be passed to."))


class ConsentForm(PurposeFields, FlaskForm):
    client_id = client_id_field()
    kind = SelectField(_l("Whose consent"), choices=choices({"child": _l("The child's own"),
                                                               "guardian": _l("A parent or guardian")},
                                                              CONSENT_KINDS))
    given_by = StringField(_l("Who gave it"), validators=[InputRequired(_l("Enter the name.")), Length(max=120)])
    relation = SelectField(_l("Relation to the child"), choices=choices(RELATION_LABELS, RELATIONS))
    given_on = DateField(_l("Date"), default=clock.today, validators=[InputRequired(_l("Enter the date."))])
    method = SelectField(_l("How"), choices=choices(METHOD_LABELS, METHODS))
    paper_photo = paper_photo_field()

    def validate_relation(self, field):
        if self.kind.data == "child" and field.data != "self":
            raise ValidationError(_l("The child's own consent is given by the child."))
        if self.kind.data == "guardian" and field.data == "self":
            raise ValidationError(_l("Choose how the parent or guardian is related to the child."))

    def validate_given_on(self, field):
        if field.data and field.data > clock.today():
            raise ValidationError(_l("The date cannot be in the future."))

    def validate_method(self, field):
        if field.data == PAPER and not self.paper_photo.data:
            raise ValidationError(NO_PAPER_PHOTO)


NO_PAPER_PHOTO = _l("Add a photo of the signed paper.")
# The relations and ways of consent that the register's basis and the forum's consents both know: on the one screen
# that registers a delegate, the parent's or guardian's one answer stands for both.
SHARED_RELATIONS = ("mother", "father", "grandparent", "guardian", "other")
FORUM_METHODS = {"paper": PAPER, "verbal": IN_PERSON}  # the register's way of consent -> the forum consent's
NEW_CHILD = ("full_name", "birth_date", "birth_year", "sex", "ethnicity", "village_id", "not_duplicate")


class RegisterForm(ConsentFields, PurposeFields, FlaskForm):
    """One screen for a delegate: a child of the register (`child`) or a new one, the consent of a parent or guardian
    (the register's basis of keeping the child's data, and the forum's consent for what is ticked) with the photo of
    the signed paper, the child's own agreement (needed from 7), the role. The new child's fields are the register's
    own (children.forms.ChildForm); the delegation's rules are checked by the view through forum.services."""

    client_id = client_id_field()
    child_id = HiddenField()  # shown as a choice among the children found, "" for a child new to the register
    full_name = ChildForm.full_name
    birth_date = ChildForm.birth_date
    birth_year = ChildForm.birth_year
    sex = ChildForm.sex
    village_id = SelectField(_l("Village"), coerce=optional_id, validators=[InputRequired(_l("Choose the village."))])
    ethnicity = ChildForm.ethnicity
    not_duplicate = ChildForm.not_duplicate
    paper_photo = paper_photo_field()
    consent_child = BooleanField(_l("The child was asked and agrees too, to everything above"),
                                 description=_l("Needed from 7 years old (Decree 13/2023, Article 20)."))
    role = DelegateForm.role
    override_reason = DelegateForm.override_reason

    validate_birth_date = ChildForm.validate_birth_date
    validate_birth_year = ChildForm.validate_birth_year

    def __init__(self, *args, forum=None, child=None, villages: list[Unit] = (), officer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.forum, self.child, self.officer = forum, child, officer
        self.villages = {v.id: v for v in villages}
        self.village_id.choices = ([SelectChoice("", "—")] if len(villages) > 1 else []) + [
            SelectChoice(v.id, v.name) for v in villages]
        self.duplicates, self.elsewhere = [], False  # the register's children the new one may be
        self.consent_relation.choices = [c for c in self.consent_relation.choices if c.value in SHARED_RELATIONS]
        self.consent_method.choices = [c for c in self.consent_method.choices if c.value in FORUM_METHODS]

    def validate_paper_photo(self, field):
        if self.consent_method.data == "paper" and not field.data:
            raise ValidationError(NO_PAPER_PHOTO)

    def validate_participate(self, field):
        if not field.data:
            raise ValidationError(_l("Tick this when the parent or guardian agrees to the child taking part: "
                                     "without it the child is not registered as a delegate."))

    @property
    def village(self) -> Unit | None:
        """The new child's village (None for a child of the register)."""
        return self.villages.get(self.village_id.data) if self.child is None else None

    @property
    def age(self) -> int | None:
        """The child's age on the forum's day, once the birth is known."""
        day, year = self.born()
        return age_on(self.forum.date, day, year) if year else None

    def born(self) -> tuple[date | None, int | None]:
        """The child's date and year of birth: the register's, or as typed for a new child."""
        if self.child is not None:
            return self.child.birth_date, self.child.birth_year
        day = self.birth_date.data if not self.birth_date.errors else None
        year = day.year if day else (self.birth_year.data if not self.birth_year.errors else None)
        return day, year

    def validate(self, extra_validators=None) -> bool:
        if self.child is not None:  # a child of the register: nothing of a new child is asked
            for name in NEW_CHILD:
                self[name].validators = [Optional()]
        super().validate(extra_validators)
        if self.child is not None:
            for name in NEW_CHILD:
                self[name].errors = []
        elif self.birth_date.data is None and self.birth_year.data is None and not self.birth_date.errors \
                and not self.birth_year.errors:
            self.birth_year.errors.append(_l("Enter the date of birth or at least the year."))
        day, year = self.born()
        if year and not self.consent_on.errors:
            self.check_consent(day, year)  # the register's basis: a sane date, the child's own agreement from 7
        # ...and the forum's: a child of 7 or over on the forum's day agrees too
        if year and self.forum is not None and not self.consent_child.errors and not self.consent_child.data \
                and age_on(self.forum.date, day, year) >= CHILD_CONSENT_AGE:
            self.consent_child.errors.append(CHILD_MUST_AGREE)
        if self.forum is not None and not any(field.errors for field in self):
            self._check_register(year)
            self._check_delegation()
        return not any(field.errors for field in self)

    def _check_register(self, year: int | None) -> None:
        """A new child who may already be in the register is added only when the box says it is another child."""
        if self.child is not None or self.not_duplicate.data or self.village is None:
            return
        flag_possible_duplicates(self, year, self.village.parent_id, _l(
            "A child with a similar name, born the same year, is already registered in this commune. Choose that "
            "child above, or tick the box below if this is a different child."))

    def _check_delegation(self) -> None:
        try:
            check_delegate(self.forum, self.child.id if self.child else None, self.age, self.officer,
                           clean(self.override_reason.data))
        except DelegateRefused as refused:
            about_child = self.child_id if self.child else self.birth_year
            (self.override_reason if refused.field == "reason" else about_child).errors.append(refused.message)


class WithdrawForm(FlaskForm):
    base_version = base_version_field()
    note = StringField(_l("Note"), validators=[Optional(), Length(max=300)])


class CheckInForm(FlaskForm):
    client_id = client_id_field()
    delegate_id = HiddenField(validators=[InputRequired()])


class PhotoForm(FlaskForm):
    base_version = base_version_field()
    photo = FileField(_l("Photo for the badge"))


class RecommendationForm(FlaskForm):
    client_id = client_id_field()
    text = TextAreaField(_l("Recommendation"), validators=[InputRequired(_l("Write the children's recommendation.")),
                                                          Length(max=2000)])
    topic = SelectField(_l("Topic"), choices=choices(TOPIC_LABELS, TOPICS))
    group = StringField(_l("Group of children it came from"),
                        validators=[InputRequired(_l("Describe the group.")), Length(max=200)],
                        description=_l("Without names, for example: girls of 12 to 15 from Bản Phố."))
    presenter_id = SelectField(_l("Presented by"), coerce=column_int, validators=[Optional()],
                               description=_l("Only delegates who agreed to pass on their recommendations."))
    agency_id = SelectField(_l("Addressed to the agency"), coerce=column_int, validators=[Optional()])
    addressed_to = StringField(_l("or the leader"), validators=[Length(max=200)])
    answer = TextAreaField(_l("Answer or promise given at the dialogue"), validators=[Optional(), Length(max=2000)])
    due_date = DateField(_l("Promised by"), validators=[Optional()])

    def validate_addressed_to(self, field):
        if not self.agency_id.data and not (field.data or "").strip():
            raise ValidationError(_l("Choose the agency or write the leader it is addressed to."))


class UpdateForm(FlaskForm):
    """A step of `rec`'s follow-up, which only moves forward."""

    client_id = client_id_field()
    status = SelectField(_l("Status"), choices=choices(STATUS_LABELS, STATUSES))
    note = TextAreaField(_l("What was answered or done"), validators=[InputRequired(_l("Write what happened.")),
                                                                     Length(max=2000)])
    on = DateField(_l("Date"), default=clock.today, validators=[InputRequired(_l("Enter the date."))],
                   latest=clock.today)
    due_date = DateField(_l("Due by"), validators=[Optional()])

    def __init__(self, *args, rec=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rec = rec

    def validate_status(self, field):
        if self.rec is not None and STATUSES.index(field.data) < STATUSES.index(self.rec.status):
            raise ValidationError(_l("The follow-up only moves forward: it is already “%(status)s”.",
                                     status=STATUS_LABELS[self.rec.status]))


class ReportSentForm(FlaskForm):
    base_version = base_version_field()
    sent_on = DateField(_l("Sent to the province on"), default=clock.today,
                        validators=[InputRequired(_l("Enter the date."))])

    def validate_sent_on(self, field):
        if field.data and field.data > clock.today():
            raise ValidationError(_l("The date cannot be in the future."))
