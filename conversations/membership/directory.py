"""The member directory: facilitators page through the members, filter them, and download them as CSV or Excel."""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.ext import CallbackQueryHandler

from bot import exports as export
from bot.buttons import callback_data
from bot.context import RembugContext
from bot.flows import read_button
from bot.menu import N_, MenuEntry
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action, allowed
from bot.services import RembugApplication
from bot.stale import explain_stale
from bot.update_parts import chat_of, query_of
from conversations.access_log.recording import note_download
from conversations.access_log.rules import Access, file_kind
from conversations.membership import directory_views as views
from conversations.membership.group_rules import (
    ALL_MEMBERS,
    DIRECTORY_PAGE_SIZE,
    DIRECTORY_PREFIX,
    DirectoryAction,
    DirectoryButton,
    clamp_page,
    directory_button_parts,
    parse_directory_button,
)
from storage import clusters, consents, erasure, memberships, small_groups

# The file extension each download button builds.
DOWNLOADS = {DirectoryAction.CSV: "csv", DirectoryAction.EXCEL: "xlsx"}


async def _tapped(update: Update, context: RembugContext, action: Action) -> DirectoryButton | None:
    """The sender may take ``action`` and the button parses; otherwise the query is answered here."""
    if not await require(update, context, action):
        return None
    return await read_button(update, context, parse_directory_button, DirectoryButton)


async def show_page(update: Update, context: RembugContext) -> None:
    """A page of the members, filtered by small group or type (``dr1:p:<page>:<filter>``, the menu entry)."""
    button = await _tapped(update, context, Action.VIEW_DIRECTORY)
    if button is None:
        return
    query = query_of(update)
    cluster_id, chosen = context.standing.current_cluster_id, button.filter

    async def page_of_members(page: int) -> tuple[list[memberships.Membership], int]:
        return await memberships.directory(
            conn,
            cluster_id,
            small_group_id=chosen.small_group_id,
            stakeholder_type=chosen.stakeholder_type,
            offset=page * DIRECTORY_PAGE_SIZE,
            limit=DIRECTORY_PAGE_SIZE,
        )

    async with context.db.read() as conn:
        group = await small_groups.get_group(conn, chosen.small_group_id) if chosen.small_group_id else None
        gone = chosen.small_group_id is not None and (group is None or group.cluster_id != cluster_id)
        page = button.page
        members, total = await page_of_members(page)
        erased = await erasure.erased_former_members(conn, cluster_id) if chosen.is_all else 0
        if not members and total:  # an old button after members left: show the last page there is
            page = clamp_page(page, total, DIRECTORY_PAGE_SIZE)
            members, total = await page_of_members(page)
    if gone:  # a small group that is gone, or of another cluster
        await explain_stale(update, context)
        return
    await answer_tap(query)
    can_export = allowed(context.standing, Action.EXPORT_DIRECTORY)
    text, keyboard = views.directory_page(
        context.lang, context.standing.current_cluster_name, members, page, total, chosen, group, can_export, erased
    )
    await answer(update, text, keyboard)


async def choose_group_filter(update: Update, context: RembugContext) -> None:
    """The small groups to filter by (``dr1:fg:<filter to return to>``)."""
    button = await _tapped(update, context, Action.VIEW_DIRECTORY)
    if button is None:
        return
    async with context.db.read() as conn:
        groups = await small_groups.list_groups(conn, context.standing.current_cluster_id)
    await answer_tap(update.callback_query)
    text, keyboard = views.choose_group(context.lang, groups, button.filter)
    await answer(update, text, keyboard)


async def choose_type_filter(update: Update, context: RembugContext) -> None:
    """The stakeholder types to filter by (``dr1:ft:<filter to return to>``)."""
    button = await _tapped(update, context, Action.VIEW_DIRECTORY)
    if button is None:
        return
    await answer_tap(update.callback_query)
    text, keyboard = views.choose_type(context.lang, button.filter)
    await answer(update, text, keyboard)


async def download(update: Update, context: RembugContext) -> None:
    """Send every active member as a CSV or Excel file, headers in the person's language, phone numbers
    only of those who agreed."""
    button = await _tapped(update, context, Action.EXPORT_DIRECTORY)
    if button is None:
        return
    cluster_id = context.standing.current_cluster_id
    async with context.db.read() as conn:
        cluster = await clusters.load_cluster(conn, cluster_id)
        members, total = await memberships.directory(conn, cluster_id)
        shared = await consents.consenting(conn, consents.PHONE, cluster_id, (m.user_id for m in members))
    await answer_tap(update.callback_query)
    extension = DOWNLOADS[button.action]
    headers, rows = views.export_table(context.lang, members, cluster.timezone, shared)
    if button.action is DirectoryAction.CSV:
        data = export.build_csv(headers, rows)
    else:
        data = export.build_xlsx(headers, rows, views.sheet_name(context.lang))
    filename = views.export_filename(context.lang, cluster.name, cluster.id, extension)
    caption = views.export_caption(context.lang, cluster.name, total, context.clock.now(), cluster.timezone)
    await chat_of(update).send_document(document=InputFile(data, filename=filename), caption=caption)
    await note_download(context, cluster_id, Access.DIRECTORY, file_kind(filename))


MENU_ENTRY = MenuEntry(
    "members",
    N_("Member list"),
    N_("every member with their small group and type; filter, and download as CSV or Excel."),
    callback_data(DIRECTORY_PREFIX, *directory_button_parts(DirectoryButton(DirectoryAction.PAGE, 0, ALL_MEMBERS))),
    action=Action.VIEW_DIRECTORY,
    order=50,
)
BUTTONS = {
    DirectoryAction.PAGE: show_page,
    DirectoryAction.BY_GROUP: choose_group_filter,
    DirectoryAction.BY_TYPE: choose_type_filter,
    DirectoryAction.CSV: download,
    DirectoryAction.EXCEL: download,
}


def register(application: RembugApplication) -> None:
    """Add the directory's buttons and its menu entry."""
    application.services.menu.add(MENU_ENTRY)
    for action, callback in BUTTONS.items():
        application.add_handler(CallbackQueryHandler(callback, pattern=f"^{DIRECTORY_PREFIX}:{action}(:|$)"))
