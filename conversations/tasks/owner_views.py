"""What an owner sees: the task as it arrives, its reminder, Done and Need help, the notices to
whoever handed it out, and one's own open tasks."""

from __future__ import annotations

from datetime import date
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.i18n import format_local_date, format_number, translator
from bot.menu import MENU_BUTTON
from bot.names import shown_name
from bot.page_buttons import page_line, page_rows
from bot.paging import page_of
from conversations.tasks.rules import PREFIX, TASK_PAGE, Step, is_overdue
from conversations.tasks.views import b, clip
from storage.tasks import Task


def answer_row(lang: str, task_id: int) -> list[InlineKeyboardButton]:
    """✅ Done / 🙋 Need help under a task."""
    _ = translator(lang).gettext
    return [b(_("✅ Done"), Step.DONE, task_id), b(_("🙋 Need help"), Step.HELP, task_id)]


def _about(lang: str, task: Task, owner_id: int) -> list[str]:
    _ = translator(lang).gettext
    lines = [
        f"<b>{clip(task.what, 300)}</b>",
        _("📅 By: {day}").format(day=format_local_date(task.due_on, lang)),
        _("📅 From the meeting: {topic}").format(topic=escape(task.meeting_topic)),
    ]
    others = [o for o in task.owners if o.user_id != owner_id]
    if others:
        names = ", ".join(escape(shown_name(lang, o.full_name)) for o in others)
        lines.append(_("👥 Together with: {names}").format(names=names))
    return lines


def task_card(lang: str, task: Task, owner_id: int, assigner: str) -> tuple[str, InlineKeyboardMarkup]:
    """The task as each owner receives it, with ✅ Done / 🙋 Need help."""
    _ = translator(lang).gettext
    lines = [
        _("📌 <b>A task for you</b> from {name}").format(name=escape(shown_name(lang, assigner))),
        "",
        *_about(lang, task, owner_id),
        "",
        _("Tap ✅ Done when it is done, or 🙋 Need help."),
    ]
    return "\n".join(lines), InlineKeyboardMarkup([answer_row(lang, task.id)])


def reminder(lang: str, task: Task, owner_id: int) -> tuple[str, InlineKeyboardMarkup]:
    """The day before the due day, to an owner who has not done it."""
    _ = translator(lang).gettext
    lines = [_("⏰ <b>Reminder: a task is due tomorrow</b>"), "", *_about(lang, task, owner_id)]
    return "\n".join(lines), InlineKeyboardMarkup([answer_row(lang, task.id)])


def done_recorded(lang: str, task: Task) -> tuple[str, InlineKeyboardMarkup]:
    """After ✅ Done (also when the same tap comes again)."""
    _ = translator(lang).gettext
    text = _("✅ Recorded as done: <b>{what}</b>. Thank you! Whoever handed it out is told.").format(
        what=clip(task.what)
    )
    return text, InlineKeyboardMarkup([[b(_("📌 My tasks"), Step.MINE, 0)], _menu(lang)])


def ask_note(lang: str, task: Task) -> tuple[str, InlineKeyboardMarkup]:
    """After 🙋 Need help: an optional short note."""
    _ = translator(lang).gettext
    text = _("🙋 <b>{what}</b>\n\nWhat do you need help with? Type a short note, or tap Skip.").format(
        what=clip(task.what)
    )
    return text, InlineKeyboardMarkup([[b(_("Skip"), Step.SKIP)]])


def help_recorded(lang: str, task: Task) -> tuple[str, InlineKeyboardMarkup]:
    """The request for help is recorded and on its way."""
    _ = translator(lang).gettext
    text = _("🙋 Your request for help with <b>{what}</b> goes to whoever handed it out.").format(what=clip(task.what))
    return text, InlineKeyboardMarkup([answer_row(lang, task.id), [b(_("📌 My tasks"), Step.MINE, 0)]])


def done_notice(lang: str, task: Task, owner: str) -> str:
    """To whoever handed the task out: one owner has done it."""
    _ = translator(lang).gettext
    return _("✅ {name} has done the task: <b>{what}</b> (meeting “{topic}”)").format(
        name=escape(shown_name(lang, owner)), what=clip(task.what), topic=escape(task.meeting_topic)
    )


def help_notice(lang: str, task: Task, owner: str, note: str | None) -> str:
    """To whoever handed the task out: one owner needs help."""
    _ = translator(lang).gettext
    text = _("🙋 {name} needs help with the task: <b>{what}</b> (meeting “{topic}”)").format(
        name=escape(shown_name(lang, owner)), what=clip(task.what), topic=escape(task.meeting_topic)
    )
    return text + ("\n" + _("Note: {note}").format(note=escape(note)) if note else "")


def already_done(lang: str) -> str:
    """🙋 on a task one has already done."""
    return translator(lang).gettext("This task is already recorded as done.")


def _menu(lang: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(translator(lang).gettext("« Main menu"), callback_data=MENU_BUTTON)]


def my_tasks(lang: str, tasks: list[Task], owner_id: int, today: date, page: int) -> tuple[str, InlineKeyboardMarkup]:
    """One's own open tasks, the nearest due first, each with ✅ / 🙋, paged."""
    t = translator(lang)
    _ = t.gettext
    shown, page, pages = page_of(list(enumerate(tasks, 1)), page, TASK_PAGE)
    lines = [_("<b>📌 My tasks</b>")]
    if tasks:
        lines.append(
            t.ngettext("{count} task not done yet.", "{count} tasks not done yet.", len(tasks)).format(
                count=format_number(len(tasks), lang)
            )
        )
    else:
        lines.append(_("No open tasks. Tasks handed out to you at meetings show here."))
    if pages > 1:
        lines.append(page_line(lang, page, pages))
    rows = []
    for number, task in shown:
        mine = task.owner(owner_id)
        due = format_local_date(task.due_on, lang) + (" · " + _("⚠️ overdue") if is_overdue(task, today) else "")
        help_mark = " · 🙋" if mine and mine.status == "help" else ""
        lines += [
            "",
            f"{number}. <b>{clip(task.what)}</b>",
            f"   📅 {due}{help_mark}",
            f"   🗓 {escape(task.meeting_topic)}",
        ]
        rows.append(
            [
                b(_("✅ {number}. Done").format(number=number), Step.DONE, task.id),
                b(_("🙋 {number}. Need help").format(number=number), Step.HELP, task.id),
            ]
        )
    rows += page_rows(lang, page, pages, lambda p: callback_data(PREFIX, Step.MINE.value, p))
    rows.append(_menu(lang))
    return "\n".join(lines), InlineKeyboardMarkup(rows)
