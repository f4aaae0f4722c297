"""Flood limits: the emulator answers 429 with retry_after the way Telegram does."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from telegram import Bot
from telegram.error import RetryAfter

from emulator import BotApiEmulator, FloodLimits
from emulator.flood import FloodControl

TOKEN = "123456:TEST"
# PTB warns about its own RetryAfter.retry_after type change whenever it builds one.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
async def emu():
    """A started emulator; each test sets small limits so nothing has to wait long."""
    emulator = BotApiEmulator(token=TOKEN, flood=FloodLimits.off())
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
async def bot(emu: BotApiEmulator):
    """python-telegram-bot's own Bot, talking to the emulator."""
    async with Bot(TOKEN, base_url=f"{emu.base_url}/bot", base_file_url=f"{emu.base_url}/file/bot") as ptb_bot:
        yield ptb_bot


async def raw_send(emu: BotApiEmulator, chat_id: int, text: str) -> tuple[int, dict]:
    """sendMessage with aiohttp; returns (HTTP status, body)."""
    async with aiohttp.ClientSession() as session:
        url = f"{emu.base_url}/bot{TOKEN}/sendMessage"
        async with session.post(url, json={"chat_id": chat_id, "text": text}) as response:
            return response.status, await response.json()


async def test_flood_limit_per_private_chat_answers_429_then_refills(emu: BotApiEmulator, bot: Bot):
    emu.flood = FloodLimits(private_rate=10.0, private_burst=2, tolerance=0)
    emu.user(1001, "Alice")
    emu.user(1002, "Bima")
    await bot.send_message(1001, "1")
    await bot.send_message(1001, "2")
    with pytest.raises(RetryAfter, match="Retry in 1 seconds"):
        await bot.send_message(1001, "3")
    refused = emu.calls[-1]
    assert (refused.method, refused.error_code) == ("sendMessage", 429)
    assert refused.description == "Too Many Requests: retry after 1"
    await bot.send_message(1002, "other chats are not held back")
    await asyncio.sleep(0.12)  # one token back at 10 per second
    third = await bot.send_message(1001, "3")
    await bot.edit_message_text("edits don't count", chat_id=1001, message_id=third.message_id)


async def test_flood_429_envelope_carries_retry_after(emu: BotApiEmulator):
    emu.flood = FloodLimits(group_rate=1 / 3, group_burst=1)
    emu.group(-100999, "Grup")
    status, body = await raw_send(emu, -100999, "a")
    assert status == 200
    status, body = await raw_send(emu, -100999, "b")
    assert status == 429
    assert body == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }


async def test_overall_limit_spans_chats(emu: BotApiEmulator, bot: Bot):
    emu.flood = FloodLimits(overall_rate=1.0, overall_burst=2)
    for uid in (1, 2, 3):
        emu.user(uid, f"U{uid}")
    await bot.send_message(1, "a")
    await bot.send_message(2, "b")
    with pytest.raises(RetryAfter):
        await bot.send_message(3, "c")


async def test_default_limits_allow_a_short_burst_per_private_chat(emu: BotApiEmulator, bot: Bot):
    emu.flood = FloodLimits()
    emu.user(1001, "Alice")
    for n in range(emu.flood.private_burst):
        await bot.send_message(1001, str(n))
    with pytest.raises(RetryAfter):
        await bot.send_message(1001, "one too many")
    assert await bot.send_chat_action(1001, "typing")  # chat actions are not counted
    assert [c.error_code for c in emu.rejections] == [429]


def test_a_call_early_by_less_than_the_tolerance_is_forgiven():
    now = [100.0]
    control = FloodControl(FloodLimits(private_rate=1.0, private_burst=1, tolerance=0.1), clock=lambda: now[0])
    assert control.retry_after("sendMessage", 1) == 0
    now[0] += 0.95  # 0.05 s early: jitter, not flooding
    assert control.retry_after("sendMessage", 1) == 0
    now[0] += 0.5  # the debt is remembered: this one is 0.55 s early
    assert control.retry_after("sendMessage", 1) == 1


def test_off_never_refuses():
    control = FloodControl(FloodLimits.off())
    assert all(control.retry_after("sendMessage", 1) == 0 for _ in range(100))
