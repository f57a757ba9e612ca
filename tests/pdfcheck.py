"""Read built PDFs as readers and tools see them: outline, contents, links, fonts, text."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

_CONTENTS_LINE = re.compile(r"^(.*?)[ .\u2026]*?(\d+)$")


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """Every bookmark as (level, title, page number), in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return found


def named_destination_pages(reader: PdfReader) -> dict[str, int]:
    """Every named destination (an element id) and the page it points to."""
    return {name: reader.get_destination_page_number(dest) + 1
            for name, dest in reader.named_destinations.items()}


def links(reader: PdfReader, page_number: int) -> list[dict]:
    """The link annotations of one page: {'dest': name} or {'uri': address}."""
    found = []
    for annot in reader.pages[page_number - 1].get("/Annots", []) or []:
        annot = annot.get_object()
        if annot.get("/Subtype") != "/Link":
            continue
        action = annot.get("/A")
        if action is not None and "/URI" in action:
            found.append({"uri": str(action["/URI"])})
        elif "/Dest" in annot:
            found.append({"dest": str(annot["/Dest"])})
    return found


def contents_entries(reader: PdfReader, page_number: int = 2) -> list[tuple[str, int]]:
    """(title, page) for each line of the contents page that ends in a number."""
    entries = []
    for line in reader.pages[page_number - 1].extract_text().splitlines():
        match = _CONTENTS_LINE.match(line.strip())
        if match and match.group(1).strip():
            entries.append((match.group(1).strip().rstrip(". "), int(match.group(2))))
    return entries


def fonts(reader: PdfReader) -> dict[str, bool]:
    """Every font used, by base name, and whether its program is embedded."""
    found: dict[str, bool] = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        font_dict = resources.get("/Font") or {}
        for ref in font_dict.values():
            font = ref.get_object()
            descriptor = None
            if "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            else:
                descriptor = font.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font.get("/BaseFont"))] = embedded
    return found


def text(reader: PdfReader, page_number: int) -> str:
    """The extracted text of one page."""
    return reader.pages[page_number - 1].extract_text()


def page_size(reader: PdfReader, page_number: int = 1) -> tuple[float, float]:
    """Width and height of a page in points."""
    box = reader.pages[page_number - 1].mediabox
    return round(float(box.width), 1), round(float(box.height), 1)


def open_pdf(path: Path) -> PdfReader:
    """Open a PDF."""
    return PdfReader(str(path))
