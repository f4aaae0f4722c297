"""Rules of small groups and the member directory: buttons, pages, names (plain functions).

Small-group buttons carry ``gr1:<action>:<numbers>`` (``gr1:put:4:1017:0``:
put member 1017 into group 4, then show page 0 again); directory buttons
carry ``dr1:<action>[:<page>]:<filter>`` (``dr1:p:2:g4``: page 3 of small
group 4's members). Anything else is a stale or forged button: the parsers
return ``None`` and the handler answers with a short toast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.buttons import button_number, parse_callback
from bot.paging import clamp_page, page_count, page_items  # noqa: F401 (the group screens page with these)
from conversations.membership.rules import STAKEHOLDER_TYPES, Problem

GROUP_PREFIX = "gr1"
DIRECTORY_PREFIX = "dr1"
DIRECTORY_PAGE_SIZE = 10
PICK_PAGE_SIZE = 8  # members or groups offered as buttons on one screen
GROUP_LIMITS = {"group_name": 40, "area": 60}


class GroupAction(StrEnum):
    """What a small-group button does."""

    LIST = "list"  # facilitator: the groups of the cluster (page)
    NEW = "new"  # facilitator: start "New group"
    NO_AREA = "noarea"  # facilitator: create the group without an area
    OPEN = "open"  # facilitator: one group (group)
    ADD = "add"  # facilitator: members not in the group (group, page)
    PUT = "put"  # facilitator: put a member into the group (group, user, page)
    MOVE = "move"  # facilitator: confirm moving a member from another group (group, user, page)
    LEADERS = "lead"  # facilitator: the group's members to appoint as leader (group, page)
    SET_LEADER = "setl"  # facilitator: appoint this member (group, user)
    MINE = "mine"  # member: my small group
    PICK = "pick"  # member: the groups to choose from (page)
    JOIN = "join"  # member: join this group (group)


# The numbers each action carries, in order.
_SHAPES: dict[GroupAction, tuple[str, ...]] = {
    GroupAction.LIST: ("page",),
    GroupAction.NEW: (),
    GroupAction.NO_AREA: (),
    GroupAction.OPEN: ("group_id",),
    GroupAction.ADD: ("group_id", "page"),
    GroupAction.PUT: ("group_id", "user_id", "page"),
    GroupAction.MOVE: ("group_id", "user_id", "page"),
    GroupAction.LEADERS: ("group_id", "page"),
    GroupAction.SET_LEADER: ("group_id", "user_id"),
    GroupAction.MINE: (),
    GroupAction.PICK: ("page",),
    GroupAction.JOIN: ("group_id",),
}


@dataclass(frozen=True)
class GroupButton:
    """A parsed small-group button."""

    action: GroupAction
    group_id: int | None = None
    user_id: int | None = None
    page: int = 0


def group_button_parts(button: GroupButton) -> list[object]:
    """The parts after the prefix for ``button`` (the inverse of ``parse_group_button``)."""
    return [button.action.value, *(getattr(button, name) for name in _SHAPES[button.action])]


def parse_group_button(data: str | None) -> GroupButton | None:
    """Read a ``gr1:`` button, or ``None`` when it is stale or forged."""
    parts = parse_callback(data, GROUP_PREFIX)
    if not parts:
        return None
    try:
        action = GroupAction(parts[0])
    except ValueError:
        return None
    shape = _SHAPES[action]
    if len(parts) - 1 != len(shape):
        return None
    values: dict[str, int] = {}
    for name, part in zip(shape, parts[1:], strict=True):
        number = button_number(part)
        if number is None or (number == 0 and name != "page"):
            return None
        values[name] = number
    return GroupButton(
        action, group_id=values.get("group_id"), user_id=values.get("user_id"), page=values.get("page", 0)
    )


# -- small groups -------------------------------------------------------------------


def clean_group_answer(text: str | None, field: str) -> tuple[str | None, Problem | None]:
    """Trim a typed group name or area and check it against its limit."""
    if text is None:
        return None, Problem.NOT_TEXT
    cleaned = re.sub(r"\s+", " ", text).strip()
    if not cleaned:
        return None, Problem.EMPTY
    if len(cleaned) > GROUP_LIMITS[field]:
        return None, Problem.TOO_LONG
    return cleaned, None


def name_taken(name: str, existing: list[str]) -> bool:
    """Whether the cluster already has a group of this name (case and spacing do not matter)."""
    wanted = name.casefold()
    return any(re.sub(r"\s+", " ", other).strip().casefold() == wanted for other in existing)


@dataclass(frozen=True)
class Move:
    """What putting a member into a group changes."""

    needs_confirmation: bool  # they are in another group now: moving is explicit
    leaves_group_id: int | None  # the group they leave, if any
    loses_leader: bool  # the group they leave no longer has a leader


def plan_move(current_group_id: int | None, leads_current: bool, target_group_id: int, confirmed: bool) -> Move:
    """Decide what putting a member into ``target_group_id`` does (a member is in at most one group)."""
    if current_group_id is None or current_group_id == target_group_id:
        return Move(needs_confirmation=False, leaves_group_id=None, loses_leader=False)
    return Move(
        needs_confirmation=not confirmed,
        leaves_group_id=current_group_id,
        loses_leader=leads_current,
    )


def unassigned_count(active_members: int, group_sizes: list[int]) -> int:
    """How many active members are in no small group (each is in at most one)."""
    return max(0, active_members - sum(group_sizes))


# -- the directory ------------------------------------------------------------------


class DirectoryAction(StrEnum):
    """What a directory button does."""

    PAGE = "p"  # a page of the list (page, filter)
    BY_GROUP = "fg"  # choose a small group to filter by (filter to return to)
    BY_TYPE = "ft"  # choose a stakeholder type to filter by (filter to return to)
    CSV = "csv"  # download every active member as CSV
    EXCEL = "xlsx"  # download every active member as Excel


@dataclass(frozen=True)
class DirectoryFilter:
    """Which members the list shows: all, one small group, or one stakeholder type."""

    small_group_id: int | None = None
    stakeholder_type: str | None = None

    @property
    def token(self) -> str:
        """The filter in a button: ``a`` (all), ``g<id>`` or ``s<type>``."""
        if self.small_group_id is not None:
            return f"g{self.small_group_id}"
        if self.stakeholder_type is not None:
            return f"s{self.stakeholder_type}"
        return "a"

    @property
    def is_all(self) -> bool:
        """Whether the list shows every member."""
        return self.small_group_id is None and self.stakeholder_type is None


ALL_MEMBERS = DirectoryFilter()


def parse_filter(token: str) -> DirectoryFilter | None:
    """Read a filter token (``a``, ``g<id>``, ``s<type>``), or ``None`` when it is forged."""
    if token == "a":
        return ALL_MEMBERS
    if token.startswith("g"):
        group_id = button_number(token[1:])
        return DirectoryFilter(small_group_id=group_id) if group_id else None
    if token.startswith("s") and token[1:] in STAKEHOLDER_TYPES:
        return DirectoryFilter(stakeholder_type=token[1:])
    return None


@dataclass(frozen=True)
class DirectoryButton:
    """A parsed directory button."""

    action: DirectoryAction
    page: int = 0
    filter: DirectoryFilter = ALL_MEMBERS


def directory_button_parts(button: DirectoryButton) -> list[object]:
    """The parts after the prefix for ``button`` (the inverse of ``parse_directory_button``)."""
    if button.action is DirectoryAction.PAGE:
        return [button.action.value, button.page, button.filter.token]
    if button.action in (DirectoryAction.BY_GROUP, DirectoryAction.BY_TYPE):
        return [button.action.value, button.filter.token]
    return [button.action.value]


def parse_directory_button(data: str | None) -> DirectoryButton | None:
    """Read a ``dr1:`` button, or ``None`` when it is stale or forged."""
    parts = parse_callback(data, DIRECTORY_PREFIX)
    if not parts:
        return None
    try:
        action = DirectoryAction(parts[0])
    except ValueError:
        return None
    if action is DirectoryAction.PAGE and len(parts) == 3:
        page, chosen = button_number(parts[1]), parse_filter(parts[2])
        if page is None or chosen is None:
            return None
        return DirectoryButton(action, page, chosen)
    if action in (DirectoryAction.BY_GROUP, DirectoryAction.BY_TYPE) and len(parts) == 2:
        chosen = parse_filter(parts[1])
        return DirectoryButton(action, 0, chosen) if chosen else None
    if action in (DirectoryAction.CSV, DirectoryAction.EXCEL) and len(parts) == 1:
        return DirectoryButton(action)
    return None
