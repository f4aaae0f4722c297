"""Members write to their facilitators (issue 18 item 6): text typed outside any question is offered,
with one tap, as a message to the cluster's facilitators, who answer with "↩️ Balas"; text that came
too late says what closed; a voice note nobody asked for says where voice notes are welcome."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from storage import brainstorm, meetings, memberships
from storage.database import Database
from tests.e2e.chats import wait_for, wait_for_any
from tests.e2e.seed import seed_cluster, seed_session
from tests.e2e.taps import quiet

FACILITATOR = (801, "Bu Ratna")
HELPER = (802, "Pak Joko")  # a second facilitator of the cluster
NORTH = [(811, "Ani"), (812, "Bayu")]
ALONE = (813, "Citra")  # in no small group


async def _seed(bot, clock, emulator, language: str = "id"):
    for uid, name in (FACILITATOR, HELPER, *NORTH, ALONE):
        emulator.user(uid, name, language_code=language)
    db = bot.application.services.db
    seeded = await seed_cluster(
        db, clock.now(), facilitator=FACILITATOR, groups={"Utara": NORTH}, others=[HELPER, ALONE], language=language
    )
    async with db.transaction() as tx:
        await memberships.set_roles(tx, seeded.cluster_id, HELPER[0], facilitator=True)
    return seeded, db


def _buttons(message) -> list[str]:
    return [text for row in message.buttons for text in row]


def _letters(person) -> list:
    return [m for m in person.bot_messages if "Pesan dari" in m.text or "Message from" in m.text]


async def _broadcast(fac, text: str) -> None:
    await fac.ask("/broadcast")
    await fac.press("⬜ Utara")
    await fac.press("Selesai ▶")
    await fac.send(text)
    await wait_for(fac, "Beginilah yang akan dilihat penerima")
    await fac.press("✅ Kirim sekarang")


async def test_a_member_answers_a_broadcast_and_the_facilitator_answers_back(emulator, clocked_bot, clock):
    await _seed(clocked_bot, clock, emulator)
    fac, helper, ani = emulator.user(*FACILITATOR), emulator.user(*HELPER), emulator.user(*NORTH[0])
    await _broadcast(fac, "Pertemuan rutin Kamis 19.30 di Balai Desa.")
    await wait_for(ani, "Pertemuan rutin Kamis")

    offer = await ani.ask("Bu, harga mori < Rp 20.000 & naik terus. Saya tidak bisa hadir Kamis.")
    assert "Saya sedang tidak bertanya apa pun." in offer.text
    assert "Mau saya kirim pesan ini ke fasilitator klaster Sentra Batik Laweyan?" in offer.text
    assert "nama dan grup kecil Anda" in offer.text
    assert _buttons(offer) == ["✉️ Kirim ke fasilitator", "Batal"]
    await quiet(clocked_bot)
    assert _letters(fac) == [] and _letters(helper) == []  # nothing is forwarded without the tap

    sent = await ani.press("✉️ Kirim ke fasilitator")
    assert sent.message_id == offer.message_id  # the offer itself says what happened
    assert "Terkirim ke fasilitator klaster Sentra Batik Laweyan" in sent.text and _buttons(sent) == []
    for facilitator in (fac, helper):
        letter = await wait_for_any(facilitator, "Pesan dari Ani")
        assert "Pesan dari Ani (Utara), Sentra Batik Laweyan" in letter.text
        assert "Bu, harga mori < Rp 20.000 & naik terus. Saya tidak bisa hadir Kamis." in letter.text
        assert _buttons(letter) == ["↩️ Balas"]

    prompt = await fac.press("↩️ Balas")
    assert "Ketik balasan Anda untuk Ani" in prompt.text and "harga mori" in prompt.text
    done = await fac.ask("Baik, Bu Ani. Notulanya saya kirim setelah pertemuan.")
    assert done.text == "✅ Balasan Anda sedang dikirim ke Ani."
    answer = await wait_for_any(ani, "Balasan dari Bu Ratna")
    assert "Balasan dari Bu Ratna, fasilitator Sentra Batik Laweyan:" in answer.text
    assert "Baik, Bu Ani. Notulanya saya kirim setelah pertemuan." in answer.text
    assert "Untuk menulis lagi, ketik saja pesan Anda di sini." in answer.text
    assert "Notulanya" not in (helper.last_text() or "")  # the answer went to Ani only

    # The facilitator's next text is not an answer any more; Ani writes again the same way.
    again = await fac.ask("catatan untuk diri sendiri")
    assert "Saya sedang tidak bertanya apa pun" in again.text and _buttons(again) == ["Buka menu"]
    again = await ani.ask("Terima kasih, Bu.")
    assert _buttons(again) == ["✉️ Kirim ke fasilitator", "Batal"]
    await ani.press("✉️ Kirim ke fasilitator")
    await wait_for_any(helper, "Terima kasih, Bu.")

    # Citra, in no small group, is named as such.
    citra = emulator.user(*ALONE)
    await citra.ask("Kapan iuran dibayar?")
    await citra.press("✉️ Kirim ke fasilitator")
    letter = await wait_for_any(fac, "Kapan iuran dibayar?")
    assert "Pesan dari Citra (belum masuk grup kecil)" in letter.text


async def test_a_cancelled_message_reaches_nobody_and_a_replayed_send_sends_once(
    emulator, clocked_bot, clock, settings
):
    await _seed(clocked_bot, clock, emulator)
    fac, helper, bayu = emulator.user(*FACILITATOR), emulator.user(*HELPER), emulator.user(*NORTH[1])
    offer = await bayu.ask("Salah ketik, abaikan")
    send_data = offer.inline_keyboard[0][0]["callback_data"]
    reply = await bayu.press("Batal")
    assert reply.text == "Tidak dikirim: tidak ada yang sampai ke fasilitator."
    await bayu.tap_data(offer.message_id, send_data)  # the Send button of the cancelled offer, from another phone
    await bayu.wait_reply()
    assert bayu.callback_answers[-1][0] == "Pesan ini tidak dikirim. Ketik lagi untuk mengirimnya."
    await quiet(clocked_bot)
    assert _letters(fac) == [] and _letters(helper) == []

    offer = await bayu.ask("Stok kain mori di koperasi habis.")
    send_data = offer.inline_keyboard[0][0]["callback_data"]
    await bayu.press("✉️ Kirim ke fasilitator")
    await wait_for_any(fac, "Stok kain mori")
    await bayu.tap_data(offer.message_id, send_data)  # tapped twice
    await bayu.wait_reply()
    assert bayu.callback_answers[-1][0] == "Sudah terkirim ke fasilitator."
    assert "Terkirim ke fasilitator" in bayu.message(offer.message_id).text

    # The process dies after the tap was stored but before the inbox marked it handled: it is replayed,
    # shows the same outcome again (Telegram has expired the query; the message says so already) and sends nothing.
    emulator.expected_errors = ("query is too old", "message is not modified")
    db = clocked_bot.application.services.db
    async with (
        db.read() as conn,
        conn.execute("SELECT MIN(update_id) FROM inbox WHERE payload LIKE ?", (f"%{send_data}%",)) as cursor,
    ):
        (update_id,) = await cursor.fetchone()
    await clocked_bot.stop()
    database = await Database.open(settings.database)
    async with database.transaction() as tx:
        await tx.execute("UPDATE inbox SET handled_at = NULL WHERE update_id = ?", (update_id,))
    await database.close()
    await clocked_bot.start()
    await clocked_bot.idle()
    await quiet(clocked_bot)
    await asyncio.sleep(0.3)
    assert len(_letters(fac)) == 1 and len(_letters(helper)) == 1
    async with clocked_bot.application.services.db.read() as conn:
        async with conn.execute("SELECT handled_at IS NOT NULL FROM inbox WHERE update_id = ?", (update_id,)) as cur:
            assert (await cur.fetchone())[0] == 1  # the replay ran
        async with conn.execute("SELECT COUNT(*) FROM outbox WHERE batch LIKE 'letter:%'") as cursor:
            assert (await cursor.fetchone())[0] == 2  # one letter, one row per facilitator


async def test_a_card_typed_after_the_collection_closed_says_so(emulator, clocked_bot, clock):
    seeded, db = await _seed(clocked_bot, clock, emulator)
    async with db.transaction() as tx:
        session = await seed_session(
            tx, seeded.cluster_id, "Apa yang menghambat penjualan kita?", FACILITATOR[0], [NORTH[0][0]], clock.now()
        )
    ani = emulator.user(*NORTH[0])
    menu = await ani.ask("/menu")
    await ani.tap_data(menu.message_id, f"bs1:c:{session.id}")  # "✍️ Kirim kartu" from the session's card
    await ani.wait_reply()
    assert "#1 tersimpan" in (await ani.ask("Ongkos kirim mahal")).text
    async with db.transaction() as tx:  # the facilitator closes the collection (its screens are tested elsewhere)
        assert await brainstorm.move_phase(tx, session.id, "collecting", "revealed")

    late = await ani.ask("Pembeli sulit dijangkau")  # still in the card step
    assert late.text == (
        "Pengumpulan kartu sudah ditutup: kartu ini tidak disimpan. "
        "Kartu yang sudah Anda kirim sebelumnya tetap tersimpan; lihat di papan kartu lewat /menu."
    )
    later = await ani.ask("Satu ide lagi")  # the step has ended: the catch-all explains, and still offers
    assert later.text.startswith(
        "Kalau ini kartu untuk «Apa yang menghambat penjualan kita?»: pengumpulan kartu sudah ditutup"
    )
    assert "Mau saya kirim pesan ini ke fasilitator" in later.text
    assert _buttons(later) == ["✉️ Kirim ke fasilitator", "Batal"]
    async with db.read() as conn:
        assert [card.text for card in await brainstorm.cards_of(conn, session.id)] == ["Ongkos kirim mahal"]


async def test_a_survey_answer_typed_after_the_round_closed_says_so(emulator, clocked_bot, clock):
    await _seed(clocked_bot, clock, emulator)
    fac, ani = emulator.user(*FACILITATOR), emulator.user(*NORTH[0])
    await fac.ask("/survey")
    await fac.press("➕ Buka putaran survei")
    await fac.ask("Kondisi klaster 2026")
    await fac.press("1 minggu lagi")
    await wait_for(ani, "meminta pendapat Anda", timeout=15)
    await ani.press("📝 Jawab sekarang")
    assert "2/8" in (await ani.press("2")).text
    clock.advance(days=8)  # the round closed while the question was on Ani's screen

    reply = await ani.ask("3")
    assert reply.text.startswith(
        "Kuesioner «Kondisi klaster 2026» sudah ditutup, jadi jawaban ini tidak disimpan. "
        "Jawaban yang sudah Anda isi sebelumnya tetap tersimpan."
    )
    assert _buttons(reply) == ["✉️ Kirim ke fasilitator", "Batal"]
    async with (
        clocked_bot.application.services.db.read() as conn,
        conn.execute("SELECT COUNT(*) FROM form_answers") as cursor,
    ):
        assert (await cursor.fetchone())[0] == 1


async def _meeting_five_hours_ago(db, cluster_id: int, now, invitee: int) -> None:
    async with db.transaction() as tx:
        await meetings.create_meeting(
            tx,
            cluster_id=cluster_id,
            kind="regular",
            topic="Rapat rutin November",
            starts_at=now - timedelta(hours=5),
            place="Balai Desa",
            latitude=None,
            longitude=None,
            agenda=None,
            audience={"everyone": True},
            capacity=None,
            reminders=(),
            checkin_code="LATE42",
            organiser_id=FACILITATOR[0],
            invitee_ids=[invitee],
            now=now - timedelta(days=3),
            source_update_id=-7,
        )


async def test_text_after_a_meeting_is_over_says_so(emulator, clocked_bot, clock):
    seeded, db = await _seed(clocked_bot, clock, emulator)
    await _meeting_five_hours_ago(db, seeded.cluster_id, clock.now(), NORTH[0][0])
    reply = await emulator.user(*NORTH[0]).ask("Maaf saya terlambat, sudah di jalan")
    assert reply.text.startswith("Pertemuan «Rapat rutin November» sudah selesai. Pertemuan berikutnya ada di /menu.")
    assert _buttons(reply) == ["✉️ Kirim ke fasilitator", "Batal"]
    reply = await emulator.user(*NORTH[1]).ask("Halo")  # not invited: nothing about the meeting
    assert reply.text.startswith("Saya sedang tidak bertanya apa pun.")


async def test_in_english_the_meeting_is_over_and_the_letter_goes_out(emulator, clocked_bot, clock):
    seeded, db = await _seed(clocked_bot, clock, emulator, language="en")
    await _meeting_five_hours_ago(db, seeded.cluster_id, clock.now(), NORTH[0][0])
    ani, fac = emulator.user(*NORTH[0]), emulator.user(*FACILITATOR)
    reply = await ani.ask("Sorry, I am late")
    assert reply.text.startswith("The meeting «Rapat rutin November» is over. The next meetings are in /menu.")
    assert "Shall I send this message to the facilitators of Sentra Batik Laweyan?" in reply.text
    assert _buttons(reply) == ["✉️ Send to the facilitators", "Cancel"]
    reply = await ani.press("✉️ Send to the facilitators")
    assert "Sent to the facilitators of Sentra Batik Laweyan. Their answer will come here." in reply.text
    letter = await wait_for_any(fac, "Message from Ani (Utara), Sentra Batik Laweyan")
    assert _buttons(letter) == ["↩️ Reply"]
    await fac.press("↩️ Reply")
    assert (await fac.ask("No problem.")).text == "✅ Your answer is on its way to Ani."
    await wait_for_any(ani, "Answer from Bu Ratna, facilitator of Sentra Batik Laweyan:")


async def test_a_voice_note_nobody_asked_for_says_where_voice_notes_are_welcome(emulator, clocked_bot, clock):
    await _seed(clocked_bot, clock, emulator)
    ani = emulator.user(*NORTH[0])
    await ani.send_voice(b"OggS voice", duration=4)
    reply = await ani.wait_reply()
    assert reply.text == (
        "Pesan ini tidak bisa saya pakai di sini. Pesan suara dan foto bisa dikirim sebagai kartu curah pendapat "
        "selama kartu dikumpulkan (✍️ Kirim kartu), dan sebagai bukti dalam laporan kemajuan rencana kegiatan."
        "\n\nSilakan gunakan tombol menu."
    )
    assert _buttons(reply) == ["Buka menu"]
    john = emulator.user(820, "John", language_code="en")
    await john.send_photo(b"\xff\xd8 photo")
    reply = await john.wait_reply()
    assert "Voice notes and photos are welcome as a brainstorming card while cards are collected" in reply.text


async def test_a_long_letter_reaches_the_facilitator_whole_in_parts(emulator, clocked_bot, clock):
    await _seed(clocked_bot, clock, emulator)
    fac, ani = emulator.user(*FACILITATOR), emulator.user(*NORTH[0])
    paragraphs = [f"Bagian {n}: " + "kain mori dan pewarna alam " * 30 for n in range(1, 6)]
    long = "\n\n".join(paragraphs)
    assert len(long) > 4096
    await ani.ask(long)
    await ani.press("✉️ Kirim ke fasilitator")
    last = await wait_for_any(fac, "Bagian 5:")
    parts = [m for m in fac.bot_messages if "Bagian" in m.text]
    assert len(parts) == 2 and "Pesan dari Ani (Utara)" in parts[0].text
    assert all(len(m.text) <= 4096 for m in parts)
    assert all(p.strip() in "\n\n".join(m.text for m in parts) for p in paragraphs)
    assert _buttons(last) == ["↩️ Balas"] and _buttons(parts[0]) == []
    prompt = await fac.press("↩️ Balas")
    assert len(prompt.text) < 600 and "…" in prompt.text  # the letter quoted short above the prompt
