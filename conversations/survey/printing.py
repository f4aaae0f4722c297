"""Paper and phone as one: a round's questionnaire as a PDF to print, and the round's link its QR code holds.

The facilitator taps 🖨 on the round list and gets the A4 questionnaire (``bot/form_pdf.py``) in their
language, with a button for the other language. Its QR code is the round's deep link
(``/start survei-<round>``): a member who scans it lands in the round's first unanswered question; a
closed round or someone outside the cluster is told why, with the way on.
"""

from __future__ import annotations

import asyncio
import io
from datetime import datetime

import aiosqlite
from telegram import InputFile, Update

from bot.context import RembugContext
from bot.flows import show_menu
from bot.form_pdf import form_pdf
from bot.permissions import require
from bot.replies import answer_tap
from bot.roles import Action
from bot.stale import Explanation, explain_stale, way_forward
from bot.update_parts import chat_of, message_of
from conversations.survey import printing_views as views
from conversations.survey import rules, stale
from conversations.survey.handlers import _start, _tap_round
from storage import clusters, memberships, surveys


def round_link(bot_username: str, round_id: int) -> str:
    """The deep link a member opens (or scans from the paper) to answer the round."""
    return f"https://t.me/{bot_username}?start={rules.round_payload(round_id)}"


async def print_questionnaire(update: Update, context: RembugContext) -> None:
    """The round's questionnaire as an A4 PDF, in the language the button names (``sv1:prt:<round>:<language>``)."""
    if not await require(update, context, Action.RUN_SURVEY):
        return
    tapped = await _tap_round(update, context)
    if tapped is None:
        return
    tap, survey_round = tapped
    lang = rules.print_language(tap.number)
    if tap.step != "prt" or lang is None:
        await explain_stale(update, context)
        return
    if not rules.accepting(survey_round.status, survey_round.closes_at, context.clock.now()):
        await explain_stale(update, context)  # closed, or replaced by a newer round: said, with the way on
        return
    async with context.db.read() as conn:
        cluster = await clusters.load_cluster(conn, survey_round.cluster_id)
    await answer_tap(update.callback_query, views.preparing(context.lang))
    form = context.services.forms.forms[(survey_round.form_id, survey_round.form_version)]
    link = round_link(context.bot.username, survey_round.id)
    heading = views.printed_heading(lang, cluster.name, survey_round.title)
    pdf = await asyncio.to_thread(form_pdf, form, lang, heading=heading, link=link)
    caption, keyboard = views.printed(context.lang, survey_round.title, lang, link, survey_round.id)
    await chat_of(update).send_document(
        InputFile(io.BytesIO(pdf), filename=f"{form.id}-{survey_round.id}-{lang}.pdf"),
        caption=caption,
        reply_markup=keyboard,
    )


async def answer_by_link(update: Update, context: RembugContext) -> None:
    """/start survei-<round>: the round's answering for a member of its cluster; anyone else is told why."""
    round_id = rules.round_of_payload(context.args[0] if context.args else None)
    now = context.clock.now()
    async with context.db.read() as conn:
        survey_round = await surveys.get_round(conn, round_id) if round_id else None
        if survey_round is None:
            member, cluster, explanation = None, None, None
        else:
            cluster = await clusters.load_cluster(conn, survey_round.cluster_id)
            member = await memberships.get_membership(conn, survey_round.cluster_id, context.user.id)
            explanation = await _closed(conn, context, survey_round, now)
    if survey_round is None or cluster is None:
        await show_menu(update, context, views.unknown_round(context.lang))
    elif member is None or not member.active:
        await show_menu(update, context, views.not_a_member(context.lang, cluster.name))
    elif explanation is not None:
        await message_of(update).reply_text(explanation.text, reply_markup=way_forward(context.lang, explanation))
    else:
        await _start(update, context, survey_round, context.user.id, None)


async def _closed(
    conn: aiosqlite.Connection, context: RembugContext, survey_round: surveys.Round, now: datetime
) -> Explanation | None:
    """Why a round no longer takes answers (closed, or a newer round replaced it), or None while it does."""
    if rules.accepting(survey_round.status, survey_round.closes_at, now):
        return None
    rounds = await surveys.rounds_of(conn, survey_round.cluster_id)  # oldest first
    later = [  # a newer round of the same questionnaire takes its place; one of another runs beside it
        r for r in rounds[[r.id for r in rounds].index(survey_round.id) + 1 :] if r.form_id == survey_round.form_id
    ]
    newest = later[-1] if later else None
    verdict = rules.round_verdict(accepting=False, newer=newest is not None, sent=False)
    assert verdict is not None
    open_newest = newest.id if newest and rules.accepting(newest.status, newest.closes_at, now) else None
    return stale.round_explanation(context.lang, survey_round.title, verdict, open_newest)
