"""An image alone in its paragraph becomes a figure; its Markdown title is the caption."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor


class FigureTreeprocessor(Treeprocessor):
    """Wrap lone images in `<figure>` with a `<figcaption>`."""

    def run(self, root: etree.Element) -> None:
        for paragraph in list(root.iter("p")):
            if len(paragraph) != 1 or paragraph[0].tag != "img":
                continue
            image = paragraph[0]
            if (paragraph.text or "").strip() or (image.tail or "").strip():
                continue
            paragraph.tag = "figure"
            paragraph.text = None
            image.tail = None
            caption = image.attrib.pop("title", None)
            if caption:
                figcaption = etree.SubElement(paragraph, "figcaption")
                figcaption.text = caption


class FigureExtension(Extension):
    """Figures with captions."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.registerExtension(self)
        # After 'inline' (20), which creates the <img> elements.
        md.treeprocessors.register(FigureTreeprocessor(md), "figures", 15)
