"""What the participant map's review at a meeting looks like: the organiser's screen, the letter the
invitees get the day before, the question of what changed, and the map's history."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.i18n import format_day, format_number, format_when, translator
from conversations.meetings.map_review_rules import FIGURES, HISTORY_SHOWN
from conversations.meetings.map_review_rules import Step as ReviewStep
from conversations.meetings.rules import PREFIX, MeetingAction
from conversations.supporters.rules import PREFIX as SUPPORTERS_PREFIX
from conversations.supporters.rules import Step
from storage.map_reviews import MapReview
from storage.meetings import Meeting

SUPPORTERS_HOME = callback_data(SUPPORTERS_PREFIX, Step.HOME.value)  # the supporters' list, by need
SHORT_CHANGES = 160  # characters of "what changed" on the history screen


def agenda_item(lang: str) -> str:
    """The agenda's line for the review, as the guideline names it."""
    return translator(lang).gettext("🗺 Checking the participant map")


def _button(label: str, action: MeetingAction, meeting_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callback_data(PREFIX, action.value, meeting_id))


def _signed(number: int, lang: str) -> str:
    return ("+" if number > 0 else "") + format_number(number, lang)


def figures_line(lang: str, figures: dict[str, int], moved: dict[str, int] | None = None) -> str:
    """ "24 firms (+3) · 96 workers (+10) · 12 links (+2) · 6 supporters (0)"."""
    ngettext = translator(lang).ngettext
    words = {
        "firms": ngettext("{count} firm", "{count} firms", figures.get("firms", 0)),
        "workers": ngettext("{count} worker", "{count} workers", figures.get("workers", 0)),
        "links": ngettext("{count} link in the chain", "{count} links in the chain", figures.get("links", 0)),
        "supporters": ngettext("{count} supporter", "{count} supporters", figures.get("supporters", 0)),
    }
    parts = []
    for name in FIGURES:
        part = words[name].format(count=format_number(figures.get(name, 0), lang))
        if moved is not None:
            part += f" ({_signed(moved[name], lang)})"
        parts.append(part)
    return " · ".join(parts)


def review_screen(
    lang: str,
    meeting: Meeting,
    timezone: str,
    review: MapReview,
    figures: dict[str, int],
    moved: dict[str, int] | None,
    intro: str | None = None,
    *,
    started: bool = False,
) -> tuple[str, InlineKeyboardMarkup]:
    """The organiser's screen of the map on the meeting's agenda: when the invitees get it, the map
    now (and since the last review), what was recorded; record, history, the picture, back."""
    _ = translator(lang).gettext
    lines = [intro, ""] if intro else []
    lines += [f"<b>{agenda_item(lang)}</b> · {escape(meeting.topic)}", format_when(meeting.starts_at, timezone, lang)]
    lines.append("")
    if review.recorded and review.reviewed_at is not None:
        lines.append(_("✅ Recorded on {day}.").format(day=format_day(review.reviewed_at, timezone, lang)))
        lines.append(_("What changed: {changes}").format(changes=escape(review.changes) if review.changes else "-"))
        lines.append(figures_line(lang, review.figures))
    else:
        lines.append(_("It is on this meeting's agenda. The invitees get the map a day before."))
        lines.append("")
        lines.append(_("The map now:"))
        lines.append(figures_line(lang, figures, moved))
        if moved is not None:
            lines.append(_("(in brackets: since the last review)"))
        lines.append("")
        lines.append(_("After the meeting, record what changed."))
    rows = []
    if not review.recorded and started:
        rows.append([_button(_("📝 Record what changed"), MeetingAction.MAP_NOTE, meeting.id)])
    rows.append(
        [
            _button(_("🔗 The value chain"), MeetingAction.MAP_VIEW, meeting.id),
            _button(_("🕓 The map's history"), MeetingAction.MAP_HISTORY, meeting.id),
        ]
    )
    rows.append([_button(_("« Back to the meeting"), MeetingAction.OPEN, meeting.id)])
    return "\n".join(line for line in lines if line is not None), InlineKeyboardMarkup(rows)


def letter_before(
    lang: str, meeting: Meeting, timezone: str, figures: dict[str, int], *, picture: bool = False
) -> tuple[str, InlineKeyboardMarkup]:
    """What each invitee gets the day before: the map is on the agenda, the map now, bring changes (the
    caption of the value chain's picture when ``picture``; else a text with the picture a tap away)."""
    _ = translator(lang).gettext
    lines = [
        _("🗺 The meeting <b>{topic}</b> ({when}) will check the cluster's participant map.").format(
            topic=escape(meeting.topic), when=format_when(meeting.starts_at, timezone, lang)
        ),
        "",
        _("The map now:"),
        figures_line(lang, figures),
        "",
        _(
            "Is something out of date (a new firm, more workers, a new buyer or supplier, a helper)? Bring it to the meeting."
        ),
    ]
    row = [InlineKeyboardButton(_("🤝 Supporters"), callback_data=SUPPORTERS_HOME)]
    if not picture:
        row.insert(0, _button(_("🔗 See the value chain"), MeetingAction.MAP_VIEW, meeting.id))
    return "\n".join(lines), InlineKeyboardMarkup([row])


def copy_caption(lang: str, meeting: Meeting, count: int) -> str:
    """The facilitator's copy of the map the invitees get."""
    return (
        translator(lang)
        .ngettext(
            "🗺 This map goes to the {count} invitee of <b>{topic}</b> who did not decline.",
            "🗺 This map goes to the {count} invitees of <b>{topic}</b> who did not decline.",
            count,
        )
        .format(count=format_number(count, lang), topic=escape(meeting.topic))
    )


def ask_changes(lang: str, meeting_id: int) -> tuple[str, InlineKeyboardMarkup]:
    """Ask what changed at the review."""
    _ = translator(lang).gettext
    text = _(
        "What changed on the participant map? For example: two new firms, a new buyer from Solo.\n"
        "Type it, or tap ✅ No changes."
    )
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_("✅ No changes"), callback_data=callback_data(PREFIX, "mapnone", meeting_id))],
            [_button(_("« Back to the meeting"), MeetingAction.OPEN, meeting_id)],
        ]
    )
    return text, keyboard


def not_started(lang: str) -> str:
    """📝 tapped before the meeting began."""
    return translator(lang).gettext("The meeting has not started yet: record what changed once it has.")


def changes_too_long(lang: str, limit: int) -> str:
    """What changed was empty or too long."""
    return (
        translator(lang)
        .gettext("That is too long: at most {limit} characters. Please type a shorter answer.")
        .format(limit=limit)
    )


def no_changes(lang: str) -> str:
    """What the notes say when nothing changed."""
    return translator(lang).gettext("no changes")


def notes_line(lang: str, changes: str) -> str:
    """The line the meeting's notes get."""
    return translator(lang).gettext("🗺 Participant map: {changes}").format(changes=changes)


def recorded_intro(lang: str) -> str:
    """First line after recording the review."""
    return translator(lang).gettext("✅ The review is recorded, and added to the meeting's notes.")


def history(
    lang: str, timezone: str, steps: list[ReviewStep], topics: dict[int, str], meeting_id: int
) -> tuple[str, InlineKeyboardMarkup]:
    """The map's history: the newest reviews first, each with its figures and how they moved."""
    translation = translator(lang)
    _ = translation.gettext
    lines = [_("🕓 <b>The participant map, review by review</b>"), ""]
    if not steps:
        lines.append(_("No review is recorded yet. Record one after a meeting that checks the map."))
    shown = list(reversed(steps))[:HISTORY_SHOWN]
    for step in shown:
        review = step.review
        assert review.reviewed_at is not None, "only recorded reviews have steps"
        topic = escape(topics.get(review.meeting_id, ""))
        lines.append(f"<b>{format_day(review.reviewed_at, timezone, lang)}</b> · {topic}")
        lines.append(figures_line(lang, step.figures, step.moved))
        changes = review.changes or no_changes(lang)
        if len(changes) > SHORT_CHANGES:
            changes = changes[: SHORT_CHANGES - 1] + "…"
        lines.append("“" + escape(changes) + "”")
        lines.append("")
    if len(steps) > len(shown):
        lines.append(
            translation.ngettext(
                "… and {count} earlier review.", "… and {count} earlier reviews.", len(steps) - len(shown)
            ).format(count=format_number(len(steps) - len(shown), lang))
        )
    keyboard = InlineKeyboardMarkup([[_button(_("« Back to the meeting"), MeetingAction.OPEN, meeting_id)]])
    return "\n".join(lines).rstrip(), keyboard


def organiser_button(lang: str, meeting_id: int, planned: bool) -> InlineKeyboardButton:
    """The organiser's view's button: put the map on the agenda, or open its review."""
    _ = translator(lang).gettext
    label = _("🗺 Participant map (on the agenda)") if planned else _("🗺 Check the participant map here")
    return _button(label, MeetingAction.MAP, meeting_id)
