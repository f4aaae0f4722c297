"""Tasks from meetings end to end, in Indonesian on the fake clock: the secretary hands out a task to two
members at a meeting; both get it; one taps ✅ Selesai (recorded once, even replayed), the other 🙋 Butuh
bantuan with a note, and the secretary hears of both; the reminder goes the day before at 09.00 WIB,
once across restarts, only to the one not done; the overdue task is on the next meeting's agenda and in
the committee's digest; /menu shows the open tasks; a restart while adding a task resumes at its step;
a plain member's tap on ➕ Tugas gets the role message."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from conversations.committee import digests
from conversations.meetings import invitations
from storage import committees, meetings, memberships, reminders, tasks, users
from storage.database import Database
from tests.e2e.chats import wait_for, wait_for_any
from tests.e2e.seed import seed_cluster
from tests.e2e.taps import data_of, quiet, refused

RINA, SARI, DEWI, BUDI, WATI = (861, "Rina"), (862, "Sari"), (863, "Dewi"), (864, "Budi"), (865, "Wati")
KOMITE = (866, "Kusuma Komite")
TOPIC = "Rapat koordinasi November"
TASK = "Kirim daftar harga kain ke koperasi"


async def _seed(bot, clock, emulator) -> int:
    """The cluster (Rina facilitates, Sari is its secretary) and this morning's meeting; the cluster's id."""
    for uid, name in (RINA, SARI, DEWI, BUDI, WATI, KOMITE):
        emulator.user(uid, name, language_code="id")
    db = bot.application.services.db
    seeded = await seed_cluster(db, clock.now(), facilitator=RINA, groups={}, others=[SARI, DEWI, BUDI, WATI])
    async with db.transaction() as tx:
        await memberships.set_roles(tx, seeded.cluster_id, SARI[0], secretary=True)
        await meetings.create_meeting(
            tx,
            cluster_id=seeded.cluster_id,
            kind="regular",
            topic=TOPIC,
            starts_at=clock.now() - timedelta(hours=1),
            place="Balai desa",
            latitude=None,
            longitude=None,
            agenda=None,
            audience={},
            capacity=None,
            reminders=(),
            checkin_code="tugas001",
            organiser_id=RINA[0],
            invitee_ids=[SARI[0], DEWI[0], BUDI[0], WATI[0]],
            now=clock.now(),
            source_update_id=-501,
        )
    return seeded.cluster_id


async def _begin_task(sari) -> None:
    """The secretary: /meetings → 📌 Tugas dari pertemuan → the meeting → ➕ Tugas → what."""
    await sari.ask("/meetings")
    listing = await sari.press("📌 Tugas dari pertemuan")
    assert "Pilih pertemuan" in listing.text
    page = await sari.press(next(t for t in sari.visible_buttons() if TOPIC in t))
    assert "Belum ada tugas yang dibagikan." in page.text
    asked = await sari.press("➕ Tugas")
    assert "Apa tugasnya?" in asked.text
    picker = await sari.ask(TASK)
    assert "Siapa yang mengerjakannya?" in picker.text


def _labels(message) -> list[str]:
    """The buttons of one message (``visible_buttons`` has the older messages' too)."""
    return [button["text"] for row in message.inline_keyboard for button in row]


def _count(person, text: str) -> int:
    return sum(text in m.text for m in person.bot_messages)


async def test_secretary_hands_out_a_task_to_two_members_who_answer_and_are_reminded_once(
    emulator, clocked_bot, clock, settings
):
    bot = clocked_bot
    cluster_id = await _seed(bot, clock, emulator)
    sari, dewi, budi = emulator.users[SARI[0]], emulator.users[DEWI[0]], emulator.users[BUDI[0]]

    # Monday 23 Nov 2026, 10.00 WIB: at the meeting's notes, Sari hands out a task to Dewi and Budi.
    await _begin_task(sari)
    await sari.press("▫️ Dewi")
    await sari.press("▫️ Budi")
    due = await sari.press("✅ Selesai (2)")
    assert "Sampai kapan?" in due.text and "Budi, Dewi" in due.text
    saved = await sari.press("Seminggu lagi")
    assert "✅ Tugas tersimpan: <b>" in saved.html or "Tugas tersimpan" in saved.text
    assert "Senin, 30 Nov 2026" in saved.text and "29 Nov 2026, 09.00 WIB" in saved.text

    # Both owners get it, with ✅ Selesai / 🙋 Butuh bantuan.
    for owner, other in ((dewi, "Budi"), (budi, "Dewi")):
        card = await wait_for_any(owner, "Tugas untuk Anda")
        assert TASK in card.text and f"Bersama: {other}" in card.text and TOPIC in card.text
        assert "dari Sari" in card.text
    done_data = data_of(dewi, "✅ Selesai")
    await dewi.press("✅ Selesai")
    await wait_for(dewi, "Tercatat selesai")
    told = await wait_for_any(sari, "Dewi sudah menyelesaikan tugas")
    assert TASK in told.text
    await dewi.tap_data(dewi.last().message_id, done_data)  # tapped again: recorded once
    await dewi.wait_reply()
    assert dewi.callback_answers[-1][0] == "Tugas ini sudah tercatat selesai."

    await budi.press("🙋 Butuh bantuan")
    await wait_for(budi, "Bantuan apa yang Anda perlukan?")
    await budi.ask("Belum tahu harga terbaru dari pemasok")
    await wait_for(budi, "Permintaan bantuan Anda")
    helped = await wait_for_any(sari, "Budi butuh bantuan untuk tugas")
    assert "Catatan: Belum tahu harga terbaru dari pemasok" in helped.text

    # The process dies after Dewi's ✅ was stored but before it was marked handled: the replay records nothing new.
    emulator.expected_errors = ("query is too old", "message is not modified")
    db = bot.application.services.db
    async with (
        db.read() as conn,
        conn.execute("SELECT MIN(update_id) FROM inbox WHERE payload LIKE ?", (f"%{done_data}%",)) as cursor,
    ):
        (update_id,) = await cursor.fetchone()
    await bot.stop()
    database = await Database.open(settings.database)
    async with database.transaction() as tx:
        await tx.execute("UPDATE inbox SET handled_at = NULL WHERE update_id = ?", (update_id,))
    await database.close()
    await bot.start()
    await bot.idle()
    await quiet(bot)
    await asyncio.sleep(0.3)
    assert _count(sari, "Dewi sudah menyelesaikan tugas") == 1
    async with bot.application.services.db.read() as conn:
        async with conn.execute("SELECT COUNT(*) FROM outbox WHERE batch LIKE 'task:%:done:%'") as cursor:
            assert (await cursor.fetchone())[0] == 1
        task = (await tasks.open_tasks_of_cluster(conn, cluster_id))[0]
        due_row = await reminders.get_by_key(conn, f"task:{task.id}:reminder")
    assert {o.full_name: o.status for o in task.owners} == {"Dewi": "done", "Budi": "help"}
    assert due_row is not None and due_row.due_at == datetime(2026, 11, 29, 2, 0, tzinfo=UTC)  # 09.00 WIB

    # The reminder the day before at 09.00 WIB, across restarts: once, to Budi only.
    await bot.restart()
    clock.set(datetime(2026, 11, 29, 1, 59, tzinfo=UTC))
    bot.application.services.reminders.wake()
    await quiet(bot)
    assert _count(budi, "Pengingat: batas waktu tugas besok") == 0
    clock.set(datetime(2026, 11, 29, 2, 0, 30, tzinfo=UTC))
    bot.application.services.reminders.wake()
    reminder = await wait_for_any(budi, "Pengingat: batas waktu tugas besok")
    assert TASK in reminder.text and "✅ Selesai" in budi.visible_buttons()
    await bot.restart()
    bot.application.services.reminders.wake()
    await quiet(bot)
    await asyncio.sleep(0.6)
    assert _count(budi, "Pengingat: batas waktu tugas besok") == 1
    assert _count(dewi, "Pengingat: batas waktu tugas besok") == 0

    # The meeting's page shows its tasks and their status.
    rina = emulator.users[RINA[0]]
    await rina.ask("/meetings")
    page = await rina.press(next(t for t in rina.visible_buttons() if TOPIC in t))
    assert "📌 1 tugas dibagikan: 0 selesai, 1 butuh bantuan" in page.text
    tasks_page = await rina.press("📌 Tugas (1)")
    assert "✅ Dewi" in tasks_page.text and "🙋 Budi" in tasks_page.text
    assert "Budi: Belum tahu harga terbaru dari pemasok" in tasks_page.text


async def test_an_overdue_task_is_on_the_next_agenda_in_the_digest_and_in_the_owners_menu(emulator, clocked_bot, clock):
    bot = clocked_bot
    cluster_id = await _seed(bot, clock, emulator)
    sari, dewi, budi = emulator.users[SARI[0]], emulator.users[DEWI[0]], emulator.users[BUDI[0]]
    await _begin_task(sari)
    await sari.press("▫️ Dewi")
    await sari.press("▫️ Budi")
    await sari.press("✅ Selesai (2)")
    await sari.ask("25-11-2026")
    await wait_for(sari, "Tugas tersimpan")
    await wait_for_any(dewi, "Tugas untuk Anda")
    await dewi.press("✅ Selesai")
    await wait_for(dewi, "Tercatat selesai")

    # /menu shows Budi his open task; Dewi, done, sees no such button.
    menu = await budi.ask("/menu")
    assert "📌 Tugas saya (1)" in _labels(menu), menu.text
    mine = await budi.press("📌 Tugas saya (1)")
    assert TASK in mine.text and "1 tugas belum selesai." in mine.text
    menu = await dewi.ask("/menu")
    assert not any(t.startswith("📌 Tugas saya") for t in _labels(menu))

    # Tuesday 1 Dec: the task is past its day. The next meeting's card brings it back on the agenda.
    clock.set(datetime(2026, 12, 1, 3, 0, tzinfo=UTC))
    db = bot.application.services.db
    async with db.transaction() as tx:
        await users.remember_user(tx, KOMITE[0], KOMITE[1], None, None, "id", clock.now())
        committee, _new = await committees.create_committee(
            tx,
            name="FPESD Jawa Tengah",
            level="province",
            timezone="Asia/Jakarta",
            invite_code="FPESD333",
            created_by=RINA[0],
            now=clock.now(),
            source_update_id=-7501,
        )
        await committees.toggle_cluster(tx, committee.id, cluster_id)
        await committees.join(tx, committee.id, KOMITE[0], KOMITE[1], "government", clock.now())
        await committees.appoint(tx, committee.id, KOMITE[0], "secretary")
        await digests.schedule_next(tx, committee, clock.now())
        following, _new = await meetings.create_meeting(
            tx,
            cluster_id=cluster_id,
            kind="regular",
            topic="Rapat Desember",
            starts_at=datetime(2026, 12, 9, 2, 0, tzinfo=UTC),
            place="Balai desa",
            latitude=None,
            longitude=None,
            agenda="Pameran akhir tahun",
            audience={},
            capacity=None,
            reminders=(),
            checkin_code="tugas002",
            organiser_id=RINA[0],
            invitee_ids=[DEWI[0], BUDI[0]],
            now=clock.now(),
            source_update_id=-502,
        )
        await invitations.plan_invitations(tx, following, [DEWI[0], BUDI[0]], clock.now())
    bot.application.services.outbox.wake()
    card = await wait_for_any(dewi, "Rapat Desember")
    assert "Pameran akhir tahun" in card.text
    assert "📌 1 tugas terlambat dari pertemuan sebelumnya" in card.text and TASK in card.text

    # Monday 7 Dec, 08.00 WIB: the committee's digest counts the cluster's overdue task.
    clock.set(datetime(2026, 12, 7, 1, 0, 30, tzinfo=UTC))
    bot.application.services.reminders.wake()
    digest = await wait_for_any(emulator.users[KOMITE[0]], "Ringkasan mingguan: FPESD Jawa Tengah", timeout=20)
    assert "1 tugas terlambat" in digest.text

    # Budi's list says it is overdue; ✅ from the list closes it, and the menu no longer offers it.
    await budi.ask("/menu")
    mine = await budi.press("📌 Tugas saya (1)")
    assert "⚠️ terlambat" in mine.text
    await budi.press("✅ 1. Selesai")
    await wait_for(budi, "Tercatat selesai")
    menu = await budi.ask("/menu")
    assert not any(t.startswith("📌 Tugas saya") for t in _labels(menu))


async def test_a_restart_while_adding_a_task_resumes_at_the_same_step(emulator, clocked_bot, clock):
    bot = clocked_bot
    await _seed(bot, clock, emulator)
    sari = emulator.users[SARI[0]]
    await _begin_task(sari)
    await sari.press("▫️ Dewi")
    await bot.restart()
    picker = await sari.press("▫️ Budi")
    assert "☑️ Dewi" in sari.visible_buttons() and "☑️ Budi" in sari.visible_buttons(), picker.text
    await sari.press("✅ Selesai (2)")
    await bot.restart()
    reply = await sari.ask("20-11-2026")
    assert "Hari itu sudah lewat" in reply.text
    reply = await sari.ask("15-12-2026")
    assert "Tugas tersimpan" in reply.text and "Selasa, 15 Des 2026" in reply.text
    assert "Budi, Dewi" in reply.text
    await wait_for_any(emulator.users[BUDI[0]], "Tugas untuk Anda")


async def test_a_plain_member_pressing_add_task_gets_the_role_message(emulator, clocked_bot, clock):
    bot = clocked_bot
    await _seed(bot, clock, emulator)
    wati = emulator.users[WATI[0]]
    await wati.ask("/menu")
    said = await refused(bot, wati, "tk1:add:1")
    assert said == "Hanya fasilitator atau sekretaris klaster ini yang dapat melakukan ini."
    said = await refused(bot, wati, "tk1:m:0")
    assert said == "Hanya fasilitator atau sekretaris klaster ini yang dapat melakukan ini."
    # The facilitator finds ➕ Tugas on the meeting's page and under the notes just recorded.
    rina = emulator.users[RINA[0]]
    await rina.ask("/meetings")
    await rina.press(next(t for t in rina.visible_buttons() if TOPIC in t))
    assert "➕ Tugas" in rina.visible_buttons()
    await rina.press("📝 Catatan dan keputusan")
    await rina.ask("Harga kain naik; koperasi perlu daftar harga.")
    summary = await rina.ask("Daftar harga dikirim ke koperasi minggu depan.")
    assert "Daftar harga dikirim" in summary.text and "➕ Tugas" in _labels(summary)
    asked = await rina.press("➕ Tugas")
    assert "Apa tugasnya?" in asked.text and TOPIC in asked.text
