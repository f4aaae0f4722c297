"""The organisation's page from the menu: the vision and mission, the rules, the board, elections."""

from __future__ import annotations

from telegram import Update

from bot.context import RembugContext
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action, allowed
from conversations.organisation import views
from storage import clusters, elections, memberships, organisation


async def show_home(update: Update, context: RembugContext) -> None:
    """The organisation's page (menu entry, ``/organisation``, every « Back)."""
    if not await require(update, context, Action.VIEW_ORGANISATION):
        return
    cluster_id = context.standing.current_cluster_id
    if update.callback_query:
        await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        cluster = await clusters.load_cluster(conn, cluster_id)
        vision = await organisation.adopted_vision(conn, cluster_id)
        versions = await organisation.rules_versions(conn, cluster_id)
        holders = await memberships.board(conn, cluster_id)
        current = [e for e in await elections.elections_of(conn, cluster_id) if e.status != "closed"]
    text, keyboard = views.home(
        context.lang,
        cluster.name,
        cluster.timezone,
        vision,
        versions[0] if versions else None,
        holders,
        current,
        allowed(context.standing, Action.RUN_ORGANISATION),
    )
    await answer(update, text, keyboard)


async def read_vision(update: Update, context: RembugContext) -> None:
    """The adopted vision and mission in full (``og1:vv``)."""
    if not await require(update, context, Action.VIEW_ORGANISATION):
        return
    cluster_id = context.standing.current_cluster_id
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        vision = await organisation.adopted_vision(conn, cluster_id)
    await answer(update, *views.vision_in_full(context.lang, vision))
