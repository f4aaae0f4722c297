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
    # Positions on the board of the cluster's own organisation (elected or appointed).
    CHAIR = "chair"
    TREASURER = "treasurer"
    # Held in a committee (CEDC / FEDEP / FPESD), not in a cluster: see standing_in_committee.
    COMMITTEE_CHAIR = "committee_chair"
    COMMITTEE_SECRETARY = "committee_secretary"
    COMMITTEE_MEMBER = "committee_member"


class Action(StrEnum):
    """A privileged action, checked in one place."""

    CREATE_CLUSTER = "create_cluster"
    SHOW_INVITE = "show_invite"
    ROTATE_INVITE = "rotate_invite"
    APPOINT_ROLES = "appoint_roles"  # more facilitators, the secretary, handing over
    MANAGE_GROUPS = "manage_groups"  # create small groups, assign members, appoint leaders
    VIEW_DIRECTORY = "view_directory"
    EXPORT_DIRECTORY = "export_directory"
    PICK_OWN_GROUP = "pick_own_group"
    EDIT_OWN_PROFILE = "edit_own_profile"
    LEAVE_CLUSTER = "leave_cluster"
    SCHEDULE_MEETING = "schedule_meeting"  # group leaders: for their own small group only
    MANAGE_MEETING = "manage_meeting"  # edit, cancel, tick attendance, guests, notes, exports
    VIEW_MEETINGS = "view_meetings"
    ANSWER_SURVEY = "answer_survey"
    RUN_SURVEY = "run_survey"  # open and close rounds, interview, results, downloads
    SEND_BROADCAST = "send_broadcast"  # group leaders: to their own small group only
    MUTE_BROADCASTS = "mute_broadcasts"
    RUN_BRAINSTORM = "run_brainstorm"  # open and lead card sessions; group leaders: for their own small group
    JOIN_BRAINSTORM = "join_brainstorm"  # see the sessions one takes part in, send cards, vote
    VIEW_ORGANISATION = "view_organisation"  # read the vision, rules and board; answer drafts, nominate, vote
    RUN_ORGANISATION = "run_organisation"  # draft the vision, publish the rules, run elections, announce
    MANAGE_FIRMS = "manage_firms"  # the firm list: add, import, download
    VIEW_SUPPORTERS = "view_supporters"  # browse the confirmed supporters by need, suggest one
    MANAGE_SUPPORTERS = "manage_supporters"  # add, edit, confirm and download supporters; record visits and calls
    SEND_NEWSLETTER = "send_newsletter"  # link the cluster's channel, write and send the newsletter
    MANAGE_COMMITTEES = "manage_committees"  # create committees, assign clusters, appoint the chair and secretary
    FOLLOW_COMMITTEE = "follow_committee"  # a committee's overview, digests, one cluster's detail, the comparison
    COMMITTEE_REPORTS = "committee_reports"  # quarterly and year-end reports, the program matrix
    VIEW_PLANS = "view_plans"  # see the cluster's published action plans, their board and versions; answer evaluations
    RUN_PLANS = "run_plans"  # build, publish, evaluate, change, close and download action plans
    REPORT_PROGRESS = "report_progress"  # an activity's owner: check-ins on their own activities
    VIEW_ACCESS_LOG = "view_access_log"  # who downloaded the cluster's personal data, who changed roles
    COMMITTEE_ACCESS_LOG = "committee_access_log"  # the same for the committee's clusters and its own reports
    VIEW_YEAR = "view_year"  # the annual plan's calendar; comment on its draft
    PLAN_YEAR = "plan_year"  # draft, adopt and download the annual plan
    VIEW_BOOKS = "view_books"  # the balance and the monthly summary of the cluster's money
    KEEP_BOOKS = "keep_books"  # record income and spending, reverse an entry, set the budget, download the books
    CONFIRM_ENTRIES = "confirm_entries"  # confirm or reject an entry over the cluster's threshold
    VIEW_OWN_DUES = "view_own_dues"  # one's own dues: paid up to when, what is owed
    MANAGE_DUES = "manage_dues"  # set the dues, tick who paid
    VIEW_ARREARS = "view_arrears"  # the list of who is behind with their dues
    ASSIGN_TASKS = "assign_tasks"  # hand out tasks at a meeting's notes, follow them
    DO_TASKS = "do_tasks"  # one's own tasks: done, need help


_FACILITATORS = frozenset({Role.FACILITATOR})
_MEMBERS = frozenset({Role.MEMBER})

# Who may take each action. ADMIN is global; the others are roles in the current cluster.
RULES: dict[Action, frozenset[Role]] = {
    Action.CREATE_CLUSTER: frozenset({Role.ADMIN}),
    Action.SHOW_INVITE: _FACILITATORS,
    Action.ROTATE_INVITE: _FACILITATORS,
    Action.APPOINT_ROLES: _FACILITATORS,
    Action.MANAGE_GROUPS: _FACILITATORS,
    Action.VIEW_DIRECTORY: _FACILITATORS,
    Action.EXPORT_DIRECTORY: _FACILITATORS,
    Action.PICK_OWN_GROUP: _MEMBERS,
    Action.EDIT_OWN_PROFILE: _MEMBERS,
    Action.LEAVE_CLUSTER: _MEMBERS,
    Action.SCHEDULE_MEETING: frozenset({Role.FACILITATOR, Role.GROUP_LEADER}),
    Action.MANAGE_MEETING: frozenset({Role.FACILITATOR, Role.GROUP_LEADER}),
    Action.VIEW_MEETINGS: _MEMBERS,
    Action.ANSWER_SURVEY: _MEMBERS,
    Action.RUN_SURVEY: _FACILITATORS,
    Action.SEND_BROADCAST: frozenset({Role.FACILITATOR, Role.SECRETARY, Role.GROUP_LEADER}),
    Action.MUTE_BROADCASTS: _MEMBERS,
    Action.RUN_BRAINSTORM: frozenset({Role.FACILITATOR, Role.GROUP_LEADER}),
    Action.JOIN_BRAINSTORM: _MEMBERS,
    Action.VIEW_ORGANISATION: _MEMBERS,
    Action.RUN_ORGANISATION: _FACILITATORS,
    Action.MANAGE_FIRMS: _FACILITATORS,
    Action.VIEW_SUPPORTERS: _MEMBERS,
    Action.MANAGE_SUPPORTERS: _FACILITATORS,
    Action.SEND_NEWSLETTER: frozenset({Role.FACILITATOR, Role.SECRETARY}),
    Action.MANAGE_COMMITTEES: frozenset({Role.ADMIN}),
    Action.FOLLOW_COMMITTEE: frozenset(
        {Role.ADMIN, Role.COMMITTEE_CHAIR, Role.COMMITTEE_SECRETARY, Role.COMMITTEE_MEMBER}
    ),
    Action.COMMITTEE_REPORTS: frozenset({Role.ADMIN, Role.COMMITTEE_CHAIR, Role.COMMITTEE_SECRETARY}),
    Action.VIEW_PLANS: _MEMBERS,
    Action.RUN_PLANS: _FACILITATORS,
    Action.REPORT_PROGRESS: _MEMBERS,
    Action.VIEW_ACCESS_LOG: frozenset({Role.FACILITATOR, Role.SECRETARY}),
    Action.COMMITTEE_ACCESS_LOG: frozenset({Role.ADMIN, Role.COMMITTEE_CHAIR, Role.COMMITTEE_SECRETARY}),
    Action.VIEW_YEAR: _MEMBERS,
    Action.PLAN_YEAR: _FACILITATORS,
    Action.VIEW_BOOKS: _MEMBERS,
    Action.KEEP_BOOKS: frozenset({Role.FACILITATOR, Role.TREASURER}),
    Action.CONFIRM_ENTRIES: frozenset({Role.CHAIR}),
    Action.VIEW_OWN_DUES: _MEMBERS,
    Action.MANAGE_DUES: frozenset({Role.FACILITATOR, Role.TREASURER}),
    Action.VIEW_ARREARS: frozenset({Role.TREASURER, Role.CHAIR}),
    Action.ASSIGN_TASKS: frozenset({Role.FACILITATOR, Role.SECRETARY}),
    Action.DO_TASKS: _MEMBERS,
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

    @property
    def current_cluster_id(self) -> int:
        """The cluster the person works in, for a handler that ``require`` let through for a cluster role."""
        if self.cluster_id is None:
            raise NotInCluster(self.user_id)
        return self.cluster_id

    @property
    def current_cluster_name(self) -> str:
        """The name of the cluster the person works in (see ``current_cluster_id``)."""
        if self.cluster_name is None:
            raise NotInCluster(self.user_id)
        return self.cluster_name


class NotInCluster(RuntimeError):
    """A cluster's screen was reached by someone in no cluster: only a cluster role lets one through."""


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
    board_positions: tuple[str, ...] = (),
) -> Standing:
    """Build a standing from what the membership records say (``board_positions``: held on the cluster's board)."""
    roles: set[Role] = set()
    if cluster_id is not None:
        roles.add(Role.MEMBER)
        if is_facilitator:
            roles.add(Role.FACILITATOR)
        if is_secretary:
            roles.add(Role.SECRETARY)
        if led_group_ids:
            roles.add(Role.GROUP_LEADER)
        if "chair" in board_positions:
            roles.add(Role.CHAIR)
        if "treasurer" in board_positions:
            roles.add(Role.TREASURER)
    return Standing(user_id, is_admin, cluster_id, cluster_name, frozenset(roles), led_group_ids)


def standing_in_committee(
    user_id: int, is_admin: bool, committee_role: str | None, *, facilitates_cluster: bool = False
) -> Standing:
    """A standing for one committee: its role there ("chair", "secretary", "member" or None).
    ``facilitates_cluster``: the person facilitates the cluster at hand, which lets them follow
    it in their own digest (they may follow no other cluster of the committee)."""
    roles: set[Role] = set()
    if committee_role is not None:
        roles.add(Role.COMMITTEE_MEMBER)
        roles |= {"chair": {Role.COMMITTEE_CHAIR}, "secretary": {Role.COMMITTEE_SECRETARY}}.get(committee_role, set())
    if facilitates_cluster:
        roles.add(Role.COMMITTEE_MEMBER)
    return Standing(user_id, is_admin, cluster_roles=frozenset(roles))
