"""A meeting's cards and notices go through the outbox: each invitee has a result, and the
organiser sees who was not reached (blocked the bot, never started it)."""

from __future__ import annotations

import asyncio
import csv
import io

from storage import outbox
from tests.e2e.chats import wait_for
from tests.e2e.seed import seed_cluster

FACILITATOR = (501, "Bu Ratna")
NORTH = [(511, "Ani"), (512, "Bayu"), (513, "Citra"), (514, "Dewi"), (515, "Eko"), (516, "Fajar")]
SOUTH = [(521, "Gita"), (522, "Hadi"), (523, "Indah"), (524, "Joko"), (525, "Kiki"), (526, "Lina")]
BLOCKED = (513, 522, 526)  # blocked the bot
NEVER_STARTED = (524,)  # in the cluster's records, never opened the bot


async def _schedule_for_the_whole_cluster(fac) -> None:
    await fac.ask("/meeting")
    await fac.press("Pertemuan rutin")
    await fac.ask("Pemasaran bersama")
    await fac.press("26")
    await fac.press("09.00")
    await fac.ask("Balai Desa Laweyan")
    await fac.send("Lewati")
    await wait_for(fac, "agenda")
    await fac.press("Lewati")
    await fac.press("⬜ Seluruh klaster")
    await fac.press("Selesai ▶")
    reply = await fac.press("Tanpa batas")
    assert "(13 orang)" in reply.text  # the whole cluster: the facilitator and twelve members
    await fac.press("✅ Kirim undangan")


async def _seed(clocked_bot, clock, emulator):
    for uid, name in [FACILITATOR, *NORTH, *SOUTH]:
        emulator.user(uid, name, language_code="id", started=uid not in NEVER_STARTED)
    for uid in BLOCKED:
        emulator.user(uid).block()
    return await seed_cluster(
        clocked_bot.application.services.db,
        clock.now(),
        facilitator=FACILITATOR,
        groups={"Grup Utara": NORTH, "Grup Selatan": SOUTH},
    )


async def test_an_organiser_sees_which_invitees_the_cards_did_not_reach(emulator, clocked_bot, clock):
    await _seed(clocked_bot, clock, emulator)
    fac = emulator.user(*FACILITATOR, language_code="id")
    await _schedule_for_the_whole_cluster(fac)

    report = await wait_for(fac, "Undangan untuk", timeout=20)
    assert "“Pemasaran bersama”: 9 terkirim" in report.text
    assert "Terkirim: 9 dari 13" in report.text  # the organiser is in the cluster too
    assert "Memblokir bot: 3" in report.text and "Belum pernah memulai bot: 1" in report.text
    for name in ("Citra", "Hadi", "Lina", "Joko"):
        assert name in report.text
    assert "Ani" not in report.text
    not_reached = await fac.press("⚠️ Tidak terjangkau (4)")
    assert all(name in not_reached.text for name in ("Citra", "Hadi", "Lina", "Joko"))

    # Every invitee has a result in the outbox; the reached ones have their card with the RSVP buttons.
    async with clocked_bot.application.services.db.read() as conn:
        results = {letter.recipient_id: letter.status for letter in await outbox.letters(conn, "meeting:1:invite")}
    assert len(results) == 13
    assert {uid for uid, status in results.items() if status == "blocked"} == set(BLOCKED)
    assert {uid for uid, status in results.items() if status == "not_started"} == set(NEVER_STARTED)
    ani = emulator.user(511)
    card = next(m for m in ani.bot_messages if "Undangan dari" in m.text)
    assert [b["text"] for b in card.inline_keyboard[0]] == ["✅ Akan hadir", "🤔 Mungkin", "❌ Tidak bisa hadir"]
    await ani.tap_data(card.message_id, card.inline_keyboard[0][0]["callback_data"])
    await ani.wait_reply()
    assert ani.callback_answers[-1][0].startswith("Tersimpan")


async def test_a_cancel_notice_goes_through_the_outbox_and_the_organiser_sees_its_results(emulator, clocked_bot, clock):
    await _seed(clocked_bot, clock, emulator)
    fac = emulator.user(*FACILITATOR, language_code="id")
    await _schedule_for_the_whole_cluster(fac)
    await wait_for(fac, "Undangan untuk", timeout=20)
    emulator.user(511).block()  # Ani got her card, then blocked the bot

    await fac.ask("/meetings")
    await fac.press(next(t for t in fac.visible_buttons() if "Pemasaran bersama" in t))
    await fac.press("✖️ Batalkan pertemuan")
    await fac.press("Ya, batalkan dan beri tahu semua")
    for uid in (512, 514, 515, 516, 521, 523, 525):
        await wait_for(emulator.user(uid), "Pertemuan dibatalkan", timeout=20)

    # The organiser's report, whom to reach another way, and the CSV of them, once the notices went out.
    document = await _document(fac)
    report = next(m for m in fac.bot_messages if "Pemberitahuan pembatalan" in m.text)
    assert "Terkirim: 8 dari 9" in report.text and "Memblokir bot: 1" in report.text
    assert any("Ani (Grup Utara)" in m.text for m in fac.bot_messages if "cara lain" in m.text)
    rows = list(csv.reader(io.StringIO(document.decode("utf-8-sig"))))
    assert rows[1][0] == "Ani" and rows[1][1] == "Grup Utara" and rows[1][3] == "memblokir bot"
    # Told: those whose card arrived (not those it never reached), each with a result.
    async with clocked_bot.application.services.db.read() as conn:
        results = {letter.recipient_id: letter.status for letter in await outbox.letters(conn, "meeting:1:cancelled")}
    assert results == dict.fromkeys((501, 512, 514, 515, 516, 521, 523, 525), "sent") | {511: "blocked"}


async def _document(person) -> bytes:
    for _ in range(200):
        found = [m for m in person.bot_messages if m.kind == "document"]
        if found:
            return found[-1].document
        await asyncio.sleep(0.05)
    raise AssertionError("no CSV of the people not reached")
