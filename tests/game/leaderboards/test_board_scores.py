"""The packed sorted-set score: exact scores, reached-first tie-breaks, and their ranges."""

from __future__ import annotations

from datetime import UTC, datetime

from game.leaderboards.boards import Board
from game.leaderboards.periods import board_bounds

ORIGIN = datetime(2026, 6, 8, tzinfo=UTC)


def _board(period: str, label: str) -> Board:
    start, end = board_bounds(period, label)  # type: ignore[arg-type]
    return Board.spanning("k", start, end)


def test_time_resolution_and_score_range_of_each_period():
    week, month, lifetime = (
        _board("week", "2026-W24"),
        _board("month", "2026-02"),
        _board("all", "all"),
    )
    assert (week.time_bits, month.time_bits, lifetime.time_bits) == (20, 22, 30)
    assert week.exact_scores_below == 2**33  # 8.6 million kg in one week
    assert month.exact_scores_below == 2**31
    assert lifetime.exact_scores_below == 2**23  # 8,388,608 g with tie-breaks until 2059
    assert _board("month", "2026-12").time_bits == 22


def test_higher_score_wins_then_earlier_arrival():
    week = _board("week", "2026-W24")
    t0 = int(ORIGIN.timestamp())
    assert week.pack(101, t0 + 500_000) > week.pack(100, t0)
    assert week.pack(100, t0) > week.pack(100, t0 + 1)
    for score in (0, 1, 12_345, 2**33 - 1):
        assert week.unpack(week.pack(score, t0 + 7)) == score


def test_scores_beyond_the_tie_break_range_stay_exact_and_ordered():
    lifetime = _board("all", "all")
    now = int(datetime(2040, 1, 1, tzinfo=UTC).timestamp())
    top = lifetime.exact_scores_below
    packed = [lifetime.pack(s, now) for s in (top - 1, top, top + 1, 2**40)]
    assert packed == sorted(packed)
    assert [lifetime.unpack(p) for p in packed] == [top - 1, top, top + 1, 2**40]
    # Arrival times before the origin or after the range clamp instead of spilling over.
    assert lifetime.unpack(lifetime.pack(5, 0)) == 5
    assert lifetime.unpack(lifetime.pack(5, 2**40)) == 5
