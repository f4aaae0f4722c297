"""Meeting rules as plain functions: kinds, dates and times, RSVP, check-in windows, attendance.

Who is invited is an ``Audience`` of the audience engine (``bot.audience``).
"""

from __future__ import annotations

import calendar
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

from bot.audience import Audience as Audience  # re-exported: a meeting's invitees are an audience
from bot.audience import toggle as toggle
from bot.buttons import button_number, parse_callback
from bot.paging import MAX_PAGE

PREFIX = "mt1"
KINDS = ("kickoff", "small_group", "fgd1", "fgd2", "regular", "committee", "workshop", "study_tour")
RSVP_CHOICES = ("yes", "maybe", "no")
DEFAULT_REMINDERS = (1440, 120)  # minutes before: a day and two hours
REMINDER_CHOICES = (10080, 1440, 120, 30)  # a week, a day, two hours, half an hour
TIME_BUTTONS = ("08.00", "09.00", "10.00", "13.00", "14.00", "15.00", "16.00", "19.00", "19.30", "20.00")
CHECKIN_OPENS = timedelta(hours=1)  # before the start
CHECKIN_CLOSES = timedelta(hours=4)  # after the start
CHECKIN_PAYLOAD_PREFIX = "hadir-"
TOPIC_LIMIT = 120
PLACE_LIMIT = 120
AGENDA_LIMIT = 1000
NOTES_LIMIT = 2000
INVITEE_PAGE = 15  # names on one page of the invitee list
UNREACHED = ("blocked", "not_started", "failed")  # deliveries that did not reach the invitee
WALK_IN_ROWS = 8  # empty numbered rows on the attendance sheet for those who come uninvited
SHEET_PHOTO_KINDS = ("photo", "document")  # a photo, or an image sent as a file


class Problem(StrEnum):
    """Why a typed date, time or number was not accepted."""

    NOT_A_TIME = "not_a_time"
    NOT_A_DATE = "not_a_date"
    IN_THE_PAST = "in_the_past"
    NOT_A_NUMBER = "not_a_number"
    EMPTY = "empty"
    TOO_LONG = "too_long"


def parse_time(text: str) -> tuple[time | None, Problem | None]:
    """Read ``14:00``, ``14.00``, ``9.30`` or ``0930``; ``25:00`` and ``14:60`` are refused."""
    match = re.fullmatch(r"\s*(\d{1,2})(?:[:.\s]?(\d{2}))?\s*", text or "")
    if not match:
        return None, Problem.NOT_A_TIME
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None, Problem.NOT_A_TIME
    return time(hour, minute), None


def parse_date(text: str) -> tuple[date | None, Problem | None]:
    """Read a typed date, ``31/12/2026``, ``31-12-2026`` or ``31.12.2026``; 31 February is refused."""
    match = re.fullmatch(r"\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*", text or "")
    if not match:
        return None, Problem.NOT_A_DATE
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day), None
    except ValueError:
        return None, Problem.NOT_A_DATE


def parse_day_button(value: str) -> date | None:
    """The date a calendar button carries (``20261123``)."""
    try:
        return datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        return None


def local_start(day: date, at: time, timezone: str) -> datetime:
    """The meeting's start as an aware datetime in the cluster's zone."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(timezone))


def check_future(start: datetime, now: datetime) -> Problem | None:
    """A meeting cannot start in the past."""
    return Problem.IN_THE_PAST if start <= now else None


def local_today(now: datetime, timezone: str) -> date:
    """Today's date in the cluster's zone."""
    return now.astimezone(ZoneInfo(timezone)).date()


@dataclass(frozen=True)
class CalendarDay:
    """One cell of the calendar picker."""

    day: date | None  # None: a blank cell before the 1st or after the last day
    selectable: bool


def month_grid(year: int, month: int, today: date) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of ``month``; days before ``today`` are not selectable."""
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([CalendarDay(d, d >= today) if d.month == month else CalendarDay(None, False) for d in week])
    return weeks


def shift_month(year: int, month: int, step: int) -> tuple[int, int]:
    """The month ``step`` months away."""
    index = year * 12 + (month - 1) + step
    return index // 12, index % 12 + 1


@dataclass(frozen=True)
class RsvpTap:
    """An RSVP button: ``mt1:r:<meeting>:<choice>``, ending in ``:b`` under a broadcast and in
    ``:l`` on the meetings list."""

    meeting_id: int
    choice: str
    under_broadcast: bool = False
    on_list: bool = False


def parse_rsvp(data: str | None) -> RsvpTap | None:
    """The RSVP a button carries, or None when it is stale or forged."""
    parts = parse_callback(data, PREFIX) or []
    where = parts[3:]
    if len(parts) not in (3, 4) or parts[0] != "r" or parts[2] not in RSVP_CHOICES or where not in ([], ["b"], ["l"]):
        return None
    meeting_id = button_number(parts[1])
    return RsvpTap(meeting_id, parts[2], where == ["b"], where == ["l"]) if meeting_id is not None else None


def newcomer_invited(*, starts_at: datetime, now: datetime, cancelled: bool, invited: bool, in_audience: bool) -> bool:
    """Whether someone who just joined the cluster (or a small group) is invited to a meeting
    scheduled before: only to one still ahead and not cancelled, whose audience now includes them,
    and once (not when already invited)."""
    return starts_at > now and not cancelled and not invited and in_audience


def answers_open(starts_at: datetime, now: datetime, cancelled: bool) -> bool:
    """Whether an invitee can still answer (or change their answer): until the start, unless cancelled."""
    return starts_at > now and not cancelled


@dataclass(frozen=True)
class TickTap:
    """A tick on the attendance list: ``mt1:tk:<meeting>:<user>:<page>``."""

    meeting_id: int
    user_id: int
    page: int


def parse_tick(data: str | None) -> TickTap | None:
    """The tick a button carries, or None when it is stale or forged."""
    parts = parse_callback(data, PREFIX) or []
    if len(parts) != 4 or parts[0] != "tk":
        return None
    meeting_id, user_id, page = (button_number(p) for p in parts[1:])
    if meeting_id is None or user_id is None or page is None:
        return None
    return TickTap(meeting_id, user_id, page)


class Listed(Protocol):
    """Someone on a meeting's list, as the attendance sheet and the tick list see them."""

    @property
    def user_id(self) -> int: ...

    @property
    def full_name(self) -> str: ...

    @property
    def joined_later(self) -> bool: ...


L = TypeVar("L", bound=Listed)


def sheet_order(invitees: list[L]) -> list[L]:
    """The invitees in the printed attendance sheet's order, numbered from 1 as it prints them: by name,
    those invited since the meeting was scheduled (newcomers) after the others, so a sheet printed
    before a newcomer joined keeps its numbers. The tick list shows the same order and numbers."""
    return sorted(invitees, key=lambda i: (i.joined_later, _sort_name(i.full_name), i.user_id))


def _sort_name(name: str) -> str:
    """A name as the alphabet orders it: case and accents aside (Çitra beside Citra)."""
    letters = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in letters if not unicodedata.combining(c))


def reminder_times(start: datetime, offsets_minutes: tuple[int, ...], now: datetime) -> list[tuple[int, datetime]]:
    """``(offset, due time)`` for each reminder still ahead of ``now``."""
    return [
        (m, start - timedelta(minutes=m))
        for m in sorted(set(offsets_minutes), reverse=True)
        if start - timedelta(minutes=m) > now
    ]


def new_checkin_code() -> str:
    """A meeting's check-in code: hard to guess, short enough for a deep link."""
    return secrets.token_urlsafe(9).replace("-", "x").replace("_", "y")


def checkin_payload(code: str) -> str:
    """The deep-link payload of a check-in code."""
    return f"{CHECKIN_PAYLOAD_PREFIX}{code}"


class CheckinProblem(StrEnum):
    """Why a check-in was refused."""

    TOO_EARLY = "too_early"
    TOO_LATE = "too_late"
    CANCELLED = "cancelled"
    OTHER_CLUSTER = "other_cluster"


def checkin_window(start: datetime) -> tuple[datetime, datetime]:
    """When the check-in link works."""
    return start - CHECKIN_OPENS, start + CHECKIN_CLOSES


def check_checkin(start: datetime, now: datetime, cancelled: bool, is_member: bool) -> CheckinProblem | None:
    """Whether a check-in is accepted now."""
    if cancelled:
        return CheckinProblem.CANCELLED
    if not is_member:
        return CheckinProblem.OTHER_CLUSTER
    opens, closes = checkin_window(start)
    if now < opens:
        return CheckinProblem.TOO_EARLY
    if now > closes:
        return CheckinProblem.TOO_LATE
    return None


@dataclass(frozen=True)
class MeetingFigures:
    """A meeting's figures, the same on every screen and download: what invitees said they would do
    (``coming`` = "akan hadir", a promise) and who actually came (``attended`` = "hadir")."""

    invited: int
    coming: int
    maybe: int
    cant: int
    no_answer: int
    attended_invited: int  # invitees who checked in or were ticked
    walk_in_members: frozenset[int]  # members who checked in (by the link) without an invitation
    guests: int  # people recorded by name, not members
    unreachable: int

    @property
    def walk_ins(self) -> int:
        """Everyone who came without an invitation: members and guests."""
        return len(self.walk_in_members) + self.guests

    @property
    def attended(self) -> int:
        """Everyone who came: invitees, uninvited members and guests."""
        return self.attended_invited + self.walk_ins

    @property
    def rate(self) -> float:
        """Attended invitees over invitees (0 when nobody was invited)."""
        return self.attended_invited / self.invited if self.invited else 0.0


def meeting_figures(
    invitees: dict[int, str | None], present: set[int], guests: int, unreachable: int = 0
) -> MeetingFigures:
    """The figures from each invitee's answer, the members recorded present and the guests' count."""
    answers = list(invitees.values())
    return MeetingFigures(
        invited=len(invitees),
        coming=answers.count("yes"),
        maybe=answers.count("maybe"),
        cant=answers.count("no"),
        no_answer=answers.count(None),
        attended_invited=len(present & set(invitees)),
        walk_in_members=frozenset(present - set(invitees)),
        guests=guests,
        unreachable=unreachable,
    )


def parse_capacity(text: str) -> tuple[int | None, Problem | None]:
    """A capacity from 1 to 10,000 people."""
    number = button_number((text or "").strip())  # ASCII digits only: "²" passes str.isdigit, not int()
    if number is None or not 1 <= number <= 10_000:
        return None, Problem.NOT_A_NUMBER
    return number, None


class InviteeFilter(StrEnum):
    """Which invitees the list shows."""

    ALL = "all"
    COMING = "yes"
    MAYBE = "maybe"
    NOT_COMING = "no"
    NO_ANSWER = "none"
    PRESENT = "here"
    NOT_REACHED = "out"


@dataclass(frozen=True)
class InviteeListTap:
    """A tap on the invitee list: the meeting, the filter and the page to show."""

    meeting_id: int
    chosen: InviteeFilter
    page: int


def parse_invitee_list(parts: list[str] | None) -> InviteeListTap | None:
    """``inv:<meeting>:<filter>:<page>`` as a typed value; None when stale or forged."""
    if not parts or len(parts) != 4 or parts[0] != "inv":
        return None
    meeting_id, page = button_number(parts[1]), button_number(parts[3])
    if meeting_id is None or page is None or page > MAX_PAGE or parts[2] not in {f.value for f in InviteeFilter}:
        return None
    return InviteeListTap(meeting_id, InviteeFilter(parts[2]), page)


def invitee_shown(chosen: InviteeFilter, rsvp: str | None, checked_in: bool, delivery: str | None) -> bool:
    """Whether an invitee with this answer, attendance and delivery is on the ``chosen`` list."""
    if chosen is InviteeFilter.ALL:
        return True
    if chosen is InviteeFilter.NO_ANSWER:
        return rsvp is None
    if chosen is InviteeFilter.PRESENT:
        return checked_in
    if chosen is InviteeFilter.NOT_REACHED:
        return delivery in UNREACHED
    return rsvp == chosen.value


# -- buttons: one parser for the flow's callback data ----------------------------------------------


class MeetingAction(StrEnum):
    """A button about one meeting: ``mt1:<action>:<meeting>`` (the tick list adds a page)."""

    OPEN = "open"
    CANCEL = "cancel"
    CANCEL_YES = "cancelyes"
    QR = "qr"
    TICK = "tick"
    SUMMARY = "sum"
    EXPORT = "exp"
    EDIT = "edit"
    GUEST = "guest"
    NOTES = "notes"
    SHEET = "sheet"  # the attendance sheet to print (PDF)
    PHOTOS = "photos"  # attach photos of the signed sheet
    CARD = "card"  # an invitee opens their invitation card from the meetings list
    MAP = "map"  # put the participant map on the agenda, or open its review
    MAP_NOTE = "mapnote"  # record what changed at the review
    MAP_NONE = "mapnone"  # ... nothing changed
    MAP_HISTORY = "maphist"  # the map's history, review by review
    MAP_VIEW = "mapview"  # the value chain picture (invitees too)


@dataclass(frozen=True)
class MeetingTap:
    """A button about one meeting, with the page of a paged list."""

    action: MeetingAction
    meeting_id: int
    page: int = 0


@dataclass(frozen=True)
class KindTap:
    """A kind of meeting: ``mt1:k:<kind>``."""

    kind: str


@dataclass(frozen=True)
class MonthTap:
    """Another month of the calendar: ``mt1:m:<yyyymm>``."""

    year: int
    month: int


@dataclass(frozen=True)
class DayTap:
    """A day on the calendar: ``mt1:d:<yyyymmdd>``."""

    day: date


@dataclass(frozen=True)
class TimeTap:
    """A time button: ``mt1:t:<hhmm>``."""

    text: str


@dataclass(frozen=True)
class ReminderTap:
    """A reminder time on the review: ``mt1:rem:<minutes>``."""

    minutes: int


class Change(StrEnum):
    """What an edit asks again."""

    WHEN = "when"
    PLACE = "place"


CHANGED_FIELDS = {
    Change.WHEN: ("day", "starts_at"),
    Change.PLACE: ("place", "location", "latitude", "longitude"),
}  # the draft's answers an edit asks again


@dataclass(frozen=True)
class ChangeTap:
    """What to change: ``mt1:ew:<when|place>``."""

    change: Change


@dataclass(frozen=True)
class GuestTypeTap:
    """A walk-in guest's stakeholder type: ``mt1:gt:<type>``."""

    stakeholder_type: str


Tap = MeetingTap | RsvpTap | TickTap | InviteeListTap | KindTap | MonthTap | DayTap | TimeTap | ReminderTap | ChangeTap


def parse_button(data: str | None, stakeholder_types: tuple[str, ...] = ()) -> Tap | GuestTypeTap | None:
    """Any of the flow's buttons as a typed value (the audience picker's are ``bot.audience.parse_pick``'s);
    None when stale or forged."""
    parts = parse_callback(data, PREFIX) or []
    if not parts:
        return None
    head, rest = parts[0], parts[1:]
    if head == "r":
        return parse_rsvp(data)
    if head == "tk":
        return parse_tick(data)
    if head == "inv":
        return parse_invitee_list(parts)
    numbers = [button_number(part) for part in rest]
    if head in {a.value for a in MeetingAction}:
        if len(rest) == 1 and numbers[0] is not None:
            return MeetingTap(MeetingAction(head), numbers[0])
        if head == MeetingAction.TICK and len(rest) == 2 and numbers[0] is not None and numbers[1] is not None:
            return MeetingTap(MeetingAction.TICK, numbers[0], min(numbers[1], MAX_PAGE))
        return None
    if len(rest) != 1:
        return None
    (value,), (number,) = rest, numbers
    if head == "k" and value in KINDS:
        return KindTap(value)
    if head == "m" and len(value) == 6 and number is not None and 1 <= number % 100 <= 12:
        return MonthTap(number // 100, number % 100)
    if head == "d":
        day = parse_day_button(value)
        return DayTap(day) if day else None
    if head == "t" and number is not None and len(value) in (3, 4):
        return TimeTap(value)
    if head == "rem" and number in REMINDER_CHOICES:
        return ReminderTap(number)
    if head == "ew" and value in {c.value for c in Change}:
        return ChangeTap(Change(value))
    if head == "gt" and value in stakeholder_types:
        return GuestTypeTap(value)
    return None


# -- decisions --------------------------------------------------------------------------------------


class RsvpProblem(StrEnum):
    """Why an RSVP was not saved."""

    NOT_INVITED = "not_invited"
    CLOSED = "closed"
    FULL = "full"


def check_rsvp(
    *,
    invited: bool,
    cancelled: bool,
    starts_at: datetime,
    now: datetime,
    choice: str,
    previous: str | None,
    capacity: int | None,
    coming: int,
) -> RsvpProblem | None:
    """Whether an answer is accepted: only invitees, only until the start of a meeting that is not
    cancelled, and a Coming only while there is room (``coming`` others already said yes)."""
    if not invited:
        return RsvpProblem.NOT_INVITED
    if not answers_open(starts_at, now, cancelled):
        return RsvpProblem.CLOSED
    if choice == "yes" and capacity and previous != "yes" and coming >= capacity:
        return RsvpProblem.FULL
    return None


def month_shown(tap: MonthTap, today: date) -> bool:
    """The calendar goes forward from this month, never back before it."""
    return (tap.year, tap.month) >= (today.year, today.month)


def check_day(day: date | None, today: date) -> Problem | None:
    """A meeting's day: a real date, today or later."""
    if day is None:
        return Problem.NOT_A_DATE
    return Problem.IN_THE_PAST if day < today else None


def check_start(day: date, text: str, timezone: str, now: datetime) -> tuple[datetime | None, Problem | None]:
    """The start from a day and a typed or tapped time, in the cluster's zone; never in the past."""
    at, problem = parse_time(text)
    if at is None:
        return None, problem or Problem.NOT_A_TIME
    start = local_start(day, at, timezone)
    problem = check_future(start, now)
    return (None, problem) if problem else (start, None)


def check_text(text: str, limit: int) -> Problem | None:
    """A typed topic, place or agenda: not empty, not longer than ``limit``."""
    if not text:
        return Problem.EMPTY
    return Problem.TOO_LONG if len(text) > limit else None
