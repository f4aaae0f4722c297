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
    assert start.parse_language_choice(["lang", "en"]) == "en"
    assert start.parse_language_choice(["lang", "fr"]) is None
    assert start.parse_language_choice(None) is None


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
    from conversations.start.rules import parse_help_page

    assert parse_help_page(["help"]) == 0 and parse_help_page(["help", "2"]) == 2
    for forged in (None, [], ["help", "x"], ["help", "-1"], ["help", "1000"], ["help", "1", "2"], ["lang", "1"]):
        assert parse_help_page(forged) is None
