"""The reply to a refused XLSForm: every problem with its sheet and row, in plain words.

``report_text`` fits one Telegram message (4096 characters): the first problems in full, then a
count of the rest. Every value taken from the spreadsheet is HTML-escaped and shortened.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from bot.i18n import translator
from bot.xlsform import Problem

__all__ = ["MAX_LINES", "problem_line", "reason_texts", "report_text"]

MAX_LINES = 15  # the problems shown in full; the rest are counted
TELEGRAM_LIMIT = 4096
_VALUE_LIMIT = 80  # a spreadsheet value shown in a line (a long condition, a long file name)


def reason_texts(lang: str) -> dict[str, str]:
    """One short plain sentence per reason code, with ``{placeholders}`` for the problem's details."""
    _ = translator(lang).gettext
    return {
        "unreadable": _("this is not an Excel workbook (.xlsx); save the form as .xlsx and send it again"),
        "no_survey": _("there is no “survey” sheet with questions"),
        "missing_column": _("the column “{column}” is missing"),
        "repeat": _("repeat groups (begin_repeat) are not supported: ask each question once"),
        "unsupported_type": _("the type “{type}” is not supported"),
        "cascading": _("choices filtered by an earlier answer (choice_filter) are not supported"),
        "unsupported_column": _("the column “{column}” is not supported: leave it empty"),
        "relevant": _(
            "the condition “{expression}” cannot be used: compare an earlier question with a value, or use selected()"
        ),
        "constraint": _(
            "the constraint “{expression}” cannot be used: only limits such as . >= 1, . <= 500 or string-length(.) <= 80"
        ),
        "unknown_list": _("the list “{list}” is not on the choices sheet"),
        "too_many_choices": _("list “{list}” has {count} options; a phone screen fits at most 12"),
        "too_few_choices": _("list “{list}” needs at least 2 options"),
        "no_label": _("“{name}” has no label"),
        "bad_name": _("the name “{name}” cannot be used: use letters, digits and _ without spaces"),
        "duplicate_name": _("the name “{name}” is used twice"),
        "group_not_closed": _("the group “{name}” has no end_group"),
        "stray_end_group": _("end_group without a begin_group before it"),
        "bad_score": _("the score “{value}” is not a whole number"),
        "mixed_scores": _(
            "in list “{list}” some options have a score and some do not: give every option a score, or none"
        ),
        "form_error": _("the form cannot be used: {message}"),
    }


class _Details(dict):
    """Details for a sentence: values escaped and shortened; a missing one shows as empty."""

    def __missing__(self, key: str) -> str:
        return ""


def _shown(value: Any) -> str:
    text = str(value)
    if len(text) > _VALUE_LIMIT:
        text = text[: _VALUE_LIMIT - 1] + "…"
    return html.escape(text)


def problem_line(lang: str, problem: Problem) -> str:
    """``• Row 7 (survey): the type “calculate” is not supported`` in ``lang`` (HTML)."""
    _ = translator(lang).gettext
    texts = reason_texts(lang)
    template = texts.get(problem.reason, texts["form_error"])
    details = _Details({key: _shown(value) for key, value in problem.details.items()})
    if problem.reason not in texts:
        details["message"] = _shown(problem.reason)
    reason = template.format_map(details)
    sheet = html.escape(problem.sheet)
    if problem.row is not None:
        return _("• Row {row} ({sheet}): {reason}").format(row=problem.row, sheet=sheet, reason=reason)
    if problem.sheet == "file":
        return _("• {reason}").format(reason=reason)
    return _("• {sheet}: {reason}").format(sheet=sheet, reason=reason)


def report_text(lang: str, problems: Sequence[Problem], filename: str) -> str:
    """The whole reply to a refused XLSForm (HTML, at most 4096 characters)."""
    _ = translator(lang).gettext
    ngettext = translator(lang).ngettext
    count = len(problems)
    head = [
        _("❌ <b>{filename}</b> cannot be used as it is.").format(filename=_shown(filename)),
        ngettext(
            "{count} problem (the form is not kept; nothing was changed):",
            "{count} problems (the form is not kept; nothing was changed):",
            count,
        ).format(count=count),
    ]
    footer = _("Fix these in the spreadsheet and send it again.")
    lines = [problem_line(lang, problem) for problem in problems]
    shown = min(MAX_LINES, len(lines))
    while True:
        rest = count - shown
        more = [_("… and {count} more").format(count=rest)] if rest else []  # the project's existing message
        text = "\n".join([*head, *lines[:shown], *more, footer])
        if len(text) <= TELEGRAM_LIMIT or shown == 0:
            return text
        shown -= 1
