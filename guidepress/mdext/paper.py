"""What the web shows with a browser's help, set for paper: an ordered list that starts at
another number keeps it (WeasyPrint ignores the `start` attribute). Task-list boxes are drawn
by guide.css from pymdownx.tasklist's markup."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor


class PaperTreeprocessor(Treeprocessor):
    """Turn `<ol start="3">` into a counter the renderer follows."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "ol" and (start := element.get("start", "")).lstrip("-").isdigit():
                style = element.get("style", "")
                element.set("style", f"counter-reset: list-item {int(start) - 1}; {style}".strip())


class PaperExtension(Extension):
    """Lists that print as they show on the web."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.registerExtension(self)
        # After 'inline' (20), before 'chapters' (9).
        md.treeprocessors.register(PaperTreeprocessor(md), "paper-lists", 14)
