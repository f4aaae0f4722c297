"""Visits and calls end to end, in Indonesian on the fake clock: a facilitator records a visit with a
next step; its reminder survives a restart, arrives at 08.00 WIB on the day, once, and leads to the
follow-up; the supporter's page shows the history newest first; a member firm can be visited too;
the committee's digest counts each cluster's visits and its overview lists the clusters' supporters."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from conversations.committee import digests
from storage import committees, firms, reminders, supporters, users, visits
from tests.e2e.chats import wait_for, wait_for_any, wait_for_kind
from tests.e2e.seed import seed_cluster
from tests.e2e.taps import quiet

RINA, DEWI = (821, "Rina"), (822, "Dewi")
SECRETARY = (831, "Sari Sekretaris")


async def _seed(bot, clock, emulator):
    for uid, name in (RINA, DEWI, SECRETARY):
        emulator.user(uid, name, language_code="id")
    db = bot.application.services.db
    seeded = await seed_cluster(db, clock.now(), facilitator=RINA, groups={}, others=[DEWI])
    async with db.transaction() as tx:
        dinas = await supporters.add_supporter(
            tx,
            seeded.cluster_id,
            {"name": "Dinas Koperasi", "kind": "government", "services": ["training", "marketing"]},
            "confirmed",
            RINA[0],
            clock.now(),
            None,
        )
    return seeded, dinas


def _reminded(person) -> int:
    return sum("Langkah berikutnya hari ini" in m.text for m in person.bot_messages)


async def test_a_next_step_is_reminded_once_at_eight_on_its_day_across_restarts(emulator, clocked_bot, clock):
    bot = clocked_bot
    _seeded, dinas = await _seed(bot, clock, emulator)
    rina = emulator.users[RINA[0]]
    # Monday 23 Nov 2026, 10.00 WIB: Rina visited the Dinas today.
    await rina.ask("/supporters")
    who = await rina.press("📞 Catat kunjungan atau telepon")
    assert "🤝 Dinas Koperasi" in rina.visible_buttons() and "🏠 Dewi" in rina.visible_buttons()
    assert "Siapa yang Anda kunjungi atau telepon?" in who.text
    await rina.press("🤝 Dinas Koperasi")
    await rina.press("🚶 Kunjungan")
    await rina.press("Hari ini")
    await rina.ask("Pelatihan kemasan untuk 20 anggota pada bulan Desember")
    reply = await rina.ask("Kirim daftar peserta")
    assert "Kapan langkah berikutnya?" in reply.text
    reply = await rina.ask("31-12-2027")  # more than a year away: asked again
    assert "lebih dari setahun lagi" in reply.text
    await rina.press("Seminggu lagi")
    saved = await wait_for(rina, "Tercatat: Dinas Koperasi")
    assert "Saya akan mengingatkan Anda pada Senin, 30 Nov 2026 pukul 08.00" in saved.text
    db = bot.application.services.db
    async with db.read() as conn:
        found = await visits.visits_to_supporter(conn, dinas.id)
        due = await reminders.get_by_key(conn, f"visit:{found[0].id}:next")
    assert due is not None and due.due_at == datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # 08.00 WIB

    # The bot restarts before the day; at 07.59 WIB nothing yet, at 08.00 the reminder, once.
    await bot.restart()
    clock.set(datetime(2026, 11, 30, 0, 59, tzinfo=UTC))
    bot.application.services.reminders.wake()
    await quiet(bot)
    assert _reminded(rina) == 0
    clock.set(datetime(2026, 11, 30, 1, 0, 30, tzinfo=UTC))
    bot.application.services.reminders.wake()
    reminder = await wait_for_any(rina, "Langkah berikutnya hari ini")
    assert "Kirim daftar peserta" in reminder.text and "Dinas Koperasi" in reminder.text
    await bot.restart()
    bot.application.services.reminders.wake()
    await quiet(bot)
    await asyncio.sleep(0.6)  # the engine looks again within half a second on the test clock
    assert _reminded(rina) == 1

    # The reminder's button records the follow-up: a call, today, no next step.
    await rina.press("📞 Catat tindak lanjutnya")
    await rina.press("📞 Telepon")
    await rina.press("Hari ini")
    await rina.ask("Daftar 18 peserta sudah dikirim")
    await rina.press("Lewati")
    await wait_for(rina, "Tercatat: Dinas Koperasi")
    page = await rina.press("🔍 Buka Dinas Koperasi")
    assert "<b>Kunjungan dan telepon</b>" in page.html or "Kunjungan dan telepon" in page.text
    call, visit = page.text.index("📞 Telepon: Daftar 18 peserta"), page.text.index("🚶 Kunjungan: Pelatihan kemasan")
    assert call < visit  # newest first
    assert "Senin, 30 Nov 2026" in page.text and "Senin, 23 Nov 2026" in page.text
    async with bot.application.services.db.read() as conn:
        both = await visits.visits_to_supporter(conn, dinas.id)
    assert [v.kind for v in both] == ["call", "visit"] and both[0].follow_up_of == both[1].id


async def test_members_and_firms_of_the_firm_list_are_visited_and_a_day_still_to_come_is_refused(
    emulator, clocked_bot, clock
):
    seeded, _dinas = await _seed(clocked_bot, clock, emulator)
    async with clocked_bot.application.services.db.transaction() as tx:  # one firm joined (Dewi), one did not
        await firms.add_firms(
            tx, seeded.cluster_id, [{"name": "Dewi"}, {"name": "UD Tenun Jaya"}], RINA[0], clock.now(), -5
        )
    rina = emulator.users[RINA[0]]
    await rina.ask("/supporters")
    await rina.press("📞 Catat kunjungan atau telepon")
    await rina.press("🏠 Dewi")
    await rina.press("🚶 Kunjungan")
    reply = await rina.ask("24-11-2026")
    assert "Hari itu belum tiba" in reply.text
    reply = await rina.ask("20-11")
    assert "Apa yang disepakati?" in reply.text
    await rina.ask("Dewi mencoba pewarna alam")
    await rina.press("Lewati")
    saved = await wait_for(rina, "Tercatat: Dewi")
    assert "Jumat, 20 Nov 2026" in saved.text and "mengingatkan" not in saved.text
    async with clocked_bot.application.services.db.read() as conn:
        recorded = await visits.get_visit(conn, 1)
    assert recorded is not None and recorded.member_id == DEWI[0] and recorded.visited_on == date(2026, 11, 20)

    await rina.press("📞 Catat yang lain")
    assert "🏭 UD Tenun Jaya" in rina.visible_buttons() and "🏭 Dewi" not in rina.visible_buttons()
    await rina.press("🏭 UD Tenun Jaya")
    await rina.press("📞 Telepon")
    await rina.press("Kemarin")
    await rina.ask("Mau ikut pameran")
    await rina.press("Lewati")
    saved = await wait_for(rina, "Tercatat: UD Tenun Jaya")
    assert "Minggu, 22 Nov 2026 · 📞 Telepon: Mau ikut pameran" in saved.text
    async with clocked_bot.application.services.db.read() as conn:
        called = await visits.get_visit(conn, 2)
    assert called is not None and called.firm_id is not None and called.member_id is None


async def test_the_committee_digest_counts_visits_and_its_overview_lists_the_supporters(emulator, clocked_bot, clock):
    bot = clocked_bot
    seeded, dinas = await _seed(bot, clock, emulator)
    db = bot.application.services.db
    secretary = emulator.users[SECRETARY[0]]
    async with db.transaction() as tx:
        await users.remember_user(tx, SECRETARY[0], SECRETARY[1], None, None, "id", clock.now())
        committee, _new = await committees.create_committee(
            tx,
            name="FPESD Jawa Tengah",
            level="province",
            timezone="Asia/Jakarta",
            invite_code="FPESD222",
            created_by=RINA[0],
            now=clock.now(),
            source_update_id=-7401,
        )
        await committees.toggle_cluster(tx, committee.id, seeded.cluster_id)
        await committees.join(tx, committee.id, SECRETARY[0], SECRETARY[1], "government", clock.now())
        await committees.appoint(tx, committee.id, SECRETARY[0], "secretary")
        await digests.schedule_next(tx, committee, clock.now())
        for number, kind in enumerate(("visit", "call", "visit")):
            fields = {"supporter_id": dinas.id, "who": dinas.name, "kind": kind, "visited_on": "2026-11-23"}
            await visits.record_visit(
                tx, seeded.cluster_id, {**fields, "agreed": "..."}, RINA[0], clock.now(), -90 - number
            )
    # Monday 30 Nov, 08.00 WIB: the digest of 23-29 Nov.
    clock.set(datetime(2026, 11, 30, 1, 0, 30, tzinfo=UTC))
    bot.application.services.reminders.wake()
    digest = await wait_for_any(secretary, "Ringkasan mingguan: FPESD Jawa Tengah", timeout=20)
    assert "3 kunjungan atau telepon" in digest.text

    # The overview's button lists every cluster's confirmed supporters, and downloads them.
    await secretary.press("📋 Ikhtisar")
    listing = await secretary.press("🤝 Pendukung klaster")
    assert "Sentra Batik Laweyan" in listing.text and "Dinas Koperasi" in listing.text
    assert "🎓 Pelatihan, 🛒 Pemasaran" in listing.text
    await secretary.press("⬇️ Unduh Excel")
    document = await wait_for_kind(secretary, "document")
    sheet = load_workbook(io.BytesIO(document.document)).active
    assert [c.value for c in sheet[2]][:3] == ["Sentra Batik Laweyan", "Dinas Koperasi", "Instansi pemerintah (dinas)"]
