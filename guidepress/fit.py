"""Fit a cheat sheet on exactly one page: choose the type size by bisection, then columns.

Sections are never split. For a candidate size, one layout pass measures every section in a
single column of the final column width; the sections are then shared, in order, among the
columns so that the tallest column is as short as possible. The size is the largest one
between the floor and the ceiling at which the tallest column fits the page. Sections are
spaced evenly, and the last section of each column is stretched to the bottom of the page,
so that every column ends level.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

PX_PER_MM = 96 / 25.4


@dataclass(frozen=True)
class Measure:
    """One layout pass: the height of each section and the height the columns may use (px)."""

    heights: list[float]
    available: float
    gap: float  # the smallest space between two sections at this size


@dataclass
class Fit:
    """The chosen size, the layout passes it took, and the columns with their gaps."""

    size: float
    passes: int
    columns: list[list[int]] = field(default_factory=list)   # section indices per column
    gaps: list[float] = field(default_factory=list)          # space between sections, per column
    stretch: list[float] = field(default_factory=list)       # height of each column's last box
    fullness: float = 0.0                                    # tallest column / available
    available: float = 0.0                                   # the columns' height (px)


class Overflow(Exception):
    """The sheet does not fit even at the floor size."""

    def __init__(self, size: float, by_px: float, sections: list[int], passes: int):
        super().__init__(f"overflows by {by_px / PX_PER_MM:.0f} mm at {size:g} pt")
        self.size = size
        self.by_mm = by_px / PX_PER_MM
        self.sections = sections
        self.passes = passes


def column_height(heights: list[float], gap: float) -> float:
    """Height of sections stacked in one column with the minimum gap between them."""
    return sum(heights) + gap * max(len(heights) - 1, 0)


def partition(heights: list[float], columns: int, gap: float) -> tuple[float, list[list[int]]]:
    """Split sections, in order, into at most `columns` groups minimising the tallest group."""
    n = len(heights)
    columns = max(1, min(columns, n))
    cost = [[column_height(heights[i:j], gap) for j in range(n + 1)] for i in range(n + 1)]
    inf = float("inf")
    # best[c][j]: the tallest column when the first j sections fill c columns
    best = [[inf] * (n + 1) for _ in range(columns + 1)]
    split = [[0] * (n + 1) for _ in range(columns + 1)]
    best[0][0] = 0.0
    for c in range(1, columns + 1):
        for j in range(1, n + 1):
            for i in range(c - 1, j):
                candidate = max(best[c - 1][i], cost[i][j])
                if candidate < best[c][j]:
                    best[c][j], split[c][j] = candidate, i
    groups, j = [], n
    for c in range(columns, 0, -1):
        i = split[c][j]
        groups.append(list(range(i, j)))
        j = i
    groups.reverse()
    return best[columns][n], [g for g in groups if g]


def spill(measure: Measure, columns: int) -> tuple[float, list[int]]:
    """How far the best arrangement overflows, and the sections that do not fit.

    Columns are filled in order; a section that no longer fits in the last column, or
    that is taller than a whole column, does not fit, and neither does anything after it.
    """
    column, used, spilled = 0, 0.0, []
    for index, height in enumerate(measure.heights):
        needed = height if used == 0 else used + measure.gap + height
        if spilled or height > measure.available:
            spilled.append(index)
        elif needed <= measure.available:
            used = needed
        elif column + 1 < columns:
            column, used = column + 1, height
        else:
            spilled.append(index)
    tallest, _ = partition(measure.heights, columns, measure.gap)
    return tallest - measure.available, spilled


def choose(measure: Measure, size: float, columns: int, passes: int) -> Fit:
    """Arrange measured sections in columns and share out the leftover space."""
    tallest, groups = partition(measure.heights, columns, measure.gap)
    gaps = [measure.gap] * len(groups)
    stretch = []
    for group in groups:
        above = column_height([measure.heights[i] for i in group[:-1]], measure.gap)
        stretch.append(measure.available - above - (measure.gap if len(group) > 1 else 0))
    return Fit(size, passes, groups, gaps, stretch, tallest / measure.available,
               measure.available)


def fit(measure_at: Callable[[float], Measure], floor: float, ceiling: float, columns: int,
        step: float = 0.1) -> Fit:
    """Find the largest size in [floor, ceiling] (to `step` pt) at which the sheet fits.

    A bisection, guided: the height of wrapped text grows about as the square of the type
    size, so each measurement predicts where the boundary lies and the next pass is aimed
    just under it. A prediction that fails to halve the bracket is followed by a plain
    bisection step, so the number of passes is never worse than a bisection's.
    """
    passes = 0

    def probe(size: float) -> tuple[bool, Measure, float]:
        nonlocal passes
        passes += 1
        measure = measure_at(size)
        tallest = partition(measure.heights, columns, measure.gap)[0]
        return tallest <= measure.available, measure, tallest / measure.available

    ok, measure, ratio = probe(ceiling)
    if ok:
        return choose(measure, ceiling, columns, passes)
    low, low_measure, high = floor, None, ceiling
    guess, guided, miss = ceiling / ratio ** 0.5, True, abs(ratio - 1)
    if guess <= floor:
        guess = floor  # predicted not to fit at all: try the floor first, and fail fast
    while high - low > step + 1e-9:
        if guided and guess <= floor:
            size = floor
        elif guided:
            size = min(max(guess - step / 4, low + step / 2), high - step / 2)
        else:
            size = (low + high) / 2
        size = round(size, 2)
        ok, measure, ratio = probe(size)
        if ok:
            low, low_measure = size, measure
        elif size <= floor:
            over, spilled = spill(measure, columns)
            raise Overflow(floor, over, spilled, passes)
        else:
            high = size
        guess = size / ratio ** 0.5
        guided, miss = abs(ratio - 1) <= miss / 2 or not guided, abs(ratio - 1)
    if low_measure is None:
        ok, low_measure, _ = probe(floor)
        if not ok:
            over, spilled = spill(low_measure, columns)
            raise Overflow(floor, over, spilled, passes)
    return choose(low_measure, low, columns, passes)
