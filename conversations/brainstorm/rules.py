"""Brainstorming rules as plain functions: the phase machine, cards, dot voting, ranking, the shortlist, pages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.paging import pages_of  # noqa: F401 (pages_of: the board pages its cards with it, from here)

PREFIX = "bs1"
PHASES = ("collecting", "revealed", "grouping", "voting", "results", "closed")
TEMPLATES = ("free", "swot")
SWOT_COLUMNS = ("S", "W", "O", "T")
AUDIENCES = ("meeting", "group", "cluster")
DEFAULT_DOTS = 3
DOT_CHOICES = (1, 2, 3, 4, 5)
QUESTION_LIMIT = 200
CARD_TEXT_LIMIT = 500
VOICE_LIMIT_SECONDS = 120
THEME_TITLE_LIMIT = 60
SUMMARY_LIMIT = 120
SHORTLIST_MIN, SHORTLIST_MAX = 3, 5
PAGE_CHARS = 3300  # a board page stays well under Telegram's 4096 with its heading
PAGE_CARDS = 12
LIST_PAGE = 10  # themes on one page of the longlist and of the grouping


# -- the phase machine ------------------------------------------------------------------------------


def next_phase(phase: str) -> str | None:
    """The phase after ``phase`` (None after closed)."""
    index = PHASES.index(phase)
    return PHASES[index + 1] if index + 1 < len(PHASES) else None


def can_move(current: str, target: str) -> bool:
    """The facilitator moves one step forward at a time, never back."""
    return target in PHASES and next_phase(current) == target


def reached(phase: str, milestone: str) -> bool:
    """Whether ``phase`` is ``milestone`` or later."""
    return PHASES.index(phase) >= PHASES.index(milestone)


def accepts_cards(phase: str) -> bool:
    """Cards are sent, edited and withdrawn only while collecting."""
    return phase == "collecting"


def cards_visible(phase: str) -> bool:
    """Everyone sees every card from the reveal on."""
    return reached(phase, "revealed")


def may_group(phase: str) -> bool:
    """Themes are made, filled, merged and renamed while grouping."""
    return phase == "grouping"


def may_vote(phase: str) -> bool:
    """Dots are placed and taken back while voting."""
    return phase == "voting"


def totals_visible(phase: str) -> bool:
    """Dot totals stay hidden until voting closes."""
    return reached(phase, "results")


def move_refusal(current: str, target: str | None) -> str | None:
    """Why the facilitator's move from ``current`` to ``target`` is refused: ``"moved"`` (it is there or
    past it already, from another phone), ``"stale"`` (a skip, or closing without sending the shortlist),
    or None to move."""
    if target is not None and target in PHASES and reached(current, target):
        return "moved"
    if target is None or not can_move(current, target) or target == "closed":
        return "stale"
    return None


CONFIRMED_MOVES = ("revealed", "results")  # closing the collection (and revealing), closing the voting


def needs_confirmation(target: str | None) -> bool:
    """Whether moving to ``target`` affects everyone and is asked once first."""
    return target in CONFIRMED_MOVES


def turnout(participant_ids: Iterable[int], done_ids: Iterable[int | None]) -> tuple[int, int]:
    """How many of the participants have done it (sent a card, given a dot), and how many take part."""
    people = set(participant_ids)
    return len(people & {d for d in done_ids if d is not None}), len(people)


def shortlist_refusal(phase: str, any_marked: bool, moved: bool) -> str | None:
    """Why "send the shortlist" did nothing: ``"empty"`` (no theme marked), ``"moved"`` (sent already),
    ``"not_now"`` (before the results), or None when it was sent."""
    if not any_marked and phase == "results":
        return "empty"
    if not moved:
        return "moved" if phase == "closed" else "not_now"
    return None


def may_summarise(phase: str, withdrawn: bool) -> bool:
    """A voice or photo card gets its summary after the reveal and before the voting."""
    return not withdrawn and cards_visible(phase) and not reached(phase, "voting")


def takes_line(kind: str, phase: str) -> bool:
    """Whether a typed line of ``kind`` (a theme's title, a new title, a card's summary) is taken in ``phase``."""
    return may_summarise(phase, withdrawn=False) if kind == "summary" else may_group(phase)


# -- who may do what --------------------------------------------------------------------------------


def leads(
    session_cluster_id: int, session_facilitator_id: int, cluster_id: int | None, is_facilitator: bool, user_id: int
) -> bool:
    """A facilitator of the session's cluster, or the group leader who opened the session, leads it."""
    return session_cluster_id == cluster_id and (is_facilitator or session_facilitator_id == user_id)


def owns_card(author_id: int | None, entered_by: int, user_id: int) -> bool:
    """A card is its author's; a paper card (no author) is theirs who typed it in."""
    return author_id == user_id or (author_id is None and entered_by == user_id)


def types_paper(draft_paper: bool, draft_session: int | None, session_id: int, leader: bool) -> bool:
    """Whether the next cards are paper cards typed in by the session's leader (for that session only)."""
    return draft_paper and draft_session == session_id and leader


# -- cards ------------------------------------------------------------------------------------------


class CardProblem(StrEnum):
    """Why a card was not accepted."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    VOICE_TOO_LONG = "voice_too_long"
    UNSUPPORTED = "unsupported"
    CLOSED = "closed"
    NOT_PARTICIPANT = "not_participant"


def clean_text(text: str | None) -> str:
    """Text as stored: outer spaces trimmed, inner blank runs kept as typed."""
    return (text or "").strip()


def check_card(kind: str, text: str | None, duration: int | None = None) -> CardProblem | None:
    """A text card needs 1-500 characters; a voice note at most 2 minutes; a photo's caption at most 500."""
    cleaned = clean_text(text)
    if kind == "text":
        if not cleaned:
            return CardProblem.EMPTY
        return CardProblem.TOO_LONG if len(cleaned) > CARD_TEXT_LIMIT else None
    if kind == "voice":
        return CardProblem.VOICE_TOO_LONG if (duration or 0) > VOICE_LIMIT_SECONDS else None
    if kind == "photo":
        return CardProblem.TOO_LONG if len(cleaned) > CARD_TEXT_LIMIT else None
    return CardProblem.UNSUPPORTED


def check_line(text: str | None, limit: int) -> tuple[str | None, CardProblem | None]:
    """A one-line answer (a theme title, a summary, the question): not empty, at most ``limit``."""
    cleaned = " ".join((text or "").split())
    if not cleaned:
        return None, CardProblem.EMPTY
    if len(cleaned) > limit:
        return None, CardProblem.TOO_LONG
    return cleaned, None


def dominant_column(columns: Iterable[str | None]) -> str | None:
    """The SWOT column most of a theme's cards are in (the first of equals in S, W, O, T order)."""
    counts = Counter(c for c in columns if c)
    if not counts:
        return None
    best = max(counts.values())
    return next(c for c in SWOT_COLUMNS if counts.get(c) == best)


def title_from_card(text: str | None, number: int) -> str:
    """A loose card's own theme title: its first words, else ``#number``."""
    words = " ".join((text or "").split())
    if not words:
        return f"#{number}"
    return words if len(words) <= THEME_TITLE_LIMIT else words[: THEME_TITLE_LIMIT - 1].rstrip() + "…"


# -- dot voting -------------------------------------------------------------------------------------


class VoteProblem(StrEnum):
    """Why a dot was not placed or not taken back."""

    STALE = "stale"  # the button was drawn before another tap changed the dots
    NO_DOTS_LEFT = "no_dots_left"
    NONE_HERE = "none_here"
    THEME_GONE = "theme_gone"
    CLOSED = "closed"
    NOT_PARTICIPANT = "not_participant"


def remaining(budget: int, spent: int) -> int:
    """Dots a voter still has."""
    return max(budget - spent, 0)


def check_place(budget: int, spent: int, seen_spent: int, theme_live: bool) -> VoteProblem | None:
    """Placing a dot: the button must match what is stored (compare-and-set), within the budget, on a live theme."""
    if not theme_live:
        return VoteProblem.THEME_GONE
    if spent >= budget:
        return VoteProblem.NO_DOTS_LEFT
    if spent != seen_spent:
        return VoteProblem.STALE
    return None


def ballot_problem(joined: bool, phase: str) -> VoteProblem | None:
    """Why a ballot is not shown: only participants vote, only while voting."""
    if not joined:
        return VoteProblem.NOT_PARTICIPANT
    return None if may_vote(phase) else VoteProblem.CLOSED


def room_dots_after(seen: int, adding: bool) -> int:
    """The room's dots on a theme after a ➕ or ➖ drawn when it had ``seen`` (below none: storage refuses it)."""
    return seen + 1 if adding else seen - 1


def check_take_back(spent: int, seen_spent: int, on_theme: int) -> VoteProblem | None:
    """Taking a dot back from a theme the voter put one on."""
    if on_theme <= 0:
        return VoteProblem.NONE_HERE
    if spent != seen_spent:
        return VoteProblem.STALE
    return None


def free_slot(taken: Iterable[int], budget: int) -> int | None:
    """The lowest dot slot (1..budget) not yet used, or None when every dot is placed."""
    used = set(taken)
    return next((slot for slot in range(1, budget + 1) if slot not in used), None)


@dataclass(frozen=True)
class Ranked:
    """A theme on the longlist."""

    theme_id: int
    dots: int
    rank: int  # competition ranking: 1, 2, 2, 4
    tied: bool


def rank_themes(totals: dict[int, int], order: Sequence[int]) -> list[Ranked]:
    """Themes by dots, most first; equal dots share a rank (and are marked tied), then keep ``order``."""
    position = {theme_id: index for index, theme_id in enumerate(order)}
    ids = sorted(order, key=lambda t: (-totals.get(t, 0), position[t]))
    counts = Counter(totals.get(t, 0) for t in ids)
    ranked: list[Ranked] = []
    rank = 0
    for index, theme_id in enumerate(ids):
        dots = totals.get(theme_id, 0)
        if index == 0 or dots != ranked[-1].dots:
            rank = index + 1
        ranked.append(Ranked(theme_id, dots, rank, counts[dots] > 1))
    return ranked


def tally(phone_dots: dict[int, int], room_dots: dict[int, int]) -> dict[int, int]:
    """Dots per theme: those placed on phones plus those entered from the room."""
    return {t: phone_dots.get(t, 0) + room_dots.get(t, 0) for t in set(phone_dots) | set(room_dots)}


def default_shortlist(ranked: Sequence[Ranked]) -> list[int]:
    """The top three themes with dots, plus any tied with the third, up to five."""
    with_dots = [r for r in ranked if r.dots > 0]
    if len(with_dots) <= SHORTLIST_MIN:
        return [r.theme_id for r in with_dots]
    cut = with_dots[SHORTLIST_MIN - 1].dots
    chosen = list(with_dots[:SHORTLIST_MIN])
    chosen += [r for r in with_dots[SHORTLIST_MIN:] if r.dots == cut]
    return [r.theme_id for r in chosen[:SHORTLIST_MAX]]


# -- pages ------------------------------------------------------------------------------------------


def clamp_page(page: int, pages: int) -> int:
    """A page number within 0..pages-1."""
    return min(max(page, 0), max(pages, 1) - 1)
