"""Read an XLSForm (an ``.xlsx`` workbook) into the forms engine's definition dict, or refuse it whole.

XLSForm is the spreadsheet format of KoboToolbox and ODK: a ``survey`` sheet (one row per
question), a ``choices`` sheet (the options of each list) and an optional ``settings`` sheet
(``form_id``, ``form_title``, ``version``). ``read_xlsform`` turns the subset the engine can ask
on a phone into the dict ``bot.forms.parse_form`` validates (the shape of
``conversations/survey/forms/annex1.yaml``), and checks it with ``parse_form`` as a last guard.

Anything the engine cannot hold faithfully is a ``Problem`` naming the sheet and the row as Excel
shows it (the header is row 1); every problem is collected, and any problem refuses the form
whole: a form half-read would ask other questions than its author wrote.

How the spreadsheet is read:

- Header names are compared case-insensitively. ``label::Indonesian (id)``, ``label::id`` and
  ``label::Indonesian`` are Indonesian, ``label::English (en)``, ``label::en`` and
  ``label::English`` English; a plain ``label`` is the text for a language without its own
  column, and a form written in one language is asked in that language in both. The same holds
  for ``hint``, ``constraint_message``, the choices' labels and ``form_title``.
- XLSForm's questions are optional unless ``required`` says yes, so every question gets its
  ``required`` key (the engine's own default is required).
- Meta rows (``start``, ``end``, ``today``, ``deviceid``...) are not questions and are skipped.
- ``begin_group`` / ``end_group`` become the ``groups`` headings of the questions inside (a group
  without a label is headed by its name); a group's ``relevant`` applies to every question in it.
- A ``note`` is shown before the next question (its ``notes``); notes after the last question
  are shown before the last question, since the engine shows notes only before a question.
- ``relevant`` is kept as written; it must be in the engine's subset (``bot.form_conditions``)
  and name earlier questions only.
- ``constraint``: ``. >= N``, ``. > N``, ``. <= N``, ``. < N`` joined by ``and`` for numbers,
  ``string-length(.) <= N`` (and ``<``, ``>=``, ``>``) for text; nothing else (no ``regex``).
- Choices may carry a whole-number ``score``; a form using scores gets ``score_range``.
- The definition's ``version`` is 1: the caller numbers the versions it keeps; the settings'
  own ``version`` is returned as ``xlsform_version``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import PurePath
from typing import Any

from bot.form_conditions import parse_condition
from bot.forms import _CHOICE_NAME, _NAME, NUMBER_TYPES, Form, FormError, parse_form
from bot.settings import LANGUAGES

__all__ = ["MAX_CHOICES", "META_TYPES", "REASONS", "Problem", "XlsformImport", "read_xlsform"]

REASONS = (
    "unreadable",
    "no_survey",
    "missing_column",
    "repeat",
    "unsupported_type",
    "cascading",
    "unsupported_column",
    "relevant",
    "constraint",
    "unknown_list",
    "too_many_choices",
    "too_few_choices",
    "no_label",
    "bad_name",
    "duplicate_name",
    "group_not_closed",
    "stray_end_group",
    "bad_score",
    "mixed_scores",
    "form_error",
)

META_TYPES = frozenset(
    (
        "start",
        "end",
        "today",
        "deviceid",
        "imei",
        "username",
        "phonenumber",
        "audit",
        "simserial",
        "subscriberid",
        "email",
    )
)
MAX_CHOICES = 12  # a phone screen's limit, the engine's own
MAX_TEXT_LENGTH = 3000  # the engine's longest typed answer
DEFAULT_TEXT_LENGTH = 500
_SIMPLE_TYPES = {
    "integer": "integer",
    "int": "integer",
    "decimal": "decimal",
    "text": "text",
    "string": "text",
    "date": "date",
}
# Columns whose filled cells ask for something the engine does not do.
_UNSUPPORTED_COLUMNS = ("calculation", "repeat_count", "trigger", "default", "read_only", "parameters")
_MEDIA_COLUMNS = ("image", "audio", "video", "big-image")
_LANGUAGE_NAMES = {
    "indonesian": "id",
    "bahasa indonesia": "id",
    "bahasa": "id",
    "indonesia": "id",
    "english": "en",
}
_STRUCTURE_TYPES = ("begin_group", "end_group", "begin_repeat", "end_repeat", "note")
_SHEET_ORDER = {"file": 0, "settings": 1, "survey": 2, "choices": 3}
_TRUE = ("yes", "true", "true()", "1", "y")
_FALSE = ("", "no", "false", "false()", "0", "n")
_NUMBER_BOUND = re.compile(r"\.\s*(>=|>|<=|<)\s*(-?\d+(?:\.\d+)?)")
_LENGTH_BOUND = re.compile(r"string-length\s*\(\s*\.\s*\)\s*(>=|>|<=|<)\s*(\d+)")


@dataclass(frozen=True)
class Problem:
    """One thing in the spreadsheet the engine cannot hold; ``reason`` is one of ``REASONS``."""

    sheet: str  # "survey", "choices", "settings", or "file"
    row: int | None  # the row as Excel shows it (the header is row 1); None for the whole file or sheet
    reason: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class XlsformImport:
    """What ``read_xlsform`` made of a workbook: a definition and its ``Form``, or the problems."""

    definition: dict[str, Any] | None  # None when refused
    problems: tuple[Problem, ...]
    form_id: str | None
    xlsform_version: str | None  # settings.version as text
    title: str | None
    form: Form | None  # parse_form(definition) when accepted

    @property
    def accepted(self) -> bool:
        """Whether the form can be used as it is."""
        return self.form is not None


# -- cells and sheets -----------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    """A cell as text: ``1`` and ``1.0`` are "1", blanks are ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _language(suffix: str) -> str | None:
    """The engine's language a column suffix names (``Indonesian (id)``, ``id``, ``English``), if any."""
    suffix = suffix.strip().lower()
    code = re.search(r"\(\s*([a-z]{2,3})(?:[-_][a-z0-9]+)?\s*\)\s*$", suffix)
    if code:
        return code.group(1) if code.group(1) in LANGUAGES else None
    if suffix in LANGUAGES:
        return suffix
    return _LANGUAGE_NAMES.get(suffix)


class _Sheet:
    """A sheet's header and its non-empty rows, with each row's Excel number."""

    def __init__(self, name: str, rows: list[tuple[Any, ...]]) -> None:
        self.name = name
        header = rows[0] if rows else ()
        self.columns = [_cell_text(cell).lower() for cell in header]
        self.rows: list[tuple[int, dict[str, str]]] = []
        for number, values in enumerate(rows[1:], start=2):
            row: dict[str, str] = {}
            for column, value in zip(self.columns, values, strict=False):
                text = _cell_text(value)
                if column and text and column not in row:
                    row[column] = text
            if row:
                self.rows.append((number, row))

    def has(self, key: str) -> bool:
        """Whether the sheet has the column ``key`` or a ``key::<language>`` column of an engine language."""
        return key in self.columns or any(self._language_of(column, key) for column in self.columns)

    def _language_of(self, column: str, key: str) -> str | None:
        if not column.startswith(f"{key}::"):
            return None
        return _language(column[len(key) + 2 :])

    def texts(self, row: dict[str, str], key: str) -> dict[str, str]:
        """``{language: text}`` for ``key``: its own column, else the plain one, else the other language's."""
        own: dict[str, str] = {}
        for column, text in row.items():
            lang = self._language_of(column, key)
            if lang and lang not in own:
                own[lang] = text
        plain = row.get(key, "")
        fallback = plain or next((own[lang] for lang in LANGUAGES if lang in own), "")
        if not fallback:
            return {}
        return {lang: own.get(lang) or plain or fallback for lang in LANGUAGES}


def _sheets(data: bytes) -> dict[str, _Sheet] | None:
    """The workbook's sheets by lower-case name, or None when it is not an .xlsx workbook."""
    try:
        from openpyxl import load_workbook

        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
        sheets = {}
        for sheet in book.worksheets:
            name = sheet.title.strip().lower()
            if name not in sheets:
                sheets[name] = _Sheet(name, list(sheet.iter_rows(values_only=True)))
        book.close()
    except Exception:  # a zip that is no workbook fails in many ways: BadZipFile, KeyError, InvalidFileException...
        return None
    return sheets


# -- the reader -----------------------------------------------------------------------------------


def read_xlsform(data: bytes, filename: str | None = None) -> XlsformImport:
    """Read an XLSForm workbook into a definition for ``parse_form``, or list every problem."""
    sheets = _sheets(data)
    if sheets is None:
        return XlsformImport(None, (Problem("file", None, "unreadable"),), None, None, None, None)
    reader = _Reader(sheets, filename)
    return reader.read()


class _Reader:
    """One reading of one workbook: collects the definition and the problems as it goes."""

    def __init__(self, sheets: dict[str, _Sheet], filename: str | None) -> None:
        self.sheets = sheets
        self.filename = filename
        self.problems: list[Problem] = []
        self.lists: dict[str, list[dict[str, Any]]] = {}
        self.list_rows: dict[str, int] = {}
        self.choices_usable = False

    def problem(self, sheet: str, row: int | None, reason: str, **details: Any) -> None:
        self.problems.append(Problem(sheet, row, reason, details))

    def read(self) -> XlsformImport:
        form_id, version, titles, title = self.read_settings()
        self.read_choices()
        questions = self.read_survey()
        definition: dict[str, Any] = {"id": form_id, "version": 1}
        definition.update({f"title::{lang}": titles[lang] for lang in LANGUAGES})
        definition["questions"] = questions
        scores = [
            choice["score"]
            for question in questions
            for choice in question.get("choices", [])
            if choice.get("score") is not None
        ]
        if scores:
            definition["score_range"] = [min(scores), max(scores)]
        form = None
        if not self.problems:
            try:
                form = parse_form(definition, self.filename or "xlsform")
            except FormError as error:
                self.problem("survey", None, "form_error", message=str(error))
        problems = tuple(sorted(self.problems, key=lambda p: (_SHEET_ORDER.get(p.sheet, 9), p.row or 0)))
        if problems:
            return XlsformImport(None, problems, form_id, version, title, None)
        return XlsformImport(definition, (), form_id, version, title, form)

    # -- settings

    def read_settings(self) -> tuple[str, str | None, dict[str, str], str]:
        sheet = self.sheets.get("settings")
        number, row = sheet.rows[0] if sheet and sheet.rows else (None, {})
        form_id = row.get("form_id") or _default_id(self.filename)
        if not _NAME.match(form_id):
            self.problem("settings", number, "bad_name", name=form_id)
        titles = sheet.texts(row, "form_title") if sheet else {}
        if not titles:
            titles = dict.fromkeys(LANGUAGES, form_id)
        # Rembug's own export writes the title per language as title_id, title_en (pyxform ignores them)
        titles = {lang: row.get(f"title_{lang}") or text for lang, text in titles.items()}
        title = row.get("form_title") or titles[LANGUAGES[0]]
        return form_id, row.get("version") or None, titles, title

    # -- choices

    def read_choices(self) -> None:
        sheet = self.sheets.get("choices")
        if sheet is None:
            return
        missing = [key for key in ("list_name", "name", "label") if not sheet.has(key)]
        for key in missing:
            self.problem("choices", 1, "missing_column", column=key)
        if missing:
            return
        self.choices_usable = True
        for number, row in sheet.rows:
            list_name = row.get("list_name", "")
            if not list_name:
                continue
            options = self.lists.setdefault(list_name, [])
            self.list_rows.setdefault(list_name, number)
            name = row.get("name", "")
            if not _CHOICE_NAME.match(name):
                self.problem("choices", number, "bad_name", name=name)
            elif any(option["name"] == name for option in options):
                self.problem("choices", number, "duplicate_name", name=name)
            choice: dict[str, Any] = {"name": name}
            labels = sheet.texts(row, "label")
            if not labels:
                self.problem("choices", number, "no_label", name=name)
            choice.update({f"label::{lang}": text for lang, text in labels.items()})
            score = row.get("score", "")
            if score:
                value = _whole_number(score)
                if value is None:
                    self.problem("choices", number, "bad_score", value=score)
                choice["score"] = value
            else:
                choice["score"] = None
            options.append(choice)

    def options(self, list_name: str, row: int, checked: set[str]) -> list[dict[str, Any]]:
        """The choices of ``list_name`` for a question (problems of the list itself reported once)."""
        if not self.choices_usable and "choices" in self.sheets:
            return []  # the choices sheet's own problem is reported already
        if list_name not in self.lists:
            self.problem("survey", row, "unknown_list", list=list_name)
            return []
        options = self.lists[list_name]
        first = self.list_rows[list_name]
        if list_name not in checked:
            checked.add(list_name)
            if len(options) > MAX_CHOICES:
                self.problem("choices", first, "too_many_choices", list=list_name, count=len(options))
            elif len(options) < 2:
                self.problem("choices", first, "too_few_choices", list=list_name)
            has_score = [option["score"] is not None for option in options]
            if any(has_score) and not all(has_score):
                self.problem("choices", first, "mixed_scores", list=list_name)
        result = []
        for option in options:
            choice = {key: value for key, value in option.items() if key != "score"}
            if option["score"] is not None:
                choice["score"] = option["score"]
            result.append(choice)
        return result

    # -- survey

    def read_survey(self) -> list[dict[str, Any]]:
        sheet = self.sheets.get("survey")
        if sheet is None:
            self.problem("survey", None, "no_survey")
            return []
        missing = [key for key in ("type", "name", "label") if not sheet.has(key)]
        for key in missing:
            self.problem("survey", 1, "missing_column", column=key)
        if missing:
            return []
        questions: list[dict[str, Any]] = []
        names: set[str] = set()
        earlier: list[str] = []  # question names so far, for conditions
        groups: list[tuple[str, dict[str, Any], int]] = []  # open groups and repeats: kind, section, row
        notes: list[tuple[dict[str, Any], int]] = []  # notes waiting for the next question
        checked_lists: set[str] = set()
        for number, row in sheet.rows:
            kind = " ".join(row.get("type", "").split())
            word = kind.lower().replace(" ", "_")
            if word in META_TYPES:
                continue
            if word in _STRUCTURE_TYPES or _question_type(kind):  # an unsupported type is problem enough
                self.check_columns(number, row, note=word == "note")
            if word in ("begin_group", "begin_repeat"):
                if word == "begin_repeat":
                    self.problem("survey", number, "repeat")
                section = self.section(sheet, number, row, names, earlier, group=True)
                groups.append((word, section, number))
            elif word in ("end_group", "end_repeat"):
                if groups:
                    groups.pop()
                else:
                    self.problem("survey", number, "stray_end_group")
            elif word == "note":
                notes.append((self.section(sheet, number, row, names, earlier, group=False), number))
            else:
                question = self.question(sheet, number, row, kind, names, earlier, checked_lists)
                if question is None:
                    continue
                inside = [section for word, section, _row in groups if word == "begin_group"]
                if inside:
                    question["groups"] = inside
                if notes:
                    question["notes"] = [note for note, _row in notes]
                    notes = []
                questions.append(question)
                earlier.append(question["name"])
        for _word, section, number in groups:
            self.problem("survey", number, "group_not_closed", name=section["name"])
        if notes and questions:
            last = questions[-1]
            for note, number in notes:  # shown before the last question: it cannot depend on its answer
                if last["name"] in _condition_names(note.get("relevant")):
                    self.problem("survey", number, "relevant", expression=note["relevant"])
            last["notes"] = [*last.get("notes", []), *(note for note, _row in notes)]
        if not questions:
            self.problem("survey", None, "no_survey")
        return questions

    def check_columns(self, number: int, row: dict[str, str], *, note: bool) -> None:
        """Report the filled cells of columns the engine does not do (a note is read-only anyway)."""
        for column in row:
            if note and column == "read_only":
                continue
            if column == "choice_filter":
                self.problem("survey", number, "cascading")
            elif (
                column in _UNSUPPORTED_COLUMNS
                or column.startswith(("body::", "media::"))
                or any(column == media or column.startswith(f"{media}::") for media in _MEDIA_COLUMNS)
            ):
                self.problem("survey", number, "unsupported_column", column=column)

    def check_name(self, number: int, name: str, names: set[str]) -> None:
        if not _NAME.match(name):
            self.problem("survey", number, "bad_name", name=name)
        elif name in names:
            self.problem("survey", number, "duplicate_name", name=name)
        names.add(name)

    def check_relevant(self, text: str | None, number: int, earlier: list[str]) -> None:
        if not text:
            return
        try:
            condition = parse_condition(text)
        except ValueError:
            self.problem("survey", number, "relevant", expression=text)
            return
        if condition.names - set(earlier):
            self.problem("survey", number, "relevant", expression=text)

    def section(
        self, sheet: _Sheet, number: int, row: dict[str, str], names: set[str], earlier: list[str], *, group: bool
    ) -> dict[str, Any]:
        """A group heading or a note: name, labels and condition."""
        name = row.get("name", "")
        self.check_name(number, name, names)
        labels = sheet.texts(row, "label")
        if not labels:
            if group:
                labels = dict.fromkeys(LANGUAGES, name)
            else:
                self.problem("survey", number, "no_label", name=name)
        section: dict[str, Any] = {"name": name}
        section.update({f"label::{lang}": text for lang, text in labels.items()})
        relevant = row.get("relevant")
        if relevant:
            self.check_relevant(relevant, number, earlier)
            section["relevant"] = relevant
        return section

    def question(
        self,
        sheet: _Sheet,
        number: int,
        row: dict[str, str],
        kind: str,
        names: set[str],
        earlier: list[str],
        checked_lists: set[str],
    ) -> dict[str, Any] | None:
        """One question's definition (None when its type is not one the engine asks)."""
        engine_type = _question_type(kind)
        if engine_type is None:
            self.problem("survey", number, "unsupported_type", type=kind)
            return None
        parts = kind.split()
        name = row.get("name", "")
        self.check_name(number, name, names)
        question: dict[str, Any] = {"name": name, "type": engine_type}
        labels = sheet.texts(row, "label")
        if not labels:
            self.problem("survey", number, "no_label", name=name)
        question.update({f"label::{lang}": text for lang, text in labels.items()})
        question.update({f"hint::{lang}": text for lang, text in sheet.texts(row, "hint").items()})
        question["required"] = self.required(number, row.get("required", ""))
        relevant = row.get("relevant")
        if relevant:
            self.check_relevant(relevant, number, earlier)
            question["relevant"] = relevant
        if engine_type in ("select_one", "select_multiple"):
            list_name = parts[1] if len(parts) == 2 else ""
            question["choices"] = self.options(list_name, number, checked_lists)
        constraint = row.get("constraint", "")
        if constraint:
            bounds = _constraint(engine_type, constraint)
            if bounds is None:
                self.problem("survey", number, "constraint", expression=constraint)
            else:
                question.update(bounds)
                messages = sheet.texts(row, "constraint_message")
                question.update({f"constraint_message::{lang}": text for lang, text in messages.items()})
        if engine_type == "text":
            question.setdefault("max_length", DEFAULT_TEXT_LENGTH)
        return question

    def required(self, number: int, text: str) -> bool:
        value = text.strip().lower()
        if value in _TRUE:
            return True
        if value not in _FALSE:  # a condition: "required when..." is not something the engine does
            self.problem("survey", number, "unsupported_column", column="required")
        return False


def _condition_names(text: str | None) -> set[str]:
    """The questions a condition reads (none when there is no condition or it cannot be read)."""
    try:
        return parse_condition(text).names if text else set()
    except ValueError:
        return set()


def _question_type(kind: str) -> str | None:
    """The engine's type for an XLSForm type (``select_one jenis`` → ``select_one``), or None."""
    parts = kind.split()
    word = parts[0].lower() if parts else ""
    if word in ("select_one", "select_multiple") and len(parts) <= 2:
        return word
    if word in _SIMPLE_TYPES and len(parts) == 1:
        return _SIMPLE_TYPES[word]
    return None


def _default_id(filename: str | None) -> str:
    """A form id from the file's name: ``Survei Batik 2026.xlsx`` → ``survei_batik_2026``."""
    stem = PurePath(filename).stem.lower() if filename else ""
    name = re.sub(r"[^a-z0-9_]+", "_", stem).strip("_")[:64]
    if not name:
        return "imported_form"
    return name if _NAME.match(name) else f"form_{name}"[:64]


def _whole_number(text: str) -> int | None:
    """``"5"``, ``"5.0"`` → 5; None for anything else."""
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() else None


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def _constraint(kind: str, text: str) -> dict[str, Any] | None:
    """The engine's bounds for a constraint, or None when it cannot hold it."""
    parts = [part.strip() for part in re.split(r"\s+and\s+", text.strip())]
    bounds: dict[str, Any] = {}
    for raw in parts:
        part = raw
        while part.startswith("(") and part.endswith(")"):
            part = part[1:-1].strip()
        if kind in NUMBER_TYPES:
            match = _NUMBER_BOUND.fullmatch(part)
            if not match:
                return None
            op, value = match.group(1), _number(match.group(2))
            if kind == "integer" and isinstance(value, float):
                return None
            key = "min" if op.startswith(">") else "max"
            if key in bounds:
                return None
            bounds[key] = value
            bounds[f"{key}_exclusive"] = op in (">", "<")
        elif kind == "text":
            match = _LENGTH_BOUND.fullmatch(part)
            if not match:
                return None
            op, length = match.group(1), int(match.group(2))
            key = "min_length" if op.startswith(">") else "max_length"
            if key in bounds:
                return None
            bounds[key] = {">=": length, ">": length + 1, "<=": length, "<": length - 1}[op]
        else:
            return None
    if kind in NUMBER_TYPES:
        low, high = bounds.get("min"), bounds.get("max")
        exclusive = bounds.get("min_exclusive") or bounds.get("max_exclusive")
        if low is not None and high is not None and (low > high or (low == high and exclusive)):
            return None
        return bounds
    high = min(bounds.get("max_length", max(DEFAULT_TEXT_LENGTH, bounds.get("min_length", 0))), MAX_TEXT_LENGTH)
    low = bounds.get("min_length", 0)
    if high < 1 or low > high:
        return None
    bounds["max_length"] = high
    return bounds
