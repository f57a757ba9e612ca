"""Markdown to HTML for guides, and the checks that need the converted document."""

from __future__ import annotations

import bisect
import difflib
import functools
import html as htmllib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown import Markdown
from markdown.extensions.codehilite import CodeHiliteExtension
from markdown.extensions.smarty import SmartyExtension
from markdown.extensions.toc import TocExtension
from pymdownx.emoji import EmojiExtension, gemoji, to_alt
from pymdownx.magiclink import MagiclinkExtension
from pymdownx.tasklist import TasklistExtension
from pymdownx.tilde import DeleteSubExtension

from .authoring import check_authoring, check_callouts
from .config import Site
from .errors import Collector
from .glossary import Glossary
from .guides import Guide
from .featured import svg_token_message
from .images import image_problem
from .tokens import unknown_svg_tokens
from .typography import DOUBLE_QUOTES, primary_code
from .mdext.bounded import LT, MAX_TEXT, BoundedExtension
from .mdext.callouts import CalloutExtension, expand_prompts
from .mdext.chapters import ChapterExtension
from .mdext.figures import FigureExtension
from .mdext.gfm_lists import GfmListExtension
from .mdext.github import GithubExtension
from .mdext.glossary_links import TERM_RE, GlossaryLinkExtension
from .mdext.ids import RESERVED, is_reserved
from .mdext.links import LinkExtension, LinkReport, read_raw_html
from .mdext.page_footnotes import PageFootnoteExtension
from .mdext.paper import PaperExtension
from .mdext.prescan import Finding, prescan

_ID_RE = re.compile(r'\b(?:id|name)="([^"]+)"')
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")

TOO_DEEP = ("lists and quotes are nested too deeply here to be read (more than Python can "
            "follow): use fewer levels")
#: How many different places one guide's check looks for by reading the whole guide; past
#: this (thousands of different broken links), problems are reported at the guide's top.
MAX_SEARCHES = 500


@dataclass
class Converted:
    """A guide's body as HTML, with what it contains.

    `marked` is the HTML with a mark where each prompt goes (checks read it); `html`, made
    on first use, has the prompts highlighted (rendering reads it, once for every paper)."""

    marked: str
    toc: list[dict]                       # Python-Markdown toc tokens, nested
    ids: set[str]
    uses: Counter                         # glossary slug -> number of links
    links: LinkReport
    unknown_terms: list[str] = field(default_factory=list)
    #: what stopped the conversion (nothing was parsed): each at its line of the body
    findings: list[Finding] = field(default_factory=list)
    #: (what it is, its length, its text) for each text too long to parse
    long_texts: list[tuple[str, int, str]] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)  # each prompt's text, by its mark

    @functools.cached_property
    def html(self) -> str:
        """The body as rendered: every prompt highlighted in place of its mark."""
        return expand_prompts(self.marked, self.prompts)


def make_markdown(glossary: Glossary, site: Site, colours: dict[str, str] | None = None,
                  labels: dict[str, str] | None = None, lang: str | None = None) -> Markdown:
    """Return a converter with the standard extensions and ours; `labels` (the guide's
    language's, see layout.py) give the callout titles, and `lang` the quotation marks that
    straight quotes become (Spanish « », German „ “; typography.py, as for YAML text)."""
    titles = {key[len("callout_"):]: value for key, value in (labels or {}).items()
              if key.startswith("callout_")}
    terms = GlossaryLinkExtension(glossary.resolve)
    return Markdown(extensions=[
        "tables", "fenced_code", "footnotes", "admonition", "attr_list", "sane_lists",
        _smarty(lang), "md_in_html",
        # GitHub's ~~strikethrough~~ (one ~ stays a tilde) and task lists, drawn as boxes.
        DeleteSubExtension(subscript=False, smart_delete=True),
        TasklistExtension(custom_checkbox=True),
        GfmListExtension(),  # lists nested, started and spaced as on GitHub
        # Bare https://... and www. addresses are links; :rocket: is the emoji, as on GitHub.
        MagiclinkExtension(hide_protocol=False, repo_url_shortener=False),
        EmojiExtension(emoji_index=gemoji, emoji_generator=to_alt),
        GithubExtension(titles),
        CodeHiliteExtension(css_class="highlight", guess_lang=False),
        TocExtension(permalink=False, toc_depth="1-3"),
        terms,
        CalloutExtension(colours, titles),
        FigureExtension(),
        PaperExtension(),
        PageFootnoteExtension(),
        LinkExtension(site.url_of_guide, lambda: terms.created),
        ChapterExtension(),
        BoundedExtension(),  # last: it replaces and reorders parts of the others
    ], output_format="html", lazy_ol=False)  # an ordered list keeps its first number


def _smarty(lang: str | None):
    """Smart punctuation in `lang`'s double quotes; English's as Python-Markdown writes them."""
    primary = primary_code(lang)
    if primary not in DOUBLE_QUOTES:
        return "smarty"
    left, right = DOUBLE_QUOTES[primary]
    return SmartyExtension(substitutions={"left-double-quote": left,
                                          "right-double-quote": right})


def convert(text: str, glossary: Glossary, site: Site,
            colours: dict[str, str] | None = None,
            labels: dict[str, str] | None = None, lang: str | None = None) -> Converted:
    """Convert Markdown to HTML and collect headings, glossary uses and links.

    `colours` gives each callout kind's icon colour (see tokens.py). Text that is too deep or
    too long to parse (see prescan.py) is not parsed: its `findings` say why.
    """
    findings, deepest = prescan(text)
    if findings:
        return _unparsed(findings)
    md = make_markdown(glossary, site, colours, labels, lang)
    try:
        html = md.convert(text)
    except RecursionError:
        return _unparsed([Finding(deepest, TOO_DEEP)])
    terms = _extension(md, GlossaryLinkExtension)
    links = _extension(md, LinkExtension)
    read_raw_html([piece for piece in md.htmlStash.rawHtmlBlocks if isinstance(piece, str)],
                  links.report)
    ids = set(_ID_RE.findall(html)) | {value for value, _ in links.report.ids}
    return Converted(html, _plain_names(md.toc_tokens), ids, terms.uses, links.report,
                     [_plain(name) for name in terms.unknown],
                     long_texts=_extension(md, BoundedExtension).long_texts,
                     prompts=_extension(md, CalloutExtension).prompts)


def _extension(md: Markdown, kind: type):
    return next(e for e in md.registeredExtensions if isinstance(e, kind))


def _unparsed(findings: list[Finding]) -> Converted:
    return Converted("", [], set(), Counter(), LinkReport(), findings=findings)


def _short(value: str) -> str:
    """An address or id as a message shows it: long ones (a data: address) cut short."""
    return value if len(value) <= 100 else value[:97] + "..."


def _plain(text: str) -> str:
    """Text as the author wrote it: a '<' that opens nothing is marked while parsing."""
    return text.replace(LT, "<")


def _plain_names(tokens: list[dict]) -> list[dict]:
    """Heading names as plain text: the toc keeps smarty's entities (&rsquo;) in them."""
    for token in tokens:
        token["name"] = _plain(htmllib.unescape(token["name"]))
        _plain_names(token["children"])
    return tokens


def check_guide(guide: Guide, converted: Converted, glossary: Glossary,
                others: dict[str, Converted], root: Path, problems: Collector,
                tokens: dict[str, str] | None = None) -> None:
    """Report what stopped the conversion, unknown terms and callouts, reserved and repeated
    ids, bad images and files, and broken or unsafe links, each at its line."""
    where = Locator(guide, problems)
    for finding in converted.findings:
        path, line = guide.locate(finding.line)
        problems.add(path, line, finding.message, finding.col)
    check_callouts(guide.body, where)
    if converted.findings:
        return  # nothing was parsed: nothing else to check
    for noun, length, text in converted.long_texts:
        where.report([_snippet(text)], f"this {noun} is {length:,} characters long, more than "
                                       f"the limit of {MAX_TEXT:,}: split it into shorter "
                                       f"paragraphs (a blank line starts a new one)", every=False)
    check_authoring(guide.body, [start for start, _, _ in guide.segments], converted.marked,
                    where)
    _check_terms(guide, converted, glossary, where)
    _check_ids(converted, where)
    _check_images(guide, converted.links, root, where, tokens or {})
    _check_links(converted, others, where)
    _check_resources(guide, converted.links, root, where)


class Locator:
    """Finds where a problem's text stands in a guide's body, and reports it there.

    Each needle is looked for once, and link targets and attribute values are indexed in one
    pass over the body, so that many problems do not mean many readings of a long guide.
    """

    def __init__(self, guide: Guide, problems: Collector):
        self.guide = guide
        self.body = guide.body
        self.problems = problems
        self._line_starts: list[int] | None = None
        self._found: dict[str, list[int]] = {}
        self._targets: dict[str, list[int]] | None = None
        self._attributes: dict[tuple[str, str], list[int]] | None = None

    def add(self, offset: int | None, message: str) -> None:
        """Report `message` at an offset of the body (None: at the guide itself)."""
        if offset is None:
            self.problems.add(self.guide.files[0], None, message)
            return
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.body)]
        index = bisect.bisect_right(self._line_starts, offset) - 1
        path, line = self.guide.locate(index + 1)
        self.problems.add(path, line, message, offset - self._line_starts[index] + 1)

    def report(self, needles: list[str | tuple], message: str, every: bool = True) -> None:
        """Report `message` at every place of the first needle found (or at the first place
        only, unless `every`), or at the guide when no needle is found.

        A needle is a string, ("target", address) for the address of a Markdown link (the
        place of its '('), ("image", address) for a Markdown image (the ']' before it), or
        ("attribute", name, value) for name=value in raw HTML.
        """
        for needle in needles:
            places = self._places(needle)
            if places:
                for offset in places if every else places[:1]:
                    self.add(offset, message)
                return
        self.add(None, message)

    def line(self, body_line: int, message: str, col: int | None = None) -> None:
        """Report `message` at a line of the body."""
        path, line = self.guide.locate(body_line)
        self.problems.add(path, line, message, col)

    def _places(self, needle: str | tuple) -> list[int]:
        if isinstance(needle, tuple) and needle[0] == "target":
            return self._index_targets().get(needle[1], [])
        if isinstance(needle, tuple) and needle[0] == "image":  # at its ']', as in ![alt](
            return [offset - 1 for offset in self._index_targets().get(needle[1], [])]
        if isinstance(needle, tuple) and needle[0] == "image without alt":  # ![](, ![ ](
            return [offset - 1 for offset in self._index_targets().get(needle[1], [])
                    if _EMPTY_ALT_RE.search(self.body, max(0, offset - 40), offset - 1)]
        if isinstance(needle, tuple):
            return self._index_attributes().get((needle[1].lower(), needle[2]), [])
        if not needle:
            return []
        if needle not in self._found:
            if len(self._found) >= MAX_SEARCHES:
                return []
            found, start = [], self.body.find(needle)
            while start != -1:
                found.append(start)
                start = self.body.find(needle, start + 1)
            self._found[needle] = found
        return self._found[needle]

    def _index_targets(self) -> dict[str, list[int]]:
        """The address of every `](address` in the body, by address: the place of its '('."""
        if self._targets is None:
            self._targets = {}
            for match in _TARGET_RE.finditer(self.body):
                self._targets.setdefault(match.group(1), []).append(match.start() + 1)
        return self._targets

    def _index_attributes(self) -> dict[tuple[str, str], list[int]]:
        """Every name=value in the body, by (name, value as HTML reads it)."""
        if self._attributes is None:
            self._attributes = {}
            for match in _ATTRIBUTE_RE.finditer(self.body):
                value = next(g for g in match.groups()[1:] if g is not None)
                key = (match.group(1).lower(), htmllib.unescape(value))
                self._attributes.setdefault(key, []).append(match.start())
        return self._attributes


#: The end of an image's empty alt text, just before its ']': `![` and only spaces.
_EMPTY_ALT_RE = re.compile(r"!\[[ \t]*$")
_TARGET_RE = re.compile(r"\]\([ \t]*<?([^\s)>]*(?:\([^\s)]*\)[^\s)>]*)*)")
_ATTRIBUTE_RE = re.compile(r"""([A-Za-z][\w:.-]*)[ \t]*=[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'"""
                           r"""|([^\s"'=<>`]+))""")


def _snippet(text: str) -> str:
    """The start of a long text, to find it by: up to its first line break or placeholder."""
    start = text.lstrip()
    for stop in ("\n", "\x02"):
        start = start.split(stop, 1)[0]
    return _plain(start[:60])


def _check_terms(guide: Guide, converted: Converted, glossary: Glossary,
                 where: Locator) -> None:
    if not glossary.complete or not converted.unknown_terms:
        return  # the glossary's own parse error is reported; don't blame every link
    unknown = set(converted.unknown_terms)
    hints: dict[str, str | None] = {}
    for match in TERM_RE.finditer(guide.body):
        name = match.group(1).strip()
        if name not in unknown:
            continue
        if name not in hints:
            # difflib is slow: hint at the first few hundred different names only
            hints[name] = glossary.suggest(name) if len(hints) < MAX_SEARCHES else None
        where.add(match.start(), glossary.unknown(name, hints[name]))


def _check_ids(converted: Converted, where: Locator) -> None:
    """An author's id may not take guidepress's reserved form, nor be given twice (a raw
    HTML id may not be a heading's either)."""
    links = converted.links
    given = Counter(value for value, _ in links.ids)
    set_in_markdown = {value for value, raw in links.ids if not raw}
    for value in _heading_ids(converted.toc) - set_in_markdown:
        if value in given:
            given[value] += 1
    reported = set()
    for value, raw in links.ids:
        if value in reported:
            continue
        reported.add(value)
        needles = [("attribute", "id", value), ("attribute", "name", value), value] if raw \
            else [f"#{value}", ("attribute", "id", value), value]
        if is_reserved(value):
            where.report(needles, f"id '{_short(value)}' is one that guidepress keeps for its "
                                  f"own pages (ids starting '{RESERVED}'): choose another id")
        elif given[value] > 1:
            where.report(needles, f"id '{_short(value)}' is given to {given[value]} places: give "
                                  f"each its own id, or links to it go to the first")
    for tag in dict.fromkeys(links.refused_tags):
        where.report([f"<{tag}"], f"raw HTML <{tag}> belongs to a whole web page, not to a "
                                  f"guide: delete it")


def _heading_ids(tokens: list[dict]) -> set[str]:
    found = set()
    for token in tokens:
        found.add(token["id"])
        found |= _heading_ids(token["children"])
    return found


def _check_images(guide: Guide, links: LinkReport, root: Path, where: Locator,
                  tokens: dict[str, str]) -> None:
    # Each image once, however often it is shown: its problems are reported at every place.
    shown = {(src, not (alt or "").strip(), True): None for src, alt in links.images}
    shown.update({(src, not (alt or "").strip(), False): None for src, alt in links.raw_images})
    checked: set[tuple[str, bool]] = set()
    for src, no_alt, in_markdown in shown:
        needles = [("image", src), f"]({src}", src] if in_markdown else \
            [("attribute", "src", src), src]
        syntax = "![...]" if in_markdown else 'alt="..."'
        src = _plain(src)
        if (src, in_markdown) not in checked:
            checked.add((src, in_markdown))
            problem = _file_problem(guide, src, root)
            if problem:
                where.report(needles, f"image '{_short(src)}' {problem}")
            elif tokens:
                _check_svg_colours(guide.directory / unquote(urlsplit(src).path), root,
                                   tokens, where.problems)
        if no_alt:
            # Only where it is shown without alt text, when the same image also has some.
            bare = [("image without alt", needles[0][1])] if in_markdown else []
            where.report(bare + needles, f"image '{_short(src)}' has no alt text: describe "
                                         f"it in {syntax}")


def _check_svg_colours(path: Path, root: Path, tokens: dict[str, str],
                       problems: Collector) -> None:
    """Each `var(--name)` colour of an SVG figure must be a brand token: reported at the
    SVG file's own line."""
    if path.suffix.lower() != ".svg":
        return
    shown = path.resolve().relative_to(root.resolve()).as_posix()
    text = path.read_text(encoding="utf-8", errors="replace")
    for line, name in unknown_svg_tokens(text, tokens):
        problems.add(shown, line, svg_token_message(name, tokens))


def _file_problem(guide: Guide, address: str, root: Path, image: bool = True) -> str | None:
    """What is wrong with an image or file a guide names, or None: it must be a file inside
    the content root and, for an image, a good one."""
    address = address.strip()
    if not address:
        return "has no address: name a file next to the guide"
    if _SCHEME_RE.match(address) or address.startswith("//"):
        return "is not a file in the content root; download it into the guide's folder"
    target = (guide.directory / unquote(urlsplit(address).path)).resolve()
    if not target.is_relative_to(root.resolve()):
        return "is outside the content root"
    if not target.is_file():
        near = _near_file(guide.directory, unquote(urlsplit(address).path), root)
        return f"does not exist (did you mean '{near}'?)" if near else "does not exist"
    return image_problem(target, root) if image else None


def _near_file(start: Path, wanted: str, root: Path) -> str | None:
    """The file an author most likely meant by a path that names none: each part of the path
    matched without regard to case, else the closest name in its folder (as they wrote it,
    relative to `start`); None when nothing is close."""
    folder, written = start, []
    parts = [part for part in wanted.split("/") if part not in ("", ".")]
    for number, part in enumerate(parts):
        if part == "..":
            folder, written = folder.parent, written + [part]
            continue
        try:
            names = sorted(entry.name for entry in folder.iterdir()
                           if (entry.is_file() if number == len(parts) - 1 else entry.is_dir()))
        except OSError:
            return None
        same = [name for name in names if name.casefold() == part.casefold()]
        close = same or difflib.get_close_matches(part, names[:2000], n=1, cutoff=0.75)
        if not close:
            return None
        folder, written = folder / close[0], written + [close[0]]
    if not folder.resolve().is_relative_to(root.resolve()) or not folder.is_file():
        return None
    return "/".join(written)


def _check_links(converted: Converted, others: dict[str, Converted], where: Locator) -> None:
    links = converted.links
    for anchor in dict.fromkeys(links.anchors):
        needles = [("target", f"#{anchor}"), f"(#{anchor}", f"#{anchor}"]
        if anchor not in converted.ids:
            where.report(needles, f"broken link '#{_short(anchor)}': no heading has that id")
    for href, slug, fragment in dict.fromkeys(links.guides):
        needles = [("target", href), f"({href}", href]
        if slug not in others:
            where.report(needles, f"broken link '{_short(href)}': there is no guide '{slug}'")
        elif fragment and fragment not in others[slug].ids:
            where.report(needles, f"broken link '{_short(href)}': guide '{slug}' has no "
                                  f"heading with id '{_short(fragment)}'")
    for href in dict.fromkeys(links.other):
        href = _plain(href)
        where.report([("target", href), f"({href}", f"<{href}>", href], _link_problem(href))
    for href in dict.fromkeys(links.raw_links):
        problem = _raw_link_problem(href, converted.ids)
        if problem:
            where.report([("attribute", "href", href), href], problem)


#: Elements whose addresses name pictures (or SVG), checked like images.
_IMAGE_TAGS = frozenset({"img", "image", "picture", "source", "object", "embed", "input",
                         "svg", "use", "feimage"})
_ALLOWED_LINKS = "a web address (https://...), an e-mail address (mailto:...), a heading (#id)"


def _link_problem(href: str) -> str:
    scheme = _SCHEME_RE.match(href.strip())
    if scheme:
        return (f"link '{_short(href)}' uses '{scheme.group(1)}:', which a PDF guide may not: "
                f"link to {_ALLOWED_LINKS} or another guide (slug.md)")
    return (f"link '{_short(href)}' points to a file, which a reader of the PDF cannot open: "
            "link to a web address (https://...), a heading (#id) or another guide (slug.md)")


def _raw_link_problem(href: str, ids: set[str]) -> str | None:
    address = href.strip()
    if re.match(r"^(?:https?:|mailto:)", address, re.IGNORECASE):
        return None
    if address.startswith("#"):
        if address[1:] in ids:
            return None
        return f"broken link '{_short(href)}': no heading has that id"
    scheme = _SCHEME_RE.match(address)
    if scheme:
        return (f"link '{_short(href)}' uses '{scheme.group(1)}:', which a PDF guide may not: "
                f"link to {_ALLOWED_LINKS}")
    return (f"link '{_short(href)}' in raw HTML is not {_ALLOWED_LINKS}: write links to other "
            f"guides in Markdown, [text](slug.md)")


def _check_resources(guide: Guide, links: LinkReport, root: Path, where: Locator) -> None:
    """Any other address a guide's HTML names (srcset, <object data>, url() in a style...)
    is read while rendering: it must be a good file inside the content root."""
    for resource in dict.fromkeys(links.resources):
        value = _plain(resource.value)
        image = resource.tag in _IMAGE_TAGS or resource.attribute.lower() in ("srcset", "poster")
        problem = _file_problem(guide, value, root, image)
        if problem:
            where.report([("attribute", resource.attribute, value), value],
                         f"'{_short(value)}' in <{resource.tag} {resource.attribute}> {problem}")
