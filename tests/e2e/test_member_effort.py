"""What a member spends on the two paths every member walks, counted from what the bot received.

From the invitation link to a finished profile, and from a survey invitation to a sent survey: the
links opened, the taps (inline buttons and the reply keyboard's contact button) and the characters
typed, read back from the bot's own inbox (every update it was sent), so the figures are the bot's,
not the test's. The longest message the member read on each path is measured as a phone shows it
(the folded guideline of ``<blockquote expandable>`` not counted). The figures are written to
``tests/artifacts/member-effort.json`` for the closing note.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest

from bot.fitting import utf16_length
from emulator import SimulatedUser
from tests.e2e.chats import create_cluster, join, wait_for
from tests.e2e.conftest import ADMIN_ID
from tests.e2e.seed import seed_cluster

pytestmark = pytest.mark.e2e
ARTIFACTS = Path(__file__).resolve().parents[2] / "tests" / "artifacts"
ONE_SCREEN = 700  # visible characters of a 390×844 phone screen above the buttons (issue 18, item 2)


@dataclass
class Effort:
    links: int = 0
    taps: int = 0
    typed_messages: int = 0
    typed_characters: int = 0
    longest_message: int = 0
    longest_starts: str = ""


async def effort_of(bot, person: SimulatedUser, after_update: int = 0) -> Effort:
    """What ``person`` sent the bot after ``after_update``, from the inbox, and the longest bot message they hold."""
    effort = Effort()
    query = "SELECT payload FROM inbox WHERE update_id > ? ORDER BY update_id"
    async with bot.application.services.db.read() as conn, conn.execute(query, (after_update,)) as c:
        updates = [json.loads(row[0]) for row in await c.fetchall()]
    for update in updates:
        if "callback_query" in update and update["callback_query"]["from"]["id"] == person.id:
            effort.taps += 1
        message = update.get("message")
        if not message or message["from"]["id"] != person.id:
            continue
        text = message.get("text", "")
        if text.startswith("/start "):
            effort.links += 1
        elif "contact" in message:
            effort.taps += 1  # the reply keyboard's "Bagikan nomor saya"
        elif text:
            effort.typed_messages += 1
            effort.typed_characters += len(text)
    for shown in person.bot_messages:
        folded = sum(e["length"] for e in shown.entities if e["type"] == "expandable_blockquote")
        visible = utf16_length(shown.text) - folded
        if visible > effort.longest_message:
            effort.longest_message, effort.longest_starts = visible, shown.text[:60]
    return effort


async def last_update_id(bot) -> int:
    async with bot.application.services.db.read() as conn, conn.execute("SELECT MAX(update_id) FROM inbox") as c:
        return (await c.fetchone())[0] or 0


def record(path: str, effort: Effort) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / "member-effort.json"
    figures = json.loads(target.read_text()) if target.exists() else {}
    figures[path] = asdict(effort)
    target.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    print(path, asdict(effort))


async def test_from_the_invitation_link_to_a_finished_profile(emulator, bot):
    admin = emulator.user(ADMIN_ID, "Admin", language_code="id")
    link = await create_cluster(admin)
    newcomer = emulator.user(8101, "Sri Handayani", language_code="id")
    before = await last_update_id(bot)
    await join(newcomer, link, area="Kauman", business="batik cap")
    await wait_for(newcomer, "Selamat datang di Sentra Batik Laweyan")

    effort = await effort_of(bot, newcomer, before)
    record("invitation → profile", effort)
    # One link; the name offered from Telegram, the stakeholder type, the contact and the confirm are taps;
    # only the home area and the business are typed.
    assert (effort.links, effort.taps, effort.typed_messages) == (1, 4, 2)
    assert effort.typed_characters == len("Kauman") + len("batik cap")
    assert effort.longest_message <= ONE_SCREEN, effort


async def test_from_the_survey_invitation_to_a_sent_survey(emulator, clocked_bot, clock):
    bot = clocked_bot
    facilitator, member = (601, "Pak Fasil"), (611, "Ani")
    for uid, name in (facilitator, member):
        emulator.user(uid, name, language_code="id")
    await seed_cluster(bot.application.services.db, clock.now(), facilitator=facilitator, groups={"Grup A": [member]})
    fac, ani = emulator.user(*facilitator), emulator.user(*member)
    await fac.ask("/survey")
    await fac.press("➕ Buka putaran survei")
    await fac.ask("Kondisi klaster 2026")
    await fac.press("1 minggu lagi")
    await wait_for(ani, "meminta pendapat Anda", timeout=15)
    before = await last_update_id(bot)

    await ani.press("📝 Jawab sekarang")
    for number in (1, 2, 2, 3, 1, 4, 2, 3):
        await ani.press(str(number))
    await ani.press("✅ Kirim jawaban saya")
    await wait_for(ani, "Terima kasih")

    effort = await effort_of(bot, ani, before)
    record("survey invitation → sent", effort)
    # "Jawab sekarang", one tap per question of the eight, and "Kirim": nothing typed.
    assert (effort.links, effort.taps, effort.typed_messages, effort.typed_characters) == (0, 10, 0, 0)
    assert effort.longest_message <= ONE_SCREEN, effort
