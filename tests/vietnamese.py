"""English left on a Vietnamese page: the catalogue's English messages (those Vietnamese translates differently), found
in a page's text or in a label built before any request's language was known."""

import html
import re
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

VI = Path(__file__).resolve().parent.parent / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


@cache
def english_phrases() -> tuple[str, ...]:
    """English messages of two words or more whose Vietnamese differs, and the fixed parts (three words or more) of
    messages with placeholders: what must not be read on a Vietnamese page."""
    with VI.open("rb") as f:
        catalogue = read_po(f)
    found = set()
    for message in catalogue:
        if not message.id:
            continue
        english = message.id if isinstance(message.id, str) else message.id[0]
        vietnamese = message.string if isinstance(message.string, str) else message.string[0]
        if not vietnamese or vietnamese == english:
            continue
        for part in PLACEHOLDER.split(english):
            part = " ".join(part.split()).strip(" .,:;()")
            words = part.split()
            if len(words) >= (3 if part != english.strip(" .,:;()") else 2) and re.search(r"[a-z]", part):
                found.add(part)
    return tuple(sorted(found, key=len, reverse=True))


@cache
def _pattern() -> re.Pattern:
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in english_phrases()) + r")(?![\w-])")


def english_in(text: str) -> list[str]:
    """The English messages found in a plain text."""
    return sorted(set(_pattern().findall(text)))


def page_text(body: str) -> str:
    """What a person reads on an HTML page: its text, and the labels of its controls (aria-label, placeholder, title,
    alt), one piece a line."""
    body = re.sub(r"(?is)<(script|style|template)\b.*?</\1>", " ", body)
    attributes = re.findall(r'\b(?:aria-label|placeholder|title|alt)="([^"]*)"', body)
    text = re.sub(r"(?s)<[^>]+>", "\n", body)
    return html.unescape("\n".join([text, *attributes]))
