"""kill -9, twenty times, while twenty people join by link: everyone ends with a whole profile, welcomed once.

It runs by polling and by webhook (``rembug run --webhook``): in webhook mode the
emulator posts each update until the bot accepts it, so what a kill cut off is
delivered again to the next process, and what was stored is replayed by it
(ten kills there instead of twenty, to keep the file's run time reasonable).

A crash is when the inbox replays taps whose query Telegram has already
expired; a replayed tap must still do its work (bot.replies.answer_tap), a
replayed answer must meet the question it answered (conversation states are
written with their update's mark), and a replayed confirm must say the same
welcome again in the same message (bot.flows.finish_draft).
"""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime

import pytest

from conversations.membership.rules import invite_payload
from storage.database import Database
from tests.e2e.conftest import ADMIN_ID
from tests.e2e.seed import seed_cluster
from tests.harness import ChildBot, child_env, with_webhook

JOINERS = [(8001 + i, f"Peserta {i + 1}") for i in range(20)]
CALLERS = [(8101 + i, f"Tamu {i + 1}") for i in range(6)]
KILLS = {"polling": 20, "webhook": 10}  # webhook: half, to keep the two runs near the one it was
CODE = "KILL2026"
WELCOME = "🎉 Welcome to"
SORRY = ("Sorry, something went wrong", "Maaf, ada gangguan")


async def _rows(path, sql: str) -> list[tuple]:
    db = await Database.open(path)
    try:
        async with db.read() as conn, conn.execute(sql) as cursor:
            return list(await cursor.fetchall())
    finally:
        await db.close()


async def _appears(person, text: str, timeout: float = 120.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not any(text in m.text for m in person.bot_messages):
        if loop.time() > deadline:
            raise TimeoutError(f"{person.id} never saw {text!r}; last: {person.last_text()!r}")
        await asyncio.sleep(0.05)


async def _join(person, link: str) -> None:
    """Fill the profile as a person would: each question answered once, when it shows."""
    await person.open_link(link)
    await _appears(person, "(1/5)")
    await person.tap(next(t for t in person.visible_buttons() if t.startswith("✅ Keep")))
    await _appears(person, "(2/5)")
    await person.send(f"Desa {person.id}")
    await _appears(person, "(3/5)")
    await person.send("batik tulis")
    await _appears(person, "(4/5)")
    await person.tap("Core firm")
    await _appears(person, "(5/5)")
    await person.share_contact(phone=f"+62812{person.id:06d}", own=True)
    await _appears(person, "Is this right?")
    await person.tap("✅ Join the cluster")
    await _appears(person, WELCOME)


async def _call(person, stop: asyncio.Event, rng: random.Random) -> None:
    while not stop.is_set():
        await person.send(rng.choice(("/start", "/menu", "/help", "/language")))
        await asyncio.sleep(rng.uniform(0.5, 1.5))


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_kill_9_twenty_times_while_twenty_people_join_leaves_every_profile_whole(
    emulator, settings, tmp_path, mode
):
    kills = KILLS[mode]
    if mode == "webhook":
        settings = with_webhook(settings)
    rng = random.Random(16)
    emulator.flood_expected = True  # a restarted process starts with fresh rate buckets
    # What a replay meets, and must shrug off: the tap's query expired with the killed process,
    # and the message it edits is already as the first run left it.
    emulator.expected_errors = ("query is too old", "message is not modified")
    db = await Database.open(settings.database)
    await seed_cluster(db, datetime.now(UTC), facilitator=(ADMIN_ID, "Budi"), groups={}, code=CODE)
    await db.close()
    log = tmp_path / "bot.log"
    child = ChildBot(emulator, child_env(settings), log, webhook=mode == "webhook")
    await child.start()
    joiners = [emulator.user(uid, name, language_code="en") for uid, name in JOINERS]
    callers = [emulator.user(uid, name, language_code="id") for uid, name in CALLERS]
    link = f"https://t.me/{emulator.world.bot_username}?start={invite_payload(CODE)}"
    stop = asyncio.Event()
    try:
        joining = asyncio.gather(*(_join(p, link) for p in joiners))
        calling = asyncio.gather(*(_call(p, stop, rng) for p in callers))
        for _ in range(kills):
            await asyncio.sleep(rng.uniform(0.2, 1.5))
            await child.kill()
            await child.start()
        await asyncio.wait_for(joining, 180)
        stop.set()
        await calling
        for person in callers:  # and each of them still gets an answer
            before = len(person.bot_messages)
            await person.send("/menu")
            for _ in range(400):
                if len(person.bot_messages) > before:
                    break
                await asyncio.sleep(0.05)
            assert len(person.bot_messages) > before, person.id
        await asyncio.sleep(1)
    finally:
        stop.set()
        await child.terminate()

    kills_seen = log.read_text().count("is answering (Bot API")
    assert kills_seen == kills + 1  # the bot really started once more than it was killed
    profiles = await _rows(
        settings.database,
        "SELECT user_id FROM memberships WHERE full_name IS NOT NULL AND home_area IS NOT NULL AND core_business IS NOT NULL "
        "AND stakeholder_type = 'core_firm' AND phone IS NOT NULL AND left_at IS NULL AND user_id != " + str(ADMIN_ID),
    )
    assert sorted(row[0] for row in profiles) == [uid for uid, _ in JOINERS]
    welcomes = {p.id: sum(1 for m in p.bot_messages if WELCOME in m.text) for p in joiners}
    assert set(welcomes.values()) == {1}, welcomes
    assert await _rows(settings.database, "SELECT user_id, flow FROM drafts") == []
    assert await _rows(settings.database, "SELECT update_id FROM inbox WHERE handled_at IS NULL") == []
    assert await _rows(settings.database, "SELECT update_id, outcome FROM inbox WHERE outcome != 'handled'") == []
    for person in [*joiners, *callers]:
        assert not any(s in m.text for m in person.bot_messages for s in SORRY), person.id
    errors = [line for line in log.read_text().splitlines() if " ERROR " in line or " CRITICAL " in line]
    assert errors == []
    replayed = sum(int(part.split()[0]) for part in log.read_text().split("replaying ")[1:])
    expired = sum(1 for c in emulator.calls_to("answerCallbackQuery") if not c.ok)
    print(
        f"\n{mode}: {kills_seen - 1} kills, {kills_seen} starts; {replayed} updates replayed; {expired} expired taps answered anyway; "
        f"{len(profiles)}/20 profiles whole; welcomes {sorted(set(welcomes.values()))} each; 0 drafts, 0 unhandled, 0 errors"
    )
