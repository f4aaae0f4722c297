"""The shared page buttons: a page or an id a forged button carries never reaches int()."""

from __future__ import annotations

import pytest

from bot.paging import MAX_PAGE, PageTap, parse_page_tap


def test_a_page_button_reads_its_target_and_page():
    assert parse_page_tap(["brd", "7", "2"], "brd") == PageTap(7, 2)
    assert parse_page_tap(["brd", "7"], "brd") == PageTap(7, None)


@pytest.mark.parametrize(
    "parts",
    [None, [], ["brd"], ["brd", "x"], ["brd", "7", "²"], ["brd", "٣"], ["brd", "7", str(MAX_PAGE + 1)], ["other", "7"]],
)
def test_a_forged_page_button_is_stale(parts):
    assert parse_page_tap(parts, "brd") is None
