"""What one tap on a survey answer costs the bot: commits, reads, CPU, and answers a second.

The real bot runs as a child process (``python -m bot run``) against the
loopback emulator with flood limits off, on a fresh SQLite file, with
``REMBUG_DB_STATS=1`` so it logs how many statements of each kind it ran.
A cluster of MEMBERS is seeded, the facilitator opens a survey round through
the bot, and every member gets the invitation. Then, with the bot restarted
(so its counts start at zero), the members answer at once, each one as a
person would: "📝 Jawab sekarang", eight answer buttons (each waiting for the
next question), "✅ Kirim jawaban saya". An action is one of those ten taps.

Prints the taps a second, the bot's CPU per tap (utime + stime of the child
between the first tap and the last answer, from /proc), and per tap the
commits, BEGINs and SELECTs the bot ran (the statement counts logged at
close, less those of an idle start and stop). Run:

    .venv/bin/python benchmarks/survey_answers.py [members]
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.settings import Settings
from emulator import BotApiEmulator, FloodLimits
from storage.database import Database
from tests.e2e.chats import wait_for_any
from tests.e2e.seed import seed_cluster
from tests.harness import ChildBot, child_env

TOKEN = "123456:BENCHMARK-token-for-the-emulator"
FACILITATOR = (1, "Fasilitator")
QUESTIONS = 8
WAIT = 60.0  # seconds a tap may take before the run fails (its screen never came)
STATEMENTS = re.compile(r"database statements: (.*)")


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a process, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _counts(log: Path) -> dict[str, int]:
    """The statement counts of the newest close in the bot's log."""
    line = STATEMENTS.findall(log.read_text())[-1]
    return {kind: int(n) for kind, n in (part.rsplit(" ", 1) for part in line.split(", "))}


async def _answer(person, waits: list[float]) -> None:
    """One member's ten taps, each waiting for the screen it leads to (each wait is kept in ``waits``)."""

    async def tap(label: str, expect: str) -> None:
        started = time.perf_counter()
        await person.tap(label)
        await wait_for_any(person, expect, timeout=WAIT)
        waits.append(time.perf_counter() - started)

    await tap("📝 Jawab sekarang", f"1/{QUESTIONS} ·")
    for number in range(1, QUESTIONS):
        await tap(str(1 + number % 5), f"{number + 1}/{QUESTIONS} ·")
    await tap(str(1 + QUESTIONS % 5), "Periksa jawaban Anda")
    await tap("✅ Kirim jawaban saya", "Terima kasih")


async def main(members: int) -> None:
    """Seed, open the round, restart, time the answers; print the figures."""
    emulator = BotApiEmulator(token=TOKEN, bot_username="rembug_bench_bot", flood=FloodLimits.off())
    await emulator.start()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        settings = Settings(token=TOKEN, api_url=emulator.base_url, database=path)
        people = [(100 + n, f"Anggota {n}") for n in range(members)]
        db = await Database.open(path)
        await seed_cluster(db, datetime.now(UTC), facilitator=FACILITATOR, groups={"Grup A": people})
        await db.close()
        env = {**child_env(settings), "REMBUG_DB_STATS": "1"}
        log = Path(folder) / "bot.log"
        bot = ChildBot(emulator, env, log)

        fac = emulator.user(*FACILITATOR, language_code="id")
        persons = [emulator.user(uid, name, language_code="id") for uid, name in people]
        await bot.start()
        await fac.send("/survey")
        await wait_for_any(fac, "Kuesioner")
        await fac.tap("➕ Buka putaran survei")
        await wait_for_any(fac, "judul")
        await fac.send("Kondisi klaster 2026")
        await asyncio.sleep(0.5)
        await fac.tap("1 minggu lagi")
        for person in persons:
            await wait_for_any(person, "meminta pendapat Anda", timeout=60)
        await bot.terminate()

        await bot.start()  # an idle start and stop: the counts every run has
        await bot.terminate()
        idle = _counts(log)

        await bot.start()
        assert bot.process is not None
        cpu_before = _cpu_seconds(bot.process.pid)
        started = time.perf_counter()
        waits: list[float] = []
        await asyncio.gather(*(_answer(person, waits) for person in persons))
        elapsed = time.perf_counter() - started
        cpu = _cpu_seconds(bot.process.pid) - cpu_before
        await bot.terminate()
        counts = _counts(log)
    await emulator.stop()
    taps = members * (QUESTIONS + 2)
    per_tap = {kind: (counts.get(kind, 0) - idle.get(kind, 0)) / taps for kind in ("BEGIN", "COMMIT", "SELECT")}
    writes = sum(counts.get(k, 0) - idle.get(k, 0) for k in ("INSERT", "UPDATE", "DELETE")) / taps
    print(f"members={members} taps={taps} (each: 📝 Jawab sekarang, {QUESTIONS} answers, ✅ Kirim)")
    print(f"all answered in {elapsed:.2f} s: {taps / elapsed:.1f} taps/s")
    waits.sort()
    print(
        f"each tap to its screen: median {waits[len(waits) // 2]:.3f} s, "
        f"p95 {waits[min(len(waits) - 1, int(len(waits) * 0.95))]:.3f} s, longest {waits[-1]:.3f} s"
    )
    print(f"bot CPU: {cpu:.2f} s in all, {1000 * cpu / taps:.1f} ms per tap")
    print(
        f"per tap: {per_tap['COMMIT']:.2f} commits, {per_tap['BEGIN']:.2f} transactions begun, "
        f"{per_tap['SELECT']:.2f} SELECTs, {writes:.2f} INSERT/UPDATE/DELETE"
    )


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 50))
