"""Dues rules as plain functions: periods (months or years from the dues' first month), what a member
owes and has paid up to, who is behind, the periods offered for ticking, typed amounts, the reminder's
time, and the buttons (``du1:...``) as typed taps."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.buttons import button_number, parse_callback
from bot.paging import MAX_PAGE
from conversations.money import rules as money_rules

PREFIX = "du1"
CADENCES = ("monthly", "yearly")
GRACE_DAYS = 9  # a period's dues are overdue from its 10th day
REMIND_AT = time(9, 0)  # the overdue reminder, in the cluster's time zone
START_OFFSETS = (-2, -1, 0, 1)  # months offered as the first month, around this one
AHEAD = {"monthly": 6, "yearly": 1}  # periods after the current one offered for ticking
MOST_CHOICES = 12  # period buttons on the ticking screen
PAGE_SIZE = 8  # members on a page of the picker
ARREARS_PAGE = 10  # lines on a page of who is behind
MOST_RUPIAH = 100_000_000  # beyond any cluster's dues: a typo
SEARCH_LIMIT = 40


@dataclass(frozen=True)
class Terms:
    """One setting of the dues: whole rupiah a period, monthly or yearly, from a first month."""

    amount: int
    cadence: str  # monthly or yearly
    starts_on: date  # the first period's first day


@dataclass(frozen=True)
class Schedule:
    """The dues over time: each setting governs from its first month until the next one's."""

    segments: tuple[Terms, ...]  # by first month; never empty

    @property
    def current(self) -> Terms:
        """The setting in force from the latest first month on."""
        return self.segments[-1]


@dataclass(frozen=True)
class DuesStatus:
    """Where one member stands: the last period of the unbroken run paid, what is owed and overdue."""

    paid_up_to: date | None  # the first day of the last period paid in a row from the first owed
    owed: tuple[date, ...]  # unpaid periods that have begun
    overdue: tuple[date, ...]  # unpaid periods past their due day
    owed_amount: int = 0
    overdue_amount: int = 0


@dataclass(frozen=True)
class Arrear:
    """A member behind with dues: how many periods overdue, the rupiah, and since when."""

    user_id: int
    name: str
    periods: int
    amount: int
    since: date


# -- periods ------------------------------------------------------------------------------------


def schedule_of(settings: Iterable[Terms]) -> Schedule:
    """The schedule from the settings in the order they were made: the latest replaces whatever the
    earlier ones said from its first month on (months before it keep what was owed and paid then)."""
    segments: list[Terms] = []
    for terms in settings:
        segments = [s for s in segments if s.starts_on < terms.starts_on] + [terms]
    if not segments:
        raise ValueError("a schedule needs at least one setting of the dues")
    return Schedule(tuple(segments))


def months_after(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_months(cadence: str) -> int:
    """How many months one period spans."""
    return 12 if cadence == "yearly" else 1


def terms_at(schedule: Schedule, day: date) -> Terms | None:
    """The setting that governs ``day``, or None before the dues began."""
    found = [s for s in schedule.segments if s.starts_on <= day]
    return found[-1] if found else None


def period_containing(schedule: Schedule, day: date) -> date | None:
    """The period ``day`` falls in, or None before the dues began."""
    terms = terms_at(schedule, day)
    if terms is None:
        return None
    months = (day.year - terms.starts_on.year) * 12 + day.month - terms.starts_on.month
    step = period_months(terms.cadence)
    return months_after(terms.starts_on, months // step * step)


def _governing(schedule: Schedule, period: date) -> Terms:
    terms = terms_at(schedule, period)
    if terms is None:
        raise ValueError(f"{period} is before the dues began")
    return terms


def next_period(schedule: Schedule, period: date) -> date:
    """The period after ``period`` (a new setting's first month starts a period of its own)."""
    following = months_after(period, period_months(_governing(schedule, period).cadence))
    cut = [s.starts_on for s in schedule.segments if period < s.starts_on < following]
    return cut[0] if cut else following


def cadence_of(schedule: Schedule, period: date) -> str:
    """Monthly or yearly, as the setting of ``period`` says."""
    return _governing(schedule, period).cadence


def amount_of(schedule: Schedule, period: date) -> int:
    """The rupiah one period costs, as its own setting says."""
    return _governing(schedule, period).amount


def amount_for(schedule: Schedule, periods: Iterable[date]) -> int:
    """The rupiah for ``periods`` (each counted once)."""
    return sum(amount_of(schedule, p) for p in set(periods))


def due_on(period: date) -> date:
    """The day a period's dues become overdue."""
    return period + timedelta(days=GRACE_DAYS)


def first_owed(schedule: Schedule, joined_on: date) -> date:
    """A member's first period: the dues' first, or the one they joined in."""
    return period_containing(schedule, joined_on) or schedule.segments[0].starts_on


def periods_from(schedule: Schedule, first: date, last: date) -> list[date]:
    """The periods ``first`` .. ``last`` (both included)."""
    found = []
    period = first
    while period <= last:
        found.append(period)
        period = next_period(schedule, period)
    return found


def status(schedule: Schedule, since: date, paid: frozenset[date], today: date) -> DuesStatus:
    """Where a member whose first period is ``since`` stands ``today``."""
    current = period_containing(schedule, today)
    begun = periods_from(schedule, since, current) if current else []
    owed = tuple(p for p in begun if p not in paid)
    overdue = tuple(p for p in owed if due_on(p) <= today)
    period, paid_up_to = since, None
    while period in paid:
        paid_up_to, period = period, next_period(schedule, period)
    return DuesStatus(paid_up_to, owed, overdue, amount_for(schedule, owed), amount_for(schedule, overdue))


def choices(schedule: Schedule, since: date, paid: frozenset[date], today: date) -> list[date]:
    """The unpaid periods offered for ticking: from the member's first one to a few ahead."""
    current = period_containing(schedule, today) or schedule.segments[0].starts_on
    cadence = cadence_of(schedule, current)
    last = months_after(current, AHEAD[cadence] * period_months(cadence))
    return [p for p in periods_from(schedule, since, last) if p not in paid][:MOST_CHOICES]


def runs(schedule: Schedule, periods: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive periods as (first, last) runs, to write "Jan–Mar 2027, May 2027"."""
    found: list[tuple[date, date]] = []
    for period in sorted(set(periods)):
        if found and next_period(schedule, found[-1][1]) == period:
            found[-1] = (found[-1][0], period)
        else:
            found.append((period, period))
    return found


def behind(
    schedule: Schedule, members: Iterable[tuple[int, str, date]], paid: dict[int, frozenset[date]], today: date
) -> list[Arrear]:
    """Members (id, name, first period) with overdue dues, the longest behind first."""
    found = []
    for user_id, name, since in members:
        own = status(schedule, since, paid.get(user_id, frozenset()), today)
        if own.overdue:
            found.append(Arrear(user_id, name, len(own.overdue), own.overdue_amount, own.overdue[0]))
    return sorted(found, key=lambda a: (-a.periods, a.name.casefold(), a.user_id))


# -- the reminder -------------------------------------------------------------------------------


def reminder_at(period: date, timezone: str) -> datetime:
    """When a period's overdue reminder goes out: its due day at 09.00 in the cluster's zone, as UTC."""
    return datetime.combine(due_on(period), REMIND_AT, ZoneInfo(timezone)).astimezone(ZoneInfo("UTC"))


def period_ends_at(schedule: Schedule, period: date, timezone: str) -> datetime:
    """The moment a period is over: the next one's first midnight in the cluster's zone, as UTC."""
    following = next_period(schedule, period)
    return datetime.combine(following, time(0), ZoneInfo(timezone)).astimezone(ZoneInfo("UTC"))


def first_reminded_period(schedule: Schedule, now: datetime, timezone: str) -> date:
    """The first period whose reminder is still to come at ``now``."""
    today = now.astimezone(ZoneInfo(timezone)).date()
    period = period_containing(schedule, today) or schedule.segments[0].starts_on
    while reminder_at(period, timezone) <= now:
        period = next_period(schedule, period)
    return period


def reminder_key(cluster_id: int, period: date, terms_id: int) -> str:
    """The due message of one period's reminder under one setting (the period's prefix: see ``period_keys``)."""
    return f"{period_keys(cluster_id, period)}{terms_id}"


def period_keys(cluster_id: int, period: date) -> str:
    """What every reminder key of one period starts with: whichever setting booked it, one goes out."""
    return f"dues:{cluster_id}:{period:%Y-%m}:"


# -- typed answers ------------------------------------------------------------------------------


def parse_amount(text: str | None) -> int | None:
    """Dues typed as the cash book reads amounts (``25000``, ``25.000``, ``Rp 25.000``, ``25 rb``); None for
    anything else and for more than any cluster's dues."""
    amount = money_rules.parse_amount(text or "")
    return amount if amount is not None and amount <= MOST_RUPIAH else None


def start_choices(today: date) -> list[date]:
    """The first months offered when setting dues: a little before and after this one."""
    return [months_after(today, offset) for offset in START_OFFSETS]


def search_matches(names: Iterable[tuple[int, str]], query: str | None) -> list[int]:
    """The ids whose name contains every word of ``query`` (all of them without a query)."""
    words = (query or "").casefold().split()
    return [uid for uid, name in names if all(word in name.casefold() for word in words)]


def clean_search(text: str | None) -> str | None:
    """A typed search, trimmed; None when empty."""
    cleaned = " ".join((text or "").split())[:SEARCH_LIMIT]
    return cleaned or None


# -- buttons --------------------------------------------------------------------------------------


class Step(StrEnum):
    """What a dues button asks for."""

    HOME = "home"
    SET = "set"  # begin setting the dues
    CADENCE = "c"  # <monthly|yearly>
    START = "st"  # <yyyymm>: the first month
    PAY = "pay"  # begin ticking: the member picker
    PAGE = "pp"  # <page> of the picker
    ALL = "pa"  # the picker without its search
    MEMBER = "pm"  # <user>
    TOGGLE = "pt"  # <yyyymm>
    REVIEW = "pr"  # on to the confirm screen
    BACK = "pb"  # back to the periods
    RECORD = "py"  # the confirm screen's yes
    ARREARS = "late"  # <page>


@dataclass(frozen=True)
class DuesTap:
    """A parsed dues button: its step, and its number (a page, a person), period or key."""

    step: Step
    number: int | None = None
    period: date | None = None
    key: str | None = None


_BARE = {Step.HOME, Step.SET, Step.PAY, Step.ALL, Step.REVIEW, Step.BACK, Step.RECORD}
_NUMBERED = {Step.PAGE, Step.MEMBER, Step.ARREARS}
_PERIODS = {Step.START, Step.TOGGLE}


def period_code(period: date) -> str:
    """A period as a button carries it: ``202701``."""
    return f"{period:%Y%m}"


def read_period(text: str) -> date | None:
    """``202701`` back to its period; None when forged."""
    number = button_number(text)
    if number is None or len(text) != 6:
        return None
    year, month = divmod(number, 100)
    return date(year, month, 1) if 2000 <= year <= 2100 and 1 <= month <= 12 else None


def parse_tap(data: str | None) -> DuesTap | None:
    """A ``du1`` button's data as a typed value, or None when stale or forged."""
    parts = parse_callback(data, PREFIX)
    if not parts or parts[0] not in Step._value2member_map_:
        return None
    step, rest = Step(parts[0]), parts[1:]
    if step in _BARE:
        return DuesTap(step) if not rest else None
    if len(rest) != 1:
        return None
    if step in _NUMBERED:
        number = button_number(rest[0])
        too_far = number is not None and step in (Step.PAGE, Step.ARREARS) and number > MAX_PAGE
        return DuesTap(step, number=number) if number is not None and not too_far else None
    if step in _PERIODS:
        period = read_period(rest[0])
        return DuesTap(step, period=period) if period else None
    return DuesTap(step, key=rest[0]) if rest[0] in CADENCES else None
