"""How a question, its buttons and the review screen look (for any form)."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.form_answers import number_limits
from bot.form_buttons import FormAction, FormButton
from bot.form_suggestions import NOTHING, Offered
from bot.forms import NUMBER_TYPES, AnswerProblem, Choice, Form, Question
from bot.i18n import format_local_date, format_number, translator


def _button(
    label: str, response_id: int, action: FormAction, question: int | None = None, choice: int | None = None
) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=FormButton(response_id, action, question, choice).data)


def answer_text(lang: str, question: Question, value: Any) -> str:
    """An answer as a person reads it (a choice by its short label)."""
    _ = translator(lang).gettext
    if value is None:
        return _("(skipped)")
    if question.type == "select_one":
        choice = question.choice(value)
        return choice.short(lang) if choice else str(value)
    if question.type == "select_multiple":
        return "; ".join(c.short(lang) for c in question.choices if c.name in value) or _("(none)")
    if question.type == "date":
        return format_local_date(date.fromisoformat(value), lang)
    if question.type in NUMBER_TYPES and isinstance(value, (int, float)):
        return format_number(value, lang)
    return str(value)


def _chosen(choice: Choice, current: Any) -> bool:
    return choice.name == current or (isinstance(current, list) and choice.name in current)


def _guideline(lang: str, question: Question) -> list[str]:
    """The options' full wording, folded under the short ones (Telegram's expandable blockquote)."""
    if not any(choice.shortened for choice in question.choices):
        return []
    _ = translator(lang).gettext
    full = [f"<b>{n}.</b> {escape(choice.label(lang))}" for n, choice in enumerate(question.choices, start=1)]
    return [
        "",
        "<blockquote expandable>" + "\n".join([_("<b>The guideline's full wording:</b>"), *full]) + "</blockquote>",
    ]


def question_message(
    lang: str,
    form: Form,
    question: Question,
    response_id: int,
    answers: dict[str, Any],
    heading: str,
    offered: Offered = NOTHING,
) -> tuple[str, InlineKeyboardMarkup]:
    """One question: progress, text, numbered short options, help, the full wording folded; short buttons.
    What a text question ``offered`` (``bot/form_suggestions.py``) are buttons that answer it; typing still does."""
    _ = translator(lang).gettext
    number, total = form.position(question.name, answers)
    index = form.questions.index(question)
    lines = [heading]
    lines += [f"💬 {escape(note.label(lang))}" for note in question.notes_shown(answers)]
    if question.heading(lang):
        lines.append(f"📂 <i>{escape(question.heading(lang) or '')}</i>")
    lines.append(f"<b>{number}/{total}</b> · {escape(question.label(lang))}")
    rows: list[list[InlineKeyboardButton]] = []
    current = answers.get(question.name)
    if question.type in ("select_one", "select_multiple"):
        lines.append("")
        for position, choice in enumerate(question.choices, start=1):
            mark = "✅ " if _chosen(choice, current) else ""
            lines.append(f"{mark}<b>{position}.</b> {escape(choice.short(lang))}")
        action = FormAction.CHOOSE if question.type == "select_one" else FormAction.TOGGLE
        buttons = []
        for position, choice in enumerate(question.choices, start=1):
            chosen = isinstance(current, list) and choice.name in current
            label = (("☑️ " if chosen else "⬜ ") + str(position)) if action is FormAction.TOGGLE else str(position)
            buttons.append(_button(label, response_id, action, index, position - 1))
        rows += [buttons[i : i + 5] for i in range(0, len(buttons), 5)]
        if question.type == "select_multiple":
            rows.append([_button(_("Done ▶"), response_id, FormAction.DONE, index)])
        lines.append("")
        lines.append(
            _("Tap the number of your answer.") if action == "o" else _("Tap every number that fits, then Done.")
        )
    elif question.type in NUMBER_TYPES:
        limits = number_limits(question, lang)
        ask = _("Type a number.") if question.type == "integer" else _("Type a number, for example 12,5.")
        lines.append("")
        lines.append(ask + (f" ({', '.join(limits)})" if limits else ""))
    elif question.type == "date":
        lines.append("")
        lines.append(_("Type a date as day-month-year, for example 23-11-2026."))
    elif question.min_length:
        lines.append("")
        lines.append(
            _("Type your answer ({least} to {limit} characters).").format(
                least=question.min_length, limit=question.max_length
            )
        )
    else:
        lines.append("")
        lines.append(_("Type your answer (at most {limit} characters).").format(limit=question.max_length))
    if offered.entries:
        lines.append(_("Or tap one below.") + (" " + _(offered.note) if offered.note else ""))
        rows += [[_button(text[:60], response_id, FormAction.PICK, index, number)] for number, text in offered.entries]
    if current is not None and question.type in ("integer", "decimal", "text", "date"):
        lines.append(_("Your answer now: {answer}").format(answer=escape(answer_text(lang, question, current))))
    hint = question.hint(lang)
    if hint:
        lines += ["", f"<i>{escape(hint)}</i>"]
    lines += _guideline(lang, question)
    nav = []
    if number > 1:
        nav.append(_button(_("◀ Back"), response_id, FormAction.BACK, index))
    if not question.required:
        nav.append(_button(_("Skip"), response_id, FormAction.SKIP, index))
    nav.append(_button(_("⏸ Later"), response_id, FormAction.LATER, index))
    rows.append(nav)
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def answered_message(lang: str, form: Form, question: Question, answers: dict[str, Any], heading: str) -> str:
    """A question once answered: the question stays, the choice marked ✅, no buttons (the next step follows)."""
    number, total = form.position(question.name, answers)
    lines = [heading, f"<b>{number}/{total}</b> · {escape(question.label(lang))}", ""]
    current = answers.get(question.name)
    if question.type in ("select_one", "select_multiple") and current is not None:
        for position, choice in enumerate(question.choices, start=1):
            mark = "✅ " if _chosen(choice, current) else ""
            lines.append(f"{mark}<b>{position}.</b> {escape(choice.short(lang))}")
        if not current:
            lines.append("✅ " + escape(answer_text(lang, question, current)))
    else:
        lines.append("✅ " + escape(answer_text(lang, question, current)))
    return "\n".join(lines)


def review_message(
    lang: str, form: Form, response_id: int, answers: dict[str, Any], heading: str, submitted: bool
) -> tuple[str, InlineKeyboardMarkup]:
    """Every answer with a way to change it, and Submit."""
    _ = translator(lang).gettext
    lines = [heading, _("<b>Check your answers</b>")]
    edits = []
    for number, question in enumerate(form.asked(answers), start=1):
        value = answers.get(question.name)
        lines.append(f"<b>{number}. {escape(question.short(lang))}</b>: {escape(answer_text(lang, question, value))}")
        edits.append(_button(f"✏️ {number}", response_id, FormAction.EDIT, form.questions.index(question)))
    lines.append("")
    lines.append(
        _("Tap a number to change that answer.")
        + " "
        + (
            _("Your answers are saved; changes are saved at once.")
            if submitted
            else _("Send when everything is right.")
        )
    )
    rows = [edits[i : i + 4] for i in range(0, len(edits), 4)]
    if not submitted:
        rows.append([_button(_("✅ Send my answers"), response_id, FormAction.SEND)])
    rows.append([_button(_("⏸ Later") if not submitted else _("Close"), response_id, FormAction.LATER)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


OUT_OF_BOUNDS = ("too_small", "not_above", "too_large", "not_below", "too_short", "too_long")


def problem_text(lang: str, problem: AnswerProblem, question: Question | None = None) -> str:
    """Why a typed answer was refused: the form's own ``constraint_message`` for an answer out of
    bounds when it has one, else ours."""
    _ = translator(lang).gettext
    own = question.constraint_message(lang) if question is not None else None
    if own and problem.reason in OUT_OF_BOUNDS:
        return escape(own)
    texts = {
        "empty": _("The answer is empty. Please type it."),
        "not_a_number": _("Please type a whole number, for example 25."),
        "not_a_decimal": _("Please type a number, for example 25 or 12,5."),
        "not_a_date": _("Please type a date as day-month-year, for example 23-11-2026."),
        "too_small": _("That is too small: at least {limit}."),
        "not_above": _("That is too small: it must be more than {limit}."),
        "too_large": _("That is too large: at most {limit}."),
        "not_below": _("That is too large: it must be less than {limit}."),
        "too_short": _("That is too short: at least {limit} characters."),
        "too_long": _("That is too long: at most {limit} characters. Please type a shorter answer."),
    }
    limit = problem.details.get("limit")
    shown = format_number(limit, lang) if isinstance(limit, (int, float)) else limit
    return texts[problem.reason].format(limit=shown)


def use_buttons(lang: str) -> str:
    """Text typed where a number button is expected."""
    return translator(lang).gettext("Please tap one of the number buttons under the question.")


def stale(lang: str) -> str:
    """A button of a question no longer on screen."""
    return translator(lang).gettext("That question is no longer on screen. Please use the latest message.")


def closed(lang: str) -> str:
    """Answers no longer accepted."""
    return translator(lang).gettext("This questionnaire is closed; answers can no longer be changed.")


def paused(lang: str) -> str:
    """After Later."""
    return translator(lang).gettext("Your answers so far are saved. Continue any time from the menu.")


def incomplete(lang: str) -> str:
    """Submit with questions unanswered."""
    return translator(lang).gettext("Some questions are not answered yet.")


def nudge(lang: str, title: str, response_id: int) -> tuple[str, InlineKeyboardMarkup]:
    """The reminder for an unfinished questionnaire."""
    _ = translator(lang).gettext
    keyboard = InlineKeyboardMarkup([[_button(_("▶ Continue"), response_id, FormAction.CONTINUE)]])
    return _("You started “{title}” but have not sent it yet. Continue where you stopped?").format(
        title=escape(title)
    ), keyboard
