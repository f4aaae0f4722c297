"""Who saw what: downloads of personal data and role changes are recorded, and facilitators, the cluster's
secretary and the committee's secretary read the record of their clusters (members never do)."""

from __future__ import annotations

from datetime import timedelta

from bot.forms import load_forms
from conversations.access_log.rules import Access
from storage import access_log, committees, surveys, users
from tests.e2e.chats import wait_for_kind
from tests.e2e.menus import open_entry
from tests.e2e.seed import seed_cluster

RATNA = (4101, "Ratna Fasilitator")
SITI, BUDI = (4102, "Siti Rahayu"), (4103, "Budi Santoso")
REFUSAL = "Hanya fasilitator atau sekretaris klaster ini yang dapat melakukan ini."
LOG_ID, LOG_EN = "🕵 Siapa mengunduh data", "🕵 Who downloaded data"


async def _cluster(bot, clock, emulator, *, language: str = "id", facilitator=RATNA, others=(SITI, BUDI), **kw):
    for uid, name in (facilitator, *others):
        emulator.user(uid, name, language_code=language)
    return await seed_cluster(
        bot.application.services.db,
        clock.now(),
        facilitator=facilitator,
        groups={"Laweyan": list(others)},
        language=language,
        **kw,
    )


async def _round(bot, clock, cluster_id: int, title: str) -> None:
    form = load_forms("conversations/survey/forms")[("annex1", 1)]
    async with bot.application.services.db.transaction() as tx:
        await surveys.open_round(
            tx,
            cluster_id=cluster_id,
            form_id=form.id,
            form_version=form.version,
            title=title,
            closes_at=None,
            opened_by=RATNA[0],
            now=clock.now(),
            source_update_id=-4100,
        )


async def test_downloads_and_a_role_change_show_on_the_facilitators_record(emulator, clocked_bot, clock):
    bot = clocked_bot
    seeded = await _cluster(bot, clock, emulator)
    await _round(bot, clock, seeded.cluster_id, "Kondisi klaster 2026")
    ratna, budi = emulator.user(*RATNA), emulator.user(*BUDI)

    await ratna.ask("/menu")
    await open_entry(ratna, "👥 Anggota", "Daftar anggota")
    await ratna.press("⬇️ Unduh CSV")  # 10.00 WIB
    clock.advance(minutes=5)
    await ratna.ask("/survey")
    await ratna.press("⬇️ Unduh Excel / CSV")  # 10.05 WIB
    await wait_for_kind(ratna, "document", count=3)
    clock.advance(minutes=5)
    await ratna.ask("/menu")
    await open_entry(ratna, "👥 Anggota", "Peran")
    await ratna.press("📝 Tunjuk sekretaris")
    await ratna.press("Siti Rahayu")  # 10.10 WIB
    assert "Siti Rahayu sekarang sekretaris" in ratna.last_text()

    await ratna.ask("/menu")
    record = await open_entry(ratna, "👥 Anggota", LOG_ID)
    text = record.text
    assert "<b>Siapa mengunduh data: Sentra Batik Laweyan</b>" in record.html
    newest_first = [
        "23 Nov 2026, 10.10 WIB · Ratna Fasilitator\n    menjadikan Siti Rahayu sekretaris",
        "23 Nov 2026, 10.05 WIB · Ratna Fasilitator\n    mengunduh semua jawaban kuesioner “Kondisi klaster 2026”",
        "23 Nov 2026, 10.00 WIB · Ratna Fasilitator\n    mengunduh daftar anggota (CSV)",
    ]
    positions = [text.find(line) for line in newest_first]
    assert -1 not in positions, text
    assert positions == sorted(positions)
    async with bot.application.services.db.read() as conn:
        entries, total = await access_log.of_cluster(conn, seeded.cluster_id)
    assert total == 3 and [e.action for e in entries] == [
        Access.SECRETARY_APPOINTED,
        Access.SURVEY_ANSWERS,
        Access.DIRECTORY,
    ]

    # The cluster's secretary reads the same record.
    siti = emulator.user(*SITI)
    await siti.ask("/menu")
    own = await siti.press("👥 Anggota")  # the record is the one entry of her group, so the group opens it
    assert all(line in own.text for line in newest_first), own.text

    # The secretary leaves: her role ends with it, and that is recorded too.
    clock.advance(minutes=5)
    await siti.ask("/profile")
    await siti.press("🚪 Keluar dari klaster ini")
    await siti.press("Ya, keluar")  # 10.15 WIB
    await ratna.ask("/menu")
    record = await open_entry(ratna, "👥 Anggota", LOG_ID)
    left = "23 Nov 2026, 10.15 WIB · Siti Rahayu\n    keluar dari klaster: perannya berakhir"
    assert left in record.text and record.text.index(left) < record.text.index(newest_first[0])

    # A member pressing the record's button (an old or forged one) is refused and sees nothing.
    menu = await budi.ask("/menu")
    shown = len(budi.bot_messages)
    for data in ("al1:k:0", "al1:k:1", f"al1:c:{seeded.cluster_id}:0"):
        await budi.tap_data(menu.message_id, data)
        await budi.wait_reply()
    assert budi.callback_answers[-3:-1] == [(REFUSAL, True)] * 2
    assert budi.callback_answers[-1][0].startswith("Tombol ini sudah tidak berlaku")  # no such committee
    assert not any("Ratna Fasilitator" in m.text for m in budi.bot_messages[shown:])


async def test_the_record_pages_one_screen_at_a_time(emulator, clocked_bot, clock):
    bot = clocked_bot
    seeded = await _cluster(bot, clock, emulator)
    async with bot.application.services.db.transaction() as tx:
        for minute in range(20):
            await access_log.record(
                tx, RATNA[0], seeded.cluster_id, Access.FIRMS, "Excel", clock.now() + timedelta(minutes=minute)
            )
    ratna = emulator.user(*RATNA)
    await ratna.ask("/menu")
    first = await open_entry(ratna, "👥 Anggota", LOG_ID)
    assert "Halaman 1/3" in first.text and "10.19 WIB" in first.text and "10.11 WIB" not in first.text
    assert first.text.count("mengunduh daftar usaha (Excel)") == 8
    second = await ratna.press("Berikutnya ▶")
    assert "Halaman 2/3" in second.text and "10.11 WIB" in second.text and "10.19 WIB" not in second.text


async def test_an_english_facilitator_reads_the_record_in_english(emulator, clocked_bot, clock):
    bot = clocked_bot
    await _cluster(bot, clock, emulator, language="en")
    ratna = emulator.user(*RATNA)
    await ratna.ask("/menu")
    await open_entry(ratna, "👥 Members", "Member list")
    await ratna.press("⬇️ Download Excel")
    await wait_for_kind(ratna, "document")
    await ratna.ask("/menu")
    record = await open_entry(ratna, "👥 Members", LOG_EN)
    assert "<b>Who downloaded data: Sentra Batik Laweyan</b>" in record.html
    assert "23 Nov 2026, 10:00 WIB · Ratna Fasilitator\n    downloaded the member list (Excel)" in record.text


async def test_the_committee_secretary_sees_their_clusters_and_not_another_committees(emulator, clocked_bot, clock):
    bot = clocked_bot
    db, now = bot.application.services.db, clock.now()
    ours = await _cluster(bot, clock, emulator)
    pak, eka = (4201, "Pak Klaten"), (4202, "Eka")
    theirs = await _cluster(
        bot, clock, emulator, facilitator=pak, others=(eka,), name="Sentra Lurik Klaten", code="KLATEN22"
    )
    sari, wati = (4301, "Sari Sekretaris"), (4302, "Wati Lain")
    async with db.transaction() as tx:
        made = []
        for number, (name, cluster_id, secretary) in enumerate(
            (("FPESD Jawa Tengah", ours.cluster_id, sari), ("FEDEP Klaten", theirs.cluster_id, wati))
        ):
            await users.remember_user(tx, secretary[0], secretary[1], None, None, "id", now)
            committee, _new = await committees.create_committee(
                tx,
                name=name,
                level="province",
                timezone="Asia/Jakarta",
                invite_code=f"CMTE{number}AAA",
                created_by=secretary[0],
                now=now,
                source_update_id=-4300 - number,
            )
            await committees.toggle_cluster(tx, committee.id, cluster_id)
            await committees.join(tx, committee.id, secretary[0], secretary[1], "government", now)
            await committees.appoint(tx, committee.id, secretary[0], "secretary")
            made.append(committee)
    for person in (sari, wati):
        emulator.user(*person, language_code="id")

    # Each cluster's facilitator downloads its member list.
    for facilitator in (RATNA, pak):
        someone = emulator.user(*facilitator)
        await someone.ask("/menu")
        await open_entry(someone, "👥 Anggota", "Daftar anggota")
        await someone.press("⬇️ Unduh CSV")
        await wait_for_kind(someone, "document")
    clock.advance(minutes=3)

    secretary = emulator.user(*sari)
    await secretary.ask("/committee")
    await secretary.press("🏛 FPESD Jawa Tengah")
    await secretary.press("📑 Matriks program (Excel)")
    await wait_for_kind(secretary, "document")
    await secretary.ask("/committee")
    await secretary.press("🏛 FPESD Jawa Tengah")
    record = await secretary.press(LOG_ID)
    text = record.text
    assert "<b>Siapa mengunduh data: FPESD Jawa Tengah</b>" in record.html
    assert "23 Nov 2026, 10.03 WIB · Sari Sekretaris · Komite\n    menerima matriks program komite" in text
    assert "23 Nov 2026, 10.00 WIB · Ratna Fasilitator · Sentra Batik Laweyan\n    mengunduh daftar anggota" in text
    assert "Pak Klaten" not in text and "Sentra Lurik Klaten" not in text

    # The other committee's secretary cannot open this committee's record, and sees only their own cluster.
    other = emulator.user(*wati)
    menu = await other.ask("/committee")
    await other.tap_data(menu.message_id, f"al1:c:{made[0].id}:0")
    await other.wait_reply()
    assert other.callback_answers[-1] == ("Hanya sekretaris atau ketua komite yang dapat melakukannya.", True)
    await other.ask("/committee")
    await other.press("🏛 FEDEP Klaten")
    theirs_record = await other.press(LOG_ID)
    assert "Pak Klaten · Sentra Lurik Klaten" in theirs_record.text and "Ratna" not in theirs_record.text
