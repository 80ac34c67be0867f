"""Vietnamese is the default and complete: every message in the code is in the catalogue, translated, not fuzzy."""

import unicodedata
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
VI = ROOT / "translations" / "vi" / "LC_MESSAGES" / "messages.po"


def _catalogue(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def _extract(tmp_path: Path):
    from babel.messages.frontend import CommandLineInterface

    pot = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l",
                                "--no-location", "-o", str(pot), str(ROOT)])
    return _catalogue(pot)


def test_every_vietnamese_message_is_translated_and_not_fuzzy():
    untranslated, fuzzy = [], []
    for message in _catalogue(VI):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert untranslated == [] and fuzzy == []


def test_every_message_in_the_code_is_in_the_vietnamese_catalogue(tmp_path):
    in_code = {m.id if isinstance(m.id, str) else m.id[0] for m in _extract(tmp_path) if m.id}
    in_catalogue = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalogue(VI) if m.id}
    assert sorted(in_code - in_catalogue) == []


def test_vietnamese_is_in_nfc_and_keeps_the_placeholders():
    import re

    for message in _catalogue(VI):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            assert unicodedata.is_normalized("NFC", text), message.id
            assert set(re.findall(r"%\(\w+\)s", text)) == set(re.findall(r"%\(\w+\)s", ids[0])), message.id
