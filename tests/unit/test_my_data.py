"""My data (issue 20 items 2 and 3): every column holding a person's id is covered, the buttons parse,
the summary counts, the copy labels answers in the person's language and prints as a PDF."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.forms import Choice, Form, Question
from conversations.my_data import copy_pdf, rules
from storage.database import Database
from storage.personal_data import USER_COLUMNS, personal_data
from storage.personal_records import KINDS, PersonalData
from tests.pdf_checks import page_texts

NOW = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)
# Columns that hold a person's id without a foreign key (Telegram's ids, kept by the engines).
WITHOUT_FOREIGN_KEY = {("drafts", "user_id"), ("ptb_user_data", "user_id"), ("ptb_chat_data", "chat_id"),
                       ("outbox", "recipient_id"), ("users", "id")}  # fmt: skip


async def test_every_column_that_references_a_person_is_covered_by_the_copy_and_the_erasure(tmp_path):
    db = await Database.open(tmp_path / "rembug.sqlite3")
    try:
        async with db.read() as conn:
            async with conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'") as cursor:
                tables = [row[0] for row in await cursor.fetchall()]
            referencing = set()
            for table in tables:
                async with conn.execute(f"PRAGMA foreign_key_list({table})") as cursor:
                    referencing |= {(table, row[3]) for row in await cursor.fetchall() if row[2] == "users"}
    finally:
        await db.close()
    assert referencing, "the schema has columns that reference users(id)"
    missing = referencing - set(USER_COLUMNS)
    assert missing == set(), f"add these to storage.personal_data.USER_COLUMNS: {sorted(missing)}"
    assert set(USER_COLUMNS) >= WITHOUT_FOREIGN_KEY


def test_my_data_buttons_parse_and_forged_ones_do_not():
    for action in rules.MyDataAction:
        assert rules.parse_button(rules.button_data(action)) == rules.MyDataTap(action)
    for forged in ("md1:nuke", "md1", "md1:pdf:2", "md2:pdf", None, ""):
        assert rules.parse_button(forged) is None


def _form() -> Form:
    colour = Question(
        "colour", "select_one", {"id": "Warna apa?", "en": "Which colour?"},
        choices=(Choice("red", {"id": "Merah", "en": "Red"}), Choice("blue", {"id": "Biru", "en": "Blue"})),
    )  # fmt: skip
    note = Question("note", "text", {"id": "Catatan", "en": "Note"})
    return Form("demo", 1, {"id": "Demo", "en": "Demo"}, (colour, note))


def _data() -> PersonalData:
    membership = {"cluster": "Sentra", "full_name": "Sulastri", "phone": "+62812", "joined_at": NOW.isoformat()}
    answers = [
        {"round": "Putaran 1", "form_id": "demo", "form_version": 1, "question": "colour", "value": '"blue"'},
        {"round": "Putaran 1", "form_id": "demo", "form_version": 1, "question": "note", "value": '"Mahal"'},
    ]
    meeting = {"cluster": "Sentra", "topic": "Rutin", "invited": 1, "rsvp": "yes", "checked_in_at": None}
    card = {"session": "Masalah?", "anonymous": 1, "kind": "text", "text": "Kartu saya", "created_at": NOW.isoformat()}
    return PersonalData(
        7, {"first_name": "Sulastri"}, memberships=[membership], meetings=[meeting], survey_answers=answers,
        cards=[card],
    )  # fmt: skip


def test_the_summary_counts_each_kind_and_the_phone():
    counts = rules.summary(_data())
    assert (counts.clusters, counts.meetings_invited, counts.meetings_attended) == (1, 1, 0)
    assert (counts.survey_answers, counts.cards, counts.consents) == (2, 1, 0)
    assert counts.has_phone and not counts.empty
    assert rules.summary(PersonalData(7, {})).empty


@pytest.mark.parametrize(
    ("lang", "question", "answer"), [("id", "Warna apa?", "Biru"), ("en", "Which colour?", "Blue")]
)
def test_the_copy_labels_questions_and_choices_in_the_persons_language(lang, question, answer):
    copy = rules.copy_of(_data(), {("demo", 1): _form()}, lang)
    colour, note = copy["survey_answers"]
    assert (colour["question_label"], colour["answer"], colour["value"]) == (question, answer, "blue")
    assert note["answer"] == "Mahal"
    decoded = json.loads(rules.copy_json(copy))
    assert set(KINDS) <= set(decoded) and decoded["cards"][0]["text"] == "Kartu saya"


def test_only_free_text_questions_are_erased_as_text():
    assert rules.text_questions([_form()]) == [("demo", 1, "note")]


def test_the_pdf_copy_has_a_section_per_kind_in_the_persons_language():
    copy = rules.copy_of(_data(), {("demo", 1): _form()}, "id")
    text = "\n".join(page_texts(copy_pdf.copy_pdf("id", copy, NOW, "Asia/Jakarta")))
    for phrase in ("Data saya di Rembug", "Profil di setiap klaster", "Jawaban kuesioner", "Kartu curah pendapat"):
        assert phrase in text
    assert "Kartu saya" in text and "Biru" in text and "2 Des 2026" in text and "WIB" in text


async def test_a_person_with_no_records_gets_an_empty_copy(tmp_path):
    db = await Database.open(tmp_path / "rembug.sqlite3")
    try:
        async with db.read() as conn:
            data = await personal_data(conn, 42)
    finally:
        await db.close()
    assert data.account == {} and all(data.records(kind) == [] for kind in KINDS)


def test_a_record_too_wide_for_a_table_is_printed_as_lines_and_keeps_every_value():
    long_word = "x" * 400  # no table column can hold it without breaking the word
    data = PersonalData(7, {}, letters=[{"cluster": "Sentra", "body": long_word, "status": "sent", "created_at": None}])
    text = "".join(page_texts(copy_pdf.copy_pdf("en", rules.copy_of(data, {}, "en"), NOW, "Asia/Jakarta")))
    assert "Letters to the facilitators" in text and text.replace("\n", "").count("x" * 100) >= 1
