"""Callback data for inline buttons: short, versioned, parseable, and within Telegram's 64 bytes.

A flow builds its buttons' data with ``callback_data("st1", "lang", "en")``
(``st1:lang:en``) and parses what comes back with ``parse_callback`` in its
``rules.py``. Anything that does not parse is a stale or forged button and gets
a short localized answer, never an exception.
"""

from __future__ import annotations

MAX_CALLBACK_BYTES = 64
SEPARATOR = ":"


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
