"""Read a guide's Markdown once, line by line, for what must stop it before Python-Markdown
parses it: a guide too big, too deep or too long to parse in reasonable time, or a mistake that
would print as a jumble (a code block never closed, a heading without text).

Every limit is in the message that reports it. Why each is where it is:

- MAX_GUIDE_CHARS: all of a guide's files together, like one source file (about 600 pages).
- MAX_PIECES: the headings, list items, table rows and cells, links, emphasis, code spans and
  raw HTML tags of one guide, counted roughly by their marks. Python-Markdown spends 30 to
  200 microseconds on each, whatever its size: a 600-page guide has about 45,000, and at
  100,000 the check of the densest guide takes under 10 seconds (2 MB of headings took 90 s).
- MAX_DEPTH: lists and quotes inside each other. A guide reads well up to three or four levels
  and each level indents the text by about 6 mm, so past 20 a line has little room left on an
  A4 page; Python-Markdown parses each level by recursion, in time that grows with the cube of
  the depth (200 levels took 0.4 s, 400 levels 2.8 s and then a RecursionError).
- MAX_TABLE_ROWS: a 5,000-row table (about 110 A4 pages) still builds; beyond, a table belongs
  in a spreadsheet that the guide links to.
- MAX_BLOCK_LINES: lines that follow one another without a blank line. Python-Markdown works
  through such a run a line at a time, copying the rest each time, in time that grows with the
  square of its length (16,000 heading lines took 4 s). A table's rows are read in one go, and
  raw HTML lines are set aside whole: neither counts.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

MAX_GUIDE_CHARS = 2_000_000  # as much as one source file may hold
MAX_PIECES = 100_000
MAX_DEPTH = 20
MAX_TABLE_ROWS = 5000
MAX_BLOCK_LINES = 1000
#: What a heading, a callout and a code block cost, counted in other pieces: a heading is
#: also an entry of the contents and often a chapter, a callout a box with a title and an
#: icon, and a code block is highlighted.
HEADING_PIECES = 3
CALLOUT_PIECES = 5
CODE_PIECES = 10
#: The character that stands for a '<' opening nothing while Python-Markdown works (see
#: bounded.py): a Unicode noncharacter, which no guide may contain.
NONCHARACTER = "\ufdd0"

# Python-Markdown's fenced code: an opening fence at the start of a line, with an optional
# language or {attributes}, closed by a line that is the very same fence.
_OPENER_RE = re.compile(r"^(`{3,}|~{3,})[ ]*(?:\{[^\n]*\}|\.?[\w#.+-]*[ ]*"
                        r"(?:hl_lines=(\"|').*?\2[ ]*)?)$")
_CLOSER_RE = re.compile(r"^(`{3,}|~{3,})[ ]*$")
# One level of nesting: a quote marker, or a list marker followed by a space.
_MARKER_RE = re.compile(r"[ \t]*(?:>|(?:[*+-]|\d{1,9}\.)(?=[ \t]|$))")
_RULE_RE = re.compile(r"^[ ]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTES_RE = re.compile(r"^(?:[ \t]*>)*[ \t]*")
_SEPARATOR_RE = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_EMPTY_HEADING_RE = re.compile(r"^#{1,6}[ \t]*#*[ \t]*$")
# The marks of inline pieces: links, code, emphasis, raw HTML, entities, table cells.
_PIECE_RE = re.compile(r"\[|`+|\*+|_+|<[A-Za-z/!?]|&[#\w]|\|")


@dataclass(frozen=True)
class Finding:
    """A problem at a line of the text (1-based) and, when known, a column."""

    line: int
    message: str
    col: int | None = None


def prescan(text: str) -> tuple[list[Finding], int]:
    """What stops the text before it is parsed, and the line of its deepest nesting."""
    if len(text) > MAX_GUIDE_CHARS:
        return [Finding(1, f"this guide's files hold {len(text):,} characters together, more "
                           f"than the limit of {MAX_GUIDE_CHARS:,} (about 600 pages): split "
                           f"it into several guides")], 1
    lines = text.split("\n")
    scan = _Scan(lines)
    scan.run()
    if NONCHARACTER in text:
        offset = text.index(NONCHARACTER)
        line = text.count("\n", 0, offset) + 1
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        scan.findings.append(Finding(line, "contains U+FDD0, an invisible character that is "
                                           "not text: delete it", col))
    return scan.findings, scan.deepest_line


class _Scan:
    """One pass over the lines; see `prescan`."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.findings: list[Finding] = []
        self.deepest, self.deepest_line = 0, 1
        self.pieces = 0
        # the current run of lines without a blank line
        self.run_start, self.run_lines, self.table_at, self.deep_reported = 0, 0, None, False

    def run(self) -> None:
        code = _fenced_code(self.lines, self.findings)
        index = 0
        while index < len(self.lines):
            if index in code:
                self.run_lines += 1  # a code block becomes one line of its block
                self._count(index, CODE_PIECES)
                index = code[index] + 1
                continue
            line = self.lines[index]
            if not line.strip():
                self._end_run(index)
                self.run_start = index + 1
            else:
                self._line(index, line)
            index += 1
        self._end_run(len(self.lines))

    def _line(self, index: int, line: str) -> None:
        if not line.lstrip().startswith("<"):
            self.run_lines += 1
        pieces = 1 + len(_PIECE_RE.findall(line))
        if line.startswith("#"):
            pieces += HEADING_PIECES - 1
        elif line.lstrip().startswith("!!!"):
            pieces += CALLOUT_PIECES
        self._count(index, pieces)
        if (self.table_at is None and "|" in line and index + 1 < len(self.lines)
                and _SEPARATOR_RE.match(_QUOTES_RE.sub("", self.lines[index + 1], count=1))):
            self.table_at = index
        if _EMPTY_HEADING_RE.match(line):
            self.findings.append(Finding(index + 1, "this heading has no text: write its title "
                                                    "after the '#', or delete the line"))
        depth = nesting(line)
        if depth > self.deepest:
            self.deepest, self.deepest_line = depth, index + 1
        if depth > MAX_DEPTH and not self.deep_reported:
            self.deep_reported = True
            self.findings.append(Finding(index + 1, f"lists and quotes are nested {depth:,} "
                                                    f"levels deep here, more than the limit of "
                                                    f"{MAX_DEPTH}: indent this line less"))

    def _count(self, index: int, pieces: int) -> None:
        before, self.pieces = self.pieces, self.pieces + pieces
        if before <= MAX_PIECES < self.pieces:
            self.findings.append(Finding(index + 1, f"the guide has more than {MAX_PIECES:,} "
                                                    f"headings, list items, table cells, links "
                                                    f"and other marked-up pieces by this line, "
                                                    f"the most one guide may have: split it "
                                                    f"into several guides"))

    def _end_run(self, end: int) -> None:
        """Check the run of lines that ends here: its table's rows and its length."""
        count = self.run_lines
        if self.table_at is not None:
            rows = end - self.table_at - 2
            if rows > MAX_TABLE_ROWS:
                self.findings.append(Finding(self.table_at + 1, f"this table has {rows:,} rows, "
                                                                f"more than the limit of "
                                                                f"{MAX_TABLE_ROWS:,}: split it "
                                                                f"into several tables"))
            count -= end - self.table_at
        if count > MAX_BLOCK_LINES:
            self.findings.append(Finding(self.run_start + 1, f"{count:,} lines follow one another "
                                                             f"here without a blank line, more "
                                                             f"than the limit of "
                                                             f"{MAX_BLOCK_LINES:,}: put a blank "
                                                             f"line between paragraphs, lists "
                                                             f"and headings"))
        self.run_lines, self.table_at, self.deep_reported = 0, None, False


def nesting(line: str) -> int:
    """How many lists and quotes a line opens or sits in: each four columns of indent before
    its first marker are one level, and so is each '>' and each list marker at its start."""
    if _RULE_RE.match(line):
        return 0
    expanded = line.expandtabs(4)
    indent = len(expanded) - len(expanded.lstrip(" "))
    markers, position = 0, 0
    while (match := _MARKER_RE.match(expanded, position)) and match.end() > position:
        markers += 1
        position = match.end()
    return indent // 4 + markers if markers else 0


def _fenced_code(lines: list[str], findings: list[Finding]) -> dict[int, int]:
    """Each fenced code block, as its first line -> its last line (fences included); each
    fence that is never closed is a finding."""
    closers: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        if line[:1] in "`~" and (match := _CLOSER_RE.match(line)):
            closers.setdefault(match.group(1), []).append(index)
    code: dict[int, int] = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        match = _OPENER_RE.match(line) if line[:1] in "`~" else None
        if match is None:
            index += 1
            continue
        fence = match.group(1)
        candidates = closers.get(fence, [])
        at = bisect.bisect_right(candidates, index)
        if at == len(candidates):
            findings.append(Finding(index + 1, f"this code block is never closed: add a line "
                                               f"{fence} where the code ends"))
            index += 1
            continue
        code[index] = candidates[at]
        index = candidates[at] + 1
    return code
