"""Broadcast rules as plain functions: who receives it, and what the sender's report counts.

Telegram's length limits are measured and texts split in ``bot.fitting``, for every flow."""

from __future__ import annotations

from dataclasses import dataclass

PREFIX = "bc1"
ROLES = ("facilitator", "secretary", "group_leader")


@dataclass(frozen=True)
class Member:
    """What audience selection needs to know about a member."""

    user_id: int
    group_id: int | None
    roles: frozenset[str]
    stakeholder_type: str | None
    muted: bool


@dataclass(frozen=True)
class Audience:
    """Who a broadcast is for. ``people`` is an explicit set (a meeting's invitees, non-responders...)."""

    everyone: bool = False
    group_ids: tuple[int, ...] = ()
    roles: tuple[str, ...] = ()
    stakeholder_types: tuple[str, ...] = ()
    people: tuple[int, ...] = ()
    label: str = ""  # how the sender chose it, for the preview (e.g. "no RSVP: Rapat rutin")

    def to_json(self) -> dict:
        """As stored."""
        return {
            "everyone": self.everyone,
            "groups": list(self.group_ids),
            "roles": list(self.roles),
            "types": list(self.stakeholder_types),
            "people": list(self.people),
            "label": self.label,
        }

    @classmethod
    def from_json(cls, data: dict) -> Audience:
        """From what was stored."""
        return cls(
            bool(data.get("everyone")),
            tuple(data.get("groups", ())),
            tuple(data.get("roles", ())),
            tuple(data.get("types", ())),
            tuple(data.get("people", ())),
            data.get("label", ""),
        )

    @property
    def empty(self) -> bool:
        """Nothing chosen yet."""
        return not (self.everyone or self.group_ids or self.roles or self.stakeholder_types or self.people)


def recipients(audience: Audience, members: list[Member], sender_id: int, urgent: bool) -> tuple[list[int], list[int]]:
    """``(recipients, muted)``: members the audience covers, minus the sender; muted members
    receive only urgent broadcasts."""
    chosen, muted = [], []
    for member in members:
        if member.user_id == sender_id:
            continue
        covered = (
            audience.everyone
            or (member.group_id is not None and member.group_id in audience.group_ids)
            or bool(member.roles & set(audience.roles))
            or (member.stakeholder_type is not None and member.stakeholder_type in audience.stakeholder_types)
            or member.user_id in audience.people
        )
        if not covered:
            continue
        if member.muted and not urgent:
            muted.append(member.user_id)
        else:
            chosen.append(member.user_id)
    return chosen, muted


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


def ready_to_send(draft: dict, cluster_id: int | None) -> bool:
    """A draft can go out once it has an audience and a message, in the cluster the sender stands in now."""
    return "content" in draft and "audience" in draft and draft.get("cluster_id") == cluster_id


def report_counts(counts: dict[str, int]) -> dict[str, int]:
    """The figures a sender sees: sent, blocked, not started, failed, may not have arrived (unknown), waiting."""
    return {
        "sent": counts.get("sent", 0),
        "blocked": counts.get("blocked", 0),
        "not_started": counts.get("not_started", 0),
        "failed": counts.get("failed", 0),
        "unknown": counts.get("unknown", 0),
        "waiting": counts.get("pending", 0) + counts.get("sending", 0),
        "total": sum(counts.values()) - counts.get("cancelled", 0),
    }
