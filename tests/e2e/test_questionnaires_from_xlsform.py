"""A questionnaire brought from KoboToolbox as XLSForm, end to end: the facilitator sends the file in the
chat, a refused form names its rows, the kept one opens a round, two members answer it on their phones
(groups, a note, a condition, constraints, a decimal, several choices, a skipped optional question, a
restart half-way), and the answers come back Kobo-shaped beside the questionnaire as XLSForm."""

from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import load_workbook

from bot.xlsform import read_xlsform
from tests.e2e.chats import wait_for, wait_for_kind
from tests.e2e.test_survey import FACILITATOR, MEMBERS, _seed
from tests.xlsforms import FORM_TITLE, QUESTION_NAMES, REPEAT_ROW, annotated_form, repeat_form


async def _documents(person, count: int) -> list:
    await wait_for_kind(person, "document", count=count)
    return [m for m in person.bot_messages if m.kind == "document"]


async def test_an_xlsform_from_kobo_is_kept_asked_and_answered_and_comes_back_kobo_shaped(emulator, clocked_bot, clock):
    bot = clocked_bot
    await _seed(bot, clock, emulator)
    fac = emulator.user(*FACILITATOR)
    ani, bayu = (emulator.user(uid, name) for uid, name in MEMBERS[:2])

    # Where to bring it, and what Rembug can ask.
    await fac.ask("/survey")
    listing = await fac.press("📄 Kuesioner")
    assert "Kuesioner Garis Besar Kondisi Klaster" in listing.text and "bawaan" in listing.text
    how = await fac.press("📥 Bawa XLSForm")
    assert ".xlsx" in how.text and "repeat" in how.text

    # A member's file is not a questionnaire of the cluster; a repeat group is refused with its row; an
    # old .xls is told how to save it.
    await ani.send_document(annotated_form(), "survei.xlsx")
    refusal = await wait_for(ani, "fasilitator")
    assert "tersimpan" not in refusal.text
    await fac.send_document(repeat_form(), "ulang.xlsx")
    report = await wait_for(fac, "tidak bisa dipakai")
    assert f"Baris {REPEAT_ROW}" in report.text and "repeat" in report.text
    await fac.send_document(b"\xd0\xcf\x11\xe0 old excel", "lama.xls")
    assert ".xlsx" in (await wait_for(fac, "Excel Workbook")).text

    # The Kobo form is kept; the same file again changes nothing.
    await fac.send_document(annotated_form(), "survei-batik.xlsx")
    kept = await wait_for(fac, "tersimpan")
    assert f"✅ Kuesioner “{FORM_TITLE}” tersimpan." in kept.text and "2 bagian" in kept.text
    await fac.send_document(annotated_form(), "survei-batik.xlsx")
    assert "sudah tersimpan" in (await wait_for(fac, "sudah tersimpan")).text

    # A round with it: the suggested title is the form's, the members are invited.
    await fac.press("➕ Buka putaran dengan kuesioner ini")
    await fac.ask("Survei batik Desember")
    await fac.press("1 minggu lagi")
    invitation = await wait_for(ani, "meminta pendapat Anda", timeout=15)
    assert "pertanyaan, satu per satu" in invitation.text

    # Ani: the note and the group heading, a text, a scored choice, a number out of bounds (the form's own
    # message), then the bot is killed and she goes on where she stood.
    first = await ani.press("📝 Jawab sekarang")
    assert first.text.index("💬 Terima kasih") < first.text.index("📂 Usaha Anda") < first.text.index("Apa nama usaha")
    await ani.ask("Batik Ani")
    await ani.press("1")
    refused = await ani.ask("0")
    assert refused.text == "Isi angka 1 sampai 500"
    await ani.ask("12")
    await bot.restart()
    await ani.ask("/survey")
    resumed = await ani.press("▶ Lanjutkan: Survei batik Desember")
    assert "Apakah Anda menjual ke luar negeri?" in resumed.text
    await ani.press("1")  # exports: yes
    group = await ani.press("⬜ 1")
    assert "📂 Penjualan ke luar negeri" in group.text
    await ani.press("⬜ 3")
    await ani.press("Selesai ▶")
    assert "Isi angka" not in (await ani.ask("12,5")).text
    await ani.press("Lewati")  # the year started is optional
    await ani.press("⬜ 4")  # other materials…
    asked = await ani.press("Selesai ▶")
    assert "Kain lain apa?" in asked.text  # …so the question the condition opens is asked
    review = await ani.ask("batik kayu")
    assert "Periksa jawaban Anda" in review.text and "12,5" in review.text
    await ani.press("✅ Kirim jawaban saya")

    # Bayu does not export: the export group is not asked.
    await bayu.press("📝 Jawab sekarang")
    await bayu.ask("Batik Bayu")
    await bayu.press("2")
    await bayu.ask("3")
    after_no = await bayu.press("2")  # exports: no
    assert "Sejak kapan usaha Anda berjalan?" in after_no.text  # the sales-abroad group is passed over
    await bayu.ask("01-03-2015")
    await bayu.press("⬜ 1")
    review = await bayu.press("Selesai ▶")
    assert "Periksa jawaban Anda" in review.text
    await bayu.press("✅ Kirim jawaban saya")

    # The downloads: the usual table, and the Kobo-shaped ZIP with the questionnaire as XLSForm.
    await fac.ask("/survey")
    before = len([m for m in fac.bot_messages if m.kind == "document"])
    await fac.press("⬇️ Unduh Excel / CSV")
    documents = (await _documents(fac, before + 3))[before:]
    kobo = next(m for m in documents if m.filename.endswith("-kobo.zip"))
    archive = zipfile.ZipFile(io.BytesIO(kobo.document))
    names = archive.namelist()
    by_names = next(n for n in names if n.endswith("-kobo.csv"))
    rows = list(csv.DictReader(io.StringIO(archive.read(by_names).decode("utf-8-sig"))))
    assert len(rows) == 2
    header = list(rows[0])
    assert header[:2] == ["start", "end"] and "_submission_time" in header and "_id" in header
    column = {name.rsplit("/", 1)[-1]: name for name in header}
    ani_row = next(r for r in rows if r[column["nama_usaha"]] == "Batik Ani")
    bayu_row = next(r for r in rows if r[column["nama_usaha"]] == "Batik Bayu")
    assert ani_row[column["jenis"]] == "tulis" and ani_row[column["negara"]] == "malaysia jepang"
    assert float(ani_row[column["omzet_ekspor"]]) == 12.5 and ani_row[column["mulai_usaha"]] == ""
    assert ani_row[column["bahan_lain"]] == "batik kayu"
    assert bayu_row[column["ekspor"]] == "tidak" and bayu_row[column["omzet_ekspor"]] == ""
    assert bayu_row[column["mulai_usaha"]] == "2015-03-01"
    assert ani_row["_submission_time"].startswith("20") and "T" in ani_row["end"] and "+07:00" in ani_row["end"]
    labels = next(n for n in names if n.endswith("-kobo-labels.xlsx"))
    sheet = load_workbook(io.BytesIO(archive.read(labels))).active
    assert any("Batik tulis" in str(cell.value) for row in sheet.iter_rows() for cell in row)
    xlsform = next(n for n in names if n.endswith("-xlsform.xlsx"))
    assert read_xlsform(archive.read(xlsform), xlsform).problems == ()

    # Every questionnaire downloads as XLSForm from the list, and reads back as the same questions.
    await fac.ask("/survey")
    await fac.press("📄 Kuesioner")
    before = len([m for m in fac.bot_messages if m.kind == "document"])
    await fac.press("⬇️ 3. XLSForm")  # 1. ANNEX-1 and 2. the firm profile are built in
    download = (await _documents(fac, before + 1))[-1]
    back = read_xlsform(download.document, download.filename)
    assert back.problems == () and back.form is not None
    assert [q.name for q in back.form.questions] == list(QUESTION_NAMES)
