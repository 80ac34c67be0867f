"""The Vietnamese catalogue follows docs/glossary.md (issue 15 item 15): each message the glossary lists translates
to its official term, and no Vietnamese message, template or piece of code says a word the glossary rules out."""

import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "glossary.md"
VI = ROOT / "translations" / "vi" / "LC_MESSAGES" / "messages.po"


def _glossary() -> tuple[dict[str, str], list[str]]:
    """({message: term}, [words not to use]) as the page writes them."""
    terms, banned, section = {}, [], ""
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        elif section == "Terms" and (row := re.match(r"\|\s*`([^`]+)`\s*\|\s*([^|]+?)\s*\|", line)):
            terms[row.group(1)] = row.group(2)
        elif section == "Not to use" and (item := re.match(r"- (.+?) →", line)):
            banned.append(item.group(1).strip())
    return terms, banned


def _vietnamese() -> dict[str, str]:
    with VI.open("rb") as f:
        catalogue = read_po(f)
    return {(m.id if isinstance(m.id, str) else m.id[0]): (m.string if isinstance(m.string, str) else m.string[0])
            for m in catalogue if m.id}


def test_the_glossary_is_read():
    terms, banned = _glossary()
    assert len(terms) >= 30 and terms["Collector"] == "Người nhập liệu"
    assert "chuyển tuyến" in banned and "không báo trước" in banned and len(banned) >= 10


def test_each_listed_message_translates_to_its_term():
    terms, _banned = _glossary()
    vietnamese = _vietnamese()
    missing = sorted(m for m in terms if m not in vietnamese)
    assert missing == [], f"docs/glossary.md lists messages the catalogue no longer has: {missing}"
    wrong = {m: (vietnamese[m], term) for m, term in terms.items() if vietnamese[m] != term}
    assert wrong == {}, "message: (catalogue, glossary)"


def test_no_vietnamese_message_says_a_word_ruled_out():
    _terms, banned = _glossary()
    found = [f"{word!r} in {message!r}: {text!r}" for message, text in _vietnamese().items()
             for word in banned if word.casefold() in text.casefold()]
    assert found == []


def test_no_template_or_code_says_a_word_ruled_out():
    """Vietnamese written straight into a template, a script or the code (the DOCX's headings, the plan's seed)."""
    _terms, banned = _glossary()
    found = []
    for folder, pattern in (("templates", "*.html"), ("webapp", "*.py"), ("static/js", "*.js")):
        for path in sorted((ROOT / folder).rglob(pattern)):
            text = path.read_text(encoding="utf-8").casefold()
            found += [f"{path.relative_to(ROOT)}: {word!r}" for word in banned if word.casefold() in text]
    assert found == []
