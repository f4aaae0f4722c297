"""A survey round's results as numbers: answers per option, medians, the overall score, the trend.

Plain functions over a form definition (``bot.forms.Form``) and the responses
the caller passes in (the submitted ones of one round). A *base* is a scored
``select_one`` question, as in JICA's ANNEX-1 ("Base 1: Batasan geografis");
other questions (text, numbers, unscored choices) are kept out of the scores,
so any form can be summarised. ``results_views`` and ``chart`` turn these
numbers into a message and a picture; nothing here imports telegram or aiosqlite.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from bot.forms import Form, Question, score_of

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


def _base_result(question: Question, chosen: Mapping[str, int]) -> BaseResult:
    counts = {choice.name: 0 for choice in question.choices}
    histogram: dict[int, int] = {}
    for answer, times in chosen.items():
        score = score_of(question, answer)
        if score is None:  # unscored, or an option no longer there
            continue
        counts[answer] += times
        histogram[score] = histogram.get(score, 0) + times
    return BaseResult(question.name, tuple(counts.items()), median_of_counts(histogram), sum(histogram.values()))


def median_of_counts(histogram: Mapping[int, int]) -> float | None:
    """The median of scores given as ``score -> how many``, as ``statistics.median`` of the list would be."""
    total = sum(histogram.values())
    if not total:
        return None
    middle: list[int] = []
    seen = 0
    for score in sorted(histogram):
        before, seen = seen, seen + histogram[score]
        # the 0-based positions (total - 1) // 2 and total // 2 of the sorted list
        middle += [score] * sum(1 for position in {(total - 1) // 2, total // 2} if before <= position < seen)
    return float(sum(middle) / len(middle)) if len(middle) > 1 else float(middle[0])


def _ties(bases: list[BaseResult], pick) -> tuple[str, ...]:
    scored = [base for base in bases if base.median is not None]
    if not scored:
        return ()
    best = pick(base.median for base in scored)
    return tuple(base.name for base in scored if base.median == best)


def summarise(form: Form, responses: list[Response]) -> RoundResults:
    """Results of one round from the responses given (the caller passes the submitted ones)."""
    return summarise_counts(form, len(responses), answer_counts(form, responses))


AnswerCounts = Mapping[str, Mapping[str, int]]  # question -> chosen option -> how many chose it


def answer_counts(form: Form, responses: Iterable[Response]) -> dict[str, dict[str, int]]:
    """How many responses chose each option of each base (what SQL's GROUP BY gives for many rounds)."""
    counts: dict[str, dict[str, int]] = {question.name: {} for question in bases_of(form)}
    for response in responses:
        for name, chosen in counts.items():
            answer = response.answers.get(name)
            if isinstance(answer, str):
                chosen[answer] = chosen.get(answer, 0) + 1
    return counts


def choice_counts(form: Form, responses: Iterable[Response]) -> dict[str, dict[str, int]]:
    """How many responses chose each option of each unscored choice question (a ticked option of a
    several-choice question counts once per response)."""
    questions = [q for q in form.questions if q.choices and not q.scored]
    counts: dict[str, dict[str, int]] = {question.name: {} for question in questions}
    for response in responses:
        for name, chosen in counts.items():
            answer = response.answers.get(name)
            for option in [answer] if isinstance(answer, str) else answer if isinstance(answer, list) else []:
                chosen[option] = chosen.get(option, 0) + 1
    return counts


def summarise_counts(form: Form, respondents: int, counts: AnswerCounts) -> RoundResults:
    """Results of one round from its answer counts: ``respondents`` sent it, ``counts[question][option]``
    chose that option. A round's figures depend on nothing else, so a committee's hundreds of rounds
    are summarised from one grouped query instead of from every response."""
    bases = [_base_result(question, counts.get(question.name, {})) for question in bases_of(form)]
    medians = [base.median for base in bases if base.median is not None]
    overall = rounded(sum(medians) / len(medians)) if medians else None
    return RoundResults(
        respondents=respondents,
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
