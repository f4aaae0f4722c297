"""A member writes to the facilitators: text typed outside any question is kept and, on one tap, sent.

Nothing is forwarded without the member's "✉️ Send to the facilitators" tap. The letter goes
through the outbox to the facilitators of the member's current cluster (chosen by the audience
engine), with the member's name and small group and a "↩️ Reply" button (``replying.py``).
"""

from __future__ import annotations

from typing import Any

import aiosqlite
from telegram import Update

from bot.audience import Audience, select
from bot.context import RembugContext
from bot.flows import read_button, replayed_effect
from bot.recipients import language_of, people_of
from bot.replies import answer, answer_tap
from bot.roles import Role
from bot.stale import explain_stale
from bot.update_parts import message_of
from conversations.messages import late_input, rules, views
from storage import clusters, memberships
from storage import inbox as inbox_store
from storage import letters as store
from storage import outbox as outbox_store
from storage.letters import Letter

FLOW = "letter"  # what a Send tap did, for its replay (bot.flows.replayed_effect)


def letter_batch(letter_id: int) -> str:
    """The outbox batch of one letter (to the facilitators, or an answer to the member)."""
    return f"letter:{letter_id}"


def text_payload(parts: list[str], markup: dict[str, Any] | None = None) -> dict[str, Any]:
    """An outbox text payload: the first part, the rest after it, the buttons under the last."""
    payload: dict[str, Any] = {"kind": "text", "text": parts[0], "more": parts[1:]}
    if markup:
        payload["reply_markup"] = markup
    return payload


async def offer(update: Update, context: RembugContext) -> bool:
    """Text outside any question from a member: keep it and offer to send it (False: not a member's text)."""
    standing = context.standing
    message = message_of(update)
    who = rules.writer(standing.cluster_id is not None, Role.FACILITATOR in standing.roles)
    body = rules.clean_body(message.text)
    if who is not rules.Writer.MEMBER or body is None:
        return False
    cluster_id, now = standing.current_cluster_id, context.clock.now()
    async with context.db.read() as conn:
        late = await late_input.explain(conn, context.user.id, cluster_id, now, context.lang)
    async with context.db.transaction() as tx:
        letter = await store.keep_letter(tx, cluster_id, context.user.id, body, now, update.update_id)
    text, keyboard = views.offer(context.lang, standing.current_cluster_name, letter.id, late)
    await message.reply_text(text, reply_markup=keyboard)
    return True


async def _facilitators(conn: aiosqlite.Connection, letter: Letter) -> list[int]:
    """Who receives a member's letter: the facilitators of its cluster (not the member)."""
    people = await people_of(conn, letter.cluster_id)
    return select(Audience(roles=(Role.FACILITATOR.value,)), people, leave_out=letter.member_id).chosen


async def _enqueue_letter(
    tx: aiosqlite.Connection, context: RembugContext, letter: Letter, recipients: list[int]
) -> None:
    """One row per facilitator, in their language, with the member's name and small group."""
    cluster = await clusters.load_cluster(tx, letter.cluster_id)
    member = await memberships.get_membership(tx, letter.cluster_id, letter.member_id)
    name = member.full_name if member else context.user.first_name
    group = member.small_group_name if member else None
    rows = []
    for user_id in recipients:
        lang = await language_of(tx, user_id, context.settings.language)
        parts, keyboard = views.letter_for_facilitators(lang, letter.id, name, group, cluster.name, letter.body)
        rows.append((user_id, text_payload(parts, keyboard.to_dict())))
    await outbox_store.enqueue(tx, letter_batch(letter.id), rows, context.clock.now())


async def send(update: Update, context: RembugContext) -> None:
    """ "✉️ Send to the facilitators" (``lt1:send:<letter>``): the kept text goes out, once."""
    tap = await read_button(update, context, rules.parse_letter_button, rules.LetterTap)
    if tap is None:
        return
    now, cluster_name, sent_now = context.clock.now(), "", False
    async with context.db.transaction() as tx:
        letter = await store.get_letter(tx, tap.letter_id)
        if letter is None or letter.member_id != context.user.id or letter.in_reply_to is not None:
            letter = None
        else:
            cluster_name = (await clusters.load_cluster(tx, letter.cluster_id)).name
            recipients = await _facilitators(tx, letter)
            if recipients and await store.mark_sent(tx, letter.id, context.user.id, now):
                await _enqueue_letter(tx, context, letter, recipients)
                await inbox_store.note_effect(tx, update.update_id, {"flow": FLOW, "sent": letter.id})
                letter, sent_now = await store.get_letter(tx, letter.id), True
    if letter is None:
        await explain_stale(update, context)
        return
    if letter.status == "kept":  # nobody to send it to
        await answer_tap(update.callback_query)
        await answer(update, views.no_facilitator(context.lang))
        return
    if sent_now or await replayed_effect(context, update, FLOW):  # this tap sent it (its reply may have been lost)
        context.services.outbox.wake()
        await answer_tap(update.callback_query)
        await answer(update, views.sent(context.lang, cluster_name))
        return
    await answer_tap(update.callback_query, views.letter_gone(context.lang, letter.status))  # a second tap


async def drop(update: Update, context: RembugContext) -> None:
    """ "Cancel" under the offer (``lt1:drop:<letter>``): the text is not sent."""
    tap = await read_button(update, context, rules.parse_letter_button, rules.LetterTap)
    if tap is None:
        return
    async with context.db.transaction() as tx:
        letter = await store.get_letter(tx, tap.letter_id)
        mine = letter is not None and letter.member_id == context.user.id and letter.in_reply_to is None
        dropped = mine and await store.drop_letter(tx, tap.letter_id, context.user.id)
    if not mine or letter is None:
        await explain_stale(update, context)
        return
    if not dropped and letter.status == "sent":  # sent before, from this or another phone
        await answer_tap(update.callback_query, views.letter_gone(context.lang, letter.status))
        return
    await answer_tap(update.callback_query)
    await answer(update, views.dropped(context.lang))
