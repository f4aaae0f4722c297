"""Survey results a person would rather look at: tallies, medians, trend, message, chart, and downloads read back."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from bot.exports import build_csv, build_xlsx
from bot.forms import load_form, parse_form
from conversations.survey.answers_export import export_filename, export_table
from conversations.survey.chart import results_chart
from conversations.survey.results import Change, compare, summarise
from conversations.survey.results_views import results_message
from storage.forms import Response

ROOT = Path(__file__).resolve().parents[2]
ANNEX1 = load_form(ROOT / "conversations" / "survey" / "forms" / "annex1.yaml")
BASES = [question.name for question in ANNEX1.questions]
SUBMITTED = datetime(2026, 3, 1, 20, 30, tzinfo=UTC)  # 2 March in Jakarta (UTC+7)

# One row per respondent, one score per base in the form's order.
THIS_ROUND = [
    [5, 1, 3, 5, 2, 1, 5, 2],
    [4, 1, 3, 5, 3, 2, 5, 2],
    [4, 2, 3, 4, 4, 2, 5, 1],
]
LAST_ROUND = [
    [5, 1, 2, 3, 2, 1, 4, 1],
    [4, 2, 2, 3, 2, 1, 4, 1],
    [3, 1, 3, 4, 3, 2, 4, 1],
    [3, 2, 3, 4, 3, 3, 4, 2],
]


def _response(
    number: int,
    answers: dict,
    *,
    respondent_id: int | None = None,
    entered_by: int | None = None,
    name: str | None = None,
    source: str | None = None,
) -> Response:
    respondent = number if respondent_id is None else respondent_id
    return Response(
        id=number,
        form_id="annex1",
        form_version=1,
        subject="survey_round:1",
        respondent_id=respondent,
        respondent_name=name,
        entered_by=respondent if entered_by is None else entered_by,
        current=None,
        status="submitted",
        answers=answers,
        started_at=SUBMITTED,
        updated_at=SUBMITTED,
        submitted_at=SUBMITTED,
        source=source or ("phone" if entered_by in (None, respondent) else "interview"),
    )


def _choice(base: str, score: int) -> str:
    return next(choice.name for choice in ANNEX1.question(base).choices if choice.score == score)


def _round(table: list[list[int]]) -> list[Response]:
    return [
        _response(number, {base: _choice(base, score) for base, score in zip(BASES, scores, strict=True)})
        for number, scores in enumerate(table, start=1)
    ]


def _visible(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


# -- numbers ----------------------------------------------------------------------------------------


def test_each_base_counts_answers_per_option_in_the_forms_order():
    results = summarise(ANNEX1, _round(THIS_ROUND))
    geography = results.base("geographic_bounds")
    assert [name for name, _count in geography.counts] == [c.name for c in ANNEX1.question("geographic_bounds").choices]
    assert [count for _name, count in geography.counts] == [1, 2, 0, 0, 0]
    assert geography.answered == 3
    assert results.respondents == 3


def test_medians_with_an_odd_and_an_even_number_of_answers():
    odd = summarise(ANNEX1, _round(THIS_ROUND))
    even = summarise(ANNEX1, _round(LAST_ROUND))
    assert [base.median for base in odd.bases] == [4.0, 1.0, 3.0, 5.0, 3.0, 2.0, 5.0, 2.0]
    assert [base.median for base in even.bases] == [3.5, 1.5, 2.5, 3.5, 2.5, 1.5, 4.0, 1.0]


def test_overall_is_the_mean_of_medians_rounded_half_up():
    assert summarise(ANNEX1, _round(THIS_ROUND)).overall == 3.13  # 25 / 8 = 3.125
    assert summarise(ANNEX1, _round(LAST_ROUND)).overall == 2.5


def test_strongest_and_weakest_list_every_tied_base_in_form_order():
    results = summarise(ANNEX1, _round(THIS_ROUND))
    assert results.strongest == ("materials", "support_institutions")
    assert results.weakest == ("core_firms",)
    level = summarise(ANNEX1, _round([[3] * 8]))
    assert level.strongest == level.weakest == tuple(BASES)


def test_skipped_and_stale_answers_are_left_out_of_a_base():
    responses = [*_round(THIS_ROUND), _response(9, {"geographic_bounds": "gone_option", "materials": None})]
    results = summarise(ANNEX1, responses)
    assert results.respondents == 4
    assert results.base("geographic_bounds").answered == 3
    assert results.base("geographic_bounds").median == 4.0
    assert results.base("materials").answered == 3


def test_change_since_the_previous_round_per_base_and_overall():
    change = compare(summarise(ANNEX1, _round(THIS_ROUND)), summarise(ANNEX1, _round(LAST_ROUND)))
    assert change.bases == {
        "geographic_bounds": 0.5,
        "core_firms": -0.5,
        "industry_market": 0.5,
        "materials": 1.5,
        "specific_resources": 0.5,
        "research_institutions": 0.5,
        "support_institutions": 1.0,
        "leading_firm": 1.0,
    }
    assert change.overall == 0.63


def test_an_empty_round_has_no_scores_and_no_change():
    empty = summarise(ANNEX1, [])
    assert empty.respondents == 0 and empty.overall is None and not empty.has_answers
    assert empty.strongest == () and empty.weakest == ()
    assert all(base.median is None and base.answered == 0 for base in empty.bases)
    assert all(count == 0 for base in empty.bases for _name, count in base.counts)
    previous = summarise(ANNEX1, _round(LAST_ROUND))
    assert compare(empty, previous) == Change({}, None)
    assert compare(previous, empty) == Change({}, None)


# -- the message ------------------------------------------------------------------------------------


def test_results_message_in_indonesian_shows_numbers_the_indonesian_way():
    current, previous = summarise(ANNEX1, _round(THIS_ROUND)), summarise(ANNEX1, _round(LAST_ROUND))
    text = results_message("id", ANNEX1, "Putaran <1> & 2026", current, compare(current, previous))
    assert "Putaran &lt;1&gt; &amp; 2026" in text
    assert "3 responden" in text
    assert "Skor keseluruhan: <b>3,13</b> dari 5 ▲0,63" in text
    assert "Terkuat: Bahan/material, Lembaga pendukung" in text
    assert "Terlemah: Jumlah perusahaan inti" in text
    assert "<b>Batasan geografis</b>: 4 · <code>5:1 4:2 3:0 2:0 1:0</code> ▲0,5" in text
    assert "<b>Jumlah perusahaan inti</b>: 1 · <code>5:0 4:0 3:0 2:1 1:2</code> ▼0,5" in text
    assert len(_visible(text)) < 1500


def test_results_message_in_english_without_a_previous_round():
    text = results_message("en", ANNEX1, "Round 1", summarise(ANNEX1, _round(LAST_ROUND)))
    assert "4 respondents" in text
    assert "Overall score: <b>2.5</b> of 5" in text
    assert "<b>Geographic bounds</b>: 3.5 · <code>5:1 4:1 3:2 2:0 1:0</code>" in text
    assert "▲" not in text and "▼" not in text


def test_a_round_without_answers_says_so():
    for lang, words in (("id", "Belum cukup jawaban"), ("en", "Not enough answers yet")):
        text = results_message(lang, ANNEX1, "Round 1", summarise(ANNEX1, []))
        assert words in text


def test_a_level_round_says_every_question_scores_the_same():
    text = results_message("en", ANNEX1, "Round 1", summarise(ANNEX1, _round([[3] * 8])))
    assert "Every question has the same median: 3" in text and "Strongest" not in text


# -- the chart --------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_chart_is_a_phone_sized_png(lang):
    current, previous = summarise(ANNEX1, _round(THIS_ROUND)), summarise(ANNEX1, _round(LAST_ROUND))
    for picture in (
        results_chart(ANNEX1, current, lang, previous, round_title="Putaran 2 $ 2026"),
        results_chart(ANNEX1, current, lang),
        results_chart(ANNEX1, summarise(ANNEX1, []), lang),
    ):
        image = Image.open(io.BytesIO(picture))
        assert image.format == "PNG"
        assert image.size[0] >= 800 and image.size[1] >= 500


def test_drawing_charts_leaves_no_figures_behind():
    import matplotlib.pyplot as pyplot

    before = len(pyplot.get_fignums())
    for _ in range(3):
        results_chart(ANNEX1, summarise(ANNEX1, _round(THIS_ROUND)), "id")
    assert len(pyplot.get_fignums()) == before


# -- the downloads ----------------------------------------------------------------------------------


def _export_responses() -> list[Response]:
    siti, interviewed = _round(THIS_ROUND)[:2]
    interviewed = _response(2, interviewed.answers, respondent_id=None, entered_by=1, name="Pak Darmo")
    paper = _response(3, siti.answers, respondent_id=None, entered_by=1, name="Bu Sri", source="paper")
    return [siti, interviewed, paper]


def test_the_export_has_one_row_per_respondent_with_indonesian_labels():
    headers, rows = export_table("id", ANNEX1, _export_responses(), {1: "Siti Aminah"})
    assert headers[:6] == [
        "Nama",
        "Diwawancarai",
        "Diisi lewat",
        "Dikirim",
        "Batasan geografis",
        "Batasan geografis (skor)",
    ]
    assert len(headers) == 4 + 2 * 8
    assert rows[0][:6] == [
        "Siti Aminah",
        "Tidak",
        "HP",
        date(2026, 3, 2),
        "Jari-jari kurang dari 2.5 km, dan perjalanan terlama kurang dari 30 menit",
        "5",
    ]
    assert rows[1][:3] == ["Pak Darmo", "Ya", "wawancara"]
    assert rows[2][:3] == ["Bu Sri", "Tidak", "kertas"]  # copied from paper: not an interview

    table = list(csv.reader(io.StringIO(build_csv(headers, rows).decode("utf-8-sig"))))
    assert table[0] == headers
    assert len(table) == 4
    assert table[1][3] == "2026-03-02" and table[1][-1] == "2"
    assert table[2][0] == "Pak Darmo"


def test_the_excel_export_reads_back_in_english():
    headers, rows = export_table("en", ANNEX1, _export_responses(), {1: "Siti Aminah"})
    sheet = load_workbook(io.BytesIO(build_xlsx(headers, rows, "Answers"))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:6] == [
        "Name",
        "Interviewed",
        "Entered by",
        "Submitted",
        "Geographic bounds",
        "Geographic bounds (score)",
    ]
    assert len(values) == 4
    assert values[1][:6] == [
        "Siti Aminah",
        "No",
        "phone",
        datetime(2026, 3, 2),
        "Radius under 2.5 km, and the longest trip under 30 minutes",
        "5",
    ]
    assert values[2][:3] == ["Pak Darmo", "Yes", "interview"]
    assert values[3][:3] == ["Bu Sri", "No", "paper"]
    assert (
        values[2][values[0].index("Leading firm")]
        == "Several firms have a leader's charisma, but no firm is formally the leader."
    )


def test_export_file_name_is_in_the_readers_language():
    assert export_filename("id", "Putaran 1 / 2026", 7, "csv") == "jawaban-putaran-1-2026.csv"
    assert export_filename("en", "", 7, "xlsx") == "answers-7.xlsx"


# -- any form ---------------------------------------------------------------------------------------

TINY = parse_form(
    {
        "id": "tiny",
        "version": 1,
        "title::id": "Kuesioner kecil",
        "title::en": "Tiny questionnaire",
        "questions": [
            {
                "name": "quality",
                "type": "select_one",
                "label::id": "Mutu",
                "label::en": "Quality",
                "choices": [
                    {"name": "good", "score": 3, "label::id": "Baik", "label::en": "Good"},
                    {"name": "fair", "score": 2, "label::id": "Cukup", "label::en": "Fair"},
                    {"name": "poor", "score": 1, "label::id": "Buruk", "label::en": "Poor"},
                ],
            },
            {
                "name": "channels",
                "type": "select_multiple",
                "label::id": "Saluran",
                "label::en": "Channels",
                "choices": [
                    {"name": "shop", "label::id": "Toko", "label::en": "Shop"},
                    {"name": "online", "label::id": "Daring", "label::en": "Online"},
                ],
            },
            {"name": "workers", "type": "integer", "label::id": "Pekerja", "label::en": "Workers"},
            {
                "name": "price",
                "type": "select_one",
                "label::id": "Harga",
                "label::en": "Price",
                "choices": [
                    {"name": "high", "score": 3, "label::id": "Tinggi", "label::en": "High"},
                    {"name": "low", "score": 1, "label::id": "Rendah", "label::en": "Low"},
                ],
            },
            {"name": "note", "type": "text", "required": False, "label::id": "Catatan", "label::en": "Note"},
        ],
    },
    "tiny.yaml",
)


def _tiny(number: int, answers: dict) -> Response:
    return _response(number, answers)


def test_results_and_exports_work_for_any_form():
    responses = [
        _tiny(
            1, {"quality": "good", "channels": ["shop", "online"], "workers": 12, "price": "low", "note": "=SUM(A1)"}
        ),
        _tiny(2, {"quality": "fair", "channels": ["online"], "workers": 3, "price": "low", "note": None}),
    ]
    results = summarise(TINY, responses)
    assert [base.name for base in results.bases] == ["quality", "price"]
    assert results.base("quality").median == 2.5 and results.base("price").median == 1.0
    assert results.overall == 1.75
    assert results.strongest == ("quality",) and results.weakest == ("price",)

    text = results_message("id", TINY, "Uji", results)
    assert "<b>Mutu</b>: 2,5 · <code>3:1 2:1 1:0</code>" in text
    assert "dari 3" in text and "Saluran" not in text
    assert Image.open(io.BytesIO(results_chart(TINY, results, "en"))).format == "PNG"

    headers, rows = export_table("en", TINY, responses, {})
    assert headers == [
        "Name",
        "Interviewed",
        "Entered by",
        "Submitted",
        "Quality",
        "Quality (score)",
        "Channels",
        "Workers",
        "Price",
        "Price (score)",
        "Note",
    ]
    assert rows[0][4:] == ["Good", "3", "Shop; Online", "12", "Low", "1", "=SUM(A1)"]
    assert rows[1][4:] == ["Fair", "2", "Online", "3", "Low", "1", None]
    table = list(csv.reader(io.StringIO(build_csv(headers, rows).decode("utf-8-sig"))))
    assert table[1][-1] == "'=SUM(A1)"  # a would-be formula stays text


def test_a_long_form_lists_at_most_twenty_bases_in_the_message():
    choices = [{"name": f"c{n}", "score": n, "label::id": f"Pilihan {n}", "label::en": f"Option {n}"} for n in (1, 2)]
    questions = [
        {
            "name": f"q{n}",
            "type": "select_one",
            "label::id": f"Pertanyaan {n}" + " panjang" * 8,
            "label::en": f"Question {n}" + " long" * 8,
            "choices": choices,
        }
        for n in range(30)
    ]
    form = parse_form(
        {"id": "long", "version": 1, "title::id": "Panjang", "title::en": "Long", "questions": questions}, "long.yaml"
    )
    results = summarise(form, [_tiny(1, {f"q{n}": "c2" for n in range(30)})])
    text = results_message("en", form, "Round", results)
    assert "… and 10 more" in text
    assert len(_visible(text)) < 4096 and len(text) < 4096
