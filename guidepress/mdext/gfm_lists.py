"""Lists as GitHub reads them, written out the way Python-Markdown reads them (and one small
thing of tables: `\\|` in a cell's code).

GitHub (CommonMark) nests by the content column of the item above: two spaces under "- ",
three under "1. ", four under "10. ". A bullet list, or an ordered list that starts at 1,
may follow a paragraph without a blank line. A list is loose (its items are paragraphs, with
space between them) when a blank line stands between two of its items or between two blocks
of one item; otherwise it is tight. Python-Markdown wants each level four spaces in, a blank
line before a list, and makes only the items next to a blank line paragraphs.

So a preprocessor reads the lines once as GitHub does (quotes, list items and callout bodies
as containers; fenced and indented code, HTML blocks, prompts and footnotes left
alone) and writes each line again: each quote as "> ", each list level and callout body as
four spaces, then the line's own text. It adds a blank line where Python-Markdown needs one
to see a new block, and sets aside a fenced code block inside a list or quote as
Python-Markdown's fenced code does at the top level. Where GitHub starts a new list (another
bullet, "-" then "*") and Python-Markdown would go on with the old one, an HTML comment stands
between the two (a new quote after a blank line is github.QuoteProcessor's). A
treeprocessor then makes each list tight or loose as GitHub would have.

Line numbers: problems are reported where their text stands in the guide as written (see
convert.Locator), never by the lines written here, so the added blank lines move nothing.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from .callouts import OPENER_RE as _CALLOUT_RE

_ITEM_RE = re.compile(r"^( {0,3})([-+*]|(\d{1,9})([.)]))( +|$)")
_QUOTE_RE = re.compile(r"^ {0,3}> ?")
_RULE_RE = re.compile(r"^ {0,3}([-*_])(?: *\1){2,} *$")
_SETEXT_RE = re.compile(r"^ {0,3}(?:=+|-+) *$")
_ATX_RE = re.compile(r"^ {0,3}#{1,6}(?: |$)")
_HASH_TEXT_RE = re.compile(r"^#{1,6}[^#\s]")
_FENCE_RE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_CLOSER_RE = re.compile(r"^ {0,3}(`{3,}|~{3,}) *$")
_FOOTNOTE_RE = re.compile(r"^ {0,3}\[\^[^\]]+\]:")
_HTML_ENDS = [
    (re.compile(r"^ {0,3}<(?:script|pre|style|textarea)(?:\s|>|$)", re.I),
     re.compile(r"</(?:script|pre|style|textarea)>", re.I)),
    (re.compile(r"^ {0,3}<!--"), re.compile(r"-->")),
    (re.compile(r"^ {0,3}<\?"), re.compile(r"\?>")),
    (re.compile(r"^ {0,3}<![A-Za-z]"), re.compile(r">")),
    (re.compile(r"^ {0,3}<!\[CDATA\["), re.compile(r"\]\]>")),
]
_HTML_BLOCK_RE = re.compile(
    r"^ {0,3}</?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|"
    r"colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|"
    r"frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|"
    r"noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|"
    r"thead|title|tr|track|ul)(?:\s|/?>|$)", re.I)
_HTML_TAG_RE = re.compile(r"^ {0,3}(?:<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*"
                          r"(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*\s*/?>|"
                          r"</[A-Za-z][A-Za-z0-9-]*\s*>)\s*$")
#: What Python-Markdown would read as the start of a block inside a paragraph's line.
_BLOCKISH_RE = re.compile(r"^( *)(?:([-+*])(?= )|(\d{1,9})([.)])(?= |$)|(#))")


@dataclass
class _List:
    """One list as GitHub reads it: its kind (a bullet or an ordered delimiter) and looseness."""

    kind: str
    ordered: bool
    items: int = 1
    loose: bool = False


@dataclass
class _Box:
    """A container: a quote, a list item, a callout's or footnote's body, or the document."""

    kind: str                   # "quote", "item", "body" or "verbatim" (prompts, footnotes)
    width: int = 0              # columns of indent its lines need (items and bodies)
    lst: _List | None = None    # an item's list
    first_para: bool = True     # an item: still in the paragraph on its marker's line
    blank_inside: bool = False  # an item: a blank line was written since it started
    #: what was last closed directly inside it, when nothing came after: ("list", its _List),
    #: ("quote", None), or None; and whether that last item had a blank line inside it
    last: tuple | None = None
    last_blank: bool = False


class GfmListPreprocessor(Preprocessor):
    """Rewrite list indentation and add blank lines so Python-Markdown sees GitHub's lists."""

    def __init__(self, md: Markdown, extension: "GfmListExtension"):
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        reader = _Reader(self.md)
        for line in lines:
            reader.line(line)
        reader.finish()
        self.extension.lists = reader.lists
        return reader.out


class _Reader:
    """The lines read one by one; see the module."""

    def __init__(self, md: Markdown):
        self.md = md
        self.out: list[str] = []
        self.stack: list[_Box] = []
        self.lists: list[_List] = []
        self.top = _Box("document")
        self.leaf: str | None = None          # "para", "html", "code" or None
        self.html_end: re.Pattern | None = None
        self.fence: list | None = None        # [char, length, indent, opener, lines, depth]
        self.blank = False                    # the last line read was blank
        self.marker: str | None = None        # an item's marker, waiting for its text

    # -- writing ------------------------------------------------------------------------

    def prefix(self, depth: int) -> str:
        """What the first `depth` containers put before a line that goes on inside them."""
        return "".join("> " if box.kind == "quote" else " " * 4 for box in self.stack[:depth])

    def emit(self, text: str) -> None:
        self.out.append(text)

    def emit_blank(self, depth: int) -> None:
        """A blank line inside the first `depth` containers, unless one is there already."""
        if self.out and self.out[-1].strip(" >"):
            self.out.append("".join(">" for box in self.stack[:depth] if box.kind == "quote"))
            for box in self.stack[:depth]:
                box.blank_inside = True

    def separator(self, depth: int) -> None:
        """Something invisible between two blocks that Python-Markdown would join."""
        self.emit_blank(depth)
        self.emit(self.prefix(depth) + self.md.htmlStash.store("<!-- -->"))
        self.emit_blank(depth)

    @property
    def parent(self) -> _Box:
        return self.stack[-1] if self.stack else self.top

    # -- reading ------------------------------------------------------------------------

    def line(self, line: str) -> None:
        if self.fence is not None and self._fence_line(line):
            return
        matched, rest = self._match(line)
        inside = matched == len(self.stack)
        if inside and self.stack and self.stack[-1].kind == "verbatim":
            self.emit(line)
            return
        if inside and self.leaf == "html" and (rest.strip() or self.html_end is not None):
            self.emit(self.prefix(matched) + rest)
            if self.html_end is not None and self.html_end.search(rest):
                self.leaf = None
            return
        if not rest.strip():
            self._blank(matched)
            return
        if not inside and self.leaf == "para" and not self._starts_block(rest):
            self._continue_paragraph(rest)  # GitHub's lazy continuation line
            return
        closing = not inside
        if closing:
            self._close(matched)
        self._open(rest, closing)

    def finish(self) -> None:
        if self.fence is not None:
            self._end_fence()
        self._close(0)
        while self.out and not self.out[-1].strip(" >"):
            self.out.pop()  # else the last block ends in a line break, and code stays in <p>

    def _match(self, line: str, depth: int | None = None) -> tuple[int, str]:
        """How many open containers the line goes on in, and what is left of it."""
        rest = line
        for index, box in enumerate(self.stack[:depth]):
            if box.kind == "quote":
                match = _QUOTE_RE.match(rest)
                if not match:
                    return index, rest
                rest = rest[match.end():]
            elif not rest.strip():
                continue
            elif _indent(rest) >= box.width:
                rest = rest[box.width:]
            else:
                return index, rest
        return len(self.stack[:depth]), rest

    def _starts_block(self, rest: str) -> bool:
        """Whether a line that leaves a container would start a block rather than go on with
        the paragraph inside it (a list item always does: it is not inside the paragraph's
        container, so it interrupts nothing)."""
        if _indent(rest) >= 4:
            return False
        item = _ITEM_RE.match(rest)
        return bool(_QUOTE_RE.match(rest) or _RULE_RE.match(rest) or _ATX_RE.match(rest)
                    or _FENCE_RE.match(rest) or self._html_start(rest, True)
                    or _CALLOUT_RE.match(rest) or _FOOTNOTE_RE.match(rest) or bool(item))

    @staticmethod
    def _html_start(rest: str, in_paragraph: bool) -> re.Pattern | bool:
        """How an HTML block that starts here ends (a pattern, or True: at a blank line)."""
        for start, end in _HTML_ENDS:
            if start.match(rest):
                return end
        if _HTML_BLOCK_RE.match(rest):
            return True
        return not in_paragraph and bool(_HTML_TAG_RE.match(rest))

    def _blank(self, matched: int) -> None:
        self.leaf = None
        if matched < len(self.stack):  # a quote goes on only on lines with its '>'
            self._close(matched)
        self.emit_blank(len(self.stack))
        self.blank = True

    def _close(self, depth: int) -> None:
        """Close the containers from `depth` on."""
        while len(self.stack) > depth:
            box = self.stack.pop()
            self.leaf = None
            if box.kind == "item":
                self.parent.last, self.parent.last_blank = ("list", box.lst), box.blank_inside
            elif box.kind == "quote":
                self.parent.last = ("quote", None)
            else:
                self.parent.last = None

    def _loosen(self, after_blank: bool) -> None:
        """A block after a blank line inside an item makes the item's list loose."""
        if after_blank and self.stack and self.stack[-1].kind == "item":
            self.stack[-1].lst.loose = True

    def _open(self, rest: str, closing: bool) -> None:
        """Open the containers the text starts, then read what is left as a leaf block."""
        after_blank, self.blank = self.blank, False
        while _indent(rest) < 4:
            quote = _QUOTE_RE.match(rest)
            if quote:
                if self.blank_before(closing):
                    self.emit_blank(len(self.stack))
                self._loosen(after_blank)
                self._flush_marker()
                self.parent.last = None
                self.stack.append(_Box("quote"))
                self.leaf, closing, after_blank = None, False, False
                rest = rest[quote.end():]
                continue
            if _RULE_RE.match(rest) or (self.leaf == "para" and _SETEXT_RE.match(rest)):
                break
            item = _ITEM_RE.match(rest)
            if item and (self.leaf != "para" or closing or _may_interrupt(item, rest)):
                rest = self._open_item(item, rest, after_blank, closing)
                self.leaf, closing, after_blank = None, False, False
                continue
            callout = _CALLOUT_RE.match(rest)
            footnote = _FOOTNOTE_RE.match(rest)
            if (callout or footnote) and self.marker is None:
                # Ours, not GitHub's: Python-Markdown finds these inside a paragraph too.
                if closing:
                    self.emit_blank(len(self.stack))
                self._loosen(after_blank)
                self.parent.last = None
                self.emit(self.prefix(len(self.stack)) + rest.lstrip())
                # A prompt is kept as written; so is a footnote, which prints as a line of
                # text at the page foot (a list there would be dropped).
                kind = "verbatim" if footnote or callout.group(1) == "prompt" else "body"
                self.stack.append(_Box(kind, width=4, first_para=False))
                self.leaf = None
                return
            break
        if closing:
            self.emit_blank(len(self.stack))
        if self.marker is None:
            self._loosen(after_blank)
        self._leaf(rest)

    def blank_before(self, closing: bool) -> bool:
        return closing or self.leaf == "para"

    def _flush_marker(self) -> None:
        """An item's marker whose text is another container: its own line, then the rest."""
        if self.marker is not None:
            self.emit(self.marker)
            self.marker = None

    def _open_item(self, item: re.Match, rest: str, after_blank: bool, closing: bool) -> str:
        """Open a list item; return the text after its marker."""
        self._flush_marker()
        parent, depth = self.parent, len(self.stack)
        ordered = item.group(3) is not None
        kind = item.group(4) if ordered else item.group(2)
        last = parent.last[1] if parent.last and parent.last[0] == "list" else None
        if last is not None and last.kind == kind and self.leaf is None:
            lst = last
            lst.items += 1
            lst.loose = lst.loose or after_blank
            if parent.last_blank:  # else Python-Markdown reads this item into the one before
                self.emit_blank(depth)
        else:
            if last is not None and last.ordered == ordered and self.leaf is None:
                self.separator(depth)  # a new list that Python-Markdown would join to the last
            elif not (self.leaf == "para" and parent.kind == "item" and parent.first_para):
                self.emit_blank(depth)
            self._loosen(after_blank)
            lst = _List(kind, ordered)
            self.lists.append(lst)
        spaces, text = len(item.group(5)), rest[item.end():]
        width = len(item.group(1)) + len(item.group(2)) + (
            spaces if 1 <= spaces <= 4 and text.strip() else 1)
        if spaces > 4 and text.strip():
            text = " " * (spaces - 1) + text  # GitHub: indented code as the item's first block
        marker = f"{int(item.group(3))}." if ordered else item.group(2)
        self.marker = self.prefix(depth) + marker + " "
        parent.last = None
        self.stack.append(_Box("item", width=width, lst=lst))
        return text

    def _leaf(self, rest: str) -> None:
        """Read the text of a line as a leaf block inside the open containers."""
        depth, marker = len(self.stack), self.marker
        self.marker = None
        head = marker if marker is not None else self.prefix(depth)
        if not rest.strip():  # an empty item
            self.emit(head)
            return
        fence = _FENCE_RE.match(rest) if _indent(rest) < 4 else None
        if fence and fence.group(2)[0] == "`" and "`" in fence.group(3):
            fence = None
        in_paragraph = self.leaf == "para" and marker is None
        if in_paragraph and not fence and not self._html_start(rest, True):
            self._continue_paragraph(rest)
            if _SETEXT_RE.match(rest):
                self.leaf = None
            return
        self.parent.last = None
        if marker is None and self.parent.kind == "item":
            self.parent.first_para = False
        if fence:
            if marker is not None:
                self.emit(marker)
            self.emit_blank(depth)
            self.fence = [fence.group(2)[0], len(fence.group(2)), len(fence.group(1)),
                          fence.group(2) + fence.group(3).strip(), [], depth]
            self.leaf = None
            return
        if _indent(rest) >= 4 and marker is None:
            self.leaf = "code"
            self.emit(head + rest)
            return
        html = self._html_start(rest, False) if marker is None else False
        if html:
            self.leaf = "html"
            self.html_end = html if isinstance(html, re.Pattern) else None
            self.emit(head + rest)
            if self.html_end is not None and self.html_end.search(rest):
                self.leaf = None
            return
        text = rest.lstrip(" ")
        if _HASH_TEXT_RE.match(text):
            text = "\\" + text  # '#5' starts no heading on GitHub
        self.leaf = None if (_ATX_RE.match(rest) or _RULE_RE.match(rest)) else "para"
        self.emit(head + text)

    def _continue_paragraph(self, rest: str) -> None:
        """A line that goes on with a paragraph: keep Python-Markdown from reading a block."""
        match = _BLOCKISH_RE.match(rest)
        if match:
            at = match.end() - 1
            rest = rest[:at] + "\\" + rest[at:]
        self.emit(self.prefix(len(self.stack)) + rest)

    def _fence_line(self, line: str) -> bool:
        """Take a line of an open fenced code block; False when the block ended before it."""
        char, length, indent, _, lines, depth = self.fence
        matched, rest = self._match(line, depth)
        if matched < depth:
            self._end_fence()
            return False
        closer = _CLOSER_RE.match(rest)
        if closer and closer.group(1)[0] == char and len(closer.group(1)) >= length:
            self._end_fence()
            return True
        lines.append(rest[min(indent, _indent(rest)):])
        return True

    def _end_fence(self) -> None:
        """Set the code aside as Python-Markdown's fenced code does, in its place."""
        _, length, _, opener, lines, depth = self.fence
        self.fence = None
        block = [opener, *lines, opener[:length]]
        stashed = [piece for piece in self.md.preprocessors["fenced_code_block"].run(block)
                   if piece.strip()]
        if len(stashed) == 1 and not stashed[0].startswith(opener[:length]):
            self.emit(self.prefix(depth) + stashed[0])
        else:  # not code Python-Markdown's fences can hold: leave the lines as they are
            for piece in block:
                self.emit(self.prefix(depth) + piece)
        self.emit_blank(depth)


def _may_interrupt(item: re.Match, rest: str) -> bool:
    """A list item may interrupt a paragraph if it has text and is a bullet or a '1.'."""
    return bool(rest[item.end():].strip()) and (item.group(3) is None
                                                or int(item.group(3)) == 1)


class GfmLoosenessTreeprocessor(Treeprocessor):
    """Make each list tight or loose as GitHub reads it (see the preprocessor's `lists`).

    Only when the document's lists are the very lists the preprocessor read (the same sort
    and number of items, in order): otherwise Python-Markdown's own reading stands.
    """

    def __init__(self, md: Markdown, extension: "GfmListExtension"):
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        found = list(_lists(root))
        expected = self.extension.lists
        if len(found) != len(expected) or any(
                (element.tag == "ol") != lst.ordered
                or sum(child.tag == "li" for child in element) != lst.items
                for element, lst in zip(found, expected)):
            return
        for element, lst in zip(found, expected):
            for item in element:
                if item.tag == "li":
                    (_loose if lst.loose else _tight)(item)


def _lists(element: etree.Element):
    """Every list in document order, except in footnotes (Python-Markdown's own list)."""
    for child in element:
        if "footnote" in (child.get("class") or "").split():
            continue
        if child.tag in ("ul", "ol"):
            yield child
        yield from _lists(child)


def _loose(item: etree.Element) -> None:
    """Put each run of an item's own text into a paragraph."""
    if item.text and item.text.strip():
        paragraph = etree.Element("p")
        paragraph.text, item.text = item.text.strip("\n"), None
        item.insert(0, paragraph)
    for child in list(item):
        if child.tail and child.tail.strip():
            paragraph = etree.Element("p")
            paragraph.text, child.tail = child.tail.strip("\n"), "\n"
            item.insert(list(item).index(child) + 1, paragraph)


def _tight(item: etree.Element) -> None:
    """Take an item's paragraphs out of their <p>, their text into the item's own."""
    for child in list(item):
        if child.tag != "p":
            continue
        at = list(item).index(child)
        text = (child.text or "") + "\n"
        if at == 0:
            item.text = _join(item.text, text)
        else:
            item[at - 1].tail = _join(item[at - 1].tail, text)
        inner = list(child)
        item.remove(child)
        for offset, grandchild in enumerate(inner):
            item.insert(at + offset, grandchild)
        tail = child.tail or ""
        if inner:
            inner[-1].tail = _join(inner[-1].tail, tail)
        elif at == 0:
            item.text = _join(item.text, tail)
        else:
            item[at - 1].tail = _join(item[at - 1].tail, tail)


def _join(first: str | None, second: str) -> str:
    return second if not first else (first + second if first.endswith("\n")
                                     else first + "\n" + second)


class TableCodePipeTreeprocessor(Treeprocessor):
    """In a table cell, `a \\| b` is code with a plain '|', as on GitHub (which takes the
    backslash off before it reads the cell); Python-Markdown keeps the backslash in code."""

    def run(self, root: etree.Element) -> None:
        for cell in root.iter():
            if cell.tag not in ("td", "th"):
                continue
            for code in cell.iter("code"):
                if code.text and "\\|" in code.text:
                    code.text = AtomicString(code.text.replace("\\|", "|"))


class GfmListExtension(Extension):
    """Lists nested, started and spaced as on GitHub (see the module)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.lists: list[_List] = []

    def reset(self) -> None:
        self.lists = []

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.registerExtension(self)
        # After 'fenced_code_block' (25) has set top-level code aside, before 'html_block'.
        md.preprocessors.register(GfmListPreprocessor(md, self), "gfm-lists", 24)
        # After 'footnote' (50) and before 'task-list' (25) and 'inline' (20).
        md.treeprocessors.register(GfmLoosenessTreeprocessor(md, self), "gfm-looseness", 40)
        # After 'inline' (20) has made the code.
        md.treeprocessors.register(TableCodePipeTreeprocessor(md), "gfm-table-code", 19)


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))
