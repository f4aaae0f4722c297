"""The main menu as a person uses it: open a group, then the entry in it."""

from __future__ import annotations

from emulator import SimulatedUser
from emulator.chat import ChatMessage


def labels(message: ChatMessage) -> list[str]:
    """The button texts of one message, row by row."""
    return [text for row in message.buttons for text in row]


async def open_entry(person: SimulatedUser, group: str, entry: str) -> ChatMessage:
    """Tap ``group`` on the main menu, then ``entry`` one level down (both by their visible text); the reply."""
    opened = await person.press(group)
    assert opened is not None and any(entry in label for label in labels(opened)), (
        f"{group!r} does not hold {entry!r}: {labels(opened) if opened else None}"
    )
    reply = await person.press(entry)
    assert reply is not None, f"{entry!r} got no reply"
    return reply
