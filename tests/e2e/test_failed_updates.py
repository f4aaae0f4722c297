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
    async with bot.application.services.db.read() as conn, conn.execute(sql) as cursor:
        return list(await cursor.fetchall())


async def test_a_tap_that_fails_twice_is_tried_again_and_the_member_is_welcomed_without_an_apology(
    emulator, bot, caplog
):
    person = await _up_to_the_review(emulator, 1201)
    # The welcome is an edit of the review; Telegram answers 500 to it eight times in a row: each try of
    # the tap meets four (the request and its three quick retries), so the first two tries fail.
    emulator.faults = Faults(
        rate=1.0, kinds=("500",), methods=frozenset({"editmessagetext"}), chats=frozenset({1201}), limit=8
    )
    with caplog.at_level(logging.WARNING, logger="bot"):
        await person.tap("✅ Gabung ke klaster")
        await wait_for_any(person, WELCOME, timeout=40)
        await bot.idle()
    assert emulator.faults.count("500") == 8
    assert sum(1 for m in person.bot_messages if WELCOME in m.text) == 1
    assert not any(SORRY in m.text for m in person.bot_messages)
    async with bot.application.services.db.read() as conn:
        assert (await memberships.roles_in_current_cluster(conn, 1201)) is not None
        assert await drafts.get_draft(conn, 1201, "profile") == {}
    tap_id = max(row[0] for row in await _update_ids(bot, "SELECT update_id FROM inbox"))
    assert await _update_ids(bot, f"SELECT attempts, outcome FROM inbox WHERE update_id = {tap_id}") == [(3, "handled")]
    retries = [r.getMessage() for r in caplog.records if "trying again" in r.getMessage()]
    assert retries == [
        f"update {tap_id} failed (try 1 of 3); trying again in 1 s",
        f"update {tap_id} failed (try 2 of 3); trying again in 2 s",
    ]
    assert any(
        r.levelno == logging.WARNING and f"update {tap_id}" in r.getMessage() and r.exc_info for r in caplog.records
    )


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
    assert any(
        r.levelno == logging.ERROR and r.getMessage().startswith(f"error while handling update {tap_id}")
        for r in caplog.records
    )
    # The tap's own query was answered by the first try, so the apology could not be a toast: it went as a message.
    assert any(m.startswith(f"the apology for update {tap_id} could not be shown there") for m in logged), logged
    assert any(re.match(rf"the apology for update {tap_id} went to 1202's private chat", m) for m in logged), logged
    # Nothing was half done: the member joined once (the join committed in the first try), and /menu works.
    reply = await person.ask("/menu")
    assert "Menu utama" in reply.text


async def test_a_confirm_whose_reply_failed_after_it_was_stored_shows_the_same_outcome_on_the_next_try(
    emulator, clocked_bot, clock
):
    """The work is committed, the reply is lost: the next try must say what was done, not 'no longer valid'."""
    from storage import meetings
    from tests.e2e.seed import seed_cluster

    emulator.expected_errors = ("query is too old",)
    fac_id, members = 1301, [(1311, "Ani"), (1312, "Bayu")]
    for uid, name in [(fac_id, "Bu Fasil"), *members]:
        emulator.user(uid, name, language_code="id")
    db = clocked_bot.application.services.db
    await seed_cluster(db, clock.now(), facilitator=(fac_id, "Bu Fasil"), groups={"Grup Utara": members})
    fac = emulator.user(fac_id)

    def one_failed_try(reply: str) -> Faults:
        """The reply to the confirm meets four 500s: the request and its three quick retries, so that try fails."""
        return Faults(
            rate=1.0,
            kinds=("500",),
            methods=frozenset({"editmessagetext"}),
            chats=frozenset({fac_id}),
            limit=4,
            text=reply,
        )

    # A meeting: its invitations go out once, and the organiser sees the meeting after the retry.
    await fac.ask("/meeting")
    await fac.press("FGD-1")
    await fac.ask("Pewarna alami")
    await fac.press("25")
    await fac.press("14.00")
    await fac.ask("Balai Desa")
    await fac.send("Lewati")
    await wait_for(fac, "agenda")
    await fac.press("Lewati")
    await fac.press("⬜ Grup Utara")
    await fac.press("Selesai ▶")
    await fac.press("Tanpa batas")
    emulator.faults = one_failed_try("Pertemuan disimpan")
    await fac.tap("✅ Kirim undangan")
    shown = await wait_for_any(fac, "Pertemuan disimpan", timeout=30)
    assert emulator.faults.count("500") == 4  # the first try's reply met four 500s and failed
    assert "Pewarna alami" in shown.text and "Tombol ini sudah tidak berlaku" not in fac.last_text()
    await wait_for_any(emulator.user(1311), "Pewarna alami", timeout=15)
    await wait_for_any(fac, "Undangan untuk", timeout=15)  # the organiser's delivery report
    async with db.read() as conn:
        assert len(await meetings.list_meetings(conn, 1)) == 1

    # Cancelling it, from its confirm screen: the next try still counts the confirmation it took.
    await fac.ask("/meeting")  # leave the list to open the meeting again
    await fac.ask("/menu")
    await fac.press("📅 Pertemuan")
    await fac.press(next(t for t in fac.visible_buttons() if "Pewarna alami" in t))
    await fac.press("✖️ Batalkan pertemuan")
    emulator.faults = one_failed_try("Pertemuan ini dibatalkan")
    await fac.tap("Ya, batalkan dan beri tahu semua")
    await wait_for_any(fac, "Pertemuan ini dibatalkan", timeout=30)
    await clocked_bot.idle()
    assert emulator.faults.count("500") == 4
    assert not any("Mohon pastikan dulu" in a for a, _alert in fac.callback_answers)
    await wait_for_any(emulator.user(1311), "Pertemuan dibatalkan", timeout=15)

    # A broadcast sent now: delivered once, and the sender sees it confirmed after the retry.
    emulator.faults = Faults()
    await fac.send("/broadcast")
    await wait_for(fac, "Pengumuman baru")
    await fac.press("⬜ Grup Utara")
    await fac.press("Selesai ▶")
    await fac.send("Iuran kas bulan ini.")
    await wait_for(fac, "Beginilah yang akan dilihat penerima")
    emulator.faults = one_failed_try("Dicatat.")
    await fac.tap("✅ Kirim sekarang")
    await wait_for_any(fac, "Pengumuman terkirim", timeout=30)
    await clocked_bot.idle()  # the confirm's second try
    assert emulator.faults.count("500") == 4
    assert any(m.text == "Dicatat." for m in fac.bot_messages[-3:])
    for uid, _name in members:
        await wait_for_any(emulator.user(uid), "Iuran kas bulan ini.", timeout=15)
        assert sum(1 for m in emulator.user(uid).bot_messages if m.text == "Iuran kas bulan ini.") == 1
    assert not any("Tombol ini sudah tidak berlaku" in m.text for m in fac.bot_messages)
    assert [a for a, _alert in fac.callback_answers if "tidak berlaku" in a] == []
    async with db.read() as conn, conn.execute("SELECT COUNT(*) FROM broadcasts") as cursor:
        assert (await cursor.fetchone())[0] == 1
