"""Fixtures the emulator's unit tests share."""

from __future__ import annotations

import pytest

from emulator import BotApiEmulator, FloodLimits

TOKEN = "123456:TEST"


@pytest.fixture
async def emu():
    """A started emulator without flood limits (the flood tests set their own)."""
    emulator = BotApiEmulator(token=TOKEN, bot_username="rembug_bot", flood=FloodLimits.off())
    await emulator.start()
    yield emulator
    await emulator.stop()
