"""Validating and re-encoding images uploaded by merchants (shop photos, product pictures).

The decoder decides, never the name, the browser's type or a scan of the bytes:
Pillow must recognise a PNG, JPEG (a camera's multi-picture JPEG too) or WebP
image of at most ``MAX_BYTES`` and ``MAX_PIXELS``, and decode every pixel of it.
What is stored is then a new image made of those pixels only, encoded by Pillow:
nothing of the uploaded file survives but the picture. A payload hidden in it (HTML
or a script after the end of the image, in a JPEG comment, a PNG text chunk, EXIF,
XMP or an ICC profile; a ZIP/JAR glued to it) is left behind, and so is the
metadata (EXIF with the GPS position included).

Scanning the raw bytes for markup (what this module did before) refuses genuine
photos: compressed data is close to random, so a 2.5 MB JPEG contains ``<a `` or
``<img`` by chance more often than not. Files that are not such images (an SVG or
an HTML page renamed ``.jpg``, a GIF, a "GIFAR") are refused because Pillow does
not decode them as PNG, JPEG or WebP.

Before the metadata goes, what it says about the picture is applied: the EXIF
orientation (a phone held upright) and the colour profile (converted to sRGB).
"""
from __future__ import annotations

import io
import re
import struct
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 25_000_000
#: Formats accepted, as Pillow names what it decoded → (format written, file extension).
#: MPO is the JPEG that cameras and phones write with a preview picture after the main one.
#: HEIF (iPhones' HEIC) only where a Pillow plugin reads it (pillow-heif, not installed by default).
FORMATS = {
    "PNG": ("PNG", "png"), "JPEG": ("JPEG", "jpg"), "MPO": ("JPEG", "jpg"), "WEBP": ("WEBP", "webp"),
    "HEIF": ("JPEG", "jpg"),
}
#: ISO-BMFF brands of HEIC/HEIF files (bytes 8–12, after the "ftyp" box type).
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
QUALITY = 88

NOT_AN_IMAGE = "Ce fichier n'est pas une image PNG, JPEG ou WebP."
TOO_LARGE = "L'image dépasse 10 Mo."
TOO_MANY_PIXELS = "L'image dépasse 25 mégapixels."
HEIC_UNREADABLE = (
    "Les photos HEIC (le format des iPhone) ne sont pas acceptées : envoyez-la en JPEG "
    "(sur iPhone : Réglages › Appareil photo › Formats › « Le plus compatible »)."
)


def image_validated(*, upload) -> ContentFile:
    """Return a re-encoded copy of ``upload`` (pixels only) or raise ``ValidationError`` (French)."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            if kind not in FORMATS:
                raise _not_an_image(data)
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # decodes every pixel: a truncated or corrupt file fails here
            clean = _pixels_only(image)
        out_format, extension = FORMATS[kind]
        out = io.BytesIO()
        clean.save(out, format=out_format, **({"quality": QUALITY} if out_format in ("JPEG", "WEBP") else {}))
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise _not_an_image(data) from None
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(upload.name or "image").stem)[:60].strip("-") or "image"
    return ContentFile(out.getvalue(), name=f"{stem}.{extension}")


def _not_an_image(data: bytes) -> ValidationError:
    """The refusal, saying why when the file is a HEIC photo Pillow cannot read here (its
    signature only chooses the message; the decoder already refused the file)."""
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return ValidationError(HEIC_UNREADABLE, code="heic")
    return ValidationError(NOT_AN_IMAGE, code="format")


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new image holding ``image``'s pixels upright, in sRGB, as L, RGB or RGBA, and nothing
    else: its ``info`` (comment, EXIF, XMP, ICC profile, PNG text…) is empty, so the encoder
    has nothing of the upload to copy into the file it writes."""
    upright = _upright(image)
    if upright.mode in ("I", "I;16", "I;16B", "I;16L"):  # 16-bit grey PNG: 0–65535 → 0–255, not clipped
        upright = upright.convert("I").point(lambda value: value / 257)
    has_alpha = "A" in upright.getbands() or "transparency" in upright.info
    mode = "RGBA" if has_alpha else ("L" if upright.mode in ("1", "L", "I", "F") else "RGB")
    converted = _in_srgb(upright, mode=mode)
    clean = Image.new(mode, converted.size)
    clean.paste(converted)
    return clean


def _upright(image: Image.Image) -> Image.Image:
    """``image`` turned as its EXIF orientation says; as it is when its EXIF is unreadable
    (metadata that is dropped anyway must not refuse a picture Pillow decoded)."""
    try:
        return ImageOps.exif_transpose(image)
    except (SyntaxError, ValueError, TypeError, KeyError, OSError, struct.error):
        return image


def _in_srgb(image: Image.Image, *, mode: str) -> Image.Image:
    """``image`` in ``mode``, its colours converted from its embedded profile to sRGB when it has
    one (a phone's Display P3 picture would look dull once the profile is dropped)."""
    icc = image.info.get("icc_profile")
    if icc and mode != "L":
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if image.mode not in ("RGB", "RGBA", "CMYK"):
                image = image.convert(mode)
            return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unreadable profile: the pixels are kept as they are
    return image if image.mode == mode else image.convert(mode)
