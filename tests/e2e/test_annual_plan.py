"""The annual plan end to end, in Indonesian: the facilitator builds the year (a training, a study tour,
the coordination meetings intended), members open the calendar by month, a draft is answered and adopted
at a meeting, the Excel and PDF downloads, a restart mid-way, and a member pressing a facilitator's button."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import load_workbook
from pypdf import PdfReader

from storage import action_plans, annual_plans, meetings
from tests.e2e.chats import wait_for, wait_for_kind
from tests.e2e.seed import seed_cluster
from tests.e2e.taps import refused

RINA, DEWI, EKO, FITRI = (811, "Rina"), (812, "Dewi"), (813, "Eko"), (814, "Fitri")
STALE = "Tombol ini sudah tidak berlaku. Ketik /menu untuk mulai lagi."
ROLE_MESSAGE = "Hanya fasilitator klaster ini yang dapat melakukan ini."


async def _seed(bot, clock, emulator):
    """A cluster whose year already holds a published plan's activity and a scheduled regular meeting."""
    for uid, name in (RINA, DEWI, EKO, FITRI):
        emulator.user(uid, name, language_code="id")
    db = bot.application.services.db
    seeded = await seed_cluster(db, clock.now(), facilitator=RINA, groups={}, others=[DEWI, EKO, FITRI])
    async with db.transaction() as tx:
        plan = await action_plans.create_plan(tx, seeded.cluster_id, "Pasar bersama", None, RINA[0], clock.now())
        await action_plans.add_activity(tx, plan.id, "Pameran batik bersama", "2026-11-25", "2026-11-28")
        await tx.execute("UPDATE action_plans SET status = 'published' WHERE id = ?", (plan.id,))
        meeting, _new = await meetings.create_meeting(
            tx,
            cluster_id=seeded.cluster_id,
            kind="regular",
            topic="Rapat rutin Desember",
            starts_at=datetime(2026, 12, 10, 2, 0, tzinfo=UTC),
            place="Balai Desa",
            latitude=None,
            longitude=None,
            agenda=None,
            audience={"everyone": True},
            capacity=None,
            reminders=(),
            checkin_code="rutin12",
            organiser_id=RINA[0],
            invitee_ids=[DEWI[0], EKO[0], FITRI[0]],
            now=clock.now(),
            source_update_id=-7,
        )
    return seeded, meeting


async def _build_the_year(rina) -> None:
    """Rina adds a training (typed dates), a study tour (a month) and ticks three coordination months."""
    reply = await rina.ask("/year")
    assert "Rencana tahunan 2026" in reply.text
    assert "🤝 Pertemuan koordinasi: 1 terjadwal, 0 direncanakan (FPESD: minimal 4 setahun)" in reply.text
    assert "⚠️ Baru 1 pertemuan koordinasi tahun ini: rencanakan minimal 4." in reply.text
    await rina.press("➕ Pelatihan")
    reply = await rina.ask("Pelatihan pewarna alami")
    assert "Bulan apa di tahun 2026?" in reply.text
    reply = await rina.ask("8-9/12")
    assert "✅ Ditambahkan ke rencana tahunan: 🎓 8–9 Des · Pelatihan: Pelatihan pewarna alami" in reply.text
    await rina.press("➕ Studi banding")
    await rina.ask("Studi banding ke Pekalongan")
    reply = await rina.press("Des")
    assert "🚌 Desember · Studi banding: Studi banding ke Pekalongan" in reply.text
    await rina.press("🤝 Pertemuan koordinasi")
    await rina.press("⬜ Mar")
    await rina.press("⬜ Jun")
    reply = await rina.press("⬜ Sep")
    assert "1 terjadwal, 3 direncanakan" in reply.text
    assert "⚠️" not in reply.text
    assert "☑️ Sep" in [button["text"] for row in reply.inline_keyboard for button in row]


async def _send_draft(rina, days: str = "📨 3 hari"):
    """Rina sends the year as it is now to the members; the page that says so."""
    await rina.ask("/year")
    await rina.press("📨 Draf dan pengesahan")
    return await rina.press(days)


async def test_facilitator_builds_the_year_and_members_open_this_and_next_month(emulator, clocked_bot, clock):
    seeded, _meeting = await _seed(clocked_bot, clock, emulator)
    rina, dewi = emulator.users[RINA[0]], emulator.users[DEWI[0]]
    await _build_the_year(rina)

    # Dewi finds the plan on the organisation's page and opens this month, then the next.
    await dewi.ask("/organisation")
    home = await dewi.press("📅 Rencana tahunan")
    assert "🎓 Pelatihan: 1 · 🚌 Studi banding: 1" in home.text
    assert "➕ Pelatihan" not in [b["text"] for row in home.inline_keyboard for b in row]  # a member only reads
    november = await dewi.press("🗓 Bulan ini")
    assert "November 2026" in november.text
    assert "📋 25–28 Nov · Kegiatan rencana aksi: Pameran batik bersama" in november.text
    assert "Pelatihan pewarna alami" not in november.text
    december = await dewi.press("Desember 2026 ▶")
    assert "🎓 8–9 Des · Pelatihan: Pelatihan pewarna alami" in december.text
    assert "📅 10 Des · Pertemuan rutin: Rapat rutin Desember" in december.text
    assert "🚌 Desember · Studi banding: Studi banding ke Pekalongan" in december.text
    back = await dewi.press("◀ November 2026")
    assert "Pameran batik bersama" in back.text
    await dewi.press("« Rencana tahunan 2026")
    reply = await dewi.press("Bulan depan ▶")
    assert "Desember 2026" in reply.text

    # A member pressing a facilitator's button gets the role message and nothing changes.
    assert await refused(clocked_bot, dewi, "ap1:rt:2026:4") == ROLE_MESSAGE
    assert await refused(clocked_bot, dewi, "ap1:pub:2026:3") == ROLE_MESSAGE
    async with clocked_bot.application.services.db.read() as conn:
        keys = [a.key.split(":")[0] for a in await annual_plans.plan_activities(conn, seeded.cluster_id, 2026)]
    assert sorted(keys) == ["activity", "event", "event", "event", "event", "event", "meeting"]


async def test_draft_is_answered_adopted_at_a_meeting_and_the_adopted_version_is_shown(emulator, clocked_bot, clock):
    seeded, meeting = await _seed(clocked_bot, clock, emulator)
    rina, dewi, eko = emulator.users[RINA[0]], emulator.users[DEWI[0]], emulator.users[EKO[0]]
    await _build_the_year(rina)
    reply = await _send_draft(rina)
    assert "Versi 1 sedang dikirim ke 3 anggota" in reply.text

    card = await wait_for(dewi, "Draf rencana tahunan 2026 Sentra Batik Laweyan", timeout=15)
    assert "Studi banding ke Pekalongan" in card.text
    await dewi.press("👍 Setuju")
    await wait_for(eko, "Draf rencana tahunan 2026", timeout=15)
    reply = await eko.press("✏️ Perlu diubah")
    assert "Apa yang perlu diubah?" in reply.text
    reply = await eko.ask("Tambahkan pelatihan pemasaran online.")
    assert "Komentar Anda disimpan untuk fasilitator" in reply.text

    # The day before the window closes, Fitri (no answer yet) is reminded; then Rina hears how it went.
    await wait_for(emulator.users[FITRI[0]], "Draf rencana tahunan 2026", timeout=15)
    clock.advance(days=2, minutes=1)
    clocked_bot.application.services.reminders.wake()
    await wait_for(emulator.users[FITRI[0]], "Pengingat: mohon jawab draf rencana tahunan", timeout=15)
    assert not any("Pengingat" in m.text for m in dewi.bot_messages)  # she answered
    clock.advance(days=1)
    clocked_bot.application.services.reminders.wake()
    summary = await wait_for(rina, "sudah ditutup", timeout=15)
    assert "👍 1 setuju, ✏️ 1 perlu diubah, 1 komentar, 1 tidak menjawab" in summary.text

    home = await rina.ask("/year")
    assert "📝 Draf versi 1: jawaban ditutup 26 Nov 2026" in home.text and "sahkan dalam pertemuan" in home.text
    status = await rina.press("📨 Draf dan pengesahan")
    assert "👍 Setuju: 1 · ✏️ Perlu diubah: 1 · komentar: 1 · belum menjawab: 1" in status.text
    reply = await rina.press("💬 Jawaban dan komentar")
    assert "Eko: Tambahkan pelatihan pemasaran online." in reply.text
    await rina.press("« Kembali")
    await rina.press("✅ Sahkan versi 1")
    reply = await rina.press("Pertemuan rutin: Rapat rutin Desember · 10 Des 2026, 09.00 WIB")
    assert 'Versi 1 rencana tahunan 2026 sudah disahkan (pertemuan "Rapat rutin Desember")' in reply.text

    # The members see the adopted version; an old card's button says the draft is no longer open.
    await dewi.ask("/year")
    home = await dewi.press("📜 Versi yang disahkan")
    assert "Rencana tahunan 2026, versi 1" in home.text and "Rapat rutin Desember" in home.text
    assert "Pelatihan pewarna alami" in home.text
    await dewi.tap_data(card.message_id, "ap1:va:1")
    await dewi.wait_reply()
    assert dewi.callback_answers[-1] == ("Waktu untuk menjawab draf ini sudah habis.", True)

    # A later change makes the year differ from the adopted version: a new draft is version 2.
    await rina.ask("/year")
    await rina.press("➕ Pelatihan")
    await rina.ask("Pelatihan pemasaran online")
    reply = await rina.press("Okt")
    assert "sudah berubah sejak versi yang disahkan" in reply.text
    assert '✅ Versi 1 disahkan dalam pertemuan "Rapat rutin Desember"' in reply.text
    await rina.press("📨 Draf dan pengesahan")
    reply = await rina.press("📨 1 hari")
    assert "Versi 2 sedang dikirim" in reply.text
    async with clocked_bot.application.services.db.read() as conn:
        versions = await annual_plans.versions_of(conn, seeded.cluster_id, 2026)
    assert [(v.number, v.status, v.meeting_id) for v in versions] == [
        (2, "consulting", None),
        (1, "adopted", meeting.id),
    ]
    assert "Pelatihan pemasaran online" in [a.title for a in versions[0].entries]
    assert "Pelatihan pemasaran online" not in [a.title for a in versions[1].entries]  # the snapshot is kept


async def test_facilitator_downloads_the_year_as_excel_and_pdf(emulator, clocked_bot, clock):
    await _seed(clocked_bot, clock, emulator)
    rina = emulator.users[RINA[0]]
    await _build_the_year(rina)
    await rina.ask("/year")
    await rina.press("⬇️ Excel")
    document = await wait_for_kind(rina, "document")
    sheet = load_workbook(io.BytesIO(document.document)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Bulan", "Mulai", "Selesai", "Jenis", "Kegiatan", "Kode"]
    titles = [(row[0], row[3], row[4]) for row in rows[1:]]
    assert titles == [
        ("Maret", "Pertemuan koordinasi (direncanakan)", "Pertemuan koordinasi rutin"),
        ("Juni", "Pertemuan koordinasi (direncanakan)", "Pertemuan koordinasi rutin"),
        ("September", "Pertemuan koordinasi (direncanakan)", "Pertemuan koordinasi rutin"),
        ("November", "Kegiatan rencana aksi", "Pameran batik bersama"),
        ("Desember", "Studi banding", "Studi banding ke Pekalongan"),
        ("Desember", "Pelatihan", "Pelatihan pewarna alami"),
        ("Desember", "Pertemuan rutin", "Rapat rutin Desember"),
    ]
    assert rows[6][1].date().isoformat() == "2026-12-08" and rows[6][2].date().isoformat() == "2026-12-09"
    await rina.press("⬇️ PDF")
    document = await wait_for_kind(rina, "document", count=2)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document.document)).pages)
    assert "Rencana tahunan 2026: Sentra Batik Laweyan" in text
    assert "Studi banding ke Pekalongan" in text and "Pameran batik bersama" in text
    assert "1 terjadwal, 3 direncanakan" in text


async def test_a_restart_while_adding_a_training_resumes_at_the_same_step(emulator, clocked_bot, clock):
    seeded, _meeting = await _seed(clocked_bot, clock, emulator)
    rina = emulator.users[RINA[0]]
    await rina.ask("/year")
    await rina.press("➕ Pelatihan")
    await clocked_bot.restart()
    reply = await rina.ask("Pelatihan desain motif")
    assert "Bulan apa di tahun 2026?" in reply.text
    await clocked_bot.restart()
    reply = await rina.ask("tanggal tiga puluh")
    assert "Tanggal itu tidak terbaca" in reply.text
    reply = await rina.ask("28/2-2/3")
    assert "28 Feb – 2 Mar 2026 · Pelatihan: Pelatihan desain motif" in reply.text
    async with clocked_bot.application.services.db.read() as conn:  # the restarted bot's database
        events = await annual_plans.events_of(conn, seeded.cluster_id, 2026)
    assert [(e.title, e.month, str(e.starts_on), str(e.ends_on)) for e in events] == [
        ("Pelatihan desain motif", 2, "2026-02-28", "2026-03-02")
    ]


async def test_another_clusters_facilitator_cannot_use_this_clusters_plan_buttons(emulator, clocked_bot, clock):
    seeded, meeting = await _seed(clocked_bot, clock, emulator)
    rina = emulator.users[RINA[0]]
    await _build_the_year(rina)
    await _send_draft(rina)
    db = clocked_bot.application.services.db
    budi_id = 821
    emulator.user(budi_id, "Budi", language_code="id")
    await seed_cluster(db, clock.now(), facilitator=(budi_id, "Budi"), groups={}, name="Sentra Tenun", code="OTHER22")
    budi = emulator.users[budi_id]
    await budi.ask("/year")
    async with db.read() as conn:
        version = (await annual_plans.versions_of(conn, seeded.cluster_id, 2026))[0]
        events = await annual_plans.events_of(conn, seeded.cluster_id, 2026)
    event = events[-1]
    training = next(e for e in events if e.title == "Pelatihan pewarna alami")
    for data in (f"ap1:vr:{version.id}", f"ap1:vpm:{version.id}:{meeting.id}", f"ap1:rm:{event.id}", "ap1:m:2026:13"):
        assert await refused(clocked_bot, budi, data) == STALE, data
    # Rina's own button pressed again after removing: the stale engine says it is gone already.
    await rina.ask("/year")
    await rina.press("🗑 Hapus")
    reply = await rina.press("🗑 Pelatihan pewarna alami")
    assert "Dihapus dari rencana tahunan: Pelatihan pewarna alami" in reply.text
    assert await refused(clocked_bot, rina, f"ap1:rm:{training.id}", on=reply) == "Sudah dihapus."
