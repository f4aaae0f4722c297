"""Callback data for inline buttons: short, versioned, parseable, and within Telegram's 64 bytes.

A flow builds its buttons' data with ``callback_data("st1", "lang", "en")``
(``st1:lang:en``) and parses what comes back in one function of its
``rules.py`` (``parse_callback`` splits the parts, ``button_number`` reads a
page or an id) into a typed value. Anything that does not parse is a stale or
forged button and gets a short localized answer, never an exception.
"""

from __future__ import annotations

import re

MAX_CALLBACK_BYTES = 64
SEPARATOR = ":"
_DIGITS = re.compile(r"[0-9]{1,16}")
_MAX_NUMBER = 2**53  # Telegram's ids fit in 52 bits; anything longer is forged


class CallbackDataTooLong(ValueError):
    """The data would not fit Telegram's 64-byte limit."""


def callback_data(prefix: str, *parts: object) -> str:
    """Join a flow prefix and parts into callback data, checking the 64-byte limit."""
    pieces = [prefix, *(str(part) for part in parts)]
    if any(SEPARATOR in piece for piece in pieces[1:]):
        raise ValueError(f"callback parts may not contain {SEPARATOR!r}: {pieces}")
    data = SEPARATOR.join(pieces)
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise CallbackDataTooLong(f"{len(data.encode('utf-8'))} bytes: {data!r}")
    return data


def parse_callback(data: str | None, prefix: str) -> list[str] | None:
    """Split callback data of ``prefix`` into its parts, or ``None`` when it is not ours."""
    if not data:
        return None
    pieces = data.split(SEPARATOR)
    if pieces[0] != prefix:
        return None
    return pieces[1:]


def button_number(text: str) -> int | None:
    """A page or an id a button carries (ASCII digits, below Telegram's id range), or ``None`` when forged."""
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if value < _MAX_NUMBER else None
