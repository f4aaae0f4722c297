"""A round's results as a short message: respondents, overall score, strongest and weakest bases, one line per base.

Numbers are written the way the reader's language writes them (``3,5`` in
Indonesian) and the form's labels come from its definition file; the round's
title was typed by a person, so it is escaped.
"""

from __future__ import annotations

import html

from bot.forms import Form, Question
from bot.i18n import format_number, translator
from conversations.survey.results import BaseResult, Change, RoundResults, bases_of, top_score
from conversations.survey.rules import EntryCounts, RoundFigures

# Beyond this many bases the rest is counted, not listed, so the message stays one screen.
MAX_BASE_LINES = 20
_LABEL_LENGTH = 40


def score_text(score: float, lang: str) -> str:
    """A median or an overall score as the language writes it: ``3,5`` / ``3.5``, ``4``."""
    return format_number(round(score, 2), lang)


def change_text(delta: float, lang: str) -> str:
    """▲ for a rise, ▼ for a fall, ＝ for no change, with the size of the move."""
    if delta > 0:
        return "▲" + score_text(delta, lang)
    if delta < 0:
        return "▼" + score_text(-delta, lang)
    return "＝"


def distribution_text(question: Question, base: BaseResult) -> str:
    """Answers per option, strongest first as in the form: ``5:2 4:1 3:0 2:1 1:0``."""
    return " ".join(f"{choice.score}:{base.count(choice.name)}" for choice in question.choices)


def _short(question: Question, lang: str) -> str:
    label = question.short(lang)
    if len(label) > _LABEL_LENGTH:
        label = label[: _LABEL_LENGTH - 1].rstrip() + "…"
    return html.escape(label)


def _names(form: Form, names: tuple[str, ...], lang: str) -> str:
    return ", ".join(_short(form.question(name), lang) for name in names)


def _base_line(question: Question, base: BaseResult, lang: str, change: Change | None) -> str:
    _ = translator(lang).gettext
    label = _short(question, lang)
    if base.median is None:
        return _("{base}: no answers").format(base=f"<b>{label}</b>")
    line = f"<b>{label}</b>: {score_text(base.median, lang)} · <code>{distribution_text(question, base)}</code>"
    if change is not None and base.name in change.bases:
        line += " " + change_text(change.bases[base.name], lang)
    return line


def entries_text(lang: str, entries: EntryCounts) -> str:
    """``Answers: 12 (by phone 9, on paper 3)``: the sent answers and how they were entered (no part that is 0)."""
    _ = translator(lang).gettext
    parts = [
        text.format(count=count)
        for text, count in (
            (_("by phone {count}"), entries.phone),
            (_("interviews {count}"), entries.interview),
            (_("on paper {count}"), entries.paper),
        )
        if count
    ]
    line = _("Answers: {count}").format(count=entries.total)
    return f"{line} ({', '.join(parts)})" if parts else line


def _choice_line(question: Question, counts: dict[str, int], lang: str) -> str:
    told = " · ".join(
        f"{html.escape(choice.short(lang))} {format_number(counts.get(choice.name, 0), lang)}"
        for choice in question.choices
    )
    return f"<b>{_short(question, lang)}</b>: {told}"


def _unscored_lines(lang: str, form: Form, choices: dict[str, dict[str, int]], room: int) -> list[str]:
    """The unscored choice questions, option by option, and where the typed answers are."""
    _ = translator(lang).gettext
    lines = [_choice_line(form.question(name), counts, lang) for name, counts in choices.items()][:room]
    if len(choices) > room:
        lines.append(_("… and {count} more").format(count=len(choices) - room))
    if any(not q.choices for q in form.questions):
        lines.append(_("Typed answers (numbers, text, dates) are in the download: ⬇️ Excel / CSV."))
    return lines


def results_message(
    lang: str,
    form: Form,
    round_title: str,
    results: RoundResults,
    change: Change | None = None,
    figures: RoundFigures | None = None,
    choices: dict[str, dict[str, int]] | None = None,
) -> str:
    """The round's results as HTML fitting one phone screen (the change since the previous round, and
    who was invited and has not sent yet, when given)."""
    _ = translator(lang).gettext
    ngettext = translator(lang).ngettext
    lines = [f"📊 <b>{html.escape(form.title(lang))}</b>", html.escape(round_title)]
    if figures is not None:
        lines.append(
            _("Invited: {invited} · not sent yet: {missing}").format(
                invited=figures.invited, missing=len(figures.not_yet)
            )
        )
        if figures.entries.total:
            lines.append(entries_text(lang, figures.entries))
    score = results.overall
    respondents = ngettext("{count} respondent", "{count} respondents", results.respondents)
    if score is None and results.respondents and not bases_of(form):  # a questionnaire without scores
        lines += [respondents.format(count=results.respondents), ""]
        lines += _unscored_lines(lang, form, choices or {}, MAX_BASE_LINES)
        return "\n".join(lines)
    if score is None:
        lines += ["", _("Not enough answers yet to show results.")]
        return "\n".join(lines)
    lines.append(respondents.format(count=results.respondents))
    overall = _("Overall score: {score} of {top}").format(
        score=f"<b>{score_text(score, lang)}</b>", top=format_number(top_score(form), lang)
    )
    if change is not None and change.overall is not None:
        overall += " " + change_text(change.overall, lang)
    lines.append(overall)
    if results.strongest == results.weakest:
        lines.append(_("Every question has the same median: {score}").format(score=score_text(score, lang)))
    else:
        lines.append(_("Strongest: {bases}").format(bases=_names(form, results.strongest, lang)))
        lines.append(_("Weakest: {bases}").format(bases=_names(form, results.weakest, lang)))
    lines.append("")
    questions = {question.name: question for question in bases_of(form)}
    shown = results.bases[:MAX_BASE_LINES]
    lines += [_base_line(questions[base.name], base, lang, change) for base in shown]
    hidden = len(results.bases) - len(shown)
    if hidden:
        lines.append(_("… and {count} more").format(count=hidden))
    if choices:
        lines += ["", *_unscored_lines(lang, form, choices, max(0, MAX_BASE_LINES - len(shown)))]
    if change is not None:
        lines += ["", _("▲ ▼ compared with the previous round.")]
    return "\n".join(lines)
