"""What composing, previewing and delivering a broadcast say."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import audience_views
from bot.audience import Audience
from bot.audience_views import PickerChoices, picker
from bot.buttons import callback_data
from bot.delivery_report import figure_lines
from bot.fitting import CAPTION_LIMIT, TEXT_LIMIT
from bot.flows import MENU_BUTTON
from bot.i18n import format_number, format_when, translator
from conversations.broadcasts.rules import PREFIX
from conversations.membership.rules import STAKEHOLDER_TYPES
from conversations.membership.views import stakeholder_label


def _b(label: str, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callback_data(PREFIX, *parts))


def _cancel(lang: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(translator(lang).gettext("Cancel"), callback_data=MENU_BUTTON)]


def _mark(on: bool) -> str:
    return "☑️ " if on else "⬜ "


def audience_screen(lang: str, chosen: Audience, choices: PickerChoices) -> tuple[str, InlineKeyboardMarkup]:
    """Step 1: who receives it (the audience engine's picker)."""
    _ = translator(lang).gettext
    text = _("<b>New broadcast</b> (1/2)\nWho should receive it? Tap to choose, then Done.")
    if chosen.label:
        text += "\n" + _("Chosen: {label}").format(label=escape(chosen.label))
    return text, picker(lang, PREFIX, chosen, choices)


def roles_and_types(lang: str, chosen: Audience) -> tuple[str, InlineKeyboardMarkup]:
    """Roles and stakeholder types to add to the audience."""
    return audience_views.roles_and_types(
        lang, PREFIX, chosen, [(kind, stakeholder_label(lang, kind)) for kind in STAKEHOLDER_TYPES]
    )


def meeting_audiences(
    lang: str, upcoming: list[tuple[int, str]], held: list[tuple[int, str]]
) -> tuple[str, InlineKeyboardMarkup]:
    """A meeting's invitees, those who did not answer its RSVP, or those who did not attend."""
    return audience_views.meeting_people(lang, PREFIX, upcoming, held)


def rsvp_choice(lang: str, upcoming: list[tuple[int, str]]) -> tuple[str, InlineKeyboardMarkup]:
    """Which meeting's RSVP buttons go under the message."""
    _ = translator(lang).gettext
    rows = [[_b(("📅 " + topic)[:60], "btn", meeting_id)] for meeting_id, topic in upcoming]
    rows.append([_b(_("No buttons"), "btn", 0)])
    return _(
        "Put the RSVP buttons of which meeting under the message? Only its invitees get the buttons."
    ), InlineKeyboardMarkup(rows)


def ask_message(lang: str, count: int) -> tuple[str, InlineKeyboardMarkup]:
    """Step 2: the message itself."""
    _ = translator(lang).gettext
    text = _(
        "<b>New broadcast</b> (2/2)\n{count} recipients. Now send the message exactly as they should see it: "
        "text (bold, italic and links are kept), a photo, a document or a voice note."
    ).format(count=count)
    return text, InlineKeyboardMarkup([_cancel(lang)])


def review(
    lang: str,
    count: int,
    muted: int,
    urgent: bool,
    audience_label: str,
    *,
    parts: int = 1,
    can_add_button: bool = False,
    button_topic: str | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    """After the preview: the numbers and the choices."""
    t = translator(lang)
    _ = t.gettext
    lines = [
        _("⬆️ This is how recipients will see it."),
        _("Recipients: {count} ({audience})").format(count=count, audience=escape(audience_label)),
    ]
    if parts > 1:
        lines.append(
            t.ngettext(
                "The text is longer than Telegram's {limit} characters, so it goes out as {count} message, split between paragraphs.",
                "The text is longer than Telegram's {limit} characters, so it goes out as {count} messages, split between paragraphs.",
                parts,
            ).format(limit=format_number(TEXT_LIMIT, lang), count=parts)
        )
    if button_topic:
        lines.append(_("With the RSVP buttons of “{topic}” for its invitees.").format(topic=escape(button_topic)))
    if muted:
        lines.append(
            _("{muted} muted broadcasts and will receive it only if it is urgent.").format(muted=muted)
            if not urgent
            else _("Urgent: it also reaches the {muted} who muted broadcasts.").format(muted=muted)
        )
    keyboard = InlineKeyboardMarkup(
        [
            [_b(_("✅ Send now"), "send")],
            [_b(_("🕐 In 1 hour"), "later", "1h"), _b(_("🌅 Tomorrow 08.00"), "later", "8am")],
            [_b(_mark(urgent) + _("Urgent (reaches everyone)"), "urgent")],
            *([[_b(_("➕ RSVP buttons of a meeting"), "btn")]] if can_add_button else []),
            _cancel(lang),
        ]
    )
    return "\n".join(lines), keyboard


def progress(lang: str, figures: dict[str, int], finished: bool) -> str:
    """The sender's delivery report, edited as delivery goes."""
    _ = translator(lang).gettext
    head = _("📣 Broadcast delivered") if finished else _("📣 Sending the broadcast…")
    lines = [f"<b>{head}</b>", *figure_lines(lang, figures, finished)]
    if finished and figures["unknown"]:
        lines.append(_("Telegram did not confirm those; they may have it already. Send to them again?"))
    return "\n".join(lines)


def progress_keyboard(
    lang: str, broadcast_id: int, figures: dict[str, int], finished: bool
) -> InlineKeyboardMarkup | None:
    """Under the finished report: one button to send again to those it may not have reached."""
    if not finished or not figures["unknown"]:
        return None
    label = translator(lang).ngettext("🔁 Send again to {n} person", "🔁 Send again to {n} people", figures["unknown"])
    return InlineKeyboardMarkup([[_b(label.format(n=figures["unknown"]), "again", broadcast_id)]])


def sending_again(lang: str, count: int) -> str:
    """After tapping Send again."""
    return (
        translator(lang).ngettext("Sending again to {n} person.", "Sending again to {n} people.", count).format(n=count)
    )


def scheduled(lang: str, when, timezone: str, broadcast_id: int) -> tuple[str, InlineKeyboardMarkup]:
    """A broadcast waiting for its time, with Cancel."""
    _ = translator(lang).gettext
    text = _("🕐 Broadcast scheduled for {when}. You can cancel it until then.").format(
        when=format_when(when, timezone, lang)
    )
    return text, InlineKeyboardMarkup([[_b(_("✖️ Cancel this broadcast"), "stop", broadcast_id)]])


def problem(lang: str, key: str) -> str:
    """A short answer to a wrong step."""
    _ = translator(lang).gettext
    texts = {
        "empty_audience": _("Nobody is chosen (or everyone chosen muted broadcasts). Choose at least one recipient."),
        "caption_too_long": _(
            "The caption is too long: Telegram allows {limit} characters under a photo, document or voice note. Send a shorter one."
        ).format(limit=CAPTION_LIMIT),
        "unsupported": _("I can broadcast text, a photo, a document or a voice note. Please send one of those."),
        "already_started": _("Too late: this broadcast has already started."),
        "cancelled": _("The broadcast is cancelled; nothing was sent."),
    }
    return texts[key]


def mute_state(lang: str, muted: bool) -> str:
    """After muting or unmuting."""
    _ = translator(lang).gettext
    return (
        _("🔕 You will receive only urgent broadcasts of this cluster.")
        if muted
        else _("🔔 You will receive every broadcast of this cluster.")
    )
