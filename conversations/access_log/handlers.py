"""Who saw what: facilitators read their cluster's record, the committee's secretary the committee's."""

from __future__ import annotations

import aiosqlite
from telegram import Update

from bot.context import RembugContext
from bot.flows import read_button
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
    page = tap.page
    while True:
        offset = page * PAGE_SIZE
        if tap.committee_id is None:
            assert cluster_id is not None  # a facilitator's standing has a cluster
            entries, total = await access_log.of_cluster(conn, cluster_id, offset, PAGE_SIZE)
        else:
            entries, total = await access_log.of_committee(conn, tap.committee_id, offset, PAGE_SIZE)
        pages = max(1, -(-total // PAGE_SIZE))
        if entries or page < pages:
            return entries, page, pages
        page = pages - 1


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
