"""Keep Python-Markdown's work in proportion to the text, whatever the text.

Python-Markdown does some of its work again and again on the rest of a paragraph or block, so
that some inputs take time in the square of their length: 20,000 '[' on a line took 50 s, and
16,000 headings with no blank line between them 20 s. The fixes, all behind one extension:

- links and images: the brackets of a text are matched once, not scanned again from each
  '[' to the end (brackets nested more than 32 deep match nothing); the address in (...) is
  scanned up to 32 nested parentheses (as CommonMark does) and a title of 1,000 characters,
  so that no character is read more than a few dozen times;
- block patterns that search a whole block for a line (headings, rules, quotes, callouts,
  footnotes, link references) remember a block they found nothing in: what is left of it
  after its first lines is not searched again;
- a footnote call `[^label]` is looked for with a label of at most 200 characters and no
  '[' (Python-Markdown's pattern read from each '[^' to the end of the paragraph);
- a table is tested by its first two lines only, unless they look like a table;
- attribute lists and smart quotes run before the final tidy-up, which gives every element
  a line-break tail that Python-Markdown then looks up sibling by sibling; and attribute
  lists run before links are recorded, so that `{: href=...}` cannot slip past the link check;
- a paragraph, list item, table cell or heading longer than MAX_TEXT characters is not
  parsed for links and emphasis: it is reported (see `long_texts`);
- a '<' that opens a tag, comment or CDATA section that is never closed is text, as
  Python-Markdown prints it; but its HTML reader looks for the end of every such '<' up to
  the end of the guide (6,000 '<a ' took 29 s, 8,000 '<![CDATA[' 131 s). Such a '<' is
  marked as text (LT) before that reader runs, and written back as &lt; at the very end.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.extensions.tables import TableProcessor
from markdown.inlinepatterns import (IMAGE_LINK_RE, IMAGE_REFERENCE_RE, LINK_RE, REFERENCE_RE,
                                     ImageInlineProcessor, ImageReferenceInlineProcessor,
                                     LinkInlineProcessor, ReferenceInlineProcessor,
                                     ShortImageReferenceInlineProcessor,
                                     ShortReferenceInlineProcessor, dequote)
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from .prescan import NONCHARACTER

#: Brackets or parentheses nested deeper than this end a link's text or address.
MAX_NESTING = 32
#: The longest title of a link or image, in characters.
MAX_TITLE = 1000
#: The longest paragraph, list item, table cell or heading, in characters: about 800 words,
#: a page and a half of A4 in one paragraph. Longer runs usually mean missing blank lines
#: between paragraphs, and Python-Markdown's work on one grows with the square of its length.
MAX_TEXT = 5000

#: A '<' that opens nothing, as it stands in the text while Python-Markdown works on it: a
#: Unicode noncharacter, which no guide may contain (prescan.py refuses it).
LT = NONCHARACTER
#: How far a tag's closing '>' may be from its '<'.
MAX_TAG = 10_000

_OPENING_RE = re.compile(r"<(?:!--|!\[CDATA\[|/?[A-Za-z]|![A-Za-z]|\?)")
_CLOSING = {"<!--": "-->", "<![CDATA[": "]]>"}
_BRACKET_RE = re.compile(r"[\[\]]")
_ADDRESS_RE = re.compile(r"[()\"']")
_TITLE_END_RE = {'"': re.compile(r'"[ \t\n]*\)'), "'": re.compile(r"'[ \t\n]*\)")}
_SEPARATOR_RE = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_NOUNS = {"p": "paragraph", "li": "list item", "td": "table cell", "th": "table cell",
          "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading",
          "h6": "heading"}


class _BoundedScans:
    """getText and getLink for every link and image processor, each scan bounded."""

    _titles: tuple[str, dict[int, tuple[int, int] | None]] = ("", {})
    _pairs: tuple[tuple[str, dict[int, int]], ...] = ()

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:  # noqa: N802
        """The text between the '[' before `index` and its matching ']', from a table of
        matching brackets made once for the text at hand."""
        closing = self._closings(data, index - 1).get(len(data) - index + 1)
        if closing is None:
            return "", index, False
        end = len(data) - closing
        return data[index:end], end + 1, True

    def _closings(self, data: str, start: int) -> dict[int, int]:
        """Where each '[' of `data` from `start` on closes, both counted from the end of the
        text (so that the table still holds once Python-Markdown has put a placeholder for a
        link before `start`). Brackets nested deeper than MAX_NESTING close nothing."""
        tail = data[start:]
        for number, (text, table) in enumerate(self._pairs):
            if text.endswith(tail):
                self._pairs = (self._pairs[number], *self._pairs[:number],
                               *self._pairs[number + 1:])
                return table
        table: dict[int, int] = {}
        opened: list[int] = []
        size = len(data)
        for match in _BRACKET_RE.finditer(data):
            if match.group() == "[":
                opened.append(size - match.start())
            elif opened:
                at = opened.pop()
                if len(opened) < MAX_NESTING:
                    table[at] = size - match.start()
        self._pairs = ((data, table), *self._pairs[:3])
        return table

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:  # noqa: N802
        opening = self.RE_LINK.match(data, pos=index)
        if opening is None:
            return "", None, index, False
        if opening.group(1):  # (<address> "title"): one regular expression, already bounded
            return super().getLink(data, index)
        start = opening.end()
        depth = 1
        for match in _ADDRESS_RE.finditer(data, start):
            char, where = match.group(), match.start()
            if char == "(":
                depth += 1
                if depth > MAX_NESTING:
                    break
            elif char == ")":
                depth -= 1
                if depth == 0:
                    return self.unescape(data[start:where]).strip(), None, where + 1, True
            elif where > start:
                title = self._title(data, where, char)
                if title is not None:
                    end, after = title
                    text = data[where + 1:end]
                    title_text = self.RE_TITLE_CLEAN.sub(" ", dequote(self.unescape(text.strip())))
                    return self.unescape(data[start:where]).strip(), title_text, after, True
        return "", None, index, False

    def _title(self, data: str, where: int, quote: str) -> tuple[int, int] | None:
        """Where the title that opens at `where` ends (its closing quote, and after the ')'),
        remembered for the text at hand: several addresses may reach the same quote."""
        if self._titles[0] is not data:
            self._titles = (data, {})
        found = self._titles[1]
        if where not in found:
            match = _TITLE_END_RE[quote].search(data, where + 1, where + 2 + MAX_TITLE)
            found[where] = (match.start(), match.end()) if match else None
        return found[where]


class BoundedLink(_BoundedScans, LinkInlineProcessor):
    """[text](address "title")."""


class BoundedImage(_BoundedScans, ImageInlineProcessor):
    """![alt](address "title")."""


class BoundedReference(_BoundedScans, ReferenceInlineProcessor):
    """[text][id]."""


class BoundedShortReference(_BoundedScans, ShortReferenceInlineProcessor):
    """[id]."""


class BoundedImageReference(_BoundedScans, ImageReferenceInlineProcessor):
    """![alt][id]."""


class BoundedShortImageReference(_BoundedScans, ShortImageReferenceInlineProcessor):
    """![id]."""


class MissMemo:
    """A compiled pattern that matches only at line starts, whose `search` remembers the last
    few texts it found nothing in: a later text that is the end of one of them, from a line
    start, cannot hold a match either, and is not searched again. (Python-Markdown tests what
    is left of a block after each line it takes, with a small piece tested in between.)"""

    KEEP = 4

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        self.misses: list[str] = []

    def search(self, text: str, *args):
        if not args:
            for index, miss in enumerate(self.misses):
                if _ends_with_lines(miss, text):
                    self.misses.insert(0, self.misses.pop(index))
                    return None
        found = self.pattern.search(text, *args)
        if found is None and not args:
            self.misses = [text, *self.misses[:self.KEEP - 1]]
        return found

    def __getattr__(self, name: str):
        return getattr(self.pattern, name)


def _ends_with_lines(text: str, end: str) -> bool:
    """True when `end` is the end of `text` and starts at one of its line starts."""
    return (len(end) <= len(text) and text.endswith(end)
            and (len(end) == len(text) or text[-len(end) - 1] == "\n"))


class QuickTableProcessor(TableProcessor):
    """A table's first line has a '|' and its second is a separator row; only blocks that start
    so are split into rows (the whole block, each time it is tested)."""

    def test(self, parent: etree.Element, block: str) -> bool:
        first, _, rest = block.partition("\n")
        second = rest.partition("\n")[0]
        if "|" not in first or not _SEPARATOR_RE.match(second):
            return False
        return super().test(parent, block)


class LongTextTreeprocessor(Treeprocessor):
    """Leave text longer than MAX_TEXT as it is, unparsed, and remember it for the check."""

    def __init__(self, md: Markdown, extension: "BoundedExtension"):
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            text = element.text
            if text and not isinstance(text, AtomicString) and len(text) > MAX_TEXT:
                noun = _NOUNS.get(element.tag, "run of text")
                self.extension.long_texts.append((noun, len(text), text))
                element.text = AtomicString(text)


class UnclosedTagPreprocessor(Preprocessor):
    """Mark each '<' whose tag, comment or CDATA section never closes as text (LT)."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "<" not in text:
            return lines
        # The next closing of each kind, found once: the openings come in order.
        following: dict[str, int] = {}
        marks = []
        for match in _OPENING_RE.finditer(text):
            closing = _CLOSING.get(match.group(), ">")
            found = following.get(closing, match.end() - 1)
            if found != -1 and found < match.end():
                found = following[closing] = text.find(closing, match.end())
            if found == -1 or (closing == ">" and found - match.start() > MAX_TAG):
                marks.append(match.start())
        if not marks:
            return lines
        pieces, last = [], 0
        for start in marks:
            pieces += [text[last:start], LT]
            last = start + 1
        pieces.append(text[last:])
        return "".join(pieces).split("\n")


class UnclosedTagPostprocessor(Postprocessor):
    """Write each marked '<' as &lt;."""

    def run(self, text: str) -> str:
        return text.replace(LT, "&lt;")


class BoundedExtension(Extension):
    """Linear-time replacements and orders for Python-Markdown's parts (see the module)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        #: (what it is, its length, its text) for each text left unparsed as too long
        self.long_texts: list[tuple[str, int, str]] = []

    def reset(self) -> None:
        """Forget the previous document's long texts."""
        self.long_texts = []

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.registerExtension(self)
        patterns = md.inlinePatterns
        for cls, pattern, name in (
                (BoundedReference, REFERENCE_RE, "reference"),
                (BoundedLink, LINK_RE, "link"),
                (BoundedImage, IMAGE_LINK_RE, "image_link"),
                (BoundedImageReference, IMAGE_REFERENCE_RE, "image_reference"),
                (BoundedShortReference, REFERENCE_RE, "short_reference"),
                (BoundedShortImageReference, IMAGE_REFERENCE_RE, "short_image_ref")):
            if name in patterns:
                patterns.register(cls(pattern, md), name, _priority(patterns, name))
        if "footnote" in patterns:
            patterns["footnote"].compiled_re = FOOTNOTE_CALL_RE
        blocks = md.parser.blockprocessors
        for name, attribute in (("hashheader", "RE"), ("hr", "SEARCH_RE"), ("quote", "RE"),
                                ("admonition", "RE"), ("footnote", "RE"), ("reference", "RE")):
            if name in blocks:
                processor = blocks[name]
                setattr(processor, attribute, MissMemo(getattr(processor, attribute)))
        if "table" in blocks:
            old = blocks["table"]
            blocks.register(QuickTableProcessor(md.parser, old.config), "table",
                            _priority(blocks, "table"))
        # After 'fenced_code_block' (25): code is already set aside; before 'html_block' (20).
        md.preprocessors.register(UnclosedTagPreprocessor(md), "unclosed-tags", 22)
        # Last: after 'raw_html' (30) has put raw HTML and code back.
        md.postprocessors.register(UnclosedTagPostprocessor(md), "unclosed-tags", 1)
        trees = md.treeprocessors
        # Before 'prettify' (10), after 'page-footnotes' (12) and before 'link-report' (11).
        for name, priority in (("attr_list", 11.6), ("smarty", 11.5)):
            if name in trees:
                trees.register(trees[name], name, priority)
        # After the blocks are parsed and before 'inline' (20) parses links and emphasis.
        trees.register(LongTextTreeprocessor(md, self), "long-texts", 21)


#: Python-Markdown's footnote call, `[^label]`, with the label bounded (see the docstring);
#: authoring.py finds calls left as text with it too.
FOOTNOTE_CALL_RE = re.compile(r"\[\^([^\]\[]{0,200})\]", re.DOTALL | re.UNICODE)


def _priority(registry, name: str) -> float:
    return next(item.priority for item in registry._priority if item.name == name)
