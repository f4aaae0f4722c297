"""What a meeting looks like: the invitation card, reminders, the organiser's view, the list."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.delivery_report import figure_lines
from bot.flows import MENU_BUTTON
from bot.i18n import format_number, format_when, translator
from bot.names import shown_name
from conversations.meetings.labels import attended_line, kind_label, rsvp_label
from conversations.meetings.map_review_views import agenda_item, organiser_button
from conversations.meetings.rules import (
    INVITEE_PAGE,
    PREFIX,
    RSVP_CHOICES,
    UNREACHED,
    InviteeFilter,
    MeetingAction,
    MeetingFigures,
    RsvpProblem,
)
from conversations.tasks import views as task_views
from conversations.tasks.rules import TaskFigures
from storage.meetings import Invitee, Meeting

SOME_NAMES = 5  # names per answer on the organiser's view
ANSWERABLE = 5  # upcoming meetings the meetings list offers the RSVP buttons of (the nearest first)


def _details(
    lang: str, meeting: Meeting, timezone: str, map_review: bool = False, overdue: list[str] | None = None
) -> list[str]:
    _ = translator(lang).gettext
    lines = [
        f"<b>{kind_label(lang, meeting.kind)}: {escape(meeting.topic)}</b>",
        _("When: {value}").format(value=format_when(meeting.starts_at, timezone, lang)),
        _("Where: {value}").format(value=escape(meeting.place)),
    ]
    if meeting.latitude is not None:
        lines.append(
            '<a href="https://maps.google.com/?q={lat},{lon}">{label}</a>'.format(
                lat=meeting.latitude, lon=meeting.longitude, label=_("📍 Open the map")
            )
        )
    if meeting.agenda or map_review or overdue:
        items = [escape(meeting.agenda)] if meeting.agenda else []
        items += [agenda_item(lang)] if map_review else []
        items += task_views.agenda_lines(lang, overdue or [])  # overdue tasks of earlier meetings
        lines.append(_("Agenda:") + "\n" + "\n".join(items))
    return lines


def rsvp_row(lang: str, meeting_id: int, chosen: str | None, *, where: str = "") -> list[InlineKeyboardButton]:
    """Coming / Maybe / Can't come, the chosen one marked; ``where`` is "b" under a broadcast,
    "l" on the meetings list (what the tap shows afterwards), "" on a card or reminder."""
    extra = (where,) if where else ()
    return [
        InlineKeyboardButton(
            ("• " if answer == chosen else "") + rsvp_label(lang, answer),
            callback_data=callback_data(PREFIX, "r", meeting_id, answer, *extra),
        )
        for answer in RSVP_CHOICES
    ]


def rsvp_keyboard(
    lang: str, meeting_id: int, chosen: str | None, *, in_broadcast: bool = False
) -> InlineKeyboardMarkup:
    """Coming / Maybe / Can't come, the chosen one marked. Under a broadcast the buttons carry
    a "b": answering then marks the choice and leaves the broadcast's text as written."""
    return InlineKeyboardMarkup([rsvp_row(lang, meeting_id, chosen, where="b" if in_broadcast else "")])


def invitation_card(
    lang: str,
    meeting: Meeting,
    timezone: str,
    cluster_name: str,
    chosen: str | None,
    *,
    map_review: bool = False,
    overdue: list[str] | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    """The card each invitee receives, with the RSVP buttons (the participant map on the agenda
    when ``map_review``)."""
    _ = translator(lang).gettext
    lines = [
        _("📅 Invitation from {cluster}").format(cluster=escape(cluster_name)),
        "",
        *_details(lang, meeting, timezone, map_review, overdue),
        "",
    ]
    lines.append(_("Your answer: {answer}").format(answer=rsvp_label(lang, chosen)) if chosen else _("Will you come?"))
    return "\n".join(lines), rsvp_keyboard(lang, meeting.id, chosen)


def reminder(
    lang: str,
    meeting: Meeting,
    timezone: str,
    minutes: int,
    chosen: str | None,
    *,
    map_review: bool = False,
    overdue: list[str] | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    """A reminder before the meeting, with the RSVP buttons to change the answer (the participant
    map on the agenda when ``map_review``)."""
    _ = translator(lang).gettext
    if minutes >= 1440:
        head = _("⏰ Reminder: tomorrow's meeting") if minutes == 1440 else _("⏰ Reminder: a meeting next week")
    else:
        head = _("⏰ Reminder: the meeting starts soon")
    return "\n".join([head, "", *_details(lang, meeting, timezone, map_review, overdue)]), rsvp_keyboard(
        lang, meeting.id, chosen
    )


def changed_notice(lang: str, meeting: Meeting, timezone: str, chosen: str | None) -> tuple[str, InlineKeyboardMarkup]:
    """Sent to every invitee when the time or place changed."""
    _ = translator(lang).gettext
    lines = [_("✏️ Meeting changed: please note the new details"), "", *_details(lang, meeting, timezone), ""]
    lines.append(_("Can you still come?"))
    return "\n".join(lines), rsvp_keyboard(lang, meeting.id, chosen)


def rsvp_saved(lang: str, answer: str) -> str:
    """Toast after answering."""
    return translator(lang).gettext("Saved: {answer}").format(answer=rsvp_label(lang, answer))


def already_cancelled(lang: str) -> str:
    """A button (cancel, tick attendance) of a meeting that was called off."""
    return translator(lang).gettext("❌ This meeting was cancelled.")


def rsvp_closed(lang: str) -> str:
    """The meeting started or was cancelled."""
    return translator(lang).gettext("Answers are closed: the meeting has started or was cancelled.")


def not_invited(lang: str) -> str:
    """An RSVP from someone not on the list."""
    return translator(lang).gettext("You are not on the invitation list of this meeting.")


def meeting_full(lang: str) -> str:
    """Capacity reached."""
    return translator(lang).gettext("Sorry, the meeting is full. You can still answer Maybe.")


def rsvp_problem(lang: str, problem: RsvpProblem) -> str:
    """Why an answer was not saved."""
    if problem is RsvpProblem.NOT_INVITED:
        return not_invited(lang)
    return rsvp_closed(lang) if problem is RsvpProblem.CLOSED else meeting_full(lang)


def organiser_view(
    lang: str,
    meeting: Meeting,
    timezone: str,
    invitees: list[Invitee],
    figures: MeetingFigures,
    intro: str | None = None,
    sheet_photos: int = 0,
    map_review: bool = False,
    overdue: list[str] | None = None,
    tasks: TaskFigures | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    """The organiser's view: details (the participant map on the agenda when ``map_review``), answer
    counts and names, unreachable invitees, how many photos of the signed attendance sheet are
    attached, and actions."""
    translation = translator(lang)
    _ = translation.gettext
    counts = {answer: [i for i in invitees if i.rsvp == answer] for answer in RSVP_CHOICES}
    unreachable = [i for i in invitees if i.delivery in UNREACHED]
    lines = [intro, ""] if intro else []
    lines += _details(lang, meeting, timezone, map_review, overdue)
    if meeting.cancelled:
        lines.append(_("❌ This meeting was cancelled."))
    lines.append("")
    lines.append(
        _("Invited: {count}").format(count=figures.invited)
        + (f" · {_('Capacity: {value}').format(value=meeting.capacity)}" if meeting.capacity else "")
    )
    for answer in RSVP_CHOICES:  # a few names each; the invitee list has them all
        lines.append(f"{rsvp_label(lang, answer)}: {len(counts[answer])} ({some_names(counts[answer]) or '-'})")
    lines.append(_("No answer yet: {count}").format(count=figures.no_answer))
    newcomers = [i for i in invitees if i.joined_later]
    if newcomers:
        lines.append(
            _("Joined since it was scheduled: {count} ({names})").format(
                count=format_number(len(newcomers), lang), names=some_names(newcomers)
            )
        )
    if figures.attended:
        lines.append(attended_line(lang, figures))
    if tasks_line := task_views.organiser_line(lang, tasks or TaskFigures()):
        lines.append(tasks_line)
    if sheet_photos:
        lines.append(
            translation.ngettext(
                "📷 {count} photo of the signed sheet attached.",
                "📷 {count} photos of the signed sheet attached.",
                sheet_photos,
            ).format(count=format_number(sheet_photos, lang))
        )
    if unreachable:
        lines.append("")
        lines.append(
            _("⚠️ Not reached by Telegram (blocked the bot or never started it): please contact them another way:")
        )
        lines.append(some_names(unreachable, SOME_NAMES * 2))
    rows = [[invitees_button(lang, meeting.id, InviteeFilter.ALL, len(invitees))]]
    if unreachable:
        rows[0].append(invitees_button(lang, meeting.id, InviteeFilter.NOT_REACHED, len(unreachable)))
    if not meeting.cancelled:
        rows += [
            [
                InlineKeyboardButton(
                    _("✏️ Change day, time or place"), callback_data=callback_data(PREFIX, "edit", meeting.id)
                )
            ],
            [
                InlineKeyboardButton(_("🔳 Check-in QR"), callback_data=callback_data(PREFIX, "qr", meeting.id)),
                InlineKeyboardButton(
                    _("✔️ Tick attendance"), callback_data=callback_data(PREFIX, "tick", meeting.id, 0)
                ),
            ],
            [
                InlineKeyboardButton(
                    _("🖨 Attendance sheet (PDF)"), callback_data=callback_data(PREFIX, "sheet", meeting.id)
                ),
                InlineKeyboardButton(
                    _("📷 Attach photos of the attendance sheet"),
                    callback_data=callback_data(PREFIX, "photos", meeting.id),
                ),
            ],
            [
                InlineKeyboardButton(_("➕ Add a guest"), callback_data=callback_data(PREFIX, "guest", meeting.id)),
                InlineKeyboardButton(
                    _("📝 Notes and decisions"), callback_data=callback_data(PREFIX, "notes", meeting.id)
                ),
            ],
            task_views.organiser_row(lang, meeting.id, tasks or TaskFigures()),  # ➕ Task, 📌 Tasks (n)
            [organiser_button(lang, meeting.id, map_review)],
        ]
    rows.append(
        [
            InlineKeyboardButton(_("📊 Attendance summary"), callback_data=callback_data(PREFIX, "sum", meeting.id)),
            InlineKeyboardButton(_("⬇️ Excel / CSV"), callback_data=callback_data(PREFIX, "exp", meeting.id)),
        ]
    )
    if not meeting.cancelled:
        rows.append(
            [InlineKeyboardButton(_("✖️ Cancel the meeting"), callback_data=callback_data(PREFIX, "cancel", meeting.id))]
        )
    rows.append(
        [
            InlineKeyboardButton(_("« Meetings"), callback_data=callback_data(PREFIX, "list")),
            InlineKeyboardButton(_("« Main menu"), callback_data=MENU_BUTTON),
        ]
    )
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def created_intro(lang: str, count: int) -> str:
    """First line after creating a meeting."""
    return (
        translator(lang).gettext("✅ Meeting saved. Invitations are going out to {count} people.").format(count=count)
    )


def meeting_list(
    lang: str,
    upcoming: list[Meeting],
    past: list[Meeting],
    timezone: str,
    may_schedule: bool,
    may_manage: bool,
    answers: dict[int, str | None] | None = None,
    may_assign: bool = False,
) -> tuple[str, InlineKeyboardMarkup]:
    """The cluster's meetings: upcoming first, then the last few. Each upcoming meeting the person
    is invited to (``answers``: meeting id to their answer) comes with their answer and the RSVP
    buttons to give or change it (``upcoming`` holds only meetings not yet started)."""
    _ = translator(lang).gettext
    answers = answers or {}
    lines = [_("<b>Meetings</b>")]
    rows = []
    answerable = [m.id for m in upcoming if not m.cancelled and m.id in answers][:ANSWERABLE]
    if not upcoming and not past:
        lines.append(_("No meetings yet."))
    for title, group in ((_("Upcoming"), upcoming), (_("Past"), past[-5:])):
        if not group:
            continue
        lines.append(f"\n<b>{title}</b>")
        for meeting in group:
            mark = "❌ " if meeting.cancelled else ""
            when = format_when(meeting.starts_at, timezone, lang)
            lines.append(f"• {mark}{when}: {escape(meeting.topic)}")
            answering = group is upcoming and meeting.id in answerable
            if answering:
                chosen = answers[meeting.id]
                lines.append(
                    "   "
                    + (
                        _("Your answer: {answer}").format(answer=rsvp_label(lang, chosen))
                        if chosen
                        else _("Will you come?")
                    )
                )
            if may_manage or answering:
                action = "open" if may_manage else MeetingAction.CARD
                short_when = when.rsplit(" ", 1)[0]  # the zone is in the text above
                label = f"{'' if may_manage else '📅 '}{short_when} {meeting.topic}"[:60]
                rows.append([InlineKeyboardButton(label, callback_data=callback_data(PREFIX, action, meeting.id))])
            if answering:
                rows.append(rsvp_row(lang, meeting.id, answers[meeting.id], where="l"))
    if may_schedule:
        rows.insert(0, [InlineKeyboardButton(_("➕ Schedule a meeting"), callback_data=callback_data(PREFIX, "new"))])
    if may_assign:
        rows.append([task_views.meetings_button(lang)])
    rows.append([InlineKeyboardButton(_("📋 My attendance"), callback_data=callback_data(PREFIX, "mine"))])
    rows.append([InlineKeyboardButton(_("« Main menu"), callback_data=MENU_BUTTON)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def cancelled_notice(lang: str, meeting: Meeting, timezone: str) -> str:
    """Sent to every invitee when a meeting is called off."""
    _ = translator(lang).gettext
    return "\n".join([_("❌ Meeting cancelled"), "", *_details(lang, meeting, timezone)])


def confirm_cancel(lang: str, meeting_id: int, invited: int, coming: int) -> tuple[str, InlineKeyboardMarkup]:
    """Are you sure? How many said they will come, of those invited; every invitee is told."""
    translation = translator(lang)
    _ = translation.gettext
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("Yes, cancel it and tell everyone"), callback_data=callback_data(PREFIX, "cancelyes", meeting_id)
                )
            ],
            [InlineKeyboardButton(_("No, keep it"), callback_data=callback_data(PREFIX, "open", meeting_id))],
        ]
    )
    text = translation.ngettext(
        "Cancel this meeting? {coming} of {invited} invitee said they will come. Every invitee will be told.",
        "Cancel this meeting? {coming} of {invited} invitees said they will come. Every invitee will be told.",
        invited,
    ).format(coming=format_number(coming, lang), invited=format_number(invited, lang))
    return text, keyboard


def invite_report(
    lang: str, meeting: Meeting, unreachable: list[Invitee], figures: dict[str, int]
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Sent to the organiser once the invitations went out: the figures of the delivery report, the
    first of those not reached, and a button to the whole list of them."""
    _ = translator(lang).gettext
    lines = [
        _("📨 Invitations for “{topic}”: {count} delivered.").format(
            topic=escape(meeting.topic), count=figures["sent"]
        ),
        *figure_lines(lang, figures, done=True),
    ]
    if not unreachable:
        return "\n".join(lines), None
    lines.append(_("⚠️ Not reached by Telegram (blocked the bot or never started it): please contact them another way:"))
    shown = unreachable[:INVITEE_PAGE]
    lines += [
        f"• {escape(shown_name(lang, i.full_name))}" + (f" ({escape(i.small_group)})" if i.small_group else "")
        for i in shown
    ]
    if len(unreachable) > len(shown):
        lines.append(_("… and {count} more").format(count=format_number(len(unreachable) - len(shown), lang)))
    keyboard = InlineKeyboardMarkup([[invitees_button(lang, meeting.id, InviteeFilter.NOT_REACHED, len(unreachable))]])
    return "\n".join(lines), keyboard


def notice_report(lang: str, meeting: Meeting, *, cancelled: bool, figures: dict[str, int]) -> str:
    """Sent to the organiser once a change or cancellation notice went out: the delivery report."""
    _ = translator(lang).gettext
    head = (_("❌ Cancellation notices for “{topic}”") if cancelled else _("✏️ Change notices for “{topic}”")).format(
        topic=escape(meeting.topic)
    )
    return "\n".join([f"<b>{head}</b>", *figure_lines(lang, figures, done=True)])


def some_names(invitees: list[Invitee], limit: int = SOME_NAMES) -> str:
    """The first few names, shortened, with "…" when there are more."""
    names = [escape(i.full_name if len(i.full_name) <= 30 else i.full_name[:29] + "…") for i in invitees[:limit]]
    return ", ".join(names) + (" …" if len(invitees) > limit else "")


def invitees_button(lang: str, meeting_id: int, chosen: InviteeFilter, count: int) -> InlineKeyboardButton:
    """The button to the invitee list (all of them, or those not reached)."""
    _ = translator(lang).gettext
    label = _("👥 Invitees ({count})") if chosen is InviteeFilter.ALL else _("⚠️ Not reached ({count})")
    return InlineKeyboardButton(
        label.format(count=format_number(count, lang)),
        callback_data=callback_data(PREFIX, "inv", meeting_id, chosen, 0),
    )
