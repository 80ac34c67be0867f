"""Fill Vietnamese translations from a JSON file {"English msgid": "Tiếng Việt"}, after `sotay translate`.

Usage: python tools/po_fill.py vi.json   (prints the msgids still untranslated; exit 1 when any remain)
The JSON may also hold plural entries as {"msgid": ["singular", "plural"]}; Vietnamese has one form.
"""

import json
import sys
import unicodedata
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "translations" / "vi" / "LC_MESSAGES" / "messages.po"


def main(paths: list[str]) -> int:
    mapping: dict = {}
    for path in paths:
        mapping.update(json.loads(Path(path).read_text(encoding="utf-8")))
    with PO.open("rb") as f:
        catalogue = read_po(f, locale="vi")
    missing = []
    for message in catalogue:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key in mapping:
            value = mapping[key]
            value = value[0] if isinstance(value, list) else value
            value = unicodedata.normalize("NFC", value)
            message.string = (value,) if isinstance(message.id, tuple) else value
            message.flags.discard("fuzzy")
        current = message.string[0] if isinstance(message.string, tuple) else message.string
        if not current:
            missing.append(key)
    with PO.open("wb") as f:
        write_po(f, catalogue, width=120, omit_header=False, sort_output=True)
    for key in missing:
        print("untranslated:", json.dumps(key, ensure_ascii=False))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
