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


def test_fit_finds_the_largest_size_that_fits_in_a_few_passes():
    result = fit(scaled, floor=6, ceiling=12, columns=3)
    assert 6 <= result.size < 12
    assert partition(scaled(result.size).heights, 3, result.size)[0] <= 800
    assert partition(scaled(result.size + 0.11).heights, 3, result.size + 0.11)[0] > 800
    assert result.passes <= 4


def test_a_poor_prediction_falls_back_to_bisection():
    def lumpy(size: float) -> Measure:  # heights jump, as when a line suddenly wraps
        return Measure([400 if size > 7.03 else 100] * 3, available=300, gap=5)

    result = fit(lumpy, floor=6, ceiling=12, columns=3)
    assert result.size == pytest.approx(7.0, abs=0.1)
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
    def crowded(size: float) -> Measure:
        return Measure([size * size * 4] * 4, available=500, gap=10)

    with pytest.raises(Overflow) as caught:
        fit(crowded, 8, 11, 2)
    # At the floor, 256 px each: two per column would need 522 px of the 500.
    assert caught.value.sections == [2, 3]
    assert caught.value.by_mm == pytest.approx(22 * 25.4 / 96)
    assert caught.value.passes == 2  # the ceiling, then straight to the floor


def test_spill_marks_a_section_taller_than_a_column():
    over, spilled = spill(Measure([100, 900, 50], 500, 10), 3)
    assert spilled == [1, 2]
    assert over == pytest.approx(400)
