"""Property-based tests of what reads people's typing: money, figures and values, text for storing and searching,
phone numbers and dates. Whatever is typed, the answer is a value or the field's own message, never an exception."""

import sqlite3
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.fields.choices import SelectChoice

from webapp.core.text import clean, fold, like_pattern

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TYPED = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)  # anything a keyboard or a paste gives
BIGINT = 2**63 - 1


@pytest.fixture(scope="module")
def ctx(tmp_path_factory, sqlite_template):
    """A request context (the fields' messages are translated) on a database (a form may look a name up)."""
    import shutil

    from webapp import create_app

    folder = tmp_path_factory.mktemp("props")
    shutil.copy(sqlite_template, folder / "test.db")
    patch = pytest.MonkeyPatch()
    patch.setenv("SOTAY_INSTANCE_PATH", str(folder / "instance"))
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'test.db'}",
                      "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False})
    with app.test_request_context():
        yield app
    patch.undo()


def money_forms():
    from webapp.activities.forms import MoneyField as ActivityMoney
    from webapp.core.fields import MoneyField as CoreMoney

    class Core(Form):
        m = CoreMoney()

    class Activity(Form):
        m = ActivityMoney()

    return Core, Activity


def read_money(form_class, typed: str):
    form = form_class(MultiDict({"m": typed}))
    form.validate()
    return form.m.data, [str(e) for e in form.m.errors]


def grouped(n: int, mark: str) -> str:
    return f"{n:,}".replace(",", mark)


@SETTINGS
@given(n=st.integers(0, 10**15), mark=st.sampled_from([".", " ", ",", ""]),
       suffix=st.sampled_from(["", " đ", "đ", " ₫", "₫"]))
def test_money_as_people_write_it_is_whole_dong(ctx, n, mark, suffix):
    for form_class in money_forms():
        data, errors = read_money(form_class, grouped(n, mark) + suffix)
        from webapp.activities.forms import MAX_AMOUNT

        if form_class.__name__ == "Activity" and n > MAX_AMOUNT:
            assert data is None or errors  # over the activity field's maximum: refused with its message
            continue
        assert (data, errors) == (n, []), (form_class.__name__, grouped(n, mark) + suffix)


@SETTINGS
@given(typed=TYPED)
def test_money_never_raises_and_is_a_whole_non_negative_number_or_a_message(ctx, typed):
    for form_class in money_forms():
        data, errors = read_money(form_class, typed)
        if errors:
            assert data is None or form_class.__name__ == "Activity"
            assert all("đồng" in e or "đ" in e or "số" in e for e in errors), errors  # the field's own words
        else:
            assert data is None or (isinstance(data, int) and 0 <= data)


@SETTINGS
@given(n=st.integers(1, 10**9))
def test_negative_money_is_refused(ctx, n):
    for form_class in money_forms():
        data, errors = read_money(form_class, f"-{grouped(n, '.')}")
        assert errors and data is None


@SETTINGS
@given(typed=TYPED, kind=st.sampled_from(["count", "percent", "money"]))
def test_an_entered_value_is_a_number_in_range_or_the_fields_message(ctx, typed, kind):
    from wtforms.validators import ValidationError

    from webapp.reports.forms import ValueForm

    form = ValueForm(formdata=MultiDict({"value": typed}), kind=kind, meta={"csrf": False})
    try:
        form.validate_value(form.value)
    except ValidationError as error:
        assert str(error)
    else:
        assert isinstance(form.parsed, int) and 0 <= form.parsed <= BIGINT
        if kind == "percent":
            assert form.parsed <= 100 * 100


@SETTINGS
@given(typed=TYPED, kind=st.sampled_from(["count", "percent", "done", "money", "qualitative"]))
def test_a_plan_figure_is_a_number_or_a_clear_message(ctx, typed, kind):
    from webapp.plans.services import parse_figure

    try:
        value = parse_figure(kind, typed)
    except ValueError as error:
        assert "invalid literal" not in str(error) and str(error)
    else:
        assert value is None or (isinstance(value, int) and 0 <= value <= BIGINT)


@SETTINGS
@given(typed=st.text(max_size=60))
def test_clean_is_nfc_trimmed_and_idempotent(typed):
    once = clean(typed)
    assert unicodedata.is_normalized("NFC", once)
    assert once == once.strip() and "  " not in once
    assert clean(once) == once


@SETTINGS
@given(typed=st.text(max_size=60))
def test_fold_is_accent_free_lower_case_and_idempotent(typed):
    folded = fold(typed)
    assert not any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", folded))
    assert "đ" not in folded and "Đ" not in folded
    assert fold(folded) == folded
    assert folded == folded.lower()


def test_fold_of_vietnamese():
    assert fold("  Mường   Khương ") == "muong khuong" and fold("ĐÀO Thị Ánh") == "dao thi anh"
    assert fold("Bản Phố") == fold("ban pho") == fold("BẢN PHỐ")


NO_NUL = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)


@SETTINGS
@given(stored=NO_NUL, query=NO_NUL)
def test_like_pattern_finds_exactly_the_folded_text_with_wildcards_taken_literally(stored, query):
    """The pattern, used as the app uses it (LIKE … ESCAPE '\\'), matches when the folded query is in the folded
    text and only then: % and _ typed by someone are letters, not wildcards."""
    with sqlite3.connect(":memory:") as db:
        found = db.execute("SELECT ? LIKE ? ESCAPE '\\'", (fold(stored), like_pattern(query))).fetchone()[0]
    assert bool(found) == (fold(query) in fold(stored))


def test_like_pattern_escapes_wildcards():
    assert like_pattern("50%_x\\") == "%50\\%\\_x\\\\%"


@SETTINGS
@given(local=st.from_regex(r"\A[1-9][0-9]{8,9}\Z"), style=st.sampled_from(["0", "+84 ", "84", "(+84) "]),
       spacer=st.sampled_from(["", " ", ".", "-"]))
def test_a_phone_number_in_any_usual_form_is_the_same_number(ctx, local, style, spacer):
    from webapp.accounts.services import normalise_phone

    written = style + spacer.join(local[i:i + 3] for i in range(0, len(local), 3))
    assert normalise_phone(written) == "0" + local
    assert normalise_phone(normalise_phone(written)) == normalise_phone(written)


@SETTINGS
@given(typed=TYPED)
def test_a_phone_number_is_digits_only_whatever_is_typed(ctx, typed):
    from webapp.accounts.services import normalise_phone

    assert normalise_phone(typed).isascii() and (normalise_phone(typed).isdigit() or normalise_phone(typed) == "")


@SETTINGS
@given(typed=TYPED)
def test_a_day_in_a_query_is_a_date_or_nothing(ctx, typed):
    from webapp.core.views import _parse_day

    day = _parse_day(typed)
    assert day is None or day.isoformat() == typed


def all_forms():
    import importlib

    from flask_wtf import FlaskForm

    from webapp import FEATURES

    found = {}
    for feature in FEATURES:
        try:
            module = importlib.import_module(f"webapp.{feature}.forms")
        except ModuleNotFoundError:
            continue
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, FlaskForm) and value is not FlaskForm \
                    and value.__module__ == module.__name__:
                found[f"{feature}.{name}"] = value
    return found


FORMS = all_forms()


@pytest.mark.parametrize("name", sorted(FORMS))
def test_every_form_answers_any_typing_with_values_or_messages(ctx, name):
    """Every field of every form given the same arbitrary text: validate() gives values or messages, never an
    exception (a 500 for the person who typed it)."""
    form_class = FORMS[name]

    @settings(max_examples=60, deadline=None)
    @given(typed=TYPED)
    def check(typed):
        names = [n for n, v in vars(form_class).items() if hasattr(v, "field_class")]
        data = MultiDict([(n, typed) for n in names] + [(f"{n}-0-name", typed) for n in names])
        form = form_class(formdata=data, meta={"csrf": False})
        for field in form:
            if getattr(field, "choices", ...) is None:
                field.choices = [SelectChoice(1, "một")]
        form.validate()
        assert all(isinstance(str(e), str) and str(e) for errors in form.errors.values() for e in errors
                   if isinstance(e, str | object) and not isinstance(e, dict | list))

    check()
