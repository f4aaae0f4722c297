"""Keyboards: the rules Telegram applies to reply_markup, and reading buttons back.

The generic field/type check in `spec.py` already knows every keyboard type
from api.json; this module adds the rules the spec states only in prose
(one action per inline button, callback_data of 1-64 bytes).
"""

from __future__ import annotations

from typing import Any

from emulator.errors import ApiError, bad_request

# Fields of InlineKeyboardButton that are decoration, not the button's action.
_NOT_ACTIONS = {"text", "icon_custom_emoji_id", "style"}
_URL_SCHEMES = ("http://", "https://", "tg://")


def check_inline_keyboard(markup: dict[str, Any]) -> None:
    """Reject inline keyboards Telegram would reject."""
    rows = markup.get("inline_keyboard")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('can\'t parse inline keyboard: field "inline_keyboard" must be an Array of Arrays')
    for row in rows:
        for button in row:
            _check_inline_button(button)


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise _button_error("InlineKeyboardButton must be an Object")
    text = button.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _button_error('Field "text" must be a non-empty String')
    actions = [key for key in button if key not in _NOT_ACTIONS]
    if not actions:
        raise _button_error("Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise _button_error(f"only one of {', '.join(sorted(actions))} can be specified")
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not url or " " in url or not _has_scheme(url):
            raise bad_request("BUTTON_URL_INVALID")


def _has_scheme(url: str) -> bool:
    # Telegram also accepts bare "t.me/..." links and prefixes http:// itself.
    return url.startswith(_URL_SCHEMES) or url.startswith("t.me/")


def _button_error(detail: str) -> ApiError:
    return bad_request(f"can't parse inline keyboard button: {detail}")


def check_reply_keyboard(markup: dict[str, Any]) -> None:
    """Reject reply keyboards whose buttons have no text."""
    rows = markup.get("keyboard")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('can\'t parse keyboard: field "keyboard" must be an Array of Arrays')
    for row in rows:
        for button in row:
            text = button if isinstance(button, str) else (button or {}).get("text")
            if not isinstance(text, str) or not text:
                raise bad_request('can\'t parse keyboard button: Field "text" must be a non-empty String')


def markup_kind(markup: Any) -> str | None:
    """Which of the four reply_markup types a dict is, by its defining key."""
    if not isinstance(markup, dict):
        return None
    for key, kind in (
        ("inline_keyboard", "InlineKeyboardMarkup"),
        ("keyboard", "ReplyKeyboardMarkup"),
        ("remove_keyboard", "ReplyKeyboardRemove"),
        ("force_reply", "ForceReply"),
    ):
        if key in markup:
            return kind
    return None


def button_text(button: Any) -> str:
    """Visible text of an inline or reply keyboard button (reply buttons may be bare strings)."""
    return button if isinstance(button, str) else str(button.get("text", ""))


def button_rows(markup: dict[str, Any] | None, key: str = "inline_keyboard") -> list[list[str]]:
    """Rows of visible button texts of a keyboard."""
    if not markup:
        return []
    return [[button_text(b) for b in row] for row in markup.get(key, [])]
