"""Markdown to HTML for guides, and the checks that need the converted document."""

from __future__ import annotations

import html as htmllib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown import Markdown
from markdown.extensions.codehilite import CodeHiliteExtension
from markdown.extensions.toc import TocExtension

from .config import Site
from .errors import Collector
from .glossary import Glossary
from .guides import Guide
from .mdext.callouts import KINDS, OPENER_RE, CalloutExtension
from .mdext.chapters import ChapterExtension
from .mdext.figures import FigureExtension
from .mdext.glossary_links import TERM_RE, GlossaryLinkExtension
from .mdext.links import LinkExtension, LinkReport
from .mdext.page_footnotes import PageFootnoteExtension

_ID_RE = re.compile(r'\bid="([^"]+)"')


@dataclass
class Converted:
    """A guide's body as HTML, with what it contains."""

    html: str
    toc: list[dict]                       # Python-Markdown toc tokens, nested
    ids: set[str]
    uses: Counter                         # glossary slug -> number of links
    links: LinkReport
    unknown_terms: list[str] = field(default_factory=list)


def make_markdown(glossary: Glossary, site: Site,
                  colours: dict[str, str] | None = None) -> Markdown:
    """Return a converter with the standard extensions and ours."""
    return Markdown(extensions=[
        "tables", "fenced_code", "footnotes", "admonition", "attr_list", "sane_lists",
        "smarty",
        CodeHiliteExtension(css_class="highlight", guess_lang=False),
        TocExtension(permalink=False, toc_depth="1-3"),
        GlossaryLinkExtension(glossary.resolve),
        CalloutExtension(colours),
        FigureExtension(),
        PageFootnoteExtension(),
        LinkExtension(site.url_of_guide),
        ChapterExtension(),
    ], output_format="html")


def convert(text: str, glossary: Glossary, site: Site,
            colours: dict[str, str] | None = None) -> Converted:
    """Convert Markdown to HTML and collect headings, glossary uses and links.

    `colours` gives each callout kind's icon colour (see tokens.py).
    """
    md = make_markdown(glossary, site, colours)
    html = md.convert(text)
    terms = next(e for e in md.registeredExtensions if isinstance(e, GlossaryLinkExtension))
    links = next(e for e in md.registeredExtensions if isinstance(e, LinkExtension))
    return Converted(html, _plain_names(md.toc_tokens), set(_ID_RE.findall(html)), terms.uses,
                     links.report, terms.unknown)


def _plain_names(tokens: list[dict]) -> list[dict]:
    """Heading names as plain text: the toc keeps smarty's entities (&rsquo;) in them."""
    for token in tokens:
        token["name"] = htmllib.unescape(token["name"])
        _plain_names(token["children"])
    return tokens


def check_guide(guide: Guide, converted: Converted, glossary: Glossary,
                others: dict[str, Converted], root: Path, problems: Collector) -> None:
    """Report unknown terms and callouts, bad images and broken links, each at its line."""
    _check_terms(guide, converted, glossary, problems)
    _check_callouts(guide, problems)
    _check_images(guide, converted.links, root, problems)
    _check_links(guide, converted, others, problems)


def _where(guide: Guide, needle: str) -> list[tuple[str, int, int]]:
    """Every (file, line, column) where `needle` occurs in the guide's body."""
    found = []
    for number, line in enumerate(guide.body.split("\n"), start=1):
        start = line.find(needle)
        while start != -1:
            path, file_line = guide.locate(number)
            found.append((path, file_line, start + 1))
            start = line.find(needle, start + 1)
    return found


def _report(guide: Guide, needle: str, message: str, problems: Collector) -> None:
    """Record a problem at every occurrence of `needle`, or at the guide when it is not found."""
    places = _where(guide, needle) if needle else []
    for path, line, col in places:
        problems.add(path, line, message, col)
    if not places:
        problems.add(guide.files[0], None, message)


def _check_terms(guide: Guide, converted: Converted, glossary: Glossary,
                 problems: Collector) -> None:
    if not glossary.complete:
        return  # the glossary's own parse error is reported; don't blame every link
    unknown = set(converted.unknown_terms)
    for number, line in enumerate(guide.body.split("\n"), start=1):
        for match in TERM_RE.finditer(line):
            name = match.group(1).strip()
            if name not in unknown:
                continue
            hint = glossary.suggest(name)
            tip = f" (did you mean '{hint}'?)" if hint else ""
            path, file_line = guide.locate(number)
            problems.add(path, file_line, f"unknown glossary term '{name}'{tip}", match.start() + 1)


def _check_callouts(guide: Guide, problems: Collector) -> None:
    in_fence = False
    for number, line in enumerate(guide.body.split("\n"), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        match = None if in_fence else OPENER_RE.match(line)
        if match and match.group(1) not in KINDS:
            path, file_line = guide.locate(number)
            problems.add(path, file_line, f"unknown callout kind '{match.group(1)}' "
                                          f"(expected one of: {', '.join(KINDS)})")


def _check_images(guide: Guide, links: LinkReport, root: Path, problems: Collector) -> None:
    for src, alt in links.images:
        needle = f"]({src}"
        if urlsplit(src).scheme or src.startswith("//"):
            _report(guide, needle, f"image '{src}' is not a file in the content root; "
                                   f"download it into the guide's folder", problems)
            continue
        target = (guide.directory / unquote(src)).resolve()
        if not target.is_relative_to(root.resolve()):
            _report(guide, needle, f"image '{src}' is outside the content root", problems)
        elif not target.is_file():
            _report(guide, needle, f"image '{src}' does not exist", problems)
        if not alt.strip():
            _report(guide, needle, f"image '{src}' has no alt text: describe it in ![...]",
                    problems)


def _check_links(guide: Guide, converted: Converted, others: dict[str, Converted],
                 problems: Collector) -> None:
    for anchor in converted.links.anchors:
        if anchor not in converted.ids:
            _report(guide, f"(#{anchor}", f"broken link '#{anchor}': no heading has that id",
                    problems)
    for href, slug, fragment in converted.links.guides:
        if slug not in others:
            _report(guide, f"({href}", f"broken link '{href}': there is no guide '{slug}'",
                    problems)
        elif fragment and fragment not in others[slug].ids:
            _report(guide, f"({href}", f"broken link '{href}': guide '{slug}' has no heading "
                                       f"with id '{fragment}'", problems)
    for href in converted.links.other:
        _report(guide, f"({href}", f"link '{href}' is not a heading (#id), another guide "
                                   f"(slug.md) or a web address", problems)
