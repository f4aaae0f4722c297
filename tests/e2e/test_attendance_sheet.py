"""The attendance sheet to print: every invitee numbered with a signature column, rows for guests, the
check-in QR code that reads back as the meeting's own link, and the tick list in the sheet's order."""

from __future__ import annotations

from datetime import timedelta

from conversations.meetings import rules as meeting_rules
from storage import meetings
from tests.e2e.chats import wait_for_any, wait_for_kind
from tests.e2e.seed import seed_cluster
from tests.pdf_checks import page_count, page_one_png, page_texts, qr_links

FACILITATOR = (4801, "Ratna Wulandari")
MEMBERS = [(4811, "Sri Handayani"), (4812, "Agus Prasetyo"), (4813, "Wahyu Nugroho"), (4814, "Endang Suryani")]
TOPIC = "Pewarna alami dan pemasok"


async def _meeting(bot, clock, cluster_id: int, invited: list[int], *, kind: str = "regular"):
    async with bot.application.services.db.transaction() as tx:
        meeting, _new = await meetings.create_meeting(
            tx,
            cluster_id=cluster_id,
            kind=kind,
            topic=TOPIC,
            starts_at=clock.now() + timedelta(days=2, hours=3),
            place="Balai Desa Laweyan, Jl. Sidoluhur",
            latitude=None,
            longitude=None,
            agenda=None,
            audience=meeting_rules.Audience(everyone=True).to_json(),
            capacity=None,
            reminders=(),
            checkin_code=meeting_rules.new_checkin_code(),
            organiser_id=FACILITATOR[0],
            invitee_ids=invited,
            now=clock.now(),
            source_update_id=-1,
        )
    return meeting


async def _open_meeting(fac):
    await fac.ask("/meetings")
    return await fac.press(next(t for t in fac.visible_buttons() if TOPIC in t))


async def test_the_printed_sheet_holds_the_meeting_every_invitee_and_the_check_in_link(emulator, clocked_bot, clock):
    emulator.user(*FACILITATOR, language_code="id")
    seeded = await seed_cluster(
        clocked_bot.application.services.db,
        clock.now(),
        facilitator=FACILITATOR,
        groups={"Laweyan Utara": MEMBERS[:2]},
        others=MEMBERS[2:],
    )
    meeting = await _meeting(clocked_bot, clock, seeded.cluster_id, [uid for uid, _ in MEMBERS])
    fac = emulator.user(*FACILITATOR)
    await _open_meeting(fac)
    await fac.press("🖨 Daftar hadir (PDF)")
    sent = await wait_for_kind(fac, "document", timeout=20)
    assert sent.filename.endswith(".pdf") and sent.filename.startswith("daftar-hadir")
    assert "Daftar hadir untuk “Pewarna alami dan pemasok”: 4 undangan" in sent.text

    text = " ".join(" ".join(page.split()) for page in page_texts(sent.document))
    for expected in (
        "DAFTAR HADIR",
        f"Pertemuan rutin: {TOPIC}",
        "Klaster: Sentra Batik Laweyan",
        "Waktu: 25 Nov 2026",  # the test clock's Monday 23 Nov 10.00 WIB, two days and three hours on
        "13.00 WIB",
        "Tempat: Balai Desa Laweyan, Jl. Sidoluhur",
        "No. Nama Grup kecil Jenis pemangku kepentingan Tanda tangan",
        "Tamu yang tidak diundang",
        "Fasilitator",
        "( Ratna Wulandari )",
        "Halaman 1 dari 1",
    ):
        assert expected in text, expected
    # In the sheet's order (by name), each with their number, small group and type.
    for number, name, group in (
        (1, "Agus Prasetyo", "Laweyan Utara"),
        (2, "Endang Suryani", "-"),
        (3, "Sri Handayani", "Laweyan Utara"),
        (4, "Wahyu Nugroho", "-"),
    ):
        assert f"{number}. {name} {group} Perusahaan inti" in text, name
    assert "5. 6. 7." in text.replace(" ", " ")  # the guests' empty rows go on numbering

    link = f"https://t.me/{clocked_bot.application.bot.username}?start=hadir-{meeting.checkin_code}"
    assert qr_links(sent.document) == [link]
    page_one_png(sent.document, "attendance_sheet")

    # The tick list: the same people in the same order with the same numbers.
    await fac.press("✔️ Catat kehadiran")
    await wait_for_any(fac, "Nomor sama dengan daftar hadir yang dicetak")
    names = [b for b in fac.visible_buttons() if b.startswith("⬜")]
    assert names == ["⬜ 1. Agus Prasetyo", "⬜ 2. Endang Suryani", "⬜ 3. Sri Handayani", "⬜ 4. Wahyu Nugroho"]
    await fac.press("⬜ 3. Sri Handayani")
    await wait_for_any(fac, "Hadir: 1/4")
    assert "✅ 3. Sri Handayani" in fac.visible_buttons()


async def test_three_hundred_invitees_run_over_pages_with_the_header_on_each(emulator, clocked_bot, clock):
    crowd = [(4900 + n, f"Anggota {n:03d}") for n in range(1, 301)]
    emulator.user(*FACILITATOR, language_code="id")
    seeded = await seed_cluster(
        clocked_bot.application.services.db, clock.now(), facilitator=FACILITATOR, groups={}, others=crowd
    )
    await _meeting(clocked_bot, clock, seeded.cluster_id, [uid for uid, _ in crowd], kind="committee")
    fac = emulator.user(*FACILITATOR)
    await _open_meeting(fac)
    await fac.press("🖨 Daftar hadir (PDF)")
    sent = await wait_for_kind(fac, "document", timeout=60)

    pages = page_texts(sent.document)
    total = page_count(sent.document)
    assert total >= 10  # 300 rows a hand can sign in
    whole = " ".join(" ".join(page.split()) for page in pages)
    for number, (_uid, name) in enumerate(crowd, start=1):
        assert f"{number}. {name} " in whole, name
    for number, page in enumerate(pages, start=1):
        flat = " ".join(page.split())
        assert "No. Nama Grup kecil Jenis pemangku kepentingan Tanda tangan" in flat, number
        assert f"Halaman {number} dari {total}" in flat
        if number > 1:
            assert f"Rapat komite: {TOPIC}" in flat  # the running head says which meeting
    assert "Fasilitator" in " ".join(pages[-1].split())


async def test_a_member_pressing_the_sheet_button_is_refused_and_gets_no_names(emulator, clocked_bot, clock):
    emulator.user(*FACILITATOR, language_code="id")
    member = emulator.user(*MEMBERS[0], language_code="id")
    seeded = await seed_cluster(
        clocked_bot.application.services.db, clock.now(), facilitator=FACILITATOR, groups={}, others=MEMBERS
    )
    meeting = await _meeting(clocked_bot, clock, seeded.cluster_id, [uid for uid, _ in MEMBERS])
    menu = await member.ask("/menu")
    await member.tap_data(menu.message_id, f"mt1:sheet:{meeting.id}")
    await member.wait_reply()
    assert not [m for m in member.bot_messages if m.kind == "document"]
    assert member.callback_answers and member.callback_answers[-1][1]  # an alert says who may do this
