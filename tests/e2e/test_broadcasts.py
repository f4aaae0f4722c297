"""Broadcasts end to end: targeting, preview, durable delivery with a report, scheduling, muting, kill -9."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import io
import os
import signal

from storage import outbox
from storage.database import Database
from tests.e2e.chats import wait_for, wait_for_any
from tests.e2e.seed import seed_cluster
from tests.harness import ChildBot, child_env

FACILITATOR = (601, "Bu Fasil")
NORTH = [(611, "Ani"), (612, "Bayu"), (613, "Citra")]
SOUTH = [(621, "Dodi"), (622, "Eka"), (623, "Fikri")]
EAST = [(631, "Gita"), (632, "Hadi")]


async def _seed(db, clock, emulator, never_started=()):
    for uid, name in [FACILITATOR, *NORTH, *SOUTH, *EAST]:
        emulator.user(uid, name, language_code="id", started=uid not in never_started)
    return await seed_cluster(
        db, clock.now(), facilitator=FACILITATOR, groups={"Utara": NORTH, "Selatan": SOUTH, "Timur": EAST}
    )


async def _compose(fac, groups, text: str):
    await fac.ask("/broadcast")
    for group in groups:
        await fac.press(f"⬜ {group}")
    reply = await fac.press("Selesai ▶")
    assert "penerima" in reply.text
    await fac.send(text)
    return await wait_for(fac, "Beginilah yang akan dilihat penerima")


async def test_broadcast_to_two_groups_with_a_report_of_who_to_reach_otherwise(emulator, clocked_bot, clock):
    await _seed(clocked_bot.application.services.db, clock, emulator, never_started={623})
    fac = emulator.user(*FACILITATOR)
    people = {uid: emulator.user(uid, name) for uid, name in NORTH + SOUTH + EAST}
    people[613].block()
    review = await _compose(fac, ["Utara", "Selatan"], "Rapat dipindah ke Kamis 19.30 di Balai Desa.")
    assert "Penerima: 6" in review.text
    preview = fac.bot_messages[-2]
    assert preview.text == "Rapat dipindah ke Kamis 19.30 di Balai Desa."  # shown as recipients will see it
    await fac.press("✅ Kirim sekarang")
    report = await wait_for_any(fac, "Pengumuman terkirim", timeout=20)
    assert "Terkirim: 4 dari 6" in report.text
    assert "Memblokir bot: 1" in report.text and "Belum pernah memulai bot: 1" in report.text
    unreached = await wait_for_any(fac, "hubungi orang-orang ini")
    assert "Citra (Utara)" in unreached.text and "Fikri (Selatan)" in unreached.text
    for uid in (611, 612, 621, 622):
        assert people[uid].last_text() == "Rapat dipindah ke Kamis 19.30 di Balai Desa."
    assert people[631].bot_messages == [] and people[632].bot_messages == []  # not targeted
    reports = [m for m in fac.bot_messages if "Mengirim pengumuman" in m.text or "Pengumuman terkirim" in m.text]
    assert len(reports) == 1  # one message, edited as delivery went
    await asyncio.sleep(0.2)
    document = next(m for m in fac.bot_messages if m.kind == "document")
    rows = list(csv.reader(io.StringIO(document.document.decode("utf-8-sig"))))
    assert {row[0]: row[3] for row in rows[1:]} == {"Citra": "memblokir bot", "Fikri": "belum pernah memulai bot"}


async def test_a_scheduled_broadcast_goes_out_on_time_and_can_be_cancelled(emulator, clocked_bot, clock):
    await _seed(clocked_bot.application.services.db, clock, emulator)
    fac = emulator.user(*FACILITATOR)
    gita = emulator.user(*EAST[0])
    await _compose(fac, ["Timur"], "Pengingat: iuran kas bulan ini.")
    reply = await fac.press("🕐 1 jam lagi")
    assert "dijadwalkan" in reply.text and "23 Nov 2026, 11.00 WIB" in reply.text
    await _compose(fac, ["Timur"], "Yang ini dibatalkan.")
    await fac.press("🕐 1 jam lagi")
    reply = await fac.press("✖️ Batalkan pengumuman ini")
    assert "dibatalkan" in reply.text
    clock.advance(minutes=30)
    clocked_bot.application.services.reminders.wake()
    await asyncio.sleep(0.5)
    assert gita.bot_messages == []
    clock.advance(minutes=31)
    clocked_bot.application.services.reminders.wake()
    await wait_for(gita, "iuran kas", timeout=15)
    await wait_for_any(fac, "Pengumuman terkirim", timeout=15)
    await asyncio.sleep(0.5)
    assert not any("dibatalkan" in m.text for m in gita.bot_messages)


async def test_muted_members_get_only_urgent_broadcasts(emulator, clocked_bot, clock):
    await _seed(clocked_bot.application.services.db, clock, emulator)
    fac = emulator.user(*FACILITATOR)
    hadi = emulator.user(*EAST[1])
    await hadi.ask("/menu")
    reply = await hadi.press("🔔 Pengumuman: aktif")
    assert "hanya akan menerima pengumuman penting" in reply.text
    assert "🔕 Pengumuman: dibisukan" in [t for row in reply.buttons for t in row]
    review = await _compose(fac, ["Timur"], "Info biasa.")
    assert "Penerima: 1" in review.text and "1 membisukan pengumuman" in review.text
    await fac.press("✅ Kirim sekarang")
    await wait_for_any(fac, "Pengumuman terkirim", timeout=15)
    assert not any("Info biasa." in m.text for m in hadi.bot_messages)
    await _compose(fac, ["Timur"], "PENTING: pertemuan dibatalkan.")
    reply = await fac.press("⬜ Penting (menjangkau semua)")
    assert "Penting: juga menjangkau 1" in reply.text
    await fac.press("✅ Kirim sekarang")
    await wait_for(hadi, "PENTING", timeout=15)


async def test_bad_input_when_broadcasting(emulator, clocked_bot, clock):
    await _seed(clocked_bot.application.services.db, clock, emulator)
    fac = emulator.user(*FACILITATOR)
    ani = emulator.user(*NORTH[0])
    reply = await ani.ask("/broadcast")
    assert reply.text.startswith("Hanya")  # a member cannot broadcast
    await fac.ask("/broadcast")
    await fac.press("Selesai ▶")
    assert fac.callback_answers[-1][0].startswith("Belum ada yang dipilih")
    await fac.press("⬜ Utara")
    await fac.press("Selesai ▶")
    await fac.send_sticker()
    reply = await fac.wait_reply()
    assert "teks, foto, dokumen, atau pesan suara" in reply.text
    await fac.send_photo(b"\x89PNG\r\n\x1a\n" + b"0" * 64, caption="x" * 1100)
    reply = await fac.wait_reply()
    assert "1024" in reply.text
    await fac.send_photo(b"\x89PNG\r\n\x1a\n" + b"0" * 64, caption="Foto produk baru")
    await wait_for(fac, "Beginilah yang akan dilihat penerima")
    await fac.press("✅ Kirim sekarang")
    await wait_for(ani, "", timeout=15)
    assert ani.last().kind == "photo" and ani.last().text == "Foto produk baru"


async def test_kill_9_during_a_300_recipient_broadcast_sends_each_exactly_once(emulator, settings, tmp_path):
    from datetime import UTC, datetime

    from bot.clock import FakeClock

    members = [(700_000 + n, f"Anggota {n:03d}") for n in range(300)]
    for uid, name in [FACILITATOR, *members]:
        emulator.user(uid, name, language_code="id")
    db = await Database.open(settings.database)
    await seed_cluster(
        db, FakeClock(datetime(2026, 11, 23, 3, tzinfo=UTC)).now(), facilitator=FACILITATOR, groups={"Besar": members}
    )
    await db.close()
    child = ChildBot(emulator, child_env(dataclasses.replace(settings)), tmp_path / "bot.log")
    await child.start()
    fac = emulator.user(*FACILITATOR)
    try:
        await fac.ask("/broadcast", timeout=20)
        await fac.press("⬜ Besar")
        await fac.press("Selesai ▶")
        await fac.send("Undangan pameran batik.")
        await wait_for(fac, "Beginilah yang akan dilihat penerima")
        await fac.press("✅ Kirim sekarang")

        def delivered() -> int:
            return sum(1 for uid, _n in members if emulator.users[uid].bot_messages)

        for _ in range(600):
            if delivered() >= 100:
                break
            await asyncio.sleep(0.02)
        # Kill between two sends (not inside one: a message caught mid-request is reported
        # as "may not have arrived" instead, see bot/outbox.py), in the middle of the batch.
        await _kill_between_sends(child, settings.database)
        at_kill = delivered()
        assert 100 <= at_kill < 300
        await child.start()
        for _ in range(1500):
            if delivered() == 300:
                break
            await asyncio.sleep(0.05)
    finally:
        await child.terminate()
    counts = [len(emulator.users[uid].bot_messages) for uid, _n in members]
    assert counts == [1] * 300  # nobody skipped, nobody twice
    db = await Database.open(settings.database)
    async with db.read() as conn:
        assert await outbox.counts(conn, "broadcast:1") == {"sent": 300}
    await db.close()


async def _kill_between_sends(child: ChildBot, database_path) -> None:
    """Freeze the bot, and kill it only when no outbox row is mid-send."""
    import sqlite3

    for _ in range(200):
        os.kill(child.process.pid, signal.SIGSTOP)
        with sqlite3.connect(database_path) as conn:
            sending = conn.execute("SELECT COUNT(*) FROM outbox WHERE status = 'sending'").fetchone()[0]
        if sending == 0:
            break
        os.kill(child.process.pid, signal.SIGCONT)
        await asyncio.sleep(0.003)
    await child.kill()


async def _meeting(db, clock, cluster_id, topic, starts_at, invitees, update_id):
    from storage import meetings

    async with db.transaction() as tx:
        meeting, _new = await meetings.create_meeting(
            tx,
            cluster_id=cluster_id,
            kind="routine",
            topic=topic,
            starts_at=starts_at,
            place="Balai Desa",
            latitude=None,
            longitude=None,
            agenda=None,
            audience={"everyone": True},
            capacity=None,
            reminders=(),
            checkin_code=f"C{update_id}",
            organiser_id=FACILITATOR[0],
            invitee_ids=invitees,
            now=clock.now(),
            source_update_id=update_id,
        )
    return meeting


async def test_meeting_audiences_and_rsvp_buttons_under_a_broadcast(emulator, clocked_bot, clock):
    from datetime import timedelta

    from storage import meetings

    db = clocked_bot.application.services.db
    seeded = await _seed(db, clock, emulator)
    fac = emulator.user(*FACILITATOR)
    people = {uid: emulator.user(uid, name) for uid, name in NORTH + SOUTH + EAST}
    held = await _meeting(
        db, clock, seeded.cluster_id, "Rapat Oktober", clock.now() - timedelta(days=7), [611, 612, 613, 621], -5001
    )
    coming = await _meeting(
        db, clock, seeded.cluster_id, "Rapat Desember", clock.now() + timedelta(days=7), [611, 612, 621, 622], -5002
    )
    async with db.transaction() as tx:
        await meetings.check_in(tx, held.id, 611, "link", clock.now() - timedelta(days=7))
        await meetings.set_rsvp(tx, held.id, 613, "no", clock.now() - timedelta(days=8))
        await meetings.set_rsvp(tx, coming.id, 621, "yes", clock.now())

    # Those who did not attend October's meeting (613 said no beforehand): Bayu and Dodi.
    await fac.ask("/broadcast")
    await fac.press("📅 Menurut rapat…")
    reply = await fac.press("🚫 Tidak hadir: Rapat Oktober")
    assert "Dipilih: Tidak hadir: Rapat Oktober" in reply.text
    await fac.press("Selesai ▶")
    await fac.send("Catatan rapat Oktober ada di grup.")
    review = await wait_for(fac, "Beginilah yang akan dilihat penerima")
    assert "Penerima: 2" in review.text
    await fac.press("✅ Kirim sekarang")
    await wait_for_any(fac, "Pengumuman terkirim", timeout=15)
    assert (
        people[612].last_text() == "Catatan rapat Oktober ada di grup."
        and people[621].last_text() == "Catatan rapat Oktober ada di grup."
    )
    assert people[611].bot_messages == [] and people[613].bot_messages == []

    # To the whole cluster, with December's RSVP buttons for its invitees only.
    await fac.ask("/broadcast")
    await fac.press("⬜ Seluruh klaster")
    await fac.press("Selesai ▶")
    await fac.send("Rapat Desember membahas pameran. Mohon konfirmasi.")
    await wait_for(fac, "Beginilah yang akan dilihat penerima")
    choice = await fac.press("➕ Tombol kehadiran pertemuan")
    assert "Hanya yang diundang" in choice.text
    await fac.press("📅 Rapat Desember")
    review = await wait_for(fac, "Beginilah yang akan dilihat penerima")
    assert "tombol jawaban kehadiran “Rapat Desember”" in review.text
    await fac.press("✅ Kirim sekarang")
    await wait_for(fac, "Terkirim: 8 dari 8", timeout=15)
    card = people[622].last()
    assert card.text == "Rapat Desember membahas pameran. Mohon konfirmasi." and "✅ Akan hadir" in str(card.buttons)
    assert people[631].last().buttons == []  # Gita is not invited: the message without buttons
    await people[622].press("✅ Akan hadir")
    assert people[622].last().text == "Rapat Desember membahas pameran. Mohon konfirmasi."  # the text stays as written
    assert "• ✅ Akan hadir" in str(people[622].last().buttons)
    async with db.read() as conn:
        assert {i.user_id: i.rsvp for i in await meetings.invitees(conn, coming.id)}[622] == "yes"


async def test_a_text_over_the_limit_goes_out_in_parts_split_between_paragraphs(emulator, clocked_bot, clock):
    await _seed(clocked_bot.application.services.db, clock, emulator)
    fac = emulator.user(*FACILITATOR)
    gita = emulator.user(*EAST[0])
    paragraphs = [f"Paragraf {n}: " + " ".join(["kain mori"] * 240) for n in range(1, 4)]  # ~2,400 characters each
    review = await _compose(fac, ["Timur"], "\n\n".join(paragraphs))
    assert "lebih panjang dari batas Telegram 4.096 karakter" in review.text and "3 pesan" in review.text
    await fac.press("✅ Kirim sekarang")
    await wait_for_any(fac, "Pengumuman terkirim", timeout=20)
    assert [m.text for m in gita.bot_messages] == paragraphs


async def test_a_recipient_who_blocks_the_bot_mid_delivery_is_reported(emulator, clocked_bot, clock):
    many = [(640_000 + n, f"Anggota {n:02d}") for n in range(40)]
    for uid, name in [FACILITATOR, *many]:
        emulator.user(uid, name, language_code="id")
    await seed_cluster(
        clocked_bot.application.services.db, clock.now(), facilitator=FACILITATOR, groups={"Besar": many}
    )
    fac = emulator.user(*FACILITATOR)
    last = emulator.user(*many[-1])
    await _compose(fac, ["Besar"], "Iuran kas dibayar minggu ini.")
    await fac.press("✅ Kirim sekarang")
    first = emulator.user(*many[0])
    await wait_for(first, "Iuran kas")  # delivery has started…
    assert last.bot_messages == []
    last.block()  # …and the last recipient blocks the bot before their turn
    report = await wait_for_any(fac, "Pengumuman terkirim", timeout=20)
    assert "Terkirim: 39 dari 40" in report.text and "Memblokir bot: 1" in report.text
    unreached = await wait_for_any(fac, "hubungi orang-orang ini")
    assert "Anggota 39" in unreached.text
