"""Committee rules as plain functions: the buttons (``cm1:...``) as typed taps, digest periods and times,
the figures of a cluster, what counts as news, which clusters need a visit, coordination meetings against
four a year, which report a tap asks for and when a second tap makes none."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.buttons import button_number
from bot.i18n import ZONES_BY_NAME
from bot.paging import MAX_PAGE
from conversations.membership.rules import STAKEHOLDER_TYPES
from conversations.plans.rules import next_quarter, quarter_of, quarter_start

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
WEEK_DAYS = 7  # the overview, a cluster's detail and the digest look back on the last week
COMPARISON_DAYS = 90  # the comparison looks back on about a quarter
REPORT_AGAIN_AFTER = 60.0  # seconds: the same report asked again this soon is the one just sent


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
    survey_answers: tuple[int, ...] = ()  # how many answered each round of ``survey_scores``

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


def code_from_payload(payload: str) -> str | None:
    """The committee's invitation code in a deep-link payload, or None."""
    if payload.startswith(INVITE_PAYLOAD_PREFIX):
        return payload[len(INVITE_PAYLOAD_PREFIX) :].upper() or None
    return None


# -- buttons ------------------------------------------------------------------------------------------


class Step(StrEnum):
    """What a committee button does (the word after ``cm1:``)."""

    HOME = "home"  # the committees the sender is in
    NEW = "new"  # /newcommittee from the list
    OVERVIEW = "c"  # a committee at a glance (committee)
    DETAIL = "d"  # one cluster of the committee (committee, cluster)
    COMPARE = "cmp"  # the clusters side by side (committee[, page])
    MAPS = "map"  # the clusters' maps: Step 1 criteria side by side, the value chains (committee[, page])
    REPORT = "rep"  # the quarterly or year report on demand (committee, q|y)
    MATRIX = "mx"  # the program matrix (committee)
    CLUSTERS = "cl"  # the administrator's cluster choice (committee)
    TOGGLE_CLUSTER = "ct"  # add or remove a cluster (committee, cluster)
    APPOINTMENTS = "ap"  # the members to appoint chair or secretary (committee)
    APPOINT = "as"  # appoint a member (committee, member, c|s)
    SCHEDULE = "sch"  # the digest's weekday (committee)
    SCHEDULE_DAY = "sd"  # the digest's hour on that day (committee, day)
    SCHEDULE_HOUR = "sh"  # save the digest's day and hour (committee, day, hour)
    LEVEL = "lv"  # a new committee's level (province|district)
    ZONE = "tz"  # a new committee's time zone (WIB|WITA|WIT)
    JOIN = "j"  # joining from the invitation link (code, stakeholder type)


class Report(StrEnum):
    """Which report a ``rep`` button asks for."""

    QUARTER = "q"
    YEAR = "y"


APPOINTED = {"c": "chair", "s": "secretary"}  # the letter of an ``as`` button and the role it gives


@dataclass(frozen=True)
class JoinTap:
    """A stakeholder type chosen after opening the invitation link: ``cm1:j:<invitation code>:<type>``.
    The code, not the committee's number, is what lets a person in: a forged number joins nothing."""

    code: str
    stakeholder_type: str


@dataclass(frozen=True)
class CommitteeTap:
    """A parsed committee button: its step and what it names (None where the step names nothing of the kind)."""

    step: Step
    committee_id: int | None = None
    cluster_id: int | None = None
    page: int | None = None  # a comparison's page (None: its first showing, with the chart)
    report: Report | None = None
    day: int | None = None  # 0 = Monday
    hour: int | None = None
    user_id: int | None = None
    role: str | None = None  # "chair" or "secretary"
    level: str | None = None
    zone: str | None = None  # the zone's IANA name ("Asia/Jakarta")
    join: JoinTap | None = None


_WITH_COMMITTEE = {
    Step.OVERVIEW: 0,
    Step.MATRIX: 0,
    Step.CLUSTERS: 0,
    Step.APPOINTMENTS: 0,
    Step.SCHEDULE: 0,
    Step.DETAIL: 1,
    Step.TOGGLE_CLUSTER: 1,
    Step.REPORT: 1,
    Step.SCHEDULE_DAY: 1,
    Step.SCHEDULE_HOUR: 2,
    Step.APPOINT: 2,
}  # the steps that name a committee, and how many more parts each carries


def _id(text: str) -> int | None:
    """A positive id as a button carries it, or None."""
    number = button_number(text)
    return number if number else None


def parse_tap(data: str | None) -> CommitteeTap | None:
    """The committee button in ``data`` as a typed value, or None when it is stale, forged or malformed."""
    pieces = (data or "").split(":")
    if len(pieces) < 2 or pieces[0] != PREFIX:
        return None
    try:
        step = Step(pieces[1])
    except ValueError:
        return None
    rest = pieces[2:]
    if step in (Step.HOME, Step.NEW):
        return CommitteeTap(step) if not rest else None
    if step == Step.LEVEL:
        return CommitteeTap(step, level=rest[0]) if len(rest) == 1 and rest[0] in LEVELS else None
    if step == Step.ZONE:
        return CommitteeTap(step, zone=ZONES_BY_NAME[rest[0]]) if len(rest) == 1 and rest[0] in ZONES_BY_NAME else None
    if step == Step.JOIN:
        join = _join(rest)
        return CommitteeTap(step, join=join) if join else None
    if step in (Step.COMPARE, Step.MAPS):
        return _comparison(rest, step)
    committee_id = _id(rest[0]) if rest else None
    if committee_id is None or len(rest) != 1 + _WITH_COMMITTEE[step]:
        return None
    return _with_committee(CommitteeTap(step, committee_id), rest[1:])


def _with_committee(tap: CommitteeTap, rest: list[str]) -> CommitteeTap | None:
    """The parts after the committee, read for the tap's step."""
    if tap.step in (Step.DETAIL, Step.TOGGLE_CLUSTER):
        cluster_id = _id(rest[0])
        return CommitteeTap(tap.step, tap.committee_id, cluster_id=cluster_id) if cluster_id else None
    if tap.step == Step.REPORT:
        return CommitteeTap(tap.step, tap.committee_id, report=Report(rest[0])) if rest[0] in set(Report) else None
    if tap.step == Step.APPOINT:
        user_id = _id(rest[0])
        if user_id is None or rest[1] not in APPOINTED:
            return None
        return CommitteeTap(tap.step, tap.committee_id, user_id=user_id, role=APPOINTED[rest[1]])
    if tap.step in (Step.SCHEDULE_DAY, Step.SCHEDULE_HOUR):
        day = button_number(rest[0])
        hour = button_number(rest[1]) if len(rest) == 2 else None
        day, hour = (day if day in WEEKDAYS else None), (hour if hour in HOURS else None)
        if day is None or (tap.step == Step.SCHEDULE_HOUR and hour is None):
            return None
        return CommitteeTap(tap.step, tap.committee_id, day=day, hour=hour)
    return tap


def _comparison(rest: list[str], step: Step) -> CommitteeTap | None:
    """``cmp:<committee>`` (the first page, with the chart) or ``cmp:<committee>:<page>``; ``map`` alike."""
    committee_id = _id(rest[0]) if rest else None
    if committee_id is None or len(rest) > 2:
        return None
    if len(rest) == 1:
        return CommitteeTap(step, committee_id)
    page = button_number(rest[1])
    return CommitteeTap(step, committee_id, page=page) if page is not None and page <= MAX_PAGE else None


def _join(rest: list[str]) -> JoinTap | None:
    """The join an invitation button carries, or None when stale or forged."""
    if len(rest) != 2 or not rest[0].isalnum() or rest[1] not in STAKEHOLDER_TYPES:
        return None
    return JoinTap(rest[0].upper(), rest[1])


# -- what a tap does --------------------------------------------------------------------------------


def report_period(local_today: date, report: Report) -> tuple[int, int | None]:
    """``(year, quarter)`` of the report a tap asks for on ``local_today``: the current quarter's,
    or the year's (quarter None)."""
    year, quarter = quarter_of(local_today)
    return year, (quarter if report == Report.QUARTER else None)


def report_refusal(busy: bool, last_sent: float | None, now: float) -> str | None:
    """Why a report asked for now is not made again (``"busy"``: it is being made; ``"just_sent"``: it went
    out less than a minute ago), or None to make it."""
    if busy:
        return "busy"
    if last_sent is not None and now - last_sent < REPORT_AGAIN_AFTER:
        return "just_sent"
    return None


def toggled_cluster(tap: CommitteeTap, known: Collection[int]) -> int | None:
    """The cluster an administrator's tap adds or removes: only a cluster the bot knows (else none)."""
    return tap.cluster_id if tap.step == Step.TOGGLE_CLUSTER and tap.cluster_id in known else None


def appointment(tap: CommitteeTap, members: Collection[int]) -> tuple[int, str] | None:
    """``(member, role)`` an administrator's tap appoints: only a member of the committee (else nobody)."""
    if tap.step != Step.APPOINT or tap.user_id is None or tap.user_id not in members or tap.role is None:
        return None
    return tap.user_id, tap.role


def figures_of(all_figures: Sequence[ClusterFigures], cluster_id: int | None) -> ClusterFigures | None:
    """One cluster's figures among the committee's, or None when it is not (or no longer) one of them."""
    return next((f for f in all_figures if f.cluster_id == cluster_id), None)


def year_start(now: datetime, zone: str) -> datetime:
    """The local midnight the year of ``now`` began (coordination meetings count from it)."""
    return quarter_bounds(now.year, 1, zone)[0]
