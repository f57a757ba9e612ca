"""Callouts: admonitions styled by kind, and `prompt` callouts kept verbatim and highlighted."""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.treeprocessors import Treeprocessor

from .bounded import MissMemo
from .icons import icon

#: Every callout kind an author may use, with the title shown when none is given.
KINDS: dict[str, str] = {
    "note": "Note",
    "tip": "Tip",
    "warning": "Warning",
    "takeaways": "Key takeaways",
    "example": "Example",
    "prompt": "Try this prompt",
    "glance": "At a glance",
}

#: The opening line of any callout: group 1 is the kind, group 2 the optional title.
OPENER_RE = re.compile(r'^ {0,3}!!! ?([\w-]+)(?: +"(.*?)")? *$', re.MULTILINE)
_PROMPT_RE = re.compile(r'(?:^|\n)!!! ?prompt(?: +"(.*?)")? *(?:\n|$)')
_INDENT = "    "


@functools.cache
def _prompt_highlighter():
    """Pygments' highlight, our prompt lexer and one formatter: imported on the first prompt
    (a check of a guide without prompts never loads Pygments' formatters), and the formatter
    made once, since it works out its whole style sheet when made (0.5 ms a prompt)."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter

    from .prompt_lexer import PromptLexer

    formatter = HtmlFormatter(cssclass="prompt-text")
    return lambda text: highlight(text, PromptLexer(), formatter)


#: Where a prompt's highlighted text goes: conversion leaves this mark, so that checking a
#: guide never highlights (nor loads Pygments); `expand_prompts` fills it in to render.
_PROMPT_MARK = '<gp-prompt n="{}"></gp-prompt>'
_PROMPT_MARK_RE = re.compile(r'<gp-prompt n="(\d+)"></gp-prompt>')


def expand_prompts(html: str, prompts: list[str]) -> str:
    """The HTML with each prompt's mark replaced by its highlighted text."""
    if not prompts:
        return html
    highlight = _prompt_highlighter()
    return _PROMPT_MARK_RE.sub(lambda m: highlight(prompts[int(m.group(1))]), html)


def callout_element(kind: str, title: str | None, colours: dict[str, str],
                    titles: dict[str, str] | None = None
                    ) -> tuple[etree.Element, etree.Element | None]:
    """Return a new callout `div` and its title paragraph (None for an empty title); a
    callout with no title of its own shows its kind's, from `titles` (kind -> words in the
    guide's language) or else KINDS."""
    div = etree.Element("div", {"class": f"callout callout-{kind}"})
    heading = None
    if title != "":
        heading = etree.SubElement(div, "p", {"class": "callout-title"})
        heading.append(icon(kind, colours.get(kind, "currentColor")))
        label = etree.SubElement(heading, "span")
        label.text = title or (titles or {}).get(kind) or KINDS.get(kind, kind.title())
    return div, heading


class PromptProcessor(BlockProcessor):
    """Keep a prompt callout's body exactly as written and highlight its placeholders."""

    def __init__(self, parser, colours: dict[str, str], titles: dict[str, str],
                 prompts: list[str]):
        super().__init__(parser)
        self.colours = colours
        self.titles = titles
        self.prompts = prompts  # each prompt's text, by the number in its mark
        # What is left of a block after its first lines is tested again: search it only once.
        self.opener = MissMemo(_PROMPT_RE)

    def test(self, parent: etree.Element, block: str) -> bool:
        return bool(self.opener.search(block))

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        block = blocks.pop(0)
        match = self.opener.search(block)
        before, body = block[:match.start()], block[match.end():]
        if before.strip():
            self.parser.parseBlocks(parent, [before])
        lines = [body]
        # Later blocks indented by four spaces continue the prompt (blank lines inside it).
        while blocks and (blocks[0].startswith(_INDENT) or not blocks[0].strip()):
            lines.append(blocks.pop(0))
        text = "\n\n".join(_dedent(chunk) for chunk in lines).strip("\n")
        div, _ = callout_element("prompt", match.group(1), self.colours, self.titles)
        holder = etree.SubElement(div, "div", {"class": "prompt-body"})
        holder.text = self.parser.md.htmlStash.store(_PROMPT_MARK.format(len(self.prompts)))
        self.prompts.append(text)
        parent.append(div)
        return True


def _dedent(chunk: str) -> str:
    """Remove the four-space indent of a callout body, line by line."""
    return "\n".join(line[len(_INDENT):] if line.startswith(_INDENT) else line.lstrip()
                     for line in chunk.split("\n"))


class CalloutTreeprocessor(Treeprocessor):
    """Turn Python-Markdown admonitions into our callouts: classes, title and icon."""

    def __init__(self, md, colours: dict[str, str], titles: dict[str, str]):
        super().__init__(md)
        self.colours = colours
        self.titles = titles

    def run(self, root: etree.Element) -> None:
        self._decorate(root)
        _mark_lead_ins(root)

    def _decorate(self, root: etree.Element) -> None:
        for div in root.iter("div"):
            classes = div.get("class", "").split()
            if not classes or classes[0] != "admonition":
                continue
            kind = classes[1] if len(classes) > 1 else "note"
            div.set("class", f"callout callout-{kind}")
            first = div[0] if len(div) else None
            if first is not None and first.get("class") == "admonition-title":
                given = first.text or ""
                div.remove(first)
                # Admonition writes the kind, capitalised, when no title was given.
                title = None if given == kind.capitalize() else given
                _, heading = callout_element(kind, title, self.colours, self.titles)
                if heading is not None:
                    div.insert(0, heading)


def _mark_lead_ins(root: etree.Element) -> None:
    """A paragraph ending in a colon right before a callout introduces it: keep them together."""
    for parent in root.iter():
        children = list(parent)
        for before, after in zip(children, children[1:]):
            if (before.tag == "p" and after.tag == "div"
                    and after.get("class", "").startswith("callout ")
                    and "".join(before.itertext()).rstrip().endswith(":")):
                before.set("class", (before.get("class", "") + " lead-in").strip())


class CalloutExtension(Extension):
    """Admonition-syntax callouts of the kinds in KINDS; `colours` maps a kind to its icon's
    colour (inline SVG cannot inherit the CSS colour in WeasyPrint)."""

    def __init__(self, colours: dict[str, str] | None = None,
                 titles: dict[str, str] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.colours = colours or {}
        self.titles = titles or {}
        self.prompts: list[str] = []  # the prompts' texts, highlighted by expand_prompts

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.registerExtension(self)
        # Before 'admonition' (105): prompts must not be parsed as Markdown.
        md.parser.blockprocessors.register(
            PromptProcessor(md.parser, self.colours, self.titles, self.prompts), "prompt", 106)
        md.treeprocessors.register(
            CalloutTreeprocessor(md, self.colours, self.titles), "callouts", 30)
