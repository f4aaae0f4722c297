"""The attendance sheet on paper and back: the facilitator prints a meeting's sheet (A4 PDF: the meeting's
details, every invitee numbered with a signature column, empty rows for guests, the check-in QR code, a
signature block), ticks from the signed sheet in the same order and numbers, and attaches photos of it,
which the attendance download then carries."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import timedelta

from storage import meetings
from tests.e2e.chats import wait_for, wait_for_kind
from tests.e2e.seed import seed_cluster
from tests.e2e.seed_large import MEMBERS, long_name, seed_big_cluster, seed_meeting
from tests.pdf_checks import broken, page_count, page_one_png, page_texts, qr_links

FACILITATOR = (701, "Bu Fasil")
NORTH = [(711, "Wulan"), (712, "Bayu"), (713, "Citra")]
SOUTH = [(721, "Dodi"), (722, "Eka")]
OUTSIDE = [(731, "Gilang")]  # in the cluster, in no small group
NEWCOMER = (741, "Agus")  # invited after the meeting was scheduled: after the others, though "A" comes first
TOPIC = "Pewarna alami"
PHOTO_ONE = b"\xff\xd8\xff\xe0" + b"daftar hadir halaman satu" * 40
PHOTO_TWO = b"\xff\xd8\xff\xe0" + b"daftar hadir halaman dua" * 40
HEADER = ["No.", "Nama", "Grup kecil", "Jenis pemangku kepentingan", "Tanda tangan"]


async def _meeting(bot, clock, emulator):
    """A cluster of seven and an FGD-1 on Wed 25 Nov 2026, 14.00 WIB at Balai Desa Laweyan, all invited
    when it was scheduled but Agus, who joined since."""
    for uid, name in [FACILITATOR, *NORTH, *SOUTH, *OUTSIDE, NEWCOMER]:
        emulator.user(uid, name, language_code="id")
    db = bot.application.services.db
    seeded = await seed_cluster(
        db,
        clock.now(),
        facilitator=FACILITATOR,
        groups={"Grup Utara": NORTH, "Grup Selatan": SOUTH},
        others=[*OUTSIDE, NEWCOMER],
    )
    async with db.transaction() as tx:
        meeting, _new = await meetings.create_meeting(
            tx,
            cluster_id=seeded.cluster_id,
            kind="fgd1",
            topic=TOPIC,
            starts_at=clock.now().replace(day=25, hour=7),  # 14.00 WIB
            place="Balai Desa Laweyan",
            latitude=None,
            longitude=None,
            agenda=None,
            audience={"everyone": True},
            capacity=None,
            reminders=(),
            checkin_code="SHEET701",
            organiser_id=FACILITATOR[0],
            invitee_ids=[uid for uid, _n in [*NORTH, *SOUTH, *OUTSIDE]],
            now=clock.now(),
            source_update_id=-7_000_001,
        )
        await meetings.add_invitee(tx, meeting.id, NEWCOMER[0], clock.now())
    return meeting


async def _open(fac, topic: str = TOPIC):
    await fac.ask("/meetings")
    return await fac.press(next(t for t in fac.visible_buttons() if topic in t))


async def _sheet(fac) -> bytes:
    await fac.press("🖨 Daftar hadir (PDF)")
    pdf = await wait_for_kind(fac, "document", timeout=30)
    assert pdf.filename.startswith("daftar-hadir-") and pdf.filename.endswith(".pdf")
    assert pdf.text.startswith("🖨 Daftar hadir “")
    return pdf.document


def _numbers(text: str, names: list[str]) -> dict[str, int]:
    """Each name's number on the sheet (the row starts with it)."""
    flat = re.sub(r"\s+", " ", text)
    found = {}
    for name in names:
        match = re.search(rf"(\d+) {re.escape(name)} ", flat)
        assert match, (name, flat)
        found[name] = int(match[1])
    return found


async def test_the_facilitator_prints_the_attendance_sheet_with_every_invitee_and_the_check_in_qr(
    emulator, clocked_bot, clock
):
    await _meeting(clocked_bot, clock, emulator)
    fac = emulator.users[FACILITATOR[0]]
    await _open(fac)
    await fac.press("🔳 QR daftar hadir")
    qr = await wait_for_kind(fac, "photo")
    given = re.search(r"https://t\.me/\S+", qr.text)
    assert given, qr.text
    await _open(fac)
    pdf = await _sheet(fac)

    text = "\n".join(page_texts(pdf))
    assert page_count(pdf) == 1
    assert not broken(
        pdf,
        [
            "Daftar hadir",
            "Sentra Batik Laweyan",
            "Pertemuan: FGD-1",
            "Topik: Pewarna alami",
            "Hari, tanggal: Rabu, 25 Nov 2026",
            "Jam: 14.00 WIB",
            "Tempat: Balai Desa Laweyan",
            "Punya HP? Pindai untuk absen sendiri",
            " ".join(HEADER),
            "Fasilitator",
            "Nama: Bu Fasil",
            "Tanggal: Rabu, 25 Nov 2026",
            "Halaman 1 dari 1",
        ],
    )
    names = [name for _uid, name in [*NORTH, *SOUTH, *OUTSIDE, NEWCOMER]]
    numbers = _numbers(text, names)
    assert sorted(numbers.values()) == list(range(1, 8))
    assert "Grup Utara" in text and "Perusahaan inti" in text
    for walk_in in range(8, 16):  # eight empty numbered rows for guests after the invitees
        assert f"{walk_in}. ....." in text
    assert qr_links(pdf) == [given[0]] == ["https://t.me/rembug_test_bot?start=hadir-SHEET701"]
    page_one_png(pdf, "attendance_sheet")


async def test_300_invitees_run_over_pages_with_the_header_and_page_numbers_on_each(emulator, clocked_bot, clock):
    db = clocked_bot.application.services.db
    emulator.user(*FACILITATOR, language_code="id")
    big = await seed_big_cluster(db, clock.now(), FACILITATOR, 10_000)
    await seed_meeting(db, clock.now(), big, FACILITATOR[0])
    fac = emulator.users[FACILITATOR[0]]
    await _open(fac, "Pertemuan rutin bulanan")
    pdf = await _sheet(fac)

    texts = page_texts(pdf)
    total = len(texts)
    assert total > 5
    for number, page in enumerate(texts, start=1):
        flat = re.sub(r"\s+", " ", page)
        if "....." in flat:  # a page of the table (the last may hold the signature block alone)
            assert " ".join(HEADER) in flat, number  # the table's header on every page
        assert f"Halaman {number} dari {total}" in flat
        if number > 1:
            assert "Daftar hadir · Pertemuan rutin ·" in flat  # the running head
    assert not broken(pdf, [long_name(n) for n in range(1, MEMBERS + 1)])  # every name, whole
    assert "Punya HP? Pindai untuk absen sendiri" in re.sub(r"\s+", " ", texts[0])
    assert qr_links(pdf) == ["https://t.me/rembug_test_bot?start=hadir-BIGMEET1"]
    assert "Fasilitator" in texts[-1]


async def test_the_tick_list_takes_the_sheets_order_and_numbers(emulator, clocked_bot, clock):
    await _meeting(clocked_bot, clock, emulator)
    fac = emulator.users[FACILITATOR[0]]
    await _open(fac)
    numbers = _numbers("\n".join(page_texts(await _sheet(fac))), [n for _u, n in [*NORTH, *SOUTH, *OUTSIDE, NEWCOMER]])
    assert numbers["Agus"] == 7  # joined since: after the others, so earlier sheets keep their numbers

    await _open(fac)
    ticks = await fac.press("✔️ Catat kehadiran")
    assert "Nomornya sama dengan nomor di daftar hadir cetak." in ticks.text
    shown = {}
    for label in fac.visible_buttons():
        match = re.fullmatch(r"(\d+)\. ⬜ (.+)", label)
        if match:
            shown[match[2]] = int(match[1])
    assert shown == numbers
    reply = await fac.press("4. ⬜ Eka")  # ticking from the signed sheet, row 4
    assert "4. ✅ Eka" in fac.visible_buttons() and "Hadir: 1/7" in reply.text


async def test_photos_of_the_signed_sheet_are_kept_with_the_meeting_and_its_download(emulator, clocked_bot, clock):
    meeting = await _meeting(clocked_bot, clock, emulator)
    fac = emulator.users[FACILITATOR[0]]
    await _open(fac)
    asked = await fac.press("📷 Lampirkan foto daftar hadir")
    assert "Kirim foto daftar hadir “Pewarna alami”" in asked.text

    # Text instead of a photo: said so, with the way out.
    wrong = await fac.ask("sudah saya foto")
    assert wrong.text == "Kirim foto daftar hadir yang sudah ditandatangani, atau ketuk Selesai."
    assert "✅ Selesai, kembali ke pertemuan" in fac.visible_buttons()

    # The bot restarts while the facilitator is sending the pages: the next photo is still kept.
    await clocked_bot.restart()
    await fac.send_photo(PHOTO_ONE)
    await wait_for(fac, "📷 1 foto daftar hadir terlampir.")
    sent = await fac.send_photo(PHOTO_TWO)
    await wait_for(fac, "📷 2 foto daftar hadir terlampir.")
    page = await fac.press("✅ Selesai, kembali ke pertemuan")
    assert "📷 2 foto daftar hadir terlampir." in page.text
    assert sent["photo"][-1]["file_id"]

    # Photos now go to the other flows again: the conversation is over.
    await fac.send_photo(PHOTO_ONE + b"x")
    await fac.ask("/menu")
    page = await _open(fac)
    assert "📷 2 foto daftar hadir terlampir." in page.text

    # The attendance download carries them: a ZIP with the list and both photos, and the Excel.
    clock.set(meeting.starts_at + timedelta(hours=2))
    await fac.press("⬇️ Unduh Excel / CSV")
    await wait_for_kind(fac, "document", count=2, timeout=15)
    packed, excel = (next(m for m in fac.bot_messages if (m.filename or "").endswith(end)) for end in (".zip", ".xlsx"))
    assert "Kehadiran: Pewarna alami, dengan 2 foto daftar hadir." in packed.text
    with zipfile.ZipFile(io.BytesIO(packed.document)) as archive:
        names = archive.namelist()
        assert names == ["pewarna-alami-2026-11-25.csv", "daftar-hadir-1.jpg", "daftar-hadir-2.jpg"]
        assert archive.read("daftar-hadir-1.jpg") == PHOTO_ONE
        assert archive.read("daftar-hadir-2.jpg") == PHOTO_TWO
        rows = list(csv.reader(io.StringIO(archive.read(names[0]).decode("utf-8-sig"))))
    assert rows[0] == ["Nama", "Grup kecil", "Diundang", "Jawaban", "Hadir", "Jenis"] and len(rows) == 8
    assert excel.document.startswith(b"PK")
