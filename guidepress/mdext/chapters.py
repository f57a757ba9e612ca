"""Wrap each chapter (an h1 and what follows it) in a <section>, so that the layout can
address one chapter: tighten it by a hair when its last page would hold only a few lines."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from .ids import chapter_id


class ChapterTreeprocessor(Treeprocessor):
    """Group top-level elements into `section.chapter` elements, one per h1."""

    def run(self, root: etree.Element) -> None:
        children = list(root)
        if not any(child.tag == "h1" for child in children):
            return
        for child in children:
            root.remove(child)
        section = None
        number = 0
        for child in children:
            if child.tag == "h1" or section is None:
                number += 1
                section = etree.SubElement(root, "section",
                                           {"class": "chapter", "id": chapter_id(number)})
            section.append(child)


class ChapterExtension(Extension):
    """Chapters as sections."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.registerExtension(self)
        # Last of all tree changes ('prettify' is 10), after footnotes and links are settled.
        md.treeprocessors.register(ChapterTreeprocessor(md), "chapters", 9)
