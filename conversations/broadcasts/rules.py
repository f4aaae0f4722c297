"""Broadcast rules as plain functions: its buttons read into typed values, the audience steps,
and when a draft may go out. Who receives it is the audience engine's (``bot.audience``); the
sender's figures are ``bot.delivery_report``'s.

Telegram's length limits are measured and texts split in ``bot.fitting``, for every flow."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from bot.audience import Allowed, Audience, Pick, PickAction, apply_pick, parse_pick
from bot.buttons import button_number, parse_callback

PREFIX = "bc1"


class Later(StrEnum):
    """When a broadcast sent later goes: in an hour, or tomorrow at 08.00 in the cluster's zone."""

    HOUR = "1h"
    MORNING = "8am"


@dataclass(frozen=True)
class LaterTap:
    """``bc1:later:<1h|8am>``."""

    when: Later


@dataclass(frozen=True)
class RsvpButtonTap:
    """``bc1:btn`` (which meeting?) or ``bc1:btn:<meeting>`` (0: no buttons)."""

    meeting_id: int | None


@dataclass(frozen=True)
class StopTap:
    """✖️ Cancel a scheduled broadcast: ``bc1:stop:<broadcast>``."""

    broadcast_id: int


@dataclass(frozen=True)
class AgainTap:
    """🔁 Send again to those Telegram did not confirm: ``bc1:again:<broadcast>``."""

    broadcast_id: int


Tap = Pick | LaterTap | RsvpButtonTap | StopTap | AgainTap


def parse_button(data: str | None, stakeholder_types: tuple[str, ...] = ()) -> Tap | None:
    """Any of the flow's buttons with a value as a typed value; None when stale or forged."""
    parts = parse_callback(data, PREFIX) or []
    if parts[:1] == ["a"]:
        return parse_pick(data, PREFIX, stakeholder_types)
    if len(parts) == 2 and parts[0] == "later" and parts[1] in {w.value for w in Later}:
        return LaterTap(Later(parts[1]))
    if parts == ["btn"]:
        return RsvpButtonTap(None)
    number = button_number(parts[1]) if len(parts) == 2 else None
    if number is None:
        return None
    if parts[0] == "btn":
        return RsvpButtonTap(number)
    if parts[0] == "stop":
        return StopTap(number)
    if parts[0] == "again":
        return AgainTap(number)
    return None


class Step(StrEnum):
    """What the audience screen does after a tap."""

    AUDIENCE = "audience"  # show the (changed) first screen
    ROLES = "roles"  # show the roles and stakeholder types
    MEETINGS = "meetings"  # list the meetings whose people to choose
    PEOPLE = "people"  # look up the people the tap names (a meeting's, non-responders, late reports)
    DONE = "done"  # count the recipients and go on to the message
    STALE = "stale"  # not allowed here, or not a picker button


@dataclass(frozen=True)
class AudienceStep:
    """The next step and the audience after it."""

    step: Step
    chosen: Audience


_PEOPLE = (PickAction.MEETING_PEOPLE, PickAction.NOT_ANSWERED, PickAction.REPORT_LATE)


def audience_step(chosen: Audience, pick: Pick | None, allowed: Allowed, whole_cluster_label: str) -> AudienceStep:
    """Decide what a tap on the audience picker does: a toggle changes the audience (choosing the
    whole cluster names it), the sub-screens and the lists of people need the whole cluster."""
    if pick is None:
        return AudienceStep(Step.STALE, chosen)
    if pick.action is PickAction.DONE:
        return AudienceStep(Step.DONE, chosen)
    if pick.action is PickAction.BACK:
        return AudienceStep(Step.AUDIENCE, chosen)
    if pick.action is PickAction.MORE:
        return AudienceStep(Step.ROLES if allowed.whole_cluster else Step.STALE, chosen)
    if pick.action is PickAction.MEETINGS:
        return AudienceStep(Step.MEETINGS if allowed.whole_cluster else Step.STALE, chosen)
    if pick.action in _PEOPLE:
        return AudienceStep(Step.PEOPLE if allowed.whole_cluster else Step.STALE, chosen)
    changed = apply_pick(chosen, pick, allowed)
    if changed is None:
        return AudienceStep(Step.STALE, chosen)
    if pick.action is PickAction.EVERYONE:
        changed = replace(changed, label=whole_cluster_label)
    on_roles = pick.action in (PickAction.ROLE, PickAction.TYPE)
    return AudienceStep(Step.ROLES if on_roles else Step.AUDIENCE, changed)


def may_go_on(chosen: Audience, recipients: int) -> bool:
    """Done with the audience: somebody chosen, and somebody it reaches."""
    return not chosen.empty and recipients > 0


def ready_to_send(draft: dict[str, Any], cluster_id: int | None) -> bool:
    """A draft can go out once it has an audience and a message, in the cluster the sender stands in now."""
    return "content" in draft and "audience" in draft and draft.get("cluster_id") == cluster_id
