"""Questionnaires as data: loading, validation with clear errors, conditions, typed answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.forms import (
    AnswerProblem,
    FormError,
    load_form,
    load_forms,
    parse_condition,
    parse_form,
    read_typed_answer,
    score_of,
)

ROOT = Path(__file__).resolve().parents[2]
ANNEX1 = ROOT / "conversations" / "survey" / "forms" / "annex1.yaml"


def _form(**overrides) -> dict:
    data = {
        "id": "mini",
        "version": 1,
        "title::id": "Mini",
        "title::en": "Mini",
        "questions": [
            {
                "name": "colour",
                "type": "select_one",
                "label::id": "Warna?",
                "label::en": "Colour?",
                "choices": [
                    {"name": "red", "score": 2, "label::id": "Merah", "label::en": "Red"},
                    {"name": "blue", "score": 1, "label::id": "Biru", "label::en": "Blue"},
                ],
            }
        ],
    }
    data.update(overrides)
    return data


def test_annex1_has_eight_bases_scored_from_five_down_to_one():
    form = load_form(ANNEX1)
    assert (form.id, form.version, len(form.questions)) == ("annex1", 1, 8)
    for question in form.questions:
        assert [c.score for c in question.choices] == [5, 4, 3, 2, 1]
        assert question.label("id") and question.label("en") and question.short("en")
    assert form.question("geographic_bounds").choices[0].label("id").startswith("Jari-jari kurang dari 2.5 km")
    assert form.question("leading_firm").choices[-1].label("en") == "No firm has a leader's charisma."


def test_every_shipped_definition_loads():
    forms = load_forms(ANNEX1.parent)
    assert ("annex1", 1) in forms


def test_a_missing_translation_names_file_question_and_language():
    data = _form()
    del data["questions"][0]["choices"][1]["label::en"]
    with pytest.raises(FormError) as raised:
        parse_form(data, "mini.yaml")
    assert (
        str(raised.value)
        == "mini.yaml: question colour: choice blue: missing label::en (every label needs label::id, label::en)"
    )


def test_a_duplicate_option_is_refused():
    data = _form()
    data["questions"][0]["choices"][1]["label::id"] = "merah"
    with pytest.raises(FormError, match=r"mini.yaml: question colour: choice blue: duplicate option text in label::id"):
        parse_form(data, "mini.yaml")
    data = _form()
    data["questions"][0]["choices"][1]["name"] = "red"
    with pytest.raises(FormError, match="duplicate option name"):
        parse_form(data, "mini.yaml")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"type": "slider"}, "type must be one of"),
        ({"relevant": "${nothing} = 'x'"}, "relevant names 'nothing'"),
        ({"relevant": "colour = red"}, "relevant: cannot read"),
        ({"name": "Bad Name"}, "name must be a short lower-case name"),
    ],
)
def test_wrong_questions_are_named(change, problem):
    data = _form()
    data["questions"][0].update(change)
    with pytest.raises(FormError, match=problem):
        parse_form(data, "mini.yaml")


def test_scores_are_all_or_nothing_and_within_range():
    data = _form(score_range=[1, 5])
    data["questions"][0]["choices"][0]["score"] = 9
    with pytest.raises(FormError, match="score must be a whole number within"):
        parse_form(data, "mini.yaml")
    data = _form()
    del data["questions"][0]["choices"][0]["score"]
    with pytest.raises(FormError, match="either every choice has a score or none has"):
        parse_form(data, "mini.yaml")


def test_broken_yaml_names_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(FormError, match=r"broken\.yaml: not valid YAML"):
        load_form(path)


def test_conditions_decide_which_questions_are_asked():
    data = _form()
    data["questions"].append(
        {"name": "why", "type": "text", "label::id": "Kenapa?", "label::en": "Why?", "relevant": "${colour} = 'red'"}
    )
    form = parse_form(data, "mini.yaml")
    assert [q.name for q in form.asked({})] == ["colour"]
    assert [q.name for q in form.asked({"colour": "red"})] == ["colour", "why"]
    assert form.next_unanswered({"colour": "blue"}) is None
    assert form.complete({"colour": "blue"})
    assert not form.complete({"colour": "red"})
    assert form.applicable_answers({"colour": "blue", "why": "old"}) == {"colour": "blue"}
    assert score_of(form.question("colour"), "red") == 2


def test_condition_language():
    condition = parse_condition("${a} = 'yes' and selected(${b}, 'x') or ${c} != '3'")
    assert condition.holds({"a": "yes", "b": ["x", "y"]})
    assert not condition.holds({"a": "yes", "b": ["y"], "c": "3"})
    assert condition.holds({"c": "4"})
    with pytest.raises(ValueError):
        parse_condition("${a} = 'yes' and")


def test_typed_answers_are_checked():
    data = _form(
        questions=[
            {"name": "firms", "type": "integer", "min": 0, "max": 500, "label::id": "Jumlah?", "label::en": "How many?"}
        ]
    )
    question = parse_form(data, "mini.yaml").question("firms")
    assert read_typed_answer(question, " 1.200 ".replace("1.200", "120")) == 120
    for typed, reason in (("", "empty"), ("banyak", "not_a_number"), ("-1", "too_small"), ("501", "too_large")):
        with pytest.raises(AnswerProblem) as raised:
            read_typed_answer(question, typed)
        assert raised.value.reason == reason


def test_dates_are_typed_as_indonesians_write_them():
    data = _form(questions=[{"name": "starts_on", "type": "date", "label::id": "Mulai?", "label::en": "Starts?"}])
    question = parse_form(data, "mini.yaml").question("starts_on")
    assert read_typed_answer(question, "23-11-2026") == "2026-11-23"
    assert read_typed_answer(question, "1/2/2027") == "2027-02-01"
    assert read_typed_answer(question, "2027-03-31") == "2027-03-31"
    for typed in ("besok", "31-02-2027", "2027/31/12", "23-11-26"):
        with pytest.raises(AnswerProblem) as raised:
            read_typed_answer(question, typed)
        assert raised.value.reason == "not_a_date"


def test_a_choice_shows_its_short_label_and_keeps_the_full_wording():
    form = load_form(ANNEX1)
    first = form.question("geographic_bounds").choices[0]
    assert first.short("id") == "Dalam 2,5 km, perjalanan terlama di bawah 30 menit"
    assert first.label("id") == "Jari-jari kurang dari 2.5 km, dan perjalanan terlama kurang dari 30 menit"
    assert first.shortened
    assert all(c.short("id") and c.short("en") for q in form.questions for c in q.choices)


def test_a_short_label_needs_both_languages_and_must_differ_from_its_siblings():
    one_language = _form()
    one_language["questions"][0]["choices"][0]["short::id"] = "M"
    with pytest.raises(FormError, match="short::en"):
        parse_form(one_language, "mini.yaml")
    twins = _form()
    for choice in twins["questions"][0]["choices"]:
        choice.update({"short::id": "Sama", "short::en": "Same"})
    with pytest.raises(FormError, match="duplicate option text in short::id"):
        parse_form(twins, "mini.yaml")


def _labelled(name: str, kind: str, **extra) -> dict:
    return {"name": name, "type": kind, "label::id": name.title(), "label::en": name.title(), **extra}


def test_decimals_are_typed_as_indonesians_write_them_and_bounds_may_be_exclusive():
    data = _form(
        questions=[
            _labelled(
                "turnover",
                "decimal",
                min=0,
                max=10000,
                min_exclusive=True,
                **{"constraint_message::id": "Lebih dari 0", "constraint_message::en": "More than 0"},
            )
        ]
    )
    question = parse_form(data, "mini.yaml").question("turnover")
    assert read_typed_answer(question, "12,5") == 12.5
    assert read_typed_answer(question, "12.5") == 12.5
    assert read_typed_answer(question, "1.234,5") == 1234.5 and read_typed_answer(question, "1000") == 1000
    for typed, reason in (
        ("0", "not_above"),
        ("10000,5", "too_large"),
        ("1,2,3", "not_a_decimal"),
        ("dua", "not_a_decimal"),
    ):
        with pytest.raises(AnswerProblem) as raised:
            read_typed_answer(question, typed)
        assert raised.value.reason == reason
    assert question.constraint_message("id") == "Lebih dari 0"
    with pytest.raises(FormError, match="whole numbers"):
        parse_form(_form(questions=[_labelled("n", "integer", min=0.5)]), "mini.yaml")


def test_a_whole_number_question_takes_thousands_groups_but_no_fraction():
    question = parse_form(_form(questions=[_labelled("n", "integer")]), "mini.yaml").question("n")
    assert read_typed_answer(question, "1.500") == 1500 and read_typed_answer(question, "2,000,000") == 2000000
    with pytest.raises(AnswerProblem):
        read_typed_answer(question, "2,5")


def test_text_length_bounds():
    question = parse_form(_form(questions=[_labelled("name", "text", min_length=3, max_length=10)]), "m").question(
        "name"
    )
    assert read_typed_answer(question, "Ani S") == "Ani S"
    for typed, reason in (("Al", "too_short"), ("Batik Laweyan", "too_long")):
        with pytest.raises(AnswerProblem) as raised:
            read_typed_answer(question, typed)
        assert raised.value.reason == reason


def test_a_group_condition_holds_for_every_question_in_it_and_notes_show_under_their_own():
    export = {"name": "export", "label::id": "Ekspor", "label::en": "Export", "relevant": "${sells_abroad} = 'yes'"}
    data = _form(
        questions=[
            _labelled(
                "sells_abroad",
                "select_one",
                choices=[
                    {"name": "yes", "label::id": "Ya", "label::en": "Yes"},
                    {"name": "no", "label::id": "Tidak", "label::en": "No"},
                ],
            ),
            _labelled(
                "countries",
                "text",
                groups=[export],
                notes=[
                    {
                        "name": "hello",
                        "label::id": "Catatan",
                        "label::en": "Note",
                        "relevant": "${sells_abroad} = 'yes'",
                    }
                ],
            ),
            _labelled("amount", "decimal", groups=[export], relevant="${countries} != ''"),
            _labelled("workers", "integer"),
            _labelled("many", "text", relevant="${workers} >= 5"),
        ]
    )
    form = parse_form(data, "mini.yaml")
    assert [q.name for q in form.asked({"sells_abroad": "no"})] == ["sells_abroad", "workers"]
    assert [q.name for q in form.asked({"sells_abroad": "yes", "countries": "JP", "workers": 6})] == [
        "sells_abroad",
        "countries",
        "amount",
        "workers",
        "many",
    ]
    countries = form.question("countries")
    assert countries.heading("id") == "Ekspor" and [g.name for g in form.groups] == ["export"]
    assert [n.name for n in countries.notes_shown({"sells_abroad": "yes"})] == ["hello"]
    assert countries.notes_shown({"sells_abroad": "no"}) == []
    with pytest.raises(FormError, match="not an earlier question"):
        parse_form(_form(questions=[_labelled("a", "text", groups=[{**export, "relevant": "${b} = 'x'"}])]), "m")


def test_numeric_and_negated_conditions():
    condition = parse_condition("${n} > 2.5 and not(selected(${m}, 'x'))")
    assert condition.holds({"n": 3, "m": ["y"]})
    assert not condition.holds({"n": 3, "m": ["x"]}) and not condition.holds({"n": 2, "m": []})
    assert not condition.holds({"m": ["y"]})  # unanswered numbers compare as nothing
    assert parse_condition("${n} = ''").holds({}) and not parse_condition("${n} = ''").holds({"n": 0})
    for unsupported in ("count-selected(${m}) > 1", "${a} + 1 = 2", "regex(${a}, '[0-9]')"):
        with pytest.raises(ValueError):
            parse_condition(unsupported)
