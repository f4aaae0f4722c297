"""Retention (issue 20 item 5): while the bot runs, handled updates go after REMBUG_KEEP_UPDATES_DAYS (7)
and abandoned drafts after REMBUG_KEEP_DRAFTS_DAYS (30); nothing sent is touched."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from storage import forms, surveys
from storage.timestamps import to_text
from tests.e2e.chats import wait_for
from tests.e2e.seed import seed_cluster

FACILITATOR = (701, "Bu Ratna")
ANI = (711, "Ani")  # a member who types a letter and never sends it
DEWI = (721, "Dewi")  # starts joining, then leaves it for 31 days
EKO = (722, "Eko")  # starts joining two days later: 29 days by the end
SORRY = ("Maaf, ada gangguan", "Sorry, something went wrong")


async def _rows(db, sql: str, *params) -> list[tuple]:
    async with db.read() as conn, conn.execute(sql, params) as cursor:
        return [tuple(row) for row in await cursor.fetchall()]


async def _until(db, sql: str, expected, *params, timeout: float = 10.0) -> list[tuple]:
    """Poll until ``sql`` gives ``expected`` (the pass runs on the reminder engine's job, not in this task)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        rows = await _rows(db, sql, *params)
        if rows == expected or loop.time() > deadline:
            return rows
        await asyncio.sleep(0.05)


async def _seed_responses(db, cluster_id: int, now) -> dict[str, int]:
    """A closed round with one unsent and one sent response, an open round with one unsent response."""
    ids = {}
    async with db.transaction() as tx:
        for name, number in (("closed", 1), ("open", 2)):
            survey_round, _new = await surveys.open_round(
                tx,
                cluster_id=cluster_id,
                form_id="annex1",
                form_version=1,
                title=f"Survei {number}",
                closes_at=None,
                opened_by=FACILITATOR[0],
                now=now,
                source_update_id=-900 - number,
            )
            for who, respondent in (("unsent", ANI[0]), ("sent", FACILITATOR[0])):
                if name == "open" and who == "sent":
                    continue
                response = await forms.start_response(
                    tx,
                    form_id="annex1",
                    form_version=1,
                    subject=survey_round.subject,
                    respondent_id=respondent,
                    respondent_name=None,
                    entered_by=respondent,
                    now=now,
                )
                await forms.save_answer(tx, response.id, "q1", "a", None, now)
                if who == "sent":
                    await forms.submit(tx, response.id, now)
                ids[f"{name}-{who}"] = response.id
            if name == "closed":
                await surveys.close_round(tx, survey_round.id, now)
    return ids


async def test_old_updates_and_abandoned_drafts_are_deleted_while_the_bot_runs(emulator, clocked_bot, clock):
    db = clocked_bot.application.services.db
    for person in (FACILITATOR, ANI, DEWI, EKO):
        emulator.user(*person, language_code="id")
    start = clock.now()
    seeded = await seed_cluster(db, start, facilitator=FACILITATOR, groups={}, others=[ANI])
    responses = await _seed_responses(db, seeded.cluster_id, start)
    ani, dewi, eko = emulator.user(*ANI), emulator.user(*DEWI), emulator.user(*EKO)

    await ani.send("Bu, harga mori naik terus.")  # a letter offered, never sent: kept
    await wait_for(ani, "Saya sedang tidak bertanya apa pun.")
    await dewi.send("/start join-SEEDED22")
    await wait_for(dewi, "(1/5)")
    first_updates = await _rows(db, "SELECT update_id FROM inbox")
    assert len(first_updates) == 2

    clock.advance(days=2)
    await eko.send("/start join-SEEDED22")
    await wait_for(eko, "(1/5)")
    assert await _rows(db, "SELECT user_id FROM drafts WHERE flow = 'profile' ORDER BY user_id") == [
        (DEWI[0],),
        (EKO[0],),
    ]

    # Day 8: the two updates of day 0 are past 7 days and go without a restart; Eko's (6 days) stays.
    clock.advance(days=6)
    clocked_bot.application.services.reminders.wake()
    left = await _until(db, "SELECT update_id FROM inbox WHERE received_at < ?", [], to_text(start + timedelta(days=1)))
    assert left == []
    assert len(await _rows(db, "SELECT update_id FROM inbox")) == 1  # Eko's, 6 days old
    assert len(await _rows(db, "SELECT user_id FROM drafts WHERE flow = 'profile'")) == 2  # drafts wait 30 days

    # Day 31: Dewi's draft (31 days) and Ani's unsent letter go; Eko's draft (29 days) stays.
    clock.advance(days=23)
    clocked_bot.application.services.reminders.wake()
    drafts = await _until(db, "SELECT user_id FROM drafts WHERE flow = 'profile'", [(EKO[0],)])
    assert drafts == [(EKO[0],)]
    assert await _rows(db, "SELECT status FROM letters") == []
    # The unsent response of the closed round goes; the sent one and the open round's unsent one stay.
    kept = await _rows(db, "SELECT id FROM form_responses ORDER BY id")
    assert kept == sorted([(responses["closed-sent"],), (responses["open-unsent"],)])
    assert await _rows(db, "SELECT COUNT(*) FROM form_answers WHERE response_id = ?", responses["closed-sent"]) == [
        (1,)
    ]
    assert await _rows(db, "SELECT COUNT(*) FROM form_answers WHERE response_id = ?", responses["closed-unsent"]) == [
        (0,)
    ]

    # Dewi's joining conversation ended with its draft: her typed text is not taken as a lost answer.
    reply = await dewi.ask("Laweyan")
    assert reply is not None
    print("Dewi after 31 days:", reply.text[:120])
    assert not any(text in reply.text for text in SORRY)
    assert "(2/5)" not in reply.text
    # Eko's, 29 days old, goes on where it stood.
    after = await eko.press(f"✅ Pakai: {EKO[1]}")
    assert after is not None and "(2/5)" in after.text
    print(
        "retention: day 8 inbox rows",
        1,
        "; day 31 drafts",
        drafts,
        "; responses kept",
        kept,
    )
