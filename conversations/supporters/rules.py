"""Supporter rules as plain functions: the kinds and services, the buttons (``sp1:...``) as typed taps,
typed answers and dates, who sees which entry, and when a visit's next step is due."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.buttons import button_number, parse_callback
from bot.paging import MAX_PAGE

PREFIX = "sp1"
KINDS = ("government", "bds_provider", "university", "bank", "association", "kadin", "ngo", "buyer", "supplier")
SERVICES = (
    "training",
    "consulting",
    "marketing",
    "finance",
    "technology_testing",
    "legal_licensing",
    "design",
    "export",
)
VISIT_KINDS = ("visit", "call")
TEXT_FIELDS = ("contact", "area", "worked_with")
NAME_LIMIT = 120
FIELD_LIMIT = 200
AGREED_LIMIT = 1000
PAGE_SIZE = 8  # supporters on one page
HISTORY_PAGE = 5  # visits on a supporter's page
PICK_PAGE = 8  # people on one page of "who was visited"
SUGGESTED_IN_FORMS = 8  # supporters offered under a form's question
NEXT_STEP_HOUR = time(8, 0)  # the next step's reminder, in the cluster's time zone
DAYS_BACK = (0, 1)  # today, yesterday
DAYS_AHEAD = (7, 14)  # a week, two weeks


class Step(StrEnum):
    """What a supporter button asks for."""

    HOME = "home"
    NEED = "n"  # <service>:<page>
    ALL = "l"  # <page>: the facilitator's whole list
    SHOW = "s"  # <supporter>:<page of its visits>
    ADD = "add"
    SUGGEST = "sug"
    KIND = "k"  # <kind>
    SERVICE = "v"  # <service>: toggled while adding
    SERVICES_DONE = "vd"
    SKIP = "skip"
    CONFIRM = "ok"  # <supporter>
    REJECT = "no"  # <supporter>
    REMOVE = "rm"  # <supporter>: the confirm screen
    REMOVE_YES = "rmy"  # <supporter>
    EDIT_SERVICES = "es"  # <supporter>
    EDIT_TOGGLE = "et"  # <supporter>:<service>
    EDIT_FIELD = "ef"  # <supporter>:<field>
    EDIT_KIND = "ek"  # <supporter>[:<kind>]: the kinds, then the one chosen
    CSV = "csv"
    EXCEL = "xlsx"
    VISIT = "vis"  # <page>: who was visited
    VISIT_SUPPORTER = "vs"  # <supporter>
    VISIT_MEMBER = "vm"  # <user>
    VISIT_FIRM = "vf"  # <firm of the firm list>
    VISIT_KIND = "vk"  # visit | call
    DAY = "day"  # <days back>
    NEXT_DAY = "nx"  # <days ahead>
    FOLLOW_UP = "fu"  # <visit>


_NUMBERED = {Step.SHOW, Step.CONFIRM, Step.REJECT, Step.REMOVE, Step.REMOVE_YES, Step.EDIT_SERVICES}
_NUMBERED |= {Step.VISIT_SUPPORTER, Step.VISIT_MEMBER, Step.VISIT_FIRM, Step.FOLLOW_UP}
_PAGED = {Step.ALL, Step.VISIT}
_KEYED = {Step.KIND: KINDS, Step.SERVICE: SERVICES, Step.VISIT_KIND: VISIT_KINDS}
_BARE = {Step.HOME, Step.ADD, Step.SUGGEST, Step.SERVICES_DONE, Step.SKIP, Step.CSV, Step.EXCEL}


@dataclass(frozen=True)
class SupporterTap:
    """One press of a supporter button."""

    step: Step
    number: int | None = None  # a supporter, a person, a visit, or days
    key: str | None = None  # a kind, a service, a field, visit or call
    page: int = 0


def _page(text: str) -> int | None:
    page = button_number(text)
    return page if page is not None and page <= MAX_PAGE else None


def parse_tap(data: str | None) -> SupporterTap | None:
    """The press a ``sp1`` button stands for, or None when it is stale or forged."""
    parts = parse_callback(data, PREFIX)
    if not parts:
        return None
    try:
        step = Step(parts[0])
    except ValueError:
        return None
    args = parts[1:]
    if step in _BARE:
        return SupporterTap(step) if not args else None
    if step in _KEYED:
        return SupporterTap(step, key=args[0]) if len(args) == 1 and args[0] in _KEYED[step] else None
    if step in _PAGED:
        page = _page(args[0]) if len(args) == 1 else None
        return SupporterTap(step, page=page) if page is not None else None
    if step in (Step.DAY, Step.NEXT_DAY):
        days = button_number(args[0]) if len(args) == 1 else None
        allowed = DAYS_BACK if step is Step.DAY else DAYS_AHEAD
        return SupporterTap(step, number=days) if days in allowed else None
    if step is Step.NEED:
        page = _page(args[1]) if len(args) == 2 and args[0] in SERVICES else None
        return SupporterTap(step, key=args[0], page=page) if page is not None else None
    number = button_number(args[0]) if args else None
    if number is None:
        return None
    if step is Step.SHOW:
        page = _page(args[1]) if len(args) == 2 else (0 if len(args) == 1 else None)
        return SupporterTap(step, number, page=page) if page is not None else None
    if step is Step.EDIT_TOGGLE:
        return SupporterTap(step, number, args[1]) if len(args) == 2 and args[1] in SERVICES else None
    if step is Step.EDIT_KIND:
        kind = args[1] if len(args) == 2 and args[1] in KINDS else None
        return SupporterTap(step, number, kind) if len(args) == 1 or kind else None
    if step is Step.EDIT_FIELD:
        return SupporterTap(step, number, args[1]) if len(args) == 2 and args[1] in TEXT_FIELDS else None
    return SupporterTap(step, number) if step in _NUMBERED and len(args) == 1 else None


def clean_text(text: str | None, limit: int = FIELD_LIMIT) -> str | None:
    """A typed answer with its spaces tidied, or None when it is empty or too long."""
    value = " ".join((text or "").split())
    return value if value and len(value) <= limit else None


def toggled(services: tuple[str, ...] | list[str], service: str) -> tuple[str, ...]:
    """The services with ``service`` ticked or unticked, in the fixed order."""
    chosen = set(services) ^ {service}
    return tuple(s for s in SERVICES if s in chosen)


def offering(supporters: list, service: str) -> list:
    """The supporters (confirmed, as given) that offer ``service``."""
    return [s for s in supporters if service in s.services]


def visible_to(supporter_status: str, added_by: int | None, user_id: int, manages: bool) -> bool:
    """Whether a person sees an entry: members see confirmed ones and their own waiting suggestions;
    whoever manages the list sees every confirmed and suggested one."""
    if supporter_status == "confirmed":
        return True
    if supporter_status == "suggested":
        return manages or added_by == user_id
    return False


_DATE = re.compile(r"^\s*(\d{1,2})[-/. ](\d{1,2})(?:[-/. ](\d{2}|\d{4}))?\s*$")


def read_date(text: str | None, today: date) -> date | None:
    """A typed day as day-month(-year) ("23-11-2026", "23/11"), or None when it is no date."""
    match = _DATE.match(text or "")
    if not match:
        return None
    day, month, year = int(match[1]), int(match[2]), match[3]
    full_year = today.year if year is None else (2000 + int(year) if len(year) == 2 else int(year))
    try:
        return date(full_year, month, day)
    except ValueError:
        return None


def visit_day_problem(day: date, today: date) -> str | None:
    """Why a visit's day is refused ("future", "too_old"), else None."""
    if day > today:
        return "future"
    if day < today - timedelta(days=366):
        return "too_old"
    return None


def next_day_problem(day: date, visited: date) -> str | None:
    """Why the next step's day is refused ("before_visit", "too_far"), else None."""
    if day < visited:
        return "before_visit"
    if day > visited + timedelta(days=366):
        return "too_far"
    return None


def next_step_due(day: date, timezone: str) -> datetime:
    """When a next step's reminder goes out: 08.00 on its day in the cluster's zone, as a UTC moment."""
    return datetime.combine(day, NEXT_STEP_HOUR, tzinfo=ZoneInfo(timezone)).astimezone(ZoneInfo("UTC"))


def local_today(now: datetime, timezone: str) -> date:
    """The cluster's date at ``now``."""
    return now.astimezone(ZoneInfo(timezone)).date()


def reminder_key(visit_id: int) -> str:
    """The due message of a visit's next step (unique: scheduled once)."""
    return f"visit:{visit_id}:next"


def form_suggestions(names: list[tuple[int, str]], limit: int = SUGGESTED_IN_FORMS) -> list[tuple[int, str]]:
    """The supporters offered under a form's question: the first ``limit`` by name."""
    return names[:limit]
