"""Record every link and image, and point links to other guides at their published PDF."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from typing import Callable

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

_GUIDE_LINK_RE = re.compile(r"^([a-z0-9][a-z0-9-]*)\.md(?:#(.*))?$")
_EXTERNAL_RE = re.compile(r"^(?:https?:|mailto:)", re.IGNORECASE)


@dataclass
class LinkReport:
    """What a document links to, for validation after conversion."""

    anchors: list[str] = field(default_factory=list)          # '#id' links
    guides: list[tuple[str, str, str]] = field(default_factory=list)  # (href, slug, fragment)
    external: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)            # anything else: an error
    images: list[tuple[str, str]] = field(default_factory=list)  # (src, alt)


class LinkTreeprocessor(Treeprocessor):
    """Classify links and images; rewrite `other-guide.md#x` to the guide's URL."""

    def __init__(self, md: Markdown, extension: "LinkExtension"):
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        report = self.extension.report
        for element in root.iter():
            if element.tag == "img":
                report.images.append((element.get("src", ""), element.get("alt", "")))
            elif element.tag == "a" and "href" in element.attrib:
                self._classify(element, report)

    def _classify(self, link: etree.Element, report: LinkReport) -> None:
        href = link.get("href", "")
        if "term" in link.get("class", "").split():
            return
        if href.startswith("#"):
            report.anchors.append(href[1:])
        elif (match := _GUIDE_LINK_RE.match(href)):
            slug, fragment = match.group(1), match.group(2) or ""
            report.guides.append((href, slug, fragment))
            link.set("href", self.extension.guide_url(slug, fragment))
        elif _EXTERNAL_RE.match(href):
            report.external.append(href)
            link.set("class", (link.get("class", "") + " external").strip())
        else:
            report.other.append(href)


class LinkExtension(Extension):
    """Collect links and images into `report`; `guide_url(slug, fragment)` makes guide URLs."""

    def __init__(self, guide_url: Callable[[str, str], str], **kwargs):
        super().__init__(**kwargs)
        self.guide_url = guide_url
        self.report = LinkReport()

    def reset(self) -> None:
        """Forget the previous document's links."""
        self.report = LinkReport()

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.registerExtension(self)
        # After 'page-footnotes' (12), which removes the footnote links.
        md.treeprocessors.register(LinkTreeprocessor(md, self), "link-report", 11)
