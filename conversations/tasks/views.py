"""What handing out tasks says: the meetings to choose from, a meeting's tasks and their status, the
steps (what, who, by when), the saved task; and the lines other screens borrow (the meeting's page,
the next meeting's agenda, the committee's digest)."""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.i18n import format_local_date, format_number, format_when, translator
from bot.menu import MENU_BUTTON, N_
from bot.names import shown_name
from bot.page_buttons import page_line, page_rows
from bot.paging import page_of
from conversations.tasks.rules import (
    AGENDA_TITLES,
    DUE_CHOICES,
    MEETING_PAGE,
    OWNER_PAGE,
    PREFIX,
    TASK_PAGE,
    Step,
    TaskFigures,
    is_overdue,
)
from storage.meetings import Meeting
from storage.memberships import Membership
from storage.tasks import Owner, Task

STATUS_MARKS = {"open": "⏳", "help": "🙋", "done": "✅"}
DUE_LABELS = {7: N_("In a week"), 14: N_("In two weeks"), 30: N_("In a month")}
PROBLEMS = {
    "no_date": N_("That is not a date I can read. Type it as day-month-year, for example 23-11-2026."),
    "past": N_("That day has passed. Choose today or a later day."),
    "too_far": N_("That is more than a year away. Type an earlier date."),
}
MEETING_MARK = "mt1"  # the meetings flow's prefix: « Back to the meeting (``mt1:open:<id>``)


def b(label: str, step: Step, *parts: object) -> InlineKeyboardButton:
    """A ``tk1:<step>:...`` button."""
    return InlineKeyboardButton(label, callback_data=callback_data(PREFIX, step.value, *parts))


def _menu(lang: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(translator(lang).gettext("« Main menu"), callback_data=MENU_BUTTON)]


def _cancel(lang: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(translator(lang).gettext("Cancel"), callback_data=MENU_BUTTON)]


def clip(text: str, limit: int = 120) -> str:
    """A long text cut at a word for a list line (the whole text stays stored), escaped."""
    return escape(text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …")


def owner_names(owners: tuple[Owner, ...], lang: str, *, marks: bool = False) -> str:
    """The owners' names, each with its status mark when ``marks``."""
    return ", ".join(
        (STATUS_MARKS[o.status] + " " if marks else "") + escape(shown_name(lang, o.full_name)) for o in owners
    )


def task_line(lang: str, task: Task, today: date, number: int) -> str:
    """One task in a list: what, by when (overdue said), who and how far each got."""
    _ = translator(lang).gettext
    due = format_local_date(task.due_on, lang)
    if task.finished:
        due += " · " + _("✅ done")
    elif is_overdue(task, today):
        due += " · " + _("⚠️ overdue")
    line = f"{number}. <b>{clip(task.what)}</b>\n   📅 {due}\n   👥 {owner_names(task.owners, lang, marks=True)}"
    notes = [o for o in task.owners if o.status == "help" and o.help_note]
    for owner in notes:
        line += "\n   🙋 " + _("{name}: {note}").format(
            name=escape(shown_name(lang, owner.full_name)), note=clip(owner.help_note or "", 80)
        )
    return line


def meetings(lang: str, listed: list[Meeting], timezone: str, page: int) -> tuple[str, InlineKeyboardMarkup]:
    """The meetings to hand out tasks at or follow them (newest first), paged."""
    _ = translator(lang).gettext
    shown, page, pages = page_of(listed, page, MEETING_PAGE)
    lines = [_("<b>📌 Tasks from meetings</b>"), _("Choose the meeting whose tasks you hand out or follow.")]
    if pages > 1:
        lines.append(page_line(lang, page, pages))
    if not listed:
        lines.append(_("No meetings yet."))
    rows = [
        [b(f"{format_when(m.starts_at, timezone, lang).rsplit(' ', 1)[0]} {m.topic}"[:60], Step.MEETING, m.id, 0)]
        for m in shown
    ]
    rows += page_rows(lang, page, pages, lambda p: callback_data(PREFIX, Step.MEETINGS.value, p))
    rows.append(_menu(lang))
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def meeting_tasks(
    lang: str, meeting: Meeting, timezone: str, tasks: list[Task], today: date, page: int, *, back_to_meeting: bool
) -> tuple[str, InlineKeyboardMarkup]:
    """A meeting's tasks with each owner's status, paged, and ➕ Task."""
    _ = translator(lang).gettext
    shown, page, pages = page_of(list(enumerate(tasks, 1)), page, TASK_PAGE)
    lines = [
        _("<b>📌 Tasks: {topic}</b>").format(topic=escape(meeting.topic)),
        format_when(meeting.starts_at, timezone, lang),
        "",
    ]
    if pages > 1:
        lines.append(page_line(lang, page, pages))
    lines += [task_line(lang, task, today, number) for number, task in shown] or [_("No tasks handed out yet.")]
    lines += ["", _("⏳ to do · 🙋 needs help · ✅ done")]
    rows = [[add_button(lang, meeting.id)]]
    rows += page_rows(lang, page, pages, lambda p: callback_data(PREFIX, Step.MEETING.value, meeting.id, p))
    back = [b(_("« Tasks from meetings"), Step.MEETINGS, 0)]
    if back_to_meeting:
        back.insert(
            0,
            InlineKeyboardButton(
                _("« Back to the meeting"), callback_data=callback_data(MEETING_MARK, "open", meeting.id)
            ),
        )
    rows += [back, _menu(lang)]
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def ask_what(lang: str, meeting: Meeting) -> tuple[str, InlineKeyboardMarkup]:
    """The first step: what is the task."""
    _ = translator(lang).gettext
    text = _("➕ <b>New task</b> at “{topic}”\n\nWhat is the task? Type it in one sentence.").format(
        topic=escape(meeting.topic)
    )
    return text, InlineKeyboardMarkup([_cancel(lang)])


def ask_owners(
    lang: str, what: str, members: list[Membership], chosen: list[int], page: int
) -> tuple[str, InlineKeyboardMarkup]:
    """Who will do it: the cluster's members to tick, paged, and ✅ Done with how many are ticked."""
    _ = translator(lang).gettext
    shown, page, pages = page_of(members, page, OWNER_PAGE)
    lines = [
        f"📌 <b>{clip(what)}</b>",
        "",
        _("Who will do it? Tick one or more members (board members too), then tap ✅ Done."),
    ]
    if pages > 1:
        lines.append(page_line(lang, page, pages))
    rows = [[b(("☑️ " if m.user_id in chosen else "▫️ ") + m.full_name[:40], Step.OWNER, m.user_id, page)] for m in shown]
    rows += page_rows(lang, page, pages, lambda p: callback_data(PREFIX, Step.OWNERS.value, p))
    rows.append([b(_("✅ Done ({count})").format(count=format_number(len(chosen), lang)), Step.OWNERS_DONE)])
    rows.append(_cancel(lang))
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def ask_due(lang: str, what: str, names: list[str]) -> tuple[str, InlineKeyboardMarkup]:
    """By when: a week, two weeks, a month, or a typed date."""
    _ = translator(lang).gettext
    lines = [
        f"📌 <b>{clip(what)}</b>",
        "👥 " + ", ".join(escape(shown_name(lang, n)) for n in names),
        "",
        _("By when? Tap or type the date (day-month-year, for example 15-12-2026)."),
    ]
    rows = [[b(_(DUE_LABELS[days]), Step.DUE, days) for days in DUE_CHOICES], _cancel(lang)]
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def problem(lang: str, key: str) -> str:
    """A typed date the step cannot take."""
    return translator(lang).gettext(PROBLEMS[key])


def saved(lang: str, task: Task, reminded: datetime | None, timezone: str) -> tuple[str, InlineKeyboardMarkup]:
    """The task is saved and on its way to its owners."""
    _ = translator(lang).gettext
    lines = [
        _("✅ Task saved: <b>{what}</b>").format(what=clip(task.what)),
        _("👥 Who: {names}").format(names=owner_names(task.owners, lang)),
        _("📅 By: {day}").format(day=format_local_date(task.due_on, lang)),
        "",
        _("Each of them gets it now, with ✅ Done and 🙋 Need help."),
    ]
    if reminded:
        lines.append(_("Those not done yet are reminded on {when}.").format(when=format_when(reminded, timezone, lang)))
    rows = [
        [
            b(_("➕ Another task"), Step.ADD, task.meeting_id),
            b(_("📌 The meeting's tasks"), Step.MEETING, task.meeting_id, 0),
        ],
        _menu(lang),
    ]
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def pick_first(lang: str) -> str:
    """✅ Done with nobody ticked."""
    return translator(lang).gettext("Tick at least one member first.")


def organiser_line(lang: str, counts: TaskFigures) -> str | None:
    """The meeting page's line about its tasks (None when there are none)."""
    if not counts.total:
        return None
    t = translator(lang)
    line = t.ngettext("📌 {count} task handed out", "📌 {count} tasks handed out", counts.total).format(
        count=format_number(counts.total, lang)
    )
    parts = [t.gettext("{count} done").format(count=format_number(counts.done, lang))]
    if counts.late:
        parts.append(t.gettext("{count} overdue").format(count=format_number(counts.late, lang)))
    if counts.help:
        parts.append(t.gettext("{count} need help").format(count=format_number(counts.help, lang)))
    return f"{line}: " + ", ".join(parts)


def add_button(lang: str, meeting_id: int) -> InlineKeyboardButton:
    """➕ Task: hand out a task at the meeting (its page, the notes' summary)."""
    return b(translator(lang).gettext("➕ Task"), Step.ADD, meeting_id)


def organiser_row(lang: str, meeting_id: int, counts: TaskFigures) -> list[InlineKeyboardButton]:
    """➕ Task and 📌 Tasks (n) on the meeting's page."""
    _ = translator(lang).gettext
    row = [add_button(lang, meeting_id)]
    if counts.total:
        row.append(
            b(_("📌 Tasks ({count})").format(count=format_number(counts.total, lang)), Step.MEETING, meeting_id, 0)
        )
    return row


def agenda_lines(lang: str, overdue: list[str]) -> list[str]:
    """The next meeting's agenda item: the overdue tasks of earlier meetings, the first few named."""
    if not overdue:
        return []
    t = translator(lang)
    lines = [
        t.ngettext(
            "📌 {count} overdue task from earlier meetings",
            "📌 {count} overdue tasks from earlier meetings",
            len(overdue),
        ).format(count=format_number(len(overdue), lang))
    ]
    lines += [f"   – {clip(what, 60)}" for what in overdue[:AGENDA_TITLES]]
    if len(overdue) > AGENDA_TITLES:
        more = len(overdue) - AGENDA_TITLES
        lines.append("   " + t.gettext("… and {count} more").format(count=format_number(more, lang)))
    return lines


def meetings_button(lang: str) -> InlineKeyboardButton:
    """📌 Tasks from meetings, on the meetings list of those who hand out tasks."""
    return b(translator(lang).gettext("📌 Tasks from meetings"), Step.MEETINGS, 0)


def digest_part(lang: str, late: int) -> str:
    """A cluster's overdue tasks in the committee's digest."""
    return (
        translator(lang)
        .ngettext("{count} task overdue", "{count} tasks overdue", late)
        .format(count=format_number(late, lang))
    )
