"""docs/authoring.md's rules, checked: what would otherwise be lost or mis-printed in silence.

check_callouts() runs on every guide, check_authoring() on a guide that converted. Each rule
reads the guide's Markdown line by line (outside fenced code, and with `code spans`
set aside) and reports at the line it is about:

- a callout whose text is not indented under its `!!! kind` line (it would print empty);
- a GitHub alert of a kind GitHub does not know (`> [!TODO]`, printed as a plain quote);
- a second front-matter block (it would print as text);
- template tags of other tools, `{% ... %}` and `{{ ... }}` (printed as they are);
- a heading that skips a level (`#` then `###`), and a link inside a heading;
- a footnote reference with no footnote (`[^1]` printed as it is), found in the HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Protocol

from .mdext.bounded import FOOTNOTE_CALL_RE
from .mdext.callouts import KINDS, OPENER_RE
from .mdext.github import ALERTS

_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN_RE = re.compile(r"(`+)(?:.+?)\1")
_ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$")
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_ALERT_LINE_RE = re.compile(r"^ {0,3}>[ \t]?\[!([A-Za-z]+)\][ \t]*$")
_TEMPLATE_RE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}")
_HEADING_LINK_RE = re.compile(r"\[\[|\]\(|\]\[|<a[\s>]|https?://|\bwww\.", re.IGNORECASE)
_FRONT_KEY_RE = re.compile(r"^[A-Za-z_][\w-]*:(?:[ \t]|$)")
_CODE_HTML_RE = re.compile(r"<(pre|code)\b.*?</\1>", re.DOTALL)


class Where(Protocol):
    """What convert.Locator offers: report at a line of the body, or at a needle."""

    def line(self, body_line: int, message: str, col: int | None = None) -> None: ...

    def report(self, needles: list, message: str, every: bool = True) -> None: ...


def lines_outside_code(body: str) -> Iterator[tuple[int, str]]:
    """(number, line) for each line of `body` outside fenced code, code spans blanked."""
    fence = None
    for number, line in enumerate(body.split("\n"), start=1):
        match = _FENCE_RE.match(line)
        if fence is None and match:
            fence = match.group(1)
            continue
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
                    and not line.strip().lstrip(fence[0]):
                fence = None
            continue
        yield number, _CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), line)


def check_authoring(body: str, segment_starts: list[int], html: str, where: Where) -> None:
    """Report every rule broken in a guide's `body` (its files start at `segment_starts`)."""
    lines = list(lines_outside_code(body))
    _check_alerts(lines, where)
    _check_second_front_matter(body.split("\n"), segment_starts, where)
    _check_template_tags(lines, where)
    _check_headings(lines, where)
    _check_footnotes(html, where)


def _indented(line: str) -> bool:
    return line.startswith(("    ", "\t"))


def check_callouts(body: str, where: Where) -> None:
    """An unknown callout kind, and a callout with no indented text (it would print as an
    empty box). Checked even when the guide could not be converted."""
    all_lines = body.split("\n")
    for number, line in lines_outside_code(body):
        match = OPENER_RE.match(line)
        if not match:
            continue
        if match.group(1) not in KINDS:
            where.line(number, f"unknown callout kind '{match.group(1)}' "
                               f"(expected one of: {', '.join(KINDS)})")
            continue
        after = all_lines[number:]  # the lines after the opener
        if match.group(1) == "prompt" and after and after[0].strip():
            continue  # a prompt's text may follow its line unindented
        text = next((rest for rest in after if rest.strip()), None)
        if text is None or not _indented(text):
            where.line(number, f"this '!!! {match.group(1)}' callout has no text, so it would "
                               f"print as an empty box: indent its text by four spaces under "
                               f"this line")


def _check_alerts(lines: list[tuple[int, str]], where: Where) -> None:
    previous = ""
    for number, line in lines:
        match = _ALERT_LINE_RE.match(line)
        if match and not previous.lstrip().startswith(">") \
                and match.group(1).upper() not in ALERTS:
            where.line(number, f"'[!{match.group(1)}]' is not an alert GitHub knows, so it would "
                               f"print as a plain quote: use one of "
                               f"{', '.join(f'[!{kind}]' for kind in ALERTS)}")
        previous = line


def _check_second_front_matter(all_lines: list[str], segment_starts: list[int],
                               where: Where) -> None:
    """A block of `key: value` lines between two `---` lines at the start of a file's text
    (after its own front matter) is a front matter the guide's reader did not take."""
    for start in segment_starts:
        index = start - 1
        while index < len(all_lines) and not all_lines[index].strip():
            index += 1
        if index >= len(all_lines) or all_lines[index].rstrip() != "---":
            continue
        end = next((i for i in range(index + 1, min(len(all_lines), index + 60))
                    if all_lines[i].rstrip() == "---"), None)
        inside = [text for text in all_lines[index + 1:end] if text.strip()] if end else []
        if inside and _FRONT_KEY_RE.match(inside[0]) and all(
                _FRONT_KEY_RE.match(text) or text.startswith((" ", "\t", "-")) for text in inside):
            where.line(index + 1, "a second front-matter block, which would print as text: "
                                  "move its lines into the front matter at the top of the file "
                                  "and delete this one")


def _check_template_tags(lines: list[tuple[int, str]], where: Where) -> None:
    for number, line in lines:
        for match in _TEMPLATE_RE.finditer(line):
            tag = match.group(0) if len(match.group(0)) <= 60 else match.group(0)[:57] + "..."
            where.line(number, f"'{tag}' is a template tag from another tool, which the PDF "
                               f"would print as it is: delete it, or put it in `backticks` to "
                               f"show it as code", match.start() + 1)


def _check_headings(lines: list[tuple[int, str]], where: Where) -> None:
    level = 1  # a guide may start with a chapter (#) or a section (##)
    previous = ""
    for number, line in lines:
        atx = _ATX_RE.match(line)
        setext = _SETEXT_RE.match(line) if previous.strip() and not atx else None
        if atx:
            found, text, at = len(atx.group(1)), atx.group(2) or "", number
        elif setext and not _ATX_RE.match(previous) and not previous.lstrip().startswith(
                ("-", "*", "+", ">", "|")) and not _indented(previous):
            found, text, at = (1 if setext.group(1)[0] == "=" else 2), previous, number - 1
        else:
            previous = line
            continue
        if found > level + 1:
            where.line(at, f"this heading skips a level ({'#' * level} to {'#' * found}): "
                           f"make it {'#' * (level + 1)}, or add the level in between")
        if _HEADING_LINK_RE.search(text):
            where.line(at, "a heading may not hold a link (it is also a bookmark and a "
                           "contents entry): put the link in the text under it")
        level = found
        previous = ""


def _check_footnotes(html: str, where: Where) -> None:
    """A footnote call the footnotes step did not turn into a note is still in the text."""
    text = _CODE_HTML_RE.sub("", html)
    for label in dict.fromkeys(FOOTNOTE_CALL_RE.findall(text)):
        where.report([f"[^{label}]"], f"footnote '[^{label}]' has no footnote: add a line "
                                       f"'[^{label}]: the note's text' below the paragraph")
