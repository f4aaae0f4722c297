"""Audiences: who receives what, as plain values and functions (no telegram, no database).

Every flow that writes to many people chooses them the same way: an ``Audience``
(the whole cluster, some small groups, people holding some roles (facilitators,
secretaries, group leaders, the organisation's board), some stakeholder types, the members of committees that follow the
cluster, or chosen people), built with one picker (``bot.audience_views``,
whose taps ``parse_pick`` reads into a ``Pick``), then resolved against the
cluster's ``Person`` list (``bot.recipients.people_of``) by ``select``.

An audience is resolved when something is sent, but some things stay open
(a meeting's invitation until its start): ``Newcomers`` lets a flow hear of
each person who joins a cluster or enters a small group, in the very
transaction that stores it, so the flow can reach them too (the engine only
passes the transaction on; it reads and writes nothing itself).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from bot.buttons import button_number, parse_callback

if TYPE_CHECKING:
    import aiosqlite

ROLES = ("facilitator", "secretary", "group_leader")  # the roles the picker offers
BOARD = "board"  # the organisation's board (pengurus): a role flows choose, not the picker
MEETING_PEOPLE = ("inv", "rsvp", "absent")  # a meeting's invitees, those who did not answer, those who did not come
PICK = "a"  # the picker's part of a flow's callback data: ``<prefix>:a:...``


@dataclass(frozen=True)
class Person:
    """What choosing an audience needs to know about someone: a member (small group, roles,
    stakeholder type, whether they muted broadcasts), or a committee member who is not one
    (``member`` False) and is reached only through their committee."""

    user_id: int
    group_id: int | None = None
    roles: frozenset[str] = frozenset()
    stakeholder_type: str | None = None
    muted: bool = False
    committee_ids: frozenset[int] = frozenset()
    member: bool = True


@dataclass(frozen=True)
class Audience:
    """Who a message is for; ``people`` is an explicit list (a meeting's invitees, non-responders…)
    and ``label`` says how the sender chose it, for the preview."""

    everyone: bool = False
    group_ids: tuple[int, ...] = ()
    roles: tuple[str, ...] = ()
    stakeholder_types: tuple[str, ...] = ()
    committee_ids: tuple[int, ...] = ()
    people: tuple[int, ...] = ()
    label: str = ""

    def to_json(self) -> dict[str, Any]:
        """As stored (the keys broadcasts and meetings stored before they shared this value)."""
        return {
            "everyone": self.everyone,
            "groups": list(self.group_ids),
            "roles": list(self.roles),
            "types": list(self.stakeholder_types),
            "committees": list(self.committee_ids),
            "people": list(self.people),
            "label": self.label,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Audience:
        """From what was stored (missing keys are empty)."""
        data = data or {}
        return cls(
            everyone=bool(data.get("everyone")),
            group_ids=tuple(int(g) for g in data.get("groups", ())),
            roles=tuple(str(r) for r in data.get("roles", ())),
            stakeholder_types=tuple(str(t) for t in data.get("types", ())),
            committee_ids=tuple(int(c) for c in data.get("committees", ())),
            people=tuple(int(p) for p in data.get("people", ())),
            label=str(data.get("label", "")),
        )

    @property
    def empty(self) -> bool:
        """Nobody chosen yet."""
        return not (
            self.everyone or self.group_ids or self.roles or self.stakeholder_types or self.committee_ids or self.people
        )


def covers(audience: Audience, person: Person) -> bool:
    """Whether the audience reaches this person."""
    return (
        (audience.everyone and person.member)
        or (person.group_id is not None and person.group_id in audience.group_ids)
        or bool(person.roles & set(audience.roles))
        or (person.stakeholder_type is not None and person.stakeholder_type in audience.stakeholder_types)
        or bool(person.committee_ids & set(audience.committee_ids))
        or person.user_id in audience.people
    )


@dataclass(frozen=True)
class Selection:
    """Whom an audience reaches: ``chosen`` receive it, ``muted`` were left out because they muted
    broadcasts (only when mutes count)."""

    chosen: list[int] = field(default_factory=list)
    muted: list[int] = field(default_factory=list)


def select(
    audience: Audience, people: list[Person], *, leave_out: int | None = None, mutes_count: bool = False
) -> Selection:
    """The people the audience covers, in the order given, each once, without ``leave_out`` (the
    sender); with ``mutes_count`` those who muted broadcasts go to ``muted`` instead."""
    chosen: list[int] = []
    muted: list[int] = []
    seen: set[int] = set()
    for person in people:
        if person.user_id == leave_out or not covers(audience, person):
            continue
        if person.user_id in seen:
            continue
        seen.add(person.user_id)
        (muted if mutes_count and person.muted else chosen).append(person.user_id)
    return Selection(chosen, muted)


def reaches(audience: Audience, people: list[Person], user_id: int) -> bool:
    """Whether the audience, resolved against ``people`` now, includes ``user_id`` (as ``select`` would)."""
    return user_id in select(audience, people).chosen


class Arrival(Protocol):
    """A flow's listener: ``(tx, cluster_id, user_id, now)``, inside the transaction that stored the
    membership or the small group; what it writes commits (or is lost) with it."""

    async def __call__(self, tx: aiosqlite.Connection, cluster_id: int, user_id: int, now: datetime) -> None: ...


class Newcomers:
    """Someone joined a cluster or entered one of its small groups: tell the flows that listen
    (``services.state(Newcomers)``; a flow calls ``listen`` in its ``register``)."""

    def __init__(self) -> None:
        self._listeners: list[Arrival] = []

    def listen(self, listener: Arrival) -> None:
        """Call ``listener`` for every newcomer from now on."""
        self._listeners.append(listener)

    async def arrived(self, tx: aiosqlite.Connection, cluster_id: int, user_id: int, now: datetime) -> None:
        """``user_id`` is now a member of ``cluster_id`` or of one of its small groups (call it in the
        transaction that stored that; calling it again for the same person must change nothing)."""
        for listener in self._listeners:
            await listener(tx, cluster_id, user_id, now)


def meeting_people(kind: str, invitees: list[tuple[int, str | None]], present: set[int]) -> tuple[int, ...]:
    """People of a meeting as an audience: ``kind`` "inv" (everyone invited), "rsvp" (invited, no
    answer yet) or "absent" (invited, did not say no, and not checked in); ``invitees`` as (user, rsvp)."""
    if kind == "inv":
        return tuple(uid for uid, _answer in invitees)
    if kind == "rsvp":
        return tuple(uid for uid, answer in invitees if answer is None)
    if kind == "absent":
        return tuple(uid for uid, answer in invitees if answer != "no" and uid not in present)
    raise ValueError(kind)


def toggle(values: tuple[Any, ...], value: Any) -> tuple[Any, ...]:
    """Add ``value`` if absent, remove it if present (multi-select buttons)."""
    return tuple(v for v in values if v != value) if value in values else (*values, value)


class PickAction(StrEnum):
    """What a tap on the audience picker asks for (the part after ``<prefix>:a:``)."""

    EVERYONE = "all"
    GROUP = "g"
    ROLE = "r"
    TYPE = "t"
    COMMITTEE = "c"
    MORE = "more"  # the screen of roles and stakeholder types
    BACK = "back"
    MEETINGS = "mtg"  # the screen of a meeting's people
    MEETING_PEOPLE = "mp"  # only through parse_pick: inv / rsvp / absent of a meeting
    NOT_ANSWERED = "survey"  # members who have not answered the open questionnaire
    REPORT_LATE = "late"  # owners of activities whose progress report is overdue
    DONE = "done"


@dataclass(frozen=True)
class Pick:
    """One tap on the picker: the action, and the group, committee or meeting id, or the role,
    stakeholder type or meeting-people kind it carries."""

    action: PickAction
    number: int | None = None
    word: str | None = None


_BARE = {PickAction.EVERYONE, PickAction.MORE, PickAction.BACK, PickAction.MEETINGS}
_BARE |= {PickAction.NOT_ANSWERED, PickAction.REPORT_LATE, PickAction.DONE}


def parse_pick(data: str | None, prefix: str, stakeholder_types: tuple[str, ...] = ()) -> Pick | None:
    """The picker tap ``<prefix>:a:...`` as a typed value; None when stale or forged."""
    parts = parse_callback(data, prefix) or []
    if len(parts) < 2 or parts[0] != PICK:
        return None
    head, rest = parts[1], parts[2:]
    if not rest:
        bare = next((a for a in _BARE if a.value == head), None)
        return Pick(bare) if bare else None
    if len(rest) != 1:
        return None
    (value,) = rest
    number = button_number(value)
    if head in (PickAction.GROUP, PickAction.COMMITTEE) and number is not None:
        return Pick(PickAction(head), number=number)
    if head == PickAction.ROLE and value in ROLES:
        return Pick(PickAction.ROLE, word=value)
    if head == PickAction.TYPE and value in stakeholder_types:
        return Pick(PickAction.TYPE, word=value)
    if head in MEETING_PEOPLE and number is not None:
        return Pick(PickAction.MEETING_PEOPLE, number=number, word=head)
    return None


@dataclass(frozen=True)
class Allowed:
    """What the person choosing may choose: the whole cluster (and roles, types, committees,
    people of meetings), or only some small groups (a group leader's own)."""

    whole_cluster: bool
    group_ids: frozenset[int] = frozenset()
    committee_ids: frozenset[int] = frozenset()

    def may_pick_group(self, group_id: int) -> bool:
        """A group leader picks their own small groups; a facilitator any."""
        return self.whole_cluster or group_id in self.group_ids


def apply_pick(chosen: Audience, pick: Pick, allowed: Allowed) -> Audience | None:
    """The audience after a toggle; None when the tap is not allowed or not a toggle."""
    if pick.action is PickAction.EVERYONE and allowed.whole_cluster:
        return replace(chosen, everyone=not chosen.everyone)
    if pick.action is PickAction.GROUP and pick.number is not None and allowed.may_pick_group(pick.number):
        return replace(chosen, group_ids=toggle(chosen.group_ids, pick.number))
    if pick.action is PickAction.ROLE and pick.word and allowed.whole_cluster:
        return replace(chosen, roles=toggle(chosen.roles, pick.word))
    if pick.action is PickAction.TYPE and pick.word and allowed.whole_cluster:
        return replace(chosen, stakeholder_types=toggle(chosen.stakeholder_types, pick.word))
    if (
        pick.action is PickAction.COMMITTEE
        and pick.number is not None
        and allowed.whole_cluster
        and pick.number in allowed.committee_ids
    ):
        return replace(chosen, committee_ids=toggle(chosen.committee_ids, pick.number))
    return None


def with_people(chosen: Audience, people: tuple[int, ...], label: str) -> Audience:
    """The audience with an explicit list of people (choosing again replaces them)."""
    return replace(chosen, people=people, label=label)
