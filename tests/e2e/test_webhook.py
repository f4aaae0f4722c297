"""Webhook mode: Telegram (the emulator) posts each update; the bot stores it before answering 200."""

from __future__ import annotations

import asyncio
import logging

import aiohttp

from storage.database import Database
from tests.e2e.chats import create_cluster, join
from tests.e2e.conftest import ADMIN_ID

HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def _stored(database_path, update_id: int | None = None) -> list[tuple]:
    db = await Database.open(database_path)
    try:
        sql = "SELECT update_id, outcome FROM inbox" + (" WHERE update_id = ?" if update_id is not None else "")
        async with db.read() as conn, conn.execute(sql, () if update_id is None else (update_id,)) as cursor:
            return list(await cursor.fetchall())
    finally:
        await db.close()


def _start_update(update_id: int, user_id: int, name: str) -> dict:
    """What Telegram posts when ``user_id`` sends /start."""
    person = {"id": user_id, "is_bot": False, "first_name": name, "language_code": "id"}
    message = {
        "message_id": 900 + update_id % 100,
        "date": 1_795_000_000,
        "chat": {"id": user_id, "type": "private", "first_name": name},
        "from": person,
        "text": "/start",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
    }
    return {"update_id": update_id, "message": message}


async def _post(url: str, body, headers: dict[str, str] | None = None, method: str = "POST") -> tuple[int, str]:
    async with aiohttp.ClientSession() as session:
        kwargs = {"data": body} if isinstance(body, (bytes, str)) else {"json": body}
        async with session.request(method, url, headers=headers or {}, **kwargs) as response:
            return response.status, await response.text()


async def test_a_member_joins_and_uses_the_menu_over_the_webhook(emulator, webhook_bot, webhook_settings):
    info = emulator.world.webhook.info(0)
    assert info["url"] == webhook_settings.webhook_url and info["max_connections"] == 1
    admin = emulator.user(ADMIN_ID, "Budi", language_code="id")
    link = await create_cluster(admin)
    siti = emulator.user(201, "Siti", language_code="id")
    await join(siti, link)
    assert any("Selamat bergabung" in m.text or "🎉" in m.text for m in siti.bot_messages)
    reply = await siti.ask("/menu")
    assert "Menu utama" in reply.text
    assert not emulator.calls_to("getUpdates")  # nothing was polled
    delivered = emulator.world.webhook.deliveries
    assert delivered and all(d.status == 200 for d in delivered)
    assert [d.update_id for d in delivered] == sorted(d.update_id for d in delivered)  # in order
    await webhook_bot.idle()
    rows = await _stored(webhook_settings.database)
    assert len(rows) == len(delivered) and {outcome for _, outcome in rows} == {"handled"}
    assert emulator.pending_updates() == []


async def test_a_wrong_or_missing_secret_gets_403_and_nothing_is_stored(
    emulator, webhook_bot, webhook_settings, caplog
):
    emulator.user(202, "Rina", language_code="id")
    url = webhook_settings.webhook_url
    update = _start_update(5001, 202, "Rina")
    with caplog.at_level(logging.WARNING, logger="bot.webhook"):
        assert (await _post(url, update, {HEADER: "not-the-secret"}))[0] == 403
        assert (await _post(url, update))[0] == 403
        assert (await _post(url, update, {HEADER: webhook_settings.webhook_secret + "x"}))[0] == 403
        assert (await _post(url, b"{not json", {HEADER: webhook_settings.webhook_secret}))[0] == 400
        assert (await _post(url, {"update_id": 5002}, {HEADER: webhook_settings.webhook_secret}))[0] == 400
        assert (await _post(url, [1, 2], {HEADER: webhook_settings.webhook_secret}))[0] == 400
    assert (await _post(url, b"", method="GET"))[0] == 405
    health = await _post(url.replace("/telegram/webhook", "/healthz"), b"", method="GET")
    assert health == (200, "ok")
    await asyncio.sleep(0.3)
    assert await _stored(webhook_settings.database, 5001) == []
    assert await _stored(webhook_settings.database, 5002) == []
    assert emulator.users[202].bot_messages == []
    logged = [r.getMessage() for r in caplog.records if r.name == "bot.webhook"]
    assert sum("wrong secret" in line for line in logged) == 2 and sum("missing secret" in line for line in logged) == 1
    assert sum("not an update" in line for line in logged) == 3
    assert not any(webhook_settings.webhook_secret in line for line in logged)


async def test_a_redelivered_update_is_stored_and_handled_once(emulator, webhook_bot, webhook_settings):
    dewi = emulator.user(203, "Dewi", language_code="id")
    secret = {HEADER: webhook_settings.webhook_secret}
    update = _start_update(6001, 203, "Dewi")
    assert await _post(webhook_settings.webhook_url, update, secret) == (200, "ok")
    await webhook_bot.idle()
    await asyncio.sleep(0.3)
    after_first = len(dewi.bot_messages)
    assert after_first >= 1 and "Halo, Dewi!" in dewi.bot_messages[0].text
    assert await _post(webhook_settings.webhook_url, update, secret) == (200, "ok")  # Telegram did not hear the 200
    await webhook_bot.idle()
    await asyncio.sleep(0.3)
    assert len(dewi.bot_messages) == after_first
    assert await _stored(webhook_settings.database, 6001) == [(6001, "handled")]


async def test_an_update_the_bot_did_not_accept_is_retried_and_handled_after_restart(
    emulator, webhook_bot, webhook_settings
):
    eko = emulator.user(204, "Eko", language_code="id")
    await webhook_bot.stop()  # the bot is down: nothing listens on the webhook's port
    await eko.send("/start")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while sum(1 for d in emulator.world.webhook.deliveries if d.status is None) < 3:
        assert loop.time() < deadline, emulator.world.webhook.deliveries
        await asyncio.sleep(0.05)
    assert len(emulator.pending_updates()) == 1  # kept, not dropped
    assert "Connection failed" in (emulator.world.webhook.last_error_message or "")
    await webhook_bot.start()
    reply = await eko.wait_reply(timeout=15)
    assert "Halo, Eko!" in reply.text
    assert emulator.world.webhook.deliveries[-1].status == 200
    assert emulator.pending_updates() == []
    await webhook_bot.idle()
    assert {outcome for _, outcome in await _stored(webhook_settings.database)} == {"handled"}


async def test_get_updates_is_refused_while_the_webhook_is_set(emulator, webhook_bot):
    emulator.expected_errors = ("can't use getUpdates method while webhook is active",)
    url = f"{emulator.base_url}/bot{emulator.token}/getUpdates"
    status, text = await _post(url, {"timeout": 0})
    assert status == 409
    assert "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook" in text
