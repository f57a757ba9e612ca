"""The fitting arithmetic, on made-up measurements (no rendering)."""

from __future__ import annotations

import pytest

from guidepress.fit import Measure, Overflow, fit, partition, spill


def test_partition_keeps_order_and_minimises_the_tallest_column():
    assert partition([30, 10, 10, 30, 20], 3, gap=0) == (40, [[0, 1], [2, 3], [4]])


def test_partition_counts_the_gaps():
    assert partition([10, 10], 1, gap=5) == (25, [[0, 1]])


def scaled(size: float) -> Measure:
    """Sections grow with the square of the size, as wrapped text does."""
    return Measure([size * size * f for f in (4, 2, 3, 2, 4, 3)], available=800, gap=size)


def test_fit_bisects_to_the_largest_size_that_fits():
    result = fit(scaled, floor=6, ceiling=12, columns=3)
    assert 6 <= result.size < 12
    assert partition(scaled(result.size).heights, 3, result.size)[0] <= 800
    assert partition(scaled(result.size + 0.11).heights, 3, result.size + 0.11)[0] > 800
    assert result.passes <= 9


def test_fit_uses_the_ceiling_when_everything_fits():
    result = fit(lambda s: Measure([10, 10, 10], 800, 1), floor=6, ceiling=11, columns=3)
    assert (result.size, result.passes) == (11, 1)


def test_columns_end_level_by_stretching_each_last_section():
    heights = [100, 200, 100, 250, 50]
    result = fit(lambda s: Measure(heights, 400, 10), 6, 11, 3)
    assert result.gaps == [10, 10, 10]
    for group, last in zip(result.columns, result.stretch):
        above = [heights[i] for i in group[:-1]]
        assert sum(above) + 10 * len(above) + last == pytest.approx(400)
        assert last >= heights[group[-1]]


def test_overflow_at_the_floor_names_the_sections_that_do_not_fit():
    with pytest.raises(Overflow) as caught:
        fit(lambda s: Measure([300, 300, 300, 300], 500, 10), 6, 11, 2)
    assert caught.value.sections == [2, 3]
    assert caught.value.by_mm == pytest.approx(110 * 25.4 / 96)
    assert caught.value.passes == 2


def test_spill_marks_a_section_taller_than_a_column():
    over, spilled = spill(Measure([100, 900, 50], 500, 10), 3)
    assert spilled == [1, 2]
    assert over == pytest.approx(400)
