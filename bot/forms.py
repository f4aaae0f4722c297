"""Questionnaires as data: load, validate and walk forms defined in YAML files.

A definition file (e.g. ``conversations/survey/forms/annex1.yaml``) follows
XLSForm's habits: one ``label::<language>`` key per language for every
question and choice, a ``type`` per question, ``required``, a short ``hint``,
and ``relevant`` for a question asked only under a condition. A choice may
carry ``short::<language>``: the plain label a phone screen shows, while its
``label`` keeps the full text (a guideline's own wording, shown folded
under the options)::

    id: annex1
    version: 1
    title::id: ...
    title::en: ...
    questions:
      - name: geographic_bounds
        type: select_one            # select_one | select_multiple | integer | text | date
        required: true
        label::id: Batasan geografis
        label::en: Geographic bounds
        hint::id: ...
        hint::en: ...
        choices:
          - {name: within_30_min, score: 5, label::id: ..., label::en: ..., short::id: ..., short::en: ...}
      - name: supporter
        type: text
        max_length: 200
        relevant: ${outside_support} = 'yes'
        suggest: supporters         # offers a flow's entries as buttons; typing still answers

Loading checks everything a person would trip over later (a missing
translation, a duplicate option, a score out of range, a condition naming an
unknown question) and raises ``FormError`` naming the file, the question and
the problem. The engine imports neither ``telegram`` nor ``aiosqlite``: the
Telegram side lives in ``bot/form_dialog.py`` and answers are stored by
``storage/forms.py``, so every questionnaire (survey, action plan, evaluation)
is asked, stored and reviewed the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from bot.form_conditions import Condition, parse_condition
from bot.settings import LANGUAGES

__all__ = [
    "AnswerProblem",
    "Choice",
    "Condition",
    "Form",
    "FormError",
    "Question",
    "Section",
    "load_form",
    "load_forms",
    "parse_condition",
    "parse_form",
    "read_date",
    "read_number",
    "read_typed_answer",
    "score_of",
]

QUESTION_TYPES = ("select_one", "select_multiple", "integer", "decimal", "text", "date")
NUMBER_TYPES = ("integer", "decimal")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")  # XLSForm's names (the built-in forms use lower case)
_CHOICE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")  # XLSForm allows "1", "2" as option names


class FormError(ValueError):
    """A definition file is wrong; the message names the file, the question and the problem."""


@dataclass(frozen=True)
class Choice:
    """One option of a choice question."""

    name: str
    labels: dict[str, str]
    score: int | None = None
    short_labels: dict[str, str] = field(default_factory=dict)

    def label(self, lang: str) -> str:
        """The option's full text in ``lang`` (for a guideline's questionnaire, its own wording)."""
        return self.labels[lang]

    def short(self, lang: str) -> str:
        """The short plain label a phone screen shows (the full text when none is given)."""
        return self.short_labels.get(lang) or self.labels[lang]

    @property
    def shortened(self) -> bool:
        """Whether the screen shows a short label instead of the full text."""
        return any(self.short(lang) != self.label(lang) for lang in self.labels)


@dataclass(frozen=True)
class Section:
    """A heading several questions share (XLSForm's ``begin_group``), or a note shown before a
    question (XLSForm's ``note``); either can carry its own condition."""

    name: str
    labels: dict[str, str]
    relevant: Condition | None = None

    def label(self, lang: str) -> str:
        """The heading's or the note's text in ``lang``."""
        return self.labels[lang]

    def shown(self, answers: dict[str, Any]) -> bool:
        """Whether its condition holds (always, without one)."""
        return self.relevant is None or self.relevant.holds(answers)


Number = int | float


@dataclass(frozen=True)
class Question:
    """One question of a form."""

    name: str
    type: str
    labels: dict[str, str]
    hints: dict[str, str] = field(default_factory=dict)
    short_labels: dict[str, str] = field(default_factory=dict)
    required: bool = True
    choices: tuple[Choice, ...] = ()
    minimum: Number | None = None
    maximum: Number | None = None
    max_length: int = 500
    relevant: Condition | None = None
    min_exclusive: bool = False  # "more than minimum" rather than "at least" (XLSForm's ``. > 0``)
    max_exclusive: bool = False
    min_length: int = 0
    constraint_messages: dict[str, str] = field(default_factory=dict)
    groups: tuple[Section, ...] = ()  # the headings it sits under, outermost first
    notes: tuple[Section, ...] = ()  # notes shown before it
    suggest: str | None = None  # a text question's suggestion source (``bot.form_dialog.SuggestionSource``)

    def applies(self, answers: dict[str, Any]) -> bool:
        """Whether the question is asked given the answers so far (its groups' conditions and its own)."""
        return all(c.holds(answers) for c in self.conditions)

    @cached_property
    def conditions(self) -> tuple[Condition, ...]:
        """Its groups' conditions, outermost first, then its own."""
        found = [g.relevant for g in self.groups if g.relevant is not None]
        return tuple([*found, self.relevant] if self.relevant is not None else found)

    def constraint_message(self, lang: str) -> str | None:
        """The form's own words for an answer out of bounds (XLSForm's ``constraint_message``)."""
        return self.constraint_messages.get(lang)

    def heading(self, lang: str) -> str | None:
        """The group headings it sits under, joined: "Usaha · Ekspor" (None outside a group)."""
        return " · ".join(g.label(lang) for g in self.groups) or None

    def notes_shown(self, answers: dict[str, Any]) -> list[Section]:
        """The notes before it whose conditions hold."""
        return [note for note in self.notes if note.shown(answers)]

    def label(self, lang: str) -> str:
        """The question's text in ``lang``."""
        return self.labels[lang]

    def short(self, lang: str) -> str:
        """A short name for summaries (the label when none is given)."""
        return self.short_labels.get(lang) or self.labels[lang]

    def hint(self, lang: str) -> str | None:
        """The help text in ``lang``, if any."""
        return self.hints.get(lang)

    def choice(self, name: str) -> Choice | None:
        """The option called ``name``."""
        return next((c for c in self.choices if c.name == name), None)

    @cached_property
    def scored(self) -> bool:
        """Whether this question's options carry scores."""
        return self.type == "select_one" and any(c.score is not None for c in self.choices)

    @cached_property
    def scores(self) -> dict[str, int | None]:
        """Each option's score by its name (worked out once: results score thousands of answers)."""
        return {c.name: c.score for c in self.choices}


@dataclass(frozen=True)
class Form:
    """A questionnaire definition."""

    id: str
    version: int
    titles: dict[str, str]
    questions: tuple[Question, ...]
    source: str = ""
    score_range: tuple[int, int] | None = None

    def title(self, lang: str) -> str:
        """The form's title in ``lang``."""
        return self.titles[lang]

    @cached_property
    def groups(self) -> tuple[Section, ...]:
        """Every group heading, at any depth, in the order the questions meet them."""
        seen: dict[str, Section] = {}
        for question in self.questions:
            for group in question.groups:
                seen.setdefault(group.name, group)
        return tuple(seen.values())

    def question(self, name: str) -> Question:
        """The question called ``name``."""
        return next(q for q in self.questions if q.name == name)

    def asked(self, answers: dict[str, Any]) -> list[Question]:
        """The questions that apply given the answers so far (conditions evaluated)."""
        return [q for q in self.questions if q.applies(answers)]

    def next_unanswered(self, answers: dict[str, Any]) -> Question | None:
        """The first applicable question without an answer (skipped optional ones count as answered)."""
        return next((q for q in self.asked(answers) if q.name not in answers), None)

    def previous(self, name: str, answers: dict[str, Any]) -> Question | None:
        """The applicable question before ``name`` (for Back)."""
        asked = self.asked(answers)
        names = [q.name for q in asked]
        if name not in names:
            return asked[-1] if asked else None
        index = names.index(name)
        return asked[index - 1] if index > 0 else None

    def position(self, name: str, answers: dict[str, Any]) -> tuple[int, int]:
        """``(n, total)`` for a ``n/total`` progress line."""
        names = [q.name for q in self.asked(answers)]
        return (names.index(name) + 1 if name in names else len(names)), len(names)

    def complete(self, answers: dict[str, Any]) -> bool:
        """Whether every applicable required question has an answer."""
        return all(q.name in answers and (answers[q.name] is not None or not q.required) for q in self.asked(answers))

    def applicable_answers(self, answers: dict[str, Any]) -> dict[str, Any]:
        """The answers to questions that still apply (a changed answer can make others moot)."""
        names = {q.name for q in self.asked(answers)}
        return {k: v for k, v in answers.items() if k in names}


# -- loading --------------------------------------------------------------------------------------


def _texts(data: dict, key: str, where: str, required: bool = True) -> dict[str, str]:
    texts = {lang: data.get(f"{key}::{lang}") for lang in LANGUAGES}
    present = {lang: str(text).strip() for lang, text in texts.items() if text is not None and str(text).strip()}
    if required or present:
        missing = [lang for lang in LANGUAGES if lang not in present]
        if missing:
            raise FormError(
                f"{where}: missing {key}::{missing[0]} (every {key} needs {', '.join(f'{key}::{lang}' for lang in LANGUAGES)})"
            )
    return present


def load_form(path: str | Path) -> Form:
    """Read and validate one definition file."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise FormError(f"{path.name}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise FormError(f"{path.name}: expected a mapping with id, version, title and questions")
    return parse_form(data, path.name)


def parse_form(data: dict, source: str) -> Form:
    """Validate a definition already read into a dict (``source`` names it in errors)."""
    form_id = data.get("id")
    if not isinstance(form_id, str) or not _NAME.match(form_id):
        raise FormError(f"{source}: id must be a short lower-case name, got {form_id!r}")
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise FormError(f"{source}: version must be a whole number from 1, got {version!r}")
    titles = _texts(data, "title", source)
    score_range = data.get("score_range")
    if score_range is not None and (not isinstance(score_range, list) or len(score_range) != 2):
        raise FormError(f"{source}: score_range must be [lowest, highest]")
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        raise FormError(f"{source}: questions must be a non-empty list")
    questions: list[Question] = []
    for number, raw in enumerate(raw_questions, start=1):
        questions.append(_parse_question(raw, number, source, [q.name for q in questions], score_range))
    return Form(form_id, version, titles, tuple(questions), source, tuple(score_range) if score_range else None)


def _parse_question(raw: Any, number: int, source: str, earlier: list[str], score_range: list | None) -> Question:
    if not isinstance(raw, dict):
        raise FormError(f"{source}: question {number}: expected a mapping")
    name = raw.get("name")
    where = f"{source}: question {name or number}"
    if not isinstance(name, str) or not _NAME.match(name):
        raise FormError(f"{where}: name must be a short lower-case name")
    if name in earlier:
        raise FormError(f"{where}: the name is used twice")
    kind = raw.get("type")
    if kind not in QUESTION_TYPES:
        raise FormError(f"{where}: type must be one of {', '.join(QUESTION_TYPES)}, got {kind!r}")
    labels = _texts(raw, "label", where)
    hints = _texts(raw, "hint", where, required=False)
    shorts = _texts(raw, "short", where, required=False)
    required = raw.get("required", True)
    if not isinstance(required, bool):
        raise FormError(f"{where}: required must be true or false")
    relevant = _condition(raw.get("relevant"), where, earlier)
    groups = tuple(_section(item, f"{where}: group", earlier) for item in _listed(raw.get("groups"), where, "groups"))
    notes = tuple(_section(item, f"{where}: note", earlier) for item in _listed(raw.get("notes"), where, "notes"))
    choices: tuple[Choice, ...] = ()
    minimum = maximum = None
    max_length, min_length = 500, 0
    if kind in ("select_one", "select_multiple"):
        choices = _parse_choices(raw.get("choices"), where, kind, score_range)
    elif kind in NUMBER_TYPES:
        minimum, maximum = raw.get("min"), raw.get("max")
        allowed = (int,) if kind == "integer" else (int, float)
        if not all((isinstance(v, allowed) and not isinstance(v, bool)) or v is None for v in (minimum, maximum)):
            raise FormError(f"{where}: min and max must be {'whole numbers' if kind == 'integer' else 'numbers'}")
        if minimum is not None and maximum is not None and minimum > maximum:
            raise FormError(f"{where}: min is larger than max")
    elif kind == "text":
        max_length = raw.get("max_length", 500)
        if not isinstance(max_length, int) or not 1 <= max_length <= 3000:
            raise FormError(f"{where}: max_length must be a whole number from 1 to 3000")
        min_length = raw.get("min_length", 0)
        if not isinstance(min_length, int) or not 0 <= min_length <= max_length:
            raise FormError(f"{where}: min_length must be a whole number from 0 to max_length")
    exclusive = {key: raw.get(key, False) for key in ("min_exclusive", "max_exclusive")}
    if not all(isinstance(value, bool) for value in exclusive.values()):
        raise FormError(f"{where}: min_exclusive and max_exclusive must be true or false")
    messages = _texts(raw, "constraint_message", where, required=False)
    suggest = raw.get("suggest")
    if suggest is not None and (kind != "text" or not isinstance(suggest, str) or not _NAME.match(suggest)):
        raise FormError(f"{where}: suggest names a suggestion source, on a text question only")
    return Question(
        name,
        kind,
        labels,
        hints,
        shorts,
        required,
        choices,
        minimum,
        maximum,
        max_length,
        relevant,
        exclusive["min_exclusive"],
        exclusive["max_exclusive"],
        min_length,
        messages,
        groups,
        notes,
        suggest,
    )


def _condition(text: Any, where: str, earlier: list[str]) -> Condition | None:
    if not text:
        return None
    try:
        condition = parse_condition(str(text))
    except ValueError as error:
        raise FormError(f"{where}: relevant: {error}") from None
    unknown = condition.names - set(earlier)
    if unknown:
        raise FormError(f"{where}: relevant names {sorted(unknown)[0]!r}, which is not an earlier question")
    return condition


def _listed(raw: Any, where: str, key: str) -> list:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise FormError(f"{where}: {key} must be a list")
    return raw


def _section(raw: Any, where: str, earlier: list[str]) -> Section:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not _NAME.match(raw["name"]):
        raise FormError(f"{where}: expected a mapping with a name")
    where = f"{where} {raw['name']}"
    return Section(raw["name"], _texts(raw, "label", where), _condition(raw.get("relevant"), where, earlier))


def _parse_choices(raw: Any, where: str, kind: str, score_range: list | None) -> tuple[Choice, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        raise FormError(f"{where}: a {kind} question needs at least two choices")
    if len(raw) > 12:
        raise FormError(f"{where}: at most 12 choices fit a phone screen, got {len(raw)}")
    choices: list[Choice] = []
    for position, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise FormError(f"{where}: choice {position}: expected a mapping")
        name = str(item.get("name", ""))
        if not _CHOICE_NAME.match(name):
            raise FormError(f"{where}: choice {position}: name must be a short lower-case name")
        labels = _texts(item, "label", f"{where}: choice {name}")
        shorts = _texts(item, "short", f"{where}: choice {name}", required=False)
        if any(c.name == name for c in choices):
            raise FormError(f"{where}: choice {name}: duplicate option name")
        for lang in LANGUAGES:
            if any(c.labels[lang].casefold() == labels[lang].casefold() for c in choices):
                raise FormError(f"{where}: choice {name}: duplicate option text in label::{lang}")
            if shorts and any(c.short(lang).casefold() == shorts[lang].casefold() for c in choices):
                raise FormError(f"{where}: choice {name}: duplicate option text in short::{lang}")
        score = item.get("score")
        if score is not None and (
            not isinstance(score, int) or (score_range and not score_range[0] <= score <= score_range[1])
        ):
            raise FormError(f"{where}: choice {name}: score must be a whole number within {score_range}")
        choices.append(Choice(name, labels, score, shorts))
    scored = [c.score is not None for c in choices]
    if any(scored) and not all(scored):
        raise FormError(f"{where}: either every choice has a score or none has")
    return tuple(choices)


def tallied_questions(forms: Iterable[Form]) -> list[tuple[str, int, str]]:
    """``(form, version, question)`` of every one-choice question: those whose sent answers the
    database tallies (``storage/forms.py`` track_choices)."""
    return [(form.id, form.version, q.name) for form in forms for q in form.questions if q.type == "select_one"]


def load_forms(folder: str | Path) -> dict[tuple[str, int], Form]:
    """Every definition in ``folder`` by ``(id, version)``."""
    forms: dict[tuple[str, int], Form] = {}
    for path in sorted(Path(folder).glob("*.yaml")):
        form = load_form(path)
        key = (form.id, form.version)
        if key in forms:
            raise FormError(f"{path.name}: {form.id} version {form.version} is defined twice")
        forms[key] = form
    return forms


# -- answers --------------------------------------------------------------------------------------


class AnswerProblem(ValueError):
    """A typed answer does not fit the question."""

    def __init__(self, reason: str, **details: Any) -> None:
        super().__init__(reason)
        # "empty", "not_a_number", "not_a_decimal", "not_a_date", "too_small", "not_above", "too_large",
        # "not_below", "too_short", "too_long"
        self.reason = reason
        self.details = details


def read_typed_answer(question: Question, text: str) -> Any:
    """Turn typed text into the stored answer for an ``integer``, ``decimal``, ``date`` or ``text`` question.

    A date is typed as Indonesians write it (``23-11-2026``, ``23/11/2026``) or as ISO
    (``2026-11-23``) and stored as ISO text.
    """
    cleaned = (text or "").strip()
    if not cleaned:
        raise AnswerProblem("empty")
    if question.type == "date":
        day = read_date(cleaned)
        if day is None:
            raise AnswerProblem("not_a_date")
        return day.isoformat()
    if question.type in NUMBER_TYPES:
        value = read_number(cleaned, whole=question.type == "integer")
        if value is None:
            raise AnswerProblem("not_a_number" if question.type == "integer" else "not_a_decimal")
        low, high = question.minimum, question.maximum
        if low is not None and (value <= low if question.min_exclusive else value < low):
            raise AnswerProblem("not_above" if question.min_exclusive else "too_small", limit=low)
        if high is not None and (value >= high if question.max_exclusive else value > high):
            raise AnswerProblem("not_below" if question.max_exclusive else "too_large", limit=high)
        return value
    if len(cleaned) < question.min_length:
        raise AnswerProblem("too_short", limit=question.min_length)
    if len(cleaned) > question.max_length:
        raise AnswerProblem("too_long", limit=question.max_length)
    return cleaned


def read_number(text: str, *, whole: bool) -> Number | None:
    """A number as Indonesians and others type it: ``1.500`` and ``1,500`` are fifteen hundred when
    the groups have three digits, ``12,5`` and ``12.5`` are twelve and a half; None when it is none
    (or, for ``whole``, has a fraction)."""
    cleaned = text.strip().replace(" ", "")
    match = re.fullmatch(r"(-?)([\d.,]+)", cleaned)
    if not match or not re.search(r"\d", cleaned):
        return None
    sign, digits = match.groups()
    separators = [c for c in digits if c in ".,"]
    if not separators:
        number: Number = int(digits)
    elif re.fullmatch(r"\d{1,3}([.,]\d{3})+", digits) and len(set(separators)) == 1:
        number = int(re.sub(r"[.,]", "", digits))  # thousands groups: 1.500, 2,000,000
    else:
        point = max(digits.rfind("."), digits.rfind(","))
        whole_part, fraction = digits[:point], digits[point + 1 :]
        grouped = re.fullmatch(r"\d{1,3}([.,]\d{3})+", whole_part)
        if grouped and digits[point] in whole_part:  # 1.234.5: the point cannot also group thousands
            return None
        if not fraction.isdigit() or not (whole_part.isdigit() or whole_part == "" or grouped):
            return None
        whole_part = re.sub(r"[.,]", "", whole_part)
        value = float(f"{whole_part or 0}.{fraction}")
        number = int(value) if value.is_integer() and whole else value
        if whole and not value.is_integer():
            return None
    if whole and isinstance(number, float):
        return None
    return -number if sign else number


def read_date(text: str) -> date | None:
    """``23-11-2026``, ``23/11/2026``, ``23.11.2026`` or ``2026-11-23`` as a date (None when it is none)."""
    cleaned = text.strip()
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", cleaned)
    local = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", cleaned)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif local:
        day, month, year = (int(part) for part in local.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def score_of(question: Question, answer: Any) -> int | None:
    """The score of a ``select_one`` answer (None when unscored or unanswered)."""
    if not question.scored or not isinstance(answer, str):
        return None
    return question.scores.get(answer)
