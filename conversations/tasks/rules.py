"""Task rules as plain functions: the buttons (``tk1:...``) as typed taps, who may hand out tasks,
the due day and its reminder, what is overdue, what goes on the next meeting's agenda, the counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.buttons import button_number, parse_callback
from bot.paging import MAX_PAGE
from bot.roles import Action, Role, Standing, allowed
from storage.tasks import OpenTask, Task

PREFIX = "tk1"
WHAT_LIMIT = 300  # characters of a task's text
NOTE_LIMIT = 300  # characters of the note under "Need help"
OWNER_PAGE = 8  # members on one page of the owners' picker
MEETING_PAGE = 6  # meetings on one page of "tasks at which meeting?"
TASK_PAGE = 5  # tasks on one page of a list
DUE_CHOICES = (7, 14, 30)  # in a week, two weeks, a month
FARTHEST = 366  # a task due more than a year ahead is a typing mistake
REMINDER_HOUR = time(9, 0)  # the day before the due day, in the cluster's zone
AGENDA_TITLES = 3  # overdue tasks named on an agenda (the rest counted)


class Step(StrEnum):
    """What a task button asks for."""

    MEETINGS = "m"  # <page>: the meetings to hand out tasks at
    MEETING = "t"  # <meeting>:<page>: a meeting's tasks and their status
    ADD = "add"  # <meeting>: hand out a task at the meeting (the conversation's entry)
    OWNER = "o"  # <user>:<page>: tick or untick an owner
    OWNERS = "op"  # <page>: another page of the picker
    OWNERS_DONE = "od"
    DUE = "d"  # <days from today>
    DONE = "done"  # <task>: the owner has done it
    HELP = "help"  # <task>: the owner needs help (asks for a note)
    SKIP = "skip"  # no note
    MINE = "mine"  # <page>: one's own open tasks


@dataclass(frozen=True)
class TaskTap:
    """One press of a task button."""

    step: Step
    number: int | None = None  # a meeting, a person, a task, or days
    page: int = 0


def _page(text: str) -> int | None:
    page = button_number(text)
    return page if page is not None and page <= MAX_PAGE else None


_PAGED = {Step.MEETINGS, Step.OWNERS, Step.MINE}
_NUMBERED = {Step.ADD, Step.DONE, Step.HELP}
_NUMBER_AND_PAGE = {Step.MEETING, Step.OWNER}


def parse_tap(data: str | None) -> TaskTap | None:
    """The press a ``tk1`` button stands for, or None when it is stale or forged."""
    parts = parse_callback(data, PREFIX)
    if not parts:
        return None
    try:
        step = Step(parts[0])
    except ValueError:
        return None
    args = parts[1:]
    if step in (Step.OWNERS_DONE, Step.SKIP):
        return TaskTap(step) if not args else None
    if step in _PAGED:
        page = _page(args[0]) if len(args) == 1 else None
        return TaskTap(step, page=page) if page is not None else None
    if step is Step.DUE:
        days = button_number(args[0]) if len(args) == 1 else None
        return TaskTap(step, days) if days in DUE_CHOICES else None
    number = button_number(args[0]) if args else None
    if number is None:
        return None
    if step in _NUMBERED:
        return TaskTap(step, number) if len(args) == 1 else None
    page = _page(args[1]) if len(args) == 2 else None
    return TaskTap(step, number, page) if page is not None else None


def may_assign(standing: Standing, organiser_id: int) -> bool:
    """Whether ``standing`` may hand out tasks at a meeting: a facilitator or the secretary, or the
    meeting's own organiser (who records its notes, as ``MANAGE_MEETING`` lets them)."""
    if allowed(standing, Action.ASSIGN_TASKS):
        return True
    return allowed(standing, Action.MANAGE_MEETING) and organiser_id == standing.user_id


def may_manage_meeting(standing: Standing, organiser_id: int) -> bool:
    """Whether ``standing`` may open the meeting's own page (the meetings flow's rule: a facilitator, or its organiser)."""
    if not allowed(standing, Action.MANAGE_MEETING):
        return False
    return Role.FACILITATOR in standing.roles or organiser_id == standing.user_id


def clean_text(text: str | None, limit: int) -> str | None:
    """A typed answer with its spaces tidied, or None when it is empty or too long."""
    value = " ".join((text or "").split())
    return value if value and len(value) <= limit else None


def toggled(chosen: Iterable[int], user_id: int) -> list[int]:
    """The owners with ``user_id`` ticked or unticked (in a fixed order)."""
    return sorted(set(chosen) ^ {user_id})


def local_today(now: datetime, timezone: str) -> date:
    """The cluster's date at ``now``."""
    return now.astimezone(ZoneInfo(timezone)).date()


def due_problem(day: date, today: date) -> str | None:
    """Why a due day is refused ("past", "too_far"), else None (today is fine)."""
    if day < today:
        return "past"
    if day > today + timedelta(days=FARTHEST):
        return "too_far"
    return None


def reminder_at(due_on: date, timezone: str, now: datetime) -> datetime | None:
    """When the owners are reminded: 09.00 the day before the due day in the cluster's zone (UTC),
    or None when that moment has already passed (a task due today or tomorrow morning)."""
    at = datetime.combine(due_on - timedelta(days=1), REMINDER_HOUR, tzinfo=ZoneInfo(timezone))
    at = at.astimezone(ZoneInfo("UTC"))
    return at if at > now else None


def reminder_expires(due_on: date, timezone: str) -> datetime:
    """After the due day has ended a reminder is pointless (the agenda and the digest take over)."""
    return datetime.combine(due_on + timedelta(days=1), time(0, 0), tzinfo=ZoneInfo(timezone)).astimezone(
        ZoneInfo("UTC")
    )


def reminder_key(task_id: int) -> str:
    """The due message of a task's reminder (unique: scheduled once, sent once)."""
    return f"task:{task_id}:reminder"


def batch(task_id: int, what: str, user_id: int | None = None) -> str:
    """The outbox batch of a task's letters: ``assigned``, ``reminder``, or ``done``/``help`` of one owner."""
    return f"task:{task_id}:{what}" + (f":{user_id}" if user_id is not None else "")


def is_overdue(task: Task, today: date) -> bool:
    """A task some owner has not done, whose due day has passed."""
    return not task.finished and task.due_on < today


def still_to_do(task: Task) -> list[int]:
    """The owners a reminder goes to: those who have not done it."""
    return [o.user_id for o in task.owners if o.status != "done"]


def on_agenda(tasks: Iterable[Task], meeting_id: int, starts_at: datetime, today: date) -> list[Task]:
    """The overdue tasks the meeting's agenda brings back: handed out at an earlier meeting, due
    before this one, and not done by every owner."""
    return [
        t
        for t in tasks
        if t.meeting_id != meeting_id
        and t.meeting_starts_at is not None
        and t.meeting_starts_at < starts_at
        and is_overdue(t, today)
    ]


def late_per_cluster(tasks: Iterable[OpenTask], now: datetime) -> dict[int, int]:
    """``cluster -> unfinished tasks past their due day`` (each cluster's own date)."""
    return dict(Counter(t.cluster_id for t in tasks if t.due_on < local_today(now, t.timezone)))


@dataclass(frozen=True)
class TaskFigures:
    """A meeting's tasks at a glance: how many, done by every owner, overdue, someone needs help."""

    total: int = 0
    done: int = 0
    late: int = 0
    help: int = 0


def figures(tasks: Iterable[Task], today: date) -> TaskFigures:
    """Count a meeting's tasks for its page."""
    listed = list(tasks)
    return TaskFigures(
        total=len(listed),
        done=sum(t.finished for t in listed),
        late=sum(is_overdue(t, today) for t in listed),
        help=sum(any(o.status == "help" for o in t.owners) for t in listed),
    )
