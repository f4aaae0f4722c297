"""Annual plan rules as plain functions: the buttons (``ap1:...``) as typed taps, the month calendar,
the count of coordination meetings against FPESD's four a year, typed dates, and whether the year has
changed since its adopted version."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.buttons import button_number, parse_callback
from storage.annual_plans import PlanActivity

PREFIX = "ap1"
EVENT_KINDS = ("training", "study_tour")  # what the facilitator adds; coordination months are toggled
COORDINATION_MEETINGS = frozenset({"regular"})  # scheduled meeting kinds that count as coordination meetings
MIN_COORDINATION = 4  # FPESD: at least four coordination meetings a year
TITLE_LIMIT = 120
FIRST_YEAR, LAST_YEAR = 2000, 2100  # beyond any plan: a year outside is forged


class Step(StrEnum):
    """What an annual plan button asks for."""

    HOME = "home"  # [<year>]: the year's page
    MONTH = "m"  # <year>:<month>: one month of the calendar
    ADD = "add"  # <year>:<kind index>: a training or a study tour
    PICK_MONTH = "mo"  # <month>: the month of what is being added
    WHOLE_MONTH = "wm"  # no dates: some time in the month
    COORDINATION = "rg"  # <year>: the months a coordination meeting is intended
    TOGGLE = "rt"  # <year>:<month>
    EVENTS = "ev"  # <year>: what the facilitator added, to remove
    REMOVE = "rm"  # <event>
    EXCEL = "x"  # <year>
    PDF = "p"  # <year>
    DRAFTS = "d"  # <year>: versions, answers, adoption
    PUBLISH = "pub"  # <year>:<days>
    AGREE = "va"  # <version>
    CHANGE = "vc"  # <version>
    SKIP = "vk"
    RESPONSES = "vr"  # <version>
    ASK_MEETING = "vp"  # <version>
    ADOPT = "vpm"  # <version>:<meeting>
    ADOPTED = "av"  # <year>: the adopted version in full


_PARTS = {
    Step.HOME: (0, 1),
    Step.MONTH: (2,),
    Step.ADD: (2,),
    Step.PICK_MONTH: (1,),
    Step.WHOLE_MONTH: (0,),
    Step.COORDINATION: (1,),
    Step.TOGGLE: (2,),
    Step.EVENTS: (1,),
    Step.REMOVE: (1,),
    Step.EXCEL: (1,),
    Step.PDF: (1,),
    Step.DRAFTS: (1,),
    Step.PUBLISH: (2,),
    Step.AGREE: (1,),
    Step.CHANGE: (1,),
    Step.SKIP: (0,),
    Step.RESPONSES: (1,),
    Step.ASK_MEETING: (1,),
    Step.ADOPT: (2,),
    Step.ADOPTED: (1,),
}
_YEAR_FIRST = {Step.HOME, Step.MONTH, Step.ADD, Step.COORDINATION, Step.TOGGLE, Step.EVENTS, Step.EXCEL}
_YEAR_FIRST |= {Step.PDF, Step.DRAFTS, Step.PUBLISH, Step.ADOPTED}
_MONTH_SECOND = {Step.MONTH, Step.TOGGLE}


@dataclass(frozen=True)
class Tap:
    """A parsed ``ap1`` button: its step and the numbers it carries (a year first where it names one)."""

    step: Step
    numbers: tuple[int, ...] = ()

    @property
    def first(self) -> int:
        """The first number (a year, a version, an event, a month), 0 when none."""
        return self.numbers[0] if self.numbers else 0

    @property
    def second(self) -> int:
        """The second number (a month, a kind, days, a meeting), 0 when none."""
        return self.numbers[1] if len(self.numbers) > 1 else 0


def parse_tap(data: str | None) -> Tap | None:
    """The typed value of an ``ap1:...`` button, or None when it is stale or forged."""
    parts = parse_callback(data, PREFIX)
    if not parts:
        return None
    try:
        step = Step(parts[0])
    except ValueError:
        return None
    numbers = tuple(button_number(part) for part in parts[1:])
    if len(numbers) not in _PARTS[step] or any(n is None for n in numbers):
        return None
    tap = Tap(step, tuple(n for n in numbers if n is not None))
    if step in _YEAR_FIRST and tap.numbers and not FIRST_YEAR <= tap.first <= LAST_YEAR:
        return None
    if (step in _MONTH_SECOND and not 1 <= tap.second <= 12) or (step is Step.PICK_MONTH and not 1 <= tap.first <= 12):
        return None
    if step is Step.ADD and tap.second >= len(EVENT_KINDS):
        return None
    return tap


def shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    """The month ``months`` away from ``year``/``month`` (negative: back)."""
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def in_month(activities: Iterable[PlanActivity], year: int, month: int) -> list[PlanActivity]:
    """The activities that touch ``year``/``month``, earliest first."""
    first = date(year, month, 1)
    after = date(*shift_month(year, month, 1), 1)
    return sorted(
        (a for a in activities if a.starts_on < after and a.ends_on >= first), key=lambda a: (a.starts_on, a.key)
    )


def month_grid(activities: Iterable[PlanActivity], year: int) -> dict[int, list[PlanActivity]]:
    """The year as twelve months, each with the activities that touch it."""
    found = list(activities)
    return {month: in_month(found, year, month) for month in range(1, 13)}


@dataclass(frozen=True)
class Coordination:
    """The year's coordination meetings: scheduled, intended (a month without one scheduled yet), the total."""

    scheduled: int
    intended: int

    @property
    def total(self) -> int:
        """Scheduled and intended together."""
        return self.scheduled + self.intended

    @property
    def short(self) -> bool:
        """Fewer than FPESD's four a year."""
        return self.total < MIN_COORDINATION


def is_coordination(activity: PlanActivity) -> bool:
    """A scheduled regular meeting, or a month a coordination meeting is intended."""
    return activity.kind == "coordination" or (
        activity.key.startswith("meeting:") and activity.kind in COORDINATION_MEETINGS
    )


def coordination(activities: Iterable[PlanActivity]) -> Coordination:
    """Count the coordination meetings: an intended month already holding a scheduled one counts once."""
    scheduled = [a for a in activities if is_coordination(a) and a.key.startswith("meeting:")]
    held = {(a.starts_on.year, a.starts_on.month) for a in scheduled}
    intended = [a for a in activities if a.kind == "coordination" and a.key.startswith("event:")]
    return Coordination(len(scheduled), sum(1 for a in intended if (a.starts_on.year, a.starts_on.month) not in held))


def intended_months(activities: Iterable[PlanActivity]) -> set[int]:
    """The months a coordination meeting is intended (ticked by the facilitator)."""
    return {a.starts_on.month for a in activities if a.kind == "coordination" and a.key.startswith("event:")}


_DAY_MONTH = re.compile(r"^(\d{1,2})(?:/(\d{1,2}))?\s*[-–]\s*(\d{1,2})/(\d{1,2})$|^(\d{1,2})/(\d{1,2})$")


def parse_days(text: str | None, year: int) -> tuple[date, date] | None:
    """Typed dates of ``year``: ``12/3`` (one day), ``12-14/3``, ``28/2-2/3``; None when not a date."""
    match = _DAY_MONTH.match((text or "").strip())
    if not match:
        return None
    try:
        if match.group(5):
            day = date(year, int(match.group(6)), int(match.group(5)))
            return day, day
        end = date(year, int(match.group(4)), int(match.group(3)))
        start = date(year, int(match.group(2) or match.group(4)), int(match.group(1)))
    except ValueError:
        return None
    return (start, end) if start <= end else None


def changed_since(adopted: Sequence[PlanActivity], live: Sequence[PlanActivity]) -> bool:
    """Whether the year's activities now differ from the adopted version's (then a new draft is due)."""
    return sorted(adopted, key=lambda a: a.key) != sorted(live, key=lambda a: a.key)
