"""Conditions on questions, XLSForm's ``relevant``, in a small safe subset.

``${q} = 'v'``, ``${q} != 'v'`` and ``selected(${q}, 'v')``, joined by
``and`` / ``or`` (``and`` binds first). Parsed once when a form loads;
evaluated against the answers given so far.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(r"\s*(?:(\$\{[a-z][a-z0-9_]*\})|('[^']*')|(!=|=)|(and|or)\b|(selected)\s*\(|(\))|(,)|(\d+))")


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
    if answer is None:
        return False
    same = str(answer) == value
    return same if op == "=" else not same


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
