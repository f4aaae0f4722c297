"""Rembug at national scale: 10,000 clusters × 50 members (500,000 people) on one bot token.

Seeds a real SQLite file as the digest benchmark does (``committee_digests.seed``: a year of
meetings with every member invited, one published plan per cluster with a year of weekly
progress reports and their late ones, two ANNEX-1 rounds per cluster), in committees of 1,000
clusters, then runs the real bot as ``python -m bot run`` in a child process against the
project's emulator (Telegram's flood limits on) and records:

- the database's size, and the seconds from starting the process to the first answer;
- the bot's resident memory (RSS, read from /proc) idle, and after a secretary opened the
  overview of a committee of 1,000 clusters;
- reply times (from sending to the screen that answers it) for /menu, the directory, a meeting
  page and a survey answer, while a 10,000-recipient batch goes out through the outbox;
  median, p95 and the longest, and the outbox's rate meanwhile;
- the weekly digest run for every committee (the digest handler, as the reminder engine calls it).

Run (the seeded file is kept and reused with ``--database``)::

    .venv/bin/python benchmarks/national.py [clusters] [members] [--database FILE] [--seconds S]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.committee_digests import build_digests, committee_count, seed
from bot.settings import Settings
from emulator import BotApiEmulator, FloodLimits, SimulatedUser
from storage import outbox as outbox_store
from storage.database import Database
from storage.timestamps import to_text
from tests.harness import ChildBot, child_env

TOKEN = "123456:NATIONAL-benchmark-token"
PER_COMMITTEE = 1_000
BROADCAST = 10_000
DRIVERS = 6  # clusters whose people ask the bot things while the batch goes out
OVERVIEWS = 10  # times the secretary opens the overview before the batch


def rss_mb(pid: int) -> float:
    """The resident memory of process ``pid``."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def screens(person: SimulatedUser) -> set[tuple[int, str]]:
    return {(m.message_id, m.text) for m in person.bot_messages}


async def answered(person: SimulatedUser, act, expect: str, timeout: float = 30.0) -> float:
    """Do ``act`` as ``person``; the seconds until a new or changed bot message says ``expect``."""
    before = screens(person)
    started = time.perf_counter()
    await act()
    while time.perf_counter() - started < timeout:
        if any(expect in text and (mid, text) not in before for mid, text in screens(person)):
            return time.perf_counter() - started
        await asyncio.sleep(0.005)
    raise TimeoutError(f"{person.first_name}: no {expect!r} within {timeout} s; last {person.last_text()[:200]!r}")


async def open_overview(secretary: SimulatedUser) -> float:
    """/committee, then the first committee's overview: the seconds the overview took."""
    await answered(secretary, lambda: secretary.send("/committee"), "Komite")
    await asyncio.sleep(1.1)
    taken = await answered(secretary, lambda: secretary.tap(button(secretary, "🏛 Komite 1")), "• Sentra")
    await asyncio.sleep(1.1)
    return taken


def button(person: SimulatedUser, part: str) -> str:
    """The label of the newest message's first button that has ``part`` in it."""
    return next(label for label in person.visible_buttons() if part in label)


async def upcoming_meetings(db: Database, cluster_ids: list[int], members: int) -> None:
    """One meeting next week in each driven cluster, every member invited (the seed's are all past)."""
    starts = to_text(datetime.now(UTC) + timedelta(days=7))
    async with db.transaction() as tx:
        for c in cluster_ids:
            async with tx.execute("SELECT 1 FROM meetings WHERE checkin_code = ?", (f"n{c}",)) as found:
                if await found.fetchone():  # a reused file has them already
                    continue
            cursor = await tx.execute(
                "INSERT INTO meetings (cluster_id, kind, topic, starts_at, place, audience, reminders, checkin_code, "
                "organiser_id, created_at) VALUES (?, 'regular', 'Pertemuan rutin Desember', ?, 'Balai', '{}', '[]', ?, ?, ?)",
                (c, starts, f"n{c}", (c - 1) * members + 1, starts),
            )
            await tx.executemany(
                "INSERT INTO meeting_invitees (meeting_id, user_id) VALUES (?, ?)",
                [(cursor.lastrowid, (c - 1) * members + m) for m in range(1, members + 1)],
            )


async def main(clusters: int, members: int, database: Path | None, seconds: float) -> None:
    folder = tempfile.TemporaryDirectory()
    path = database or Path(folder.name) / "national.sqlite3"
    if not path.exists():
        db = await Database.open(path)
        started = time.perf_counter()
        await seed(db, clusters, members, per_committee=PER_COMMITTEE, chunk=500)
        print(f"seeded {clusters} clusters × {members} members in {time.perf_counter() - started:.0f} s")
        await db.close()
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    driven = [clusters - 10 * n for n in range(DRIVERS)]  # far from the batch's recipients (the first clusters)
    db = await Database.open(path)
    async with db.transaction() as tx:
        # The people work in their cluster (the digest seed leaves that out); a reused file forgets the
        # last run's updates (a new emulator numbers its updates from 1 again), batch, open steps and digests.
        await tx.execute(
            "UPDATE users SET current_cluster_id = (SELECT cluster_id FROM memberships m WHERE m.user_id = users.id) "
            "WHERE current_cluster_id IS NULL"
        )
        for table in ("inbox", "outbox", "ptb_conversations", "ptb_user_data", "ptb_chat_data", "committee_digests"):
            await tx.execute(f"DELETE FROM {table}")
        # ... and the survey answers of the last run's answerers (the seed's respondents are members 1-30).
        answerer_ids = [(c - 1) * members + m for c in driven for m in range(31, members + 1)]
        marks = ",".join("?" * len(answerer_ids))
        old = f"SELECT id FROM form_responses WHERE respondent_id IN ({marks})"
        await tx.execute(f"DELETE FROM form_focus WHERE response_id IN ({old})", answerer_ids)
        await tx.execute(f"DELETE FROM form_answers WHERE response_id IN ({old})", answerer_ids)
        await tx.execute(f"DELETE FROM form_responses WHERE respondent_id IN ({marks})", answerer_ids)
    await upcoming_meetings(db, driven, members)
    await db.close()

    emulator = BotApiEmulator(token=TOKEN, bot_username="rembug_national_bot", flood=FloodLimits())
    await emulator.start()
    recipients = list(range(2, min(BROADCAST, clusters * members - 1000) + 2))
    for uid in recipients:
        emulator.user(uid, f"Anggota {uid}", language_code="id")
    secretary = emulator.user(1, "Sekretaris", language_code="id")
    facilitators = [emulator.user((c - 1) * members + 1, f"Fasilitator {c}", language_code="id") for c in driven]
    askers = [emulator.user((c - 1) * members + 20, f"Anggota {c}-20", language_code="id") for c in driven]
    answerers = [
        [emulator.user((c - 1) * members + m, f"Anggota {c}-{m}", language_code="id") for m in range(31, members + 1)]
        for c in driven
    ]
    settings = Settings(token=TOKEN, api_url=emulator.base_url, database=path)
    log = Path(folder.name) / "bot.log"
    bot = ChildBot(emulator, child_env(settings), log)
    started = time.perf_counter()
    try:
        await bot.start(wait=False)
        await askers[0].send("/menu")
        while not any("Menu utama" in m.text for m in askers[0].bot_messages):
            await asyncio.sleep(0.01)
        first_answer = time.perf_counter() - started
        assert bot.process is not None
        pid = bot.process.pid
        await asyncio.sleep(5)
        idle = rss_mb(pid)
        overviews = []  # the secretary opens the overview of 1,000 clusters ten times, nothing else going on
        for _time in range(OVERVIEWS):
            overviews.append(await open_overview(secretary))
        after_overview = rss_mb(pid)

        db = await Database.open(path)
        async with db.transaction() as tx:
            letters = [
                (uid, {"kind": "text", "text": "Buletin nasional: pameran batik 12 Desember."}) for uid in recipients
            ]
            await outbox_store.enqueue(tx, "national:1", letters, datetime.now(UTC))
        await db.close()

        waits: dict[str, list[float]] = {
            "/menu": [],
            "directory": [],
            "meeting page": [],
            "survey answer": [],
            "committee overview": [],
        }
        deadline = time.perf_counter() + seconds

        async def ask_menu(person: SimulatedUser) -> None:
            while time.perf_counter() < deadline:
                waits["/menu"].append(await answered(person, lambda: person.send("/menu"), "Menu utama"))
                await asyncio.sleep(1.5)

        async def open_pages(person: SimulatedUser) -> None:
            while time.perf_counter() < deadline:
                await answered(person, lambda: person.send("/menu"), "Menu utama")
                await asyncio.sleep(1.1)
                await answered(person, lambda: person.tap("👥 Anggota"), "Pilih")
                await asyncio.sleep(1.1)
                waits["directory"].append(await answered(person, lambda: person.tap("Daftar anggota"), "anggota"))
                await asyncio.sleep(1.1)
                await answered(person, lambda: person.send("/meetings"), "Pertemuan")
                await asyncio.sleep(1.1)
                page = lambda: person.tap(button(person, "Pertemuan rutin Desember"))  # noqa: E731
                waits["meeting page"].append(await answered(person, page, "Diundang"))
                await asyncio.sleep(1.1)

        async def follow_committee(person: SimulatedUser) -> None:
            while time.perf_counter() < deadline:
                waits["committee overview"].append(await open_overview(person))

        async def answer_surveys(people: list[SimulatedUser]) -> None:
            for person in people:
                if time.perf_counter() >= deadline:
                    return
                await answered(person, lambda p=person: p.send("/survey"), "Survei")
                await asyncio.sleep(1.1)
                await answered(person, lambda p=person: p.tap(button(p, ": Survei")), "/8")  # answer, or go on
                while "Periksa jawaban" not in person.last_text() and time.perf_counter() < deadline:
                    await asyncio.sleep(1.1)
                    step = int(person.last_text().split("/8")[0].rsplit("\n", 1)[-1].split()[-1])
                    expect = f"{step + 1}/8" if step < 8 else "Periksa jawaban"
                    waits["survey answer"].append(await answered(person, lambda p=person: p.tap("3"), expect))
                if "Periksa jawaban" in person.last_text():
                    await asyncio.sleep(1.1)
                    await answered(person, lambda p=person: p.tap("✅ Kirim jawaban saya"), "Terima kasih")

        reached_before = sum(1 for uid in recipients if emulator.users[uid].bot_messages)
        window = time.perf_counter()
        await asyncio.gather(
            *(ask_menu(p) for p in askers),
            *(open_pages(p) for p in facilitators),
            *(answer_surveys(people) for people in answerers),
            follow_committee(secretary),
        )
        window = time.perf_counter() - window
        reached = sum(1 for uid in recipients if emulator.users[uid].bot_messages) - reached_before
        during = rss_mb(pid)
    finally:  # never leave the bot running behind a failed measurement
        if bot.process is not None and bot.process.returncode is None:
            await bot.kill()
    flood = sum(1 for c in emulator.calls if c.error_code == 429)
    await emulator.stop()

    db = await Database.open(path)
    started = time.perf_counter()
    outcomes = await build_digests(db, committee_count(clusters, PER_COMMITTEE))
    digest_time = time.perf_counter() - started
    await db.close()

    print(f"clusters={clusters} members={members} people={clusters * members:,} database={size / 1e9:.2f} GB")
    print(f"start-up to the first answer: {first_answer:.1f} s")
    shown = min(PER_COMMITTEE, clusters)
    print(f"bot RSS idle: {idle:.0f} MB; after the overview of {shown} clusters: {after_overview:.0f} MB")
    overviews.sort()
    print(
        f"secretary's overview of {shown} clusters, {len(overviews)} times: median {overviews[len(overviews) // 2]:.3f} s, "
        f"longest {overviews[-1]:.3f} s"
    )
    print(
        f"while the {len(recipients):,}-recipient batch went out ({reached} reached in {window:.0f} s: {reached / window:.1f}/s):"
    )
    for kind, found in waits.items():
        found.sort()
        if found:
            p95 = found[min(len(found) - 1, int(len(found) * 0.95))]
            print(
                f"  {kind}: {len(found)} answers, median {found[len(found) // 2]:.3f} s, p95 {p95:.3f} s, longest {found[-1]:.3f} s"
            )
    print(f"429s: {flood}; bot RSS during: {during:.0f} MB")
    print(f"weekly digests for {len(outcomes)} committees of {shown} clusters: {digest_time:.2f} s")
    folder.cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("clusters", type=int, nargs="?", default=10_000)
    parser.add_argument("members", type=int, nargs="?", default=50)
    parser.add_argument("--database", type=Path, help="a seeded file to reuse (seeded there when missing)")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long people ask while the batch goes out")
    options = parser.parse_args()
    asyncio.run(main(options.clusters, options.members, options.database, options.seconds))
