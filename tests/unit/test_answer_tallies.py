"""The answer tallies (migration 0020) always equal a count of the sent answers they stand for.

The committee's figures read each survey round's histogram from ``answer_tallies`` instead of every
answer. Whatever happens to the answers (sent, changed after sending, dropped because another
answer made them moot, reopened, deleted, a questionnaire tracked only after its answers were
stored), the tallies must be exactly what counting the answers gives, or a committee would see
scores its members never gave.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime

from storage import forms
from storage.database import Database

NOW = datetime(2026, 6, 1, tzinfo=UTC)
TRACKED = [("survey", 1, "q1"), ("survey", 1, "q2")]
OPTIONS = ["a", "b", "c"]


async def _counted(conn) -> dict[tuple[str, str, str], int]:
    """What the tallies should be: the sent answers to tracked questions, counted."""
    async with conn.execute(
        "SELECT f.subject, a.question, a.value, COUNT(*) FROM form_responses f JOIN form_answers a ON a.response_id = f.id "
        "JOIN tallied_questions q ON q.form_id = f.form_id AND q.form_version = f.form_version AND q.question = a.question "
        "WHERE f.status = 'submitted' GROUP BY f.subject, a.question, a.value"
    ) as cursor:
        return {(s, q, v): n for s, q, v, n in await cursor.fetchall()}


async def _tallies(conn) -> dict[tuple[str, str, str], int]:
    async with conn.execute("SELECT subject, question, value, count FROM answer_tallies") as cursor:
        return {(s, q, v): n for s, q, v, n in await cursor.fetchall()}


async def _people(tx, count: int) -> None:
    await tx.executemany(
        "INSERT INTO users (id, first_name, language, first_seen, last_seen) VALUES (?, 'A', 'id', ?, ?)",
        [(uid, NOW.isoformat(), NOW.isoformat()) for uid in range(1, count + 1)],
    )


async def test_a_thousand_random_changes_leave_the_tallies_equal_to_the_counted_answers(tmp_path):
    rng = random.Random(3)
    db = await Database.open(tmp_path / "tallies.sqlite3")
    try:
        async with db.transaction() as tx:
            await _people(tx, 30)
            assert await forms.track_choices(tx, TRACKED) == 2
            assert await forms.track_choices(tx, TRACKED) == 0  # a second start tracks nothing new
        responses: list[int] = []
        operations: dict[str, int] = {}
        most = 0
        for _step in range(1_000):
            async with db.transaction() as tx:
                operation = rng.choices(["start", "answer", "submit", "reopen", "drop", "delete"], [3, 6, 3, 1, 1, 1])[
                    0
                ]
                if operation == "start" or not responses:
                    response = await forms.start_response(
                        tx,
                        form_id="survey",
                        form_version=1,
                        subject=f"survey_round:{rng.randrange(1, 4)}",
                        respondent_id=None,
                        respondent_name=f"Responden {len(responses)}",
                        entered_by=rng.randrange(1, 31),
                        now=NOW,
                    )
                    responses.append(response.id)
                    operation = "start"
                else:
                    response_id = rng.choice(responses)
                    if operation == "answer":  # before or after sending (an answer edited after sending)
                        question = rng.choice(["q1", "q2", "q3", "note"])  # q3 and the note are not tracked
                        value = rng.choice(OPTIONS) if question != "note" else "teks bebas"
                        await forms.save_answer(tx, response_id, question, value, None, NOW)
                    elif operation == "submit":
                        await forms.submit(tx, response_id, NOW)
                    elif operation == "reopen":
                        await forms.reopen(tx, response_id, "q1", NOW)
                    elif operation == "drop":
                        await forms.drop_answers(tx, response_id, [rng.choice(["q1", "q2", "note"])])
                    else:
                        await tx.execute("DELETE FROM form_focus WHERE response_id = ?", (response_id,))
                        await tx.execute("DELETE FROM form_answers WHERE response_id = ?", (response_id,))
                        await tx.execute("DELETE FROM form_responses WHERE id = ?", (response_id,))
                        responses.remove(response_id)
                operations[operation] = operations.get(operation, 0) + 1
                tallies = await _tallies(tx)
                assert tallies == await _counted(tx), (_step, operation)
                most = max(most, sum(tallies.values()))
                assert all(question in ("q1", "q2") for _s, question, _v in tallies)  # tracked only, no free text
                assert all(count > 0 for count in tallies.values())  # nothing left at zero
        assert min(operations.values()) >= 50, operations  # every kind of change happened often
        assert most >= 20, most  # at times many sent answers were there to count
    finally:
        await db.close()


async def test_a_questionnaire_tracked_after_its_answers_were_stored_is_counted_from_them(tmp_path):
    """A database from before the tallies, or a new questionnaire: the first start counts what is there."""
    db = await Database.open(tmp_path / "upgrade.sqlite3")
    try:
        async with db.transaction() as tx:
            await _people(tx, 5)
            for uid, (first, second) in enumerate([("a", "b"), ("a", "a"), ("c", "b"), ("a", "b")], start=1):
                response = await forms.start_response(
                    tx,
                    form_id="survey",
                    form_version=1,
                    subject="survey_round:7",
                    respondent_id=uid,
                    respondent_name=None,
                    entered_by=uid,
                    now=NOW,
                )
                await forms.save_answer(tx, response.id, "q1", first, None, NOW)
                await forms.save_answer(tx, response.id, "q2", second, None, NOW)
                if uid != 4:  # the fourth is still being filled in
                    await forms.submit(tx, response.id, NOW)
            assert await _tallies(tx) == {}  # nothing tracked yet
            await forms.track_choices(tx, TRACKED)
            assert await _tallies(tx) == {
                ("survey_round:7", "q1", json.dumps("a")): 2,
                ("survey_round:7", "q1", json.dumps("c")): 1,
                ("survey_round:7", "q2", json.dumps("b")): 2,
                ("survey_round:7", "q2", json.dumps("a")): 1,
            }
    finally:
        await db.close()
