"""The one way an uploaded image is taken in, by every feature that takes one (the signed sheet of a gift round, a
forum consent paper, a delegate's badge photo): decoded, turned upright, shrunk to at most 1600 px and 300 KB and
encoded again as a JPEG, so nothing of the original file but its pixels is kept — no EXIF, so no GPS position, no
comment, no embedded thumbnail — then kept in the file store (core.files).

An image is refused before it is decoded when its header announces more pixels than a worker may decode within its
memory (about 200 MB): a JPEG is decoded at a fraction of its size (`draft`), so it may announce more."""

import io

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from . import files

SIDE = 1600  # longest side in pixels of a kept photo: a signed sheet stays readable
MAX_BYTES = files.MAX_FILE_BYTES
FORMATS = ("JPEG", "PNG", "WEBP")
# Pixels an image may announce, by format, so that taking it in adds at most about 100 MB to a worker (which then
# stays under about 200 MB): a PNG is decoded whole, and with transparency copied once more (8 to 9 bytes a pixel);
# WebP needs about twice that. A JPEG is decoded at 1/2 to 1/8 of its size (`draft`), so 40 megapixels, more than a
# phone's photo, decode to 10 at most.
MAX_PIXELS = {"JPEG": 40_000_000, "PNG": 8_000_000, "WEBP": 6_000_000}
CONTENT_TYPE = "image/jpeg"
# Pillow's own guard refuses only above 179 megapixels, without saying how many: this module's check, per format and
# before decoding, takes its place, so that the message can say how large the image is.
Image.MAX_IMAGE_PIXELS = None


class BadImage(ValueError):
    """Why an upload is not taken: "type" (not a JPEG, PNG or WebP image), "bomb" (too many pixels to decode) or
    "size" (cannot be made small enough)."""

    def __init__(self, reason: str, pixels: int = 0, most: int = 0):
        super().__init__(reason)
        self.reason, self.pixels, self.most = reason, pixels, most

    @property
    def message(self) -> str:
        """What to tell the person who sent it, in their language."""
        if self.reason == "bomb":
            return _("The image is too large to open (%(pixels)s megapixels, at most %(most)s). Nothing was saved.",
                     pixels=round(self.pixels / 1e6), most=round(self.most / 1e6))
        if self.reason == "size":
            return _("The photo cannot be made smaller than 300 KB; take it again with less around the sheet.")
        return _("The photo must be a JPEG, PNG or WebP image. Nothing was saved.")


TURNS = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
         5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
         8: Image.Transpose.ROTATE_90}  # EXIF orientation -> upright


def _decode(data: bytes) -> Image.Image:
    """The image's pixels, already shrunk to at most SIDE, upright; refused before decoding when too large."""
    with Image.open(io.BytesIO(data), formats=FORMATS) as original:  # reads the header only
        pixels, most = original.width * original.height, MAX_PIXELS[original.format]
        if pixels > most:
            raise BadImage("bomb", pixels, most)
        orientation = original.getexif().get(0x0112, 1)
        scale = SIDE / max(original.size)
        if scale < 1:  # a JPEG is decoded 2, 4 or 8 times smaller, still at least SIDE on its longest side
            original.draft("RGB", (int(original.width * scale) + 1, int(original.height * scale) + 1))
        image = original
        if image.mode not in ("RGB", "RGBA", "L"):  # palette, CMYK, 16-bit...: resized well only as RGB(A)
            alpha = "A" in image.mode or "transparency" in image.info
            image = image.convert("RGBA" if alpha else "RGB")
        image.thumbnail((SIDE, SIDE), Image.Resampling.LANCZOS)
        image = image.copy() if image is original else image
    if orientation in TURNS:
        image = image.transpose(TURNS[orientation])
    if image.mode == "RGBA":  # transparency over white, as on paper
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    return image


def clean(data: bytes) -> bytes:
    """Decode an uploaded image and encode it again as a JPEG of at most MAX_BYTES, its longest side at most SIDE,
    turned upright, with no metadata. Raises BadImage."""
    if not data:
        raise BadImage("type")
    try:
        image = _decode(data)
    except BadImage:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, KeyError, IndexError):
        raise BadImage("type") from None
    side = max(image.size)
    while True:
        shrunk = image.copy()
        shrunk.thumbnail((side, side), Image.Resampling.LANCZOS)
        shrunk.info = {}  # no comment, ICC profile or other metadata is carried into the new file
        for quality in (85, 75, 65, 55, 45):
            out = io.BytesIO()
            shrunk.save(out, "JPEG", quality=quality, optimize=True)
            if out.tell() <= MAX_BYTES:
                return out.getvalue()
        side = int(side * 0.8)
        if side < 400:
            raise BadImage("size")


def save(upload) -> files.Blob:
    """Clean an uploaded image (a werkzeug FileStorage or bytes) and keep it in the file store, in the session of
    the record that will name it by the returned blob's key. Raises BadImage; nothing is kept then."""
    data = clean(upload if isinstance(upload, bytes) else upload.read())
    return files.Blob(files.save(data, CONTENT_TYPE), CONTENT_TYPE, data)
