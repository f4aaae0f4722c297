"""Rules of /mydata: its buttons, the summary's counts, and the copy with its answers labelled.

Plain functions: no telegram, no aiosqlite.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.buttons import callback_data, parse_callback
from bot.forms import Form
from storage.personal_records import PersonalData, Record

PREFIX = "md1"
ERASE = "mydata:erase"  # the confirm screen of the erasure (bot.flows.open_confirmation)


class MyDataAction(StrEnum):
    """The buttons of /mydata."""

    PDF = "pdf"  # "📄 Unduh PDF"
    JSON = "json"  # "🧾 Unduh JSON"
    ERASE = "erase"  # "🗑 Hapus data saya": the confirm screen
    ERASE_CONFIRMED = "erase_yes"  # "Ya, hapus" on the confirm screen
    SHOW = "show"  # back to the summary


@dataclass(frozen=True)
class MyDataTap:
    """A tapped /mydata button."""

    action: MyDataAction


def button_data(action: MyDataAction) -> str:
    """The callback data of a /mydata button, e.g. ``md1:pdf``."""
    return callback_data(PREFIX, action.value)


def parse_button(data: str | None) -> MyDataTap | None:
    """The /mydata button in ``data``, or None when it is stale or forged."""
    parts = parse_callback(data, PREFIX)
    if not parts or len(parts) != 1 or parts[0] not in {a.value for a in MyDataAction}:
        return None
    return MyDataTap(MyDataAction(parts[0]))


@dataclass(frozen=True)
class Summary:
    """How many records of each kind are held about a person."""

    clusters: int
    small_groups: int
    committees: int
    meetings_invited: int
    meetings_attended: int
    survey_answers: int
    cards: int
    comments: int
    plan_activities: int
    plan_checkins: int
    tasks: int
    dues: int
    letters: int
    broadcasts: int
    consents: int
    has_phone: bool

    @property
    def empty(self) -> bool:
        """Whether nothing but the account itself is held."""
        return not any(v for k, v in vars(self).items() if k != "has_phone") and not self.has_phone


def summary(data: PersonalData) -> Summary:
    """The counts /mydata shows on one screen."""
    return Summary(
        clusters=len({m["cluster"] for m in data.memberships}),
        small_groups=len(data.small_groups),
        committees=len(data.committees),
        meetings_invited=sum(1 for m in data.meetings if m["invited"]),
        meetings_attended=sum(1 for m in data.meetings if m["checked_in_at"] is not None),
        survey_answers=len(data.survey_answers),
        cards=len(data.cards),
        comments=sum(1 for c in data.comments if c["comment"]),
        plan_activities=len(data.plan_activities),
        plan_checkins=len(data.plan_checkins),
        tasks=len(data.tasks),
        dues=len(data.dues),
        letters=len(data.letters),
        broadcasts=len(data.broadcasts),
        consents=len(data.consents),
        has_phone=any(m["phone"] for m in data.memberships),
    )


def _decoded(value: Any) -> Any:
    """A stored JSON value as its value (text that is not JSON stays text)."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _answer_text(form: Form | None, question: str, value: Any, lang: str) -> str:
    """An answer in words: a choice's label in ``lang``, a number or text as it is."""
    if form is None or question not in {q.name for q in form.questions}:
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    asked = form.question(question)
    names = value if isinstance(value, list) else [value]
    if asked.choices:
        labels = [c.label(lang) if (c := asked.choice(str(n))) else str(n) for n in names]
        return "; ".join(labels)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def labelled_answers(answers: Iterable[Record], forms: dict[tuple[str, int], Form], lang: str) -> list[Record]:
    """The person's survey answers with each question's label and the answer in words, in ``lang``."""
    labelled = []
    for record in answers:
        form = forms.get((record["form_id"], record["form_version"]))
        value = _decoded(record["value"])
        names = {q.name for q in form.questions} if form else set()
        label = form.question(record["question"]).label(lang) if form and record["question"] in names else None
        labelled.append(
            {
                **record,
                "value": value,
                "question_label": label or record["question"],
                "answer": _answer_text(form, record["question"], value, lang),
            }
        )
    return labelled


def copy_of(data: PersonalData, forms: dict[tuple[str, int], Form], lang: str) -> dict[str, Any]:
    """The complete copy as plain data: the structure, its survey answers labelled in ``lang``."""
    copy = data.as_dict()
    copy["survey_answers"] = labelled_answers(data.survey_answers, forms, lang)
    copy["broadcasts"] = [{**b, "content": _decoded(b["content"])} for b in data.broadcasts]
    return copy


def copy_json(copy: dict[str, Any]) -> bytes:
    """The copy as indented UTF-8 JSON (times stay ISO-8601 text)."""
    return json.dumps(copy, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")


def text_questions(forms: Iterable[Form]) -> list[tuple[str, int, str]]:
    """(form id, version, question) of every free-text question: their answers are erased, the rest stay."""
    return [(f.id, f.version, q.name) for f in forms for q in f.questions if q.type == "text"]
