"""Action plans end to end: from the shortlist through check-ins, a mid-term evaluation, a quarterly prompt, downloads."""

from __future__ import annotations

import asyncio
import csv
import io
import zipfile
from datetime import UTC, datetime

from openpyxl import load_workbook
from pypdf import PdfReader

from storage import brainstorm_votes, memberships
from tests.e2e.chats import wait_for, wait_for_alert, wait_for_any, wait_for_kind
from tests.e2e.seed import seed_cluster, seed_session
from tests.e2e.taps import data_of

FACILITATOR = (501, "Rina")
ANI, BAYU, CITRA = (511, "Ani"), (512, "Bayu"), (513, "Citra")


async def _seed(bot, clock, emulator):
    for uid, name in (FACILITATOR, ANI, BAYU, CITRA):
        emulator.user(uid, name, language_code="en")
    db = bot.application.services.db
    seeded = await seed_cluster(
        db, clock.now(), facilitator=FACILITATOR, groups={}, others=[ANI, BAYU, CITRA], language="en"
    )
    async with db.transaction() as tx:  # the brainstorming flow is tested elsewhere: its shortlist, stored
        session = await seed_session(
            tx, seeded.cluster_id, "What holds us back?", FACILITATOR[0], [ANI[0], BAYU[0]], clock.now()
        )
        theme = await brainstorm_votes.create_theme(tx, session.id, "Natural dyes", clock.now())
        await brainstorm_votes.save_shortlist(tx, session.id, [(theme.id, "Natural dyes", 7, 1)])
    return seeded, db


async def _type_all(person, *answers: str) -> None:
    for text in answers:
        await person.ask(text)


async def _press_on(person, about: str, label: str):
    """Press ``label`` on the newest bot message mentioning ``about``; wait for the reply."""
    message = next(m for m in reversed(person.bot_messages) if about in m.text and m.inline_keyboard)
    data = next(b["callback_data"] for row in message.inline_keyboard for b in row if b["text"] == label)
    await person.tap_data(message.message_id, data)
    return await person.wait_reply()


async def _send_form(person) -> None:
    await wait_for(person, "Check your answers")
    await person.press("✅ Send my answers")


async def _build_plan(fac, db, cluster_id: int) -> None:
    """The facilitator builds a plan from the shortlisted theme: nine questions, PDM, two activities."""
    await fac.ask("/plans")
    await fac.press("➕ New plan")
    reply = await fac.press("⭐ Natural dyes")
    assert "Natural dyes" in reply.text and "1. Why is it done" in reply.text  # the theme is the title
    await _type_all(fac, "Dye costs fall", "A shared dye supplier", "The FRK chair", "30-11-2026", "31-05-2027")
    reply = await fac.press("1")  # outside support: yes
    assert "Who is the supporter" in reply.text  # asked only because support is needed
    await _type_all(fac, "Dinas Perindustrian", "Training and a meeting room")
    await fac.press("1")  # executing level: district/city
    reply = await fac.ask("-5000")
    assert "That is too small: at least 0." in reply.text  # a negative budget
    await _type_all(fac, "15000000", "Monthly report to the FRK")
    await _send_form(fac)
    card = await wait_for(fac, "Status: draft")
    assert "Budget: Rp 15,000,000" in card.text and "Supporter: Dinas Perindustrian" in card.text
    assert "Executing level: District/city" in card.text

    await fac.press("🎯 Goal and purpose")
    await _type_all(fac, "Batik firms earn more", "Members buy natural dyes together", "Rp, a trainer")
    await _send_form(fac)
    await wait_for(fac, "Goal:")
    await fac.press("➕ Output")
    await fac.ask("A shared natural-dye supplier")
    await _send_form(fac)
    await wait_for(fac, "Output 1:")
    await fac.press("➕ Indicator")
    await fac.press("1. A shared natural-dye supplier")
    await _type_all(fac, "Members buying together", "people", "0")
    reply = await fac.ask("twenty")
    assert "Please type a whole number" in reply.text  # an indicator value of the wrong type
    await fac.ask("20")
    await _send_form(fac)
    await wait_for(fac, "baseline 0, target 20")

    await fac.press("➕ Activity")
    await _type_all(fac, "Survey of suppliers", "01-11-2026", "31-12-2026")
    await _send_form(fac)
    await wait_for_any(fac, "outside the plan")  # a date outside the plan: the date is asked again
    await fac.ask("30-11-2026")
    await _send_form(fac)
    await wait_for(fac, "Who is responsible for “Survey of suppliers”?")
    await fac.press("Ani")
    await fac.press("Members buying together")
    await fac.press("➕ Activity")
    await _type_all(fac, "Dye training", "30-11-2026", "31-05-2027")
    await _send_form(fac)
    await wait_for(fac, "Who is responsible")
    await fac.press("Bayu")
    await fac.press("No indicator")
    # An owner who has left the cluster cannot be picked.
    await fac.press("➕ Activity")
    await _type_all(fac, "Price list", "30-11-2026", "31-01-2027")
    await _send_form(fac)
    await wait_for(fac, "Who is responsible")
    async with db.transaction() as tx:
        await memberships.leave_cluster(tx, cluster_id, CITRA[0], datetime(2026, 11, 23, 3, 30, tzinfo=UTC))
    await fac.press("Citra")
    assert fac.callback_answers[-1] == ("Citra has left the cluster. Please pick another owner.", True)
    await fac.press("Ani")
    await fac.press("No indicator")
    card = await wait_for(fac, "Price list")
    assert "Survey of suppliers · Ani" in card.text and "Dye training · Bayu" in card.text


async def test_a_plan_from_the_shortlist_runs_through_check_ins_evaluations_and_downloads(
    emulator, clocked_bot, clock, tmp_path
):
    bot = clocked_bot
    seeded, db = await _seed(bot, clock, emulator)
    fac = emulator.users[FACILITATOR[0]]
    ani, bayu = emulator.users[ANI[0]], emulator.users[BAYU[0]]
    await _build_plan(fac, db, seeded.cluster_id)

    # A forged "Yes" without its confirm screen publishes nothing; "📣 Publish" asks first, counting who
    # will be told: the facilitator, Ani and Bayu (Citra has left).
    publish = data_of(fac, "📣 Publish")
    await fac.tap_data(fac.last().message_id, publish.replace(":pub:", ":puby:"))
    await fac.wait_reply()
    assert fac.callback_answers[-1] == ("Please confirm this on its confirm screen first. Nothing was changed.", True)
    asked = await fac.press("📣 Publish")
    assert asked.text == (
        "3 members will be told about this plan, and owners get their progress reports. Publish it now?"
    )
    await fac.press("Yes, publish")
    assert fac.callback_answers[-1][0].startswith("Published")
    await wait_for_any(ani, "has a new action plan")
    await wait_for_any(bayu, "has a new action plan")

    wake = bot.application.services.reminders.wake
    # Mon 30 Nov 09.00 WIB: the first weekly prompt to both owners.
    clock.set(datetime(2026, 11, 30, 2, 1, tzinfo=UTC))
    wake()
    await wait_for_any(ani, "progress report on Survey of suppliers")
    await wait_for_any(ani, "progress report on Price list")
    await wait_for(bayu, "Time for your progress report")
    # Ani snoozes until later today and is asked again.
    await _press_on(ani, "progress report on Survey of suppliers", "Later today")
    await wait_for_any(ani, "I will ask again on 30 Nov 2026, 12:01 WIB")
    clock.set(datetime(2026, 11, 30, 5, 2, tzinfo=UTC))
    wake()
    await wait_for(ani, "As you asked")
    await _press_on(ani, "progress report on Survey of suppliers", "✍️ Report now")
    await ani.press("2")  # on track
    reply = await ani.ask("five")
    assert "Please type a whole number" in reply.text
    await ani.ask("5")
    await ani.press("1")  # confident
    await ani.press("Skip")
    await _send_form(ani)
    await wait_for(ani, "your progress report on “Survey of suppliers” is saved")
    await ani.press("📎 Add a photo or voice note")
    await wait_for(ani, "Send the photo or voice note now")
    await ani.send_photo(b"\x89PNG fake evidence")
    await wait_for(ani, "1 piece of evidence saved: 1 photo.")

    # The bot restarts between two check-ins: nothing lost, nothing twice. (The new process cannot
    # know how fast the old one wrote to the facilitator's chat: a 429 it honours is correct.)
    emulator.flood_expected = True
    await bot.restart()
    wake = bot.application.services.reminders.wake
    clock.set(datetime(2026, 12, 2, 2, 1, tzinfo=UTC))  # Wed: Bayu's report is overdue; Ani reported
    wake()
    await wait_for(bayu, "is overdue")
    await wait_for_any(ani, "Price list (Natural dyes) is overdue")  # she reported on her other activity only
    assert not any("Survey of suppliers (Natural dyes) is overdue" in m.text for m in ani.bot_messages)
    seen = len(ani.bot_messages)

    clock.set(datetime(2026, 12, 7, 2, 1, tzinfo=UTC))  # the second week's prompt
    wake()
    for _attempt in range(200):
        if any("Time for your progress report on Survey" in m.text for m in ani.bot_messages[seen:]):
            break
        await asyncio.sleep(0.05)
    assert sum("Time for your progress report on Survey" in m.text for m in ani.bot_messages[seen:]) == 1
    await _press_on(ani, "progress report on Survey of suppliers", "✍️ Report now")
    await ani.press("2")
    await ani.ask("8")
    await ani.press("2")
    await ani.ask("Two suppliers visited")
    await _send_form(ani)
    await wait_for(ani, "is saved")
    assert not any("missed two" in m.text for m in fac.bot_messages)  # one miss: no note yet

    clock.set(datetime(2026, 12, 14, 2, 1, tzinfo=UTC))  # Bayu missed the second week too
    wake()
    await wait_for_any(fac, "Bayu has missed two progress reports in a row for “Dye training”")

    # A prompt answered twice: the first week's button again.
    await ani.tap_data(ani.bot_messages[-1].message_id, "pl1:ci:1:2026-11-30")  # activity 1, the first week
    await wait_for_alert(ani, "You already sent the progress report for this period. Thank you!")

    # The board: activities by status, overdue reports, indicators against target, and a chart.
    await fac.ask("/plans")
    await fac.press("Natural dyes")
    await fac.press("📊 Plan board")
    board = await wait_for_any(fac, "plan board")
    assert (
        "On track: 1" in board.text and "Members buying together (people): baseline 0, target 20, now 8" in board.text
    )
    assert "Overdue progress reports: 4" in board.text  # Bayu's two weeks, and Ani's other activity
    assert "• Dye training (Bayu)" in board.text
    await wait_for_kind(fac, "photo")
    # A broadcast to the owners whose progress report is overdue (Ani's other activity, Bayu's two weeks).
    await fac.ask("/broadcast")
    reply = await fac.press("⏰ Progress report overdue")
    assert "Chosen: Progress report overdue" in reply.text
    await fac.press("Done ▶")
    await fac.send("Please send your progress reports today.")
    review = await wait_for(fac, "This is how recipients will see it")
    assert "Recipients: 2" in review.text
    await fac.press("✅ Send now")
    await wait_for(bayu, "Please send your progress reports today.", timeout=15)
    await wait_for(ani, "Please send your progress reports today.", timeout=15)
    assert not any("progress reports today" in m.text for m in emulator.user(*CITRA).bot_messages)
    # A member sees the cluster's plans and their own activities.
    await ani.ask("/plans")
    reply = await ani.press("📋 My activities")
    assert "Survey of suppliers (Natural dyes): On track" in reply.text

    # The mid-term evaluation proposes a change; the plan gets a second version; the first stays readable.
    await fac.press("◀ Back")
    await fac.press("🔍 Mid-term evaluation")
    await wait_for_any(fac, "Are the activities on schedule?")
    await fac.press("3")
    await fac.press("2")
    await fac.press("3")
    await _type_all(fac, "The survey went well", "The supplier delivered late")
    await fac.press("1")  # change needed
    await fac.ask("Move the end and lower the target")
    await _send_form(fac)
    await wait_for(fac, "mid-term evaluation of")
    await fac.press("🛠 Change the plan")
    await _type_all(fac, "The supplier delivered late", "30-06-2027")
    await fac.press("Skip")  # the budget stays
    await fac.ask("15")
    await _send_form(fac)
    card = await wait_for(fac, "version 2")
    assert "30 Jun 2027" in card.text and "target 15" in card.text
    await fac.press("🗂 Versions")
    reply = await fac.press("Version 1")
    assert (
        "Version 1" in reply.text and "31 May 2027" in reply.text and "Members buying together: target 20" in reply.text
    )
    assert "Changed because: The supplier delivered late" in reply.text

    # The downloads read back with what was entered.
    await fac.press("◀ Back")
    await fac.press("◀ Back")
    await fac.press("⬇️ Download")
    pdf_message = await wait_for_kind(fac, "document", count=3)
    documents = [m for m in fac.bot_messages if m.kind == "document"][-3:]
    workbook = load_workbook(io.BytesIO(documents[0].document))
    sheet = workbook["Natural dyes"]
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "A shared natural-dye supplier" in cells and "Members buying together (people): 0 → 15" in cells
    assert "Batik firms earn more" in cells and "Survey of suppliers" in cells
    # The progress reports come in a ZIP with the photo sent as evidence, named by report number.
    assert documents[1].filename == "natural-dyes-progress.zip"
    assert "Progress reports of Natural dyes, with their evidence." in documents[1].text
    archive = zipfile.ZipFile(io.BytesIO(documents[1].document))
    assert archive.read("report-001-1-photo.jpg") == b"\x89PNG fake evidence"
    rows = list(csv.reader(io.StringIO(archive.read("natural-dyes-progress.csv").decode("utf-8-sig"))))
    assert rows[0][:5] == ["Report", "Activity", "Period from", "Owner", "Status"]
    assert rows[1][:9] == [
        "1",
        "Survey of suppliers",
        "2026-11-30",
        "Ani",
        "On track",
        "5",
        "high",
        "",
        "report-001-1-photo.jpg",
    ]
    assert rows[2][7] == "Two suppliers visited" and rows[2][8] == ""
    assert len(PdfReader(io.BytesIO(pdf_message.document)).pages) == 1

    # The quarter begins (Fri 1 Jan 2027, 08.00 WIB): quarterly prompt, no meeting held, so a meeting is proposed;
    # the year-end evaluation came on 20 Dec with the questionnaire prompt.
    clock.set(datetime(2027, 1, 1, 1, 1, tzinfo=UTC))
    wake()
    prompt = await wait_for_any(fac, "quarter 1 of 2027 begins")
    assert "No coordination meeting was held last quarter" in prompt.text
    assert ["📅 Schedule a coordination meeting"] in prompt.buttons
    year_end = await wait_for_any(fac, "the year 2026 is ending")
    assert ["📊 Run the questionnaire again"] in year_end.buttons
    await fac.tap_data(prompt.message_id, prompt.inline_keyboard[0][0]["callback_data"])
    await wait_for_any(fac, "How did the cluster's action plans progress last quarter?")
    await fac.press("1")
    await fac.press("2")
    await fac.ask("Supplier delays")
    await _send_form(fac)
    await wait_for(fac, "the evaluation is saved")
    await fac.tap_data(prompt.message_id, f"pl1:qe:{seeded.cluster_id}:2026q4")  # the prompt's button again
    await wait_for_alert(fac, "You already sent this evaluation. Thank you!")

    # A closed plan takes no more check-ins.
    await fac.ask("/plans")
    await fac.press("Natural dyes")
    await fac.press("🔒 Close the plan")
    latest = [m for m in ani.bot_messages if m.inline_keyboard and "Report now" in str(m.inline_keyboard)][-1]
    await ani.tap_data(latest.message_id, latest.inline_keyboard[0][0]["callback_data"])
    await wait_for_alert(ani, "This plan is closed; it takes no more changes or progress reports.")
    # Its downloads stay available once it is closed.
    before = len([m for m in fac.bot_messages if m.kind == "document"])
    await fac.ask("/plans")
    await fac.press("Natural dyes")
    await fac.press("⬇️ Download")
    await wait_for_kind(fac, "document", count=before + 3, timeout=20)
