"""Paper and phone as one: the facilitator prints a round's questionnaire; its QR code opens the round on a phone.

The printed ANNEX-1 holds the cluster, the round and every question and option in Indonesian (the
short label and the guideline's full wording); its QR code is the round's link; a member who opens it
answers there, someone outside the cluster and a closed round are told why. The action plan's forms
print blank from the plans list.
"""

from __future__ import annotations

from pathlib import Path

from bot.forms import load_form
from storage import surveys
from tests.e2e.chats import wait_for, wait_for_kind
from tests.e2e.seed import seed_cluster
from tests.pdf_checks import broken, page_one_png, page_texts, qr_links

ROOT = Path(__file__).resolve().parents[2]
FACILITATOR = (601, "Pak Fasil")
MEMBERS = [(611, "Ani"), (612, "Bayu")]
STRANGER = (699, "Rudi")


async def _seed(bot, clock, emulator):
    for uid, name in [FACILITATOR, *MEMBERS, STRANGER]:
        emulator.user(uid, name, language_code="id")
    return await seed_cluster(
        bot.application.services.db, clock.now(), facilitator=FACILITATOR, groups={"Grup A": MEMBERS}
    )


def _every_question_and_option(path: Path, lang: str) -> list[str]:
    form = load_form(path)
    phrases = []
    for question in form.questions:
        phrases.append(question.label(lang))
        for choice in question.choices:
            phrases += [choice.short(lang), choice.label(lang)]
    return phrases


async def test_a_printed_round_questionnaire_answers_on_a_phone_through_its_qr_code(emulator, clocked_bot, clock):
    bot = clocked_bot
    seeded = await _seed(bot, clock, emulator)
    fac = emulator.user(*FACILITATOR)
    ani, bayu = (emulator.user(uid, name) for uid, name in MEMBERS)
    await fac.ask("/survey")
    await fac.press("➕ Buka putaran survei")
    await fac.ask("Kondisi klaster 2026")
    await fac.press("1 minggu lagi")
    await wait_for(fac, "Kuesioner kondisi klaster")
    async with bot.application.services.db.read() as conn:
        survey_round = (await surveys.rounds_of(conn, seeded.cluster_id))[-1]
    link = f"https://t.me/rembug_test_bot?start=survei-{survey_round.id}"

    # The facilitator prints the questionnaire: cluster and round on top, every question and option.
    await fac.tap("🖨 Cetak kuesioner")
    sent = await wait_for_kind(fac, "document", timeout=20)
    assert sent.filename.endswith(".pdf")
    assert "Kuesioner “Kondisi klaster 2026” untuk dicetak" in sent.text and link in sent.text
    assert "lewat 📝 Masukkan kuesioner kertas" in sent.text  # where the filled-in sheets go back in
    pdf = sent.document
    annex1 = ROOT / "conversations/survey/forms/annex1.yaml"
    expected = ["Sentra Batik Laweyan", "Kondisi klaster 2026", "Kuesioner Garis Besar Kondisi Klaster"]
    assert broken(pdf, expected + _every_question_and_option(annex1, "id")) == []
    texts = page_texts(pdf)
    assert all(f"Halaman {n} dari {len(texts)}" in text for n, text in enumerate(texts, start=1))
    assert broken(pdf, ["Nama responden", "Punya HP? Pindai kode ini untuk menjawab di Telegram."]) == []
    assert "Nama responden" in texts[0]
    assert qr_links(pdf, 1) == [link]
    page_one_png(pdf, "annex1_questionnaire", skip=False)

    # The same questionnaire in English, one tap away.
    await fac.tap("🖨 Dalam English")
    english = (await wait_for_kind(fac, "document", count=2, timeout=20)).document
    assert broken(english, ["Questionnaire on the Cluster's General Condition", "Aspect 1: Geographic bounds"]) == []
    assert qr_links(english, 1) == [link]

    # A member scans the code: the round's first question, ready to answer.
    await ani.open_link(link)
    question = await ani.wait_reply()
    assert "1/8" in question.text and "Aspek 1: Batasan geografis" in question.text
    assert "Kondisi klaster 2026" in question.text
    await ani.press("1")
    assert "2/8" in ani.last_text()

    # Someone outside the cluster is told whose questionnaire it is and how to join.
    stranger = emulator.user(*STRANGER)
    await stranger.open_link(link)
    reply = await stranger.wait_reply()
    assert "untuk anggota Sentra Batik Laweyan" in reply.text and "kode undangan" in reply.text

    # A mistyped link says so.
    await stranger.open_link("https://t.me/rembug_test_bot?start=survei-x9")
    assert "Tautan kuesioner ini tidak berlaku" in (await stranger.wait_reply()).text

    # Once the round is closed, the paper's code says so, with the way on.
    await fac.ask("/survey")
    await fac.press("🔒 Tutup")
    await fac.press("Ya, tutup")
    await bayu.open_link(link)
    closed = await wait_for(bayu, "sudah ditutup")
    assert "Kondisi klaster 2026" in closed.text
    assert "📋 Putaran survei" in bayu.visible_buttons()

    # The print button under the old PDF now says the round is closed, and prints nothing more.
    await fac.tap("🖨 Dalam Bahasa Indonesia")
    await wait_for(fac, "sudah ditutup")
    assert len([m for m in fac.bot_messages if m.kind == "document"]) == 2


async def test_the_action_plan_and_its_evaluations_print_blank_from_the_plans_list(emulator, clocked_bot, clock):
    bot = clocked_bot
    await _seed(bot, clock, emulator)
    fac = emulator.user(*FACILITATOR)
    await fac.ask("/plans")
    reply = await fac.press("🖨 Formulir kertas")
    assert "Formulir kertas" in reply.text
    buttons = fac.visible_buttons()
    assert buttons[0] == "Rencana kegiatan (9 pertanyaan)"
    assert any("tengah" in b.lower() for b in buttons)  # the mid-term evaluation is offered too

    await fac.tap("Rencana kegiatan (9 pertanyaan)")
    pdf = (await wait_for_kind(fac, "document", timeout=20)).document
    plan = ROOT / "conversations/plans/forms/action_plan.yaml"
    assert broken(pdf, ["Sentra Batik Laweyan", *_every_question_and_option(plan, "id")]) == []
    assert qr_links(pdf, 1) == ["https://t.me/rembug_test_bot"]

    # A member sees no paper forms to print.
    ani = emulator.user(*MEMBERS[0])
    await ani.ask("/plans")
    assert "🖨 Formulir kertas" not in ani.visible_buttons()
