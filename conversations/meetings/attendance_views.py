"""What check-in, the tick list, guests, notes, the summary and the history say."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.flows import MENU_BUTTON
from bot.i18n import format_day, format_number, format_when, translator
from bot.names import shown_name
from bot.page_buttons import page_line, page_rows
from bot.paging import page_of
from conversations.meetings.attendance_sheet import AttendanceSheet
from conversations.meetings.labels import attended_line, kind_label, rsvp_label
from conversations.meetings.rules import (
    INVITEE_PAGE,
    PREFIX,
    UNREACHED,
    WALK_IN_ROWS,
    CheckinProblem,
    InviteeFilter,
    MeetingFigures,
    invitee_shown,
    sheet_order,
)
from conversations.membership.rules import STAKEHOLDER_TYPES
from conversations.membership.views import stakeholder_label
from conversations.tasks import views as task_views
from storage.meetings import Invitee, Meeting

TICK_PAGE = 10


def _back(lang: str, meeting_id: int) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(
            translator(lang).gettext("« Back to the meeting"), callback_data=callback_data(PREFIX, "open", meeting_id)
        )
    ]


def checked_in(lang: str, meeting: Meeting, first_time: bool) -> str:
    """After a check-in by link."""
    _ = translator(lang).gettext
    if first_time:
        return _("✅ You are checked in for “{topic}”. Welcome!").format(topic=escape(meeting.topic))
    return _("You were already checked in for “{topic}”.").format(topic=escape(meeting.topic))


def checkin_refused(lang: str, problem: CheckinProblem, meeting: Meeting, timezone: str) -> str:
    """Why a check-in link did not work."""
    _ = translator(lang).gettext
    if problem is CheckinProblem.TOO_EARLY:
        return _("Check-in opens one hour before the meeting ({when}).").format(
            when=format_when(meeting.starts_at, timezone, lang)
        )
    if problem is CheckinProblem.TOO_LATE:
        return _("Check-in for this meeting has closed.")
    if problem is CheckinProblem.CANCELLED:
        return _("This meeting was cancelled.")
    return _("This check-in link belongs to a cluster you are not a member of.")


def unknown_checkin(lang: str) -> str:
    """A check-in link with an unknown code."""
    return translator(lang).gettext("This check-in link is not valid. Ask the facilitator to show the QR code again.")


def checkin_qr_caption(lang: str, meeting: Meeting, timezone: str, link: str) -> str:
    """Caption of the check-in QR image."""
    _ = translator(lang).gettext
    return _("Check-in for “{topic}”, {when}. Scan with the phone camera, or open: {link}").format(
        topic=escape(meeting.topic), when=format_when(meeting.starts_at, timezone, lang), link=escape(link)
    )


def tick_list(lang: str, meeting: Meeting, invitees: list[Invitee], page: int) -> tuple[str, InlineKeyboardMarkup]:
    """Invitees with a tick each: tap to mark present (for members without a phone, or from the signed
    sheet: the same order and numbers as the printed attendance sheet)."""
    _ = translator(lang).gettext
    numbered = list(enumerate(sheet_order(invitees), start=1))
    shown, page, pages = page_of(numbered, page, TICK_PAGE)
    rows = [
        [
            InlineKeyboardButton(
                f"{number}. " + ("✅ " if i.checked_in else "⬜ ") + shown_name(lang, i.full_name)[:40],
                callback_data=callback_data(PREFIX, "tk", meeting.id, i.user_id, page),
            )
        ]
        for number, i in shown
    ]
    rows += page_rows(lang, page, pages, lambda number: callback_data(PREFIX, "tick", meeting.id, number))
    rows.append(_back(lang, meeting.id))
    present = sum(1 for i in invitees if i.checked_in)
    text = "\n".join(
        [
            _("<b>Attendance: {topic}</b>").format(topic=escape(meeting.topic)),
            _("Tap a name to mark them present (or not). Present: {present}/{count}").format(
                present=present, count=len(invitees)
            ),
            _("The numbers are those of the printed attendance sheet."),
            page_line(lang, page, pages),
        ]
    )
    return text, InlineKeyboardMarkup(rows)


def attendance_sheet(
    lang: str,
    meeting: Meeting,
    timezone: str,
    cluster_name: str,
    invitees: list[Invitee],
    link: str,
    signer: str,
) -> AttendanceSheet:
    """The printed attendance sheet's texts: the invitees in the tick list's order and numbers, then
    empty numbered rows for walk-in guests; the check-in link for the QR code; ``signer`` signs it."""
    _ = translator(lang).gettext
    day = format_day(meeting.starts_at, timezone, lang)
    at = format_when(meeting.starts_at, timezone, lang).rsplit(", ", 1)[-1]  # "14.00 WIB"
    kind = kind_label(lang, meeting.kind)
    ordered = sheet_order(invitees)
    rows = [
        [
            format_number(number, lang),
            shown_name(lang, i.full_name),
            i.small_group or "-",
            stakeholder_label(lang, i.stakeholder_type),
        ]
        for number, i in enumerate(ordered, start=1)
    ]
    rows += [[format_number(number, lang), "", "", ""] for number in range(len(rows) + 1, len(rows) + 1 + WALK_IN_ROWS)]
    return AttendanceSheet(
        title=_("Attendance sheet"),
        cluster_line=cluster_name,
        details=[
            (_("Meeting"), kind),
            (_("Topic"), meeting.topic),
            (_("Day, date"), day),
            (_("Time"), at),
            (_("Place"), meeting.place),
        ],
        link=link,
        scan_line=_("Have a phone? Scan to check yourself in"),
        headers=[_("No."), _("Name"), _("Small group"), _("Stakeholder type"), _("Signature")],
        rows=rows,
        signer_heading=_("Facilitator"),
        signer_lines=[_("Name: {name}").format(name=signer), _("Date: {day}").format(day=day)],
        running_head=f"{_('Attendance sheet')} · {kind} · {day}",
        footer=_("Page {page} of {pages}"),
    )


def sheet_caption(lang: str, meeting: Meeting, invited: int) -> str:
    """Caption under the attendance sheet PDF."""
    translation = translator(lang)
    return translation.ngettext(
        "🖨 Attendance sheet for “{topic}”: {count} invitee, with empty rows for guests. Print it, let "
        "everyone sign, then attach a photo of it to the meeting.",
        "🖨 Attendance sheet for “{topic}”: {count} invitees, with empty rows for guests. Print it, let "
        "everyone sign, then attach a photo of it to the meeting.",
        invited,
    ).format(topic=escape(meeting.topic), count=format_number(invited, lang))


def ask_sheet_photos(lang: str, meeting: Meeting, count: int) -> tuple[str, InlineKeyboardMarkup]:
    """Send the photo(s) of the signed sheet."""
    _ = translator(lang).gettext
    lines = [
        _("📷 Send a photo of the signed attendance sheet of “{topic}”, one page a photo.").format(
            topic=escape(meeting.topic)
        )
    ]
    if count:
        lines.append(sheet_photos_line(lang, count))
    return "\n".join(lines), InlineKeyboardMarkup([_photos_done(lang, meeting.id)])


def _photos_done(lang: str, meeting_id: int) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(
            translator(lang).gettext("✅ Done, back to the meeting"),
            callback_data=callback_data(PREFIX, "open", meeting_id),
        )
    ]


def sheet_photos_line(lang: str, count: int) -> str:
    """How many photos of the signed sheet the meeting has."""
    return (
        translator(lang)
        .ngettext(
            "📷 {count} photo of the signed sheet attached.", "📷 {count} photos of the signed sheet attached.", count
        )
        .format(count=format_number(count, lang))
    )


def sheet_photo_saved(lang: str, meeting_id: int, count: int) -> tuple[str, InlineKeyboardMarkup]:
    """After each photo: how many there are now, and the way back."""
    _ = translator(lang).gettext
    text = "\n".join([sheet_photos_line(lang, count), _("Send another page, or tap Done.")])
    return text, InlineKeyboardMarkup([_photos_done(lang, meeting_id)])


def sheet_photo_please(lang: str, meeting_id: int) -> tuple[str, InlineKeyboardMarkup]:
    """Something other than a photo while photos of the sheet are awaited."""
    _ = translator(lang).gettext
    return _("Please send a photo of the signed sheet, or tap Done."), InlineKeyboardMarkup(
        [_photos_done(lang, meeting_id)]
    )


def sheet_photo_stem(lang: str, position: int) -> str:
    """A photo's name in the attendance download, without extension: ``daftar-hadir-1``."""
    return translator(lang).gettext("attendance-sheet-{position}").format(position=position)


def _filter_label(lang: str, chosen: InviteeFilter) -> str:
    _ = translator(lang).gettext
    names = {
        InviteeFilter.ALL: _("All"),
        InviteeFilter.NO_ANSWER: _("No answer yet"),
        InviteeFilter.PRESENT: _("Present"),
        InviteeFilter.NOT_REACHED: _("Not reached"),
    }
    return names.get(chosen) or rsvp_label(lang, chosen.value)


def invitee_list(
    lang: str, meeting: Meeting, invitees: list[Invitee], chosen: InviteeFilter, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    """A page of the invitees with their answer and attendance, filtered by answer, presence or
    delivery: ✅ present, ⚠️ not reached by Telegram."""
    _ = translator(lang).gettext
    matching = [i for i in invitees if invitee_shown(chosen, i.rsvp, i.checked_in, i.delivery)]
    shown, page, pages = page_of(matching, page, INVITEE_PAGE)
    lines = [
        _("<b>Invitees: {topic}</b>").format(topic=escape(meeting.topic)),
        f"{_filter_label(lang, chosen)}: {format_number(len(matching), lang)} · {page_line(lang, page, pages)}",
        "",
    ]
    first = page * INVITEE_PAGE + 1
    for number, invitee in enumerate(shown, start=first):
        mark = "✅" if invitee.checked_in else "⚠️" if invitee.delivery in UNREACHED else "·"
        group = f" ({escape(invitee.small_group)})" if invitee.small_group else ""
        lines.append(
            f"{format_number(number, lang)}. {mark} <b>{escape(shown_name(lang, invitee.full_name))}</b>{group} · {rsvp_label(lang, invitee.rsvp)}"
        )
    if not matching:
        lines.append(_("Nobody on this list."))
    layout = (
        (InviteeFilter.ALL, InviteeFilter.NO_ANSWER),
        (InviteeFilter.COMING, InviteeFilter.MAYBE, InviteeFilter.NOT_COMING),
        (InviteeFilter.PRESENT, InviteeFilter.NOT_REACHED),
    )
    rows = [
        [
            InlineKeyboardButton(
                ("• " if f is chosen else "") + _filter_label(lang, f),
                callback_data=callback_data(PREFIX, "inv", meeting.id, f, 0),
            )
            for f in row
        ]
        for row in layout
    ]
    rows += page_rows(lang, page, pages, lambda number: callback_data(PREFIX, "inv", meeting.id, chosen, number))
    rows.append(_back(lang, meeting.id))
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def ask_guest_name(lang: str, meeting_id: int) -> tuple[str, InlineKeyboardMarkup]:
    """A walk-in guest's name."""
    _ = translator(lang).gettext
    return _("Type the guest's name (and office, if any), for example: Ibu Ratna, Bank BPD."), InlineKeyboardMarkup(
        [_back(lang, meeting_id)]
    )


def ask_guest_type(lang: str, name: str, meeting_id: int) -> tuple[str, InlineKeyboardMarkup]:
    """The guest's stakeholder type."""
    _ = translator(lang).gettext
    buttons = [
        InlineKeyboardButton(stakeholder_label(lang, key), callback_data=callback_data(PREFIX, "gt", key))
        for key in STAKEHOLDER_TYPES
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return _("What kind of participant is {name}?").format(name=escape(name)), InlineKeyboardMarkup(
        [*rows, _back(lang, meeting_id)]
    )


def guest_added(lang: str, name: str) -> str:
    """After adding a guest."""
    return translator(lang).gettext("✅ Guest added: {name}").format(name=escape(name))


def ask_notes(lang: str, meeting_id: int) -> tuple[str, InlineKeyboardMarkup]:
    """The notes of the meeting."""
    _ = translator(lang).gettext
    return _("Type the notes of the meeting: what was discussed."), InlineKeyboardMarkup([_back(lang, meeting_id)])


def ask_decisions(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """The decisions taken."""
    _ = translator(lang).gettext
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("No decisions"), callback_data=callback_data(PREFIX, "nodec"))]]
    )
    return _("Type the decisions taken, one per line (who does what, by when), or tap No decisions."), keyboard


def summary(lang: str, meeting: Meeting, timezone: str, figures: MeetingFigures) -> tuple[str, InlineKeyboardMarkup]:
    """The attendance summary, notes and decisions, with a button for the next meeting."""
    _ = translator(lang).gettext
    rate = format_number(round(figures.rate * 100, 1), lang)
    lines = [
        _("<b>Attendance summary</b>"),
        f"{kind_label(lang, meeting.kind)}: {escape(meeting.topic)}",
        format_when(meeting.starts_at, timezone, lang),
        "",
        _("Invited: {count}").format(count=figures.invited),
        _("Said they would come: {count} (maybe: {maybe}, can't: {no})").format(
            count=figures.coming, maybe=figures.maybe, no=figures.cant
        ),
        attended_line(lang, figures),
        _("Attendance rate: {rate}%").format(rate=rate),
    ]
    if meeting.notes:
        lines += ["", _("<b>Notes</b>"), escape(meeting.notes)]
    if meeting.decisions:
        lines += ["", _("<b>Decisions</b>"), escape(meeting.decisions)]
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_("📅 Announce the next meeting"), callback_data=callback_data(PREFIX, "new"))],
            [task_views.add_button(lang, meeting.id)],  # tasks from the notes' decisions
            _back(lang, meeting.id),
        ]
    )
    return "\n".join(lines), keyboard


def history(lang: str, rows: list[tuple[Meeting, str | None, bool]], timezone: str) -> tuple[str, InlineKeyboardMarkup]:
    """A member's own attendance history."""
    _ = translator(lang).gettext
    lines = [_("<b>My attendance</b>")]
    if not rows:
        lines.append(_("No meetings yet."))
    for meeting, answer, attended in rows[-20:]:
        mark = "✅" if attended else ("❌" if meeting.cancelled else "·")
        lines.append(
            f"{mark} {format_when(meeting.starts_at, timezone, lang)}: {escape(meeting.topic)} ({rsvp_label(lang, answer)})"
        )
    attended_count = sum(1 for _m, _a, present in rows if present)
    lines.append("")
    lines.append(_("Attended {count} of {total} meetings.").format(count=attended_count, total=len(rows)))
    return "\n".join(lines), InlineKeyboardMarkup([[InlineKeyboardButton(_("« Main menu"), callback_data=MENU_BUTTON)]])


def export_headers(lang: str) -> list[str]:
    """Columns of the attendance download."""
    _ = translator(lang).gettext
    return [_("Name"), _("Small group"), _("Invited"), _("Answer"), _("Attended"), _("Type")]


def yes_no(lang: str, value: bool) -> str:
    """Yes or No in a cell."""
    _ = translator(lang).gettext
    return _("Yes") if value else _("No")


def walk_in_label(lang: str) -> str:
    """How members who came without an invitation are marked in the download."""
    return translator(lang).gettext("without an invitation")


def guest_label(lang: str) -> str:
    """How guests are marked in the download."""
    return translator(lang).gettext("guest")


def export_caption(lang: str, meeting: Meeting) -> str:
    """Caption under the attendance files."""
    return translator(lang).gettext("Attendance: {topic}").format(topic=escape(meeting.topic))


def export_zip_caption(lang: str, meeting: Meeting, packed: int, missing: int) -> str:
    """Caption under the ZIP of the attendance with the photos of the signed sheet: how many it holds, and
    how many Telegram no longer gave (gone, too big, or past the 50 MB a bot may send)."""
    translation = translator(lang)
    lines = [
        translation.ngettext(
            "Attendance: {topic}, with {count} photo of the signed sheet.",
            "Attendance: {topic}, with {count} photos of the signed sheet.",
            packed,
        ).format(topic=escape(meeting.topic), count=format_number(packed, lang))
    ]
    if missing:
        lines.append(
            translation.ngettext(
                "{count} photo could not be fetched from Telegram and is not in the ZIP.",
                "{count} photos could not be fetched from Telegram and are not in the ZIP.",
                missing,
            ).format(count=format_number(missing, lang))
        )
    return "\n".join(lines)


def sheet_file_prefix(lang: str) -> str:
    """The start of the printed sheet's file name, so the download says what it is."""
    return translator(lang).gettext("attendance-sheet")
