"""Validating and re-encoding images uploaded by merchants (shop photos, product pictures).

The content decides, never the name or the browser's type: Pillow must read a
PNG, JPEG or WebP image of at most 5 MB and 25 megapixels; markup hidden in the
file (an HTML/PNG polyglot, an SVG) is refused; the pixels are then re-encoded,
which drops any trailing payload and metadata (EXIF with GPS position included).
"""
from __future__ import annotations

import io
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000
FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
_MARKUP = re.compile(rb"<\s*(?:html|script|svg|body|iframe|!doctype|\?xml|head|img|a\s)", re.IGNORECASE)

NOT_AN_IMAGE = "Ce fichier n'est pas une image PNG, JPEG ou WebP."


def image_validated(*, upload) -> ContentFile:
    """Return a re-encoded copy of ``upload`` or raise ``ValidationError`` (French message)."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError("L'image dépasse 5 Mo.", code="too_large")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError("L'image dépasse 5 Mo.", code="too_large")
    if _MARKUP.search(data):
        raise ValidationError(
            "Ce fichier contient du code (HTML ou SVG) : seules les images PNG, JPEG ou WebP sont acceptées.",
            code="markup",
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in FORMATS:
                raise ValidationError(NOT_AN_IMAGE, code="format")
            if width * height > MAX_PIXELS:
                raise ValidationError("L'image dépasse 25 mégapixels.", code="too_many_pixels")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            if kind == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, format=kind, **({"quality": 88} if kind in ("JPEG", "WEBP") else {}))
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise ValidationError(NOT_AN_IMAGE, code="format") from None
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(upload.name or "image").stem)[:60].strip("-") or "image"
    return ContentFile(out.getvalue(), name=f"{stem}.{FORMATS[kind]}")
