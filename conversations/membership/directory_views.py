"""What the member directory says: a page of members, its filters, and the columns of the downloads."""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.exports import slug
from bot.flows import MENU_BUTTON
from bot.i18n import format_number, format_when, translator
from bot.names import shown_name
from bot.page_buttons import page_line, page_rows
from conversations.membership.group_rules import (
    ALL_MEMBERS,
    DIRECTORY_PAGE_SIZE,
    DIRECTORY_PREFIX,
    DirectoryAction,
    DirectoryButton,
    DirectoryFilter,
    directory_button_parts,
    page_count,
)
from conversations.membership.rules import STAKEHOLDER_TYPES
from conversations.membership.views import stakeholder_label
from storage.memberships import Membership
from storage.small_groups import SmallGroup


def _data(action: DirectoryAction, page: int = 0, chosen: DirectoryFilter = ALL_MEMBERS) -> str:
    return callback_data(DIRECTORY_PREFIX, *directory_button_parts(DirectoryButton(action, page, chosen)))


def _button(
    label: str, action: DirectoryAction, page: int = 0, chosen: DirectoryFilter = ALL_MEMBERS
) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=_data(action, page, chosen))


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def member_line(lang: str, number: int, member: Membership) -> str:
    """One member: name · small group · stakeholder type · home area (every value escaped)."""
    parts = [
        f"{number}. <b>{escape(shown_name(lang, member.full_name))}</b>",
        escape(member.small_group_name or "-"),
        escape(stakeholder_label(lang, member.stakeholder_type)),
        escape(member.home_area or "-"),
    ]
    return " · ".join(parts)


def filter_label(lang: str, chosen: DirectoryFilter, group: SmallGroup | None) -> str | None:
    """The filter in words ("Small group: Laweyan Barat"), or ``None`` for all members."""
    _ = translator(lang).gettext
    if chosen.small_group_id is not None and group is not None:
        return _("Small group: {name}").format(name=escape(group.name))
    if chosen.stakeholder_type is not None:
        return _("Type: {value}").format(value=escape(stakeholder_label(lang, chosen.stakeholder_type)))
    return None


def directory_page(
    lang: str,
    cluster_name: str,
    members: list[Membership],
    page: int,
    total: int,
    chosen: DirectoryFilter,
    group: SmallGroup | None,
    can_export: bool,
    erased: int = 0,
) -> tuple[str, InlineKeyboardMarkup]:
    """A page of the member list with Prev/Next, the filters and the downloads; ``erased``: how many former
    members erased their data (named only by that count)."""
    _ = translator(lang).gettext
    pages = page_count(total, DIRECTORY_PAGE_SIZE)
    lines = [_("<b>Members of {cluster}</b>").format(cluster=escape(cluster_name))]
    label = filter_label(lang, chosen, group)
    if label:
        lines.append(label)
    count = (
        translator(lang).ngettext("{count} member", "{count} members", total).format(count=format_number(total, lang))
    )
    lines.append(page_line(lang, page, pages) + " · " + count)
    lines.append("")
    if not members:
        lines.append(_("No members match this filter."))
    first = page * DIRECTORY_PAGE_SIZE + 1
    lines += [member_line(lang, number, member) for number, member in enumerate(members, start=first)]
    if erased:
        lines += ["", _("Former members (erased): {count}").format(count=format_number(erased, lang))]
    rows = page_rows(lang, page, pages, lambda number: _data(DirectoryAction.PAGE, number, chosen))
    rows.append(
        [
            _button(_("👥 By small group"), DirectoryAction.BY_GROUP, chosen=chosen),
            _button(_("🏷 By type"), DirectoryAction.BY_TYPE, chosen=chosen),
        ]
    )
    if not chosen.is_all:
        rows.append([_button(_("✖ All members"), DirectoryAction.PAGE)])
    if can_export:
        rows.append(
            [
                _button(_("⬇️ Download CSV"), DirectoryAction.CSV),
                _button(_("⬇️ Download Excel"), DirectoryAction.EXCEL),
            ]
        )
    rows.append([InlineKeyboardButton(_("« Main menu"), callback_data=MENU_BUTTON)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def choose_group(lang: str, groups: list[SmallGroup], back_to: DirectoryFilter) -> tuple[str, InlineKeyboardMarkup]:
    """The small groups to filter the list by."""
    _ = translator(lang).gettext
    text = _("Show the members of which small group?") if groups else _("There are no small groups yet.")
    rows = [
        [
            _button(
                f"{_short(group.name)} ({group.member_count})",
                DirectoryAction.PAGE,
                chosen=DirectoryFilter(small_group_id=group.id),
            )
        ]
        for group in groups[:40]
    ]
    rows.append([_button(_("« Back"), DirectoryAction.PAGE, chosen=back_to)])
    return text, InlineKeyboardMarkup(rows)


def choose_type(lang: str, back_to: DirectoryFilter) -> tuple[str, InlineKeyboardMarkup]:
    """The stakeholder types to filter the list by."""
    _ = translator(lang).gettext
    buttons = [
        _button(stakeholder_label(lang, key), DirectoryAction.PAGE, chosen=DirectoryFilter(stakeholder_type=key))
        for key in STAKEHOLDER_TYPES
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([_button(_("« Back"), DirectoryAction.PAGE, chosen=back_to)])
    return _("Show the members of which type?"), InlineKeyboardMarkup(rows)


# -- downloads ---------------------------------------------------------------------------


def roles_text(lang: str, member: Membership) -> str:
    """The member's roles in words: "facilitator, group leader", or "member"."""
    _ = translator(lang).gettext
    roles = []
    if member.is_facilitator:
        roles.append(_("facilitator"))
    if member.is_secretary:
        roles.append(_("secretary"))
    if member.is_group_leader:
        roles.append(_("group leader"))
    return ", ".join(roles) or _("member")


def export_table(
    lang: str, members: list[Membership], timezone: str, phone_consents: set[int]
) -> tuple[list[str], list[list[str | date | None]]]:
    """The directory as headers and rows in ``lang``: one row per member, dates in the cluster's zone,
    a phone number only of the members in ``phone_consents`` (who agreed the facilitators may have it)."""
    _ = translator(lang).gettext
    headers = [
        _("Name"),
        _("Small group"),
        _("Stakeholder type"),
        _("Home area"),
        _("Core business"),
        _("Phone"),
        _("Roles"),
        _("Joined"),
    ]
    zone = ZoneInfo(timezone)
    rows = [
        [
            member.full_name,
            member.small_group_name,
            stakeholder_label(lang, member.stakeholder_type) if member.stakeholder_type else None,
            member.home_area,
            member.core_business,
            member.phone if member.user_id in phone_consents else None,
            roles_text(lang, member),
            member.joined_at.astimezone(zone).date(),
        ]
        for member in members
    ]
    return headers, rows


def export_filename(lang: str, cluster_name: str, cluster_id: int, extension: str) -> str:
    """``anggota-sentra-batik-laweyan.csv`` (the word in the person's language)."""
    # TRANSLATORS: the start of a file name: lowercase letters, no spaces.
    stem = translator(lang).gettext("members-{cluster}").format(cluster=slug(cluster_name, str(cluster_id)))
    return f"{stem}.{extension}"


def sheet_name(lang: str) -> str:
    """The worksheet's name in the Excel file."""
    return translator(lang).gettext("Members")


def export_caption(lang: str, cluster_name: str, count: int, now: datetime, timezone: str) -> str:
    """The caption under a downloaded file."""
    return (
        translator(lang)
        .ngettext(
            "{cluster}: {count} active member, as of {when}.",
            "{cluster}: {count} active members, as of {when}.",
            count,
        )
        .format(cluster=escape(cluster_name), count=count, when=format_when(now, timezone, lang))
    )


def stale_button(lang: str) -> str:
    """Toast for an old or forged button."""
    return translator(lang).gettext("This button is no longer valid. Type /menu to start again.")
