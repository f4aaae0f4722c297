"""Conversations the end-to-end tests repeat: creating a cluster, joining it."""

from __future__ import annotations

import asyncio
import re

from emulator import SimulatedUser
from emulator.chat import ChatMessage


async def wait_for(person: SimulatedUser, text: str | tuple[str, ...], timeout: float = 10.0) -> ChatMessage:
    """Wait until the newest bot message in ``person``'s chat contains ``text``.

    For steps where the bot answers with more than one message: the second may
    be paced by the per-chat rate limit, so waiting for quiet is not enough.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    texts = (text,) if isinstance(text, str) else text
    while loop.time() < deadline:
        last = person.last()
        if last is not None and any(t in last.text for t in texts):
            return last
        await asyncio.sleep(0.02)
    raise TimeoutError(f"no bot message with {text!r} in chat {person.id}; last: {person.last_text()!r}")


async def create_cluster(admin: SimulatedUser, name: str = "Sentra Batik Laweyan", zone: str = "WIB") -> str:
    """Walk /newcluster as ``admin`` (Indonesian) and return the invitation link it shows."""
    await admin.ask("/newcluster")
    for answer in (name, "Kota Surakarta", "Jawa Tengah", "batik tulis"):
        await admin.ask(answer)
    await admin.press(zone)
    await admin.press("✅ Buat klaster")
    await wait_for(admin, "Menu utama")
    created = next(m for m in reversed(admin.bot_messages) if "sudah dibuat" in m.text)
    return re.search(r"https://t\.me/\S+", created.text).group(0)


async def join(
    person: SimulatedUser,
    link: str,
    *,
    name: str | None = None,
    area: str = "Laweyan",
    business: str = "batik tulis",
    kind: str = "Perusahaan inti",
    share_phone: bool = True,
) -> None:
    """Open ``link`` and answer the profile in Indonesian, then confirm."""
    await person.open_link(link)
    await person.wait_reply()
    if name is None:
        await person.press(next(t for t in person.visible_buttons() if t.startswith("✅")))
    else:
        await person.ask(name)
    await person.ask(area)
    await person.ask(business)
    await person.press(kind)
    if share_phone:
        await person.share_contact(phone=f"+62812{person.id:06d}", own=True)
    else:
        await person.send(next(t for t in person.visible_buttons() if t in ("Lewati", "Skip")))
    await wait_for(person, ("Sudah benar?", "Is this right?"))
    await person.press(next(t for t in person.visible_buttons() if t.startswith("✅")))


async def wait_for_any(person: SimulatedUser, text: str, timeout: float = 10.0) -> ChatMessage:
    """Wait until any bot message in ``person``'s chat contains ``text``; return the newest such."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        found = [m for m in person.bot_messages if text in m.text]
        if found:
            return found[-1]
        await asyncio.sleep(0.02)
    raise TimeoutError(f"no bot message with {text!r} in chat {person.id}; last: {person.last_text()!r}")


async def wait_for_kind(person: SimulatedUser, kind: str, count: int = 1, timeout: float = 10.0) -> ChatMessage:
    """Wait until ``count`` bot messages of ``kind`` ("photo", "document"...) are in the chat; return the newest."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        found = [m for m in person.bot_messages if m.kind == kind]
        if len(found) >= count:
            return found[-1]
        await asyncio.sleep(0.02)
    raise TimeoutError(f"fewer than {count} {kind} message(s) in chat {person.id}")


async def wait_for_alert(person: SimulatedUser, text: str, timeout: float = 10.0) -> None:
    """Wait until the bot answered one of ``person``'s buttons with the alert ``text``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if (text, True) in person.callback_answers:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"no alert {text!r}; got {person.callback_answers[-3:]}")
