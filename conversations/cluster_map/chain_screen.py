"""🔗 The value chain: a facilitator gets the picture with its table version under it, turns the table's
pages, and downloads the table as CSV and Excel."""

from __future__ import annotations

import asyncio
import io

from telegram import InputFile, Update

from bot import exports
from bot.context import RembugContext
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.stale import explain_stale
from bot.update_parts import chat_of, query_of
from conversations.cluster_map import rules, views
from conversations.cluster_map.figures import cluster_chain
from conversations.cluster_map.figures_screen import VIEW
from conversations.cluster_map.picture import render_chain
from conversations.cluster_map.rules import Chain, Step
from storage import clusters


async def _tap_and_chain(
    update: Update, context: RembugContext, *steps: Step
) -> tuple[rules.MapTap, str, Chain] | None:
    """The tapped button (one of ``steps``), the cluster's name and its chain; None after answering."""
    if not await require(update, context, VIEW):
        return None
    tap = rules.parse_tap(query_of(update).data)
    if tap is None or tap.step not in steps:
        await explain_stale(update, context)
        return None
    cluster_id = context.standing.current_cluster_id
    async with context.db.read() as conn:
        cluster = await clusters.load_cluster(conn, cluster_id)
        chain = await cluster_chain(conn, cluster_id)
    return tap, cluster.name, chain


async def chain_photo(chain: Chain, lang: str, cluster_name: str) -> InputFile:
    """The chain's picture, drawn in a worker thread (a drawing never holds up other replies), ready to send."""
    png = await asyncio.to_thread(render_chain, chain, lang, cluster_name)
    return InputFile(io.BytesIO(png), filename="value-chain.png")


async def send_chain(update: Update, context: RembugContext) -> None:
    """The picture with its caption, then the table version's first page (``map1:chain``)."""
    found = await _tap_and_chain(update, context, Step.CHAIN)
    if found is None:
        return
    _tap, name, chain = found
    await answer_tap(query_of(update))
    chat = chat_of(update)
    await chat.send_photo(
        await chain_photo(chain, context.lang, name), caption=views.caption(context.lang, name, chain)
    )
    text, keyboard = views.table(context.lang, name, chain, 0)
    await chat.send_message(text, reply_markup=keyboard)


async def show_table(update: Update, context: RembugContext) -> None:
    """A page of the table version (``map1:table:<page>``), in place."""
    found = await _tap_and_chain(update, context, Step.TABLE)
    if found is None:
        return
    tap, name, chain = found
    await answer_tap(query_of(update))
    await answer(update, *views.table(context.lang, name, chain, tap.page or 0))


async def send_downloads(update: Update, context: RembugContext) -> None:
    """⬇️ The table version as CSV and Excel (``map1:dl``)."""
    found = await _tap_and_chain(update, context, Step.DOWNLOAD)
    if found is None:
        return
    _tap, name, chain = found
    await answer_tap(query_of(update))
    headers, rows = views.table_rows(context.lang, chain)
    stem = f"value-chain-{exports.slug(name, 'cluster')}"
    chat = chat_of(update)
    sheet = context.gettext("Value chain")
    await chat.send_document(InputFile(io.BytesIO(exports.build_csv(headers, rows)), filename=f"{stem}.csv"))
    await chat.send_document(InputFile(io.BytesIO(exports.build_xlsx(headers, rows, sheet)), filename=f"{stem}.xlsx"))
