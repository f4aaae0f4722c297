"""Action plans in Indonesian over months on the fake clock: a monthly cadence chosen with a button,
the owner moving their hour, a voice note as evidence, the automatic mid-term prompt at the plan's
midpoint, and the quarterly prompt reaching a board member who is not a facilitator."""

from __future__ import annotations

from datetime import UTC, datetime

from storage import action_plans, memberships, plan_checkins
from tests.e2e.chats import wait_for, wait_for_any
from tests.e2e.seed import seed_cluster

RINA, DEWI, EKO = (521, "Rina"), (522, "Dewi"), (523, "Eko")


async def _seed(bot, clock, emulator):
    for uid, name in (RINA, DEWI, EKO):
        emulator.user(uid, name, language_code="id")
    db = bot.application.services.db
    seeded = await seed_cluster(db, clock.now(), facilitator=RINA, groups={}, others=[DEWI, EKO])
    async with db.transaction() as tx:  # a drafted plan (building one is shown in test_plans.py)
        plan = await action_plans.create_plan(tx, seeded.cluster_id, "Pewarna alam", None, RINA[0], clock.now())
        await action_plans.apply_answers(
            tx,
            plan.id,
            {
                "title": "Pewarna alam",
                "why": "Biaya pewarna turun",
                "budget": 5_000_000,
                "executing_level": "district",
                "starts_on": "2026-12-01",
                "ends_on": "2027-05-31",
            },
        )
        await action_plans.set_pdm(tx, plan.id, "Pendapatan naik", "Anggota membeli pewarna bersama", None)
        activity = await action_plans.add_activity(tx, plan.id, "Pelatihan pewarna", "2026-12-01", "2027-05-31")
        await action_plans.update_activity(tx, activity.id, owner_id=DEWI[0])
        await memberships.assign_position(tx, seeded.cluster_id, "chair", EKO[0], clock.now(), None)
    return plan, db


async def test_monthly_check_ins_a_moved_hour_voice_evidence_and_the_automatic_prompts(emulator, clocked_bot, clock):
    bot = clocked_bot
    plan, _db = await _seed(bot, clock, emulator)
    rina, dewi, eko = (emulator.users[uid] for uid, _name in (RINA, DEWI, EKO))
    wake = bot.application.services.reminders.wake

    await rina.ask("/plans")
    await rina.press("Pewarna alam")
    card = await rina.press("setiap bulan")
    assert "setiap bulan" in card.text
    # Publishing asks once, with how many members will be told; "Batal" keeps the plan a draft.
    asked = await rina.press("📣 Umumkan")
    assert asked.text.startswith("3 anggota akan diberi tahu tentang rencana ini") and "Umumkan sekarang?" in asked.text
    await rina.press("Batal")
    assert "📣 Umumkan" in rina.visible_buttons()
    assert all("Pewarna alam" not in m.text for m in dewi.bot_messages)
    await rina.press("📣 Umumkan")
    await rina.press("Ya, umumkan")
    assert rina.callback_answers[-1][0].startswith("Diumumkan")
    await wait_for_any(dewi, "Pewarna alam")

    # Tue 1 Dec 09.00 WIB: the first monthly prompt. Dewi moves her hour to 16.00.
    clock.set(datetime(2026, 12, 1, 2, 1, tzinfo=UTC))
    wake()
    await wait_for(dewi, "Saatnya laporan kemajuan untuk Pelatihan pewarna")
    await dewi.press("🕘 Ganti jam")
    reply = await dewi.press("16.00")
    assert "Mulai sekarang saya akan bertanya pukul 16.00 WIB" in reply.text
    await dewi.press("✍️ Lapor sekarang")
    reply = await dewi.press("2")  # Sesuai rencana
    if "nilai indikator" in reply.text.lower():
        await dewi.press("Lewati")
    await dewi.press("1")  # Yakin
    await dewi.ask("Peserta 12 orang")
    await wait_for(dewi, "Periksa jawaban Anda")
    await dewi.press("✅ Kirim jawaban saya")
    await wait_for(dewi, "Kalau mau, tambahkan foto atau pesan suara sebagai bukti")
    await dewi.press("📎 Tambah foto atau pesan suara")
    await dewi.send_voice(b"OggS voice evidence", duration=20)
    await wait_for(dewi, "1 bukti tersimpan: 1 pesan suara.")
    async with bot.application.services.db.read() as conn:
        (checkin,) = await plan_checkins.checkins_of_plan(conn, plan.id)
        pieces = await plan_checkins.evidence_of_checkin(conn, checkin.id)
    assert (checkin.status, checkin.note, [p.kind for p in pieces]) == ("on_track", "Peserta 12 orang", ["voice"])

    # Fri 1 Jan 2027, 09.00 WIB: the quarterly prompt reaches the facilitator and the board's chair
    # (who gets no button to schedule meetings); Dewi is not asked yet: her hour is 16.00 now.
    clock.set(datetime(2027, 1, 1, 2, 1, tzinfo=UTC))
    wake()
    await wait_for_any(eko, "triwulan 1 tahun 2027 dimulai", timeout=15)
    await wait_for_any(rina, "triwulan 1 tahun 2027 dimulai", timeout=15)
    quarterly = next(m for m in eko.bot_messages if "Evaluasi triwulan" in str(m.buttons))
    assert "Jadwalkan pertemuan koordinasi" not in str(quarterly.buttons)
    # (December's prompt became her report in place, so any prompt on screen now is January's.)
    assert not any("Saatnya laporan kemajuan" in m.text for m in dewi.bot_messages)
    clock.set(datetime(2027, 1, 1, 9, 1, tzinfo=UTC))  # 16.01 WIB
    wake()
    await wait_for_any(dewi, "Saatnya laporan kemajuan untuk Pelatihan pewarna")
    assert len([m for m in dewi.bot_messages if "Saatnya laporan kemajuan" in m.text]) == 1  # once

    # Mon 1 Mar 2027, 08.00 WIB: the plan is halfway; the facilitator is asked for the mid-term evaluation.
    clock.set(datetime(2027, 3, 1, 1, 1, tzinfo=UTC))
    wake()
    halfway = await wait_for_any(rina, "sudah setengah jalan", timeout=15)
    assert "Pewarna alam" in halfway.text and "🔍 Evaluasi pertengahan" in str(halfway.buttons)
    assert not any("setengah jalan" in m.text for m in eko.bot_messages)  # facilitators only
