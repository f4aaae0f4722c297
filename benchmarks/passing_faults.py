"""A broadcast through passing faults: one sending call in ten answered 500, 429 or timed out.

What a facilitator and the members would notice when Telegram misbehaves for
a while: recipients lost (must be 0) or reached twice (must be 0), how many
the report calls "may not have arrived" (each is a timeout whose message did
arrive: the bot cannot know), and whether people who write meanwhile get
their answer without an apology. Real bot, real HTTP, real SQLite; the
emulator's flood limits on. Run:

    .venv/bin/python benchmarks/passing_faults.py [recipients] [callers] [fault rate]
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.settings import Settings
from emulator import BotApiEmulator, Faults, FloodLimits
from storage.database import Database
from tests.e2e.seed import seed_cluster
from tests.harness import InProcessBot

TOKEN = "123456:BENCHMARK-token-for-the-emulator"
FACILITATOR = (1, "Fasilitator")
TEXT = "Pameran batik di Balai Kota hari Sabtu pukul 09.00."
SORRY = "Maaf, ada gangguan di pihak kami"


async def _wait(predicate, timeout: float) -> bool:
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def main(count: int, callers: int, rate: float) -> None:
    """Run one broadcast through faults and print the figures."""
    emulator = BotApiEmulator(token=TOKEN, bot_username="rembug_bench_bot", flood=FloodLimits())
    await emulator.start()
    members = [(100_000 + n, f"Anggota {n:04d}") for n in range(count)]
    guests = [(200_000 + n, f"Tamu {n:03d}") for n in range(callers)]
    for uid, name in [FACILITATOR, *members, *guests]:
        emulator.user(uid, name, language_code="id")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        db = await Database.open(path)
        await seed_cluster(db, datetime.now(UTC), facilitator=FACILITATOR, groups={}, others=members)
        await db.close()
        bot = InProcessBot(Settings(token=TOKEN, api_url=emulator.base_url, database=path, request_timeout=1.0))
        await bot.start()
        fac = emulator.users[FACILITATOR[0]]
        await fac.ask("/broadcast")
        await fac.press("⬜ Seluruh klaster")
        await fac.press("Selesai ▶")
        await fac.send(TEXT)
        await _wait(lambda: any("Beginilah" in m.text for m in fac.bot_messages), 10)
        everyone = {uid for uid, _ in members}
        emulator.faults = Faults(rate=rate, seed=16, hang=1.5, chats=frozenset(everyone | {uid for uid, _ in guests}))
        started = time.perf_counter()
        await fac.tap("✅ Kirim sekarang")
        for index, (uid, _name) in enumerate(guests):
            await asyncio.sleep(0.2 if index else 0)
            await emulator.users[uid].send("/start")
        await _wait(lambda: any("Pengumuman terkirim" in m.text for m in fac.bot_messages), 600)
        elapsed = time.perf_counter() - started
        answered = await _wait(
            lambda: all(any("Silakan pilih" in m.text for m in emulator.users[uid].bot_messages) for uid, _ in guests),
            60,
        )
        report = next(m for m in reversed(fac.bot_messages) if "Pengumuman terkirim" in m.text)
        await bot.stop()
    await emulator.stop()
    copies = [sum(1 for m in emulator.users[uid].bot_messages if m.text == TEXT) for uid in everyone]
    faults = emulator.faults
    kinds = {kind: sum(1 for _m, chat, k in faults.injected if k == kind) for kind in ("500", "429", "timeout")}
    doubtful = {chat for _m, chat, k in faults.injected if k == "timeout" and chat in everyone}
    apologies = sum(1 for uid, _ in guests for m in emulator.users[uid].bot_messages if SORRY in m.text)
    menus = sum(1 for uid, _ in guests for m in emulator.users[uid].bot_messages if "Silakan pilih" in m.text)
    print(f"recipients={count} callers={callers} fault rate={rate}")
    print(f"faults injected: 500={kinds['500']} 429={kinds['429']} timeout={kinds['timeout']}")
    print(
        f"broadcast finished in {elapsed:.1f} s; lost: {copies.count(0)}; reached twice: {sum(1 for c in copies if c > 1)}"
    )
    print(f"report: {report.text.splitlines()[1]}; timeouts on recipients: {len(doubtful)}")
    print(" | ".join(report.text.splitlines()[2:]))
    print(
        f"callers answered: {'all' if answered else 'NOT ALL'}; menus sent: {menus} (a reply whose answer was lost is sent again); apologies: {apologies}"
    )


if __name__ == "__main__":
    args = sys.argv[1:]
    asyncio.run(
        main(
            int(args[0]) if args else 300,
            int(args[1]) if len(args) > 1 else 50,
            float(args[2]) if len(args) > 2 else 0.1,
        )
    )
