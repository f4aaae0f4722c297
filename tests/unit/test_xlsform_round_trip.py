"""Round trip (issue 22 item 5): a questionnaire Rembug has → XLSForm → pyxform accepts it → read back into
Rembug → the same questions, options, scores and conditions as the original. ANNEX-1 and every plan
form, and the batik survey written as KoboToolbox would write it."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pyxform.xls2xform import convert  # type: ignore[import-untyped]

from bot.forms import Form, Question, load_forms
from bot.xlsform import read_xlsform
from bot.xlsform_export import write_xlsform
from tests.xlsforms import annotated_form

ROOT = Path(__file__).resolve().parents[2]
BUILT_IN = {
    **load_forms(ROOT / "conversations/survey/forms"),
    **load_forms(ROOT / "conversations/plans/forms"),
}


def _question(question: Question) -> dict[str, Any]:
    """Everything that decides what a question asks and accepts (short labels are not XLSForm's)."""
    return {
        "name": question.name,
        "type": question.type,
        "labels": question.labels,
        "hints": question.hints,
        "required": question.required,
        "choices": [(c.name, c.labels, c.score) for c in question.choices],
        "relevant": question.relevant.clauses if question.relevant else None,
        "bounds": (question.minimum, question.maximum, question.min_exclusive, question.max_exclusive),
        "length": (question.min_length, question.max_length) if question.type == "text" else None,
        "messages": question.constraint_messages,
        "groups": [(g.name, g.labels, g.relevant.clauses if g.relevant else None) for g in question.groups],
        "notes": [(n.name, n.labels) for n in question.notes],
    }


def _back(form: Form) -> Form:
    data = write_xlsform(form)
    warnings: list[str] = []
    convert(xlsform=io.BytesIO(data), file_type=".xlsx", warnings=warnings)
    assert warnings == []
    read = read_xlsform(data, f"{form.id}.xlsx")
    assert read.problems == () and read.form is not None
    return read.form


@pytest.mark.parametrize("key", sorted(BUILT_IN), ids=lambda key: key[0])
def test_a_built_in_questionnaire_comes_back_the_same(key):
    original = BUILT_IN[key]
    back = _back(original)
    assert back.id == original.id and back.titles == original.titles
    assert [_question(q) for q in back.questions] == [_question(q) for q in original.questions]
    if original.score_range is not None:
        assert back.score_range == original.score_range


def test_annex1_keeps_its_eight_scored_aspects():
    back = _back(BUILT_IN[("annex1", 1)])
    assert len(back.questions) == 8 and all(q.scored for q in back.questions)
    assert back.question("geographic_bounds").scores == BUILT_IN[("annex1", 1)].question("geographic_bounds").scores


def test_the_kobo_form_survives_export_and_import_again():
    first = read_xlsform(annotated_form(), "batik.xlsx").form
    assert first is not None
    again = _back(first)
    assert [_question(q) for q in again.questions] == [_question(q) for q in first.questions]
