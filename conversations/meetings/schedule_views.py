"""What scheduling a meeting says: each question, the calendar, the review."""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from typing import Any

from babel.dates import format_date, get_month_names
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.audience import Audience
from bot.audience_views import PickerChoices, picker
from bot.buttons import callback_data
from bot.flows import MENU_BUTTON
from bot.i18n import format_when, translator
from conversations.meetings import rules
from conversations.meetings.labels import kind_label, reminders_label
from conversations.meetings.rules import PREFIX

STEPS = 8


def _head(lang: str, step: int) -> str:
    return translator(lang).gettext("<b>New meeting</b> ({step}/{steps})").format(step=step, steps=STEPS)


def _cancel(lang: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(translator(lang).gettext("Cancel"), callback_data=MENU_BUTTON)]


def ask_kind(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """Step 1: the kind of meeting."""
    _ = translator(lang).gettext
    buttons = [
        InlineKeyboardButton(kind_label(lang, k), callback_data=callback_data(PREFIX, "k", k)) for k in rules.KINDS
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return _head(lang, 1) + "\n" + _("What kind of meeting?"), InlineKeyboardMarkup([*rows, _cancel(lang)])


def ask_topic(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """Step 2: the main topic."""
    _ = translator(lang).gettext
    return _head(lang, 2) + "\n" + _(
        "What is the main topic? (for example: natural dyes, joint marketing)"
    ), InlineKeyboardMarkup([_cancel(lang)])


def ask_date(lang: str, year: int, month: int, today: date) -> tuple[str, InlineKeyboardMarkup]:
    """Step 3: the calendar for one month (or a typed date)."""
    _ = translator(lang).gettext
    month_name = get_month_names("wide", locale=lang)[month]
    rows = [[InlineKeyboardButton(f"{month_name} {year}", callback_data=callback_data(PREFIX, "noop"))]]
    weekdays = [format_date(date(2024, 1, d), "EEEEE", locale=lang) for d in range(1, 8)]  # 1 Jan 2024 was a Monday
    rows.append([InlineKeyboardButton(w, callback_data=callback_data(PREFIX, "noop")) for w in weekdays])
    for week in rules.month_grid(year, month, today):
        row = []
        for cell in week:
            if cell.day is None:
                row.append(InlineKeyboardButton("·", callback_data=callback_data(PREFIX, "noop")))
            elif cell.selectable:
                row.append(
                    InlineKeyboardButton(
                        str(cell.day.day), callback_data=callback_data(PREFIX, "d", cell.day.strftime("%Y%m%d"))
                    )
                )
            else:
                row.append(InlineKeyboardButton("×", callback_data=callback_data(PREFIX, "past")))
        rows.append(row)
    before, after = rules.shift_month(year, month, -1), rules.shift_month(year, month, 1)
    nav = []
    if (year, month) > (today.year, today.month):
        nav.append(InlineKeyboardButton("◀", callback_data=callback_data(PREFIX, "m", f"{before[0]}{before[1]:02d}")))
    nav.append(InlineKeyboardButton("▶", callback_data=callback_data(PREFIX, "m", f"{after[0]}{after[1]:02d}")))
    rows.append(nav)
    rows.append(_cancel(lang))
    text = _head(lang, 3) + "\n" + _("Which day? Tap it, or type it like 23/11/2026.")
    return text, InlineKeyboardMarkup(rows)


def ask_time(lang: str, day_text: str) -> tuple[str, InlineKeyboardMarkup]:
    """Step 4: the time, as buttons or typed HH:MM."""
    _ = translator(lang).gettext
    buttons = [
        InlineKeyboardButton(t, callback_data=callback_data(PREFIX, "t", t.replace(".", "")))
        for t in rules.TIME_BUTTONS
    ]
    rows = [buttons[i : i + 5] for i in range(0, len(buttons), 5)]
    text = (
        _head(lang, 4) + "\n" + _("{day}: at what time does it start? Tap, or type it like 14.30.").format(day=day_text)
    )
    return text, InlineKeyboardMarkup([*rows, _cancel(lang)])


def ask_place(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """Step 5: where."""
    _ = translator(lang).gettext
    return _head(lang, 5) + "\n" + _("Where? (for example: Balai Desa Laweyan)"), InlineKeyboardMarkup([_cancel(lang)])


def ask_location(lang: str) -> tuple[str, ReplyKeyboardMarkup]:
    """Step 5b: an optional map location."""
    _ = translator(lang).gettext
    keyboard = ReplyKeyboardMarkup(
        [[KeyboardButton(_("📍 Send the location"), request_location=True)], [KeyboardButton(_("Skip"))]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
    return _("Add the place on the map? Send a location (📎 → Location), or Skip."), keyboard


def ask_agenda(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """Step 6: the agenda (optional)."""
    _ = translator(lang).gettext
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("Skip"), callback_data=callback_data(PREFIX, "noagenda"))], _cancel(lang)]
    )
    return _head(lang, 6) + "\n" + _("Type the agenda, one item per line, or Skip."), keyboard


def ask_audience(lang: str, chosen: Audience, choices: PickerChoices) -> tuple[str, InlineKeyboardMarkup]:
    """Step 7: who is invited (the audience engine's picker, multi-select)."""
    _ = translator(lang).gettext
    return _head(lang, 7) + "\n" + _("Who is invited? Tap to choose, then Done."), picker(lang, PREFIX, chosen, choices)


def ask_capacity(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """Step 8: an optional capacity."""
    _ = translator(lang).gettext
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("No limit"), callback_data=callback_data(PREFIX, "nocap"))], _cancel(lang)]
    )
    return _head(lang, 8) + "\n" + _("How many people fit? Type a number, or No limit."), keyboard


def review(
    lang: str, draft: dict[str, Any], timezone: str, audience_text: str, invitee_count: int, editing: bool = False
) -> tuple[str, InlineKeyboardMarkup]:
    """The review before the invitations go out, with reminder choices."""
    _ = translator(lang).gettext
    starts = datetime.fromisoformat(draft["starts_at"])
    offsets = tuple(draft.get("reminders", rules.DEFAULT_REMINDERS))
    lines = [
        _("<b>Check the meeting</b>"),
        _("Kind: {value}").format(value=kind_label(lang, draft["kind"])),
        _("Topic: {value}").format(value=escape(draft["topic"])),
        _("When: {value}").format(value=format_when(starts, timezone, lang)),
        _("Where: {value}").format(value=escape(draft["place"]) + (" 📍" if draft.get("latitude") is not None else "")),
    ]
    if draft.get("agenda"):
        lines.append(_("Agenda:") + "\n" + escape(draft["agenda"]))
    lines += [
        _("Invited: {audience} ({count} people)").format(audience=escape(audience_text), count=invitee_count),
        _("Capacity: {value}").format(value=draft["capacity"] if draft.get("capacity") else _("no limit")),
        _("Reminders: {value} before").format(value=reminders_label(lang, offsets)),
        "",
        _("Save the changes and tell the invitees?") if editing else _("Send the invitations?"),
    ]
    toggles = [
        InlineKeyboardButton(
            ("☑️ " if m in offsets else "⬜ ") + reminders_label(lang, (m,)),
            callback_data=callback_data(PREFIX, "rem", m),
        )
        for m in rules.REMINDER_CHOICES
    ]
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("✅ Save and tell the invitees") if editing else _("✅ Send the invitations"),
                    callback_data=callback_data(PREFIX, "create"),
                )
            ],
            *([] if editing else [toggles[:2], toggles[2:]]),
            _cancel(lang),
        ]
    )
    return "\n".join(lines), keyboard


def problem(lang: str, kind: rules.Problem) -> str:
    """Why a typed answer was refused."""
    _ = translator(lang).gettext
    texts = {
        rules.Problem.NOT_A_TIME: _("That is not a time. Type it like 14.30 (hours 0-23, minutes 0-59)."),
        rules.Problem.NOT_A_DATE: _("That is not a date on the calendar. Tap a day, or type it like 23/11/2026."),
        rules.Problem.IN_THE_PAST: _("That moment has already passed. Choose a later day or time."),
        rules.Problem.NOT_A_NUMBER: _("Type a whole number from 1 to 10000, or tap No limit."),
        rules.Problem.EMPTY: _("The answer is empty. Please type it."),
        rules.Problem.TOO_LONG: _("That is too long. Please type a shorter answer."),
    }
    return texts[kind]


def past_day(lang: str) -> str:
    """Toast for a greyed-out day."""
    return translator(lang).gettext("That day has passed. Choose a later day.")


def nobody_invited(lang: str) -> str:
    """Done with nobody chosen."""
    return translator(lang).gettext("Choose at least one group of people first.")


def ask_what_to_change(lang: str, meeting_id: int) -> tuple[str, InlineKeyboardMarkup]:
    """Editing a meeting: the day and time, or the place."""
    _ = translator(lang).gettext
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_("📅 Day and time"), callback_data=callback_data(PREFIX, "ew", "when"))],
            [InlineKeyboardButton(_("📍 Place"), callback_data=callback_data(PREFIX, "ew", "place"))],
            [InlineKeyboardButton(_("« Back to the meeting"), callback_data=callback_data(PREFIX, "open", meeting_id))],
        ]
    )
    return _("What do you want to change? Every invitee will be told."), keyboard


def changes_saved(lang: str) -> str:
    """After saving an edit."""
    return translator(lang).gettext("✅ Changes saved. The invitees are being told.")
