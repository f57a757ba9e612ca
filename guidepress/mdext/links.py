"""Record every address, image and id a guide puts in its PDF, from Markdown and from raw HTML,
and point links to other guides at their published PDF.

Nothing is judged here: convert.py checks what is recorded, each at its line. What counts:
links (<a href>), images (<img src>), every other attribute that names something to read
(src, srcset, data, poster, <link href>, url(...) in a style...), and ids and anchor names.
"""

from __future__ import annotations

import html as htmllib
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Callable

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

#: A link to another guide of the catalogue, as authors write it: `claude.md`, `./claude.md`,
#: `../guides/claude.md`, `guides/claude/` or `../claude/index.md`, with an optional #heading.
#: Group 1 is the slug; whether such a guide exists is checked after conversion.
_GUIDE_LINK_RE = re.compile(
    r"^(?:\./)?(?:\.\./)*(?:guides/)?([a-z0-9][a-z0-9-]*)(?:\.md|/(?:index\.md)?)(?:#(.*))?$")
_EXTERNAL_RE = re.compile(r"^(?:https?:|mailto:)", re.IGNORECASE)
_CSS_URL_RE = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))|@import\s+["']([^"']*)""",
                         re.IGNORECASE)

#: Attributes whose value is an address that a reader or the renderer would follow or read.
URL_ATTRIBUTES = frozenset({
    "href", "src", "srcset", "data", "action", "formaction", "poster", "background", "cite",
    "longdesc", "xlink:href", "ping", "codebase", "manifest", "icon", "lowsrc", "dynsrc",
    "archive", "classid", "profile", "usemap"})


@dataclass(frozen=True)
class Resource:
    """Something other than a link or an image that names a file: <{tag} {attribute}=value>."""

    tag: str
    attribute: str
    value: str
    raw: bool = True


@dataclass
class LinkReport:
    """What a document links to, shows and names, for validation after conversion."""

    anchors: list[str] = field(default_factory=list)          # '#id' links
    guides: list[tuple[str, str, str]] = field(default_factory=list)  # (href, slug, fragment)
    external: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)            # any other link: an error
    images: list[tuple[str, str]] = field(default_factory=list)  # (src, alt) from Markdown
    raw_images: list[tuple[str, str | None]] = field(default_factory=list)  # <img src alt>
    raw_links: list[str] = field(default_factory=list)        # <a href> in raw HTML
    resources: list[Resource] = field(default_factory=list)
    ids: list[tuple[str, bool]] = field(default_factory=list)  # (id or name, from raw HTML)
    refused_tags: list[str] = field(default_factory=list)     # raw tags a guide may not use


def plain_address(value: str) -> str:
    """An address as an author wrote it: Python-Markdown's encoded ampersands decoded."""
    if AMP_SUBSTITUTE in value:
        value = htmllib.unescape(value.replace(AMP_SUBSTITUTE, "&"))
    return value


def css_addresses(style: str) -> list[str]:
    """Every url(...) and @import address in a piece of CSS."""
    return [next(g for g in match.groups() if g is not None)
            for match in _CSS_URL_RE.finditer(style)]


class LinkTreeprocessor(Treeprocessor):
    """Classify links and images; rewrite `other-guide.md#x` to the guide's URL."""

    def __init__(self, md: Markdown, extension: "LinkExtension"):
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        report = self.extension.report
        ours = self.extension.generated()
        for element in root.iter():
            if id(element) in ours:
                # A glossary link keeps its address and id, whatever {: ...} says.
                element.attrib.update(ours[id(element)])
                continue
            for value in dict.fromkeys(element.get(name) for name in ("id", "name")):
                if value and element.tag != "gp-footnote":  # a footnote's id is ours
                    report.ids.append((value, False))
            for name, value in list(element.attrib.items()):
                if element.tag == "img" and name == "src":
                    report.images.append((plain_address(value), element.get("alt", "")))
                elif element.tag == "a" and name == "href":
                    self._classify(element, report)
                elif name.lower() in URL_ATTRIBUTES:
                    for address in _addresses(name, value):
                        report.resources.append(Resource(element.tag, name, address, False))
                elif name.lower() == "style":
                    for address in css_addresses(value):
                        report.resources.append(Resource(element.tag, name, address, False))

    def _classify(self, link: etree.Element, report: LinkReport) -> None:
        href = plain_address(link.get("href", ""))
        if href.startswith("#"):
            report.anchors.append(href[1:])
        elif (match := _GUIDE_LINK_RE.match(href)):
            slug, fragment = match.group(1), match.group(2) or ""
            report.guides.append((href, slug, fragment))
            link.set("href", self.extension.guide_url(slug, fragment))
        elif _EXTERNAL_RE.match(href.strip()):
            report.external.append(href)
            link.set("class", (link.get("class", "") + " external").strip())
        else:
            report.other.append(href)


class RawHtmlReader(HTMLParser):
    """Read the raw HTML a guide holds (Python-Markdown keeps it aside, untouched) and record
    its links, images, other addresses and ids in a LinkReport."""

    #: Tags that would change the whole document, not show something in it.
    REFUSED = frozenset({"base", "meta", "html", "head", "body"})

    def __init__(self, report: LinkReport):
        super().__init__(convert_charrefs=True)
        self.report = report
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        report = self.report
        values = {name.lower(): value or "" for name, value in attrs}
        if tag in self.REFUSED:
            report.refused_tags.append(tag)
        for value in dict.fromkeys(values.get(name) for name in ("id", "name")):
            if value:
                report.ids.append((value, True))
        if tag == "img":
            report.raw_images.append((values.get("src", ""), values.get("alt")))
        for name, value in values.items():
            if (tag, name) in (("a", "href"), ("area", "href")):
                report.raw_links.append(value)
            elif (tag, name) == ("img", "src"):
                continue
            elif name in URL_ATTRIBUTES:
                for address in _addresses(name, value):
                    report.resources.append(Resource(tag, name, address))
            elif name == "style":
                for address in css_addresses(value):
                    report.resources.append(Resource(tag, name, address))
        self.in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.in_style = False

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            for address in css_addresses(data):
                self.report.resources.append(Resource("style", "url", address))


def read_raw_html(pieces: list[str], report: LinkReport) -> None:
    """Record what the raw HTML pieces of a document link to, show and name."""
    for piece in pieces:
        reader = RawHtmlReader(report)
        reader.feed(piece)
        reader.close()


def _addresses(name: str, value: str) -> list[str]:
    """The addresses in one attribute: srcset holds several, each before its size."""
    if name.lower() != "srcset":
        return [value]
    return [part.split()[0] for part in value.split(",") if part.split()]


class LinkExtension(Extension):
    """Collect links and images into `report`; `guide_url(slug, fragment)` makes guide URLs.

    `generated()` gives the elements other extensions made (glossary links), by id(), with the
    attributes they must keep.
    """

    def __init__(self, guide_url: Callable[[str, str], str],
                 generated: Callable[[], dict[int, dict[str, str]]] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.guide_url = guide_url
        self.generated = generated or dict
        self.report = LinkReport()

    def reset(self) -> None:
        """Forget the previous document's links."""
        self.report = LinkReport()

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.registerExtension(self)
        # After 'page-footnotes' (12), which removes the footnote links, and after
        # 'attr_list' (see bounded.py), so that {: href=...} is seen as it will be printed.
        md.treeprocessors.register(LinkTreeprocessor(md, self), "link-report", 11)
