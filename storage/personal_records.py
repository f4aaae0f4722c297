"""Everything Rembug holds about one person, as plain data (no telegram, no aiosqlite).

``storage.personal_data.personal_data`` fills it from every table; the my-data flow
(``conversations/my_data``) shows its counts, prints it and writes it as JSON. Each
record is a dict of plain values (text, numbers, ISO-8601 UTC times), so the JSON copy
is the structure itself.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

Record = dict[str, Any]

# The kinds of records, in the order the copy shows them.
KINDS = (
    "memberships",
    "small_groups",
    "committees",
    "meetings",
    "survey_answers",
    "cards",
    "comments",
    "plan_activities",
    "plan_checkins",
    "tasks",
    "dues",
    "letters",
    "broadcasts",
    "organisation",
    "consents",
)


@dataclass(frozen=True)
class PersonalData:
    """One person's data across all clusters: their account and their records by kind."""

    user_id: int
    account: Record
    memberships: list[Record] = field(default_factory=list)  # profile per cluster, with dates and roles
    small_groups: list[Record] = field(default_factory=list)  # small groups they are in or lead
    committees: list[Record] = field(default_factory=list)
    meetings: list[Record] = field(default_factory=list)  # invited (with their RSVP) and attended
    survey_answers: list[Record] = field(default_factory=list)  # one per question answered
    cards: list[Record] = field(default_factory=list)  # their brainstorming cards, anonymous ones too
    comments: list[Record] = field(default_factory=list)  # their answers to a vision and mission draft
    plan_activities: list[Record] = field(default_factory=list)  # activities they are the owner of
    plan_checkins: list[Record] = field(default_factory=list)  # progress reports they sent
    tasks: list[Record] = field(default_factory=list)  # tasks handed to them at meetings, with their answer
    dues: list[Record] = field(default_factory=list)  # the dues periods recorded as paid
    letters: list[Record] = field(default_factory=list)  # letters they wrote to the facilitators
    broadcasts: list[Record] = field(default_factory=list)  # broadcasts they sent
    organisation: list[Record] = field(default_factory=list)  # positions, candidacies, rules read, votes cast
    consents: list[Record] = field(default_factory=list)  # what they agreed to, with dates

    def records(self, kind: str) -> list[Record]:
        """The records of one kind (one of ``KINDS``)."""
        records: list[Record] = getattr(self, kind)
        return records

    def as_dict(self) -> dict[str, Any]:
        """The whole structure as plain dicts and lists (for JSON)."""
        return asdict(self)
