"""Placeholder product pictures drawn locally with Pillow (no download)."""
from __future__ import annotations

import hashlib
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont


FONT_PATHS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "DejaVuSans-Bold.ttf")


def _font(size: int) -> ImageFont.FreeTypeFont:
    for path in FONT_PATHS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def placeholder_image(*, slug: str, label: str, size: int = 480) -> str:
    """Store (once) a square PNG for ``slug`` and return its storage name."""
    name = f"demo/{slug}.png"
    if default_storage.exists(name):
        return name
    digest = hashlib.sha256(slug.encode()).digest()
    background = (120 + digest[0] % 120, 110 + digest[1] % 120, 100 + digest[2] % 120)
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    font = _font(size // 12)
    words = label.split()
    lines = [" ".join(words[i : i + 2]) for i in range(0, len(words), 2)]
    y = size // 2 - len(lines) * size // 24
    for line in lines:
        width = draw.textlength(line, font=font)
        draw.text(((size - width) / 2, y), line, fill=(255, 255, 255), font=font)
        y += size // 11
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return default_storage.save(name, ContentFile(buffer.getvalue()))
