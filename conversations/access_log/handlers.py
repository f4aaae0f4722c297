"""Who saw what: facilitators read their cluster's record, the committee's secretary the committee's."""

from __future__ import annotations

import aiosqlite
from telegram import Update

from bot.context import RembugContext
from bot.flows import read_button
from bot.paging import clamp_page, page_count
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action, standing_in_committee
from bot.stale import explain_stale
from conversations.access_log import views
from conversations.access_log.rules import PAGE_SIZE, LogTap, parse_log_button
from storage import access_log, committees
from storage.access_log import Entry


async def _page(conn: aiosqlite.Connection, tap: LogTap, cluster_id: int | None) -> tuple[list[Entry], int, int]:
    """The entries of the tapped page (the last one there is, for an old button), the page and the page count."""

    async def entries_on(page: int) -> tuple[list[Entry], int]:
        if tap.committee_id is not None:
            return await access_log.of_committee(conn, tap.committee_id, page * PAGE_SIZE, PAGE_SIZE)
        assert cluster_id is not None  # the record of a cluster is shown to its facilitators only
        return await access_log.of_cluster(conn, cluster_id, page * PAGE_SIZE, PAGE_SIZE)

    page = tap.page
    entries, total = await entries_on(page)
    if not entries and total:  # an old button of a page beyond the last: show the last one
        page = clamp_page(page, total, PAGE_SIZE)
        entries, total = await entries_on(page)
    return entries, page, page_count(total, PAGE_SIZE)


async def show_log(update: Update, context: RembugContext) -> None:
    """🕵 A page of the record (``al1:k:<page>`` for the cluster, ``al1:c:<committee>:<page>``)."""
    tap = await read_button(update, context, parse_log_button, LogTap)
    if tap is None:
        return
    if tap.committee_id is None:
        if not await require(update, context, Action.VIEW_ACCESS_LOG):
            return
        title, cluster_id = context.standing.current_cluster_name, context.standing.current_cluster_id
    else:
        async with context.db.read() as conn:
            committee = await committees.get_committee(conn, tap.committee_id)
            me = await committees.member(conn, tap.committee_id, context.user.id) if committee else None
        if committee is None:
            await explain_stale(update, context)
            return
        standing = standing_in_committee(context.user.id, context.standing.is_admin, me.role if me else None)
        if not await require(update, context, Action.COMMITTEE_ACCESS_LOG, standing):
            return
        title, cluster_id = committee.name, None
    async with context.db.read() as conn:
        entries, page, pages = await _page(conn, tap, cluster_id)
    await answer_tap(update.callback_query)
    await answer(update, *views.log_page(context.lang, title, entries, page, pages, tap.committee_id))
