"""Form fields shared by features: money as a whole number of đồng, typed the way people write it; the checked
date, number and text fields every form uses; and the lists of choices (labelled codes, recent years)."""

import re
import unicodedata
from datetime import date, timedelta

import wtforms
import wtforms.validators
from flask import request
from flask_babel import get_translations
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from . import clock
from .formatting import fmt_date
from .security import fits

_SEPARATORS = re.compile(r"[\s.,_]|đ$|₫$|vnd$", re.I)


class MoneyField(wtforms.IntegerField):
    """Whole đồng; accepts "1.500.000", "1 500 000", "1,500,000 ₫". Shown with inputmode="numeric"."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = _SEPARATORS.sub("", valuelist[0].strip().lower().removesuffix("đ").removesuffix("₫").strip())
        if not (text.isascii() and text.isdigit()):  # "¹" or "١" are digits to str.isdigit, not to int()
            self.data = None
            raise ValueError(_l("Enter a whole number of đồng, for example 500.000."))
        self.data = int(text)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


# --- The fields every form uses: each checks what it reads, so that a value no column holds or no sane record has is
# refused with a message (422) instead of failing in the database (500). tests/security/test_edges.py checks that no
# form uses WTForms' own DateField, IntegerField, StringField or TextAreaField.

EARLIEST = date(2000, 1, 1)
AHEAD = timedelta(days=365)


def latest_date() -> date:
    """The latest date any form takes: a year from today (forums and courses are planned ahead, not further)."""
    return clock.today() + AHEAD


def in_date_range(day: date | None) -> bool:
    return day is not None and EARLIEST <= day <= latest_date()


class DateField(wtforms.DateField):
    """A date from `earliest` (1 January 2000) to `latest` (a year from today), else a clear message. A date of
    year 1 or 9999 is a slip of the finger, and breaks the pages and sums that add days to it.

    The date of something done (an activity held, a lesson attended, a gift given, money received) takes
    `latest=clock.today`: a later date is refused as in the future. Something planned (a forum, a swim course, a
    promise's due date) keeps the default, a year ahead."""

    def __init__(self, label=None, validators=None, earliest: date | None = None, latest=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.earliest = earliest or EARLIEST
        self.latest = latest or latest_date

    def pre_validate(self, form):
        if self.data is None:
            return
        latest = self.latest() if callable(self.latest) else self.latest
        if self.data > latest and latest == clock.today():
            raise wtforms.validators.StopValidation(_("The date cannot be in the future."))
        if not self.earliest <= self.data <= latest:
            raise wtforms.validators.StopValidation(
                _("Enter a date from %(start)s to %(end)s.", start=fmt_date(self.earliest), end=fmt_date(latest)))


def column_int(value) -> int:
    """`coerce=` of every list of ids or years: a number an Integer column holds, else a refusal (ValueError), so that
    a posted 2147483648 is an invalid choice rather than a query PostgreSQL refuses."""
    number = int(value)
    if not fits(number):
        raise ValueError(value)
    return number


def optional_id(value) -> int | None:
    """`coerce=` of a list whose first choice is "—" (None)."""
    return None if value in (None, "", "None") else column_int(value)


# --- Lists of choices: every one is made of SelectChoice (WTForms no longer reads (value, label) tuples).

def choices(labels: dict, codes=None, blank: str | None = None) -> list[SelectChoice]:
    """A choice per code of `codes` (every key of `labels`, in order, when None), labelled from `labels`; with
    `blank`, an empty choice ("") of that label first."""
    first = [SelectChoice("", blank)] if blank is not None else []
    return first + [SelectChoice(code, labels[code]) for code in (labels if codes is None else codes)]


def recent_years() -> list[int]:
    """From next year back to six years ago: the years a page's filter offers."""
    this = clock.today().year
    return list(range(this + 1, this - 6, -1))


def year_choices(also: int | None = None) -> list[SelectChoice]:
    """The recent years as a form's choices, with `also` (a record's own year) kept when it is older."""
    years = recent_years()
    if also is not None and also not in years:
        years.append(also)
    return [SelectChoice(y, str(y)) for y in years]


class IntegerField(wtforms.IntegerField):
    """A whole number that fits the database's integer columns (ids, years, counts); a longer one is not a number
    anyone meant, and PostgreSQL would refuse the query."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not fits(self.data):
            self.data = None
            raise ValueError(_l("Enter a smaller number."))


def _nfc(value):
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


class StringField(wtforms.StringField):
    """Text, normalised (NFC) before it is checked: a length is measured on what is stored. Some characters grow when
    normalised (U+FB2C becomes three), so 100 of them would pass a 120-character check and then not fit."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = _nfc(self.data)


class TextAreaField(wtforms.TextAreaField):
    """Longer text, normalised (NFC) before it is checked, as StringField."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = _nfc(self.data)


# WTForms' own refusals ("Invalid Choice: could not coerce."…) have no Vietnamese of their own: they are listed here so
# that `sotay translate` puts them in the catalogue, and every request reads them from it (use_form_messages).
WTFORMS_MESSAGES = (
    _l("This field is required."), _l("Not a valid integer value."), _l("Not a valid date value."),
    _l("Invalid Choice: could not coerce."), _l("Not a valid choice."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
)


def use_form_messages(app) -> None:
    """Give WTForms the app's translations, so that a refused id or date says so in the user's language."""
    @app.before_request
    def _form_messages():
        request.wtforms_translations = get_translations()
