"""How fast the real bot answers a burst, through the update inbox, over real HTTP.

Starts the loopback emulator (flood limits off, so the bot's own pacing is
what is measured) and the real bot on a fresh SQLite file, then has USERS
people send MESSAGES messages each at once (text outside a flow: one stored
update, one committed user row, one reply each), and times until every
message has its answer. Prints updates/second, the latency of the first and
last answer, and the process's peak memory. Run:

    .venv/bin/python benchmarks/inbox_throughput.py [users] [messages]
"""

from __future__ import annotations

import asyncio
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.settings import Settings
from emulator import BotApiEmulator, FloodLimits
from tests.harness import InProcessBot

TOKEN = "123456:BENCHMARK-token-for-the-emulator"


async def main(users: int, messages: int) -> None:
    """Run one burst and print the figures."""
    emulator = BotApiEmulator(token=TOKEN, bot_username="rembug_bench_bot", flood=FloodLimits.off())
    await emulator.start()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(token=TOKEN, api_url=emulator.base_url, database=Path(folder) / "bench.sqlite3")
        bot = InProcessBot(settings)
        await bot.start()
        people = [emulator.user(10_000 + n, f"Anggota {n}", language_code="id") for n in range(users)]
        started = time.perf_counter()
        for round_number in range(messages):
            await asyncio.gather(*(person.send(f"halo {round_number}") for person in people))
        total = users * messages
        first_answer = None
        while True:
            answered = sum(len(person.bot_messages) for person in people)
            if first_answer is None and answered:
                first_answer = time.perf_counter() - started
            if answered >= total:
                break
            if time.perf_counter() - started > 600:
                raise TimeoutError(f"only {answered} of {total} answered")
            await asyncio.sleep(0.01)
        elapsed = time.perf_counter() - started
        await bot.stop()
    await emulator.stop()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"users={users} messages_each={messages} updates={total}")
    print(f"all answered in {elapsed:.2f} s: {total / elapsed:.0f} updates/s")
    print(f"first answer after {first_answer:.3f} s")
    print(f"peak memory (emulator + bot in one process): {peak_mb:.0f} MB")


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:3]]
    asyncio.run(main(*(arguments + [200, 5][len(arguments) :])))
