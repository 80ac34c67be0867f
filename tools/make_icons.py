"""Draw the app's PNG icons (192 and 512 px, plain and maskable) with the standard library only.

Usage: python tools/make_icons.py   (writes static/icons/icon-192.png, icon-512.png, maskable-192.png, maskable-512.png)
The drawing is the brand-green square with a white open notebook; the maskable ones keep it inside the safe zone.
"""

import struct
import zlib
from pathlib import Path

BRAND = (11, 93, 71)
WHITE = (255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "static" / "icons"


def png(size: int, pixel) -> bytes:
    rows = b"".join(b"\x00" + bytes(c for x in range(size) for c in pixel(x / size, y / size)) for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def notebook(scale: float):
    """A pixel function: two white pages with a green spine and lines, `scale` of the icon's width."""
    lo, hi = 0.5 - scale / 2, 0.5 + scale / 2

    def pixel(x: float, y: float):
        if not (lo <= x <= hi and lo + scale * 0.1 <= y <= hi - scale * 0.1):
            return BRAND
        u = (x - lo) / scale
        v = (y - lo) / scale
        if abs(u - 0.5) < 0.03:
            return BRAND  # the spine
        if 0.12 < (u % 0.5) < 0.4 and 0.25 < v < 0.8 and (v * 10) % 1.4 < 0.35:
            return (170, 200, 190)  # ruled lines
        return WHITE

    return pixel


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        (OUT / f"icon-{size}.png").write_bytes(png(size, notebook(0.72)))
        (OUT / f"maskable-{size}.png").write_bytes(png(size, notebook(0.56)))  # inside the 80 % safe circle
    print("icons written to", OUT)


if __name__ == "__main__":
    main()
