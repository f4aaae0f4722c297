"""The ANNEX-1 survey end to end: open a round, answer (Back, Later, restart), interview, close, results, downloads."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook
from PIL import Image

from storage import forms as form_store
from storage import users
from tests.e2e.chats import wait_for, wait_for_any, wait_for_kind
from tests.e2e.seed import seed_cluster

FACILITATOR = (501, "Pak Fasil")
MEMBERS = [(511, "Ani"), (512, "Bayu"), (513, "Citra"), (514, "Dewi")]


async def _seed(bot, clock, emulator):
    for uid, name in [FACILITATOR, *MEMBERS]:
        emulator.user(uid, name, language_code="id")
    return await seed_cluster(
        bot.application.services.db, clock.now(), facilitator=FACILITATOR, groups={"Grup A": MEMBERS}
    )


async def _open_round(fac) -> None:
    await fac.ask("/survey")
    await fac.press("➕ Buka putaran survei")
    await fac.ask("Kondisi klaster 2026")
    await fac.press("1 minggu lagi")
    await wait_for(fac, "Kuesioner kondisi klaster")


async def _answer_all(person, choices: list[int]) -> None:
    for number in choices:
        await person.press(str(number))


async def test_a_round_from_opening_to_results(emulator, clocked_bot, clock):
    bot = clocked_bot
    await _seed(bot, clock, emulator)
    fac = emulator.user(*FACILITATOR)
    ani, bayu, citra, _dewi = (emulator.user(uid, name) for uid, name in MEMBERS)
    await _open_round(fac)
    invitation = await wait_for(ani, "meminta pendapat Anda", timeout=15)
    assert "Kondisi klaster 2026" in invitation.text

    # Ani answers everything; the question shows five short options, the guideline's wording folded, short buttons.
    reply = await ani.press("📝 Jawab sekarang")
    assert "1/8" in reply.text and "Aspek 1: Batasan geografis" in reply.text
    assert "1. Dalam 2,5 km, perjalanan terlama di bawah 30 menit" in reply.text
    assert "<blockquote expandable>" in reply.html
    assert "Jari-jari kurang dari 2.5 km, dan perjalanan terlama kurang dari 30 menit" in reply.text  # as written
    assert ani.visible_buttons()[:5] == ["1", "2", "3", "4", "5"]
    await _answer_all(ani, [1, 2, 2, 3, 1, 4, 2, 3])
    review = ani.last()
    assert "Periksa jawaban Anda" in review.text
    await ani.press("✅ Kirim jawaban saya")
    assert "Terima kasih" in ani.last_text()

    # Bayu goes Back and changes his answer to the second question.
    await bayu.press("📝 Jawab sekarang")
    await bayu.press("3")
    reply = await bayu.press("5")
    assert "3/8" in reply.text
    reply = await bayu.press("◀ Kembali")
    assert "2/8" in reply.text and "✅ <b>5.</b>" in reply.html  # the earlier choice is marked
    # Back goes to the message above; the answered question stays marked there until it is answered again
    await bayu.press("1")
    await _answer_all(bayu, [2, 3, 2, 4, 3, 3])
    await bayu.press("✅ Kirim jawaban saya")

    # Citra stops half-way, the bot restarts, and she continues at the same question.
    await citra.press("📝 Jawab sekarang")
    await _answer_all(citra, [2, 2, 3])
    reply = await citra.press("⏸ Nanti")
    assert "sudah tersimpan" in reply.text
    await bot.restart()
    await citra.ask("/survey")
    reply = await citra.press("▶ Lanjutkan: Kondisi klaster 2026")
    assert "4/8" in reply.text
    await _answer_all(citra, [3, 3, 3, 3, 3])
    await citra.press("✅ Kirim jawaban saya")

    # The facilitator interviews Dewi at the meeting.
    await fac.ask("/survey")
    await fac.press("🎤 Wawancara")
    reply = await fac.press("Dewi")
    assert "Wawancara dengan Dewi" in reply.text
    await _answer_all(fac, [5, 5, 5, 5, 5, 5, 5, 5])
    await fac.press("✅ Kirim jawaban saya")
    assert "Jawaban Dewi disimpan sebagai wawancara" in fac.last_text()

    # Close: the summary, the chart and the downloads. The 4 members were invited (the opener was not);
    # "not yet" counts the invited, not the directory (the facilitator is in it and sent nothing).
    await fac.ask("/survey")
    confirm = await fac.press("🔒 Tutup")
    sent, not_yet = (int(n) for n in re.search(r"(\d+) sudah mengirim jawaban, (\d+) belum", confirm.text).groups())
    assert (sent, not_yet) == (4, 0)
    await fac.press("Ya, tutup")
    summary = await wait_for_any(fac, "Kuesioner Garis Besar", timeout=10)
    photo = await wait_for_kind(fac, "photo")
    image = Image.open(io.BytesIO(photo.photo))
    assert image.format == "PNG" and image.size[0] >= 800
    assert "4 responden" in summary.text and "Skor keseluruhan: 3,19 dari 5" in summary.text
    assert f"{sent} responden" in summary.text and f"Diundang: 4 · belum mengirim: {not_yet}" in summary.text
    assert "Terkuat: Jumlah perusahaan inti" in summary.text and "Terlemah: Lembaga litbang" in summary.text
    await fac.ask("/survey")
    await fac.press("⬇️ Unduh Excel / CSV")
    await wait_for_kind(fac, "document", count=2)
    files = {m.filename.rsplit(".", 1)[1]: m.document for m in fac.bot_messages if m.kind == "document"}
    rows = list(csv.reader(io.StringIO(files["csv"].decode("utf-8-sig"))))
    assert len(rows) == 1 + 4 == 1 + sent  # the download has the answers the confirmation and results count
    header = rows[0]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {"Ani", "Bayu", "Citra", "Dewi"}
    assert by_name["Bayu"]["Jumlah perusahaan inti"] == "200 perusahaan atau lebih"  # after Back
    assert by_name["Bayu"]["Jumlah perusahaan inti (skor)"] == "5"
    assert by_name["Citra"]["Bahan/material"].startswith("Bahan/material yang berkualitas")  # after the restart
    assert by_name["Dewi"]["Diwawancarai"] == "Ya" and by_name["Ani"]["Diwawancarai"] == "Tidak"
    assert [by_name["Ani"][f"{q} (skor)"] for q in ("Batasan geografis", "Perusahaan pemimpin")] == ["5", "3"]
    sheet = load_workbook(io.BytesIO(files["xlsx"])).active
    assert sheet.max_row == 1 + sent
    async with bot.application.services.db.read() as conn:
        stored = await form_store.responses_about(conn, "survey_round:1", submitted_only=True)
    answers = {r.respondent_id: r.answers for r in stored}
    assert answers[512]["core_firms"] == "over_200"  # Bayu's changed answer
    assert answers[513]["materials"] == "quality_easy"  # Citra's answer after the restart
    dewi_response = next(r for r in stored if r.respondent_id == 514)
    assert dewi_response.interviewed and dewi_response.entered_by == FACILITATOR[0]

    # After closing, the round offers no answering any more.
    reply = await ani.ask("/survey")
    assert "(ditutup)" in reply.text
    assert not any("Kondisi klaster 2026" in b for row in reply.buttons for b in row)


async def test_answers_can_change_until_the_round_closes_and_results_show_the_trend(emulator, clocked_bot, clock):
    await _seed(clocked_bot, clock, emulator)
    fac = emulator.user(*FACILITATOR)
    ani = emulator.user(*MEMBERS[0])
    await _open_round(fac)
    await wait_for(ani, "meminta pendapat Anda", timeout=15)
    await ani.press("📝 Jawab sekarang")
    await _answer_all(ani, [3, 3, 3, 3, 3, 3, 3, 3])
    await ani.press("✅ Kirim jawaban saya")
    # She changes her mind about the materials after sending.
    await ani.ask("/survey")
    reply = await ani.press("✏️ Jawaban saya: Kondisi klaster 2026")
    assert "Periksa jawaban Anda" in reply.text
    await ani.press("✏️ 4")
    reply = await ani.press("1")
    assert (
        "Periksa jawaban Anda" in reply.text
        and "4. Bahan/material: Murah, bermutu, mudah didapat di sekitar" in reply.text
    )
    await fac.ask("/survey")
    await fac.press("🔒 Tutup")
    await fac.press("Ya, tutup")
    await wait_for_any(fac, "Skor keseluruhan: 3,25 dari 5")
    # A second round a quarter later: the results show the change.
    clock.advance(days=90)
    await _open_round(fac)
    invitation = await wait_for(ani, "meminta pendapat Anda", timeout=15)
    await ani.tap_data(invitation.message_id, invitation.inline_keyboard[0][0]["callback_data"])
    await ani.wait_reply()
    await _answer_all(ani, [4, 4, 4, 4, 4, 4, 4, 4])
    await ani.press("✅ Kirim jawaban saya")
    await fac.ask("/survey")
    await fac.press("🔒 Tutup")
    await fac.press("Ya, tutup")
    summary = await wait_for_any(fac, "Skor keseluruhan: 2 dari 5")
    assert "▼" in summary.text  # every base went down from the first round


async def test_bad_input_while_answering(emulator, clocked_bot, clock):
    await _seed(clocked_bot, clock, emulator)
    fac = emulator.user(*FACILITATOR)
    ani = emulator.user(*MEMBERS[0])
    await _open_round(fac)
    await wait_for(ani, "meminta pendapat Anda", timeout=15)
    first = await ani.press("📝 Jawab sekarang")
    reply = await ani.ask("yang pertama")  # typed text where a number button is expected
    assert reply.text == "Silakan tekan salah satu tombol nomor di bawah pertanyaan."
    one = first.inline_keyboard[0][0]["callback_data"]
    await ani.press("2")
    # The same button again (a second phone, or a double tap): the question has moved on.
    await ani.tap_data(first.message_id, one)
    await ani.wait_reply()
    assert ani.callback_answers[-1][0] == "Pertanyaan itu sudah tidak ditampilkan. Silakan gunakan pesan terbaru."
    await ani.tap_data(first.message_id, "fm1:999:o:0:0")  # forged
    await ani.wait_reply()
    assert ani.callback_answers[-1][0].startswith("Pertanyaan itu sudah tidak ditampilkan")
    async with clocked_bot.application.services.db.read() as conn:
        response = await form_store.find_response(conn, "survey_round:1", ani.id)
    assert response.answers == {"geographic_bounds": "r2_5km_1h"}  # nothing else stored
    # The round closes while she is in the middle: her buttons stop working.
    await fac.ask("/survey")
    await fac.press("🔒 Tutup")
    await fac.press("Ya, tutup")
    current = next(m for m in reversed(ani.bot_messages) if m.inline_keyboard)  # the question on screen
    await ani.tap_data(current.message_id, current.inline_keyboard[0][0]["callback_data"])
    await ani.wait_reply()
    assert ani.callback_answers[-1] == ("Putaran survei ini sudah ditutup.", False)
    assert "sudah ditutup" in ani.last_text()  # a reply under the question says so, with the way on


async def _first_answered(emulator, bot, clock, member: tuple[int, str]):
    """A round opened by the facilitator, and ``member`` past its first question."""
    await _seed(bot, clock, emulator)
    person = emulator.user(*member)
    await _open_round(emulator.user(*FACILITATOR))
    await wait_for(person, "meminta pendapat Anda", timeout=15)
    await person.press("📝 Jawab sekarang")
    await person.press("1")
    return person


async def test_a_started_survey_is_nudged_after_a_day(emulator, clocked_bot, clock):
    bayu = await _first_answered(emulator, clocked_bot, clock, MEMBERS[1])
    await bayu.press("⏸ Nanti")
    clock.advance(hours=25)
    clocked_bot.application.services.reminders.wake()
    await wait_for(bayu, "belum mengirimnya", timeout=15)
    reply = await bayu.press("▶ Lanjutkan")
    assert "2/8" in reply.text


async def test_a_new_questionnaire_needs_only_a_definition_file(emulator, clocked_bot, clock, tmp_path):
    """A small second form (multiple choice, a number, a condition, optional text) asked by the same engine."""
    from bot.form_dialog import Subject
    from bot.forms import load_forms

    definition = tmp_path / "quarterly.yaml"
    definition.write_text(
        """
id: quarterly_check
version: 1
title::id: Evaluasi triwulan
title::en: Quarterly evaluation
questions:
  - name: meetings_held
    type: integer
    min: 0
    max: 20
    label::id: Berapa pertemuan rutin yang diadakan triwulan ini?
    label::en: How many regular meetings were held this quarter?
  - name: topics
    type: select_multiple
    label::id: Topik yang dibahas
    label::en: Topics discussed
    choices:
      - {name: marketing, label::id: Pemasaran, label::en: Marketing}
      - {name: materials, label::id: Bahan baku, label::en: Materials}
      - {name: finance, label::id: Keuangan, label::en: Finance}
  - name: needs_support
    type: select_one
    label::id: Perlu dukungan dari luar?
    label::en: Is outside support needed?
    choices:
      - {name: "yes", label::id: Ya, label::en: "Yes"}
      - {name: "no", label::id: Tidak, label::en: "No"}
  - name: supporter
    type: text
    max_length: 60
    required: false
    relevant: ${needs_support} = 'yes'
    label::id: Siapa pendukungnya?
    label::en: Who is the supporter?
""",
        encoding="utf-8",
    )
    app = clocked_bot.application
    dialog = app.services.forms
    dialog.add_forms(load_forms(tmp_path))
    sent = []

    async def is_open(conn, subject):
        return True

    async def heading(conn, response, lang):
        return "<b>Q3</b>"

    async def on_submitted(update, context, response):
        sent.append(response.answers)
        await update.effective_chat.send_message("OK")

    dialog.register_subject(Subject.of("test_quarter", is_open, heading, on_submitted))
    await _seed(clocked_bot, clock, emulator)
    fac = emulator.user(*FACILITATOR)
    async with app.services.db.transaction() as tx:
        response = await form_store.start_response(
            tx,
            form_id="quarterly_check",
            form_version=1,
            subject="test_quarter:1",
            respondent_id=fac.id,
            respondent_name=None,
            entered_by=fac.id,
            now=clock.now(),
        )
        await form_store.set_current(tx, response.id, "meetings_held", clock.now())
    menu = await fac.ask("/menu")
    await fac.tap_data(menu.message_id, f"fm1:{response.id}:c")
    reply = await fac.wait_reply()
    assert "1/3" in reply.text and "Ketik angka. (paling sedikit 0, paling banyak 20)" in reply.text
    reply = await fac.ask("25")
    assert reply.text == "Terlalu besar: paling banyak 20."
    reply = await fac.ask("tiga")
    assert "angka bulat" in reply.text
    reply = await fac.ask("3")
    assert "2/3" in reply.text
    await fac.press("⬜ 1")
    await fac.press("⬜ 3")
    reply = await fac.press("Selesai ▶")
    assert "3/3" in reply.text
    reply = await fac.press("1")  # needs support: yes, so the supporter question appears
    assert "4/4" in reply.text and "Siapa pendukungnya?" in reply.text
    reply = await fac.ask("Dinas Perindag")
    assert "Periksa jawaban Anda" in reply.text and "Pemasaran; Keuangan" in reply.text
    await fac.press("✏️ 3")
    reply = await fac.press("2")  # no support needed: the supporter answer no longer applies
    assert "Siapa pendukungnya" not in reply.text
    await fac.press("✅ Kirim jawaban saya")
    assert sent == [{"meetings_held": 3, "topics": ["marketing", "finance"], "needs_support": "no"}]


async def test_an_answer_tap_is_stored_with_its_mark_in_two_commits_reading_each_row_once(emulator, clocked_bot, clock):
    """One press of an answer: the flow's commit (answer, next question, focus, the update's book-keeping)
    and the inbox's mark; besides them only the commit that stored the fetched update. The response, its
    answers and the round are each read once."""
    ani = await _first_answered(emulator, clocked_bot, clock, MEMBERS[0])
    db = clocked_bot.application.services.db
    await db.count_statements()
    await clocked_bot.idle()
    db.statements.clear()
    db.tables_read.clear()

    reply = await ani.press("2")
    await clocked_bot.idle()

    assert "3/8" in reply.text
    assert db.statements["COMMIT"] == 3, db.statements  # the fetched update stored; the answer; the mark
    assert db.statements["ROLLBACK"] == 0
    assert (db.tables_read["form_responses"], db.tables_read["form_answers"], db.tables_read["survey_rounds"]) == (
        1,
        1,
        1,
    ), db.tables_read
    async with db.read() as conn, conn.execute("SELECT attempts, outcome FROM inbox ORDER BY update_id DESC") as cur:
        assert tuple(await cur.fetchone()) == (1, "handled")  # the attempt went out with the answer's commit


def _folded(message) -> tuple[str, str]:
    """(what the screen shows, what the expandable blockquote folds away) of a message."""
    (quote,) = [e for e in message.entities if e["type"] == "expandable_blockquote"]
    units = message.text.encode("utf-16-le")  # entity offsets count UTF-16 code units
    cut = 2 * quote["offset"]
    return units[:cut].decode("utf-16-le"), units[cut:].decode("utf-16-le")


async def test_question_7_fits_a_phone_and_a_tap_shows_what_was_chosen(emulator, clocked_bot, clock):
    """A member meets the longest question of ANNEX-1: short plain options, the guideline folded, then ✅."""
    await _seed(clocked_bot, clock, emulator)
    fac = emulator.user(*FACILITATOR)
    ani = emulator.user(*MEMBERS[0])
    await _open_round(fac)
    await wait_for(ani, "meminta pendapat Anda", timeout=15)
    await ani.press("📝 Jawab sekarang")
    await _answer_all(ani, [1, 2, 2, 3, 1, 4])
    question = ani.last()
    shown, folded = _folded(question)
    assert "7/8" in shown and "Aspek 7: Lembaga pendukung dan pembina" in shown
    assert "2. Dinas aktif membina, ada pertemuan rutin, hasil belum ada" in shown
    assert len(shown) <= 700 and len(question.text) <= 4096
    assert "Base" not in shown and "network" not in shown and "BDS" not in shown
    assert shown.index("Aspek 7") < shown.index("1. ")  # the question stands above its options
    assert "Bunyi lengkap menurut pedoman" in folded
    assert "Terbentuk network antara fasilitator, BDS provider dan klaster." in folded  # the guideline as written
    assert ani.visible_buttons()[:5] == ["1", "2", "3", "4", "5"]

    following = await ani.press("2")
    assert "8/8" in following.text and "Aspek 8: Perusahaan inti (pemimpin)" in following.text
    answered = ani.bot_messages[-2]
    assert answered.message_id == question.message_id  # the tapped message, kept
    assert "7/8" in answered.text and "Aspek 7: Lembaga pendukung dan pembina" in answered.text
    assert "✅ 2. Dinas aktif membina, ada pertemuan rutin, hasil belum ada" in answered.text
    assert answered.text.count("✅") == 1 and answered.inline_keyboard == []
    assert "1. Dinas aktif membina, ada anggaran" in answered.text  # the other options stay readable

    # The review names the choice by its short label.
    review = await ani.press("3")
    assert "7. Lembaga pendukung: Dinas aktif membina, ada pertemuan rutin, hasil belum ada" in review.text
    assert "✅ 3. Ada perusahaan lama/berpengaruh yang mau mengoordinasi" in ani.bot_messages[-2].text


async def test_an_english_member_sees_the_short_options_and_the_mark(emulator, clocked_bot, clock):
    await _seed(clocked_bot, clock, emulator)
    fac = emulator.user(*FACILITATOR)
    async with clocked_bot.application.services.db.transaction() as tx:
        await users.set_language(tx, MEMBERS[1][0], "en")
    bayu = emulator.user(*MEMBERS[1])
    await _open_round(fac)
    await wait_for(bayu, "asks for your view", timeout=15)
    question = await bayu.press("📝 Answer now")
    shown, folded = _folded(question)
    assert "1/8" in shown and "Aspect 1: Geographic bounds" in shown
    assert "1. Within 2.5 km, longest trip under 30 minutes" in shown
    assert "Radius under 2.5 km, and the longest trip under 30 minutes" in folded
    await bayu.press("4")
    answered = bayu.bot_messages[-2]
    assert "✅ 4. Within 5 km, longest trip under 2 hours" in answered.text and answered.inline_keyboard == []
