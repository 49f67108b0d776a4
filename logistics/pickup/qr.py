"""QR codes of pickup codes, drawn locally with segno (no outside service)."""
from __future__ import annotations

import io

import segno


def _qr(code: str) -> segno.QRCode:
    # Only the code: a handheld scanner "types" it into the handover page's field.
    return segno.make(code, error="m", micro=False)


def qr_svg_inline(code: str, *, scale: int = 6) -> str:
    """An ``<svg>`` element to put in a page as is (no XML declaration)."""
    return _qr(code).svg_inline(scale=scale, border=2, title=f"Code de retrait {code}")


def qr_png(code: str, *, scale: int = 8) -> bytes:
    """PNG bytes, for e-mails (mail clients do not show inline SVG)."""
    buffer = io.BytesIO()
    _qr(code).save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()
