"""Small rules the first flows rely on: language choice, callback data, commands, answers, codes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.buttons import CallbackDataTooLong, callback_data, parse_callback
from bot.i18n import format_when, pick_language
from conversations.membership import rules as membership
from conversations.start import rules as start


@pytest.mark.parametrize(
    ("saved", "telegram", "default", "expected"),
    [("en", "id", "id", "en"), (None, "en-GB", "id", "en"), (None, "ru", "id", "id"), (None, None, "en", "en")],
)
def test_language_is_the_saved_choice_then_telegrams_then_the_default(saved, telegram, default, expected):
    assert pick_language(saved, telegram, default) == expected


def test_callback_data_is_checked_against_64_bytes():
    assert callback_data("st1", "lang", "en") == "st1:lang:en"
    assert parse_callback("st1:lang:en", "st1") == ["lang", "en"]
    assert parse_callback("xx:lang:en", "st1") is None
    with pytest.raises(CallbackDataTooLong):
        callback_data("st1", "é" * 31)  # 62 bytes of é plus the prefix


def test_language_buttons_reject_forged_values():
    assert start.parse_start_button("st1:lang:en") == start.ChooseLanguage("en")
    assert start.parse_start_button("st1:lang:fr") is None
    assert start.parse_start_button("st1:lang") is None
    assert start.parse_start_button(None) is None


@pytest.mark.parametrize(
    "button",
    [start.StartAction.LANGUAGE, start.ChooseLanguage("id"), start.ChooseLanguage("en"), start.HelpPage(0)]
    + [start.HelpPage(page) for page in (1, 2, start.MAX_PAGE)],
)
def test_every_start_button_reads_back(button):
    assert start.parse_start_button(start.start_button_data(button)) == button


def test_the_menu_keeps_its_start_buttons():
    assert start.start_button_data(start.StartAction.LANGUAGE) == "st1:language"
    assert start.start_button_data(start.HelpPage(0)) == "st1:help"
    assert start.start_button_data(start.HelpPage(3)) == "st1:help:3"


def test_command_name_ignores_the_bot_suffix_and_arguments():
    assert start.command_name("/Foo@rembug_bot x y") == "foo"
    assert start.command_name("hello") == ""


def test_answers_are_trimmed_and_limited():
    assert membership.clean_answer("  Sentra   Batik ", "name") == ("Sentra Batik", None)
    assert membership.clean_answer("   ", "name")[1] is membership.Problem.EMPTY
    assert membership.clean_answer("x" * 81, "name")[1] is membership.Problem.TOO_LONG
    assert membership.clean_answer(None, "name")[1] is membership.Problem.NOT_TEXT


def test_invite_codes_fit_telegrams_deep_link_rule():
    import re

    code = membership.new_invite_code()
    payload = membership.invite_payload(code)
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", payload)
    assert membership.code_from_payload(payload) == code
    assert membership.code_from_payload("something-else") is None
    assert membership.normalise_code(" ab cd-23 ") == "ABCD23"


def test_dates_are_written_as_indonesians_write_them():
    moment = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    assert format_when(moment, "Asia/Jakarta", "id") == "23 Nov 2026, 14.00 WIB"
    assert format_when(moment, "Asia/Makassar", "en") == "23 Nov 2026, 15:00 WITA"
    assert format_when(moment, "Asia/Jayapura", "id") == "23 Nov 2026, 16.00 WIT"


def test_a_help_page_button_parses_and_a_forged_one_does_not():
    assert start.parse_start_button("st1:help") == start.HelpPage(0)
    assert start.parse_start_button("st1:help:2") == start.HelpPage(2)
    forged = (None, "", "st1", "st1:", "st1:help:x", "st1:help:-1", "st1:help:1000", "st1:help:1:2", "st1:lang:1")
    for data in (*forged, "st1:help:٣", "xx:help:1", "st1:languages"):
        assert start.parse_start_button(data) is None
