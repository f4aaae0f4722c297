"""/mydata (issue 20 items 2 and 3): a member sees what is held about them, downloads it as PDF and JSON,
and erases it; the database then holds their name and phone nowhere, the facilitator sees "Mantan anggota
(dihapus)", and the cluster's survey figures and attendance counts stay the same."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

from conversations.survey import closing, results
from storage import brainstorm, consents, forms, meetings, memberships, surveys
from tests.e2e.chats import wait_for_any, wait_for_kind
from tests.e2e.menus import open_entry
from tests.e2e.seed import seed_cluster, seed_session
from tests.e2e.taps import quiet
from tests.pdf_checks import page_texts

FACILITATOR = (801, "Bu Ratna")
SULASTRI = (811, "Sulastri")  # her Telegram name; her profile name is "Sulastri Wibowo"
BAYU = (812, "Bayu")
FULL_NAME, PHONE = "Sulastri Wibowo", "+6281234567890"
HER_CARD = "Pewarna alam dari kulit mahoni lebih murah"
BAYU_CARD = "Kartu rahasia Bayu tentang harga mori"
HER_TEXT_ANSWER = "Saya Sulastri Wibowo, usaha batik tulis di Kauman"


def _survey_questions(bot):
    """The cluster questionnaire and a one-choice question of it; a form with a free-text question and that question."""
    loaded = bot.application.services.forms.forms.values()
    form = next(f for f in loaded if f.id == "annex1")
    choice = next(q for q in form.questions if q.type == "select_one" and q.relevant is None)
    written = next(f for f in loaded if any(q.type == "text" for q in f.questions))
    return form, choice, written, next(q for q in written.questions if q.type == "text")


async def _seed(bot, clock, emulator):
    """A cluster where Sulastri has a profile with a phone, a card, a survey answered, a meeting attended."""
    for uid, name in (FACILITATOR, BAYU):
        emulator.user(uid, name, language_code="id")
    emulator.user(SULASTRI[0], SULASTRI[1], last_name="Wibowo", language_code="id")
    db, now = bot.application.services.db, clock.now()
    seeded = await seed_cluster(db, now, facilitator=FACILITATOR, groups={"Utara": [SULASTRI, BAYU]})
    form, choice, written, text = _survey_questions(bot)
    async with db.transaction() as tx:
        await memberships.update_profile(
            tx,
            seeded.cluster_id,
            SULASTRI[0],
            {"full_name": FULL_NAME, "phone": PHONE, "home_area": "Kampung Kauman", "core_business": "Batik sogan"},
        )
        await consents.give(tx, SULASTRI[0], consents.PHONE, seeded.cluster_id, now)
        session = await seed_session(tx, seeded.cluster_id, "Apa masalah terbesar?", FACILITATOR[0], [811, 812], now)
        for uid, card, update_id in ((SULASTRI[0], HER_CARD, -101), (BAYU[0], BAYU_CARD, -102)):
            await brainstorm.add_card(
                tx, session.id, author_id=uid, entered_by=uid, column=None, kind="text", text=card,
                file_id=None, duration=None, now=now, source_update_id=update_id,
            )  # fmt: skip
        meeting, _new = await meetings.create_meeting(
            tx, cluster_id=seeded.cluster_id, kind="regular", topic="Pertemuan rutin", starts_at=now - timedelta(days=1),
            place="Balai Desa", latitude=None, longitude=None, agenda=None, audience={"everyone": True},
            capacity=None, reminders=(), checkin_code="CHK811", organiser_id=FACILITATOR[0],
            invitee_ids=[SULASTRI[0], BAYU[0]], now=now - timedelta(days=2), source_update_id=-201,
        )  # fmt: skip
        for uid in (SULASTRI[0], BAYU[0]):
            await meetings.check_in(tx, meeting.id, uid, "link", now - timedelta(days=1))
        survey_round, _new = await surveys.open_round(
            tx, cluster_id=seeded.cluster_id, form_id=form.id, form_version=form.version, title="Putaran 1",
            closes_at=None, opened_by=FACILITATOR[0], now=now, source_update_id=-301,
        )  # fmt: skip
        for uid, option, typed in ((SULASTRI[0], 0, HER_TEXT_ANSWER), (BAYU[0], 1, "Bahan mahal")):
            response = await forms.start_response(
                tx, form_id=form.id, form_version=form.version, subject=survey_round.subject, respondent_id=uid,
                respondent_name=None, entered_by=uid, now=now,
            )  # fmt: skip
            await forms.save_answer(tx, response.id, choice.name, choice.choices[option].name, None, now)
            await forms.submit(tx, response.id, now)
            written_response = await forms.start_response(
                tx, form_id=written.id, form_version=written.version, subject=f"test:{uid}", respondent_id=uid,
                respondent_name=None, entered_by=uid, now=now,
            )  # fmt: skip
            await forms.save_answer(tx, written_response.id, text.name, typed, None, now)
    return seeded, meeting, survey_round


def _figures(path, subject: str, meeting_id: int) -> tuple:
    """The cluster's survey tallies, its choice answers and the meeting's attendance count, read from the file."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        tallies = conn.execute(
            "SELECT question, value, count FROM answer_tallies WHERE subject = ? ORDER BY 1, 2", (subject,)
        ).fetchall()
        present = conn.execute("SELECT COUNT(*) FROM attendance WHERE meeting_id = ?", (meeting_id,)).fetchone()
        invited = conn.execute("SELECT COUNT(*) FROM meeting_invitees WHERE meeting_id = ?", (meeting_id,)).fetchone()
    return tallies, present, invited


async def _round_results(bot, survey_round) -> tuple:
    """The round's figures and results as the survey flow computes them (invited, answers, scores)."""
    form, *_rest = _survey_questions(bot)
    async with bot.application.services.db.read() as conn:
        figures = await closing.figures_of(conn, survey_round)
        sent = await forms.responses_about(conn, survey_round.subject, submitted_only=True)
    return (figures.invited, figures.answers, len(figures.not_yet)), results.summarise(form, sent)


def _where_found(path, needles: list[str]) -> list[tuple[str, str, str]]:
    """Every (table, column, needle) where a text column of any row holds one of ``needles``."""
    found = []
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_xinfo({table})")]
            for column in columns:
                for needle in needles:
                    escaped = json.dumps(needle)[1:-1]
                    hit = conn.execute(
                        f"SELECT COUNT(*) FROM {table} WHERE instr(CAST({column} AS TEXT), ?) > 0 "
                        f"OR instr(CAST({column} AS TEXT), ?) > 0",
                        (needle, escaped),
                    ).fetchone()[0]
                    if hit:
                        found.append((table, column, needle))
    return found


async def test_a_member_sees_a_summary_and_gets_her_json_with_her_card_but_not_an_anonymous_card_of_another(
    emulator, clocked_bot, clock
):
    await _seed(clocked_bot, clock, emulator)
    sulastri = emulator.user(*SULASTRI)
    summary = await sulastri.ask("/mydata")
    assert "<b>" not in summary.text and "Data saya" in summary.text
    assert len(summary.text) <= 700  # one phone screen
    assert "Klaster: 1" in summary.text and "Grup kecil: 1" in summary.text
    assert "Pertemuan: diundang 1 · hadir 1" in summary.text
    assert "Jawaban kuesioner: 2" in summary.text and "Kartu: 1" in summary.text
    assert "Nomor HP: disimpan" in summary.text and "Persetujuan: 1" in summary.text
    labels = [t for row in summary.buttons for t in row]
    assert labels[:3] == ["📄 Unduh PDF", "🧾 Unduh JSON", "🗑 Hapus data saya"]

    await sulastri.press("🧾 Unduh JSON")
    document = await wait_for_kind(sulastri, "document")
    assert document.filename.endswith(".json")
    copy = json.loads(document.document.decode("utf-8"))
    assert copy["memberships"][0]["full_name"] == FULL_NAME and copy["memberships"][0]["phone"] == PHONE
    assert [(c["what"], c["cluster"], c["withdrawn_at"]) for c in copy["consents"]] == [
        ("phone", "Sentra Batik Laweyan", None)
    ]
    assert copy["consents"][0]["given_at"] == clock.now().isoformat()  # with its date, ISO
    assert [c["text"] for c in copy["cards"]] == [HER_CARD]  # her own card of an anonymous session
    assert BAYU_CARD not in document.document.decode("utf-8")  # never another member's card
    answers = {a["answer"] for a in copy["survey_answers"]}
    assert HER_TEXT_ANSWER in answers
    _form, choice, _written, _text = _survey_questions(clocked_bot)
    assert choice.choices[0].label("id") in answers  # a choice answer in her language
    assert all(a["question_label"] != a["question"] for a in copy["survey_answers"])  # labels, not ids
    assert copy["meetings"][0]["checked_in_at"] == (clock.now() - timedelta(days=1)).isoformat()  # ISO time

    await sulastri.press("📄 Unduh PDF")
    pdf = await wait_for_kind(sulastri, "document", count=2)
    assert pdf.filename.endswith(".pdf") and pdf.document.startswith(b"%PDF")
    printed = "\n".join(page_texts(pdf.document))
    assert "Data saya di Rembug" in printed and FULL_NAME in printed and "Kartu curah pendapat" in printed


async def test_a_member_erases_her_data_and_the_database_holds_her_name_and_phone_nowhere(
    emulator, clocked_bot, clock, settings
):
    _seeded, meeting, survey_round = await _seed(clocked_bot, clock, emulator)
    sulastri, fac = emulator.user(*SULASTRI), emulator.user(*FACILITATOR)
    await sulastri.share_contact(phone=PHONE, own=True)  # a raw update with her phone in the inbox
    # A letter to the facilitators: her name goes out in the outbox and her text is stored.
    offer = await sulastri.ask("Bu Ratna, saya Sulastri Wibowo, minta jadwal pelatihan pewarna.")
    assert offer is not None and "Kirim ke fasilitator" in str(offer.buttons)
    await sulastri.press("✉️ Kirim ke fasilitator")
    await wait_for_any(fac, "Pesan dari Sulastri Wibowo")
    await quiet(clocked_bot)
    needles = [FULL_NAME, "Sulastri", "Wibowo", PHONE, "81234567890", "Kauman"]
    found_before = _where_found(settings.database, needles)
    held = {(table, needle) for table, _column, needle in found_before}
    assert {("inbox", PHONE), ("outbox", FULL_NAME), ("memberships", PHONE), ("letters", "Sulastri")} <= held
    before = _figures(settings.database, survey_round.subject, meeting.id)
    results_before = await _round_results(clocked_bot, survey_round)
    assert results_before[0][1] == 2  # two answers
    assert before[1] == (2,) and before[0]  # two present, tallies kept by the triggers

    await sulastri.ask("/mydata")
    confirm = await sulastri.press("🗑 Hapus data saya")
    assert "Hapus data Anda?" in confirm.text and "tidak bisa dibatalkan" in confirm.text
    assert "Mantan anggota (dihapus)" in confirm.text
    done = await sulastri.press("🗑 Ya, hapus data saya")
    assert done.text.startswith("Data Anda sudah dihapus")
    await quiet(clocked_bot)
    await clocked_bot.application.update_persistence()  # what PTB holds in memory is written now

    found_after = _where_found(settings.database, needles)
    print("erasure check: before", sorted({f"{t}.{c}" for t, c, _n in found_before}), "after", found_after)
    assert found_after == []
    assert _figures(settings.database, survey_round.subject, meeting.id) == before
    assert await _round_results(clocked_bot, survey_round) == results_before  # the same scores and counts
    with sqlite3.connect(f"file:{settings.database}?mode=ro", uri=True) as conn:
        shell = conn.execute("SELECT user_id, left_at, phone FROM memberships WHERE full_name = 'Mantan anggota'")
        (shell_id, left_at, phone), *more = shell.fetchall()
        assert more == [] and shell_id < 0 and left_at is not None and phone is None  # her membership ended
        assert conn.execute("SELECT COUNT(*) FROM users WHERE id = ?", (SULASTRI[0],)).fetchone() == (0,)
        assert conn.execute("SELECT COUNT(*) FROM attendance WHERE user_id = ?", (shell_id,)).fetchone() == (1,)

    await fac.ask("/menu")
    directory = await open_entry(fac, "👥 Anggota", "Daftar anggota")
    assert "Mantan anggota (dihapus): 1" in directory.text and "Sulastri" not in directory.text

    # Writing again, she is a new person: in no cluster, no language kept.
    again = await sulastri.ask("/start")
    assert again is not None and "Sulastri Wibowo" not in again.text
    async with clocked_bot.application.services.db.read() as conn:
        assert await memberships.clusters_of(conn, SULASTRI[0]) == []
    fresh = await sulastri.ask("/mydata")
    assert "Klaster: 0" in fresh.text and "Kartu: 0" in fresh.text and "Jawaban kuesioner: 0" in fresh.text
    assert "Pertemuan: diundang 0 · hadir 0" in fresh.text and "Nomor HP: tidak disimpan" in fresh.text
