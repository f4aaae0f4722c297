"""Facilitators show the invitation (link, code, QR image) and rotate it."""

from __future__ import annotations

import io

import qrcode
from qrcode.image.pil import PilImage
from telegram import InputFile, Update

from bot.context import RembugContext
from bot.flows import confirmation_needed, open_confirmation, take_confirmation
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.update_parts import chat_of
from conversations.membership import cluster_views, join_rules, rules
from storage import clusters, join_attempts


def invite_link(bot_username: str, code: str) -> str:
    """The deep link that opens the bot and starts joining the cluster."""
    return f"https://t.me/{bot_username}?start={rules.invite_payload(code)}"


def qr_png(text: str) -> bytes:
    """A QR code of ``text`` as PNG bytes, large enough to print on A4 or show on a screen."""
    code = qrcode.QRCode(box_size=12, border=4)
    code.add_data(text)
    image = code.make_image(image_factory=PilImage)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


async def show_invitation(update: Update, context: RembugContext) -> None:
    """The current cluster's invitation link and code."""
    if not await require(update, context, Action.SHOW_INVITE):
        return
    if update.callback_query:
        await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        cluster = await clusters.load_cluster(conn, context.standing.current_cluster_id)
        wrong = await join_attempts.wrong_codes_since(conn, context.clock.now() - join_rules.FACILITATOR_PERIOD)
    link = invite_link(context.bot.username, cluster.invite_code)
    text, keyboard = cluster_views.invitation(context.lang, cluster.name, link, cluster.invite_code, wrong)
    await answer(update, text, keyboard)


async def send_qr(update: Update, context: RembugContext) -> None:
    """The invitation link as a QR image to print or show at a meeting."""
    if not await require(update, context, Action.SHOW_INVITE):
        return
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        cluster = await clusters.load_cluster(conn, context.standing.current_cluster_id)
    png = qr_png(invite_link(context.bot.username, cluster.invite_code))
    await chat_of(update).send_photo(
        InputFile(io.BytesIO(png), filename=f"qr-{cluster.invite_code}.png"),
        caption=cluster_views.qr_caption(context.lang, cluster.name, cluster.invite_code),
    )


async def ask_rotate(update: Update, context: RembugContext) -> None:
    """Ask before making old links useless."""
    if not await require(update, context, Action.ROTATE_INVITE):
        return
    await open_confirmation(context, f"cluster:{context.standing.current_cluster_id}:rotate")
    await answer_tap(update.callback_query)
    text, keyboard = cluster_views.confirm_rotate(context.lang)
    await answer(update, text, keyboard)


async def rotate(update: Update, context: RembugContext) -> None:
    """Replace the invitation code, from its confirm screen; show the new invitation."""
    if not await require(update, context, Action.ROTATE_INVITE):
        return
    async with context.db.transaction() as tx:
        confirmed = await take_confirmation(
            tx, context, f"cluster:{context.standing.current_cluster_id}:rotate", update
        )
        if confirmed:
            await clusters.set_invite_code(tx, context.standing.current_cluster_id, rules.new_invite_code())
    if not confirmed:
        await answer_tap(update.callback_query, confirmation_needed(context.lang), show_alert=True)
        return
    await show_invitation(update, context)
