"""🖨 Paper forms: the flow's questionnaires (the action plan's questions, the evaluations) as blank A4 PDFs.

Every definition in ``forms/`` is listed, the action plan first, and printed by ``bot/form_pdf.py``
from the definition alone: a new file there is offered with no new code. The QR code opens the bot.
"""

from __future__ import annotations

import asyncio
import io
from functools import cache
from pathlib import Path

from telegram import InputFile, Update

from bot.context import RembugContext
from bot.form_pdf import form_pdf
from bot.forms import Form, load_forms
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.stale import explain_stale
from bot.update_parts import chat_of
from conversations.plans import rules, views
from conversations.plans.access import tap_of
from storage import clusters

FORMS = Path(__file__).parent / "forms"
FIRST = "action_plan"


@cache
def paper_form_ids() -> tuple[str, ...]:
    """The flow's questionnaires, the action plan first, then by name."""
    return tuple(sorted({form.id for form in load_forms(FORMS).values()}, key=lambda name: (name != FIRST, name)))


def bot_link(bot_username: str) -> str:
    """The bot itself, for the QR code of a blank form."""
    return f"https://t.me/{bot_username}"


async def show_paper_forms(update: Update, context: RembugContext) -> None:
    """The list of blank forms (``pl1:ppr``), or one of them as a PDF (``pl1:ppr:<n>``)."""
    if not await require(update, context, Action.RUN_PLANS):
        return
    tap = await tap_of(update, context, rules.PaperTap)
    if tap is None:
        return
    dialog = context.services.forms
    found: list[Form] = [dialog.latest(form_id) for form_id in paper_form_ids()]
    if tap.number is None:
        await answer_tap(update.callback_query)
        await answer(update, *views.paper_forms(context.lang, [form.title(context.lang) for form in found]))
        return
    if tap.number >= len(found):
        await explain_stale(update, context)
        return
    form = found[tap.number]
    async with context.db.read() as conn:
        cluster = await clusters.load_cluster(conn, context.standing.current_cluster_id)
    await answer_tap(update.callback_query)
    link = bot_link(context.bot.username)
    pdf = await asyncio.to_thread(form_pdf, form, context.lang, heading=[cluster.name], link=link)
    await chat_of(update).send_document(
        InputFile(io.BytesIO(pdf), filename=f"{form.id}.pdf"),
        caption=views.paper_caption(context.lang, form.title(context.lang)),
    )
