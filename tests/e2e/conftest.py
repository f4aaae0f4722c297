"""End-to-end fixtures: the emulator, settings pointing at it, and the running bot."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings
from emulator import BotApiEmulator, FloodLimits
from tests.harness import InProcessBot

TOKEN = "123456:TEST-token-for-the-emulator"
ADMIN_ID = 9001


@pytest.fixture
async def emulator():
    """The loopback Bot API emulator; a test fails if the bot made a call Telegram would reject."""
    emu = BotApiEmulator(token=TOKEN, bot_username="rembug_test_bot", flood=FloodLimits())
    await emu.start()
    yield emu
    await emu.stop()
    expected = getattr(emu, "expected_rejections", 0)
    rejected = [(c.method, c.error_code, c.description) for c in emu.rejections]
    assert len(rejected) <= expected, f"the bot made calls Telegram would reject: {rejected}"


@pytest.fixture
def settings(emulator: BotApiEmulator, tmp_path: Path) -> Settings:
    """Settings pointing the bot at the emulator and a fresh database file."""
    return Settings(
        token=TOKEN,
        api_url=emulator.base_url,
        database=tmp_path / "rembug.sqlite3",
        admin_ids=frozenset({ADMIN_ID}),
    )


@pytest.fixture
async def bot(settings: Settings):
    """The real bot running in this process against the emulator."""
    running = InProcessBot(settings)
    await running.start()
    yield running
    await running.stop()
