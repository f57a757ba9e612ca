"""Layout checks that read a built PDF: what a careful reader would notice, found by rule."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2
from pypdf import PdfReader

from guidepress.artifacts import PAGE_MARGINS_MM
from pdfcheck import outline

MM = 72 / 25.4
#: The guide pages' margins in points: (sides, top, bottom).
MARGINS = {paper: (sides * MM, vertical * MM, vertical * MM)
           for paper, (vertical, sides) in PAGE_MARGINS_MM.items()}


def margins(reader: PdfReader) -> tuple[float, float, float]:
    """The margins of a document's pages, by its paper size."""
    width = float(reader.pages[0].mediabox.width)
    return MARGINS["letter" if abs(width - 612) < 1 else "a4"]


@dataclass
class Line:
    """One run of text on a page, in PDF points (origin bottom left)."""

    left: float
    bottom: float
    right: float
    top: float
    text: str


def page_lines(path: Path) -> list[list[Line]]:
    """The text lines of every page."""
    document = pypdfium2.PdfDocument(str(path))
    pages = []
    for page in document:
        textpage = page.get_textpage()
        lines = []
        for index in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(index)
            lines.append(Line(left, bottom, right, top,
                              textpage.get_text_bounded(left, bottom, right, top)))
        pages.append(lines)
    document.close()
    return pages


def _squash(text: str) -> str:
    return "".join(text.split())


def headings_at_page_end(path: Path) -> list[str]:
    """Headings (from the bookmarks) with no text after them on their page."""
    reader = PdfReader(str(path))
    bottom_margin = margins(reader)[2]
    pages = page_lines(path)
    problems = []
    for _, title, page in outline(reader):
        lines = pages[page - 1]
        # The heading's own lines are those that spell part of its title.
        own = [ln for ln in lines if _squash(ln.text) and _squash(ln.text) in _squash(title)]
        if not own:
            continue
        bottom = min(ln.bottom for ln in own)
        below = [ln for ln in lines if ln.top < bottom - 0.5 and ln.bottom > bottom_margin - 1
                 and _squash(ln.text)]
        if not below:
            problems.append(f"page {page}: '{title}' ends the page")
    return problems


def text_outside_the_content_box(path: Path, skip: tuple[int, ...] = (1,)) -> list[str]:
    """Text running past the side margins, or off the top or bottom of the page."""
    reader = PdfReader(str(path))
    width = float(reader.pages[0].mediabox.width)
    height = float(reader.pages[0].mediabox.height)
    side = margins(reader)[0]
    problems = []
    for number, lines in enumerate(page_lines(path), start=1):
        if number in skip:
            continue
        for line in lines:
            if not line.text.strip():
                continue
            if line.left < side - 1.5 or line.right > width - side + 1.5:
                problems.append(f"page {number}: '{line.text.strip()[:40]}' runs into the side "
                                f"margin ({line.left:.0f}-{line.right:.0f} pt)")
            elif line.bottom < 6 * MM or line.top > height - 6 * MM:
                problems.append(f"page {number}: '{line.text.strip()[:40]}' is off the page")
    return problems


def nearly_empty_pages(path: Path, minimum: float = 0.2, chapter_end: float = 0.25) -> list[str]:
    """Pages less than `minimum` full; a chapter's last page may be emptier, down to
    `chapter_end` (a page holding a lone box or a few lines looks like a mistake)."""
    reader = PdfReader(str(path))
    height = float(reader.pages[0].mediabox.height)
    _, top_margin, bottom_margin = margins(reader)
    top, bottom = height - top_margin, bottom_margin
    chapter_starts = {page for level, _, page in outline(reader) if level == 1}
    pages = page_lines(path)
    problems = []
    for number in range(3, len(pages)):  # not the cover, contents or back page
        last_of_chapter = number + 1 in chapter_starts or number + 1 == len(pages)
        if last_of_chapter and number in chapter_starts:
            continue  # a one-page chapter: however short, nothing can fill it
        body = [ln for ln in pages[number - 1] if ln.text.strip() and bottom - 1 < ln.bottom
                and ln.top < top + 1]
        lowest = min((ln.bottom for ln in body), default=top)
        fill = (top - lowest) / (top - bottom)
        if fill < (chapter_end if last_of_chapter else minimum):
            where = " (the end of a chapter)" if last_of_chapter else ""
            problems.append(f"page {number} is only {fill:.0%} full{where}")
    return problems
