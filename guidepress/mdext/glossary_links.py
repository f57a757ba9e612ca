"""`[[term]]` and `[[term|shown text]]`: link a word to the guide's glossary appendix."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections import Counter
from typing import Callable

from markdown import Extension, Markdown
from markdown.inlinepatterns import InlineProcessor

from .ids import term_id, use_id

#: One glossary link; group 1 is the term (slug or alias), group 2 the optional shown text.
#: Both are bounded, so that a line of '[[' is not searched to its end from each one.
TERM_PATTERN = r"\[\[([^\]|\n]{1,100}?)(?:\|([^\]\n]{1,300}?))?\]\]"
TERM_RE = re.compile(TERM_PATTERN)


class GlossaryLinkProcessor(InlineProcessor):
    """Turn `[[name|text]]` into a link to the term's appendix entry."""

    def __init__(self, pattern: str, extension: "GlossaryLinkExtension"):
        super().__init__(pattern)
        self.extension = extension

    def handleMatch(self, m: re.Match, data: str):  # noqa: N802 (Markdown's API)
        name, shown = m.group(1).strip(), m.group(2)
        text = shown.strip() if shown else name.replace("-", " ")
        slug = self.extension.resolve(name)
        if slug is None:
            self.extension.unknown.append(name)
            element = etree.Element("span", {"class": "term term-unknown"})
        else:
            self.extension.uses[slug] += 1
            number = self.extension.uses[slug]
            attributes = {"class": "term", "href": f"#{term_id(slug)}", "id": use_id(slug, number)}
            element = etree.Element("a", attributes)
            self.extension.created[id(element)] = attributes
        element.text = text
        return element, m.start(0), m.end(0)


class GlossaryLinkExtension(Extension):
    """Resolve glossary links with `resolve(name) -> slug | None` and count the uses."""

    def __init__(self, resolve: Callable[[str], str | None], **kwargs):
        super().__init__(**kwargs)
        self.resolve = resolve
        self.uses: Counter[str] = Counter()
        self.unknown: list[str] = []
        #: id() of each link element made, with the attributes it must keep
        self.created: dict[int, dict[str, str]] = {}

    def reset(self) -> None:
        """Forget the previous document's uses."""
        self.uses = Counter()
        self.unknown = []
        self.created = {}

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.registerExtension(self)
        # Above 'reference' (170) so that [[x]] is never read as a link; below
        # 'backtick' (190) so that code spans keep their brackets.
        md.inlinePatterns.register(GlossaryLinkProcessor(TERM_PATTERN, self), "glossary", 180)
