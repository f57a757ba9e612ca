"""QR codes drawn as vector graphics, by segno."""

from __future__ import annotations

import segno


def qr_svg(data: str, colour: str = "#1f2430", title: str | None = None) -> str:
    """An inline SVG QR code of `data`, scaled by its container (medium error correction).
    `title` is its alternate text: the PDF's Figure takes it (without one the code would be
    drawn as decoration)."""
    code = segno.make(data, error="m", boost_error=False)
    return code.svg_inline(scale=1, border=2, dark=colour, omitsize=True, title=title)
