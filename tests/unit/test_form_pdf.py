"""Any questionnaire prints: every definition the flows ship, in both languages, reads back whole from its
PDF (every question, every option's short label and the guideline's full wording), its QR code reads back
as the link given, and every page is numbered; a definition written here prints with no new code."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.form_pdf import condition_text, form_pdf
from bot.forms import Form, load_form
from bot.settings import LANGUAGES
from tests.pdf_checks import broken, page_texts, qr_links

ROOT = Path(__file__).resolve().parents[2]
DEFINITIONS = sorted(ROOT.glob("conversations/*/forms/*.yaml"))
LINK = "https://t.me/rembug_test_bot?start=survei-7"
FOOTER = {"id": "Halaman {page} dari {pages}", "en": "Page {page} of {pages}"}


def _phrases(form: Form, lang: str) -> list[str]:
    """What a reader must find on paper: the title, every question, every option (short and full)."""
    phrases = [form.title(lang)]
    for question in form.questions:
        phrases.append(question.label(lang))
        hint = question.hint(lang)
        if hint:
            phrases.append(hint)
        for choice in question.choices:
            phrases.append(choice.short(lang))
            phrases.append(choice.label(lang))
    return phrases


def _numbered(pdf: bytes, lang: str) -> None:
    texts = page_texts(pdf)
    for number, text in enumerate(texts, start=1):
        assert FOOTER[lang].format(page=number, pages=len(texts)) in text


def test_the_flows_ship_definitions_to_print() -> None:
    names = {path.stem for path in DEFINITIONS}
    assert {"annex1", "action_plan", "plan_midterm", "plan_quarterly", "plan_yearend"} <= names


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda path: path.stem)
def test_every_definition_prints_whole_in_each_language(path: Path, lang: str) -> None:
    form = load_form(path)
    pdf = form_pdf(form, lang, heading=["Sentra Batik Laweyan", "Kondisi klaster 2026"], link=LINK)

    assert broken(pdf, [*_phrases(form, lang), "Sentra Batik Laweyan", "Kondisi klaster 2026"]) == []
    assert qr_links(pdf, 1) == [LINK]
    _numbered(pdf, lang)
    scan = {"id": "Punya HP? Pindai kode ini untuk menjawab di Telegram", "en": "Have a phone? Scan this code"}
    assert broken(pdf, [scan[lang], {"id": "Nama responden", "en": "Respondent's name"}[lang]]) == []
    for question in form.questions:
        if question.relevant is not None:  # "Answer only if ..." in words
            assert broken(pdf, [condition_text(form, question.relevant, lang)]) == []


def test_annex1_shows_tick_boxes_and_the_guidelines_wording_under_the_short_label() -> None:
    form = load_form(ROOT / "conversations/survey/forms/annex1.yaml")
    text = " ".join(" ".join(page_texts(form_pdf(form, "id", link=LINK))).split())
    assert "□" in text
    short = "1. Dalam 2,5 km, perjalanan terlama di bawah 30 menit"
    full = "Jari-jari kurang dari 2.5 km, dan perjalanan terlama kurang dari 30 menit"
    assert short in text and full in text and text.index(short) < text.index(full)
    assert "1. Aspek 1: Batasan geografis *" in text and "Centang satu kotak." in text


def test_the_action_plans_own_numbers_are_not_numbered_twice() -> None:
    form = load_form(ROOT / "conversations/plans/forms/action_plan.yaml")
    text = " ".join(" ".join(page_texts(form_pdf(form, "id"))).split())
    assert "1. Mengapa kegiatan ini dilakukan" in text and "2. 1. Mengapa" not in text
    assert "Jawab hanya jika “Dukungan luar” dijawab “Ya”." in text  # the supporter question's condition


NEW_DEFINITION = """
id: market_day
version: 1
title::id: Kuesioner Hari Pasar
title::en: Market Day Questionnaire
questions:
  - name: came
    type: select_one
    label::id: Apakah Anda datang ke hari pasar?
    label::en: Did you come to the market day?
    choices:
      - {name: "yes", label::id: "Ya, datang", label::en: "Yes, I came"}
      - {name: "no", label::id: "Tidak datang", label::en: "No, I did not"}
  - name: sold
    type: select_multiple
    required: false
    relevant: ${came} = 'yes'
    label::id: Apa saja yang Anda jual?
    label::en: What did you sell?
    hint::id: Centang semua yang dijual.
    hint::en: Tick everything you sold.
    choices:
      - {name: cloth, label::id: "Kain batik tulis dari pengrajin sendiri", label::en: "Hand-drawn batik cloth from our own makers", short::id: Kain batik, short::en: Batik cloth}
      - {name: shirts, label::id: "Kemeja batik", label::en: "Batik shirts"}
      - {name: dyes, label::id: "Pewarna alam", label::en: "Natural dyes"}
  - name: buyers
    type: integer
    min: 0
    max: 500
    label::id: Berapa pembeli yang datang ke lapak Anda?
    label::en: How many buyers came to your stall?
  - name: next_date
    type: date
    label::id: Kapan hari pasar berikutnya sebaiknya diadakan?
    label::en: When should the next market day be held?
  - name: remarks
    type: text
    max_length: 600
    required: false
    label::id: Saran untuk panitia
    label::en: Suggestions for the organisers
"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_new_definition_prints_with_no_new_code(tmp_path: Path, lang: str) -> None:
    path = tmp_path / "market_day.yaml"
    path.write_text(NEW_DEFINITION, encoding="utf-8")
    form = load_form(path)
    link = "https://t.me/rembug_test_bot"
    pdf = form_pdf(form, lang, heading=["Sentra Batik Laweyan"], link=link)

    assert broken(pdf, _phrases(form, lang)) == []
    assert qr_links(pdf, 1) == [link]
    _numbered(pdf, lang)
    words = {
        "id": ["Jawab hanya jika “Apakah Anda datang ke hari pasar?” dijawab “Ya, datang”.", "paling banyak 500"],
        "en": ["Answer only if “Did you come to the market day?” is “Yes, I came”.", "at most 500"],
    }
    assert broken(pdf, words[lang]) == []
    text = " ".join(page_texts(pdf))
    assert "Saran untuk panitia *" not in text and "Suggestions for the organisers *" not in text  # optional


def test_a_pdf_without_a_link_has_no_qr_code() -> None:
    form = load_form(ROOT / "conversations/plans/forms/plan_quarterly.yaml")
    assert qr_links(form_pdf(form, "en"), 1) == []
