"""Nothing a user sends is lost: restarts and kill -9 resume every conversation where it stood."""

from __future__ import annotations

import asyncio
import dataclasses
import re

from storage import clusters, drafts
from storage.database import Database
from tests.e2e.conftest import ADMIN_ID
from tests.harness import ChildBot, child_env

STEPS = ("Sentra Batik Laweyan", "Kota Surakarta", "Jawa Tengah", "batik tulis")


async def _count(database_path, sql: str, *params) -> int:
    db = await Database.open(database_path)
    try:
        async with db.read() as conn, conn.execute(sql, params) as cursor:
            return (await cursor.fetchone())[0]
    finally:
        await db.close()


async def _rows(database_path, sql: str) -> list[tuple]:
    db = await Database.open(database_path)
    try:
        async with db.read() as conn, conn.execute(sql) as cursor:
            return list(await cursor.fetchall())
    finally:
        await db.close()


async def test_a_restart_in_the_middle_of_a_flow_resumes_at_the_same_step(emulator, bot, settings):
    admin = emulator.user(ADMIN_ID, "Budi", language_code="id")
    await admin.ask("/newcluster")
    await admin.ask(STEPS[0])
    reply = await admin.ask(STEPS[1])
    assert "(3/5)" in reply.text and "provinsi" in reply.text
    await bot.restart()
    reply = await admin.ask(STEPS[2])
    assert "(4/5)" in reply.text
    await admin.ask(STEPS[3])
    reply = await admin.press("WIB")
    assert "Nama: Sentra Batik Laweyan" in reply.text and "Kabupaten/kota: Kota Surakarta" in reply.text
    await admin.press("✅ Buat klaster")
    assert any("Klaster Sentra Batik Laweyan sudah dibuat" in m.text for m in admin.bot_messages)
    async with bot.application.services.db.read() as conn:
        assert await clusters.count_clusters(conn) == 1
        assert await drafts.get_draft(conn, ADMIN_ID, "new_cluster") == {}


async def test_kill_9_in_the_middle_of_a_flow_loses_no_answer(emulator, settings, tmp_path):
    child = ChildBot(emulator, child_env(settings), tmp_path / "bot.log")
    await child.start()
    try:
        admin = emulator.user(ADMIN_ID, "Budi", language_code="id")
        await admin.ask("/newcluster", timeout=20)
        await admin.ask(STEPS[0])
        await admin.ask(STEPS[1])
        await child.kill()
        # While the bot is dead the answer waits at "Telegram".
        await admin.send(STEPS[2])
        await child.start()
        reply = await admin.wait_reply(timeout=20)
        assert "(4/5)" in reply.text
        await admin.ask(STEPS[3])
        reply = await admin.press("WIB")
        assert "Nama: Sentra Batik Laweyan" in reply.text
        assert "Kabupaten/kota: Kota Surakarta" in reply.text
        assert "Provinsi: Jawa Tengah" in reply.text
        await admin.press("✅ Buat klaster")
        assert any("sudah dibuat" in m.text for m in admin.bot_messages)
    finally:
        await child.terminate()
    assert await _count(settings.database, "SELECT COUNT(*) FROM clusters") == 1


async def test_kill_9_during_a_burst_answers_every_message_and_stores_nothing_twice(emulator, settings, tmp_path):
    admins = list(range(7001, 7021))  # 20 admins, 5 messages each
    settings = dataclasses.replace(settings, admin_ids=frozenset(admins))
    emulator.flood_expected = True  # the restarted process starts with fresh rate buckets
    child = ChildBot(emulator, child_env(settings), tmp_path / "bot.log")
    await child.start()
    people = [emulator.user(uid, f"Admin {uid}", language_code="id") for uid in admins]

    async def burst(person) -> None:
        for text in ("/newcluster", f"Sentra {person.id}", "Kota Surakarta", "Jawa Tengah", "batik"):
            await person.send(text)

    def replies_seen() -> int:
        return sum(len(person.bot_messages) for person in people)

    try:
        await asyncio.gather(*(burst(person) for person in people))
        for _ in range(400):  # kill once about a third of the 100 answers went out
            if replies_seen() >= 30:
                break
            await asyncio.sleep(0.02)
        await child.kill()
        killed_at = replies_seen()
        await child.start()

        async def answered(person) -> bool:
            for _ in range(600):
                steps = {int(m) for msg in person.bot_messages for m in re.findall(r"\((\d)/5\)", msg.text)}
                if steps >= {1, 2, 3, 4, 5}:
                    return True
                await asyncio.sleep(0.05)
            return False

        results = await asyncio.gather(*(answered(person) for person in people))
        assert all(results), [p.id for p, ok in zip(people, results, strict=True) if not ok]
        assert killed_at < 100  # the kill really happened in the middle of the burst
        # Each person finishes; a replayed update must not create a second cluster.
        for person in people:
            await person.press("WIB", timeout=20)
        await asyncio.gather(*(person.press("✅ Buat klaster", timeout=20) for person in people))
    finally:
        await child.terminate()
    assert await _count(settings.database, "SELECT COUNT(*) FROM clusters") == 20
    assert await _count(settings.database, "SELECT COUNT(DISTINCT name) FROM clusters") == 20
    assert await _count(settings.database, "SELECT COUNT(*) FROM memberships WHERE is_facilitator = 1") == 20
    assert await _count(settings.database, "SELECT COUNT(*) FROM inbox WHERE handled_at IS NULL") == 0
    assert await _count(settings.database, "SELECT COUNT(*) FROM drafts") == 0


_CARDS = "SELECT status, COUNT(*) FROM outbox WHERE batch LIKE 'meeting:%:invite' GROUP BY status"


async def test_kill_9_while_100_invitation_cards_go_out_sends_the_rest_after_the_restart_and_none_twice(
    emulator, settings, tmp_path
):
    from datetime import UTC, datetime, timedelta

    from conversations.meetings import invitations
    from storage import meetings
    from tests.e2e.seed import seed_cluster

    invitees = [(9101 + i, f"Anggota {i + 1}") for i in range(100)]
    for uid, name in invitees:
        emulator.user(uid, name, language_code="id")
    emulator.user(ADMIN_ID, "Budi", language_code="id")
    emulator.flood_expected = True  # the restarted process starts with fresh rate buckets
    now = datetime.now(UTC)
    db = await Database.open(settings.database)
    seeded = await seed_cluster(db, now, facilitator=(ADMIN_ID, "Budi"), groups={}, others=invitees)
    async with db.transaction() as tx:  # as the scheduling flow stores it: 100 cards due at once
        meeting, _new = await meetings.create_meeting(
            tx,
            cluster_id=seeded.cluster_id,
            kind="fgd1",
            topic="Pewarna alami",
            starts_at=now + timedelta(days=3),
            place="Balai Desa",
            latitude=None,
            longitude=None,
            agenda=None,
            audience={"everyone": True},
            capacity=None,
            reminders=(1440,),
            checkin_code="HADIR123",
            organiser_id=ADMIN_ID,
            invitee_ids=[uid for uid, _ in invitees],
            now=now,
            source_update_id=-1,
        )
        await invitations.plan_invitations(tx, meeting, [uid for uid, _ in invitees], now)
    await db.close()

    def cards() -> dict[int, int]:
        return {uid: sum(1 for m in emulator.sent_to(uid) if "Pewarna alami" in m.text) for uid, _ in invitees}

    child = ChildBot(emulator, child_env(settings), tmp_path / "bot.log")
    await child.start(wait=False)  # the cards start going out before the inbox polls
    try:
        for _ in range(3000):
            if sum(cards().values()) >= 10:
                break
            await asyncio.sleep(0.005)
        await child.kill()
        sent_before = sum(cards().values())
        await child.start()
        for _ in range(1200):
            status = dict(await _rows(settings.database, _CARDS))
            reports = [m for m in emulator.sent_to(ADMIN_ID) if "Undangan untuk" in m.text]
            if not status.get("pending") and not status.get("sending") and reports:
                break
            await asyncio.sleep(0.05)
    finally:
        await child.terminate()
    assert 10 <= sent_before < 100  # the kill came in the middle of the batch
    # The cards are one outbox batch: each invitee's row ends sent, or unknown for the one caught mid-request.
    status = dict(await _rows(settings.database, _CARDS))
    doubtful_ids = {
        row[0]
        for row in await _rows(
            settings.database,
            "SELECT recipient_id FROM outbox WHERE batch LIKE 'meeting:%:invite' AND status = 'unknown'",
        )
    }
    assert status.get("unknown", 0) <= 1 and status.get("sent", 0) + status.get("unknown", 0) == 100, status
    received = cards()
    assert all(n == 1 for uid, n in received.items() if uid not in doubtful_ids), received  # none lost, none twice
    assert all(received[uid] in (0, 1) for uid in doubtful_ids)  # the one in flight: arrived or not, never twice
    # The organiser's delivery report came once, after the restart, with every card counted.
    (report,) = [m for m in emulator.sent_to(ADMIN_ID) if "Undangan untuk" in m.text]
    assert f"Terkirim: {status.get('sent', 0)} dari 100" in report.text, report.text
