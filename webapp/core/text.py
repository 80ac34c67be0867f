"""Text helpers: Unicode NFC for everything stored, and an accent-free form for searching."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def clean(value: str | None) -> str:
    """NFC, trimmed, inner runs of white space folded to one space."""
    if value is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def clean_lines(value: str | None) -> str:
    """Text of several lines (a textarea): NFC, each line cleaned as `clean` does, its line breaks kept (one empty
    line at most between paragraphs), trimmed."""
    if value is None:
        return ""
    lines = [clean(line) for line in unicodedata.normalize("NFC", value).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def fold(value: str | None) -> str:
    """Lower case without diacritics ("Mường Khương" -> "muong khuong"), the key that searches compare."""
    decomposed = unicodedata.normalize("NFD", clean(value).replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def like_pattern(query: str) -> str:
    """A LIKE pattern that finds the folded query anywhere, with LIKE's wildcards taken literally."""
    escaped = fold(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
