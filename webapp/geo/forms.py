"""Forms of the places feature."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from ..core.edits import base_version_field
from ..core.fields import StringField
from ..core.idempotent import client_id_field
from ..core.text import clean
from .models import VILLAGE_KINDS

KIND_LABELS = {"thôn": "Thôn", "bản": "Bản", "tổ dân phố": "Tổ dân phố"}


class VillageForm(FlaskForm):
    client_id = client_id_field()
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, KIND_LABELS[k]) for k in VILLAGE_KINDS])
    name = StringField(
        _l("Name"),
        filters=[clean],
        validators=[DataRequired(_l("Enter the village's name.")),
                    Length(max=120, message=_l("At most 120 characters."))],
        description=_l("As people write it, for example Thôn Na Lang or Bản Phố."),
    )


class RenameForm(FlaskForm):
    base_version = base_version_field()
    name = StringField(
        _l("Name"),
        filters=[clean],
        validators=[DataRequired(_l("Enter the village's name.")),
                    Length(max=120, message=_l("At most 120 characters."))],
    )


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV or XLSX file"),
        validators=[FileRequired(_l("Choose a file."))],
        description=_l("Columns: commune code or name, village name, and optionally its kind (thôn, bản, tổ dân phố)."),
    )
