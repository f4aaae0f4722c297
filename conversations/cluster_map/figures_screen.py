"""🗺 The cluster map screen: a facilitator looks at the cluster's figures (members, workers, sales,
markets, the Step 1 criteria) and goes on to the value chain or to asking the firm profile."""

from __future__ import annotations

from telegram import Update

from bot.context import RembugContext
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.stale import explain_stale
from conversations.cluster_map import rules, views
from conversations.cluster_map.figures import map_figures
from storage import clusters

VIEW = Action.VIEW_DIRECTORY  # the map is the member list by place in the chain: the facilitators'


async def show_map(update: Update, context: RembugContext) -> None:
    """The figures (``map1:home``, the "🗺 Cluster map" menu entry, /map)."""
    if not await require(update, context, VIEW):
        return
    query = update.callback_query
    if query is not None and rules.parse_tap(query.data) is None:
        await explain_stale(update, context)
        return
    cluster_id = context.standing.current_cluster_id
    async with context.db.read() as conn:
        cluster = await clusters.load_cluster(conn, cluster_id)
        figures = await map_figures(conn, cluster_id)
    await answer_tap(query)
    await answer(update, *views.home(context.lang, cluster.name, figures))
