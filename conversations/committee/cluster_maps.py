"""🗺 The committee's clusters by their maps: one row per cluster with the guideline's Step 1 criteria
(core firms, workers, sales, supporting industry, marketability), a page at a time, and under the first
page each cluster's value chain as a picture (``conversations/cluster_map``)."""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from html import escape

import aiosqlite
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update

from bot.buttons import callback_data
from bot.context import RembugContext
from bot.i18n import format_number, translator
from bot.page_buttons import page_line, page_rows
from bot.paging import page_of
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.update_parts import chat_of
from conversations.cluster_map import MapFigures, cluster_chain, map_figures, render_chain
from conversations.cluster_map.views import criteria_parts
from conversations.committee.handlers import _committee_for
from conversations.committee.rules import PREFIX, Step
from storage import committee_figures as queries
from storage.committees import Committee

MAPS_PAGE = 6  # clusters a page: each row is five figures long
PICTURES = 6  # value chains sent under the first page; the reports carry every cluster's


@dataclass(frozen=True)
class ClusterMap:
    """One cluster of the committee with its map's figures."""

    cluster_id: int
    name: str
    figures: MapFigures


async def committee_maps(conn: aiosqlite.Connection, committee_id: int) -> list[ClusterMap]:
    """The committee's clusters, each with its map's figures."""
    return [
        ClusterMap(row.id, row.name, await map_figures(conn, row.id))
        for row in await queries.clusters(conn, committee_id)
    ]


def maps_text(lang: str, committee: Committee, maps: list[ClusterMap], page: int) -> tuple[str, InlineKeyboardMarkup]:
    """A page of the clusters' Step 1 criteria side by side."""
    t = translator(lang)
    _ = t.gettext
    shown, page, pages = page_of(maps, page, MAPS_PAGE)
    lines = [
        _("🗺 <b>{title}: cluster maps</b>").format(title=escape(committee.name)),
        page_line(lang, page, pages),
        _(
            "The guideline's Step 1 criteria, from the members and their firm profiles (workers and sales are estimates)."
        ),
        "",
    ]
    for one in shown:
        f = one.figures
        profiles = _("firm profiles {sent}/{firms}").format(
            sent=format_number(f.profiles, lang), firms=format_number(f.firms, lang)
        )
        lines.append(f"• <b>{escape(one.name)}</b> ({profiles}): " + " · ".join(criteria_parts(lang, f.criteria)))
    if not maps:
        lines.append(_("No clusters yet."))
    rows = page_rows(lang, page, pages, lambda number: callback_data(PREFIX, Step.MAPS.value, committee.id, number))
    rows.append([InlineKeyboardButton(_("📋 Overview"), callback_data=callback_data(PREFIX, "c", committee.id))])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def chain_pictures(conn: aiosqlite.Connection, maps: list[ClusterMap], lang: str) -> list[tuple[str, bytes]]:
    """Each cluster's value chain as ``(name, PNG)``, drawn in a worker thread."""
    chains = [(one.name, await cluster_chain(conn, one.cluster_id)) for one in maps]
    return await asyncio.to_thread(lambda: [(name, render_chain(chain, lang, name)) for name, chain in chains])


async def show_maps(update: Update, context: RembugContext) -> None:
    """🗺 The clusters' maps (``cm1:map:<committee>[:<page>]``): the criteria; the pictures under the first page."""
    found = await _committee_for(update, context, Action.FOLLOW_COMMITTEE, Step.MAPS)
    if found is None:
        return
    committee, tap = found
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        maps = await committee_maps(conn, committee.id)
    text, keyboard = maps_text(context.lang, committee, maps, tap.page or 0)
    if tap.page is not None:  # turning the pages: the table changes in place
        await answer(update, text, keyboard)
        return
    chat = chat_of(update)
    await chat.send_message(text, reply_markup=keyboard)
    async with context.db.read() as conn:
        pictures = await chain_pictures(conn, maps[:PICTURES], context.lang)
    for name, png in pictures:
        await chat.send_photo(InputFile(io.BytesIO(png), filename="value-chain.png"), caption=escape(name))


__all__ = ["chain_pictures", "committee_maps", "maps_text", "show_maps"]
