"""Meetings end to end: schedule an FGD, RSVP, durable reminders, check-in, attendance, exports."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from openpyxl import load_workbook

from storage import meetings, reminders
from tests.e2e.chats import wait_for, wait_for_any
from tests.e2e.seed import seed_cluster

FACILITATOR = (401, "Bu Fasil")
NORTH = [(411, "Ani"), (412, "Bayu"), (413, "Citra")]
SOUTH = [(421, "Dodi"), (422, "Eka"), (423, "Fikri")]
OUTSIDE = [(431, "Gilang")]  # in the cluster, in no small group


async def _seed(bot, clock, emulator=None):
    if emulator is not None:  # they have all opened the bot before
        for uid, name in [FACILITATOR, *NORTH, *SOUTH, *OUTSIDE]:
            emulator.user(uid, name, language_code="id")
    return await seed_cluster(
        bot.application.services.db,
        clock.now(),
        facilitator=FACILITATOR,
        groups={"Grup Utara": NORTH, "Grup Selatan": SOUTH},
        others=OUTSIDE,
    )


async def _schedule_fgd(fac) -> None:
    """Walk the scheduling flow: FGD-1 on Wed 25 Nov 2026 at 14.00 WIB for both small groups."""
    await fac.ask("/meeting")
    await fac.press("FGD-1")
    await fac.ask("Pewarna alami")
    reply = await fac.press("25")
    assert "Rabu, 25 Nov 2026" in reply.text
    await fac.press("14.00")
    await fac.ask("Balai Desa Laweyan")
    await fac.send("Lewati")
    await wait_for(fac, "agenda")
    await fac.ask("1. Bahan pewarna\n2. Pemasok")
    await fac.press("⬜ Grup Utara")
    await fac.press("⬜ Grup Selatan")
    await fac.press("Selesai ▶")
    reply = await fac.press("Tanpa batas")
    assert "Waktu: 25 Nov 2026, 14.00 WIB" in reply.text
    assert "Diundang: Grup Utara, Grup Selatan (6 orang)" in reply.text
    assert "Pengingat: 1 hari, 2 jam sebelumnya" in reply.text
    await fac.press("✅ Kirim undangan")


def _figures(text: str) -> tuple[int, ...]:
    """(invited, attended, attended invitees, uninvited members, guests) as a screen shows them."""
    invited = re.search(r"Diundang: (\d+)", text)
    attended = re.search(r"Hadir: (\d+) \(diundang: (\d+), tanpa undangan: (\d+), tamu: (\d+)\)", text)
    assert invited and attended, text
    return (int(invited[1]), *(int(n) for n in attended.groups()))


def _table_figures(rows: list[list[str]]) -> tuple[int, ...]:
    """The same figures counted from the rows of the attendance download."""
    body = rows[1:]  # Nama, Grup kecil, Diundang, Jawaban, Hadir, Jenis
    came = [row for row in body if row[4] == "Ya"]
    return (
        sum(row[2] == "Ya" for row in body),
        len(came),
        sum(row[2] == "Ya" for row in came),
        sum(row[5] == "tanpa undangan" for row in came),
        sum(row[5].startswith("tamu") for row in came),
    )


async def _wake(bot) -> None:
    bot.application.services.reminders.wake()


async def test_the_whole_meeting_cycle(emulator, clocked_bot, clock, tmp_path):
    bot = clocked_bot
    await _seed(bot, clock, emulator)
    fac = emulator.user(FACILITATOR[0], FACILITATOR[1], language_code="id")
    people = {uid: emulator.user(uid, name, language_code="id") for uid, name in NORTH + SOUTH + OUTSIDE}
    people[413].block()  # Citra blocked the bot
    await _schedule_fgd(fac)
    assert any("Undangan sedang dikirim ke 6 orang" in m.text for m in fac.bot_messages)

    # Cards arrive; the organiser learns who could not be reached.
    report = await wait_for(fac, "Undangan untuk", timeout=15)
    assert "5 terkirim" in report.text and "Citra" in report.text
    for uid in (411, 412, 421, 422, 423):
        assert "Undangan dari Sentra Batik Laweyan" in people[uid].last_text()
    assert people[431].bot_messages == []  # not invited
    assert people[413].bot_messages == []

    # RSVP; Bayu changes his mind; Dodi declines.
    await people[411].press("✅ Akan hadir")
    await people[412].press("🤔 Mungkin")
    await people[412].press("✅ Akan hadir")
    await people[421].press("❌ Tidak bisa hadir")
    assert "Jawaban Anda: ✅ Akan hadir" in people[412].last_text()
    assert people[412].callback_answers[-1][0] == "Tersimpan: ✅ Akan hadir"

    # The bot restarts between scheduling and the first reminder.
    await bot.restart()

    # Not due yet: nothing.
    await _wake(bot)
    await fac.ask("/menu")
    assert not any("Pengingat" in m.text for m in people[411].bot_messages)

    # A day before (Tue 24 Nov 14.00 WIB = 07.00 UTC): everyone who has not declined.
    clock.set(clock.now().replace(day=24, hour=7, minute=1))
    await _wake(bot)
    for uid in (411, 412, 422, 423):
        await wait_for(people[uid], "Pengingat: pertemuan besok", timeout=15)
    assert not any("Pengingat" in m.text for m in people[421].bot_messages)  # declined

    # The engine never sends one twice, however often it wakes.
    await _wake(bot)
    await _wake(bot)
    clock.advance(hours=22, minutes=30)  # Wed 12.31 WIB: the two-hour one is due too (late but useful)
    await _wake(bot)
    await wait_for(people[411], "segera dimulai", timeout=15)
    await _wake(bot)
    await fac.ask("/menu")
    reminded = [m for m in people[411].bot_messages if "Pengingat" in m.text]
    assert len(reminded) == 2

    # Check-in by deep link from the QR code: twice counts once.
    async with bot.application.services.db.read() as conn:
        meeting = (await meetings.list_meetings(conn, 1))[0]
    link = f"https://t.me/rembug_test_bot?start=hadir-{meeting.checkin_code}"
    clock.set(meeting.starts_at - timedelta(minutes=10))  # 13.50 WIB: check-in is open
    await people[411].open_link(link)
    assert "sudah dicatat" in (await people[411].wait_reply()).text
    await people[411].open_link(link)
    assert "sudah tercatat sebelumnya" in (await people[411].wait_reply()).text
    await people[412].open_link(link)
    await people[412].wait_reply()
    await people[431].open_link(link)  # a member who was not invited walks in
    await people[431].wait_reply()

    # The facilitator ticks Eka (no phone at the meeting) and adds a guest from the bank.
    await fac.ask("/meetings")
    await fac.press(next(t for t in fac.visible_buttons() if "Pewarna alami" in t))
    await fac.press("✔️ Catat kehadiran")
    reply = await fac.press("⬜ Eka")
    assert "Hadir: 3/6" in reply.text
    await fac.press("« Kembali ke pertemuan")
    await fac.press("➕ Tambah tamu")
    await fac.ask("Ibu Ratna, Bank BPD")
    reply = await fac.press("Bank")
    assert "Tamu ditambahkan: Ibu Ratna, Bank BPD" in reply.text

    # Notes, decisions and the summary.
    await fac.press("📝 Catatan dan keputusan")
    await fac.ask("Membahas pemasok pewarna alami.")
    reply = await fac.ask("Ani menghubungi pemasok indigo minggu depan.")
    assert "Ringkasan kehadiran" in reply.text
    assert "Diundang: 6" in reply.text
    assert "Akan hadir: 2 (mungkin: 0, tidak bisa hadir: 1)" in reply.text  # a promise, not who came
    # Ani, Bayu by link and Eka ticked (invited); Gilang by the link (not invited); Ibu Ratna (guest)
    assert "Hadir: 5 (diundang: 3, tanpa undangan: 1, tamu: 1)" in reply.text
    assert "Tingkat kehadiran: 50%" in reply.text
    assert "Ani menghubungi pemasok indigo" in reply.text
    summary_figures = _figures(reply.text)

    # The organiser's page gives the same figures.
    card = await fac.press("« Kembali ke pertemuan")
    assert _figures(card.text) == summary_figures
    assert "tamu: 1" in card.text and "Belum menjawab: 3" in card.text

    # Downloads: exactly who was there, the same figures.
    await fac.press("⬇️ Unduh Excel / CSV")
    documents = [m for m in fac.bot_messages if m.kind == "document"]
    await wait_for(fac, "Kehadiran: Pewarna alami")
    documents = [m for m in fac.bot_messages if m.kind == "document"]
    csv_file = next(m for m in documents if m.filename.endswith(".csv"))
    rows = list(csv.reader(io.StringIO(csv_file.document.decode("utf-8-sig"))))
    assert rows[0] == ["Nama", "Grup kecil", "Diundang", "Jawaban", "Hadir", "Jenis"]
    present = {row[0] for row in rows[1:] if row[4] == "Ya"}
    assert present == {"Ani", "Bayu", "Eka", "Gilang", "Ibu Ratna, Bank BPD"}
    assert _table_figures(rows) == summary_figures
    xlsx_file = next(m for m in documents if m.filename.endswith(".xlsx"))
    sheet = load_workbook(io.BytesIO(xlsx_file.document)).active
    assert sheet.max_row == 1 + 6 + 1 + 1  # header, six invitees, Gilang who came uninvited, one guest
    cells = [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert _table_figures(cells) == summary_figures

    # Each member sees their own history.
    await people[411].ask("/meetings")
    reply = await people[411].press("📋 Kehadiran saya")
    assert "Hadir di 1 dari 1 pertemuan." in reply.text


async def test_bad_dates_and_times_get_clear_answers(emulator, clocked_bot, clock):
    await _seed(clocked_bot, clock, emulator)
    fac = emulator.user(FACILITATOR[0], FACILITATOR[1], language_code="id")
    await fac.ask("/meeting")
    await fac.press("Pertemuan rutin")
    await fac.ask("Pemasaran bersama")
    reply = await fac.ask("31/02/2027")
    assert "bukan tanggal yang ada di kalender" in reply.text
    reply = await fac.ask("20/11/2026")
    assert "sudah lewat" in reply.text
    calendar = fac.last()
    await fac.tap_data(calendar.message_id, "mt1:past")
    await fac.wait_reply()
    assert fac.callback_answers[-1][0] == "Hari itu sudah lewat. Pilih hari yang lebih lambat."
    await fac.ask("23/11/2026")  # today is fine as a day...
    reply = await fac.ask("25:00")
    assert "Itu bukan jam" in reply.text
    reply = await fac.ask("09.00")  # ...but 09.00 WIB has passed (it is 10.00)
    assert "Waktu itu sudah lewat" in reply.text
    reply = await fac.ask("19.30")
    assert "Di mana?" in reply.text


async def test_a_member_cannot_schedule_and_a_leader_only_for_their_group(emulator, clocked_bot, clock):
    seeded = await _seed(clocked_bot, clock, emulator)
    async with clocked_bot.application.services.db.transaction() as tx:
        from storage import small_groups

        await small_groups.set_leader(tx, seeded.group_ids["Grup Utara"], 411)
    member = emulator.user(421, "Dodi", language_code="id")
    reply = await member.ask("/meeting")
    assert "Hanya fasilitator klaster ini" in reply.text or "Hanya ketua grup" in reply.text
    leader = emulator.user(411, "Ani", language_code="id")
    await leader.ask("/meeting")
    await leader.press("Pertemuan grup kecil")
    await leader.ask("Stok kain")
    await leader.press("26")
    await leader.press("09.00")
    await leader.ask("Rumah Ani")
    await leader.send("Lewati")
    await wait_for(leader, "agenda")
    reply = await leader.press("Lewati")
    assert leader.visible_buttons()[:2] == ["⬜ Grup Utara", "Selesai ▶"]  # no whole cluster, no other group
    await leader.tap_data(reply.message_id, f"mt1:a:g:{seeded.group_ids['Grup Selatan']}")
    await leader.wait_reply()
    assert leader.callback_answers[-1][0].startswith("Tombol ini sudah tidak berlaku")


async def test_check_in_outside_the_window_or_for_another_cluster_is_refused(emulator, clocked_bot, clock):
    await _seed(clocked_bot, clock, emulator)
    fac = emulator.user(FACILITATOR[0], FACILITATOR[1], language_code="id")
    await _schedule_fgd(fac)
    async with clocked_bot.application.services.db.read() as conn:
        meeting = (await meetings.list_meetings(conn, 1))[0]
    link = f"https://t.me/rembug_test_bot?start=hadir-{meeting.checkin_code}"
    ani = emulator.user(411, "Ani", language_code="id")
    await ani.open_link(link)
    assert "dibuka satu jam sebelum pertemuan (25 Nov 2026, 14.00 WIB)" in (await ani.wait_reply()).text
    stranger = emulator.user(499, "Orang Lain", language_code="id")
    clock.set(meeting.starts_at)
    await stranger.open_link(link)
    assert "bukan anggotanya" in (await stranger.wait_reply()).text
    clock.set(meeting.starts_at + timedelta(hours=5))
    await ani.open_link(link)
    assert "sudah ditutup" in (await ani.wait_reply()).text
    await ani.open_link("https://t.me/rembug_test_bot?start=hadir-nonsense")
    assert "tidak berlaku" in (await ani.wait_reply()).text
    async with clocked_bot.application.services.db.read() as conn:
        assert await meetings.present(conn, meeting.id) == set()


async def test_cancelling_tells_invitees_and_old_buttons_stop_working(emulator, clocked_bot, clock):
    await _seed(clocked_bot, clock, emulator)
    fac = emulator.user(FACILITATOR[0], FACILITATOR[1], language_code="id")
    people = {uid: emulator.user(uid, name, language_code="id") for uid, name in NORTH + SOUTH}
    await _schedule_fgd(fac)
    await wait_for(fac, "Undangan untuk", timeout=15)
    await wait_for(people[411], "Undangan dari", timeout=15)
    await people[411].press("✅ Akan hadir")
    await fac.ask("/meetings")
    await fac.press(next(t for t in fac.visible_buttons() if "Pewarna alami" in t))
    # Asked once, with how many said they will come; "Tidak" keeps the meeting.
    asked = await fac.press("✖️ Batalkan pertemuan")
    assert asked.text == (
        "Batalkan pertemuan ini? 1 dari 6 orang yang diundang bilang akan hadir. Semua yang diundang akan diberi tahu."
    )
    page = await fac.press("Tidak, tetap diadakan")
    assert "✖️ Batalkan pertemuan" in fac.visible_buttons() and "dibatalkan" not in page.text
    await fac.press("✖️ Batalkan pertemuan")
    await fac.press("Ya, batalkan dan beri tahu semua")
    await wait_for_any(fac, "Pertemuan ini dibatalkan")  # the notices' report may come in right after it
    for person in people.values():
        await wait_for(person, "Pertemuan dibatalkan", timeout=15)
    card = next(m for m in people[411].bot_messages if "Undangan dari" in m.text)
    await people[411].tap_data(card.message_id, card.inline_keyboard[0][0]["callback_data"])
    await people[411].wait_reply()
    assert people[411].callback_answers[-1][0] == "Pertemuan ini dibatalkan."
    assert people[411].last_text().startswith("Pertemuan Pewarna alami dibatalkan.")  # under the card, with the way on
    clock.advance(days=1, hours=5)
    bot = clocked_bot
    await _wake(bot)
    await fac.ask("/menu")
    assert not any("Pengingat" in m.text for p in people.values() for m in p.bot_messages)
    async with bot.application.services.db.read() as conn:
        sent = [d for d in await reminders.list_by_prefix(conn, "meeting:1:reminder:") if d.status == "sent"]
    assert sent == []


async def test_moving_a_meeting_tells_invitees_and_moves_the_reminders(emulator, clocked_bot, clock):
    await _seed(clocked_bot, clock, emulator)
    fac = emulator.user(FACILITATOR[0], FACILITATOR[1], language_code="id")
    ani = emulator.user(411, "Ani", language_code="id")
    await _schedule_fgd(fac)
    await wait_for(fac, "Undangan untuk", timeout=15)
    await fac.ask("/meetings")
    await fac.press(next(t for t in fac.visible_buttons() if "Pewarna alami" in t))
    await fac.press("✏️ Ubah hari, jam, atau tempat")
    await fac.press("📅 Hari dan jam")
    await fac.press("27")
    reply = await fac.press("09.00")
    assert "Waktu: 27 Nov 2026, 09.00 WIB" in reply.text
    await fac.press("✅ Simpan dan beri tahu yang diundang")
    notice = await wait_for(ani, "Pertemuan diubah", timeout=15)
    assert "27 Nov 2026, 09.00 WIB" in notice.text
    async with clocked_bot.application.services.db.read() as conn:
        planned = [d for d in await reminders.list_by_prefix(conn, "meeting:1:reminder:") if d.status == "pending"]
    due_times = sorted({d.due_at.isoformat() for d in planned})
    assert due_times == ["2026-11-26T02:00:00+00:00", "2026-11-27T00:00:00+00:00"]  # a day and two hours before
