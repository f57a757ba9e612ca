"""What GitHub shows that Python-Markdown does not, set for paper.

- Heading ids follow GitHub's rule, so that `#café-au-lait` copied from a GitHub page finds its
  heading: lower case; letters (of any script), marks, digits, `_`, `-` and spaces kept, spaces
  made hyphens, everything else dropped; a repeated id gets `-1`, `-2`... An id that would take
  guidepress's reserved form (`gp--`, see ids.py) starts `h-` instead.
- GitHub alerts (`> [!NOTE]` as a quote's first line) are our callouts: NOTE and IMPORTANT are
  notes, TIP a tip, WARNING and CAUTION warnings (IMPORTANT and CAUTION keep their own title).
- A blank line ends a quote: `> a`, a blank line, `> b` are two quotes (Python-Markdown
  would make them one).
- A backslash at the end of a line breaks the line, as two trailing spaces do.
- `<details>` is printed open, its Markdown rendered (md_in_html); its `<summary>` is styled as
  a heading-like line by guide.css.
- A `{...}` after a heading is an attribute list only when it reads as one (`{#id .class
  key=value}`); otherwise, as on GitHub, it is text (`## Set {x}` keeps "{x}").
"""

from __future__ import annotations

import html
import re
import unicodedata
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.blockprocessors import BlockQuoteProcessor
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.extensions.toc import remove_fnrefs, render_inner_html, strip_tags
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .ids import is_reserved

#: A GitHub alert's marker, alone on the first line of a quote (GitHub reads it in any case).
ALERT_RE = re.compile(r"^\[!([A-Za-z]+)\][ \t]*(?:\n|$)")
#: Each alert GitHub knows, as (our callout kind, title shown).
ALERTS: dict[str, tuple[str, str]] = {
    "NOTE": ("note", "Note"),
    "TIP": ("tip", "Tip"),
    "IMPORTANT": ("note", "Important"),
    "WARNING": ("warning", "Warning"),
    "CAUTION": ("warning", "Caution"),
}
#: A line that opens a <details> element, as an HTML block starts (at most three spaces in).
DETAILS_RE = re.compile(r"^( {0,3}<details)(?=[\s>])([^>]*)>", re.IGNORECASE)

_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_KEPT_PUNCTUATION = frozenset("-_ ")


def github_slug(text: str) -> str:
    """The id GitHub gives a heading with this text (before de-duplication)."""
    kept = []
    for char in unicodedata.normalize("NFC", text.strip()).lower():
        if char in _KEPT_PUNCTUATION or unicodedata.category(char)[0] in "LMN" \
                or unicodedata.category(char) == "Pc":
            kept.append("-" if char == " " else char)
    return "".join(kept)


class HeadingIdTreeprocessor(Treeprocessor):
    """Give each heading without an id GitHub's id for it; toc then keeps these ids."""

    def run(self, root: etree.Element) -> None:
        used = {element.get("id") for element in root.iter() if element.get("id")}
        counts: dict[str, int] = {}
        for element in root.iter():
            if element.tag not in _HEADING_TAGS or element.get("id"):
                continue
            name = html.unescape(strip_tags(render_inner_html(remove_fnrefs(element), self.md)))
            base = github_slug(name) or "section"
            if is_reserved(base):
                base = f"h-{base}"
            candidate = base
            while candidate in used:
                counts[base] = counts.get(base, 0) + 1
                candidate = f"{base}-{counts[base]}"
            used.add(candidate)
            element.set("id", candidate)


class AlertTreeprocessor(Treeprocessor):
    """Turn quotes that start with `[!NOTE]` (and the other alerts) into admonitions, which
    the callouts step then draws as our callouts. Runs before inline Markdown is parsed.
    `titles` gives IMPORTANT's and CAUTION's titles in the guide's language."""

    def __init__(self, md: Markdown, titles: dict[str, str]):
        super().__init__(md)
        self.titles = titles

    def run(self, root: etree.Element) -> None:
        for quote in list(root.iter("blockquote")):
            first = quote[0] if len(quote) else None
            if first is None or first.tag != "p" or not first.text:
                continue
            match = ALERT_RE.match(first.text)
            if not match or match.group(1).upper() not in ALERTS:
                continue
            kind, title = ALERTS[match.group(1).upper()]
            first.text = first.text[match.end():]
            if not first.text.strip() and not len(first):
                quote.remove(first)
            quote.tag = "div"
            quote.attrib.clear()
            quote.set("class", f"admonition {kind}")
            heading = etree.Element("p", {"class": "admonition-title"})
            # The callouts step shows the kind's own title when given its capitalised name.
            heading.text = kind.capitalize() if title == kind.capitalize() \
                else self.titles.get(title.lower(), title)
            quote.insert(0, heading)


class QuoteProcessor(BlockQuoteProcessor):
    """Python-Markdown's quotes, except that a quote never continues the one before it.

    Blocks are split at blank lines, so a block that starts with '>' always follows a blank
    line, which ends a quote in GitHub's Markdown: it starts a new quote.
    """

    def lastChild(self, parent: etree.Element) -> etree.Element | None:  # noqa: N802
        # Used by BlockQuoteProcessor.run only, to find a quote to continue.
        return None


class BackslashBreakProcessor(InlineProcessor):
    """A backslash right before a line's end is a line break (GitHub's hard line break)."""

    def handleMatch(self, m, data):  # noqa: N802
        return etree.Element("br"), m.start(0), m.end(0)


class DetailsPreprocessor(Preprocessor):
    """Mark each `<details>` for md_in_html and open it: paper cannot be clicked."""

    def run(self, lines: list[str]) -> list[str]:
        return [DETAILS_RE.sub(_open_details, line) for line in lines]


def _open_details(match: re.Match) -> str:
    attributes = match.group(2)
    if not re.search(r"\bmarkdown\s*=", attributes, re.IGNORECASE):
        attributes += ' markdown="1"'
    if not re.search(r"\bopen\b", attributes, re.IGNORECASE):
        attributes += " open"
    return f"{match.group(1)}{attributes}>"


#: One attribute in a list: #id, .class or key=value (value quoted or not).
_ATTRIBUTE = r"""(?:[#.][^\s{}#.="']+|[A-Za-z_][\w:.-]*=(?:"[^"\n]*"|'[^'\n]*'|[^\s{}"']+))"""
_STRICT_BASE = rf"\{{\:?[ ]*({_ATTRIBUTE}(?:[ ]+{_ATTRIBUTE})*)[ ]*\}}"


class StrictAttrListTreeprocessor(AttrListTreeprocessor):
    """attr_list, taking `{...}` only when everything in it is an attribute."""

    BASE_RE = _STRICT_BASE
    HEADER_RE = re.compile(rf"[ ]+{_STRICT_BASE}[ ]*$")
    BLOCK_RE = re.compile(rf"\n[ ]*{_STRICT_BASE}[ ]*$")
    INLINE_RE = re.compile(rf"^{_STRICT_BASE}")


class GithubExtension(Extension):
    """GitHub's heading ids, alerts, backslash line breaks and <details>; strict attr lists.

    Needs the attr_list, md_in_html and admonition-based callout extensions loaded first.
    `titles` maps a callout title's key (important, caution) to its words in the guide's
    language.
    """

    def __init__(self, titles: dict[str, str] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.titles = titles or {}

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.registerExtension(self)
        md.parser.blockprocessors.register(QuoteProcessor(md.parser), "quote", 20)
        # After fenced code is set aside (25), before md_in_html reads HTML blocks (20).
        md.preprocessors.register(DetailsPreprocessor(md), "github-details", 23)
        # Before the escape of a backslash (180) and after code spans (190).
        md.inlinePatterns.register(BackslashBreakProcessor(r"\\\n", md), "github-break", 185)
        # Before our callouts step (30), which draws admonitions.
        md.treeprocessors.register(AlertTreeprocessor(md, self.titles), "github-alerts", 31)
        # attr_list's own step is replaced, at its own place (8).
        md.treeprocessors.register(StrictAttrListTreeprocessor(md), "attr_list", 8)
        # After attr_list's ids and before smarty's dashes and quotes (bounded.py moves them to
        # 11.6 and 11.5: GitHub reads "--" as two hyphens), long before toc (5), which keeps an
        # id that is already set.
        md.treeprocessors.register(HeadingIdTreeprocessor(md), "github-ids", 11.55)
