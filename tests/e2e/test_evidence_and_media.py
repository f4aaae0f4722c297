"""Voice notes and photos people can use, in Indonesian: a progress report keeps every piece of evidence
sent with it and says how many; the facilitator (and the owner) see them on the activity's page and get
each one back in the chat; the plan's and the brainstorm's downloads are ZIPs holding the files
themselves, named by report and card number; a file Telegram no longer has is said to be so."""

from __future__ import annotations

import asyncio
import csv
import io
import zipfile
from datetime import UTC, datetime

from openpyxl import load_workbook

from storage import action_plans, brainstorm
from tests.e2e.chats import wait_for, wait_for_any, wait_for_kind
from tests.e2e.seed import seed_cluster, seed_session

RINA, DEWI, EKO = (541, "Rina"), (542, "Dewi"), (543, "Eko")
PHOTO = b"\xff\xd8\xff\xe0" + b"foto bukti pelatihan" * 30
VOICE = b"OggS" + b"pesan suara bukti" * 30
GONE_FILE = ("invalid file_id", "wrong file identifier")  # what Telegram answers about a file it dropped


async def _published_plan(bot, clock, emulator):
    for uid, name in (RINA, DEWI, EKO):
        emulator.user(uid, name, language_code="id")
    db = bot.application.services.db
    seeded = await seed_cluster(db, clock.now(), facilitator=RINA, groups={}, others=[DEWI, EKO])
    async with db.transaction() as tx:
        plan = await action_plans.create_plan(tx, seeded.cluster_id, "Pewarna alam", None, RINA[0], clock.now())
        await action_plans.apply_answers(
            tx,
            plan.id,
            {"title": "Pewarna alam", "why": "Biaya turun", "starts_on": "2026-12-01", "ends_on": "2027-05-31"},
        )
        activity = await action_plans.add_activity(tx, plan.id, "Pelatihan pewarna", "2026-12-01", "2027-05-31")
        await action_plans.update_activity(tx, activity.id, owner_id=DEWI[0])
    rina = emulator.users[RINA[0]]
    await rina.ask("/plans")
    await rina.press("Pewarna alam")
    await rina.press("setiap bulan")
    await rina.press("📣 Umumkan")
    await rina.press("Ya, umumkan")
    return seeded, plan


async def _report_with_photo_and_voice(bot, clock, emulator):
    """Dewi reports and sends a photo, then a voice note, as evidence; returns their file ids."""
    dewi = emulator.users[DEWI[0]]
    clock.set(datetime(2026, 12, 1, 2, 1, tzinfo=UTC))  # Tue 1 Dec, 09.01 WIB: the first monthly prompt
    bot.application.services.reminders.wake()
    await wait_for(dewi, "Saatnya laporan kemajuan untuk Pelatihan pewarna")
    await dewi.press("✍️ Lapor sekarang")
    reply = await dewi.press("2")  # Sesuai rencana
    if "nilai indikator" in reply.text.lower():
        await dewi.press("Lewati")
    await dewi.press("1")
    await dewi.ask("Peserta 12 orang")
    await wait_for(dewi, "Periksa jawaban Anda")
    await dewi.press("✅ Kirim jawaban saya")
    await dewi.press("📎 Tambah foto atau pesan suara")
    photo = await dewi.send_photo(PHOTO)
    await wait_for(dewi, "1 bukti tersimpan: 1 foto.")
    voice = await dewi.send_voice(VOICE, duration=12)
    saved = await wait_for(dewi, "2 bukti tersimpan: 1 foto, 1 pesan suara.")
    assert "Anda bisa mengirim foto atau pesan suara lagi dalam 30 menit" in saved.text
    return photo["photo"][-1]["file_id"], voice["voice"]["file_id"]


async def _activity_page(person):
    await person.ask("/plans")
    await person.press("Pewarna alam")
    await person.press("📂 Kegiatan dan bukti")
    return await person.press("Pelatihan pewarna")


async def _progress_download(rina, count: int):
    await rina.press("◀ Kegiatan")
    await rina.press("◀ Kembali")
    await rina.press("⬇️ Unduh")
    await wait_for_kind(rina, "document", count=count)
    (download,) = [m for m in rina.bot_messages if m.kind == "document" and m.filename.endswith(".zip")][-1:]
    archive = zipfile.ZipFile(io.BytesIO(download.document))
    rows = list(csv.reader(io.StringIO(archive.read("pewarna-alam-progress.csv").decode("utf-8-sig"))))
    return download, archive, rows


async def test_a_report_keeps_a_photo_and_a_voice_note_and_the_facilitator_gets_both_back(emulator, clocked_bot, clock):
    await _published_plan(clocked_bot, clock, emulator)
    photo_id, voice_id = await _report_with_photo_and_voice(clocked_bot, clock, emulator)
    rina, dewi, eko = (emulator.users[uid] for uid, _name in (RINA, DEWI, EKO))

    # The facilitator's activity page counts the report's evidence and has a button per piece.
    page = await _activity_page(rina)
    assert page.text.startswith("Pewarna alam\n▪️ Pelatihan pewarna · Dewi · Selasa, 1 Des 2026 – Senin, 31 Mei 2027")
    assert "Laporan #1 · Selasa, 1 Des 2026 · Sesuai rencana · 2 bukti: 1 foto, 1 pesan suara" in page.text
    assert ["🖼 Laporan #1 · 1", "▶️ Laporan #1 · 2"] in page.buttons
    await rina.press("🖼 Laporan #1 · 1")
    sent = await wait_for_kind(rina, "photo")
    assert sent.media.file_id == photo_id and sent.photo == PHOTO
    assert "Laporan #1, bukti 1 dari 2: Pelatihan pewarna" in sent.text
    await rina.press("▶️ Laporan #1 · 2")
    sent = await wait_for_kind(rina, "voice")
    assert sent.media.file_id == voice_id and sent.voice == VOICE

    # The owner sees her own evidence too; another member sees the report but not its evidence.
    page = await _activity_page(dewi)
    assert "2 bukti: 1 foto, 1 pesan suara" in page.text and "▶️ Laporan #1 · 2" in dewi.visible_buttons()
    page = await _activity_page(eko)
    assert "Laporan #1 · Selasa, 1 Des 2026 · Sesuai rencana" in page.text and "bukti" not in page.text
    assert not any(label.startswith(("🖼", "▶️")) for label in eko.visible_buttons())
    answered = len(eko.callback_answers)
    await eko.tap_data(page.message_id, "pl1:evs:1")  # a forged button: the evidence is not his to open
    for _attempt in range(200):
        if len(eko.callback_answers) > answered:
            break
        await asyncio.sleep(0.02)
    assert len(eko.callback_answers) == answered + 1
    assert not any(m.kind in ("photo", "voice") for m in eko.bot_messages)

    # The plan's download: the progress reports' CSV and both files, named by report number, in one ZIP.
    download, archive, rows = await _progress_download(rina, count=3)  # the PDM, the ZIP, the PDF
    assert download.filename == "pewarna-alam-progress.zip"
    assert "Laporan kemajuan Pewarna alam, beserta buktinya." in download.text
    assert "Berisi 2 berkas foto dan pesan suara." in download.text
    assert sorted(archive.namelist()) == [
        "laporan-001-1-foto.jpg",
        "laporan-001-2-suara.ogg",
        "pewarna-alam-progress.csv",
    ]
    assert archive.read("laporan-001-1-foto.jpg") == PHOTO and archive.read("laporan-001-2-suara.ogg") == VOICE
    assert rows[0][0] == "Laporan" and rows[0][8] == "Bukti"
    assert rows[1][0] == "1" and rows[1][8] == "laporan-001-1-foto.jpg, laporan-001-2-suara.ogg"


async def test_a_file_telegram_no_longer_has_is_said_to_be_gone_and_left_out_of_the_download(
    emulator, clocked_bot, clock
):
    emulator.expected_errors = GONE_FILE
    await _published_plan(clocked_bot, clock, emulator)
    _photo_id, voice_id = await _report_with_photo_and_voice(clocked_bot, clock, emulator)
    emulator.world.files.forget(voice_id)
    rina = emulator.users[RINA[0]]
    await _activity_page(rina)
    await rina.press("▶️ Laporan #1 · 2")
    gone = await wait_for_any(rina, "Telegram sudah tidak menyimpan berkas ini")
    assert "Penanggung jawab bisa mengirimnya lagi bersama laporan kemajuan." in gone.text
    assert not any(m.kind == "voice" for m in rina.bot_messages)

    download, archive, rows = await _progress_download(rina, count=3)
    assert sorted(archive.namelist()) == ["laporan-001-1-foto.jpg", "pewarna-alam-progress.csv"]
    assert rows[1][8] == "laporan-001-1-foto.jpg, laporan-001-2-suara.ogg: tidak tersedia"
    assert "1 berkas sudah tidak ada di Telegram (atau lebih dari 20 MB): ditandai “tidak tersedia”." in download.text


async def test_a_brainstorms_download_holds_its_voice_and_photo_cards_named_by_card_number(
    emulator, clocked_bot, clock
):
    emulator.expected_errors = GONE_FILE
    seeded, _plan = await _published_plan(clocked_bot, clock, emulator)
    db = clocked_bot.application.services.db
    voice = emulator.world.files.add("voice", VOICE, mime_type="audio/ogg")  # as members sent them
    photo = emulator.world.files.add("photo", PHOTO, mime_type="image/jpeg")
    lost = emulator.world.files.add("voice", VOICE, mime_type="audio/ogg")
    async with db.transaction() as tx:
        session = await seed_session(
            tx, seeded.cluster_id, "Apa yang menghambat kita?", RINA[0], [DEWI[0], EKO[0]], clock.now()
        )
        cards = [("text", "Bahan baku mahal", None), ("voice", None, voice), ("photo", "Motif", photo)]
        cards += [("text", "Pemasaran", None), ("voice", None, lost)]
        for number, (kind, text, stored) in enumerate(cards, start=1):
            await brainstorm.add_card(
                tx,
                session.id,
                author_id=DEWI[0],
                entered_by=DEWI[0],
                column=None,
                kind=kind,
                text=text,
                file_id=stored.file_id if stored else None,
                duration=10 if kind == "voice" else None,
                now=clock.now(),
                source_update_id=-10 - number,
            )
        assert await brainstorm.move_phase(tx, session.id, "collecting", "results")
    emulator.world.files.forget(lost.file_id)
    rina = emulator.users[RINA[0]]
    menu = await rina.ask("/menu")
    await rina.tap_data(menu.message_id, f"bs1:x:{session.id}")
    download = await wait_for_kind(rina, "document")
    assert download.filename.endswith(".zip") and "Berisi 2 berkas foto dan pesan suara." in download.text
    archive = zipfile.ZipFile(io.BytesIO(download.document))
    media = sorted(n for n in archive.namelist() if not n.endswith((".csv", ".xlsx")))
    assert media == ["kartu-002-suara.ogg", "kartu-003-foto.jpg"]
    assert archive.read("kartu-002-suara.ogg") == VOICE and archive.read("kartu-003-foto.jpg") == PHOTO
    (workbook,) = [n for n in archive.namelist() if n.endswith(".xlsx")]
    rows = list(load_workbook(io.BytesIO(archive.read(workbook))).active.iter_rows(values_only=True))
    assert rows[0][5] == "Berkas di ZIP"
    files = {row[0]: row[5] for row in rows[1:]}
    assert files == {
        "#1": None,
        "#2": "kartu-002-suara.ogg",
        "#3": "kartu-003-foto.jpg",
        "#4": None,
        "#5": "kartu-005-suara.ogg: tidak tersedia",
    }
