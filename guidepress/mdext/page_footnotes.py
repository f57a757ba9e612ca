"""Move footnotes from the end of the document to their call, for `float: footnote`."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.extensions.footnotes import NBSP_PLACEHOLDER


#: The id of the n-th footnote: NOTE_ID + n, in the form guidepress keeps for itself.
NOTE_ID = "gp--note-"


class PageFootnoteTreeprocessor(Treeprocessor):
    """Replace each footnote reference with a `gp-footnote.footnote` holding the note: an
    inline element of its own name, so that the PDF tags it as a Note (pdfua.tagging)."""

    def run(self, root: etree.Element) -> None:
        notes = _collect_notes(root)
        if not notes:
            return
        parents = {child: parent for parent in root.iter() for child in parent}
        number = 0
        for sup in list(root.iter("sup")):
            link = sup.find("a")
            if link is None or "footnote-ref" not in link.get("class", ""):
                continue
            note_id = link.get("href", "").lstrip("#")
            if note_id not in notes:
                continue
            number += 1
            # The id is the note's place in the PDF, where its call links to (pdfua.py).
            span = etree.Element("gp-footnote", {"class": "footnote",
                                                 "id": f"{NOTE_ID}{number}"})
            _copy_content(notes[note_id], span)
            span.tail = sup.tail
            parent = parents[sup]
            parent[list(parent).index(sup)] = span

    def __repr__(self) -> str:
        return "PageFootnoteTreeprocessor"


def _collect_notes(root: etree.Element) -> dict[str, etree.Element]:
    """Remove the footnote list from the tree; return each note's paragraph by id."""
    notes: dict[str, etree.Element] = {}
    for div in list(root.iter("div")):
        if div.get("class") != "footnote":
            continue
        for item in div.iter("li"):
            paragraph = item.find("p")
            if paragraph is not None:
                notes[item.get("id", "")] = paragraph
        for parent in root.iter():
            if div in list(parent):
                parent.remove(div)
                break
    return notes


def _copy_content(paragraph: etree.Element, target: etree.Element) -> None:
    """Copy a note's text and inline children, without the back-reference link."""
    target.text = paragraph.text or ""
    for child in paragraph:
        if "footnote-backref" in child.get("class", ""):
            # The footnotes extension puts a no-break space before the back-reference.
            if len(target):
                target[-1].tail = _strip_space(target[-1].tail or "")
            else:
                target.text = _strip_space(target.text)
            continue
        target.append(child)


def _strip_space(text: str) -> str:
    for space in (NBSP_PLACEHOLDER, "\xa0"):
        text = text.rstrip().removesuffix(space)
    return text.rstrip()


class PageFootnoteExtension(Extension):
    """Footnotes printed at the foot of the page."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.registerExtension(self)
        # After 'inline' (20) and 'footnote-duplicate' (15), before 'prettify' (10).
        md.treeprocessors.register(PageFootnoteTreeprocessor(md), "page-footnotes", 12)
