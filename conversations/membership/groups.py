"""Small groups (Step 3 of the guideline): facilitators form them by location and appoint leaders; members pick theirs.

Facilitators: "Small groups" lists the groups; "New group" asks a name and an area (a persistent
conversation, each answer committed as a draft); a group's screen adds members (one is in one group
only, so moving one from another group asks first, and only that confirm screen moves them) and
appoints the leader. Members: "My small group" shows theirs and lets them choose or change it.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot.audience import Newcomers
from bot.buttons import callback_data
from bot.context import RembugContext
from bot.flows import confirmation_needed, exit_handlers, open_confirmation, read_button, take_confirmation
from bot.i18n import pick_language
from bot.menu import N_, MenuEntry
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.services import RembugApplication
from bot.stale import explain_stale
from bot.update_parts import message_of, query_of
from conversations.access_log.rules import Access
from conversations.membership import group_rules as rules
from conversations.membership import group_views as views
from conversations.membership.group_rules import GROUP_PREFIX, PICK_PAGE_SIZE, GroupAction, GroupButton
from storage import access_log, drafts, memberships, small_groups, users

_LOGGER = logging.getLogger(__name__)
FLOW = "new_group"
NAME, AREA = "group_name", "area"


# -- shared steps -------------------------------------------------------------------------


async def _tapped(update: Update, context: RembugContext, action: Action) -> GroupButton | None:
    """The sender may take ``action`` and the button parses; otherwise the query is answered here."""
    if not await require(update, context, action):
        return None
    return await read_button(update, context, rules.parse_group_button, GroupButton)


async def _group_here(conn, context: RembugContext, group_id: int | None) -> small_groups.SmallGroup | None:
    """The group, if it belongs to the cluster the sender works in now."""
    group = await small_groups.get_group(conn, group_id) if group_id else None
    return group if group and group.cluster_id == context.standing.cluster_id else None


async def _member_of(conn, group: small_groups.SmallGroup | None, user_id: int | None) -> memberships.Membership | None:
    """The person's membership in the group's cluster (None without a group or a person)."""
    if group is None or user_id is None:
        return None
    return await memberships.get_membership(conn, group.cluster_id, user_id)


async def _tapped_group(update: Update, context: RembugContext) -> tuple[GroupButton, small_groups.SmallGroup] | None:
    """A facilitator's button naming a group of their current cluster; otherwise the query is answered here."""
    button = await _tapped(update, context, Action.MANAGE_GROUPS)
    if button is None:
        return None
    async with context.db.read() as conn:
        group = await _group_here(conn, context, button.group_id)
    if group is None:
        await explain_stale(update, context)
        return None
    await answer_tap(update.callback_query)
    return button, group


async def _move(
    tx, context: RembugContext, member: memberships.Membership, group_id: int, *, confirmed: bool
) -> rules.Move:
    """Put ``member`` into the group unless moving them needs confirming first; a leader who leaves stops leading."""
    current = await small_groups.get_group(tx, member.small_group_id) if member.small_group_id else None
    leads_current = current is not None and current.leader_id == member.user_id
    move = rules.plan_move(member.small_group_id, leads_current, group_id, confirmed)
    if not move.needs_confirmation:
        if move.loses_leader and move.leaves_group_id is not None:
            await small_groups.set_leader(tx, move.leaves_group_id, None)
        await small_groups.assign_member(tx, member.cluster_id, member.user_id, group_id)
        await context.services.state(Newcomers).arrived(tx, member.cluster_id, member.user_id, context.clock.now())
    return move


async def _show_list(update: Update, context: RembugContext, page: int) -> None:
    cluster_id = context.standing.current_cluster_id
    async with context.db.read() as conn:
        groups = await small_groups.list_groups(conn, cluster_id)
        _first, active = await memberships.directory(conn, cluster_id, limit=1)
    page = rules.clamp_page(page, len(groups), views.GROUPS_PER_PAGE)
    unassigned = rules.unassigned_count(active, [group.member_count for group in groups])
    text, keyboard = views.group_list(context.lang, context.standing.current_cluster_name, groups, page, unassigned)
    await answer(update, text, keyboard)


async def _show_group(
    update: Update, context: RembugContext, group: small_groups.SmallGroup, intro: str | None = None
) -> None:
    async with context.db.read() as conn:
        members, _total = await memberships.directory(conn, group.cluster_id, small_group_id=group.id)
    text, keyboard = views.group_screen(context.lang, group, members, intro)
    await answer(update, text, keyboard)


async def _show_candidates(
    update: Update, context: RembugContext, group: small_groups.SmallGroup, page: int, note: str | None = None
) -> None:
    async with context.db.read() as conn:
        everyone, _total = await memberships.directory(conn, group.cluster_id)
    outside = [member for member in everyone if member.small_group_id != group.id]
    page = rules.clamp_page(page, len(outside), PICK_PAGE_SIZE)
    shown = rules.page_items(outside, page, PICK_PAGE_SIZE)
    text, keyboard = views.add_members(context.lang, group, shown, page, len(outside), note)
    await answer(update, text, keyboard)


# -- the facilitator's screens ----------------------------------------------------------------


async def show_groups(update: Update, context: RembugContext) -> None:
    """The cluster's small groups (``gr1:list:<page>``, also the menu entry)."""
    button = await _tapped(update, context, Action.MANAGE_GROUPS)
    if button is None:
        return
    await answer_tap(update.callback_query)
    await _show_list(update, context, button.page)


async def open_group(update: Update, context: RembugContext) -> None:
    """One group with its members and leader (``gr1:open:<group>``)."""
    if tapped := await _tapped_group(update, context):
        await _show_group(update, context, tapped[1])


async def offer_members(update: Update, context: RembugContext) -> None:
    """A page of members not in the group, to add (``gr1:add:<group>:<page>``)."""
    if tapped := await _tapped_group(update, context):
        button, group = tapped
        await _show_candidates(update, context, group, button.page)


async def put_member(update: Update, context: RembugContext) -> None:
    """Put the tapped member into the group; one from another group is moved only once confirmed."""
    button = await _tapped(update, context, Action.MANAGE_GROUPS)
    if button is None:
        return
    query, confirmation = query_of(update), f"group:{button.group_id}:move:{button.user_id}"
    async with context.db.transaction() as tx:
        group = await _group_here(tx, context, button.group_id)
        member = await _member_of(tx, group, button.user_id)
        move = confirmed = None
        if group and member and member.active:
            confirmed = button.action is GroupAction.PUT or await take_confirmation(tx, context, confirmation, update)
            move = (
                await _move(tx, context, member, group.id, confirmed=button.action is GroupAction.MOVE)
                if confirmed
                else None
            )
    if move is None or group is None or member is None:
        await answer_tap(
            query, confirmation_needed(context.lang) if confirmed is False else views.stale_button(context.lang)
        )
        return
    if move.needs_confirmation:
        await open_confirmation(context, confirmation)
    await answer_tap(query)
    if move.needs_confirmation:
        text, keyboard = views.confirm_move(context.lang, member, group, move.loses_leader, button.page)
        await answer(update, text, keyboard)
        return
    note = views.member_added(context.lang, member.full_name, group.name)
    await _show_candidates(update, context, group, button.page, note)


async def offer_leaders(update: Update, context: RembugContext) -> None:
    """A page of the group's members, to appoint the leader (``gr1:lead:<group>:<page>``)."""
    if not (tapped := await _tapped_group(update, context)):
        return
    button, group = tapped
    async with context.db.read() as conn:
        members, total = await memberships.directory(conn, group.cluster_id, small_group_id=group.id)
    page = rules.clamp_page(button.page, total, PICK_PAGE_SIZE)
    shown = rules.page_items(members, page, PICK_PAGE_SIZE)
    text, keyboard = views.choose_leader(context.lang, group, shown, page, total)
    await answer(update, text, keyboard)


async def appoint_leader(update: Update, context: RembugContext) -> None:
    """Make the tapped member the group's leader, and tell them (``gr1:setl:<group>:<user>``)."""
    button = await _tapped(update, context, Action.MANAGE_GROUPS)
    if button is None:
        return
    query, person = query_of(update), None
    async with context.db.transaction() as tx:
        group = await _group_here(tx, context, button.group_id)
        member = await _member_of(tx, group, button.user_id)
        leader = member if group and member and member.active and member.small_group_id == group.id else None
        if group and leader:
            await small_groups.set_leader(tx, group.id, leader.user_id)
            me, now, appointed = context.user.id, context.clock.now(), Access.GROUP_LEADER_APPOINTED
            await access_log.record(tx, me, group.cluster_id, appointed, group.name, now, subject_id=leader.user_id)
            group = await small_groups.get_group(tx, group.id)
            person = await users.get_user(tx, leader.user_id)
    if group is None:
        await explain_stale(update, context)
        return
    if leader is None:
        await answer_tap(query, views.not_in_this_group(context.lang), show_alert=True)
        return
    await answer_tap(query)
    await _show_group(update, context, group, views.leader_appointed(context.lang, leader.full_name, group.name))
    if person is not None and person.id != context.user.id:
        their_lang = pick_language(person.language, person.telegram_language, context.settings.language)
        text = views.you_lead(their_lang, group.name, context.standing.current_cluster_name)
        try:
            await context.bot.send_message(person.id, text)
        except (Forbidden, BadRequest) as error:
            _LOGGER.info("could not tell user %s they lead group %s: %s", person.id, group.id, error)


# -- "New group" -----------------------------------------------------------------------------------


async def begin_new_group(update: Update, context: RembugContext) -> str | int:
    """Check the sender may form groups, then ask the group's name."""
    if not await require(update, context, Action.MANAGE_GROUPS):
        return ConversationHandler.END
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, FLOW)
        cluster_id = context.standing.current_cluster_id
        await drafts.save_draft_answer(tx, context.user.id, FLOW, "cluster_id", cluster_id, context.clock.now())
    await answer_tap(update.callback_query)
    text, keyboard = views.ask_group_name(context.lang)
    await answer(update, text, keyboard)
    return NAME


async def receive_group_name(update: Update, context: RembugContext) -> str:
    """Store the typed name (unless the cluster has a group of that name) and ask the area."""
    name, problem = rules.clean_group_answer(message_of(update).text, "group_name")
    if problem:
        await message_of(update).reply_text(views.group_answer_problem(context.lang, problem, "group_name"))
        return NAME
    assert name is not None  # clean_group_answer gives the cleaned text or a problem
    async with context.db.transaction() as tx:
        draft = await drafts.get_draft(tx, context.user.id, FLOW)
        cluster_id = draft.get("cluster_id") or context.standing.current_cluster_id
        existing = await small_groups.list_groups(tx, cluster_id)
        taken = rules.name_taken(name, [group.name for group in existing])
        if not taken:
            await drafts.save_draft_answer(tx, context.user.id, FLOW, "name", name, context.clock.now())
    if taken:
        await message_of(update).reply_text(views.name_taken(context.lang, name))
        return NAME
    text, keyboard = views.ask_group_area(context.lang, name)
    await answer(update, text, keyboard)
    return AREA


async def receive_group_area(update: Update, context: RembugContext) -> str | int:
    """Create the group with the typed area."""
    area, problem = rules.clean_group_answer(message_of(update).text, "area")
    if problem:
        await message_of(update).reply_text(views.group_answer_problem(context.lang, problem, "area"))
        return AREA
    return await _create_group(update, context, area)


async def skip_group_area(update: Update, context: RembugContext) -> int:
    """Create the group without an area."""
    await answer_tap(update.callback_query)
    return await _create_group(update, context, None)


async def _create_group(update: Update, context: RembugContext, area: str | None) -> int:
    """Create the group from the draft (creating the same name again returns the same group)."""
    if not await require(update, context, Action.MANAGE_GROUPS):
        return ConversationHandler.END
    async with context.db.transaction() as tx:
        draft = await drafts.get_draft(tx, context.user.id, FLOW)
        group = None
        if "name" in draft and draft.get("cluster_id") == context.standing.cluster_id:
            group = await small_groups.create_group(tx, draft["cluster_id"], draft["name"], area, context.clock.now())
        await drafts.clear_draft(tx, context.user.id, FLOW)
    if group is None:  # handled before (a replay), or the facilitator switched cluster meanwhile
        await _show_list(update, context, 0)
    else:
        await _show_group(update, context, group, views.group_created(context.lang, group.name))
    return ConversationHandler.END


async def leave_to_groups(update: Update, context: RembugContext) -> int | None:
    """Cancel "New group" and show the groups again (a refused or forged tap leaves the step waiting)."""
    if await _tapped(update, context, Action.MANAGE_GROUPS) is None:
        return None
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, FLOW)
    await show_groups(update, context)
    return ConversationHandler.END


async def not_text(update: Update, context: RembugContext) -> None:
    """A sticker, photo... where a name or area is expected."""
    await message_of(update).reply_text(views.group_answer_problem(context.lang, rules.Problem.NOT_TEXT, "area"))


def new_group_conversation() -> ConversationHandler:
    """ "New group": name, then area (named and persistent: it survives restarts)."""
    text = filters.TEXT & ~filters.COMMAND
    states: dict[object, list[BaseHandler]] = {
        NAME: [MessageHandler(text, receive_group_name), MessageHandler(~filters.COMMAND, not_text)],
        AREA: [
            MessageHandler(text, receive_group_area),
            CallbackQueryHandler(skip_group_area, pattern=f"^{GROUP_PREFIX}:{GroupAction.NO_AREA}$"),
            MessageHandler(~filters.COMMAND, not_text),
        ],
    }
    return ConversationHandler(
        entry_points=[CallbackQueryHandler(begin_new_group, pattern=f"^{GROUP_PREFIX}:{GroupAction.NEW}$")],
        states=states,
        fallbacks=[
            *exit_handlers(FLOW),
            CallbackQueryHandler(leave_to_groups, pattern=f"^{GROUP_PREFIX}:{GroupAction.LIST}:"),
        ],
        name=FLOW,
        persistent=True,
        allow_reentry=True,
    )


# -- the member's own group -------------------------------------------------------------------


async def _show_my_group(update: Update, context: RembugContext, intro: str | None = None) -> None:
    cluster_id = context.standing.current_cluster_id
    async with context.db.read() as conn:
        me = await memberships.get_membership(conn, cluster_id, context.user.id)
        group = await small_groups.get_group(conn, me.small_group_id) if me and me.small_group_id else None
        any_groups = bool(await small_groups.list_groups(conn, cluster_id))
    text, keyboard = views.my_group(context.lang, group, any_groups, intro)
    await answer(update, text, keyboard)


async def show_my_group(update: Update, context: RembugContext) -> None:
    """The member's small group, or how to choose one (``gr1:mine``, the menu entry)."""
    if await _tapped(update, context, Action.PICK_OWN_GROUP) is None:
        return
    await answer_tap(update.callback_query)
    await _show_my_group(update, context)


async def offer_groups(update: Update, context: RembugContext) -> None:
    """A page of the cluster's groups for the member to choose (``gr1:pick:<page>``)."""
    button = await _tapped(update, context, Action.PICK_OWN_GROUP)
    if button is None:
        return
    cluster_id = context.standing.current_cluster_id
    async with context.db.read() as conn:
        groups = await small_groups.list_groups(conn, cluster_id)
        me = await memberships.get_membership(conn, cluster_id, context.user.id)
    await answer_tap(update.callback_query)
    current = me.small_group_id if me else None
    leads = any(group.id == current and group.leader_id == context.user.id for group in groups)
    page = rules.clamp_page(button.page, len(groups), PICK_PAGE_SIZE)
    shown = rules.page_items(groups, page, PICK_PAGE_SIZE)
    text, keyboard = views.pick_group(context.lang, shown, page, len(groups), current, leads)
    await answer(update, text, keyboard)


async def join_group(update: Update, context: RembugContext) -> None:
    """Put the member into the group they chose (``gr1:join:<group>``); leaving a group they led."""
    button = await _tapped(update, context, Action.PICK_OWN_GROUP)
    if button is None:
        return
    async with context.db.transaction() as tx:
        group = await _group_here(tx, context, button.group_id)
        me = await memberships.get_membership(tx, context.standing.current_cluster_id, context.user.id)
        if group and me:
            await _move(tx, context, me, group.id, confirmed=True)
    if group is None or me is None:
        await explain_stale(update, context)
        return
    await answer_tap(update.callback_query)
    await _show_my_group(update, context, views.joined_group(context.lang, group.name))


# -- wiring ----------------------------------------------------------------------------------------

MENU = (
    MenuEntry(
        "mygroup",
        N_("My small group"),
        N_("see your small group, or choose one."),
        callback_data(GROUP_PREFIX, GroupAction.MINE),
        action=Action.PICK_OWN_GROUP,
        order=25,
    ),
    MenuEntry(
        "groups",
        N_("Small groups"),
        N_("form small groups by location, add members, appoint leaders."),
        callback_data(GROUP_PREFIX, GroupAction.LIST, 0),
        action=Action.MANAGE_GROUPS,
        order=45,
    ),
)
BUTTONS = {
    GroupAction.LIST: show_groups,
    GroupAction.OPEN: open_group,
    GroupAction.ADD: offer_members,
    GroupAction.PUT: put_member,
    GroupAction.MOVE: put_member,
    GroupAction.LEADERS: offer_leaders,
    GroupAction.SET_LEADER: appoint_leader,
    GroupAction.MINE: show_my_group,
    GroupAction.PICK: offer_groups,
    GroupAction.JOIN: join_group,
}


def register(application: RembugApplication) -> None:
    """Add the small-group screens, the "New group" conversation and their menu entries."""
    for entry in MENU:
        application.services.menu.add(entry)
    application.add_handler(new_group_conversation())
    for action, callback in BUTTONS.items():
        pattern = f"^{GROUP_PREFIX}:{action}$" if action is GroupAction.MINE else f"^{GROUP_PREFIX}:{action}:"
        application.add_handler(CallbackQueryHandler(callback, pattern=pattern))
