"""Cover images for the downloads page: the first page of a PDF, rasterised by PDFium."""

from __future__ import annotations

from io import BytesIO

import pypdfium2

#: Wide enough for a card on a desktop and sharp on a phone's high-density screen.
COVER_WIDTH = 600


def cover_png(pdf: bytes, width: int = COVER_WIDTH) -> bytes:
    """Render the first page of a PDF to PNG bytes `width` pixels wide."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        image = page.render(scale=width / page.get_width()).to_pil().convert("RGB")
        buffer = BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()
    finally:
        document.close()
