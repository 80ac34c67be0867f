"""Forms of the accounts feature."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional, Regexp, ValidationError

from ..core.fields import StringField, column_int
from ..core.idempotent import client_id_field
from ..core.scope import ADMIN, COLLECTOR, OFFICER, VIEWER
from ..core.text import clean

ROLE_LABELS = {
    ADMIN: _l("Administrator"),
    OFFICER: _l("Officer"),
    COLLECTOR: _l("Collector"),
    VIEWER: _l("Viewer"),
}
LANGUAGE_LABELS = {"vi": "Tiếng Việt", "en": "English"}


class LoginForm(FlaskForm):
    identifier = StringField(_l("Username or phone number"), validators=[InputRequired(_l("Enter your username."))])
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Enter your password."))])
    remember = BooleanField(_l("Remember this phone for 30 days"), default=True)


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[InputRequired(_l("Enter your current password."))])
    new = PasswordField(
        _l("New password"),
        validators=[InputRequired(_l("Enter a new password.")),
                    Length(min=8, max=128, message=_l("Between 8 and 128 characters."))],
    )
    confirm = PasswordField(
        _l("New password again"), validators=[EqualTo("new", message=_l("The two passwords differ."))]
    )


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=[SelectChoice(k, v) for k, v in LANGUAGE_LABELS.items()])


class UserForm(FlaskForm):
    client_id = client_id_field()
    full_name = StringField(
        _l("Full name"), filters=[clean], validators=[DataRequired(_l("Enter the person's name.")), Length(max=120)]
    )
    username = StringField(
        _l("Username"),
        filters=[clean],
        validators=[
            DataRequired(_l("Choose a username.")),
            Length(min=3, max=40, message=_l("Between 3 and 40 characters.")),
            Regexp(r"^[a-zA-Z0-9._-]+$", message=_l("Only letters without accents, digits, dot, dash, underscore.")),
        ],
    )
    phone = StringField(
        _l("Phone number"),
        validators=[Optional(), Regexp(r"^[0-9 +.-]{9,15}$", message=_l("A phone number has 9 to 11 digits."))],
    )
    role = SelectField(_l("Role"), validators=[InputRequired()])
    unit_id = SelectField(_l("Unit"), coerce=column_int, validators=[InputRequired(_l("Choose a unit."))])
    password = PasswordField(
        _l("First password"),
        validators=[InputRequired(_l("Enter a first password.")),
                    Length(min=8, max=128, message=_l("Between 8 and 128 characters."))],
    )

    def validate_username(self, field):
        from .services import find_login

        if find_login(field.data):
            raise ValidationError(_l("This username is taken."))

    def validate_phone(self, field):
        from .services import find_login, normalise_phone

        if field.data and find_login(normalise_phone(field.data)):
            raise ValidationError(_l("Another account has this phone number."))
