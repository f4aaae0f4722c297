"""Typed answers as people read them: numbers through Babel, a number question's bounds in words.

Shared by the chat (``bot/form_views.py``) and the paper questionnaire (``bot/form_pdf.py``);
imports neither ``telegram`` nor ``aiosqlite``.
"""

from __future__ import annotations

from bot.forms import NUMBER_TYPES, Question
from bot.i18n import format_number, translator


def number_limits(question: Question, lang: str) -> list[str]:
    """A number question's bounds in ``lang``: "at least 1", "more than 0", "at most 500"."""
    if question.type not in NUMBER_TYPES:
        return []
    _ = translator(lang).gettext
    limits = []
    if question.minimum is not None:
        low = format_number(question.minimum, lang)
        limits.append((_("more than {n}") if question.min_exclusive else _("at least {n}")).format(n=low))
    if question.maximum is not None:
        high = format_number(question.maximum, lang)
        limits.append((_("less than {n}") if question.max_exclusive else _("at most {n}")).format(n=high))
    return limits
