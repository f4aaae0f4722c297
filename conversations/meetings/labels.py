"""Names of meeting kinds, answers and reminder offsets in the person's language."""

from __future__ import annotations

from bot.i18n import translator
from bot.menu import N_
from conversations.meetings.rules import MeetingFigures

KIND_LABELS = {
    "kickoff": N_("Kickoff meeting"),
    "small_group": N_("Small-group meeting"),
    "fgd1": N_("FGD-1"),
    "fgd2": N_("FGD-2"),
    "regular": N_("Regular meeting"),
    "committee": N_("Committee meeting"),
    "workshop": N_("Workshop"),
    "study_tour": N_("Study tour"),
}
RSVP_LABELS = {"yes": N_("✅ Coming"), "maybe": N_("🤔 Maybe"), "no": N_("❌ Can't come")}
REMINDER_LABELS = {10080: N_("1 week"), 1440: N_("1 day"), 120: N_("2 hours"), 30: N_("30 minutes")}


def kind_label(lang: str, kind: str) -> str:
    """The meeting kind in ``lang``."""
    return translator(lang).gettext(KIND_LABELS.get(kind, KIND_LABELS["regular"]))


def rsvp_label(lang: str, answer: str | None) -> str:
    """An RSVP answer in ``lang`` ("-" when none)."""
    return translator(lang).gettext(RSVP_LABELS[answer]) if answer in RSVP_LABELS else "-"


def reminders_label(lang: str, offsets: tuple[int, ...]) -> str:
    """ "1 day, 2 hours" or "none"."""
    _ = translator(lang).gettext
    if not offsets:
        return _("no reminders")
    return ", ".join(_(REMINDER_LABELS[m]) for m in sorted(offsets, reverse=True) if m in REMINDER_LABELS)


def attended_line(lang: str, figures: MeetingFigures) -> str:
    """Who came ("hadir", never a promise), the same line on the organiser's page and the summary."""
    return (
        translator(lang)
        .gettext("Attended: {count} (invited: {invited}, without an invitation: {walk_ins}, guests: {guests})")
        .format(
            count=figures.attended,
            invited=figures.attended_invited,
            walk_ins=len(figures.walk_in_members),
            guests=figures.guests,
        )
    )
