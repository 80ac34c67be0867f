"""Merge two versions of a catalogue (after a git merge conflict): every message of both, translated where either
side has a translation. Then run `sotay translate` to drop what the code no longer uses.

Usage: python tools/po_union.py OURS.po THEIRS.po OUT.po
"""

import sys

from babel.messages.pofile import read_po, write_po


def main(ours: str, theirs: str, out: str) -> None:
    with open(ours, "rb") as f:
        merged = read_po(f)
    with open(theirs, "rb") as f:
        other = read_po(f)
    for message in other:
        if not message.id:
            continue
        mine = merged.get(message.id)
        if mine is None:
            merged[message.id] = message
        elif not (mine.string if isinstance(mine.string, str) else any(mine.string)) and message.string:
            mine.string = message.string
    with open(out, "wb") as f:
        write_po(f, merged, width=120, sort_output=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
