"""Sent answers in the shape KoboToolbox exports them, so a programme officer can merge the bot's
answers with a KoboToolbox project made from the same form (``bot.xlsform_export``).

The table follows KoboToolbox's default data export ("XML values and headers", groups in
headers with ``/``, select_multiple as both one column and one column per option):

- ``start``, ``end``: when the response was begun and when it was sent, ISO-8601 with the
  offset of the cluster's time zone and milliseconds, as Kobo writes them
  (``2026-12-03T09:15:00.000+07:00``);
- one column per question in form order, named by its XForm path (``usaha/jumlah_pekerja``
  inside a group, as ``xml_paths`` gives it; notes have no column): a select_one's option name,
  a select_multiple's option names joined by spaces, numbers as numbers, a date as a date;
  a select_multiple is followed by one ``question/option`` column per option, 1 when picked and
  0 when not (all empty when the question was not answered); unanswered is empty;
- ``_id`` (the response's id), ``_submission_time`` (when it was sent, UTC without offset:
  ``2026-12-03T02:15:00``), ``_submitted_by`` (who entered it, by name), ``__version__`` (the
  form's version);
- then two of the bot's own: ``respondent`` (the member's name) and ``entered_by``, how it came
  in, in the words ``storage.forms.SOURCES`` stores: ``phone`` (the respondent on their own
  phone), ``interview`` (a facilitator asked and entered it), ``paper`` (copied from paper).

With ``labels_in`` (a language, like Kobo's "Labels" export) option values are their full labels
in that language instead, several joined with ``; `` (labels have spaces in them); the headers
stay the XML names either way, so files in either language line up column for column.
Only sent responses of this form are rows; answers a changed answer made moot are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.exports import Cell, build_csv, build_xlsx
from bot.forms import Form, Question, read_date
from bot.settings import LANGUAGES
from bot.xlsform_export import meta_names, xml_paths

if TYPE_CHECKING:  # the storage type only: the export works on what the caller read
    from storage.forms import Response

__all__ = ["LABEL_SEPARATOR", "kobo_csv", "kobo_headers", "kobo_table", "kobo_time", "kobo_xlsx", "submission_time"]

LABEL_SEPARATOR = "; "  # several options' labels (names are joined by a space, as Kobo does)
_TRAILING_COLUMNS = ("_id", "_submission_time", "_submitted_by", "__version__", "respondent", "entered_by")


def kobo_time(moment: datetime, zone: ZoneInfo) -> str:
    """``2026-12-03T09:15:00.000+07:00``: a moment in the cluster's time zone, as Kobo's start/end."""
    return moment.astimezone(zone).isoformat(timespec="milliseconds")


def submission_time(moment: datetime) -> str:
    """``2026-12-03T02:15:00``: a moment in UTC without offset, as Kobo's ``_submission_time``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def kobo_headers(form: Form) -> list[str]:
    """The column names: start, end, each question's path (and a select_multiple's options), then the meta."""
    paths = xml_paths(form)
    headers = list(meta_names(form))
    for question in form.questions:
        path = paths[question.name]
        headers.append(path)
        if question.type == "select_multiple":
            headers += [f"{path}/{choice.name}" for choice in question.choices]
    return [*headers, *_TRAILING_COLUMNS]


def _option(question: Question, name: Any, labels_in: str | None) -> str:
    choice = question.choice(name) if isinstance(name, str) else None
    if labels_in is None or choice is None:  # an option the form has since dropped keeps its name
        return str(name)
    return choice.label(labels_in)


def _cells(question: Question, answer: Any, labels_in: str | None) -> list[Cell]:
    """A question's cells: one, or for a select_multiple one plus one per option."""
    if question.type == "select_multiple":
        if answer is None:
            return [None] * (1 + len(question.choices))
        picked = answer if isinstance(answer, list) else [answer]
        separator = " " if labels_in is None else LABEL_SEPARATOR
        summary = separator.join(_option(question, name, labels_in) for name in picked) or None
        return [summary, *(1 if choice.name in picked else 0 for choice in question.choices)]
    if answer is None or answer == "":
        return [None]
    if question.type == "select_one":
        return [_option(question, answer, labels_in)]
    if question.type in ("integer", "decimal") and isinstance(answer, int | float) and not isinstance(answer, bool):
        return [answer]
    if question.type == "date" and isinstance(answer, str):
        day: date | None = read_date(answer)
        return [day if day is not None else answer]
    return [str(answer)]


def _name(person: int | None, names: dict[int, str], fallback: str | None = None) -> str:
    if person is not None and person in names:
        return names[person]
    return fallback or ""


def kobo_table(
    form: Form,
    responses: Iterable[Response],
    names: dict[int, str],
    timezone: str = "Asia/Jakarta",
    *,
    labels_in: str | None = None,
) -> tuple[list[str], list[list[Cell]]]:
    """The sent responses to ``form`` as KoboToolbox's default export: headers and one row each.

    ``names`` gives members' names by id (the respondent's and whoever entered it; a respondent
    not in it keeps the name typed for them); ``timezone`` is the cluster's, for start and end;
    ``labels_in`` (``"id"`` or ``"en"``) writes option labels instead of names.
    """
    if labels_in is not None and labels_in not in LANGUAGES:
        raise ValueError(f"labels_in must be one of {', '.join(LANGUAGES)}, got {labels_in!r}")
    zone = ZoneInfo(timezone)
    rows: list[list[Cell]] = []
    for response in responses:
        if not response.submitted or response.submitted_at is None or response.form_id != form.id:
            continue
        answers = form.applicable_answers(response.answers)
        row: list[Cell] = [kobo_time(response.started_at, zone), kobo_time(response.submitted_at, zone)]
        for question in form.questions:
            row += _cells(question, answers.get(question.name), labels_in)
        row += [
            response.id,
            submission_time(response.submitted_at),
            _name(response.entered_by, names),
            str(response.form_version),
            _name(response.respondent_id, names, response.respondent_name),
            response.source,
        ]
        rows.append(row)
    return kobo_headers(form), rows


def kobo_csv(
    form: Form,
    responses: Iterable[Response],
    names: dict[int, str],
    timezone: str = "Asia/Jakarta",
    *,
    labels_in: str | None = None,
) -> bytes:
    """``kobo_table`` as CSV (UTF-8 with a byte-order mark, as ``bot.exports.build_csv`` writes)."""
    return build_csv(*kobo_table(form, responses, names, timezone, labels_in=labels_in))


def kobo_xlsx(
    form: Form,
    responses: Iterable[Response],
    names: dict[int, str],
    timezone: str = "Asia/Jakarta",
    *,
    labels_in: str | None = None,
) -> bytes:
    """``kobo_table`` as an Excel workbook, one sheet named after the form (``bot.exports.build_xlsx``)."""
    headers, rows = kobo_table(form, responses, names, timezone, labels_in=labels_in)
    return build_xlsx(headers, rows, form.title(labels_in or LANGUAGES[0]))
