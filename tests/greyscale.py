"""Measure what a page printed in black and white keeps: the rules drawn around callouts and
under the cheat sheet's Do and Don't headings, colour left out.

A page is rendered in greyscale at SCALE pixels a point. A pixel darker than INK is ink (a rule
or a glyph); the tints behind callouts (grey 241-247 in greyscale) and white are not, so two
boxes that differ only in colour or tint measure the same. A box's signature is, for each side,
how much of its length is ink at each distance from its outer edge (the edge profile): a 3pt
solid bar is 1.0 for 3pt then 0; a 5pt bar is 1.0 for 5pt; a double bar 1, 0, 1; a dashed bar
about 0.5; no rule 0. Two signatures differ by the largest gap between them at any side and
distance: 0 for the same drawing in two colours, 1.0 for a rule one has and the other has not.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

SCALE = 4                 # pixels per point: a 0.75pt hairline is 3 pixels
INK = 230                 # darker than this is ink; the lightest rule (--rule) is about 221
WHITE = 251               # lighter than this is the page
#: Two signatures this far apart are told apart at a glance: at some depth, 40% of a side's
#: length is ink in one and not in the other (a thin solid bar and a dotted one differ by 0.56).
DISTINCT = 0.4
#: How far into a callout each side's profile reaches, in points: less than the padding, so
#: the title, its icon and the body text are never measured.
REACH = {"left": 8, "top": 5, "right": 5, "bottom": 3.5}
#: How far below a heading word's baseline to look for its rule, in the word's heights:
#: past the rule under the heading row, short of the first row's text.
DEPTH = 1.2
CORNER = 6                # points left out at each end of a side: rounded corners, other sides


class Page:
    """One PDF page as a greyscale image and its text, in pixel coordinates from the top."""

    def __init__(self, pdf: pdfium.PdfDocument, index: int):
        self.page = pdf[index]
        self.height = self.page.get_height()
        self.image = self.page.render(scale=SCALE, grayscale=True).to_pil().convert("L")
        self.pixels = self.image.load()
        self.width_px, self.height_px = self.image.size
        self.text = self.page.get_textpage()

    def matches(self, words: str, whole_word: bool = False) -> list[tuple[int, int, int, int]]:
        """The pixel box (left, top, right, bottom) of every match of `words`, in order."""
        searcher = self.text.search(words, match_case=True, match_whole_word=whole_word)
        found = []
        while (match := searcher.get_next()) is not None:
            start, count = match
            boxes = [self.text.get_charbox(i) for i in range(start, start + count)]
            left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
            bottom, top = min(b[1] for b in boxes), max(b[3] for b in boxes)
            found.append((round(left * SCALE), round((self.height - top) * SCALE),
                          round(right * SCALE), round((self.height - bottom) * SCALE)))
        return found

    def ink(self, x: int, y: int) -> bool:
        return self.pixels[x, y] < INK

    def blank(self, x: int, y: int) -> bool:
        return self.pixels[x, y] >= WHITE


def pages(path: Path) -> list[Page]:
    """Every page of a PDF, rendered in greyscale."""
    pdf = pdfium.PdfDocument(str(path))
    return [Page(pdf, i) for i in range(len(pdf))]


def callout_box(page: Page, anchor: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """The outer pixel box of the callout holding the text at `anchor`.

    Across, the box runs from the first to the last non-white pixel of the text's rows (nothing
    else shares a row with a callout; the text is a few points tall, so a dotted bar shows at
    least one dot); up and down, as far as the strip along its left edge is not white: a bar,
    a border or the tint behind it.
    """
    band = range(anchor[1], anchor[3] + 1)
    x0 = min(next(x for x in range(page.width_px) if not page.blank(x, y)) for y in band)
    x1 = max(next(x for x in range(page.width_px - 1, -1, -1) if not page.blank(x, y))
             for y in band)
    row = (anchor[1] + anchor[3]) // 2
    edge = range(x0, x0 + 5 * SCALE)

    def inside(y: int) -> bool:
        return 0 <= y < page.height_px and any(not page.blank(x, y) for x in edge)

    y0, y1 = row, row
    while inside(y0 - 1):
        y0 -= 1
    while inside(y1 + 1):
        y1 += 1
    return x0, y0, x1, y1


def edge_profiles(page: Page, box: tuple[int, int, int, int]) -> dict[str, list[float]]:
    """For each side of `box`, the share of its length that is ink at each pixel inward."""
    x0, y0, x1, y1 = box
    margin = CORNER * SCALE
    down, across = range(y0 + margin, y1 - margin), range(x0 + margin, x1 - margin)
    points = {
        "left": lambda d: [(x0 + d, y) for y in down],
        "right": lambda d: [(x1 - d, y) for y in down],
        "top": lambda d: [(x, y0 + d) for x in across],
        "bottom": lambda d: [(x, y1 - d) for x in across],
    }
    profiles = {}
    for side, along in points.items():
        profile = []
        for depth in range(round(REACH[side] * SCALE)):
            line = along(depth)
            profile.append(sum(page.ink(x, y) for x, y in line) / len(line))
        profiles[side] = profile
    return profiles


def difference(a: dict[str, list[float]], b: dict[str, list[float]]) -> float:
    """The largest gap between two signatures at any side and depth (0 to 1), each side
    compared at its best alignment within a pixel: where an anti-aliased edge falls is not a
    difference anyone sees."""
    def gap(p: list[float], q: list[float], shift: int) -> float:
        pairs = zip(p[max(shift, 0):], q[max(-shift, 0):])
        return max(abs(x - y) for x, y in pairs)

    return max(min(gap(a[side], b[side], shift) for shift in (-1, 0, 1)) for side in a)


def callout_signatures(path: Path, anchors: dict[str, str]) -> dict[str, dict]:
    """Each kind's edge profiles, its callout found by the words `anchors[kind]` inside it."""
    found = {}
    for page in pages(path):
        for kind, words in anchors.items():
            where = page.matches(words)
            if where and kind not in found:
                found[kind] = edge_profiles(page, callout_box(page, where[0]))
    missing = set(anchors) - set(found)
    assert not missing, f"no callout found for {sorted(missing)}"
    return found


def under_rule_profile(page: Page, word: tuple[int, int, int, int], width: int,
                       depth: int) -> list[float]:
    """Below a heading word: the share of each pixel row that is ink, `width` pixels from the
    word's left, from the word's baseline down `depth` pixels."""
    left, _, _, bottom = word
    columns = range(left, left + width)
    return [sum(page.ink(x, y) for x in columns) / width for y in range(bottom + 1,
                                                                      bottom + 1 + depth)]


def heading_rules(path: Path, do: str, dont: str) -> tuple[list[float], list[float]]:
    """The rows under the cheat sheet's Do and Don't column headings (on its first page): the
    first Don't with a Do on its line (the two overlap in height), to its left."""
    page = pages(path)[0]
    # The PDF may print a straight apostrophe as a curly one, or keep it.
    donts = page.matches(dont, whole_word=True) or \
        page.matches(dont.replace("'", "\u2019"), whole_word=True)
    dos = page.matches(do, whole_word=True)
    pairs = [(first, second) for second in donts for first in dos
             if first[1] < second[3] and second[1] < first[3] and first[2] < second[0]]
    assert pairs, f"no {do!r} heading beside a {dont!r} heading"
    first, second = pairs[0]
    width = second[2] - second[0]          # both rules measured as wide as the Don't word
    depth = round((second[3] - second[1]) * DEPTH)
    return (under_rule_profile(page, first, width, depth),
            under_rule_profile(page, second, width, depth))
