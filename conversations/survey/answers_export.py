"""A round's answers as a table for ``bot.exports.build_csv`` / ``build_xlsx``: one row per respondent.

Columns: the respondent's name, whether it was an interview, how the answers
were entered (on the respondent's phone, in an interview, from paper), the day they were submitted, then every question of the form in
order (the chosen option's text in the reader's language) with a score column
beside each scored question. Works for any form definition.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.exports import slug
from bot.forms import Form, Question, score_of
from bot.i18n import translator

if TYPE_CHECKING:  # storage stays below the flows: only the type is needed here
    from storage.forms import Response

Cell = str | date | None
MULTIPLE_SEPARATOR = "; "


def answer_text(question: Question, answer: Any, lang: str) -> str | None:
    """An answer as a person reads it: the option's text in ``lang``, several joined with ``; ``."""
    if answer is None:
        return None
    if question.type == "select_one":
        choice = question.choice(answer) if isinstance(answer, str) else None
        return choice.label(lang) if choice else str(answer)  # an option the form has since dropped
    if question.type == "select_multiple":
        picked = answer if isinstance(answer, list) else [answer]
        texts = []
        for name in picked:
            choice = question.choice(name) if isinstance(name, str) else None
            texts.append(choice.label(lang) if choice else str(name))
        return MULTIPLE_SEPARATOR.join(texts)
    return str(answer)


def entered_by_text(lang: str, source: str) -> str:
    """How a response was entered, as the download says it: phone, interview, paper."""
    _ = translator(lang).gettext
    texts = {
        # TRANSLATORS: the download's "Entered by" column: the respondent answered on their own phone.
        "phone": _("phone"),
        # TRANSLATORS: the download's "Entered by" column: a facilitator asked and entered the answers.
        "interview": _("interview"),
        # TRANSLATORS: the download's "Entered by" column: copied from a paper questionnaire.
        "paper": _("paper"),
    }
    return texts.get(source, source)


def export_headers(lang: str, form: Form) -> list[str]:
    """The column titles in ``lang``: who, interviewed, entered how, submitted, then each question (and its score)."""
    _ = translator(lang).gettext
    headers = [
        _("Name"),
        # TRANSLATORS: a column: "Yes" when a facilitator asked the respondent and entered their answers.
        _("Interviewed"),
        # TRANSLATORS: a column: how the answers came in: "phone", "interview" or "paper".
        _("Entered by"),
        # TRANSLATORS: a column: the day the respondent sent their answers.
        _("Submitted"),
    ]
    for question in form.questions:
        headers.append(question.short(lang))
        if question.scored:
            # TRANSLATORS: a column beside a question's answers in the download, e.g. "Materials (score)".
            headers.append(_("{question} (score)").format(question=question.short(lang)))
    return headers


def _respondent(response: Response, names: dict[int, str]) -> str:
    if response.respondent_id is not None and response.respondent_id in names:
        return names[response.respondent_id]
    return response.respondent_name or ""


def export_table(
    lang: str, form: Form, responses: list[Response], names: dict[int, str], timezone: str = "Asia/Jakarta"
) -> tuple[list[str], list[list[Cell]]]:
    """All answers as headers and rows in ``lang``: one row per response, submitted days in ``timezone``."""
    _ = translator(lang).gettext
    zone = ZoneInfo(timezone)
    rows: list[list[Cell]] = []
    for response in responses:
        submitted = response.submitted_at.astimezone(zone).date() if response.submitted_at else None
        interview = response.interviewed and not response.from_paper
        row: list[Cell] = [
            _respondent(response, names),
            _("Yes") if interview else _("No"),
            entered_by_text(lang, response.source),
            submitted,
        ]
        for question in form.questions:
            answer = response.answers.get(question.name)
            row.append(answer_text(question, answer, lang))
            if question.scored:
                score = score_of(question, answer)
                row.append(None if score is None else str(score))
        rows.append(row)
    return export_headers(lang, form), rows


def export_filename(lang: str, round_title: str, round_id: int, extension: str) -> str:
    """``jawaban-putaran-1-2026.csv`` (the word in the reader's language)."""
    # TRANSLATORS: the start of a file name: lowercase letters, no spaces.
    stem = translator(lang).gettext("answers-{round}").format(round=slug(round_title, str(round_id)))
    return f"{stem}.{extension}"
