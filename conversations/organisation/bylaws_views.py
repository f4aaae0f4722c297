"""What the bylaws, the rules (AD/ART), say: versions, writing a new one, the notice to members, reading page by page."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.flows import MENU_BUTTON
from bot.i18n import format_when, translator
from conversations.meetings.labels import kind_label
from conversations.organisation.rules import PREFIX
from conversations.organisation.views import back_row
from storage.meetings import Meeting
from storage.organisation import RulesVersion


def _adopted(lang: str, version: RulesVersion, timezone: str, meeting: Meeting | None) -> str:
    _ = translator(lang).gettext
    when = format_when(version.adopted_at, timezone, lang)
    if meeting:
        return _('adopted {when} at the meeting "{meeting}"').format(when=when, meeting=escape(meeting.topic))
    return _("recorded {when}, not yet adopted at a meeting").format(when=when)


def versions_view(
    lang: str,
    versions: list[tuple[RulesVersion, Meeting | None, int]],
    timezone: str,
    members: int,
    intro: str | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    """The facilitator's page: every version with its date, meeting and acknowledgements."""
    _ = translator(lang).gettext
    lines = [intro, ""] if intro else []
    lines.append("📜 <b>" + _("Rules (AD/ART)") + "</b>")
    if not versions:
        lines.append(
            _(
                "No rules yet. Draft them at FGD-1: number of board members, positions, responsibilities, term, who may be a member. Then send them as a file or type them here."
            )
        )
    for version, meeting, acknowledged in versions[:10]:
        lines.append(
            _("Version {number}: {adopted}; read by {count} of {members} members").format(
                number=version.number,
                adopted=_adopted(lang, version, timezone, meeting),
                count=acknowledged,
                members=members,
            )
        )
    rows = [
        [
            InlineKeyboardButton(
                _("📎 New version") if versions else _("📎 Add the rules"), callback_data=callback_data(PREFIX, "rn")
            )
        ]
    ]
    if versions:
        rows.append(
            [
                InlineKeyboardButton(
                    _("📜 Read the rules"), callback_data=callback_data(PREFIX, "rr", versions[0][0].id, 0)
                )
            ]
        )
    rows.append(back_row(lang))
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def ask_rules(lang: str, number: int) -> tuple[str, InlineKeyboardMarkup]:
    """Send a file, or type the rules section by section."""
    _ = translator(lang).gettext
    text = _(
        '<b>Rules (AD/ART), version {number}</b>\nSend the rules as a file (PDF or Word), or type them section by section: one message per section (for example "Article 3: The board"), then tap ✅ Done.'
    ).format(number=number)
    return text, InlineKeyboardMarkup([[InlineKeyboardButton(_("Cancel"), callback_data=MENU_BUTTON)]])


def section_noted(lang: str, count: int) -> tuple[str, InlineKeyboardMarkup]:
    """After each typed section."""
    _ = translator(lang).gettext
    text = _("Section {count} noted. Send the next section, or tap ✅ Done.").format(count=count)
    return text, InlineKeyboardMarkup([[InlineKeyboardButton(_("✅ Done"), callback_data=callback_data(PREFIX, "rd"))]])


def no_sections(lang: str) -> str:
    """Done before any section."""
    return translator(lang).gettext("Send the file or at least one section first.")


def too_many_sections(lang: str, limit: int) -> str:
    """Past the number of sections a version may hold."""
    return (
        translator(lang)
        .gettext("That is the most sections one version can hold ({limit}). Tap ✅ Done.")
        .format(limit=limit)
    )


def ask_meeting(lang: str, meetings: list[Meeting], timezone: str) -> tuple[str, InlineKeyboardMarkup]:
    """Which meeting adopted this version?"""
    _ = translator(lang).gettext
    rows = [
        [
            InlineKeyboardButton(
                f"{kind_label(lang, m.kind)}: {m.topic[:30]} · {format_when(m.starts_at, timezone, lang)}",
                callback_data=callback_data(PREFIX, "rmt", m.id),
            )
        ]
        for m in meetings
    ]
    rows.append(
        [InlineKeyboardButton(_("Not adopted at a meeting yet"), callback_data=callback_data(PREFIX, "rmt", 0))]
    )
    rows.append([InlineKeyboardButton(_("Cancel"), callback_data=MENU_BUTTON)])
    return _("Which meeting adopted this version? Members will see it with the date."), InlineKeyboardMarkup(rows)


def published_intro(lang: str, number: int, count: int) -> str:
    """After publishing a version."""
    return (
        translator(lang)
        .ngettext(
            "✅ Version {number} of the rules is on its way to {count} member, who confirm they read it.",
            "✅ Version {number} of the rules is on its way to {count} members, who confirm they read it.",
            count,
        )
        .format(number=number, count=count)
    )


def notice(
    lang: str, version: RulesVersion, cluster_name: str, timezone: str, meeting: Meeting | None
) -> tuple[str, InlineKeyboardMarkup]:
    """To every member: the new version, to read and acknowledge."""
    _ = translator(lang).gettext
    text = _(
        "📜 <b>The rules (AD/ART) of {cluster}</b>, version {number}: {adopted}. Please read them and confirm."
    ).format(cluster=escape(cluster_name), number=version.number, adopted=_adopted(lang, version, timezone, meeting))
    return text, _read_keyboard(lang, version, acknowledged=False, with_read=not version.file_id)


def _read_keyboard(lang: str, version: RulesVersion, *, acknowledged: bool, with_read: bool) -> InlineKeyboardMarkup:
    _ = translator(lang).gettext
    rows = []
    if with_read:
        rows.append(
            [InlineKeyboardButton(_("📜 Read the rules"), callback_data=callback_data(PREFIX, "rr", version.id, 0))]
        )
    if not acknowledged:
        rows.append(
            [InlineKeyboardButton(_("✅ I have read the rules"), callback_data=callback_data(PREFIX, "rk", version.id))]
        )
    return InlineKeyboardMarkup(rows)


def document_caption(lang: str, version: RulesVersion, acknowledged: bool) -> tuple[str, InlineKeyboardMarkup | None]:
    """The caption of the rules' file, with the acknowledgement button until it is given (then no keyboard)."""
    _ = translator(lang).gettext
    text = _("Rules (AD/ART), version {number}").format(number=version.number)
    keyboard = _read_keyboard(lang, version, acknowledged=acknowledged, with_read=False)
    return text, keyboard if keyboard.inline_keyboard else None


def section_page(lang: str, version: RulesVersion, page: int, acknowledged: bool) -> tuple[str, InlineKeyboardMarkup]:
    """One section of typed rules, with Prev / Next and the acknowledgement."""
    _ = translator(lang).gettext
    total = len(version.sections)
    page = max(0, min(page, total - 1))
    text = _("<b>Rules (AD/ART), version {number}</b> · section {page}/{total}").format(
        number=version.number, page=page + 1, total=total
    )
    text += "\n\n" + escape(version.sections[page])
    nav: list[InlineKeyboardButton] = []
    if page > 0:
        nav.append(
            InlineKeyboardButton(_("◀ Previous"), callback_data=callback_data(PREFIX, "rr", version.id, page - 1))
        )
    if page < total - 1:
        nav.append(InlineKeyboardButton(_("Next ▶"), callback_data=callback_data(PREFIX, "rr", version.id, page + 1)))
    rows = [nav] if nav else []
    rows += [
        list(row) for row in _read_keyboard(lang, version, acknowledged=acknowledged, with_read=False).inline_keyboard
    ]
    rows.append(back_row(lang))
    return text, InlineKeyboardMarkup(rows)


def acknowledged(lang: str, first: bool, when: str) -> str:
    """Toast after "I have read the rules"."""
    _ = translator(lang).gettext
    return (
        _("Thank you. Recorded: you have read the rules.")
        if first
        else _("Already recorded on {when}.").format(when=when)
    )
