"""Plain rules of action plans: check-in periods, snooze, overdue, escalation, progress, versions.

No telegram, no aiosqlite: every function takes plain values (times are aware
datetimes; a period is named by the local date it starts on, in the cluster's zone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.buttons import button_number, parse_callback
from bot.paging import PageTap, parse_page_tap

PREFIX = "pl1"
OVERDUE_PAGE = 10  # overdue progress reports on one page of the plan board
BOARD_INDICATORS = 10  # indicators the board lists; the rest are counted (the download has them all)
CADENCES = ("weekly", "biweekly", "monthly")
OVERDUE_AFTER = {"weekly": timedelta(days=2), "biweekly": timedelta(days=4), "monthly": timedelta(days=7)}
LATER_TODAY = timedelta(hours=3)
LAST_HOUR = 21  # no prompt later than 21.00 local
MISSES_BEFORE_ESCALATION = 2
CHECKIN_HOURS = (7, 9, 12, 16, 19)
LEVELS = ("district", "province", "central")


# -- periods ----------------------------------------------------------------------------------------


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def period_start(day: date, cadence: str, anchor: date) -> date:
    """The first day of the period holding ``day`` (weeks start Monday; two-week periods count from ``anchor``'s week)."""
    if cadence == "weekly":
        return _monday(day)
    if cadence == "biweekly":
        origin = _monday(anchor)
        return origin + timedelta(days=14 * ((day - origin).days // 14))
    if cadence == "monthly":
        return day.replace(day=1)
    raise ValueError(f"unknown cadence {cadence!r}")


def next_period(start: date, cadence: str) -> date:
    """The first day of the period after the one starting on ``start``."""
    if cadence == "weekly":
        return start + timedelta(days=7)
    if cadence == "biweekly":
        return start + timedelta(days=14)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def local_moment(day: date, hour: int, zone: str) -> datetime:
    """``hour`` o'clock on ``day`` in ``zone``, as UTC."""
    return datetime.combine(day, time(hour), ZoneInfo(zone)).astimezone(UTC)


def period_bounds(start: date, cadence: str, zone: str) -> tuple[datetime, datetime]:
    """The period starting on ``start`` as ``[from, until)`` in UTC (local midnights)."""
    return local_moment(start, 0, zone), local_moment(next_period(start, cadence), 0, zone)


def prompt_at(start: date, hour: int, zone: str) -> datetime:
    """When the period's check-in is asked: its first day at the owner's hour."""
    return local_moment(start, hour, zone)


def first_prompt_period(
    now: datetime, starts_on: date, ends_on: date, cadence: str, anchor: date, hour: int, zone: str
) -> date | None:
    """The first period whose prompt is still ahead of ``now`` (and within the activity's dates), if any."""
    today = now.astimezone(ZoneInfo(zone)).date()
    start = period_start(max(starts_on, today), cadence, anchor)
    while start <= ends_on:
        if prompt_at(start, hour, zone) >= now:
            return start
        start = next_period(start, cadence)
    return None


def follows(start: date, cadence: str, ends_on: date) -> date | None:
    """The next period within the activity's dates, if any."""
    following = next_period(start, cadence)
    return following if following <= ends_on else None


def in_period(moment: datetime, start: date, cadence: str, zone: str) -> bool:
    """Whether ``moment`` falls in the period starting on ``start``."""
    low, high = period_bounds(start, cadence, zone)
    return low <= moment < high


def needs_prompt(checked_in_periods: set[date], start: date) -> bool:
    """No prompt when the owner already checked in during the period."""
    return start not in checked_in_periods


def overdue_at(start: date, cadence: str, hour: int, zone: str) -> datetime:
    """When a check-in not yet given counts as overdue (the owner gets a reminder)."""
    return prompt_at(start, hour, zone) + OVERDUE_AFTER[cadence]


def snooze_until(now: datetime, choice: str, hour: int, zone: str) -> datetime:
    """Ask again later today (three hours on, not past 21.00) or tomorrow at the owner's hour."""
    local = now.astimezone(ZoneInfo(zone))
    later = (now + LATER_TODAY).astimezone(ZoneInfo(zone))
    if choice == "today" and later.date() == local.date() and later.hour < LAST_HOUR:
        return now + LATER_TODAY
    return local_moment(local.date() + timedelta(days=1), hour, zone)


def periods_between(first: date, last: date, cadence: str) -> list[date]:
    """Every period start from ``first`` to ``last`` (both included)."""
    found, start = [], first
    while start <= last:
        found.append(start)
        start = next_period(start, cadence)
    return found


def misses_in_a_row(periods: list[date], checked_in: set[date]) -> int:
    """How many of the latest periods passed without a check-in, counted back from the last."""
    count = 0
    for start in reversed(periods):
        if start in checked_in:
            break
        count += 1
    return count


def escalate(periods: list[date], checked_in: set[date]) -> bool:
    """The facilitator is told after exactly the second miss in a row (once, not at every further miss)."""
    return misses_in_a_row(periods, checked_in) == MISSES_BEFORE_ESCALATION


# -- dates of a plan --------------------------------------------------------------------------------


def date_problem(starts_on: date, ends_on: date, plan_start: date | None, plan_end: date | None) -> str | None:
    """Why an activity's (or the plan's) dates do not fit: ``order``, ``before_plan``, ``after_plan``; None when fine."""
    if ends_on < starts_on:
        return "order"
    if plan_start is not None and starts_on < plan_start:
        return "before_plan"
    if plan_end is not None and ends_on > plan_end:
        return "after_plan"
    return None


def midpoint(starts_on: date, ends_on: date) -> date:
    """The plan's midpoint, when the mid-term evaluation is due."""
    return starts_on + (ends_on - starts_on) / 2


# -- quarters ---------------------------------------------------------------------------------------


def quarter_of(day: date) -> tuple[int, int]:
    """``(year, quarter)`` of a date."""
    return day.year, (day.month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> date:
    """The first day of a quarter."""
    return date(year, 3 * (quarter - 1) + 1, 1)


def next_quarter(year: int, quarter: int) -> tuple[int, int]:
    """The quarter after."""
    return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    """The quarter before."""
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def quarter_key(year: int, quarter: int) -> str:
    """``2027q1``: a quarter in keys and buttons."""
    return f"{year}q{quarter}"


def parse_quarter_key(text: str) -> tuple[int, int] | None:
    """The quarter named by ``quarter_key``; None when it is not one."""
    year, _sep, quarter = text.partition("q")
    if not (year.isdigit() and quarter in ("1", "2", "3", "4")):
        return None
    return int(year), int(quarter)


PROMPT_HOUR = 8  # quarterly and year-end prompts, local time
YEAR_END = (12, 20)  # the year-end evaluation is asked on 20 December


def year_end_at(year: int, zone: str) -> datetime:
    """When the year-end evaluation of ``year`` is asked."""
    return local_moment(date(year, *YEAR_END), PROMPT_HOUR, zone)


def evaluation_due(kind: str, period: str, today: date) -> bool:
    """Whether an evaluation button names a period asked about by now, at most a year back: a quarter
    that has ended (``qe``, ``2026q4``), or a year whose year-end evaluation was asked (``ye``, from 20 December)."""
    if kind == "qe":
        quarter = parse_quarter_key(period)
        return (
            quarter is not None
            and today.year - 1 <= quarter[0] <= today.year
            and quarter_start(*next_quarter(*quarter)) <= today
        )
    year = int(period) if period.isdigit() else 0
    return today.year - 1 <= year <= today.year and date(year, *YEAR_END) <= today


# -- progress ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """An indicator against its target."""

    baseline: int
    target: int
    actual: int | None

    @property
    def share(self) -> float | None:
        """How far from baseline to target (0..1, may pass 1); None without a value or with no distance."""
        if self.actual is None or self.target == self.baseline:
            return None
        return (self.actual - self.baseline) / (self.target - self.baseline)


def latest_value(values: list[tuple[date, int | None]]) -> int | None:
    """The newest reported indicator value (periods oldest first; None when none)."""
    reported = [value for _day, value in sorted(values) if value is not None]
    return reported[-1] if reported else None


def snapshot(plan_fields: dict, outputs: list[dict], indicators: list[dict], activities: list[dict]) -> dict:
    """The plan as it stands, for a version kept before a change."""
    return {"plan": plan_fields, "outputs": outputs, "indicators": indicators, "activities": activities}


def changed_fields(before: dict, after: dict) -> list[str]:
    """Which answers differ between two versions of the nine questions."""
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


# -- who may do what, and when --------------------------------------------------------------------


def plan_visible(plan_cluster_id: int, plan_status: str, cluster_id: int | None, may_run: bool) -> bool:
    """Whether a plan shows to someone in ``cluster_id``: members see published and closed plans,
    facilitators (``may_run``) their drafts too."""
    return plan_cluster_id == cluster_id and (plan_status != "draft" or may_run)


def ready_to_publish(starts_on: date | None, activities_with_owner: int) -> bool:
    """A plan can be published once its nine questions are answered and an activity has its owner."""
    return starts_on is not None and activities_with_owner > 0


class OwnerRefusal(StrEnum):
    """Why an activity's owner cannot be set to the tapped member."""

    STALE = "stale"  # no such activity or member, or not in the sender's cluster
    CLOSED = "closed"  # the plan is closed
    LEFT = "left"  # the member left the cluster


def owner_refusal(plan_status: str | None, member_active: bool | None) -> OwnerRefusal | None:
    """Whether an activity of a plan (``None``: none the sender may see) may go to a member
    (``None``: not a member of the plan's cluster); None when it may."""
    if plan_status is None or member_active is None:
        return OwnerRefusal.STALE
    if plan_status == "closed":
        return OwnerRefusal.CLOSED
    return None if member_active else OwnerRefusal.LEFT


def indicator_choice_ok(plan_status: str | None, indicator_id: int, indicators: set[int]) -> bool:
    """Whether an activity of a plan (``None``: none the sender may see) may report on the indicator (0: none)."""
    return plan_status is not None and plan_status != "closed" and (indicator_id == 0 or indicator_id in indicators)


class PeriodRefusal(StrEnum):
    """Why an owner's button about an activity and period is refused."""

    STALE = "stale"
    NOT_PUBLISHED = "not_published"


def period_refusal(
    owner_id: int | None, user_id: int, plan_cluster_id: int | None, cluster_id: int | None, plan_status: str | None
) -> PeriodRefusal | None:
    """Whether the sender may report on (or snooze, or set the hour of) an activity: only its owner,
    in the plan's cluster, while the plan is published."""
    if plan_status is None or owner_id != user_id or plan_cluster_id != cluster_id:
        return PeriodRefusal.STALE
    return None if plan_status == "published" else PeriodRefusal.NOT_PUBLISHED


EVIDENCE_WINDOW = timedelta(minutes=30)  # after tapping "📎 Add a photo or voice note"


EVIDENCE_KINDS = ("photo", "voice", "document")  # the order counts are told in
ACTIVITY_PAGE_REPORTS = 5  # the latest check-ins an activity's page lists (the download has them all)
ACTIVITY_PAGE_PIECES = 10  # buttons to open evidence on an activity's page
PLAN_ACTIVITIES_PAGE = 20  # activities listed as buttons under "Activities"


def evidence_expected(since: datetime | None, now: datetime) -> bool:
    """Whether a photo or voice note sent ``now`` is the evidence asked for at ``since`` (each piece kept
    opens the window again, so several can follow one another)."""
    return since is not None and now - since <= EVIDENCE_WINDOW


def evidence_counts(kinds: list[str]) -> list[tuple[str, int]]:
    """How many pieces of each kind, in the order they are told (``[("photo", 1), ("voice", 1)]``); kinds
    without a piece are left out."""
    return [(kind, kinds.count(kind)) for kind in EVIDENCE_KINDS if kind in kinds]


def may_see_evidence(may_run: bool, owner_id: int | None, user_id: int) -> bool:
    """The evidence of an activity's check-ins is for the facilitators and the activity's owner."""
    return may_run or (owner_id is not None and owner_id == user_id)


# -- buttons ----------------------------------------------------------------------------------------
# Every button of the flow is ``pl1:<key>:...``; ``parse_tap`` reads it once, as one of the typed
# values below, and a stale or forged button reads as None.


@dataclass(frozen=True)
class PlanTap:
    """A button about one plan, ``pl1:<key>:<plan>``; ``indo`` adds an output, ``v`` a version number,
    ``cad`` a cadence letter (``w``, ``b``, ``m``)."""

    key: str
    plan_id: int
    number: int | None = None
    cadence: str | None = None


@dataclass(frozen=True)
class SourceTap:
    """Where a new plan starts, ``pl1:src:<theme>``: a shortlisted theme, or 0 for a plan from scratch."""

    theme_id: int


@dataclass(frozen=True)
class ActivityTap:
    """A choice for an activity, ``pl1:own:<activity>:<member>`` or ``pl1:ai:<activity>:<indicator or 0>``."""

    key: str
    activity_id: int
    chosen: int


class Snooze(StrEnum):
    """When a snoozed check-in prompt comes again (the letters of ``pl1:sz:...``)."""

    TODAY = "today"
    TOMORROW = "tomorrow"


@dataclass(frozen=True)
class PeriodTap:
    """An owner's button about one activity and period, ``pl1:<ci|sz|hr|hs>:<activity>:<period>``; a snooze
    adds ``t`` or ``m``, a chosen hour (``hs``) the hour."""

    key: str
    activity_id: int
    period: date
    snooze: Snooze | None = None
    hour: int | None = None


@dataclass(frozen=True)
class EvidenceTap:
    """📎 a photo or voice note for a check-in, ``pl1:ev:<checkin>``."""

    checkin_id: int


@dataclass(frozen=True)
class ActivityPageTap:
    """An activity's page with its check-ins and their evidence, ``pl1:a:<activity>``."""

    activity_id: int


@dataclass(frozen=True)
class EvidencePieceTap:
    """One piece of a check-in's evidence sent back into the chat, ``pl1:evs:<evidence>``."""

    evidence_id: int


@dataclass(frozen=True)
class EvaluationTap:
    """A quarterly (``pl1:qe:<cluster>:<2027q1>``) or year-end (``pl1:ye:<cluster>:<2026>``) evaluation."""

    key: str
    cluster_id: int
    period: str

    @property
    def form_id(self) -> str:
        """The questionnaire of the evaluation."""
        return "plan_quarterly" if self.key == "qe" else "plan_yearend"


@dataclass(frozen=True)
class PaperTap:
    """🖨 Paper forms: ``pl1:ppr`` lists the blank forms to print, ``pl1:ppr:<n>`` sends the n-th as a PDF."""

    number: int | None = None


Tap = (
    PlanTap
    | SourceTap
    | ActivityTap
    | PeriodTap
    | EvidenceTap
    | EvaluationTap
    | PageTap
    | ActivityPageTap
    | EvidencePieceTap
    | PaperTap
)
PLAN_KEYS = frozenset({"p", "pdm", "out", "ind", "act", "acts", "pub", "puby", "close", "mid", "chg", "ver", "exp"})
_SNOOZES = {"t": Snooze.TODAY, "m": Snooze.TOMORROW}


def _period_tap(key: str, rest: list[str]) -> PeriodTap | None:
    extra = {"ci": 0, "hr": 0, "sz": 1, "hs": 1}[key]
    if len(rest) != 2 + extra or button_number(rest[0]) is None:
        return None
    try:
        period = date.fromisoformat(rest[1])
    except ValueError:
        return None
    activity_id = int(rest[0])
    if key == "sz":
        snooze = _SNOOZES.get(rest[2])
        return PeriodTap(key, activity_id, period, snooze=snooze) if snooze else None
    if key == "hs":
        hour = button_number(rest[2])
        return PeriodTap(key, activity_id, period, hour=hour) if hour in CHECKIN_HOURS else None
    return PeriodTap(key, activity_id, period)


def parse_tap(data: str | None) -> Tap | None:
    """The plans button in ``data`` as a typed value; None when it is stale, forged or not a plans button."""
    parts = parse_callback(data, PREFIX)
    if not parts:
        return None
    key, rest = parts[0], parts[1:]
    numbers = [button_number(part) for part in rest]
    if key == "brd":
        return parse_page_tap(parts, "brd")
    if key in ("ci", "sz", "hr", "hs"):
        return _period_tap(key, rest)
    if key == "qe" and len(rest) == 2 and numbers[0] is not None and parse_quarter_key(rest[1]):
        return EvaluationTap(key, int(rest[0]), rest[1])
    if key == "ye" and len(rest) == 2 and None not in numbers:
        return EvaluationTap(key, int(rest[0]), rest[1])
    if key == "cad" and len(rest) == 2 and numbers[0] is not None:
        cadence = next((c for c in CADENCES if c[0] == rest[1]), None)
        return PlanTap(key, int(rest[0]), cadence=cadence) if cadence else None
    if key == "ppr" and len(rest) <= 1 and None not in numbers:
        return PaperTap(numbers[0] if numbers else None)
    if None in numbers or not numbers:
        return None
    values = [n for n in numbers if n is not None]
    if key in PLAN_KEYS and len(values) == 1 and values[0] > 0:
        return PlanTap(key, values[0])
    if key in ("indo", "v") and len(values) == 2 and values[0] > 0:
        return PlanTap(key, values[0], number=values[1])
    if key == "src" and len(values) == 1:
        return SourceTap(values[0])
    if key in ("own", "ai") and len(values) == 2 and values[0] > 0:
        return ActivityTap(key, values[0], values[1])
    if key == "ev" and len(values) == 1 and values[0] > 0:
        return EvidenceTap(values[0])
    if key == "a" and len(values) == 1 and values[0] > 0:
        return ActivityPageTap(values[0])
    if key == "evs" and len(values) == 1 and values[0] > 0:
        return EvidencePieceTap(values[0])
    return None
