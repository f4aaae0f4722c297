"""bot/xlsform_export.py: every form converts with pyxform, as KoboToolbox and ODK Central convert it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert  # type: ignore[import-untyped]

from bot.forms import Form, load_forms, parse_form
from bot.xlsform_export import constraint_of, survey_rows, write_xlsform, xml_paths

ROOT = Path(__file__).resolve().parents[2]
BUILT_IN = {
    **load_forms(ROOT / "conversations/survey/forms"),
    **load_forms(ROOT / "conversations/plans/forms"),
}


def _xform(form: Form) -> str:
    """The XForm pyxform makes of the exported workbook; no warning allowed."""
    warnings: list[str] = []
    result = convert(xlsform=io.BytesIO(write_xlsform(form)), file_type=".xlsx", warnings=warnings)
    assert warnings == []
    return result.xform


def _labels(text: str) -> dict[str, str]:
    return {"label::id": f"{text} (id)", "label::en": text}


def _grouped_form() -> Form:
    business = {"name": "usaha", **_labels("Business"), "relevant": "${has_firm} = 'yes'"}
    return parse_form(
        {
            "id": "grouped",
            "version": 3,
            "title::id": "Uji",
            "title::en": "Test",
            "questions": [
                {
                    "name": "has_firm",
                    "type": "select_one",
                    **_labels("A firm?"),
                    "choices": [{"name": "yes", **_labels("Yes")}, {"name": "no", **_labels("No")}],
                },
                {
                    "name": "workers",
                    "type": "integer",
                    "min": 1,
                    "max": 500,
                    **_labels("Workers"),
                    "groups": [business],
                    "notes": [{"name": "intro", **_labels("About your business")}],
                },
                {
                    "name": "turnover",
                    "type": "decimal",
                    "min": 0,
                    "min_exclusive": True,
                    "max": 2.5,
                    "max_exclusive": True,
                    "constraint_message::id": "Harus di atas 0",
                    "constraint_message::en": "Must be above 0",
                    **_labels("Turnover"),
                    "relevant": "${workers} >= 5 or ${has_firm} = 'yes'",
                    "groups": [business, {"name": "ekspor", **_labels("Export")}],
                    "notes": [{"name": "money", **_labels("In billions"), "relevant": "${workers} > 3"}],
                },
                {
                    "name": "owner",
                    "type": "text",
                    "required": False,
                    "min_length": 3,
                    "max_length": 80,
                    **_labels("Owner"),
                },
                {"name": "remark", "type": "text", **_labels("Remark")},
            ],
        },
        "test",
    )


@pytest.mark.parametrize("key", sorted(BUILT_IN), ids=lambda key: key[0])
def test_every_built_in_form_converts_without_warnings(key):
    form = BUILT_IN[key]
    xform = _xform(form)
    assert f'id="{form.id}"' in xform and f'version="{form.version}"' in xform
    assert f"<h:title>{form.title('id')}</h:title>" in xform
    for question in form.questions:
        assert f"/{question.name}" in xform
        for choice in question.choices:
            assert f"<name>{choice.name}</name>" in xform
        if question.relevant:
            assert 'relevant="' in xform


def test_the_action_plan_keeps_its_relevant_and_length_limit_as_binds():
    xform = _xform(BUILT_IN[("action_plan", 1)])
    assert (
        '<bind nodeset="/data/supporter" type="string" required="true()" '
        'relevant=" /data/outside_support  = \'yes\'" constraint="string-length(.) &lt;= 200"/>'
    ) in xform


def test_the_annex_choices_keep_their_scores_and_full_labels():
    form = BUILT_IN[("annex1", 1)]
    sheet = load_workbook(io.BytesIO(write_xlsform(form)))["choices"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("list_name", "name", "label::Indonesian (id)", "label::English (en)", "score")
    first = form.questions[0].choices[0]
    assert rows[1] == (form.questions[0].name, first.name, first.label("id"), first.label("en"), first.score)


def test_an_unscored_form_has_no_score_column_and_the_settings_name_the_form():
    form = BUILT_IN[("plan_checkin", 1)]
    workbook = load_workbook(io.BytesIO(write_xlsform(form)))
    assert next(workbook["choices"].iter_rows(values_only=True)) == (
        "list_name",
        "name",
        "label::Indonesian (id)",
        "label::English (en)",
    )
    settings = list(workbook["settings"].iter_rows(values_only=True))
    assert settings == [
        ("form_id", "form_title", "title_id", "title_en", "version", "default_language"),
        ("plan_checkin", form.title("id"), form.title("id"), form.title("en"), "1", "Indonesian (id)"),
    ]


def test_the_survey_sheet_starts_with_start_and_end_and_has_the_kobo_columns():
    rows = survey_rows(BUILT_IN[("plan_checkin", 1)])
    assert rows[0] == [
        "type",
        "name",
        "label::Indonesian (id)",
        "label::English (en)",
        "hint::Indonesian (id)",
        "hint::English (en)",
        "required",
        "relevant",
        "constraint",
        "constraint_message::Indonesian (id)",
        "constraint_message::English (en)",
    ]
    assert [row[:2] for row in rows[1:4]] == [["start", "start"], ["end", "end"], ["select_one status", "status"]]


def test_groups_nest_and_notes_come_before_their_question():
    rows = [(row[0], row[1], row[7], row[8]) for row in survey_rows(_grouped_form())[3:]]
    assert rows == [
        ("select_one has_firm", "has_firm", "", ""),
        ("begin_group", "usaha", "${has_firm} = 'yes'", ""),
        ("note", "intro", "", ""),
        ("integer", "workers", "", ". >= 1 and . <= 500"),
        ("begin_group", "ekspor", "", ""),
        ("note", "money", "${workers} > 3 and (${workers} >= 5 or ${has_firm} = 'yes')", ""),
        ("decimal", "turnover", "${workers} >= 5 or ${has_firm} = 'yes'", ". > 0 and . < 2.5"),
        ("end_group", "ekspor", "", ""),
        ("end_group", "usaha", "", ""),
        ("text", "owner", "", "string-length(.) >= 3 and string-length(.) <= 80"),
        ("text", "remark", "", "string-length(.) <= 500"),
    ]


def test_required_and_constraint_messages_are_written():
    rows = {row[1]: row for row in survey_rows(_grouped_form()) if row[0] != "end_group"}
    assert rows["workers"][6] == "yes" and rows["owner"][6] == ""
    assert rows["turnover"][9:] == ["Harus di atas 0", "Must be above 0"]
    assert rows["usaha"][2:4] == ["Business (id)", "Business"]


def test_the_grouped_form_converts_with_its_nesting_and_binds():
    xform = _xform(_grouped_form())
    assert "<usaha>" in xform and "<ekspor>" in xform
    assert xform.index("<ekspor>") < xform.index("<turnover/>") < xform.index("</ekspor>") < xform.index("</usaha>")
    assert 'nodeset="/data/usaha/ekspor/turnover" type="decimal"' in xform
    assert 'constraint=". &gt; 0 and . &lt; 2.5"' in xform
    assert "<value>Must be above 0</value>" in xform
    assert 'nodeset="/data/usaha" relevant=" /data/has_firm  = \'yes\'"' in xform


def test_xml_paths_name_the_group_path():
    assert xml_paths(_grouped_form()) == {
        "has_firm": "has_firm",
        "workers": "usaha/workers",
        "turnover": "usaha/ekspor/turnover",
        "owner": "owner",
        "remark": "remark",
    }


def test_a_group_that_comes_back_later_gets_a_name_of_its_own():
    section = {"name": "usaha", **_labels("Business")}
    form = parse_form(
        {
            "id": "twice",
            "version": 1,
            "title::id": "Dua kali",
            "title::en": "Twice",
            "questions": [
                {"name": "a", "type": "integer", **_labels("A"), "groups": [section]},
                {"name": "b", "type": "date", **_labels("B")},
                {"name": "c", "type": "integer", **_labels("C"), "groups": [section]},
            ],
        },
        "test",
    )
    assert xml_paths(form) == {"a": "usaha/a", "b": "b", "c": "usaha_2/c"}
    assert "<usaha_2>" in _xform(form)


def test_a_question_called_start_moves_the_meta_row_aside():
    form = parse_form(
        {
            "id": "meta",
            "version": 1,
            "title::id": "Meta",
            "title::en": "Meta",
            "questions": [{"name": "start", "type": "date", **_labels("Start")}],
        },
        "test",
    )
    assert [row[1] for row in survey_rows(form)[1:]] == ["start_time", "end", "start"]
    _xform(form)


def test_bounds_are_written_as_xpath_numbers():
    form = parse_form(
        {
            "id": "bounds",
            "version": 1,
            "title::id": "Batas",
            "title::en": "Bounds",
            "questions": [
                {"name": "tiny", "type": "decimal", "min": 0.00001, **_labels("Tiny")},
                {"name": "whole", "type": "decimal", "max": 10.0, **_labels("Whole")},
                {"name": "free", "type": "integer", **_labels("Free")},
                {"name": "day", "type": "date", **_labels("Day")},
            ],
        },
        "test",
    )
    assert [constraint_of(q) for q in form.questions] == [". >= 0.00001", ". <= 10", "", ""]
    _xform(form)


def test_every_kind_of_condition_converts_as_xpath():
    form = parse_form(
        {
            "id": "conditions",
            "version": 1,
            "title::id": "Syarat",
            "title::en": "Conditions",
            "questions": [
                {
                    "name": "markets",
                    "type": "select_multiple",
                    **_labels("Markets"),
                    "choices": [{"name": "local", **_labels("Local")}, {"name": "export", **_labels("Export")}],
                },
                {"name": "workers", "type": "integer", **_labels("Workers")},
                {
                    "name": "why_not",
                    "type": "text",
                    **_labels("Why not?"),
                    "relevant": "not(selected(${markets}, 'export')) and ${workers} >= 5",
                },
                {
                    "name": "where",
                    "type": "text",
                    **_labels("Where?"),
                    "relevant": "selected(${markets}, \"export\") or ${why_not} != ''",
                },
                {
                    "name": "when",
                    "type": "date",
                    **_labels("When?"),
                    "relevant": "${workers} < 2.5",
                    "notes": [{"name": "about", **_labels("About it"), "relevant": "${workers} != 3"}],
                },
            ],
        },
        "test",
    )
    xform = _xform(form)
    assert "relevant=\"not(selected( /data/markets , 'export')) and  /data/workers  &gt;= 5\"" in xform
    assert "relevant=\"selected( /data/markets , &quot;export&quot;) or  /data/why_not  != ''\"" in xform
    assert 'relevant=" /data/workers  != 3 and  /data/workers  &lt; 2.5"' in xform


def test_the_annex_scores_reach_the_xform_choices():
    xform = _xform(BUILT_IN[("annex1", 1)])
    assert "<score>5</score>" in xform and "<score>1</score>" in xform
