"""Form fields shared by features: money as a whole number of đồng, typed the way people write it; and the checked
date, number and text fields every form uses."""

import re
import unicodedata
from datetime import date, timedelta

import wtforms
import wtforms.validators
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

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
    return date.today() + AHEAD


class DateField(wtforms.DateField):
    """A date from `earliest` (1 January 2000) to `latest` (a year from today), else a clear message. A date of
    year 1 or 9999 is a slip of the finger, and breaks the pages and sums that add days to it."""

    def __init__(self, label=None, validators=None, earliest: date | None = None, latest=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.earliest = earliest or EARLIEST
        self.latest = latest or latest_date

    def pre_validate(self, form):
        if self.data is None:
            return
        latest = self.latest() if callable(self.latest) else self.latest
        if not self.earliest <= self.data <= latest:
            from .formatting import fmt_date

            raise wtforms.validators.StopValidation(
                _("Enter a date from %(start)s to %(end)s.", start=fmt_date(self.earliest), end=fmt_date(latest)))


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
