"""A loopback Telegram Bot API for tests and the web-chat sandbox.

    from emulator import BotApiEmulator
    emu = BotApiEmulator()
    await emu.start()
    alice = emu.user(1001, "Alice", language_code="id")
    await alice.send("/start")

The bot under test talks to `emu.base_url` over real HTTP, exactly as it
would talk to api.telegram.org; tests act as people and read what they see.
`WebChat(emu).install()` adds a Telegram-like web page for acting as those
people in a browser (the sandbox, sandbox/process.py).
"""

from emulator.chat import ChatMessage
from emulator.core import BotApiEmulator
from emulator.errors import ApiError
from emulator.faults import Faults
from emulator.flood import FloodLimits
from emulator.people import Group, SimulatedUser
from emulator.server import CallRecord
from emulator.webchat import WebChat

__all__ = [
    "ApiError",
    "BotApiEmulator",
    "CallRecord",
    "ChatMessage",
    "Faults",
    "FloodLimits",
    "Group",
    "SimulatedUser",
    "WebChat",
]
