"""A failed update is not filed as handled: the inbox tries it again, and the person hears one apology at most."""

from __future__ import annotations

import logging
import re

from emulator import Faults
from storage import drafts, memberships
from tests.e2e.chats import create_cluster, wait_for, wait_for_any
from tests.e2e.conftest import ADMIN_ID

SORRY = "Maaf, ada gangguan di pihak kami"
WELCOME = "Selamat datang di"


async def _up_to_the_review(emulator, person_id: int):
    emulator.expected_errors = ("query is too old",)  # each new try answers the tap again; Telegram took the first
    admin = emulator.user(ADMIN_ID, "Budi", language_code="id")
    link = await create_cluster(admin)
    person = emulator.user(person_id, "Sari", language_code="id")
    await person.open_link(link)
    await person.wait_reply()
    await person.press(next(t for t in person.visible_buttons() if t.startswith("✅")))
    await person.ask("Laweyan")
    await person.ask("batik tulis")
    await person.press("Perusahaan inti")
    await person.share_contact(phone="+6281200000001", own=True)
    await wait_for(person, "Sudah benar?")
    return person


async def _update_ids(bot, sql: str) -> list[tuple]:
    async with bot.application.bot_data["db"].read() as conn:
        async with conn.execute(sql) as cursor:
            return list(await cursor.fetchall())


async def test_a_tap_that_fails_twice_is_tried_again_and_the_member_is_welcomed_without_an_apology(emulator, bot, caplog):
    person = await _up_to_the_review(emulator, 1201)
    # The welcome is an edit of the review; Telegram answers 500 to it eight times in a row: each try of
    # the tap meets four (the request and its three quick retries), so the first two tries fail.
    emulator.faults = Faults(rate=1.0, kinds=("500",), methods=frozenset({"editmessagetext"}), chats=frozenset({1201}), limit=8)
    with caplog.at_level(logging.WARNING, logger="bot"):
        await person.tap("✅ Gabung ke klaster")
        await wait_for_any(person, WELCOME, timeout=40)
        await bot.idle()
    assert emulator.faults.count("500") == 8
    assert sum(1 for m in person.bot_messages if WELCOME in m.text) == 1
    assert not any(SORRY in m.text for m in person.bot_messages)
    async with bot.application.bot_data["db"].read() as conn:
        assert (await memberships.roles_in_current_cluster(conn, 1201)) is not None
        assert await drafts.get_draft(conn, 1201, "profile") == {}
    tap_id = max(row[0] for row in await _update_ids(bot, "SELECT update_id FROM inbox"))
    assert await _update_ids(bot, f"SELECT attempts, outcome FROM inbox WHERE update_id = {tap_id}") == [(3, "handled")]
    retries = [r.getMessage() for r in caplog.records if "trying again" in r.getMessage()]
    assert retries == [f"update {tap_id} failed (try 1 of 3); trying again in 1 s", f"update {tap_id} failed (try 2 of 3); trying again in 2 s"]
    assert any(r.levelno == logging.WARNING and f"update {tap_id}" in r.getMessage() and r.exc_info for r in caplog.records)


async def test_a_tap_that_keeps_failing_gets_one_apology_in_the_chat_and_is_filed_as_failed(emulator, bot, caplog):
    person = await _up_to_the_review(emulator, 1202)
    emulator.faults = Faults(rate=1.0, kinds=("500",), methods=frozenset({"editmessagetext"}), chats=frozenset({1202}))
    with caplog.at_level(logging.INFO, logger="bot"):
        await person.tap("✅ Gabung ke klaster")
        await wait_for_any(person, SORRY, timeout=40)
        await bot.idle()
    emulator.faults = Faults()
    assert sum(1 for m in person.bot_messages if SORRY in m.text) == 1  # three tries, one apology
    tap_id = max(row[0] for row in await _update_ids(bot, "SELECT update_id FROM inbox"))
    assert await _update_ids(bot, f"SELECT attempts, outcome FROM inbox WHERE update_id = {tap_id}") == [(3, "failed")]
    logged = [r.getMessage() for r in caplog.records]
    assert any(r.levelno == logging.ERROR and r.getMessage().startswith(f"error while handling update {tap_id}") for r in caplog.records)
    # The tap's own query was answered by the first try, so the apology could not be a toast: it went as a message.
    assert any(m.startswith(f"the apology for update {tap_id} could not be shown there") for m in logged), logged
    assert any(re.match(rf"the apology for update {tap_id} went to 1202's private chat", m) for m in logged), logged
    # Nothing was half done: the member joined once (the join committed in the first try), and /menu works.
    reply = await person.ask("/menu")
    assert "Menu utama" in reply.text
