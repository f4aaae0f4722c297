"""A facilitator answers a member's letter: "↩️ Reply", type the answer, and it reaches the member.

"↩️ Reply" opens the persistent conversation's step ``answer`` (the draft, flow
"letter_answer", holds the letter); the typed answer is stored and goes to the member through
the outbox with who answered. The member writes again the same way: by typing.
"""

from __future__ import annotations

import aiosqlite
from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import RembugContext
from bot.flows import finish_draft, read_button, read_draft, replayed_effect, save_answers
from bot.recipients import language_of
from bot.replies import answer_tap
from bot.update_parts import chat_of, message_of
from conversations.messages import rules, views
from conversations.messages.writing import letter_batch, text_payload
from storage import clusters, drafts, memberships
from storage import letters as store
from storage import outbox as outbox_store
from storage.letters import Letter

FLOW = "letter_answer"
ANSWER = "answer"


async def _answerable(conn: aiosqlite.Connection, letter_id: int, user_id: int) -> tuple[Letter, str] | None:
    """The member's sent letter and the member's name, when ``user_id`` facilitates its cluster."""
    letter = await store.get_letter(conn, letter_id)
    if letter is None or letter.in_reply_to is not None or letter.status != "sent":
        return None
    facilitator = await memberships.get_membership(conn, letter.cluster_id, user_id)
    if facilitator is None or not facilitator.active or not facilitator.is_facilitator:
        return None
    member = await memberships.get_membership(conn, letter.cluster_id, letter.member_id)
    return letter, member.full_name if member else "?"


async def begin(update: Update, context: RembugContext) -> str | int:
    """ "↩️ Reply" under a member's letter (``lt1:re:<letter>``): ask for the answer."""
    tap = await read_button(update, context, rules.parse_letter_button, rules.LetterTap)
    if tap is None:
        return ConversationHandler.END
    async with context.db.read() as conn:
        found = await _answerable(conn, tap.letter_id, context.user.id)
    if found is None:
        await answer_tap(update.callback_query, views.only_facilitators(context.lang), show_alert=True)
        return ConversationHandler.END
    letter, member = found
    async with context.db.transaction() as tx:
        await drafts.clear_draft(tx, context.user.id, FLOW)
    await save_answers(context, FLOW, letter=letter.id)
    await answer_tap(update.callback_query)
    await chat_of(update).send_message(views.ask_answer(context.lang, member, letter.body))
    return ANSWER


async def receive_answer(update: Update, context: RembugContext) -> str | int:
    """The facilitator's typed answer: stored, sent to the member with who answered, confirmed."""
    message = message_of(update)
    done = await replayed_effect(context, update, FLOW)
    if done is not None:  # this very text was answered before a crash: say so again, send nothing
        await message.reply_text(views.answer_sent(context.lang, done["member"]))
        return ConversationHandler.END
    draft = await read_draft(context, FLOW)
    body = rules.clean_body(message.text)
    if body is None:
        await message.reply_text(views.type_the_answer(context.lang))
        return ANSWER
    now = context.clock.now()
    async with context.db.transaction() as tx:
        found = await _answerable(tx, draft["letter"], context.user.id) if draft.get("letter") else None
        if found is not None:
            letter, member = found
            reply, new = await store.add_answer(tx, letter, context.user.id, body, now, update.update_id)
            if new:
                cluster = await clusters.load_cluster(tx, letter.cluster_id)
                facilitator = await memberships.get_membership(tx, letter.cluster_id, context.user.id)
                name = facilitator.full_name if facilitator else context.user.first_name
                lang = await language_of(tx, letter.member_id, context.settings.language)
                parts = views.answer_for_member(lang, name, cluster.name, body)
                await outbox_store.enqueue(tx, letter_batch(reply.id), [(letter.member_id, text_payload(parts))], now)
            await finish_draft(tx, update, context.user.id, FLOW, member=member)
        else:
            await drafts.clear_draft(tx, context.user.id, FLOW)
    if found is None:
        await message.reply_text(views.only_facilitators(context.lang))
        return ConversationHandler.END
    context.services.outbox.wake()
    await message.reply_text(views.answer_sent(context.lang, member))
    return ConversationHandler.END


async def not_text(update: Update, context: RembugContext) -> str:
    """A sticker, photo... while the answer is awaited."""
    await message_of(update).reply_text(views.type_the_answer(context.lang))
    return ANSWER
