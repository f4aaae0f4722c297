"""A survey round's results as numbers: answers per option, medians, the overall score, the trend.

Plain functions over a form definition (``bot.forms.Form``) and the responses
the caller passes in (the submitted ones of one round). A *base* is a scored
``select_one`` question, as in JICA's ANNEX-1 ("Base 1: Batasan geografis");
other questions (text, numbers, unscored choices) are kept out of the scores,
so any form can be summarised. ``results_views`` and ``chart`` turn these
numbers into a message and a picture; nothing here imports telegram or aiosqlite.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from bot.forms import Form, Question, median_score, score_of

if TYPE_CHECKING:  # storage stays below the flows: only the type is needed here
    from storage.forms import Response


@dataclass(frozen=True)
class BaseResult:
    """One base of a round: how many chose each option, and the median score."""

    name: str
    counts: tuple[tuple[str, int], ...]  # (choice name, how many chose it), in the form's order
    median: float | None
    answered: int

    def count(self, choice: str) -> int:
        """How many respondents chose ``choice``."""
        return dict(self.counts).get(choice, 0)


@dataclass(frozen=True)
class RoundResults:
    """Everything a round's results message and chart show."""

    respondents: int
    bases: tuple[BaseResult, ...]
    overall: float | None
    strongest: tuple[str, ...]
    weakest: tuple[str, ...]

    def base(self, name: str) -> BaseResult | None:
        """The result of the base called ``name``."""
        return next((base for base in self.bases if base.name == name), None)

    @property
    def has_answers(self) -> bool:
        """Whether at least one base has a median to show."""
        return self.overall is not None


@dataclass(frozen=True)
class Change:
    """How a round moved from the previous one: median deltas per base, and the overall delta."""

    bases: dict[str, float] = field(default_factory=dict)  # only bases with a median in both rounds
    overall: float | None = None


def rounded(number: float) -> float:
    """Two decimals, halves rounded up as people do by hand (3.125 → 3.13, not Python's 3.12)."""
    return float(Decimal(repr(number)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def bases_of(form: Form) -> list[Question]:
    """The form's bases: its scored ``select_one`` questions, in order."""
    return [question for question in form.questions if question.scored]


def top_score(form: Form) -> int:
    """The highest score an answer can carry (the form's ``score_range``, else its highest option)."""
    if form.score_range:
        return form.score_range[1]
    return max((choice.score or 0 for question in bases_of(form) for choice in question.choices), default=0)


def _base_result(question: Question, responses: Iterable[Response]) -> BaseResult:
    counts = {choice.name: 0 for choice in question.choices}
    scores: list[int] = []
    for response in responses:
        answer = response.answers.get(question.name)
        score = score_of(question, answer)
        if score is None or not isinstance(answer, str):  # unanswered, skipped, or an option no longer there
            continue
        counts[answer] += 1
        scores.append(score)
    return BaseResult(question.name, tuple(counts.items()), median_score(scores), len(scores))


def _ties(bases: list[BaseResult], pick) -> tuple[str, ...]:
    scored = [base for base in bases if base.median is not None]
    if not scored:
        return ()
    best = pick(base.median for base in scored)
    return tuple(base.name for base in scored if base.median == best)


def summarise(form: Form, responses: list[Response]) -> RoundResults:
    """Results of one round from the responses given (the caller passes the submitted ones)."""
    bases = [_base_result(question, responses) for question in bases_of(form)]
    medians = [base.median for base in bases if base.median is not None]
    overall = rounded(sum(medians) / len(medians)) if medians else None
    return RoundResults(
        respondents=len(responses),
        bases=tuple(bases),
        overall=overall,
        strongest=_ties(bases, max),
        weakest=_ties(bases, min),
    )


def compare(current: RoundResults, previous: RoundResults) -> Change:
    """The change of each base's median (and of the overall score) since the previous round."""
    earlier = {base.name: base.median for base in previous.bases if base.median is not None}
    deltas = {
        base.name: rounded(base.median - earlier[base.name])
        for base in current.bases
        if base.median is not None and base.name in earlier
    }
    overall = None
    if current.overall is not None and previous.overall is not None:
        overall = rounded(current.overall - previous.overall)
    return Change(deltas, overall)
