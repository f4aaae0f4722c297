"""Who may do what: the role model and the one permission check.

Plain functions and data (no ``telegram``, no ``aiosqlite``) so they are
tested directly. Every privileged handler asks ``allowed(standing, action)``
(through ``bot.permissions.require``) and refuses with one localized line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    """A role a person can hold; all but ADMIN are held in one cluster."""

    ADMIN = "admin"
    FACILITATOR = "facilitator"
    SECRETARY = "secretary"
    GROUP_LEADER = "group_leader"
    MEMBER = "member"


class Action(StrEnum):
    """A privileged action, checked in one place."""

    CREATE_CLUSTER = "create_cluster"


# Who may take each action. ADMIN is global; the others are roles in the current cluster.
RULES: dict[Action, frozenset[Role]] = {
    Action.CREATE_CLUSTER: frozenset({Role.ADMIN}),
}


@dataclass(frozen=True)
class Standing:
    """A person's roles: global (admin) and in their current cluster."""

    user_id: int
    is_admin: bool = False
    cluster_id: int | None = None
    cluster_name: str | None = None
    cluster_roles: frozenset[Role] = field(default_factory=frozenset)
    led_group_ids: tuple[int, ...] = ()

    @property
    def roles(self) -> frozenset[Role]:
        """Every role the person holds where they stand now."""
        return self.cluster_roles | ({Role.ADMIN} if self.is_admin else set())


def allowed(standing: Standing, action: Action) -> bool:
    """Whether ``standing`` may take ``action``."""
    return bool(standing.roles & RULES[action])


def standing_in_cluster(
    user_id: int,
    is_admin: bool,
    cluster_id: int | None = None,
    cluster_name: str | None = None,
    *,
    is_facilitator: bool = False,
    is_secretary: bool = False,
    led_group_ids: tuple[int, ...] = (),
) -> Standing:
    """Build a standing from what the membership records say."""
    roles: set[Role] = set()
    if cluster_id is not None:
        roles.add(Role.MEMBER)
        if is_facilitator:
            roles.add(Role.FACILITATOR)
        if is_secretary:
            roles.add(Role.SECRETARY)
        if led_group_ids:
            roles.add(Role.GROUP_LEADER)
    return Standing(user_id, is_admin, cluster_id, cluster_name, frozenset(roles), led_group_ids)
