"""Paper questionnaires: how each answer was entered is kept, counted apart, and old rows read as before."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conversations.survey.results_views import entries_text
from conversations.survey.rules import EntryCounts, RoundTap, entry_counts, parse_tap, round_figures, tap_data
from storage import forms
from storage.database import Database

NOW = datetime(2026, 6, 1, tzinfo=UTC)
MIGRATIONS = Path(__file__).parents[2] / "storage" / "migrations"


def test_answers_are_counted_by_how_they_were_entered():
    counts = entry_counts(["phone", "paper", "paper", "interview", "phone", "paper"])
    assert counts == EntryCounts(phone=2, interview=1, paper=3) and counts.total == 6
    assert entry_counts([]) == EntryCounts() and EntryCounts().total == 0


def test_round_figures_carry_the_entry_counts_and_default_to_phone():
    figures = round_figures([1, 2, 3], [1, None, 2], ["phone", "paper", "interview"])
    assert figures.answers == 3 and figures.entries == EntryCounts(phone=1, interview=1, paper=1)
    assert round_figures([1], [1]).entries == EntryCounts(phone=1)


def test_the_results_line_names_only_the_ways_that_were_used():
    assert entries_text("id", EntryCounts(phone=9, paper=3)) == "Jawaban: 12 (lewat HP 9, kertas 3)"
    assert entries_text("en", EntryCounts(phone=1, interview=2, paper=3)) == (
        "Answers: 6 (by phone 1, interviews 2, on paper 3)"
    )


@pytest.mark.parametrize(("step", "values"), [("pp", (12, 0)), ("pv", (12, 6001)), ("ppn", (12,)), ("pc", (12, 40))])
def test_the_paper_buttons_read_back_as_their_taps(step, values):
    assert parse_tap(tap_data(step, *values)) == RoundTap(step, *values)
    assert parse_tap(tap_data(step, *values, 1)) is None  # one number too many: stale


async def test_a_paper_response_is_stored_as_paper_and_counted_once_sent(tmp_path):
    db = await Database.open(tmp_path / "paper.sqlite3")
    try:
        async with db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO users (id, first_name, language, first_seen, last_seen) VALUES (?, 'A', 'id', ?, ?)",
                [(uid, NOW.isoformat(), NOW.isoformat()) for uid in (1, 2, 3)],
            )
            common = {"form_id": "annex1", "form_version": 1, "subject": "survey_round:1", "now": NOW}
            own = await forms.start_response(tx, respondent_id=2, respondent_name=None, entered_by=2, **common)
            asked = await forms.start_response(tx, respondent_id=3, respondent_name="C", entered_by=1, **common)
            paper = await forms.start_response(
                tx, respondent_id=None, respondent_name="Bu Sri", entered_by=1, source="paper", **common
            )
            assert (own.source, asked.source, paper.source) == ("phone", "interview", "paper")
            assert paper.from_paper and paper.interviewed and not asked.from_paper
            assert await forms.paper_count(tx, "survey_round:1") == 0  # not sent yet
            assert [r.id for r in await forms.unsent_paper(tx, "survey_round:1", 1)] == [paper.id]
            assert await forms.unsent_paper(tx, "survey_round:1", 2) == []
            await forms.submit(tx, paper.id, NOW)
            assert await forms.paper_count(tx, "survey_round:1") == 1
            assert await forms.unsent_paper(tx, "survey_round:1", 1) == []
            with pytest.raises(ValueError):
                await forms.start_response(
                    tx, respondent_id=None, respondent_name="X", entered_by=1, source="fax", **common
                )
    finally:
        await db.close()


def test_rows_from_before_the_migration_read_as_phone_or_interview(tmp_path):
    conn = sqlite3.connect(tmp_path / "old.sqlite3")
    files = sorted(MIGRATIONS.glob("*.sql"))
    for path in files:
        if path.name.endswith("_how_answers_were_entered.sql"):
            break
        conn.executescript(path.read_text(encoding="utf-8"))
    conn.executemany(
        "INSERT INTO users (id, first_name, language, first_seen, last_seen) VALUES (?, 'A', 'id', 'x', 'x')",
        [(1,), (2,)],
    )
    rows = [(2, 2), (2, 1), (None, 1)]  # own answers, an interview of a member, an interview of someone not listed
    conn.executemany(
        "INSERT INTO form_responses (form_id, form_version, subject, respondent_id, entered_by, started_at, updated_at) "
        "VALUES ('annex1', 1, ?, ?, ?, 'x', 'x')",
        [(f"survey_round:{n}", respondent, entered) for n, (respondent, entered) in enumerate(rows)],
    )
    conn.executescript(
        next(p for p in files if p.name.endswith("_how_answers_were_entered.sql")).read_text(encoding="utf-8")
    )
    sources = [row[0] for row in conn.execute("SELECT source FROM form_responses ORDER BY id")]
    assert sources == ["phone", "interview", "interview"]
    conn.close()
