"""Every question of every shipped form fits one phone screen, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.form_dialog import heading_line
from bot.form_views import answered_message, question_message
from bot.forms import Form, load_forms
from bot.settings import LANGUAGES
from conversations.survey.views import heading as survey_heading
from emulator.telegram_html import parse_html, utf16_len

ROOT = Path(__file__).resolve().parents[2]
FORMS = {key: form for folder in sorted(ROOT.glob("conversations/*/forms")) for key, form in load_forms(folder).items()}
VISIBLE = 700  # characters on a 390×844 phone screen above the buttons, the folded part not counted
TELEGRAM = 4096  # Telegram's limit for one message


def visible_length(html: str) -> tuple[int, int]:
    """(characters shown before unfolding, characters in all) of an HTML message, as Telegram counts them."""
    text, entities = parse_html(html)
    folded = sum(e["length"] for e in entities if e["type"] == "expandable_blockquote")
    return utf16_len(text) - folded, utf16_len(text)


def _screens(form: Form, lang: str):
    # the longest heading a person meets: an interview, with a long round title
    heading = survey_heading(lang, "Kondisi klaster batik Laweyan 2026, putaran kedua", "Siti Aminah Wulandari")
    heading = heading if form.id == "annex1" else heading_line(lang, form.title(lang))
    for question in form.questions:
        text, _keyboard = question_message(lang, form, question, 1, {}, heading)
        yield question.name, text


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("key", sorted(FORMS), ids=lambda key: f"{key[0]}-v{key[1]}")
def test_every_question_fits_one_phone_screen(key, lang):
    form = FORMS[key]
    for name, text in _screens(form, lang):
        shown, total = visible_length(text)
        assert shown <= VISIBLE, f"{form.source} {name} ({lang}): {shown} characters before the folded part"
        assert total <= TELEGRAM, f"{form.source} {name} ({lang}): {total} characters in all"


def test_the_guideline_wording_is_folded_under_the_short_options():
    form = FORMS[("annex1", 1)]
    question = form.question("support_institutions")
    text, _keyboard = question_message("id", form, question, 1, {}, "📝 <b>Putaran</b>")
    shown_text, entities = parse_html(text)
    (folded,) = [e for e in entities if e["type"] == "expandable_blockquote"]
    before, inside = shown_text[: folded["offset"]], shown_text[folded["offset"] :]
    assert "Aspek 7: Lembaga pendukung dan pembina" in before
    assert "1. Dinas aktif membina, ada anggaran, kerja sama sudah berhasil" in before
    assert before.index("Aspek 7") < before.index("1. Dinas")  # the question stands above its options
    for choice in question.choices:  # nothing of the guideline's text is lost
        assert choice.label("id") in inside and choice.label("id") not in before
    assert "Terbentuk network antara fasilitator, BDS provider dan klaster" in inside  # quoted as written


def test_a_question_without_short_labels_shows_no_folded_part():
    plans = [form for (form_id, _version), form in FORMS.items() if form_id.startswith("plan")]
    assert plans
    for form in plans:
        for question in form.questions:
            text, _keyboard = question_message("id", form, question, 1, {}, "")
            assert "blockquote" not in text


def test_an_answered_question_keeps_the_question_and_marks_the_choice():
    form = FORMS[("annex1", 1)]
    question = form.question("core_firms")
    text = answered_message("id", form, question, {"geographic_bounds": "r5km_2h", "core_firms": "from_50"}, "")
    assert "2/8</b> · Aspek 2:" in text
    assert "✅ <b>3.</b> 50 sampai 99 perusahaan" in text
    assert text.count("✅") == 1 and "blockquote" not in text


def test_the_longest_question_is_well_under_a_screen():
    """The figure for the closing note: the longest question message a member sees (annex1, Indonesian)."""
    form = FORMS[("annex1", 1)]
    longest = max(visible_length(text)[0] for _name, text in _screens(form, "id"))
    assert longest <= VISIBLE
    print(f"longest annex1 question (id): {longest} visible characters")
