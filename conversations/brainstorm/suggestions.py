"""Groups of similar cards to propose to the facilitator (the KJ method's first pass), as plain functions.

Indonesian words are reduced to their stems with PySastrawi (``pemasaran`` and
``dipasarkan`` both become ``pasar``), common words are dropped with its stop
word list, and two cards are alike when they share stems; rapidfuzz forgives
small spelling differences between stems (``mori`` and ``morri``). Everything
runs locally on the cards' own words: no model, nothing fetched.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

LINK_SCORE = 0.5  # two cards this alike (or more) belong together
TYPO_RATIO = 85  # stems at least this similar (0-100) count as the same word
MIN_WORD = 3
_WORD = re.compile(r"[a-zA-Z]+")
_EXTRA_STOP_WORDS = {"yg", "dg", "dgn", "utk", "tdk", "gak", "nggak", "kita", "kami", "klaster", "sentra"}


@dataclass(frozen=True)
class CardWords:
    """What the suggester reads of a card."""

    card_id: int
    text: str
    column: str | None = None  # SWOT column: only cards of one column are grouped together


@dataclass(frozen=True)
class Suggestion:
    """A proposed theme: its cards and a title made of their most shared words."""

    card_ids: tuple[int, ...]
    title: str
    column: str | None


@cache
def _stemmer():
    return StemmerFactory().create_stemmer()


@cache
def _stop_words() -> frozenset[str]:
    return frozenset(StopWordRemoverFactory().get_stop_words()) | _EXTRA_STOP_WORDS


@cache
def stem(word: str) -> str:
    """The Indonesian stem of one lower-case word."""
    return _stemmer().stem(word) or word


def key_words(text: str) -> list[tuple[str, str]]:
    """``(stem, word as written)`` for each meaningful word of ``text``, in order, once per stem."""
    seen, found = set(), []
    for word in _WORD.findall(text.lower()):
        if len(word) < MIN_WORD or word in _stop_words():
            continue
        root = stem(word)
        if len(root) < MIN_WORD or root in _stop_words() or root in seen:
            continue
        seen.add(root)
        found.append((root, word))
    return found


def _shared(a: Sequence[str], b: Sequence[str]) -> int:
    """How many stems of ``a`` have an equal, or nearly equal, stem in ``b``."""
    return sum(1 for x in a if any(x == y or fuzz.ratio(x, y) >= TYPO_RATIO for y in b))


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """0..1: shared stems over the shorter card's stems (a short card inside a long one scores high)."""
    if not a or not b:
        return 0.0
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return _shared(shorter, longer) / len(shorter)


def suggest_groups(cards: Sequence[CardWords], link: float = LINK_SCORE) -> list[Suggestion]:
    """Groups of two or more alike cards (single linkage within a column), largest first."""
    words = {card.card_id: key_words(card.text) for card in cards}
    stems = {card_id: [root for root, _w in found] for card_id, found in words.items()}
    parent = {card.card_id: card.card_id for card in cards}

    def root_of(card_id: int) -> int:
        while parent[card_id] != card_id:
            parent[card_id] = parent[parent[card_id]]
            card_id = parent[card_id]
        return card_id

    for index, first in enumerate(cards):
        for second in cards[index + 1 :]:
            if first.column != second.column:
                continue
            if similarity(stems[first.card_id], stems[second.card_id]) >= link:
                parent[root_of(second.card_id)] = root_of(first.card_id)
    groups: dict[int, list[CardWords]] = {}
    for card in cards:
        groups.setdefault(root_of(card.card_id), []).append(card)
    found = [
        Suggestion(tuple(c.card_id for c in members), _title([words[c.card_id] for c in members]), members[0].column)
        for members in groups.values()
        if len(members) >= 2
    ]
    return sorted(found, key=lambda s: (-len(s.card_ids), s.card_ids[0]))


def _title(cards_words: list[list[tuple[str, str]]], most: int = 3) -> str:
    """The stems most cards share, each shown as the word people wrote most often for it."""
    frequency = Counter(root for found in cards_words for root, _w in found)
    first_seen: dict[str, int] = {}
    spelled: dict[str, Counter] = {}
    for found in cards_words:
        for root, word in found:
            first_seen.setdefault(root, len(first_seen))
            spelled.setdefault(root, Counter())[word] += 1
    shared = [r for r in frequency if frequency[r] >= 2] or list(frequency)
    best = sorted(shared, key=lambda r: (-frequency[r], first_seen[r]))[:most]
    best.sort(key=lambda r: first_seen[r])
    title = " ".join(spelled[r].most_common(1)[0][0] for r in best)
    return title[:1].upper() + title[1:] if title else "…"
