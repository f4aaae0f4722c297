"""Typed text goes to the flow the person is in: leaving a form releases its hold, coming back resumes it."""

from __future__ import annotations

from storage import brainstorm_votes, drafts, small_groups
from tests.e2e.chats import wait_for
from tests.e2e.seed import seed_cluster, seed_session

FACILITATOR = (701, "Rina")
MEMBERS = [(711, "Ani"), (712, "Bayu")]


async def _seed(bot, clock, emulator, language: str):
    for uid, name in (FACILITATOR, *MEMBERS):
        emulator.user(uid, name, language_code=language)
    db = bot.application.services.db
    seeded = await seed_cluster(
        db, clock.now(), facilitator=FACILITATOR, groups={"Grup Utara": MEMBERS}, language=language
    )
    return seeded, db


async def test_a_plan_left_at_its_first_question_for_a_meeting_gives_the_topic_to_the_meeting(
    emulator, clocked_bot, clock
):
    seeded, db = await _seed(clocked_bot, clock, emulator, "en")
    async with db.transaction() as tx:  # a shortlisted theme to plan from (the brainstorming is tested elsewhere)
        session = await seed_session(
            tx, seeded.cluster_id, "What holds us back?", FACILITATOR[0], [m[0] for m in MEMBERS], clock.now()
        )
        theme = await brainstorm_votes.create_theme(tx, session.id, "Natural dyes", clock.now())
        await brainstorm_votes.save_shortlist(tx, session.id, [(theme.id, "Natural dyes", 7, 1)])
    rina = emulator.user(*FACILITATOR)
    await rina.ask("/plans")
    await rina.press("➕ New plan")
    reply = await rina.press("⭐ Natural dyes")
    assert "1. Why is it done" in reply.text

    await rina.ask("/meeting")
    await rina.press("FGD-1")
    reply = await rina.ask("Natural dye suppliers")
    assert "Which day?" in reply.text  # the meeting took the topic
    async with db.read() as conn:
        assert (await drafts.get_draft(conn, FACILITATOR[0], "meeting"))["topic"] == "Natural dye suppliers"
        async with conn.execute("SELECT question, value FROM form_answers") as cursor:
            plan_answers = dict(await cursor.fetchall())
    assert (
        "why" not in plan_answers and '"Natural dye suppliers"' not in plan_answers.values()
    )  # the plan kept none of it

    # Back in the plan, its first question waits, and typed text answers it again.
    await rina.ask("/cancel")
    await rina.ask("/plans")
    reply = await rina.press("➕ New plan")
    reply = await rina.press("⭐ Natural dyes")
    assert "1. Why is it done" in reply.text
    reply = await rina.ask("Dye costs fall")
    assert "2." in reply.text


async def test_a_survey_left_for_a_meeting_and_resumed_keeps_its_answers(emulator, clocked_bot, clock):
    seeded, db = await _seed(clocked_bot, clock, emulator, "id")
    async with db.transaction() as tx:
        await small_groups.set_leader(tx, seeded.group_ids["Grup Utara"], MEMBERS[0][0])
    fac, ani = emulator.user(*FACILITATOR), emulator.user(*MEMBERS[0])
    await fac.ask("/survey")
    await fac.press("➕ Buka putaran survei")
    await fac.ask("Kondisi klaster 2026")
    await fac.press("1 minggu lagi")
    await wait_for(ani, "meminta pendapat Anda", timeout=15)
    await ani.press("📝 Jawab sekarang")
    await ani.press("2")
    reply = await ani.press("3")
    assert "3/8" in reply.text

    # Ani, a group leader, leaves the questionnaire to schedule her group's meeting.
    await ani.ask("/meeting")
    await ani.press("Pertemuan grup kecil")
    reply = await ani.ask("Stok kain")
    assert "Hari apa?" in reply.text  # the topic went to the meeting, not "press a number button"
    await ani.ask("/cancel")

    # She comes back by /survey: the same question, her two answers kept.
    await ani.ask("/survey")
    reply = await ani.press("▶ Lanjutkan: Kondisi klaster 2026")
    assert "3/8" in reply.text
    reply = await ani.press("◀ Kembali")
    assert "2/8" in reply.text and "✅ <b>3.</b>" in reply.html
    await ani.press("3")
    for number in (3, 3, 3, 3, 3, 3):
        await ani.press(str(number))
    await ani.press("✅ Kirim jawaban saya")
    assert "Terima kasih" in ani.last_text()
    async with db.read() as conn, conn.execute("SELECT COUNT(*) FROM form_answers") as cursor:
        assert (await cursor.fetchone())[0] == 8
