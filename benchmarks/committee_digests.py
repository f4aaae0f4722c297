"""Weekly committee digests for 1,000 clusters of 50 members with a year of data.

Seeds a real SQLite file through the project's migrations (straight SQL, executemany):
1,000 clusters × 50 members, two meetings a month for a year with every member invited
and about 70 % present, one published action plan per cluster with three activities and a
year of weekly progress reports (some missing, with their overdue reminders), and two
ANNEX-1 survey rounds of 30 answers per cluster. The clusters belong to 10 committees of 100.
Then it runs the digest's own handler (``conversations.committee.digests.send_digest``, the
one the reminder engine calls) for every committee: figures, texts for the secretary and for
each facilitator, and the outbox rows. Prints the seconds, timed with nothing tracing; memory
is measured in a separate run (``--memory``: ``tracemalloc`` slows Python down about threefold). Run:

    .venv/bin/python benchmarks/committee_digests.py [clusters] [members] [--memory]
"""

from __future__ import annotations

import asyncio
import json
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.forms import load_forms, tallied_questions
from conversations.committee import digests, rules
from conversations.survey.results import bases_of
from storage import forms as forms_store
from storage.database import Database
from storage.reminders import Due
from storage.timestamps import to_text

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # Monday 08.00 WIB
PER_COMMITTEE = 100
ROOT = Path(__file__).resolve().parent.parent


async def seed(
    db: Database, clusters: int, members: int, *, per_committee: int = PER_COMMITTEE, chunk: int | None = None
) -> None:
    """Write a year of a cluster programme, as fast as SQLite takes it: ``chunk`` clusters a transaction
    (all at once by default; the same random draws in the same order either way for one chunk)."""
    rng = random.Random(7)
    annex1 = load_forms(ROOT / "conversations/survey/forms")[("annex1", 1)]
    bases = bases_of(annex1)
    step = chunk or clusters
    for first in range(1, clusters + 1, step):
        async with db.transaction() as tx:
            await _seed_clusters(tx, range(first, min(first + step, clusters + 1)), members, rng, bases)
    async with db.transaction() as tx:
        for k in range(committee_count(clusters, per_committee)):
            await tx.execute(
                "INSERT INTO committees (id, name, level, timezone, invite_code, created_by, created_at) VALUES (?, ?, 'province', 'Asia/Jakarta', ?, 1, ?)",
                (k + 1, f"Komite {k + 1}", f"K{k:07d}", to_text(NOW - timedelta(days=365))),
            )
            await tx.execute(
                "INSERT INTO committee_members (committee_id, user_id, full_name, role, joined_at) VALUES (?, 1, 'Sekretaris', 'secretary', ?)",
                (k + 1, to_text(NOW - timedelta(days=365))),
            )
            await tx.executemany(
                "INSERT INTO committee_clusters (committee_id, cluster_id) VALUES (?, ?)",
                [(k + 1, c) for c in range(k * per_committee + 1, min((k + 1) * per_committee, clusters) + 1)],
            )
        # What the bot does at start-up (bot/form_dialog.py start): the answers written above are tallied.
        await forms_store.track_choices(tx, tallied_questions([annex1]))


def committee_count(clusters: int, per_committee: int = PER_COMMITTEE) -> int:
    """How many committees ``seed`` makes: one per ``per_committee`` clusters (at least one)."""
    return clusters // per_committee or 1


async def _seed_clusters(tx, cluster_ids: range, members: int, rng: random.Random, bases: list) -> None:
    """The clusters ``cluster_ids`` with their members, meetings, plans and survey rounds."""
    year_ago = NOW - timedelta(days=365)
    t = to_text
    people = [
        (uid, f"Anggota {uid}", "id", t(year_ago), t(year_ago))
        for uid in range((cluster_ids[0] - 1) * members + 1, cluster_ids[-1] * members + 1)
    ]
    await tx.executemany(
        "INSERT INTO users (id, first_name, language, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)", people
    )
    await tx.executemany(
        "INSERT INTO clusters (id, name, regency, province, industry, timezone, invite_code, created_by, created_at) VALUES (?, ?, 'Kab', 'Jateng', 'batik', 'Asia/Jakarta', ?, ?, ?)",
        [(c, f"Sentra {c:04d}", f"C{c:07d}", (c - 1) * members + 1, t(year_ago)) for c in cluster_ids],
    )
    await tx.executemany(
        "INSERT INTO memberships (cluster_id, user_id, full_name, is_facilitator, joined_at) VALUES (?, ?, ?, ?, ?)",
        [
            (
                c,
                (c - 1) * members + m,
                f"Anggota {(c - 1) * members + m}",
                int(m == 1),
                t(year_ago + timedelta(days=rng.randrange(365))),
            )
            for c in cluster_ids
            for m in range(1, members + 1)
        ],
    )
    invitees, attendance, meetings = [], [], []
    for c in cluster_ids:
        ids = range((c - 1) * members + 1, c * members + 1)
        for n in range(24):
            meeting_id = (c - 1) * 24 + n + 1
            start = year_ago + timedelta(days=15 * n + rng.randrange(3))
            meetings.append(
                (
                    meeting_id,
                    c,
                    "committee" if n % 6 == 0 else "regular",
                    f"Rapat {n}",
                    t(start),
                    f"k{meeting_id}",
                    ids[0],
                    t(start),
                )
            )
            invitees += [(meeting_id, uid) for uid in ids]
            attendance += [(meeting_id, uid, t(start)) for uid in ids if rng.random() < 0.7]
    await tx.executemany(
        "INSERT INTO meetings (id, cluster_id, kind, topic, starts_at, place, audience, reminders, checkin_code, organiser_id, created_at) "
        "VALUES (?, ?, ?, ?, ?, 'Balai', '{}', '[]', ?, ?, ?)",
        meetings,
    )
    await tx.executemany("INSERT INTO meeting_invitees (meeting_id, user_id) VALUES (?, ?)", invitees)
    await tx.executemany(
        "INSERT INTO attendance (meeting_id, user_id, checked_in_at, method) VALUES (?, ?, ?, 'link')", attendance
    )
    plans, activities, checkins, overdue = [], [], [], []
    for c in cluster_ids:
        owner = (c - 1) * members + 2
        plans.append((c, c, f"Rencana {c}", 10_000_000, "district", "2026-01-05", "2026-12-31", owner - 1, t(year_ago)))
        for a in range(3):
            activity = (c - 1) * 3 + a + 1
            activities.append((activity, c, f"Kegiatan {a}", owner + a, "2026-01-05", "2026-12-31"))
            for week in range(47):
                period = (datetime(2026, 1, 5) + timedelta(weeks=week)).date().isoformat()
                if rng.random() < 0.85:
                    checkins.append(
                        (
                            activity,
                            period,
                            owner + a,
                            rng.choice(["on_track", "at_risk", "done", "blocked"]),
                            t(NOW - timedelta(weeks=47 - week)),
                        )
                    )
                else:
                    overdue.append(
                        (
                            f"plan:act:{activity}:{period}:overdue",
                            "plan.overdue",
                            t(NOW - timedelta(weeks=47 - week)),
                            json.dumps({"activity": activity, "period": period}),
                            t(year_ago),
                        )
                    )
    await tx.executemany(
        "INSERT INTO action_plans (id, cluster_id, title, budget, executing_level, starts_on, ends_on, created_by, created_at, status, answers) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'published', '{}')",
        plans,
    )
    await tx.executemany(
        "INSERT INTO plan_activities (id, plan_id, title, owner_id, starts_on, ends_on) VALUES (?, ?, ?, ?, ?, ?)",
        activities,
    )
    await tx.executemany(
        "INSERT INTO plan_checkins (activity_id, period_start, owner_id, status, created_at) VALUES (?, ?, ?, ?, ?)",
        checkins,
    )
    await tx.executemany(
        "INSERT INTO reminders (key, kind, due_at, payload, created_at, status) VALUES (?, ?, ?, ?, ?, 'sent')",
        overdue,
    )
    for c in cluster_ids:
        for r, opened in enumerate((year_ago + timedelta(days=30), NOW - timedelta(days=20))):
            round_id = (c - 1) * 2 + r + 1
            await tx.execute(
                "INSERT INTO survey_rounds (id, cluster_id, form_id, form_version, title, status, opened_by, opened_at) "
                "VALUES (?, ?, 'annex1', 1, 'Survei', ?, ?, ?)",
                (round_id, c, "closed" if r == 0 else "open", (c - 1) * members + 1, t(opened)),
            )
            answers = []
            for m in range(30):
                response_id = ((c - 1) * 2 + r) * 30 + m + 1
                uid = (c - 1) * members + m + 1
                await tx.execute(
                    "INSERT INTO form_responses (id, form_id, form_version, subject, respondent_id, entered_by, status, started_at, updated_at, submitted_at) "
                    "VALUES (?, 'annex1', 1, ?, ?, ?, 'submitted', ?, ?, ?)",
                    (response_id, f"survey_round:{round_id}", uid, uid, t(opened), t(opened), t(opened)),
                )
                answers += [(response_id, q.name, json.dumps(rng.choice(q.choices).name), t(opened)) for q in bases]
            await tx.executemany(
                "INSERT INTO form_answers (response_id, question, value, answered_at) VALUES (?, ?, ?, ?)", answers
            )


async def build_digests(db: Database, committees: int) -> list[str]:
    """Run the digest handler the reminder engine calls for committees 1..``committees``, as it runs at NOW."""
    application = SimpleNamespace(
        services=SimpleNamespace(
            db=db,
            clock=SimpleNamespace(now=lambda: NOW),
            settings=SimpleNamespace(language="id"),
            forms=SimpleNamespace(forms=load_forms(ROOT / "conversations/survey/forms")),
            reminders=SimpleNamespace(wake=lambda: None),
            outbox=SimpleNamespace(wake=lambda: None),
        )
    )
    week = rules.digest_period(NOW - timedelta(days=1), "Asia/Jakarta")
    outcomes = []
    for committee_id in range(1, committees + 1):
        due = Due(
            0,
            f"digest:{committee_id}:{week}",
            digests.KIND,
            NOW,
            None,
            {"committee": committee_id, "week": week},
            "claimed",
            None,
        )
        outcomes.append(await digests.send_digest(due, application))
    return outcomes


async def main(clusters: int, members: int, memory: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "bench.sqlite3")
        started = time.perf_counter()
        await seed(db, clusters, members)
        seeded = time.perf_counter() - started
        size = (Path(folder) / "bench.sqlite3").stat().st_size
        if memory:
            tracemalloc.start()
        started = time.perf_counter()
        outcomes = await build_digests(db, committee_count(clusters))
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory() if memory else (0, 0)
        tracemalloc.stop()
        async with db.read() as conn, conn.execute("SELECT COUNT(*) FROM outbox WHERE batch LIKE 'digest:%'") as cursor:
            letters = (await cursor.fetchone())[0]
        await db.close()
    print(
        f"clusters={clusters} members={members} committees={len(outcomes)} database={size / 1e6:.0f} MB (seeded in {seeded:.1f} s)"
    )
    print(
        f"digests built and queued in {elapsed:.2f} s ({elapsed / len(outcomes):.2f} s a committee of {PER_COMMITTEE} clusters); {letters} letters"
    )
    if memory:
        print(
            f"peak Python memory while building (tracemalloc on, so the time above is not the figure): {peak / 1e6:.0f} MB"
        )
    print(f"process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"first outcome: {outcomes[0]}")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:] if a.isdigit()][:2]
    asyncio.run(main(*(args + [1000, 50][len(args) :]), memory="--memory" in sys.argv))
