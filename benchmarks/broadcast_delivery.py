"""A broadcast to 1,000 recipients through the outbox, against the emulator's flood limits.

Measures what a facilitator and a member would notice: messages a second,
429s the bot received, recipients lost (must be 0) or reached twice (must be
0), and how long a member who writes during the broadcast waits for the
answer. With ``--replies N``, members who are not recipients send /menu N
times a second in all while the broadcast goes out (replies flowing), and
every wait for their menus is measured too. Real bot, real HTTP, real SQLite;
Telegram's limits as the emulator enforces them (30/s overall, about 1/s per
chat). Run:

    .venv/bin/python benchmarks/broadcast_delivery.py [recipients] [--replies N]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.settings import Settings
from emulator import BotApiEmulator, FloodLimits
from storage.database import Database
from tests.e2e.seed import seed_cluster
from tests.harness import InProcessBot

TOKEN = "123456:BENCHMARK-token-for-the-emulator"
FACILITATOR = (1, "Fasilitator")


async def main(count: int, replies_per_second: float) -> None:
    """Run one broadcast and print the figures."""
    emulator = BotApiEmulator(token=TOKEN, bot_username="rembug_bench_bot", flood=FloodLimits())
    await emulator.start()
    members = [(100_000 + n, f"Anggota {n:04d}") for n in range(count)]
    # Those who write during the broadcast: one /menu a person every 2 s (Telegram's 1/s per chat holds).
    writers = [(900_000 + n, f"Penanya {n:02d}") for n in range(int(replies_per_second * 2))]
    for uid, name in [FACILITATOR, *members, *writers]:
        emulator.user(uid, name, language_code="id")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        db = await Database.open(path)
        await seed_cluster(db, datetime.now(UTC), facilitator=FACILITATOR, groups={"Semua": members}, others=writers)
        await db.close()
        bot = InProcessBot(Settings(token=TOKEN, api_url=emulator.base_url, database=path))
        await bot.start()
        fac = emulator.users[FACILITATOR[0]]
        await fac.ask("/broadcast")
        await fac.press("⬜ Semua")
        await fac.press("Selesai ▶")
        await fac.send("Undangan pameran batik di Balai Kota, Sabtu 09.00.")
        for _ in range(200):
            if any("Beginilah" in m.text for m in fac.bot_messages):
                break
            await asyncio.sleep(0.02)
        calls_before = len(emulator.calls)
        await fac.press("✅ Kirim sekarang")
        started = time.perf_counter()

        def delivered() -> int:
            return sum(1 for uid, _n in members if emulator.users[uid].bot_messages)

        waits: list[float] = []

        async def keep_writing(uid: int, offset: float) -> None:
            person = emulator.users[uid]
            await asyncio.sleep(offset)
            while delivered() < count:
                menus = sum(1 for m in person.bot_messages if "Menu utama" in m.text)
                asked = time.perf_counter()
                await person.send("/menu")
                while sum(1 for m in person.bot_messages if "Menu utama" in m.text) == menus:
                    await asyncio.sleep(0.005)
                waits.append(time.perf_counter() - asked)
                await asyncio.sleep(max(0.0, 2.0 - (time.perf_counter() - asked)))

        writing = [
            asyncio.create_task(keep_writing(uid, n * 2.0 / max(1, len(writers)))) for n, (uid, _) in enumerate(writers)
        ]
        while delivered() < count // 4:
            await asyncio.sleep(0.05)
        member = emulator.users[members[-1][0]]  # not reached yet: the broadcast goes in order
        asked = time.perf_counter()
        await member.send("/menu")
        while not any("Menu utama" in m.text for m in member.bot_messages):
            await asyncio.sleep(0.005)
        reply_wait = time.perf_counter() - asked
        while delivered() < count and time.perf_counter() - started < 600:
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - started
        await asyncio.gather(*writing)
        await asyncio.sleep(1)
        await bot.stop()
    await emulator.stop()
    received = [sum(1 for m in emulator.users[uid].bot_messages if "pameran" in m.text) for uid, _n in members]
    calls = emulator.calls[calls_before:]
    flood = sum(1 for c in calls if c.error_code == 429)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"recipients={count}")
    print(f"delivered {sum(1 for r in received if r)} in {elapsed:.1f} s: {count / elapsed:.1f} messages/s")
    print(f"429s received: {flood}")
    print(f"recipients lost: {received.count(0)}; reached twice: {sum(1 for r in received if r > 1)}")
    print(f"a member writing during the broadcast got the answer after {reply_wait:.3f} s")
    if waits:
        waits.sort()
        p95 = waits[min(len(waits) - 1, int(len(waits) * 0.95))]
        print(
            f"replies flowing: {len(waits)} menus to {len(writers)} people ({replies_per_second:g}/s); "
            f"wait median {waits[len(waits) // 2]:.3f} s, p95 {p95:.3f} s, longest {waits[-1]:.3f} s"
        )
    print(f"peak memory (emulator + bot in one process): {peak_mb:.0f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("recipients", type=int, nargs="?", default=1000)
    parser.add_argument("--replies", type=float, default=0.0, help="/menu requests a second while it goes out")
    options = parser.parse_args()
    asyncio.run(main(options.recipients, options.replies))
