"""Announcing the formation: one due message per member (reminder engine) and a one-page PDF for the facilitator.

The announcement names the board, the vision and mission in force and the
next meeting (ANNEX-2 Step 6: after the formation, the next meeting's agenda
and date are announced).
"""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from telegram import InputFile, Update

from bot.context import RembugContext
from bot.exports import slug
from bot.recipients import language_of
from bot.replies import answer, answer_tap
from bot.services import RembugApplication
from bot.update_parts import chat_of
from conversations.organisation import announcement_views as aviews
from conversations.organisation.access import election_id_of, managed_election
from conversations.organisation.formation_pdf import build_formation_pdf
from storage import clusters, elections, meetings, memberships, organisation
from storage import reminders as due_messages
from storage.reminders import Due

ANNOUNCEMENT = "organisation.announcement"


async def _facts(conn, cluster_id: int, now):
    cluster = await clusters.get_cluster(conn, cluster_id)
    holders = await memberships.board(conn, cluster_id)
    vision = await organisation.adopted_vision(conn, cluster_id)
    upcoming = [m for m in await meetings.list_meetings(conn, cluster_id, after=now) if not m.cancelled]
    return cluster, holders, vision, upcoming[0] if upcoming else None


async def announce(update: Update, context: RembugContext) -> None:
    """📣 Announce the organisation (``og1:ea:<election>``): to every member, and the PDF to the facilitator."""
    election = await managed_election(update, context, election_id_of(update))
    if election is None:
        return
    if election.status != "closed":
        await answer_tap(update.callback_query, aviews.not_closed(context.lang), show_alert=True)
        return
    now = context.clock.now()
    async with context.db.transaction() as tx:
        first = await elections.mark_announced(tx, election.id, now)
        everyone, _total = await memberships.directory(tx, election.cluster_id)
        if first:
            for member in everyone:
                await due_messages.schedule(
                    tx,
                    f"election:{election.id}:announce:{member.user_id}",
                    ANNOUNCEMENT,
                    now,
                    {"election": election.id, "user": member.user_id},
                    now,
                )
        cluster, holders, vision, meeting = await _facts(tx, election.cluster_id, now)
    await answer_tap(update.callback_query)
    context.services.reminders.wake()
    if first:
        await answer(update, aviews.announced(context.lang, len(everyone)))
    else:
        await chat_of(update).send_message(aviews.already(context.lang))
    today = now.astimezone(ZoneInfo(cluster.timezone)).date()
    sheet = aviews.sheet(
        context.lang,
        cluster.name,
        f"{cluster.regency}, {cluster.province}",
        holders,
        vision,
        meeting,
        cluster.timezone,
        today,
    )
    await chat_of(update).send_document(
        InputFile(io.BytesIO(build_formation_pdf(sheet)), filename=f"{slug(cluster.name, 'klaster')}-organisation.pdf"),
        caption=aviews.pdf_caption(context.lang),
    )


async def send_announcement(due: Due, application: RembugApplication) -> str:
    """One member's announcement of the formation."""
    async with application.services.db.read() as conn:
        election = await elections.load_election(conn, due.payload["election"])
        cluster, holders, vision, meeting = await _facts(conn, election.cluster_id, due.due_at)
        lang = await language_of(conn, due.payload["user"], application.services.settings.language)
    await application.bot.send_message(
        due.payload["user"], aviews.announcement(lang, cluster.name, holders, vision, meeting, cluster.timezone)
    )
    return "announced"
