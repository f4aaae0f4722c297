"""A stack of paper questionnaires entered through the bot: one tap to the next respondent, a count, and
the results and the download tell phone and paper apart; a restart in the middle loses nothing."""

from __future__ import annotations

import csv
import io

from storage import forms as form_store
from tests.e2e.chats import wait_for, wait_for_alert, wait_for_any, wait_for_kind
from tests.e2e.test_survey import FACILITATOR, MEMBERS, _answer_all, _open_round, _seed

PAPER = "📝 Masukkan kuesioner kertas"
NEXT = "➡️ Responden berikutnya"
NOT_LISTED = "➕ Orang yang tidak ada di daftar"
SEND = "✅ Kirim jawaban saya"


async def _paper_of(fac, choices: list[int]) -> str:
    """Tap the paper answers, send them; the closing message's text."""
    await _answer_all(fac, choices)
    assert "Periksa jawaban" in fac.last_text()
    reply = await fac.press(SEND)
    return reply.text


async def test_a_facilitator_enters_a_stack_of_paper_questionnaires(emulator, clocked_bot, clock):
    bot = clocked_bot
    await _seed(bot, clock, emulator)
    fac = emulator.user(*FACILITATOR)
    ani = emulator.user(*MEMBERS[0])
    await _open_round(fac)

    # Ani answers on her phone.
    await wait_for(ani, "meminta pendapat Anda", timeout=15)
    await ani.press("📝 Jawab sekarang")
    await _answer_all(ani, [1, 1, 1, 1, 1, 1, 1, 1])
    await ani.press(SEND)

    # The first paper sheet is Bayu's, a member: his name from the list.
    await fac.ask("/survey")
    listing = await fac.press(PAPER)
    assert "Sudah 0 kuesioner kertas dimasukkan di putaran ini" in listing.text
    assert "✅ Ani" in fac.visible_buttons()  # she already answered
    await fac.tap("✅ Ani")  # her phone answers are not overwritten by a paper sheet
    await wait_for_alert(fac, "Ani sudah punya jawaban di bot (lewat HP atau wawancara); jawabannya tetap disimpan.")
    first = await fac.press("Bayu")
    assert "Kuesioner kertas dari Bayu" in first.text and "1/8" in first.text
    closing = await _paper_of(fac, [5, 5, 5, 5, 5, 5, 5, 5])
    assert "Kuesioner kertas ke-1 sudah masuk" in closing and "Jawaban Bayu, dari kertas" in closing
    assert "siapa pun yang memasukkan" in closing  # the count is the round's, not one person's
    assert {NEXT, "⏹ Selesai memasukkan kertas"} <= set(fac.visible_buttons())

    # Next respondent, in one tap: someone not in the list, by typed name; the bot restarts half-way.
    listing = await fac.press(NEXT)
    assert "Sudah 1 kuesioner kertas" in listing.text
    await fac.press(NOT_LISTED)
    assert "Ketik nama yang tertulis di kuesioner kertas" in fac.last_text()
    reply = await fac.ask("Pak Darmo, batik cap")
    assert "Kuesioner kertas dari Pak Darmo, batik cap" in reply.text and "1/8" in reply.text
    await _answer_all(fac, [3, 3, 3])
    assert "4/8" in fac.last_text()
    # (The new process cannot know how fast the old one wrote to the facilitator's chat: a 429 it honours is correct.)
    emulator.flood_expected = True
    await bot.restart()
    reply = await fac.press("4")  # the question on screen still takes its answer
    assert "5/8" in reply.text and "Pak Darmo" in reply.text
    # Or, having lost the message, from the paper list: the unsent sheet is offered to continue.
    await fac.ask("/survey")
    await fac.press(PAPER)
    reply = await fac.press("▶ Lanjutkan: Pak Darmo, batik cap")
    assert "5/8" in reply.text
    closing = await _paper_of(fac, [3, 3, 3, 3])
    assert "Kuesioner kertas ke-2 sudah masuk" in closing

    # The third, again in one tap.
    await fac.press(NEXT)
    await fac.press(NOT_LISTED)
    await fac.ask("Bu Sri")
    closing = await _paper_of(fac, [2, 2, 2, 2, 2, 2, 2, 2])
    assert "Kuesioner kertas ke-3 sudah masuk" in closing
    listing = await fac.press(NEXT)
    assert "Sudah 3 kuesioner kertas" in listing.text
    assert not any(b.startswith("▶ Lanjutkan") for b in fac.visible_buttons())  # nothing left unsent

    async with bot.application.services.db.read() as conn:
        stored = await form_store.responses_about(conn, "survey_round:1", submitted_only=True)
    by_name = {r.respondent_name or str(r.respondent_id): r for r in stored}
    assert [r.source for r in stored] == ["phone", "paper", "paper", "paper"]
    assert by_name["Bu Sri"].respondent_id is None and by_name["Bu Sri"].entered_by == FACILITATOR[0]
    assert all(r.interviewed for r in stored if r.source == "paper")  # entered by someone else, as before

    # Results: phone and paper apart; the scores count every answer.
    await fac.press("⏹ Selesai memasukkan kertas")
    await fac.press("📊 Hasil")
    summary = await wait_for_any(fac, "Jawaban: 4", timeout=10)
    assert "Jawaban: 4 (lewat HP 1, kertas 3)" in summary.text
    assert "4 responden" in summary.text

    # The download says how each came in.
    await fac.ask("/survey")
    await fac.press("⬇️ Unduh Excel / CSV")
    await wait_for_kind(fac, "document", count=2)
    csv_file = next(m.document for m in fac.bot_messages if m.kind == "document" and m.filename.endswith(".csv"))
    rows = list(csv.reader(io.StringIO(csv_file.decode("utf-8-sig"))))
    header = rows[0]
    table = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert {name: row["Diisi lewat"] for name, row in table.items()} == {
        "Ani": "HP",
        "Bayu": "kertas",
        "Pak Darmo, batik cap": "kertas",
        "Bu Sri": "kertas",
    }
    assert table["Bayu"]["Diwawancarai"] == "Tidak"  # paper, not an interview
    assert table["Bu Sri"]["Batasan geografis (skor)"] == "4"  # button 2 is the second-best option


async def test_an_interview_is_still_an_interview(emulator, clocked_bot, clock):
    await _seed(clocked_bot, clock, emulator)
    fac = emulator.user(*FACILITATOR)
    await _open_round(fac)
    await fac.ask("/survey")
    await fac.press("🎤 Wawancara")
    await fac.press(NOT_LISTED)
    reply = await fac.ask("Pak Joko")
    assert "Wawancara dengan Pak Joko" in reply.text
    await _answer_all(fac, [4, 4, 4, 4, 4, 4, 4, 4])
    await fac.press(SEND)
    assert "disimpan sebagai wawancara" in fac.last_text()
    await fac.ask("/survey")
    await fac.press("📊 Hasil")
    summary = await wait_for_any(fac, "Jawaban: 1", timeout=10)
    assert "Jawaban: 1 (wawancara 1)" in summary.text
