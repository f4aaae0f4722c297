"""What the small-group screens say: the facilitator's groups, one group, and a member's own group."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.flows import MENU_BUTTON
from bot.i18n import translator
from conversations.membership.group_rules import (
    GROUP_LIMITS,
    GROUP_PREFIX,
    PICK_PAGE_SIZE,
    GroupAction,
    GroupButton,
    group_button_parts,
    page_count,
)
from conversations.membership.rules import Problem
from storage.memberships import Membership
from storage.small_groups import SmallGroup

GROUPS_PER_PAGE = 10
NAMES_SHOWN = 20  # members named on a group's screen; the rest are counted


def _button(label: str, action: GroupAction, **values: int) -> InlineKeyboardButton:
    data = callback_data(GROUP_PREFIX, *group_button_parts(GroupButton(action, **values)))
    return InlineKeyboardButton(label, callback_data=data)


def _menu_row(lang: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(translator(lang).gettext("« Main menu"), callback_data=MENU_BUTTON)]


def _nav_row(lang: str, page: int, pages: int, action: GroupAction, **values: int) -> list[InlineKeyboardButton]:
    _ = translator(lang).gettext
    row = []
    if page > 0:
        row.append(_button(_("◀ Previous"), action, page=page - 1, **values))
    if page + 1 < pages:
        row.append(_button(_("Next ▶"), action, page=page + 1, **values))
    return row


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _leader_line(lang: str, group: SmallGroup) -> str:
    _ = translator(lang).gettext
    if group.leader_name:
        return _("Leader: {name}").format(name=escape(group.leader_name))
    return _("No leader yet")


def _member_count(lang: str, count: int) -> str:
    return translator(lang).ngettext("{count} member", "{count} members", count).format(count=count)


# -- the facilitator's screens -------------------------------------------------------


def group_list(
    lang: str, cluster_name: str, groups: list[SmallGroup], page: int, unassigned: int
) -> tuple[str, InlineKeyboardMarkup]:
    """The cluster's small groups with their size and leader, a page at a time."""
    _ = translator(lang).gettext
    pages = page_count(len(groups), GROUPS_PER_PAGE)
    shown = groups[page * GROUPS_PER_PAGE : (page + 1) * GROUPS_PER_PAGE]
    lines = [_("<b>Small groups of {cluster}</b>").format(cluster=escape(cluster_name))]
    if not groups:
        lines.append(_("There are no small groups yet. Form them by location: members who live near each other."))
    for number, group in enumerate(shown, start=page * GROUPS_PER_PAGE + 1):
        area = f" ({escape(group.area)})" if group.area else ""
        lines.append(
            f"{number}. <b>{escape(group.name)}</b>{area} · {_member_count(lang, group.member_count)} · "
            + _leader_line(lang, group)
        )
    if unassigned:
        lines += [
            "",
            translator(lang)
            .ngettext(
                "{count} member is not in a small group yet.",
                "{count} members are not in a small group yet.",
                unassigned,
            )
            .format(count=unassigned),
        ]
    if pages > 1:
        lines.append(_("Page {page}/{pages}").format(page=page + 1, pages=pages))
    rows = [
        [_button(f"{_short(group.name)} ({group.member_count})", GroupAction.OPEN, group_id=group.id)]
        for group in shown
    ]
    nav = _nav_row(lang, page, pages, GroupAction.LIST)
    if nav:
        rows.append(nav)
    rows.append([_button(_("➕ New group"), GroupAction.NEW)])
    rows.append(_menu_row(lang))
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def group_screen(
    lang: str, group: SmallGroup, members: list[Membership], intro: str | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """One group: its area, leader and members, with what the facilitator can do."""
    _ = translator(lang).gettext
    lines = [intro, ""] if intro else []
    lines.append(_("<b>Small group {name}</b>").format(name=escape(group.name)))
    if group.area:
        lines.append(_("Area: {area}").format(area=escape(group.area)))
    lines.append(_leader_line(lang, group))
    lines.append(_member_count(lang, len(members)) + ":" if members else _("No members yet."))
    for member in members[:NAMES_SHOWN]:
        star = " ⭐" if member.user_id == group.leader_id else ""
        lines.append(f"• {escape(member.full_name)}{star}")
    if len(members) > NAMES_SHOWN:
        lines.append(_("… and {count} more").format(count=len(members) - NAMES_SHOWN))
    rows = [[_button(_("➕ Add members"), GroupAction.ADD, group_id=group.id, page=0)]]
    if members:
        rows.append([_button(_("⭐ Appoint leader"), GroupAction.LEADERS, group_id=group.id, page=0)])
    rows.append([_button(_("« Small groups"), GroupAction.LIST, page=0)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def add_members(
    lang: str, group: SmallGroup, candidates: list[Membership], page: int, total: int, note: str | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """A page of members not in ``group``; tapping one puts them in (moving asks first)."""
    _ = translator(lang).gettext
    pages = page_count(total, PICK_PAGE_SIZE)
    lines = [note, ""] if note else []
    lines.append(_("<b>Add members to {name}</b>").format(name=escape(group.name)))
    if total:
        lines.append(_("Tap a member to put them in this group. A member is in one small group only."))
        lines.append(_("Page {page}/{pages}").format(page=page + 1, pages=pages))
    else:
        lines.append(_("Every member of the cluster is in this group already."))
    rows = []
    for member in candidates:
        label = _short(member.full_name)
        if member.small_group_name:
            label = _("{name} (now in {group})").format(name=label, group=_short(member.small_group_name, 20))
        rows.append([_button(label, GroupAction.PUT, group_id=group.id, user_id=member.user_id, page=page)])
    nav = _nav_row(lang, page, pages, GroupAction.ADD, group_id=group.id)
    if nav:
        rows.append(nav)
    rows.append([_button(_("✅ Done"), GroupAction.OPEN, group_id=group.id)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def confirm_move(
    lang: str, member: Membership, target: SmallGroup, loses_leader: bool, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    """Ask before moving a member out of their small group into another."""
    _ = translator(lang).gettext
    text = _("<b>{name}</b> is in small group <b>{current}</b>. Move them to <b>{target}</b>?").format(
        name=escape(member.full_name), current=escape(member.small_group_name or ""), target=escape(target.name)
    )
    if loses_leader:
        text += "\n" + _("They lead {current} now; {current} will have no leader.").format(
            current=escape(member.small_group_name or "")
        )
    keyboard = InlineKeyboardMarkup(
        [
            [
                _button(
                    _("✅ Move to {group}").format(group=_short(target.name)),
                    GroupAction.MOVE,
                    group_id=target.id,
                    user_id=member.user_id,
                    page=page,
                )
            ],
            [_button(_("« Back"), GroupAction.ADD, group_id=target.id, page=page)],
        ]
    )
    return text, keyboard


def member_added(lang: str, name: str, group_name: str) -> str:
    """Said above the list after a member was put into a group."""
    return translator(lang).gettext("✅ {name} is now in {group}.").format(name=escape(name), group=escape(group_name))


def choose_leader(
    lang: str, group: SmallGroup, members: list[Membership], page: int, total: int
) -> tuple[str, InlineKeyboardMarkup]:
    """A page of the group's members; tapping one appoints the leader."""
    _ = translator(lang).gettext
    pages = page_count(total, PICK_PAGE_SIZE)
    text = "\n".join(
        [
            _("<b>Leader of {name}</b>").format(name=escape(group.name)),
            _("Who leads this small group? The leader passes news on and speaks for the group."),
            _("Page {page}/{pages}").format(page=page + 1, pages=pages),
        ]
    )
    rows = [
        [
            _button(
                ("⭐ " if m.user_id == group.leader_id else "") + _short(m.full_name),
                GroupAction.SET_LEADER,
                group_id=group.id,
                user_id=m.user_id,
            )
        ]
        for m in members
    ]
    nav = _nav_row(lang, page, pages, GroupAction.LEADERS, group_id=group.id)
    if nav:
        rows.append(nav)
    rows.append([_button(_("« Back"), GroupAction.OPEN, group_id=group.id)])
    return text, InlineKeyboardMarkup(rows)


def leader_appointed(lang: str, name: str, group_name: str) -> str:
    """Said above the group after its leader was appointed."""
    return (
        translator(lang)
        .gettext("✅ {name} is now the leader of {group}.")
        .format(name=escape(name), group=escape(group_name))
    )


def you_lead(lang: str, group_name: str, cluster_name: str) -> str:
    """Told to the member the facilitator appointed as leader."""
    return (
        translator(lang)
        .gettext(
            "⭐ You are now the leader of small group <b>{group}</b> in {cluster}. "
            "You pass news on to your group and speak for it at meetings."
        )
        .format(group=escape(group_name), cluster=escape(cluster_name))
    )


def not_in_this_group(lang: str) -> str:
    """Toast: the member tapped is no longer in this group (an old list)."""
    return translator(lang).gettext("That member is not in this group any more.")


# -- "New group" ------------------------------------------------------------------------


def ask_group_name(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """The first question of "New group"."""
    _ = translator(lang).gettext
    text = (
        _("<b>New small group</b> (1/2)") + "\n" + _("What is the group's name? (for example: Kampung Laweyan Barat)")
    )
    return text, InlineKeyboardMarkup([[_button(_("Cancel"), GroupAction.LIST, page=0)]])


def ask_group_area(lang: str, name: str) -> tuple[str, InlineKeyboardMarkup]:
    """The second question: the area the group's members come from."""
    _ = translator(lang).gettext
    text = (
        _("<b>New small group</b> (2/2)")
        + "\n"
        + _("Which area or village are the members of <b>{name}</b> from? Type it, or Skip.").format(name=escape(name))
    )
    rows = [[_button(_("Skip"), GroupAction.NO_AREA)], [_button(_("Cancel"), GroupAction.LIST, page=0)]]
    return text, InlineKeyboardMarkup(rows)


def group_answer_problem(lang: str, problem: Problem, field: str) -> str:
    """Why a typed group name or area was not accepted."""
    _ = translator(lang).gettext
    if problem is Problem.TOO_LONG:
        return _("That is too long: at most {limit} characters. Please type a shorter answer.").format(
            limit=GROUP_LIMITS[field]
        )
    if problem is Problem.NOT_TEXT:
        return _("Please type the answer as text.")
    return _("The answer is empty. Please type it.")


def name_taken(lang: str, name: str) -> str:
    """The cluster already has a group of that name."""
    return (
        translator(lang)
        .gettext("There is already a small group called {name}. Please type another name.")
        .format(name=escape(name))
    )


def group_created(lang: str, name: str) -> str:
    """Said above the new group's screen."""
    return translator(lang).gettext("✅ Small group <b>{name}</b> is created.").format(name=escape(name))


# -- the member's own group ---------------------------------------------------------------


def my_group(
    lang: str, group: SmallGroup | None, any_groups: bool, intro: str | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """The member's small group, or how to get into one."""
    _ = translator(lang).gettext
    lines = [intro, ""] if intro else []
    rows = []
    if group is None:
        lines.append(_("You are not in a small group yet."))
        if any_groups:
            lines.append(_("Small groups are formed by location: choose the one near where you live and work."))
            rows.append([_button(_("Choose a small group"), GroupAction.PICK, page=0)])
        else:
            lines.append(_("Your facilitator has not formed small groups yet."))
    else:
        lines.append(_("Your small group: <b>{name}</b>").format(name=escape(group.name)))
        if group.area:
            lines.append(_("Area: {area}").format(area=escape(group.area)))
        lines.append(_leader_line(lang, group))
        lines.append(_member_count(lang, group.member_count))
        rows.append([_button(_("Change small group"), GroupAction.PICK, page=0)])
    rows.append(_menu_row(lang))
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def pick_group(
    lang: str, groups: list[SmallGroup], page: int, total: int, current_id: int | None, leads_current: bool
) -> tuple[str, InlineKeyboardMarkup]:
    """A page of the cluster's groups for a member to choose from."""
    _ = translator(lang).gettext
    pages = page_count(total, PICK_PAGE_SIZE)
    lines = [_("Which small group is yours?")]
    if leads_current:
        lines.append(_("You lead your group now; if you change, it will have no leader until one is appointed."))
    if pages > 1:
        lines.append(_("Page {page}/{pages}").format(page=page + 1, pages=pages))
    rows = []
    for group in groups:
        tick = "✓ " if group.id == current_id else ""
        area = f" · {_short(group.area, 20)}" if group.area else ""
        rows.append([_button(f"{tick}{_short(group.name)}{area}", GroupAction.JOIN, group_id=group.id)])
    nav = _nav_row(lang, page, pages, GroupAction.PICK)
    if nav:
        rows.append(nav)
    rows.append([_button(_("« Back"), GroupAction.MINE)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def joined_group(lang: str, name: str) -> str:
    """Said above the member's group after they chose it."""
    return translator(lang).gettext("✅ You are now in small group <b>{name}</b>.").format(name=escape(name))


def stale_button(lang: str) -> str:
    """Toast for an old or forged button."""
    return translator(lang).gettext("This button is no longer valid. Type /menu to start again.")
