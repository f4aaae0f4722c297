"""Committee rules as plain functions: digest periods and times, the figures of a cluster,
what counts as news, which clusters need a visit, coordination meetings against four a year."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.paging import PageTap, parse_page_tap
from conversations.plans.rules import next_quarter, quarter_of, quarter_start  # noqa: F401 (quarter_of: the reports use it from here)

PREFIX = "cm1"
INVITE_PAYLOAD_PREFIX = "cm-"
LEVELS = ("province", "district")
COORDINATION_KIND = "committee"  # the meetings flow's kind for coordination meetings
MEETINGS_A_YEAR = 4
DIGEST_CLUSTERS = 8  # clusters shown in one digest (those needing attention first); the rest are counted
COMPARISON_PAGE = 15  # clusters on one page of the comparison
NAME_LIMIT = 120
WEEKDAYS = range(7)
HOURS = (6, 7, 8, 9, 12, 16, 19)


@dataclass(frozen=True)
class ClusterFigures:
    """One cluster's figures for a period."""

    cluster_id: int
    name: str
    members: int = 0
    new_members: int = 0
    held: int = 0
    invited: int = 0
    attended: int = 0
    upcoming: tuple[tuple[str, datetime], ...] = ()
    survey_scores: tuple[float, ...] = ()  # overall score of each round with answers, oldest first
    statuses: dict[str, int] = field(default_factory=dict)  # latest status of each plan activity
    overdue: int = 0  # progress reports overdue
    reports: int = 0  # progress reports sent in the period
    non_submitters: tuple[str, ...] = ()  # members who have not sent the open survey round
    survey_bases: tuple[tuple[str, float | None], ...] = ()  # the latest round's median per base (its profile)

    @property
    def attendance_rate(self) -> float | None:
        """Invitees present at the period's meetings, in percent; None without invitees."""
        return attendance_rate(self.invited, self.attended)

    @property
    def survey(self) -> tuple[float | None, float | None]:
        """The latest survey score and its change from the round before."""
        return survey_trend(self.survey_scores)

    @property
    def on_track(self) -> int:
        """Plan activities on track or done."""
        return self.statuses.get("on_track", 0) + self.statuses.get("done", 0)

    @property
    def activities(self) -> int:
        """Plan activities in published plans."""
        return sum(self.statuses.values())


def parse_comparison(parts: list[str] | None) -> PageTap | None:
    """``cmp:<committee>`` (the first page, with the chart) or ``cmp:<committee>:<page>``; None when stale or forged."""
    return parse_page_tap(parts, "cmp")


def attendance_rate(invited: int, attended: int) -> float | None:
    """Present invitees out of invitees, in percent (one decimal); None when nobody was invited."""
    return round(100 * attended / invited, 1) if invited else None


def survey_trend(scores: tuple[float, ...] | list[float]) -> tuple[float | None, float | None]:
    """``(latest, change from the previous round)``; None where there is no round or no earlier one."""
    if not scores:
        return None, None
    latest = scores[-1]
    return latest, (round(latest - scores[-2], 2) if len(scores) > 1 else None)


def is_news(figures: ClusterFigures) -> bool:
    """Whether the period brought something to report: members, meetings held or coming, progress reports."""
    return bool(figures.new_members or figures.held or figures.upcoming or figures.reports)


def attention(figures: ClusterFigures) -> int:
    """How much a cluster needs a look (higher first): overdue reports, low attendance, blocked or
    at-risk activities, members who have not answered the survey."""
    rate = figures.attendance_rate
    return (
        2 * figures.overdue
        + (3 if rate is not None and rate < 50 else 0)
        + 2 * (figures.statuses.get("blocked", 0) + figures.statuses.get("at_risk", 0))
        + min(len(figures.non_submitters), 5)
    )


def pick_for_digest(
    all_figures: list[ClusterFigures], limit: int = DIGEST_CLUSTERS
) -> tuple[list[ClusterFigures], int]:
    """The clusters a digest shows (most attention first, then by name) and how many more there are."""
    ordered = sorted(all_figures, key=lambda f: (-attention(f), f.name.lower()))
    return ordered[:limit], max(0, len(ordered) - limit)


def coordination_progress(held_this_year: int, today: date) -> tuple[int, int]:
    """``(held, expected by now)``: four a year, one per quarter, counting the quarters begun."""
    quarter = (today.month - 1) // 3 + 1
    return held_this_year, min(MEETINGS_A_YEAR, quarter)


def digest_period(moment: datetime, zone: str) -> str:
    """The ISO week a digest covers, in the committee's zone: "2026-W48"."""
    year, week, _day = moment.astimezone(ZoneInfo(zone)).isocalendar()
    return f"{year}-W{week:02d}"


def next_digest_at(now: datetime, weekday: int, hour: int, zone: str) -> datetime:
    """The next digest time strictly after ``now``: ``weekday`` (0 = Monday) at ``hour`` local."""
    tz = ZoneInfo(zone)
    local = now.astimezone(tz)
    day = local.date() + timedelta(days=(weekday - local.weekday()) % 7)
    moment = datetime.combine(day, time(hour), tzinfo=tz)
    if moment <= now:
        moment = datetime.combine(day + timedelta(days=7), time(hour), tzinfo=tz)
    return moment.astimezone(now.tzinfo)


def quarter_bounds(year: int, quarter: int, zone: str) -> tuple[datetime, datetime]:
    """The quarter as ``[start, end)`` local midnights (the quarters of conversations/plans/rules.py)."""
    tz = ZoneInfo(zone)
    start = datetime.combine(quarter_start(year, quarter), time(0), tzinfo=tz)
    return start, datetime.combine(quarter_start(*next_quarter(year, quarter)), time(0), tzinfo=tz)


def report_due(year: int, quarter: int, zone: str, hour: int = 8) -> datetime:
    """When a quarter's report goes to the secretary: the next quarter's first day at ``hour``."""
    _start, end = quarter_bounds(year, quarter, zone)
    return end.replace(hour=hour)


def clean_name(text: str | None) -> str | None:
    """A committee name as stored, or None when empty or too long."""
    value = re.sub(r"\s+", " ", text or "").strip()
    return value if value and len(value) <= NAME_LIMIT else None


@dataclass(frozen=True)
class JoinTap:
    """A stakeholder type chosen after opening the invitation link: ``cm1:j:<invitation code>:<type>``.
    The code, not the committee's number, is what lets a person in: a forged number joins nothing."""

    code: str
    stakeholder_type: str


def parse_join(parts: list[str], stakeholder_types: tuple[str, ...]) -> JoinTap | None:
    """The join a button carries (``parts`` after the prefix), or None when it is stale or forged."""
    if len(parts) != 3 or parts[0] != "j" or not parts[1].isalnum() or parts[2] not in stakeholder_types:
        return None
    return JoinTap(parts[1].upper(), parts[2])


def code_from_payload(payload: str) -> str | None:
    """The committee's invitation code in a deep-link payload, or None."""
    if payload.startswith(INVITE_PAYLOAD_PREFIX):
        return payload[len(INVITE_PAYLOAD_PREFIX) :].upper() or None
    return None
