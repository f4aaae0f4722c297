"""Reading XLSForms into the forms engine: what is kept, and what refuses a form with its row."""

from __future__ import annotations

from io import BytesIO

import pytest
from pyxform.xls2xform import convert

from bot.xlsform import REASONS, Problem, read_xlsform
from bot.xlsform_views import problem_line, reason_texts, report_text
from tests.xlsforms import (
    EN,
    FORM_ID,
    FORM_TITLE,
    FORM_VERSION,
    GROUP_NAMES,
    ID,
    JENIS_SCORES,
    NOTE_NAME,
    QUESTION_NAMES,
    REPEAT_ROW,
    annotated_form,
    repeat_form,
    workbook,
)


def _q(kind: str, name: str, text: str = "", **more) -> dict:
    return {"type": kind, "name": name, "label": text or f"Question {name}", **more}


def _choices(list_name: str, *names: str, **more) -> list[dict]:
    return [{"list_name": list_name, "name": name, "label": f"Option {name}", **more} for name in names]


def _refused(data: bytes) -> list[tuple[str, int | None, str]]:
    result = read_xlsform(data, "form.xlsx")
    assert result.definition is None and result.form is None
    assert result.problems
    return [(p.sheet, p.row, p.reason) for p in result.problems]


@pytest.fixture(scope="module")
def batik():
    return read_xlsform(annotated_form(), "batik.xlsx")


# -- the annotated batik survey -------------------------------------------------------------------


def test_the_batik_survey_is_read_with_its_questions_in_order(batik):
    assert batik.problems == ()
    form = batik.form
    assert form is not None
    assert tuple(q.name for q in form.questions) == QUESTION_NAMES
    assert (batik.form_id, batik.xlsform_version, batik.title) == (FORM_ID, FORM_VERSION, FORM_TITLE)
    assert form.id == FORM_ID and form.version == 1
    assert form.title("id") == form.title("en") == FORM_TITLE
    names = {q.name for q in form.questions}
    assert not names & {"start", "end", NOTE_NAME, *GROUP_NAMES}


def test_labels_hints_and_required_are_read_per_language(batik):
    form = batik.form
    pekerja = form.question("pekerja")
    assert pekerja.label("id") == "Berapa orang yang bekerja di usaha Anda?"
    assert pekerja.label("en") == "How many people work in your business?"
    assert pekerja.hint("id").startswith("Hitung juga") and pekerja.hint("en").startswith("Count yourself")
    assert pekerja.required
    assert not form.question("mulai_usaha").required  # XLSForm's default: not required
    assert form.question("mulai_usaha").type == "date"


def test_the_note_is_shown_before_the_first_question(batik):
    first = batik.form.questions[0]
    assert [note.name for note in first.notes] == [NOTE_NAME]
    assert first.notes[0].label("id").startswith("Terima kasih sudah mengisi survei ini")
    assert all(not q.notes for q in batik.form.questions[1:])


def test_groups_become_headings_and_a_groups_condition_applies_to_both_questions_inside(batik):
    form = batik.form
    assert form.question("nama_usaha").heading("id") == "Usaha Anda"
    assert form.question("pekerja").heading("en") == "Your business"
    assert form.question("ekspor").heading("id") is None
    for name in ("negara", "omzet_ekspor"):
        question = form.question(name)
        assert question.heading("en") == "Sales abroad"
        assert not question.applies({"ekspor": "tidak"})
        assert question.applies({"ekspor": "ya"})
    assert form.question("mulai_usaha").applies({"ekspor": "tidak"})


def test_a_questions_own_condition_is_kept(batik):
    other = batik.form.question("bahan_lain")
    assert other.applies({"bahan": ["katun", "lainnya"]})
    assert not other.applies({"bahan": ["katun"]})


def test_constraints_become_bounds_with_their_messages(batik):
    form = batik.form
    pekerja = form.question("pekerja")
    assert (pekerja.minimum, pekerja.maximum, pekerja.min_exclusive, pekerja.max_exclusive) == (1, 500, False, False)
    assert pekerja.constraint_message("id") == "Isi angka 1 sampai 500"
    assert pekerja.constraint_message("en") == "Type a number from 1 to 500"
    omzet = form.question("omzet_ekspor")
    assert omzet.type == "decimal"
    assert (omzet.minimum, omzet.min_exclusive, omzet.maximum) == (0, True, None)
    assert form.question("nama_usaha").max_length == 80
    assert form.question("bahan_lain").max_length == 500  # the default for text without a constraint


def test_scores_are_kept_and_set_the_score_range(batik):
    jenis = batik.form.question("jenis")
    assert {c.name: c.score for c in jenis.choices} == JENIS_SCORES
    assert jenis.scored
    assert batik.form.score_range == (1, 4)
    assert batik.definition["score_range"] == [1, 4]
    assert all(c.score is None for c in batik.form.question("ekspor").choices)


def test_pyxform_converts_the_batik_survey_without_warnings():
    result = convert(xlsform=BytesIO(annotated_form()), file_type=".xlsx")
    assert result.warnings == []
    assert "nama_usaha" in result.xform and "selected(" in result.xform


# -- small forms that are read --------------------------------------------------------------------


def test_a_form_in_one_language_is_asked_in_it_in_both():
    data = workbook(
        [_q("select_one yn", "setuju", "Apakah Anda setuju?", hint="Pilih satu", required="TRUE()")],
        _choices("yn", "1", "2"),
        {"form_title": "Satu bahasa"},
    )
    result = read_xlsform(data, "Survei Satu Bahasa.xlsx")
    assert result.problems == ()
    question = result.form.questions[0]
    assert question.label("id") == question.label("en") == "Apakah Anda setuju?"
    assert question.hint("en") == "Pilih satu"
    assert question.required
    assert [c.name for c in question.choices] == ["1", "2"]
    assert question.choices[0].label("en") == "Option 1"
    assert result.form.title("en") == "Satu bahasa"
    assert result.form_id == "survei_satu_bahasa"


def test_numeric_choice_names_and_scores_given_as_numbers_are_read_as_text_and_whole_numbers():
    data = workbook(
        [_q("select_one n", "nilai")],
        [
            {"list_name": "n", "name": 1, "label": "Satu", "score": 1.0},
            {"list_name": "n", "name": 2.0, "label": "Dua", "score": "2"},
        ],
    )
    result = read_xlsform(data)
    assert result.problems == ()
    assert [(c.name, c.score) for c in result.form.questions[0].choices] == [("1", 1), ("2", 2)]
    assert result.form_id == "imported_form"


def test_a_language_missing_in_one_column_falls_back_to_the_other():
    data = workbook([{"type": "text", "name": "nama", ID: "Nama Anda?", EN: None, "label::French (fr)": "Nom?"}])
    question = read_xlsform(data).form.questions[0]
    assert question.label("en") == question.label("id") == "Nama Anda?"


def test_header_names_and_spellings_are_read_loosely():
    data = workbook(
        [
            {"TYPE": "begin group", "Name": "g", "Label::Bahasa Indonesia": "Grup", "label::English": "Group"},
            {"TYPE": "integer", "Name": "umur", "Label::Bahasa Indonesia": "Umur?", "label::English": "Age?"},
            {"TYPE": "end group"},
            {
                "TYPE": "text",
                "Name": "catatan",
                "Label::Bahasa Indonesia": "Catatan?",
                "constraint": "string-length(.) > 2",
            },
        ]
    )
    result = read_xlsform(data)
    assert result.problems == ()
    umur, catatan = result.form.questions
    assert umur.heading("en") == "Group" and umur.label("en") == "Age?"
    assert catatan.min_length == 3 and catatan.label("en") == "Catatan?"


def test_a_note_after_the_last_question_is_shown_before_it():
    data = workbook([_q("text", "nama"), _q("integer", "umur"), _q("note", "terima_kasih", "Terima kasih")])
    umur = read_xlsform(data).form.question("umur")
    assert [note.label("id") for note in umur.notes] == ["Terima kasih"]


def test_a_note_after_the_last_question_cannot_depend_on_its_answer():
    data = workbook([_q("text", "nama"), _q("integer", "umur"), _q("note", "tua", "Wah", relevant="${umur} > 60")])
    assert _refused(data) == [("survey", 4, "relevant")]


def test_a_read_only_note_is_fine():
    data = workbook([_q("note", "halo", "Halo", read_only="yes"), _q("text", "nama")])
    assert read_xlsform(data).problems == ()


# -- refusals, each with its row ------------------------------------------------------------------


def test_a_repeat_group_is_refused_at_its_row():
    assert _refused(repeat_form()) == [("survey", REPEAT_ROW, "repeat")]


@pytest.mark.parametrize("kind", ["calculate", "image", "geopoint", "select_one_from_file places.csv", "range"])
def test_a_type_the_engine_does_not_ask_is_refused_at_its_row(kind):
    data = workbook([_q("text", "nama"), {**_q(kind, "x"), "calculation": None}, _q("integer", "umur")])
    result = read_xlsform(data)
    assert [(p.row, p.reason, p.details) for p in result.problems] == [(3, "unsupported_type", {"type": kind})]


def test_a_calculation_is_refused_once_for_its_type():
    data = workbook([_q("text", "nama"), {"type": "calculate", "name": "total", "calculation": "1 + 1"}])
    assert _refused(data) == [("survey", 3, "unsupported_type")]


@pytest.mark.parametrize(
    "column", ["default", "read_only", "parameters", "media::image::English (en)", "image", "body::accuracyThreshold"]
)
def test_a_filled_column_the_engine_does_not_do_is_refused(column):
    data = workbook([_q("text", "nama"), {**_q("integer", "umur"), column: "x"}])
    result = read_xlsform(data)
    assert result.problems == (Problem("survey", 3, "unsupported_column", {"column": column.lower()}),)


def test_a_conditional_required_is_refused():
    data = workbook([_q("text", "nama"), _q("integer", "umur", required="${nama} != ''")])
    assert _refused(data) == [("survey", 3, "unsupported_column")]


def test_meta_rows_are_not_questions_and_not_problems():
    data = workbook(
        [{"type": t, "name": t} for t in ("start", "end", "today", "deviceid", "username")] + [_q("text", "a")]
    )
    result = read_xlsform(data)
    assert [q.name for q in result.form.questions] == ["a"]


def test_a_choice_filter_is_refused_as_cascading():
    data = workbook(
        [_q("select_one p", "provinsi"), _q("select_one k", "kota", choice_filter="provinsi=${provinsi}")],
        [*_choices("p", "jateng", "jatim"), *_choices("k", "solo", "surabaya", provinsi="x")],
    )
    assert _refused(data) == [("survey", 3, "cascading")]


def test_a_condition_outside_the_subset_is_refused_with_its_expression():
    data = workbook(
        [
            _q("select_multiple b", "bahan"),
            _q("text", "banyak", relevant="count-selected(${bahan}) > 1"),
        ],
        _choices("b", "katun", "sutra"),
    )
    result = read_xlsform(data)
    assert result.problems == (Problem("survey", 3, "relevant", {"expression": "count-selected(${bahan}) > 1"}),)


def test_a_condition_naming_a_later_question_is_refused():
    data = workbook([_q("text", "a", relevant="${b} = 'x'"), _q("text", "b")])
    assert _refused(data) == [("survey", 2, "relevant")]


def test_a_regex_constraint_is_refused():
    data = workbook([_q("text", "hp", constraint="regex(., '^[0-9]{10,13}$')")])
    assert _refused(data) == [("survey", 2, "constraint")]


@pytest.mark.parametrize(
    ("kind", "constraint"),
    [("integer", ". != 0"), ("integer", ". >= 1.5"), ("decimal", ". >= 10 and . <= 1"), ("date", ". <= today()")],
)
def test_constraints_the_engine_cannot_hold_are_refused(kind, constraint):
    assert _refused(workbook([_q(kind, "x", constraint=constraint)])) == [("survey", 2, "constraint")]


def test_a_list_missing_from_the_choices_is_refused():
    data = workbook([_q("select_one ada", "a"), _q("select_one hilang", "b")], _choices("ada", "x", "y"))
    result = read_xlsform(data)
    assert result.problems == (Problem("survey", 3, "unknown_list", {"list": "hilang"}),)


def test_thirteen_options_are_too_many_for_a_phone_screen():
    data = workbook([_q("select_one k", "kota")], _choices("k", *(f"k{n}" for n in range(13))))
    result = read_xlsform(data)
    assert result.problems == (Problem("choices", 2, "too_many_choices", {"list": "k", "count": 13}),)


def test_one_option_is_too_few():
    assert _refused(workbook([_q("select_one k", "kota")], _choices("k", "solo"))) == [
        ("choices", 2, "too_few_choices")
    ]


def test_a_question_or_a_choice_without_a_label_is_refused():
    data = workbook(
        [_q("text", "nama"), {"type": "integer", "name": "umur"}, _q("select_one yn", "ok")],
        [{"list_name": "yn", "name": "ya", "label": "Ya"}, {"list_name": "yn", "name": "tidak"}],
    )
    result = read_xlsform(data)
    assert [(p.sheet, p.row, p.reason, p.details) for p in result.problems] == [
        ("survey", 3, "no_label", {"name": "umur"}),
        ("choices", 3, "no_label", {"name": "tidak"}),
    ]


def test_a_name_used_twice_is_refused_at_its_second_row():
    data = workbook([_q("text", "nama"), _q("integer", "umur"), _q("text", "nama")])
    result = read_xlsform(data)
    assert result.problems == (Problem("survey", 4, "duplicate_name", {"name": "nama"}),)


def test_bad_names_groups_and_scores_are_refused():
    data = workbook(
        [
            _q("text", "nama usaha"),
            {"type": "end_group"},
            _q("begin_group", "g"),
            _q("select_one s", "s"),
        ],
        [
            {"list_name": "s", "name": "a", "label": "A", "score": "tinggi"},
            {"list_name": "s", "name": "b", "label": "B", "score": 2},
            {"list_name": "s", "name": "c", "label": "C"},
        ],
    )
    assert _refused(data) == [
        ("survey", 2, "bad_name"),
        ("survey", 3, "stray_end_group"),
        ("survey", 4, "group_not_closed"),
        ("choices", 2, "bad_score"),
        ("choices", 2, "mixed_scores"),
    ]


def test_missing_columns_are_refused():
    assert _refused(workbook([{"type": "text", "name": "nama"}])) == [("survey", 1, "missing_column")]
    data = workbook([_q("select_one s", "s")], [{"list_name": "s", "name": "a"}, {"list_name": "s", "name": "b"}])
    result = read_xlsform(data)
    assert result.problems == (Problem("choices", 1, "missing_column", {"column": "label"}),)


def test_a_survey_without_questions_is_refused():
    assert _refused(workbook([{"type": "start", "name": "start", "label": ""}])) == [("survey", None, "no_survey")]


def test_a_file_that_is_not_a_workbook_is_unreadable():
    assert _refused(b"hello") == [("file", None, "unreadable")]
    assert _refused(b"PK\x03\x04 not really a zip") == [("file", None, "unreadable")]


def test_several_problems_are_all_reported_at_once():
    data = workbook(
        [
            _q("text", "nama"),  # row 2: fine
            _q("calculate", "total"),  # row 3
            _q("begin_repeat", "r"),  # row 4
            _q("text", "hp", constraint="regex(., '^0')"),  # row 5
            {"type": "end_repeat"},  # row 6
            _q("select_one nope", "x"),  # row 7
            _q("image", "foto"),  # row 8
            _q("text", "nama"),  # row 9
        ],
        _choices("yn", "ya", "tidak"),
    )
    assert _refused(data) == [
        ("survey", 3, "unsupported_type"),
        ("survey", 4, "repeat"),
        ("survey", 5, "constraint"),
        ("survey", 7, "unknown_list"),
        ("survey", 8, "unsupported_type"),
        ("survey", 9, "duplicate_name"),
    ]


def test_what_only_the_engine_catches_is_reported_as_a_form_error():
    data = workbook(
        [_q("select_one s", "s")],
        [{"list_name": "s", "name": "a", "label": "Sama"}, {"list_name": "s", "name": "b", "label": "sama"}],
    )
    result = read_xlsform(data)
    assert [p.reason for p in result.problems] == ["form_error"]
    assert "duplicate option text" in result.problems[0].details["message"]


# -- the reply ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_reason_has_a_sentence(lang):
    assert set(reason_texts(lang)) == set(REASONS)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_report_names_the_rows(lang):
    problems = (
        *read_xlsform(repeat_form()).problems,
        Problem("survey", 9, "unsupported_type", {"type": "<calculate>"}),
    )
    text = report_text(lang, problems, "keluarga <1>.xlsx")
    assert "keluarga &lt;1&gt;.xlsx" in text
    assert str(REPEAT_ROW) in text and "9" in text
    assert "&lt;calculate&gt;" in text and "<calculate>" not in text
    assert "2" in text.splitlines()[1]


def test_a_problem_line_in_english():
    line = problem_line("en", Problem("choices", 14, "too_many_choices", {"list": "kota", "count": 13}))
    assert line == "• Row 14 (choices): list “kota” has 13 options; a phone screen fits at most 12"
    assert problem_line("en", Problem("file", None, "unreadable")).startswith("• this is not an Excel workbook")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_two_hundred_problems_fit_one_message(lang):
    problems = [
        Problem("survey", row, "relevant", {"expression": "count-selected(${bahan}) > 1 " * 20})
        for row in range(2, 202)
    ]
    text = report_text(lang, problems, "x" * 300 + ".xlsx")
    assert len(text) <= 4096
    assert "Row 2 " in text or "Baris 2 " in text
    assert "185" in text  # "… and 185 more"
    assert "Row 16 " in text or "Baris 16 " in text  # the fifteenth shown
    assert "Row 17 " not in text and "Baris 17 " not in text
