"""What the announcement says: the organisation is formed, its board, the vision and mission, the next meeting."""

from __future__ import annotations

from html import escape

from bot.i18n import format_local_date, format_when, translator
from conversations.meetings.labels import kind_label
from conversations.organisation.formation_pdf import FormationSheet
from conversations.organisation.views import board_lines, position_label
from storage.meetings import Meeting
from storage.memberships import OfficeHolder
from storage.organisation import VisionVersion

VISION_LIMIT = 1500


def _meeting_text(lang: str, meeting: Meeting | None, timezone: str) -> str:
    _ = translator(lang).gettext
    if meeting is None:
        return _("Not scheduled yet: the board will announce it.")
    return _("{kind}: {topic}, {when}, at {place}").format(
        kind=kind_label(lang, meeting.kind),
        topic=meeting.topic,
        when=format_when(meeting.starts_at, timezone, lang),
        place=meeting.place,
    )


def announcement(
    lang: str,
    cluster_name: str,
    holders: list[OfficeHolder],
    vision: VisionVersion | None,
    meeting: Meeting | None,
    timezone: str,
) -> str:
    """The message every member receives."""
    _ = translator(lang).gettext
    lines = [
        _("🎉 <b>The organisation of {cluster} is formed.</b>").format(cluster=escape(cluster_name)),
        "",
        "<b>" + _("Board") + "</b>",
    ]
    lines += board_lines(lang, holders) or ["-"]
    lines += ["", "<b>" + _("Vision and mission") + "</b>"]
    if vision:
        lines.append(escape(vision.text if len(vision.text) <= VISION_LIMIT else vision.text[:VISION_LIMIT] + "…"))
    else:
        lines.append(_("Not adopted yet."))
    lines += ["", "<b>" + _("Next meeting") + "</b>", escape(_meeting_text(lang, meeting, timezone))]
    return "\n".join(lines)


def sheet(
    lang: str,
    cluster_name: str,
    place: str,
    holders: list[OfficeHolder],
    vision: VisionVersion | None,
    meeting: Meeting | None,
    timezone: str,
    today,
) -> FormationSheet:
    """The same, for the one-page PDF."""
    _ = translator(lang).gettext
    return FormationSheet(
        title=_("Formation of the cluster organisation"),
        cluster_line=f"{cluster_name} · {place}",
        date_line=format_local_date(today, lang),
        board_heading=_("Board"),
        board=[(position_label(lang, h.position), h.full_name) for h in holders],
        vision_heading=_("Vision and mission"),
        vision=vision.text if vision else _("Not adopted yet."),
        next_meeting_heading=_("Next meeting"),
        next_meeting=_meeting_text(lang, meeting, timezone),
        signatures=[position_label(lang, "chair"), position_label(lang, "secretary"), _("Facilitator")],
    )


def announced(lang: str, count: int) -> str:
    """To the facilitator after announcing."""
    return (
        translator(lang)
        .ngettext(
            "📣 The formation is announced to {count} member. The one-page PDF to print and sign is below.",
            "📣 The formation is announced to {count} members. The one-page PDF to print and sign is below.",
            count,
        )
        .format(count=count)
    )


def pdf_caption(lang: str) -> str:
    """The caption of the PDF."""
    return translator(lang).gettext("Formation of the cluster organisation: print, sign, keep.")


def already(lang: str) -> str:
    """The announcement was made before."""
    return translator(lang).gettext("The formation was already announced. Here is the PDF again.")


def not_closed(lang: str) -> str:
    """Announcing before the election ended."""
    return translator(lang).gettext("Announce the organisation after the election is closed and counted.")
