"""Who saw what: the words of the record (what was downloaded, which role changed) and its buttons.

Plain data and functions (no telegram, no aiosqlite). Every flow that sends a file with people in
it, or changes someone's role, records it with ``storage.access_log.record`` and one of these.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.buttons import button_number, callback_data, parse_callback
from bot.paging import MAX_PAGE
from bot.roles import Role

PREFIX = "al1"
PAGE_SIZE = 8  # entries a screen: each is two short lines


class Access(StrEnum):
    """What an entry of the record says happened."""

    # Downloads: files with people in them, sent to the person recorded.
    DIRECTORY = "directory"  # the member list (detail: CSV or Excel)
    SURVEY_ANSWERS = "survey_answers"  # every answer of a questionnaire round (detail: its title)
    ATTENDANCE = "attendance"  # a meeting's attendance sheet (detail: its topic)
    FIRMS = "firms"  # the firm list (detail: CSV or Excel)
    SUPPORTERS = "supporters"  # the supporters' list, a cluster's or a committee's (detail: CSV or Excel)
    PLAN_REPORT = "plan_report"  # an action plan's report, progress and evidence (detail: its title)
    BRAINSTORM_RESULTS = "brainstorm_results"  # a session's cards and votes (detail: its title)
    UNREACHED = "unreached"  # whom a broadcast, invitation or questionnaire did not reach, with phones
    COMMITTEE_REPORT = "committee_report"  # a quarterly or year report (detail: the period)
    PROGRAM_MATRIX = "program_matrix"  # the committee's program matrix
    # Role changes (subject: the person whose role changed).
    CLUSTER_CREATED = "cluster_created"  # the creator became its first facilitator
    FACILITATOR_ADDED = "facilitator_added"
    FACILITATOR_REMOVED = "facilitator_removed"  # stepped down on a handover
    SECRETARY_APPOINTED = "secretary_appointed"
    GROUP_LEADER_APPOINTED = "group_leader_appointed"  # detail: the small group
    BOARD_ELECTED = "board_elected"  # by the members' votes (no actor); detail: the position
    COMMITTEE_CHAIR_APPOINTED = "committee_chair_appointed"
    COMMITTEE_SECRETARY_APPOINTED = "committee_secretary_appointed"
    LEFT_WITH_ROLES = "left_with_roles"  # a facilitator, secretary or group leader left: their roles ended


ROLE_CHANGES = frozenset(
    {
        Access.CLUSTER_CREATED,
        Access.FACILITATOR_ADDED,
        Access.FACILITATOR_REMOVED,
        Access.SECRETARY_APPOINTED,
        Access.GROUP_LEADER_APPOINTED,
        Access.BOARD_ELECTED,
        Access.COMMITTEE_CHAIR_APPOINTED,
        Access.COMMITTEE_SECRETARY_APPOINTED,
        Access.LEFT_WITH_ROLES,
    }
)
# Roles that end when their holder leaves the cluster (a plain member leaving is no role change).
ENDED_BY_LEAVING = frozenset({Role.FACILITATOR, Role.SECRETARY, Role.GROUP_LEADER})
# The committee's own appointments, as its storage names the roles.
COMMITTEE_APPOINTMENTS = {"chair": Access.COMMITTEE_CHAIR_APPOINTED, "secretary": Access.COMMITTEE_SECRETARY_APPOINTED}


def access_of(value: str) -> Access | None:
    """The kind of a stored entry, or None for one this version does not know (shown plainly)."""
    try:
        return Access(value)
    except ValueError:
        return None


def is_role_change(value: str) -> bool:
    """Whether a stored entry is a role change (otherwise a download)."""
    return access_of(value) in ROLE_CHANGES


@dataclass(frozen=True)
class LogTap:
    """A page of the record: the current cluster's (``committee_id`` None) or a committee's."""

    committee_id: int | None
    page: int


def log_button(committee_id: int | None = None, page: int = 0) -> str:
    """The callback data of a page of the record: ``al1:k:<page>`` or ``al1:c:<committee>:<page>``."""
    if committee_id is None:
        return callback_data(PREFIX, "k", page)
    return callback_data(PREFIX, "c", committee_id, page)


def parse_log_button(data: str | None) -> LogTap | None:
    """The page a record button shows, or None when it is stale or forged."""
    parts = parse_callback(data, PREFIX)
    if not parts:
        return None
    numbers = [button_number(part) for part in parts[1:]]
    if None in numbers or any(n is not None and n > MAX_PAGE for n in numbers[-1:]):
        return None
    if parts[0] == "k" and len(numbers) == 1 and numbers[0] is not None:
        return LogTap(None, numbers[0])
    if parts[0] == "c" and len(numbers) == 2 and numbers[0] is not None and numbers[1] is not None:
        return LogTap(numbers[0], numbers[1])
    return None


def file_kind(filename: str) -> str:
    """How a download's format is named to its readers: "Excel", "CSV", "PDF", "ZIP"."""
    extension = filename.rsplit(".", 1)[-1].lower()
    return {"xlsx": "Excel"}.get(extension, extension.upper())


def leaving_ends_roles(roles: frozenset[Role]) -> bool:
    """Whether someone holding ``roles`` in a cluster gives up a role by leaving it (worth recording)."""
    return bool(roles & ENDED_BY_LEAVING)
