"""A form definition as an XLSForm workbook, the file KoboToolbox and ODK Central open as is.

``write_xlsform(form)`` gives the ``.xlsx`` bytes: a ``survey`` sheet (the meta rows ``start``
and ``end`` first, then one row per question, ``begin_group``/``end_group`` around the questions
that share a heading, a ``note`` row before a question that has notes), a ``choices`` sheet (one
list per choice question, named after it; a ``score`` column when the form scores its options,
the ANNEX-1 way) and a ``settings`` sheet (form_id, title, version, default language).
pyxform converts the workbook without errors or warnings (``tests/unit/test_xlsform_export.py``).

What the bot knows that XLSForm has no column for stays behind: the short labels a phone screen
shows (only the full label is written; pyxform ignores a ``short::...`` column on the survey sheet
but fails on one on the choices sheet, so neither is written). A text question's length limit is always written as a
constraint (``string-length(.) <= 500`` for the engine's default too), so it survives the trip.

``xml_paths(form)`` gives each question's place in the XForm (``usaha/jumlah_pekerja``): the
column names of KoboToolbox's default export, used by ``bot.kobo_export``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.forms import NUMBER_TYPES, Condition, Form, Question, Section
from bot.settings import LANGUAGES

__all__ = ["LANGUAGE_NAMES", "META_COLUMNS", "constraint_of", "meta_names", "survey_rows", "write_xlsform", "xml_paths"]

# XLSForm names a language "Name (code)"; KoboToolbox shows the name and reads the code.
LANGUAGE_NAMES = {"id": "Indonesian (id)", "en": "English (en)"}
META_COLUMNS = ("start", "end")  # KoboToolbox's usual first rows: when the form was opened and finished

_SURVEY_COLUMNS = (
    "type",
    "name",
    *(f"label::{LANGUAGE_NAMES[lang]}" for lang in LANGUAGES),
    *(f"hint::{LANGUAGE_NAMES[lang]}" for lang in LANGUAGES),
    "required",
    "relevant",
    "constraint",
    *(f"constraint_message::{LANGUAGE_NAMES[lang]}" for lang in LANGUAGES),
)


@dataclass(frozen=True)
class _Row:
    type: str
    name: str
    labels: dict[str, str]
    hints: dict[str, str] | None = None
    required: bool = False
    relevant: str = ""
    constraint: str = ""
    constraint_messages: dict[str, str] | None = None

    def cells(self) -> list[str]:
        hints = self.hints or {}
        messages = self.constraint_messages or {}
        return [
            self.type,
            self.name,
            *(self.labels.get(lang, "") for lang in LANGUAGES),
            *(hints.get(lang, "") for lang in LANGUAGES),
            "yes" if self.required else "",
            self.relevant,
            self.constraint,
            *(messages.get(lang, "") for lang in LANGUAGES),
        ]


def _number(value: int | float) -> str:
    """A bound as XPath writes a number: ``5``, ``2.5`` (never ``1e-05``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = repr(value)
    if "e" in text or "E" in text:
        text = f"{value:.15f}".rstrip("0").rstrip(".")
    return text


def constraint_of(question: Question) -> str:
    """The XLSForm constraint for a question's bounds: ``. >= 1 and . <= 500``, ``. > 0``,
    ``string-length(.) >= 3 and string-length(.) <= 80`` ('' when it has none)."""
    parts: list[str] = []
    if question.type in NUMBER_TYPES:
        if question.minimum is not None:
            parts.append(f". {'>' if question.min_exclusive else '>='} {_number(question.minimum)}")
        if question.maximum is not None:
            parts.append(f". {'<' if question.max_exclusive else '<='} {_number(question.maximum)}")
    elif question.type == "text":
        if question.min_length:
            parts.append(f"string-length(.) >= {question.min_length}")
        parts.append(f"string-length(.) <= {question.max_length}")
    return " and ".join(parts)


def _both(first: Condition | None, second: Condition | None) -> str:
    """Two conditions that must both hold, as one XPath expression ('' for none)."""
    texts = [c.text for c in (first, second) if c is not None]
    if len(texts) < 2:
        return texts[0] if texts else ""
    return " and ".join(f"({text})" if " or " in text else text for text in texts)


class _Names:
    """Names unique among siblings (XLSForm refuses two children of one group with the same name)."""

    def __init__(self, taken: Sequence[str] = ()) -> None:
        self._levels: list[set[str]] = [set(taken)]

    def claim(self, name: str) -> str:
        level = self._levels[-1]
        unique, number = name, 2
        while unique in level:
            unique, number = f"{name}_{number}", number + 1
        level.add(unique)
        return unique

    def enter(self) -> None:
        self._levels.append(set())

    def leave(self) -> None:
        self._levels.pop()


def meta_names(form: Form) -> tuple[str, str]:
    """The names of the ``start`` and ``end`` rows: ``start_time`` when a question is called ``start``."""
    taken = {q.name for q in form.questions}
    start, end = (name if name not in taken else f"{name}_time" for name in META_COLUMNS)
    return start, end


def _layout(form: Form) -> tuple[list[_Row], dict[str, str]]:
    """The survey sheet's rows and each question's XForm path."""
    meta = meta_names(form)
    rows = [_Row(kind, name, {}) for kind, name in zip(META_COLUMNS, meta, strict=True)]
    names = _Names(meta)
    paths: dict[str, str] = {}
    open_groups: list[tuple[Section, str]] = []  # the groups open now, outermost first, with their written names
    for question in form.questions:
        shared = 0
        while (
            shared < min(len(open_groups), len(question.groups)) and open_groups[shared][0] == question.groups[shared]
        ):
            shared += 1
        while len(open_groups) > shared:
            _section, written = open_groups.pop()
            names.leave()
            rows.append(_Row("end_group", written, {}))
        for group in question.groups[shared:]:
            written = names.claim(group.name)
            rows.append(_Row("begin_group", written, group.labels, relevant=_both(group.relevant, None)))
            names.enter()
            open_groups.append((group, written))
        for note in question.notes:  # shown on the question's screen: only when the question is asked
            rows.append(
                _Row("note", names.claim(note.name), note.labels, relevant=_both(note.relevant, question.relevant))
            )
        written = names.claim(question.name)
        paths[question.name] = "/".join([*(name for _group, name in open_groups), written])
        constraint = constraint_of(question)
        rows.append(
            _Row(
                f"{question.type} {question.name}" if question.choices else question.type,
                written,
                question.labels,
                question.hints,
                question.required,
                _both(question.relevant, None),
                constraint,
                question.constraint_messages if constraint else None,
            )
        )
    while open_groups:
        _section, written = open_groups.pop()
        rows.append(_Row("end_group", written, {}))
    return rows, paths


def survey_rows(form: Form) -> list[list[str]]:
    """The ``survey`` sheet as rows of text, its header first."""
    rows, _paths = _layout(form)
    return [list(_SURVEY_COLUMNS), *(row.cells() for row in rows)]


def xml_paths(form: Form) -> dict[str, str]:
    """Each question's path in the XForm by its name: ``jumlah_pekerja``, or ``usaha/jumlah_pekerja``
    inside a group (KoboToolbox's default export names its columns so)."""
    _rows, paths = _layout(form)
    return paths


def _choice_rows(form: Form) -> list[list[str | int | None]]:
    scored = any(c.score is not None for q in form.questions for c in q.choices)
    header: list[str | int | None] = [
        "list_name",
        "name",
        *(f"label::{LANGUAGE_NAMES[lang]}" for lang in LANGUAGES),
    ]
    if scored:
        header.append("score")
    rows = [header]
    for question in form.questions:
        for choice in question.choices:
            row: list[str | int | None] = [question.name, choice.name, *(choice.label(lang) for lang in LANGUAGES)]
            if scored:
                row.append(choice.score)
            rows.append(row)
    return rows


def write_xlsform(form: Form) -> bytes:
    """The form as an XLSForm ``.xlsx``: survey, choices and settings sheets."""
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    sheets: list[tuple[str, Sequence[Sequence[str | int | None]]]] = [
        ("survey", survey_rows(form)),
        ("choices", _choice_rows(form)),
        (
            "settings",
            [
                [
                    "form_id",
                    "form_title",
                    *(f"title_{lang}" for lang in LANGUAGES),  # the title per language, read back by bot/xlsform.py
                    "version",
                    "default_language",
                ],
                [
                    form.id,
                    form.title(LANGUAGES[0]),
                    *(form.title(lang) for lang in LANGUAGES),
                    str(form.version),
                    LANGUAGE_NAMES[LANGUAGES[0]],
                ],
            ],
        ),
    ]
    for title, rows in sheets:
        sheet = survey if title == "survey" else workbook.create_sheet(title)
        for row in rows:
            sheet.append([None if value == "" else value for value in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for cell in (c for line in sheet.iter_rows(min_row=2) for c in line):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text as text: a label starting with "=" is no formula
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
