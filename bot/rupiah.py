"""Amounts of rupiah as people write them: ``Rp 25.000`` in Indonesian, ``Rp 25,000`` in English (Babel)."""

from __future__ import annotations

from babel.numbers import format_decimal


def format_rupiah(amount: int, lang: str) -> str:
    """A whole number of rupiah with the language's thousands separator: ``Rp 1.500.000``."""
    return f"Rp {format_decimal(amount, locale=lang)}"
