"""The participant map's review rules: when the map goes out, and how it moved between reviews."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conversations.meetings.map_review_rules import (
    CHANGES_LIMIT,
    clean_changes,
    map_goes_out_at,
    moved_since,
    notes_with_review,
    steps,
)
from storage.map_reviews import MapReview

START = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)


def _review(number: int, **figures: int) -> MapReview:
    at = START + timedelta(days=30 * number)
    return MapReview(number, 1, number, 9, at, at, f"review {number}", figures)


def test_the_map_goes_out_a_day_before_or_at_once_when_planned_later_and_never_after_the_start():
    assert map_goes_out_at(START, START - timedelta(days=3)) == START - timedelta(hours=24)
    late = START - timedelta(hours=5)
    assert map_goes_out_at(START, late) == late
    assert map_goes_out_at(START, START) is None
    assert map_goes_out_at(START, START + timedelta(minutes=1)) is None


def test_each_review_shows_how_every_figure_moved_since_the_one_before():
    history = steps(
        [
            _review(1, firms=24, workers=96, links=10, supporters=4),
            _review(2, firms=27, workers=90, links=12),  # a figure it did not keep counts as 0
            _review(3, firms=27, workers=90, links=12, supporters=1),
        ]
    )
    assert history[0].moved is None
    assert history[1].moved == {"firms": 3, "workers": -6, "links": 2, "supporters": -4}
    assert history[2].moved == {"firms": 0, "workers": 0, "links": 0, "supporters": 1}
    assert moved_since({"firms": 30, "workers": 90, "links": 12, "supporters": 1}, history[2].review) == {
        "firms": 3,
        "workers": 0,
        "links": 0,
        "supporters": 0,
    }
    assert moved_since({"firms": 30}, None) is None


def test_what_changed_is_tidied_and_refused_when_empty_or_too_long():
    assert clean_changes("  Dua  usaha baru \n\n pembeli   dari Solo ") == "Dua usaha baru\n\npembeli dari Solo"
    assert clean_changes("   ") is None
    assert clean_changes(None) is None
    assert clean_changes("x" * CHANGES_LIMIT) == "x" * CHANGES_LIMIT
    assert clean_changes("x" * (CHANGES_LIMIT + 1)) is None


def test_the_review_is_added_to_the_meetings_notes_once():
    line = "🗺 Peta partisipan: tidak ada perubahan"
    assert notes_with_review(None, line) == line
    assert notes_with_review("Bahan pewarna dibahas.", line) == f"Bahan pewarna dibahas.\n{line}"
    assert notes_with_review(f"Bahan pewarna dibahas.\n{line}", line) == f"Bahan pewarna dibahas.\n{line}"
