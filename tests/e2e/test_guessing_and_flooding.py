"""Guessing and abuse (issue 20 item 6): 5 wrong invitation codes per person per 10 minutes, counted in
the database (a restart gives no fresh tries), the count on the facilitator's invitation screen; more
than 20 updates in 10 seconds from one person get one "too fast" answer and nothing else.

The figures of the 200-code burst and the 30-message flood are written to tests/artifacts/throttle.json."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from bot.settings import DEFAULT_FLOOD_LIMIT
from tests.e2e.chats import wait_for
from tests.e2e.menus import open_entry
from tests.e2e.seed import seed_cluster
from tests.harness import InProcessBot

FACILITATOR = (601, "Bu Ratna")
GUESSER = (611, "Penebak")
CODE = "SEEDED22"
WRONG = "Kode undangan ini tidak berlaku"
WAIT = "Terlalu banyak kode undangan yang salah"
TOO_FAST = "Pesan Anda terlalu cepat"
ARTIFACT = Path(__file__).resolve().parents[1] / "artifacts" / "throttle.json"


@pytest.fixture
async def paced_bot(settings, clock, emulator):
    """The real bot on the test's clock with the flood limit people meet (the other tests raise it)."""
    running = InProcessBot(replace(settings, flood_limit=DEFAULT_FLOOD_LIMIT), clock)
    await running.start()
    emulator.world.bot_idle = running.idle
    yield running
    await running.stop()


def _write_figures(name: str, figures: dict) -> None:
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    found = json.loads(ARTIFACT.read_text()) if ARTIFACT.exists() else {}
    found[name] = figures
    ARTIFACT.write_text(json.dumps(found, indent=2, ensure_ascii=False))
    print(name, json.dumps(figures, ensure_ascii=False))


async def _count(db, sql: str) -> int:
    async with db.read() as conn, conn.execute(sql) as cursor:
        row = await cursor.fetchone()
    return int(row[0])


async def _all_handled(running, total: int, timeout: float = 120.0) -> None:
    """Wait until ``total`` updates are filed (handled, failed or throttled) and the inbox is quiet."""
    db = running.application.services.db
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while await _count(db, "SELECT COUNT(*) FROM inbox WHERE handled_at IS NOT NULL") < total:
        assert loop.time() < deadline, "the bot did not file every update in time"
        await asyncio.sleep(0.1)
    await running.idle()


def _seen(person) -> Counter:
    kinds: Counter = Counter()
    for message in person.bot_messages:
        if WAIT in message.text:
            kinds["wait"] += 1
        if WRONG in message.text:
            kinds["wrong code"] += 1
        if TOO_FAST in message.text:
            kinds["too fast"] += 1
        if "Menu utama" in message.text:
            kinds["menu"] += 1
    kinds["messages"] = len(person.bot_messages)
    return kinds


async def test_five_wrong_codes_then_a_wait_that_a_restart_does_not_reset(emulator, clocked_bot, clock):
    db = clocked_bot.application.services.db
    emulator.user(*FACILITATOR, language_code="id")
    guesser = emulator.user(*GUESSER, language_code="id")
    await seed_cluster(db, clock.now(), facilitator=FACILITATOR, groups={}, code=CODE)

    for number in range(4):
        await guesser.ask(f"/join WRONG00{number}")
        await wait_for(guesser, "Menu utama")
        assert WRONG in guesser.bot_messages[-2].text and WAIT not in guesser.bot_messages[-2].text
    await guesser.ask("/join WRONG004")  # the fifth: wrong, and the wait is said at once
    await wait_for(guesser, "Menu utama")
    assert len(guesser.bot_messages) == 10
    assert WRONG in guesser.bot_messages[-2].text and "Tunggu 10 menit" in guesser.bot_messages[-2].text

    reply = await guesser.ask(f"/join {CODE}")  # even the right code is not looked up now
    assert reply is not None and WAIT in reply.text and "(1/5)" not in reply.text
    assert await _count(db, "SELECT COUNT(*) FROM wrong_invitation_codes") == 5

    await clocked_bot.restart()
    clock.advance(minutes=4)
    reply = await guesser.ask(f"/join {CODE}")
    assert reply is not None and "Tunggu 6 menit" in reply.text  # counted in the database: still waiting

    fac = emulator.user(*FACILITATOR)
    await fac.ask("/menu")
    screen = await open_entry(fac, "👥 Anggota", "Undang anggota")
    assert "Kode undangan salah di seluruh Rembug (semua klaster), 7 hari terakhir: 5, dari 1 orang." in screen.text
    assert "Setiap orang boleh mencoba 5 kali per 10 menit." in screen.text

    clock.advance(minutes=6, seconds=1)
    reply = await guesser.ask(f"/join {CODE}")
    assert reply is not None and "(1/5)" in reply.text  # ten minutes on, the right code works


async def test_two_hundred_wrong_codes_sent_quickly_are_looked_up_five_times(emulator, paced_bot, clock):
    db = paced_bot.application.services.db
    emulator.user(*FACILITATOR, language_code="id")
    guesser = emulator.user(*GUESSER, language_code="id")
    await seed_cluster(db, clock.now(), facilitator=FACILITATOR, groups={}, code=CODE)
    before = await _count(db, "SELECT COUNT(*) FROM inbox")

    for number in range(200):
        await guesser.send(f"/join G{number:07d}")
    await _all_handled(paced_bot, before + 200)

    looked_up = await _count(db, "SELECT COUNT(*) FROM wrong_invitation_codes")
    throttled = await _count(db, "SELECT COUNT(*) FROM inbox WHERE outcome = 'throttled'")
    seen = _seen(guesser)
    _write_figures(
        "200 wrong codes",
        {
            "sent": 200,
            "looked up": looked_up,
            "handled by the flows": 200 - throttled,
            "held back by the flood limit": throttled,
            "answers seen": dict(seen),
        },
    )
    assert looked_up == 5
    assert seen["wrong code"] == 5 and seen["menu"] == 5  # the five looked up, each answered
    assert seen["wait"] == 1 + 15  # the fifth said the wait; the next 15 (of the first 20) were not looked up
    assert seen["too fast"] == 1 and throttled == 180
    assert seen["messages"] == 5 * 2 + 15 + 1


async def test_a_flood_gets_one_too_fast_answer_and_then_normal_answers_resume(emulator, paced_bot):
    person = emulator.user(621, "Cepat", language_code="id")
    db = paced_bot.application.services.db
    before = await _count(db, "SELECT COUNT(*) FROM inbox")

    for _ in range(30):
        await person.send("/help")
    await _all_handled(paced_bot, before + 30)
    seen = _seen(person)
    helps = sum(1 for m in person.bot_messages if m.text.startswith("Bantuan"))
    flood = {"sent": 30, "answers seen": len(person.bot_messages), "help answers": helps, "too fast": seen["too fast"]}

    await asyncio.sleep(10.5)  # the pace is real seconds, whatever the test clock says
    reply = await person.ask("/help")
    flood["after 10.5 s"] = reply.text.split("\n")[0] if reply else None
    _write_figures("flood of 30", flood)
    assert helps == 20 and seen["too fast"] == 1
    assert flood["answers seen"] == 21  # 20 answers and the warning; nothing for the other 10
    assert await _count(db, "SELECT COUNT(*) FROM inbox WHERE outcome = 'throttled'") == 10
    assert reply is not None and reply.text.startswith("Bantuan") and len(person.bot_messages) == 22
