"""Every document of tests/gfm_corpus/ has the structure GitHub gives it.

The oracle is cmark-gfm (`cmarkgfm`), GitHub's own C renderer, with GitHub's extensions
(tables, strikethrough, autolinks, task lists) and raw HTML allowed, as we allow it; only
`~~two tildes~~` strike text out, as our guides have it (GitHub also takes `~one~`, and
"about ~5 minutes, ~10 on a bad day" would print struck out). Both
HTML outputs are read into trees of (tag, significant attributes, children), and the trees
must be equal. The rules of that reading:

- Significant attributes only: an ordered list's `start` (1 when not given), a link's `href`,
  an image's `src`, a table cell's alignment (GitHub's align="..." and our style="text-align:
  ..." both read as `align`), a task item's box, ticked or not. Ids, classes, titles and every
  other attribute are ignored: heading ids in particular, which cmark does not make.
- Code blocks are compared by their text only: our highlighting's spans, the `<div
  class="highlight">` around them and the empty span before `<code>` are dropped. The code's
  language is not compared: our HTML does not carry it (cmark writes it as lang="...").
- Our own wrappers are taken off: the `<section class="chapter">` around each chapter, and
  `<figure>`, which holds an image that stands alone in its paragraph (read as that paragraph;
  a caption is dropped). A task item's `<label>` with its box and indicator reads as the box.
- A callout of ours (`<div class="callout callout-KIND">`, its title dropped) and a quote that
  starts with GitHub's alert mark `[!KIND]` both read as an alert of that kind.
- Text: runs of whitespace are one space; whitespace at the start or end of a block, and text
  that is only whitespace between blocks, is dropped. Our smart punctuation (curly quotes,
  dashes, ellipsis) reads as the ASCII it came from. Text in code is kept exactly.
- HTML comments are dropped.
- `***a***` is bold italic either way: an <em> that holds only a <strong> reads as the
  <strong> holding the <em>.
- A list item's text wrapped in `<p>` (a loose list) and bare (a tight one) are NOT the same:
  on paper a loose list's items have more space between them, as on GitHub.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from guidepress.convert import convert
from guidepress.glossary import Glossary
from test_gfm import SITE

cmarkgfm = pytest.importorskip("cmarkgfm")
from cmarkgfm.cmark import Options  # noqa: E402

CORPUS = Path(__file__).parent / "gfm_corpus"
#: Documents that differ from GitHub only by a construct still being added, with that construct.
PENDING: dict[str, str] = {}

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
_BLOCK = {"address", "article", "aside", "blockquote", "details", "dd", "div", "dl", "dt",
          "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
          "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
          "td", "tfoot", "th", "thead", "tr", "ul", "alert", "task"}
_SMART = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "--",
          "\u2014": "---", "\u2026": "...", "\u00ab": "<<", "\u00bb": ">>"}
_ALIGN_RE = re.compile(r"text-align:\s*(\w+)")
_ALERT_RE = re.compile(r"^\[!(\w+)\][ \t]*\n?")


@dataclass
class Node:
    """An element: its tag, its significant attributes, its children (Nodes and strings)."""

    tag: str
    attrs: tuple[tuple[str, str], ...] = ()
    children: list = field(default_factory=list)
    classes: tuple[str, ...] = ()
    raw: dict = field(default_factory=dict)

    def __eq__(self, other):
        return (isinstance(other, Node) and self.tag == other.tag and self.attrs == other.attrs
                and self.children == other.children)

    def label(self) -> str:
        attrs = "".join(f" {name}={value!r}" for name, value in self.attrs)
        return f"<{self.tag}{attrs}>"


class _TreeBuilder(HTMLParser):
    """HTML into a tree of Nodes, as written (no normalising yet)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        node = Node(tag, classes=tuple(attributes.get("class", "").split()), raw=attributes)
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    """Read HTML into a tree of Nodes, as written."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def normalise(node: Node, ours: bool) -> Node:
    """The tree of `node` by the rules of this module's docstring."""
    return Node(node.tag, node.attrs, _tidy(_children(node, ours), node.tag))


def _children(node: Node, ours: bool) -> list:
    out: list = []
    for child in node.children:
        if isinstance(child, str):
            out.append(child if node.tag in ("code", "pre") or not ours else _ascii(child))
        else:
            out.extend(_element(child, ours))
    return out


def _ascii(text: str) -> str:
    return "".join(_SMART.get(char, char) for char in text)


def _element(node: Node, ours: bool) -> list:
    """What one element reads as: a list of Nodes and strings (empty: dropped)."""
    tag, raw = node.tag, node.raw
    if tag == "pre":
        return [Node("pre", (), [Node("code", (), [_text(node)])])]
    if tag == "section" and "chapter" in node.classes:
        return _children(node, ours)
    if tag == "div" and "highlight" in node.classes:
        return _children(node, ours)
    if tag == "figure":
        kept = [c for c in node.children if not (isinstance(c, Node) and c.tag == "figcaption")]
        return [normalise(Node("p", children=kept), ours)]
    if tag == "svg":
        return []
    if tag == "label" and "task-list-control" in node.classes:
        box = next((c for c in node.children if isinstance(c, Node) and c.tag == "input"), None)
        return [_task(box)] if box is not None else []
    if tag == "input" and raw.get("type") == "checkbox":
        return [_task(node)]
    if tag == "div" and any(c.startswith("callout-") for c in node.classes):
        kind = next(c for c in node.classes if c.startswith("callout-"))[len("callout-"):]
        body = [c for c in node.children
                if not (isinstance(c, Node) and "callout-title" in c.classes)]
        return [normalise(Node("alert", (("kind", kind),), body), ours)]
    if tag == "blockquote":
        alert = _alert(node, ours)
        if alert is not None:
            return [alert]
    attrs: list[tuple[str, str]] = []
    if tag == "ol":
        attrs.append(("start", raw.get("start", "1") or "1"))
    if tag == "a" and "href" in raw:
        attrs.append(("href", raw["href"]))
    if tag == "img":
        attrs.append(("src", raw.get("src", "")))
    if tag in ("td", "th"):
        match = _ALIGN_RE.search(raw.get("style", ""))
        align = raw.get("align") or (match.group(1) if match else "")
        if align:
            attrs.append(("align", align))
    children = _tidy(_children(node, ours), tag)
    if tag == "em" and len(children) == 1 and isinstance(children[0], Node) \
            and children[0].tag == "strong":
        return [Node("strong", (), [Node("em", (), children[0].children)])]
    return [Node(tag, tuple(attrs), children)]


def _task(box: Node) -> Node:
    return Node("task", (("checked", str("checked" in box.raw)),))


def _alert(node: Node, ours: bool) -> Node | None:
    """A quote whose first paragraph opens with [!KIND], read as that alert; else None."""
    first = next((c for c in node.children if isinstance(c, Node)), None)
    if first is None or first.tag != "p" or not first.children \
            or not isinstance(first.children[0], str):
        return None
    match = _ALERT_RE.match(first.children[0])
    if not match:
        return None
    rest = [first.children[0][match.end():], *first.children[1:]]
    others = node.children[node.children.index(first) + 1:]
    body = ([Node("p", children=rest)] if "".join(
        c if isinstance(c, str) else "x" for c in rest).strip() else []) + others
    return normalise(Node("alert", (("kind", match.group(1).lower()),), body), ours)


def _text(node: Node) -> str:
    return "".join(c if isinstance(c, str) else _text(c) for c in node.children)


def _is_block(item) -> bool:
    return isinstance(item, Node) and item.tag in _BLOCK


def _tidy(children: list, tag: str) -> list:
    """Join adjacent strings, collapse whitespace and drop it around blocks."""
    if tag == "code":
        return ["".join(c if isinstance(c, str) else _text(c) for c in children)]
    joined: list = []
    for child in children:
        if isinstance(child, str) and joined and isinstance(joined[-1], str):
            joined[-1] += child
        else:
            joined.append(child)
    out: list = []
    for index, child in enumerate(joined):
        if isinstance(child, str):
            text = re.sub(r"\s+", " ", child)
            if index == 0 or _is_block(joined[index - 1]):
                text = text.lstrip()
            if index == len(joined) - 1 or _is_block(joined[index + 1]):
                text = text.rstrip()
            if text:
                out.append(text)
        else:
            out.append(child)
    return out


def tree(html: str, ours: bool) -> Node:
    """HTML as the comparable tree."""
    return normalise(parse(html), ours)


def first_difference(mine: Node, oracle: Node, path: str = "") -> str | None:
    """Where two trees first differ, shown readably; None when they are equal."""
    here = f"{path}/{mine.label()}"
    if (mine.tag, mine.attrs) != (oracle.tag, oracle.attrs):
        return f"at {path or '/'}: ours {mine.label()}, GitHub's {oracle.label()}"
    for index in range(max(len(mine.children), len(oracle.children))):
        a = mine.children[index] if index < len(mine.children) else None
        b = oracle.children[index] if index < len(oracle.children) else None
        if isinstance(a, Node) and isinstance(b, Node):
            found = first_difference(a, b, f"{here}[{index}]")
            if found:
                return found
        elif a != b:
            return (f"at {here}[{index}]:\n  ours:     {_show(a)}\n  GitHub's: {_show(b)}")
    return None


def _show(item) -> str:
    if item is None:
        return "(nothing)"
    if isinstance(item, str):
        return repr(item)
    return dump(item).strip().replace("\n", "\n            ")


def dump(node: Node, depth: int = 0) -> str:
    """A tree as indented lines, for reading."""
    lines = ["  " * depth + node.label()]
    for child in node.children:
        if isinstance(child, Node):
            lines.append(dump(child, depth + 1))
        else:
            lines.append("  " * (depth + 1) + repr(child))
    return "\n".join(lines)


def ours_html(text: str) -> str:
    return convert(text, Glossary(), SITE).html


def github_html(text: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(
        text, options=Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE)


def assert_same_structure(text: str) -> None:
    mine, oracle = tree(ours_html(text), True), tree(github_html(text), False)
    difference = first_difference(mine, oracle)
    assert difference is None, (f"{difference}\n\nours:\n{dump(mine)}\n\nGitHub's:\n"
                                f"{dump(oracle)}")


def _cases():
    for path in sorted(CORPUS.glob("*.md")):
        marks = [pytest.mark.xfail(strict=True, reason=PENDING[path.name])] \
            if path.name in PENDING else []
        yield pytest.param(path, id=path.stem, marks=marks)


@pytest.mark.parametrize("path", list(_cases()))
def test_document_has_githubs_structure(path):
    assert_same_structure(path.read_text(encoding="utf-8"))


def test_the_corpus_is_there():
    assert len(list(CORPUS.glob("*.md"))) >= 20


def test_a_flattened_list_is_a_difference():
    nested = "<ul>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>"
    flat = "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"
    difference = first_difference(tree(flat, True), tree(nested, False))
    assert difference is not None and "<li>" in difference


@pytest.mark.parametrize("ours, github", [
    ("<p>a - b</p>", "<p>a</p><ul><li>b</li></ul>"),             # a list not recognised
    ('<ol start="3"><li>x</li></ol>', "<ol><li>x</li></ol>"),      # a start number lost
    ("<ul><li><p>x</p></li></ul>", "<ul><li>x</li></ul>"),         # loose against tight
    ('<table><tr><td style="text-align: left;">x</td></tr></table>',
     '<table><tr><td align="right">x</td></tr></table>'),
    ('<ul><li class="task-list-item"><label class="task-list-control"><input type="checkbox" '
     'disabled/><span class="task-list-indicator"></span></label> x</li></ul>',
     '<ul><li><input type="checkbox" checked="" disabled="" /> x</li></ul>'),
    ("<p><em>a</em>b</p>", "<p><strong>a</strong>b</p>"),
    ("<p>~x~</p>", "<p><del>x</del></p>"),
    ('<p><a href="https://a.example">x</a></p>', '<p><a href="https://b.example">x</a></p>'),
    ("<pre><code>a  b</code></pre>", "<pre><code>a b</code></pre>"),
])
def test_the_comparator_sees_differences(ours, github):
    assert first_difference(tree(ours, True), tree(github, False)) is not None


@pytest.mark.parametrize("ours, github", [
    ('<section class="chapter"><h1 id="x">T</h1></section>', "<h1>T</h1>"),
    ("<p>\u201cquoted\u201d \u2013 it\u2019s\u2026</p>", "<p>\"quoted\" -- it's...</p>"),
    ('<div class="highlight"><pre><span></span><code><span class="n">x</span> = 1\n'
     '</code></pre></div>', '<pre lang="python"><code>x = 1\n</code></pre>'),
    ('<ol start="1"><li>a</li></ol>', "<ol>\n<li>a</li>\n</ol>"),
    ("<p><strong><em>a</em></strong></p>", "<p><em><strong>a</strong></em></p>"),
    ("<figure><img src=\"a.png\" alt=\"A\"><figcaption>c</figcaption></figure>",
     '<p><img src="a.png" alt="A" title="c" /></p>'),
])
def test_the_comparator_ignores_what_does_not_print(ours, github):
    assert first_difference(tree(ours, True), tree(github, False)) is None
