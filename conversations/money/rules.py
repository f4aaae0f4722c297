"""The cash book's rules as plain functions, in whole rupiah (integers, never floats): reading an
amount and a day someone typed, which entries count, the balance, sums per source and activity,
budget versus actual, a period's bounds and the monthly report's time, and the flow's buttons."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.buttons import button_number, parse_callback

PREFIX = "kb1"
SOURCES = ("initial", "dues", "apbd", "grant", "sponsor", "sales", "other")  # storage.cash_book.INCOME_SOURCES
OTHER = "other"  # the spending line of entries with no activity
COUNTED = "recorded"  # pending (waits for the chair) and rejected entries do not count
REPORT_HOUR = 8  # the monthly report goes out at 08.00 local on the 1st
MAX_AMOUNT = 10**13  # ten trillion rupiah: anything larger is a typing slip

_MULTIPLIERS = {"rb": 1_000, "ribu": 1_000, "k": 1_000, "jt": 1_000_000, "juta": 1_000_000, "m": 10**9, "miliar": 10**9}
_AMOUNT = re.compile(r"^(?:rp\.?)?\s*(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?\s*([a-z]+)?$")
_COMMA_THOUSANDS = re.compile(r"^(?:rp\.?)?(\d{1,3}(?:,\d{3})+)$")  # 25,000 as English writes it


def parse_amount(text: str) -> int | None:
    """Rupiah from what someone typed: ``1.500.000``, ``1500000``, ``Rp 250.000``, ``1,5 juta``, ``500 rb``;
    None for anything else, zero, a fraction of a rupiah, or an amount beyond belief."""
    cleaned = text.strip().lower().replace(" ", "").removesuffix(",-")  # "25.000,-" as price tags write it
    if thousands := _COMMA_THOUSANDS.match(cleaned):
        amount = int(thousands.group(1).replace(",", ""))
        return amount if amount <= MAX_AMOUNT else None
    found = _AMOUNT.match(cleaned)
    if found is None:
        return None
    whole, fraction, word = found.group(1).replace(".", ""), found.group(2) or "", found.group(3)
    multiplier = _MULTIPLIERS.get(word, 0) if word else 1
    if not multiplier or (fraction and multiplier == 1):
        return None
    scaled = int(fraction) * multiplier if fraction else 0
    if scaled % 10 ** len(fraction):
        return None  # "1,5 rb" is fine, "1,2345 rb" is a fraction of a rupiah
    amount = int(whole) * multiplier + scaled // 10 ** len(fraction)
    return amount if 0 < amount <= MAX_AMOUNT else None


_DAY = re.compile(r"^(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2,4}))?$")


def parse_day(text: str, today: date) -> date | None:
    """A day typed as ``23/11/2026``, ``23-11``, ``23.11.26`` or ``2026-11-23``; None when unreadable or
    in the future (an entry records what happened)."""
    cleaned = text.strip()
    try:
        day = date.fromisoformat(cleaned)
    except ValueError:
        found = _DAY.match(cleaned)
        if found is None:
            return None
        year = int(found.group(3)) if found.group(3) else today.year
        year = year + 2000 if year < 100 else year
        try:
            day = date(year, int(found.group(2)), int(found.group(1)))
        except ValueError:
            return None
    return day if day <= today else None


class Entry(Protocol):
    """What the rules read of a cash book entry (``storage.cash_book.CashEntry``)."""

    @property
    def id(self) -> int: ...
    @property
    def direction(self) -> str: ...
    @property
    def amount(self) -> int: ...
    @property
    def occurred_on(self) -> date: ...
    @property
    def purpose(self) -> str: ...
    @property
    def source(self) -> str | None: ...
    @property
    def activity_key(self) -> str | None: ...
    @property
    def status(self) -> str: ...


def counted(entries: Iterable[Entry]) -> list[Entry]:
    """The entries that count in the balance: recorded ones (a reversal included), not pending or rejected."""
    return [e for e in entries if e.status == COUNTED]


def signed(entry: Entry) -> int:
    """What an entry does to the balance: income adds, spending takes away (a reversal the opposite)."""
    return entry.amount if entry.direction == "income" else -entry.amount


def balance(entries: Iterable[Entry]) -> int:
    """The balance of the counted entries."""
    return sum(signed(e) for e in counted(entries))


@dataclass(frozen=True)
class Totals:
    """Income and spending of some entries (counted only), and what they leave."""

    income: int
    spending: int

    @property
    def net(self) -> int:
        """Income less spending."""
        return self.income - self.spending


def totals(entries: Iterable[Entry]) -> Totals:
    """Income and spending of the counted entries."""
    shown = counted(entries)
    return Totals(
        sum(e.amount for e in shown if e.direction == "income"),
        sum(e.amount for e in shown if e.direction == "spending"),
    )


def line_of(entry: Entry) -> str:
    """The budget line an entry belongs to: its source (income) or its activity, else ``other``."""
    if entry.direction == "income":
        return entry.source or OTHER
    return entry.activity_key or OTHER


def actual_by_line(entries: Iterable[Entry], direction: str) -> dict[str, int]:
    """The counted entries of one direction, summed per budget line."""
    sums: dict[str, int] = {}
    for entry in counted(entries):
        if entry.direction == direction:
            sums[line_of(entry)] = sums.get(line_of(entry), 0) + entry.amount
    return sums


@dataclass(frozen=True)
class Comparison:
    """One line of budget versus actual."""

    line: str
    planned: int
    actual: int

    @property
    def left(self) -> int:
        """What is left of the plan (negative: over it)."""
        return self.planned - self.actual


def budget_versus_actual(
    planned: dict[str, int], entries: Iterable[Entry], direction: str, order: Sequence[str] = ()
) -> list[Comparison]:
    """Every line planned or used, in ``order`` first (then the rest, ``other`` last), planned against actual."""
    actual = actual_by_line(entries, direction)
    keys = list(dict.fromkeys([*order, *sorted(planned), *sorted(actual)]))
    keys = [k for k in keys if k in planned or k in actual]
    keys.sort(key=lambda k: k == OTHER)
    return [Comparison(k, planned.get(k, 0), actual.get(k, 0)) for k in keys]


def summed(rows: Iterable[Comparison]) -> Comparison:
    """The total line of a comparison."""
    rows = list(rows)
    return Comparison("total", sum(r.planned for r in rows), sum(r.actual for r in rows))


@dataclass(frozen=True)
class BookRow:
    """A row of the cash book: the entry, what came in and went out, and the balance after it."""

    entry: Entry
    money_in: int | None
    money_out: int | None
    running: int


def book_rows(entries: Sequence[Entry], opening: int = 0) -> list[BookRow]:
    """The cash book in order: a pending or rejected entry is listed but leaves the balance as it is."""
    rows, running = [], opening
    for entry in entries:
        if entry.status == COUNTED:
            running += signed(entry)
        money_in = entry.amount if entry.direction == "income" else None
        money_out = entry.amount if entry.direction == "spending" else None
        rows.append(BookRow(entry, money_in, money_out, running))
    return rows


class Period(StrEnum):
    """A report's period."""

    MONTH = "m"
    LAST_MONTH = "lm"
    QUARTER = "q"
    YEAR = "y"


def period_bounds(period: Period, today: date) -> tuple[date, date]:
    """The first and last day of the period ``today`` falls in (last month: the one before)."""
    if period is Period.YEAR:
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if period is Period.QUARTER:
        first_month = 3 * ((today.month - 1) // 3) + 1
        first = date(today.year, first_month, 1)
        return first, _month_end(date(today.year, first_month + 2, 1))
    first = date(today.year, today.month, 1)
    if period is Period.LAST_MONTH:
        first = (first - timedelta(days=1)).replace(day=1)
    return first, _month_end(first)


def _month_end(first: date) -> date:
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - timedelta(days=1)


def month_of(text: str) -> tuple[date, date]:
    """The bounds of a month named ``YYYY-MM``."""
    first = date.fromisoformat(text + "-01")
    return first, _month_end(first)


def report_due_at(month: str, timezone: str) -> datetime:
    """When the report of ``month`` (``YYYY-MM``) goes out: 08.00 local on the 1st of the month after."""
    _first, last = month_of(month)
    return datetime.combine(last + timedelta(days=1), time(REPORT_HOUR), tzinfo=ZoneInfo(timezone))


def month_key(day: date) -> str:
    """``YYYY-MM`` of a day."""
    return f"{day.year:04d}-{day.month:02d}"


def next_month(month: str) -> str:
    """The month after ``YYYY-MM``."""
    _first, last = month_of(month)
    return month_key(last + timedelta(days=1))


def repeated_titles(titles: Iterable[str]) -> set[str]:
    """The titles that occur more than once (they need their month to tell them apart)."""
    seen: set[str] = set()
    twice: set[str] = set()
    for title in titles:
        (twice if title in seen else seen).add(title)
    return twice


def waits_for_chair(amount: int, threshold: int | None, has_chair: bool) -> bool:
    """Whether a new entry waits for the chair: over the cluster's threshold, and there is a chair to confirm it."""
    return threshold is not None and has_chair and amount > threshold


# --- buttons -------------------------------------------------------------------------------------


class Do(StrEnum):
    """What a books button without a number does."""

    HOME = "home"
    INCOME = "in"
    SPENDING = "out"
    TODAY = "today"
    YESTERDAY = "yday"
    SKIP = "skip"
    SAVE = "save"
    BUDGET = "bud"
    THRESHOLD = "thr"
    NO_THRESHOLD = "thr0"
    SUMMARY = "sum"
    XLSX = "xlsx"
    REPORTS = "pdfs"
    TREASURER = "trs"


@dataclass(frozen=True)
class Tap:
    """A books button: ``kb1:<do>``."""

    do: Do


class Numbered(StrEnum):
    """What a books button with a number does."""

    SOURCE = "src"  # index in SOURCES
    ACTIVITY = "act"  # number in the draft's activity list, from 1 (0: other)
    ACTIVITY_PAGE = "actp"  # a page of the activities
    LINE = "line"  # index in the budget screen's lines
    BUDGET_PAGE = "budp"  # a page of the budget's activities
    LIST = "list"  # a page of the entries
    ENTRY = "e"  # an entry's card
    REVERSE = "rev"  # reverse an entry: the confirm screen
    REVERSE_YES = "revy"
    CONFIRM = "ok"  # the chair confirms an entry
    REJECT = "no"  # the chair rejects an entry
    APPOINT = "apt"  # appoint this member the treasurer


@dataclass(frozen=True)
class NumberTap:
    """A books button with a number: ``kb1:<what>:<n>``."""

    what: Numbered
    number: int


@dataclass(frozen=True)
class ReportTap:
    """``kb1:pdf:<period>``."""

    period: Period


def parse_tap(data: str | None) -> Tap | NumberTap | ReportTap | None:
    """Any books button as a typed value; None when stale or forged."""
    parts = parse_callback(data, PREFIX)
    if not parts:
        return None
    if len(parts) == 1:
        return Tap(Do(parts[0])) if parts[0] in {d.value for d in Do} else None
    if len(parts) != 2:
        return None
    if parts[0] == "pdf":
        return ReportTap(Period(parts[1])) if parts[1] in {p.value for p in Period} else None
    number = button_number(parts[1])
    if number is None or parts[0] not in {n.value for n in Numbered}:
        return None
    what = Numbered(parts[0])
    if what is Numbered.SOURCE and number >= len(SOURCES):
        return None
    return NumberTap(what, number)
