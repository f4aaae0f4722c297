"""Conditions on questions, XLSForm's ``relevant``, in a small safe subset.

``${q} = 'v'``, ``${q} != 'v'``, numbers compared with ``=``, ``!=``, ``<``,
``<=``, ``>``, ``>=`` (``${workers} >= 5``), ``selected(${q}, 'v')`` and
``not(selected(${q}, 'v'))``, joined by ``and`` / ``or`` (``and`` binds first).
``${q} != ''`` holds once ``q`` is answered. Parsed once when a form loads;
evaluated against the answers given so far.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(
    r"\s*(?:(\$\{[A-Za-z_][A-Za-z0-9_.-]*\})|('[^']*'|\"[^\"]*\")|(!=|<=|>=|=|<|>)|(and|or)\b"
    r"|(selected|not)\s*\(|(\))|(,)|(-?\d+(?:\.\d+)?))"
)
COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")


@dataclass(frozen=True)
class Condition:
    """``${q} = 'v'``, ``${q} != 'v'``, ``selected(${q}, 'v')``, joined by ``and`` / ``or`` (``and`` first)."""

    text: str
    clauses: tuple[tuple[tuple[str, str, str], ...], ...]  # OR of ANDs of (op, question, value)

    def holds(self, answers: dict[str, Any]) -> bool:
        """Evaluate against the answers given so far (an unanswered question matches nothing)."""
        return any(all(_clause(op, answers.get(q), v) for op, q, v in conj) for conj in self.clauses)

    @property
    def names(self) -> set[str]:
        """The questions the condition reads."""
        return {q for conj in self.clauses for _op, q, _v in conj}


def _clause(op: str, answer: Any, value: str) -> bool:
    if op == "selected":
        return isinstance(answer, list) and value in answer
    if op == "not_selected":
        return isinstance(answer, list) and value not in answer
    if value == "" and op in ("=", "!="):  # ${q} = '' : not answered (yet, or skipped)
        empty = answer is None or answer == "" or answer == []
        return empty if op == "=" else not empty
    if answer is None:
        return False
    number = _number(value)
    if isinstance(answer, (int, float)) and not isinstance(answer, bool) and number is not None:
        return {
            "=": answer == number,
            "!=": answer != number,
            "<": answer < number,
            "<=": answer <= number,
            ">": answer > number,
            ">=": answer >= number,
        }[op]
    if op not in ("=", "!="):
        return False  # a comparison of something that is not a number
    same = str(answer) == value
    return same if op == "=" else not same


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def parse_condition(text: str) -> Condition:
    """Parse a ``relevant`` expression; ValueError on anything else."""
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ValueError(f"cannot read the condition at {text[position:]!r}")
        tokens.append(next((g, i) for i, g in enumerate(match.groups()) if g is not None))
        position = match.end()
    clauses, current, index = [], [], 0

    def literal(token) -> str:
        value, kind = token
        if kind == 1:
            return value[1:-1]
        if kind == 7:
            return value
        raise ValueError(f"expected a quoted value, got {value!r}")

    while index < len(tokens):
        value, kind = tokens[index]
        if kind == 0 and index + 2 < len(tokens) and tokens[index + 1][1] == 2:
            current.append((tokens[index + 1][0], value[2:-1], literal(tokens[index + 2])))
            index += 3
        elif (
            kind == 4
            and value == "not"
            and index + 6 < len(tokens)
            and tokens[index + 1] == ("selected", 4)
            and tokens[index + 2][1] == 0
            and tokens[index + 3][1] == 6
            and tokens[index + 5][1] == 5
            and tokens[index + 6][1] == 5
        ):
            current.append(("not_selected", tokens[index + 2][0][2:-1], literal(tokens[index + 4])))
            index += 7
        elif (
            kind == 4
            and value == "selected"
            and index + 4 < len(tokens)
            and tokens[index + 1][1] == 0
            and tokens[index + 2][1] == 6
            and tokens[index + 4][1] == 5
        ):
            current.append(("selected", tokens[index + 1][0][2:-1], literal(tokens[index + 3])))
            index += 5
        else:
            raise ValueError(f"cannot read the condition near {value!r}")
        if index < len(tokens):
            joiner, kind = tokens[index]
            if kind != 3:
                raise ValueError(f"expected 'and' or 'or', got {joiner!r}")
            if joiner == "or":
                clauses.append(tuple(current))
                current = []
            index += 1
            if index == len(tokens):
                raise ValueError("the condition ends with 'and' or 'or'")
    clauses.append(tuple(current))
    return Condition(text, tuple(clauses))
