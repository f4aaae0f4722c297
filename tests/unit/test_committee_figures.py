"""The committee's figures after the digest was made fast (issue 19) are exactly those before it.

``committee_figures_before.json`` was written with the code as it was before the change (the survey
scores read every response of every round and scored each answer again), on the digest benchmark's
own seeded database (``benchmarks/committee_digests.py``: 30 clusters × 30 members, a year of meetings,
plans with late reports and two ANNEX-1 rounds each). The same seed, the same clock, the figures
of a week (the digest: the latest two rounds), a quarter and a year (the reports: every round) must
come out the same, field by field.
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path

from benchmarks.committee_digests import NOW, seed
from bot.forms import load_forms, tallied_questions
from bot.recipients import language_of, languages_of
from conversations.committee.figures import collect, survey_scores
from conversations.survey import results
from conversations.survey.results import summarise
from storage import forms, users
from storage.database import Database

ROOT = Path(__file__).resolve().parents[2]
BEFORE = Path(__file__).with_name("committee_figures_before.json")
PERIODS = {"week": (7, 2), "quarter": (91, None), "year": (365, None)}


async def test_every_figure_of_a_week_a_quarter_and_a_year_is_what_it_was_before(tmp_path):
    db = await Database.open(tmp_path / "seeded.sqlite3")
    try:
        await seed(db, 30, 30)
        definitions = load_forms(ROOT / "conversations/survey/forms")
        now: dict[str, list[dict]] = {}
        async with db.read() as conn:
            for period, (days, rounds) in PERIODS.items():
                figures = await collect(
                    conn, definitions, 1, NOW - timedelta(days=days), NOW, NOW, survey_rounds=rounds
                )
                now[period] = json.loads(json.dumps([asdict(f) for f in figures], default=str))
    finally:
        await db.close()
    before = json.loads(BEFORE.read_text())
    for period in PERIODS:
        assert len(now[period]) == len(before[period]) == 30
        for cluster_now, cluster_before in zip(now[period], before[period], strict=True):
            assert cluster_now == cluster_before, (period, cluster_before["name"])
    assert any(c["survey_scores"] for c in before["week"])  # the seed has scores to compare


async def _old_survey_scores(conn, definitions, committee_id, last):
    """The survey scores as they were computed before: every round read and summarised response by response."""
    found = {}
    async with conn.execute(
        "SELECT r.cluster_id, r.id, r.form_id, r.form_version FROM survey_rounds r JOIN committee_clusters k "
        "ON k.cluster_id = r.cluster_id AND k.committee_id = ? WHERE EXISTS (SELECT 1 FROM form_responses f "
        "WHERE f.subject = 'survey_round:' || r.id AND f.status = 'submitted') ORDER BY r.cluster_id, r.opened_at, r.id",
        (committee_id,),
    ) as cursor:
        rounds = await cursor.fetchall()
    by_cluster: dict[int, list] = {}
    for cluster_id, *survey_round in rounds:
        by_cluster.setdefault(cluster_id, []).append(survey_round)
    for cluster_id, chosen in by_cluster.items():
        scores, bases, answered = [], (), []
        for round_id, form_id, version in chosen[-last:] if last else chosen:
            form = definitions.get((form_id, version))
            if form is None:
                continue
            summary = summarise(
                form, await forms.responses_about(conn, f"survey_round:{round_id}", submitted_only=True)
            )
            if summary.overall is not None:
                scores.append(summary.overall)
                answered.append(summary.respondents)
                bases = tuple((base.name, base.median) for base in summary.bases)
        found[cluster_id] = (tuple(scores), bases, tuple(answered))
    return found


async def test_survey_scores_from_grouped_counts_equal_the_survey_results_of_every_round(tmp_path):
    """Odd answers too: rounds only in progress, an option no longer in the form, a list, a number, a form
    the bot no longer has, a response with no answers, three rounds where the digest takes the latest two."""
    rng = random.Random(11)
    definitions = load_forms(ROOT / "conversations/survey/forms")
    annex1 = definitions[("annex1", 1)]
    bases = results.bases_of(annex1)
    db = await Database.open(tmp_path / "odd.sqlite3")
    try:
        async with db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO users (id, first_name, language, first_seen, last_seen) VALUES (?, 'A', 'id', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                [(uid,) for uid in range(1, 41)],
            )
            for c in (1, 2, 3):
                await tx.execute(
                    "INSERT INTO clusters (id, name, regency, province, industry, timezone, invite_code, created_by, created_at) "
                    "VALUES (?, ?, 'Kab', 'Jateng', 'batik', 'Asia/Jakarta', ?, 1, '2026-01-01T00:00:00Z')",
                    (c, f"Sentra {c}", f"CODE{c}"),
                )
            await tx.execute(
                "INSERT INTO committees (id, name, level, timezone, invite_code, created_by, created_at) "
                "VALUES (1, 'Komite', 'province', 'Asia/Jakarta', 'K1', 1, '2026-01-01T00:00:00Z')"
            )
            await tx.executemany(
                "INSERT INTO committee_clusters (committee_id, cluster_id) VALUES (1, ?)", [(1,), (2,), (3,)]
            )
            rounds = [
                (1, 1, 1, "2026-02-01"),
                (2, 1, 1, "2026-05-01"),
                (3, 1, 1, "2026-09-01"),
                (4, 2, 1, "2026-03-01"),
            ]
            rounds += [(5, 2, 9, "2026-04-01"), (6, 2, 1, "2026-06-01")]  # version 9: a form the bot no longer has
            for round_id, cluster_id, version, opened in rounds:
                await tx.execute(
                    "INSERT INTO survey_rounds (id, cluster_id, form_id, form_version, title, opened_by, opened_at) "
                    "VALUES (?, ?, 'annex1', ?, 'Survei', 1, ?)",
                    (round_id, cluster_id, version, f"{opened}T00:00:00Z"),
                )
                for uid in range(1, rng.randrange(5, 40)):
                    status = "in_progress" if round_id == 4 or rng.random() < 0.2 else "submitted"
                    cursor = await tx.execute(
                        "INSERT INTO form_responses (form_id, form_version, subject, respondent_id, entered_by, status, started_at, updated_at) "
                        "VALUES ('annex1', ?, ?, ?, ?, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                        (version, f"survey_round:{round_id}", uid, uid, status),
                    )
                    odd = ["gone", ["a", "b"], 3, None]
                    answers = [
                        (cursor.lastrowid, q.name, json.dumps(rng.choice([c.name for c in q.choices] * 3 + odd)))
                        for q in bases
                        if rng.random() < 0.9
                    ]
                    answers.append((cursor.lastrowid, "note", json.dumps("teks bebas")))
                    await tx.executemany(
                        "INSERT INTO form_answers (response_id, question, value, answered_at) VALUES (?, ?, ?, '2026-01-01T00:00:00Z')",
                        answers,
                    )
            # As the bot does at start-up: the answers already stored are tallied (version 9 is unknown).
            await forms.track_choices(tx, tallied_questions([annex1]))
        async with db.read() as conn:
            for last in (2, None, 1):
                expected = await _old_survey_scores(conn, definitions, 1, last)
                assert await survey_scores(conn, definitions, 1, last) == expected, last
                assert set(expected) == {1, 2} and len(expected[1][0]) == (last or 3)
    finally:
        await db.close()


async def test_the_languages_of_many_recipients_come_from_one_query_as_each_ones_would(tmp_path):
    db = await Database.open(tmp_path / "people.sqlite3")
    try:
        async with db.transaction() as tx:
            await users.remember_user(tx, 1, "Ani", None, None, "en", NOW)  # their phone says English
            await users.remember_user(tx, 2, "Bayu", None, None, "en", NOW)
            await users.set_language(tx, 2, "id")  # ...but Bayu chose Indonesian
            await users.remember_user(tx, 3, "Citra", None, None, None, NOW)
        async with db.read() as conn:
            people = [1, 2, 3, 4]  # 4 never wrote to the bot
            await db.count_statements()
            found = await languages_of(conn, people, "id")
            selects = db.statements["SELECT"]
            one_by_one = {uid: await language_of(conn, uid, "id") for uid in people}
        assert found == one_by_one == {1: "en", 2: "id", 3: "id", 4: "id"}
        assert selects == 1
    finally:
        await db.close()
