"""The cluster newsletter: link the cluster's channel or group, write a newsletter, post it
through the outbox and get it as a PDF; warnings when Rembug loses its rights there."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import aiosqlite
from telegram import InputFile, ReplyKeyboardRemove, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ConversationHandler

from bot.context import RembugContext
from bot.exports import slug
from bot.fitting import visible_length
from bot.flows import finish_draft, read_draft, save_answers, start_draft
from bot.i18n import format_local_date
from bot.permissions import require
from bot.recipients import language_of
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.services import RembugApplication
from bot.stale import explain_stale
from bot.update_parts import chat_of, message_of, query_of
from conversations.newsletter import edition_views as views
from conversations.newsletter import rules
from conversations.newsletter.edition_pdf import NewsletterSheet, build_newsletter_pdf
from storage import brainstorm, brainstorm_votes, channels, clusters, firms, meetings, memberships
from storage import outbox as outbox_store
from storage.channels import Channel

FLOW = "newsletter"
LINK_FLOW = "channel_link"
DELIVERY = "newsletter"  # the outbox batch kind: "newsletter:<id>:<attempt>"


async def rights_in(bot, chat_id: int, chat_type: str) -> tuple[str, ...] | None:
    """What Rembug lacks to post in ``chat_id`` (``()`` when it can), or None when Telegram could not say."""
    try:
        member = await bot.get_chat_member(chat_id, bot.id)
    except (Forbidden, BadRequest):
        return ("admin",) if chat_type == ChatType.CHANNEL else ("member",)
    except TelegramError:
        return None
    return rules.missing_rights(
        chat_type, member.status, getattr(member, "can_post_messages", None), getattr(member, "can_send_messages", None)
    )


async def _channel(context: RembugContext) -> Channel | None:
    cluster_id = context.standing.cluster_id
    if cluster_id is None:  # a step of the flow after the sender left the cluster
        return None
    async with context.db.read() as conn:
        return await channels.channel_of(conn, cluster_id)


# -- Home --------------------------------------------------------------------------------------------


async def show_home(update: Update, context: RembugContext, *, edit: bool = True) -> None:
    """📣 The newsletter's home: the linked chat and whether Rembug can post there (checked now)."""
    if not await require(update, context, Action.SEND_NEWSLETTER):
        return
    if update.callback_query and edit:
        await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        channel = await channels.channel_of(conn, context.standing.current_cluster_id)
        listed = len(await firms.list_firms(conn, context.standing.current_cluster_id))
    missing = await rights_in(context.bot, channel.chat_id, channel.chat_type) if channel else ()
    await answer(update, *views.home(context.lang, channel, missing, listed), edit=edit)


async def unlink(update: Update, context: RembugContext) -> None:
    """✂️ The cluster no longer has a channel."""
    if not await require(update, context, Action.SEND_NEWSLETTER):
        return
    async with context.db.transaction() as tx:
        channel = await channels.channel_of(tx, context.standing.current_cluster_id)
        await channels.unlink(tx, context.standing.current_cluster_id)
    if channel is None:
        await explain_stale(update, context)
        return
    await answer_tap(update.callback_query, views.unlinked(context.lang, channel.title)[:200])
    await show_home(update, context)


# -- Linking a channel or group ------------------------------------------------------------------------


async def begin_link(update: Update, context: RembugContext) -> str | int:
    """🔗 Show Telegram's chat pickers."""
    if not await require(update, context, Action.SEND_NEWSLETTER):
        return ConversationHandler.END
    await answer_tap(update.callback_query)
    text, keyboard = views.pickers(context.lang)
    await chat_of(update).send_message(text, reply_markup=keyboard)
    return "pick"


async def receive_chat(update: Update, context: RembugContext) -> str | int:
    """A chat was picked: link it, check Rembug's rights there and say what is missing."""
    if not await require(update, context, Action.SEND_NEWSLETTER):
        return ConversationHandler.END
    shared = message_of(update).chat_shared
    if shared is None:  # the handler is registered for shared chats only
        return "pick"
    try:
        chat = await context.bot.get_chat(shared.chat_id)
        chat_type, title = chat.type, chat.title or shared.title or str(shared.chat_id)
    except TelegramError:  # Rembug is not in it at all: Telegram will not even show it
        chat_type = ChatType.CHANNEL if shared.request_id == rules.CHANNEL_REQUEST else ChatType.SUPERGROUP
        title = shared.title or str(shared.chat_id)
    if chat_type == ChatType.PRIVATE:
        await message_of(update).reply_text(views.problem(context.lang, "private_chat"))
        return "pick"
    missing = await rights_in(context.bot, shared.chat_id, chat_type)
    async with context.db.transaction() as tx:
        await channels.link(
            tx,
            context.standing.current_cluster_id,
            shared.chat_id,
            title,
            chat_type,
            context.user.id,
            context.clock.now(),
        )
    await message_of(update).reply_text(
        views.linked(context.lang, title, chat_type, missing or ()), reply_markup=ReplyKeyboardRemove()
    )
    await show_home(update, context, edit=False)
    return ConversationHandler.END


async def picker_text(update: Update, context: RembugContext) -> str | int:
    """Text while the pickers are shown: "✖️ Cancel" leaves, anything else gets the buttons again."""
    if message_of(update).text == views.cancel_label(context.lang):
        await message_of(update).reply_text(
            context.gettext("Cancelled. Nothing was saved."), reply_markup=ReplyKeyboardRemove()
        )
        await show_home(update, context, edit=False)
        return ConversationHandler.END
    await message_of(update).reply_text(views.problem(context.lang, "pick_please"))
    return "pick"


# -- Writing and sending --------------------------------------------------------------------------------


async def begin_write(update: Update, context: RembugContext) -> str | int:
    """✍️ A new newsletter: its title first."""
    if await start_draft(update, context, Action.SEND_NEWSLETTER, FLOW, cluster_id=context.standing.cluster_id) is None:
        return ConversationHandler.END
    await answer(update, *views.ask(context.lang, "title"))
    return "title"


async def receive_title(update: Update, context: RembugContext) -> str:
    """The title, then ask for the text."""
    title = (message_of(update).text or "").strip()
    if not title:
        await message_of(update).reply_text(views.problem(context.lang, "text_please"))
        return "title"
    if visible_length(title, html=False) > rules.TITLE_LIMIT:
        await message_of(update).reply_text(views.too_long(context.lang, "title", visible_length(title, html=False)))
        return "title"
    await save_answers(context, FLOW, title=title)
    text, keyboard = views.ask(context.lang, "body")
    await message_of(update).reply_text(text, reply_markup=keyboard)
    return "body"


async def receive_body(update: Update, context: RembugContext) -> str:
    """The text: stored, then the newsletter is shown as it will be posted, with the choices."""
    message = message_of(update)
    if not message.text:
        await message.reply_text(views.problem(context.lang, "text_please"))
        return "body"
    if visible_length(message.text, html=False) > rules.BODY_LIMIT:
        await message.reply_text(views.too_long(context.lang, "body", visible_length(message.text, html=False)))
        return "body"
    draft = await save_answers(context, FLOW, body=message.text, body_html=message.text_html)
    await _show_review(update, context, draft)
    return "review"


async def _figures(conn: aiosqlite.Connection, cluster_id: int, now) -> rules.Progress:
    members, _total = await memberships.directory(conn, cluster_id)
    listed = await firms.list_firms(conn, cluster_id)
    joined = rules.joined_ids([(f.id, f.name, f.contact) for f in listed], [(m.full_name, m.phone) for m in members])
    held = []
    for meeting in await meetings.list_meetings(conn, cluster_id, before=now):
        present = len(await meetings.present(conn, meeting.id)) + len(await meetings.guests(conn, meeting.id))
        held.append((meeting.starts_at, meeting.cancelled, present))
    priorities: list[str] = []
    for session in reversed(await brainstorm.sessions_of(conn, cluster_id)):
        priorities = [item.title for item in await brainstorm_votes.shortlist_of(conn, session.id)]
        if priorities:
            break
    return rules.progress([m.joined_at for m in members], now, len(listed), len(joined), held, priorities)


async def _render(conn: aiosqlite.Connection, context: RembugContext, draft: dict) -> tuple[str, NewsletterSheet]:
    """The post's HTML and the PDF's sheet, from the draft and the cluster's figures now."""
    now = context.clock.now()
    cluster = await clusters.get_cluster(conn, draft["cluster_id"])
    membership = await memberships.get_membership(conn, cluster.id, context.user.id) if cluster else None
    if cluster is None or membership is None:  # the draft's cluster, and the sender in it (they were, to start it)
        raise LookupError(f"newsletter draft of user {context.user.id}: no cluster {draft['cluster_id']} to be in")
    figures = await _figures(conn, cluster.id, now)
    contact = membership.full_name
    lang = context.lang
    html = views.post(lang, draft["title"], draft["body_html"], cluster.name, figures, contact)
    sheet = NewsletterSheet(
        draft["title"],
        cluster.name,
        format_local_date(now.astimezone(ZoneInfo(cluster.timezone)).date(), lang),
        draft["body"],
        views.figures_heading(lang),
        views.figure_lines(lang, figures),
        views.join_line(lang, contact),
    )
    return html, sheet


async def _show_review(update: Update, context: RembugContext, draft: dict) -> None:
    async with context.db.read() as conn:
        html, _sheet = await _render(conn, context, draft)
        channel = await channels.channel_of(conn, draft["cluster_id"])
    missing = await rights_in(context.bot, channel.chat_id, channel.chat_type) if channel else ()
    await chat_of(update).send_message(html)
    text, keyboard = views.review(context.lang, channel, missing)
    await chat_of(update).send_message(text, reply_markup=keyboard)


async def recheck(update: Update, context: RembugContext) -> str:
    """🔄 Check the rights again (after fixing them in Telegram)."""
    await answer_tap(update.callback_query)
    await _show_review(update, context, await read_draft(context, FLOW))
    return "review"


async def confirm(update: Update, context: RembugContext) -> str | int:
    """✅ Post it (through the outbox) and make the PDF, or 📄 the PDF only."""
    if not await require(update, context, Action.SEND_NEWSLETTER):
        return ConversationHandler.END
    query = query_of(update)
    draft = await read_draft(context, FLOW)
    if not rules.ready_to_post(draft, context.standing.cluster_id):
        await explain_stale(update, context)
        return ConversationHandler.END
    tap = rules.parse_tap(query.data)
    channel = await _channel(context) if tap is not None and tap.step == rules.Step.POST else None
    if channel is not None and await rights_in(context.bot, channel.chat_id, channel.chat_type) != ():
        await answer_tap(query)
        await _show_review(update, context, draft)  # lost its rights since the review: say what is missing
        return "review"
    async with context.db.transaction() as tx:
        html, sheet = await _render(tx, context, draft)
        newsletter, created = await channels.create_newsletter(
            tx,
            cluster_id=draft["cluster_id"],
            sender_id=context.user.id,
            title=draft["title"],
            body=draft["body"],
            text_html=html,
            chat_id=channel.chat_id if channel else None,
            now=context.clock.now(),
            source_update_id=update.update_id,
        )
        if channel is not None and created:
            await _enqueue(tx, newsletter.id, channel.chat_id, html, context.clock.now())
        await finish_draft(tx, update, context.user.id, FLOW, newsletter=newsletter.id)  # a Post tapped again says so
    await answer_tap(query)
    if channel is not None:
        context.services.outbox.wake()
        await answer(update, views.posting(context.lang, channel.title))
    else:
        await answer(update, context.gettext("Noted."))
    await chat_of(update).send_document(
        InputFile(io.BytesIO(build_newsletter_pdf(sheet)), filename=f"{slug(draft['title'], 'newsletter')}.pdf"),
        caption=views.pdf_caption(context.lang, draft["title"]),
    )
    return ConversationHandler.END


async def _enqueue(tx: aiosqlite.Connection, newsletter_id: int, chat_id: int, html: str, now) -> None:
    attempt = await channels.next_attempt(tx, newsletter_id, chat_id)
    await outbox_store.enqueue(
        tx, f"{DELIVERY}:{newsletter_id}:{attempt}", [(chat_id, {"kind": "text", "text": html})], now
    )


async def post_again(update: Update, context: RembugContext) -> None:
    """🔁 Post a newsletter that did not get through, once Rembug may post again."""
    if not await require(update, context, Action.SEND_NEWSLETTER):
        return
    query = query_of(update)
    tap = rules.parse_tap(query.data)
    async with context.db.read() as conn:
        newsletter = await channels.get_newsletter(conn, tap.newsletter_id) if tap and tap.newsletter_id else None
        channel = await channels.channel_of(conn, context.standing.current_cluster_id)
        last = (
            await outbox_store.letters(conn, f"{DELIVERY}:{newsletter.id}:{newsletter.attempts}") if newsletter else []
        )
    if newsletter is None or newsletter.cluster_id != context.standing.cluster_id or channel is None:
        await explain_stale(update, context)
        return
    if not rules.may_post_again(last[-1].status if last else None):
        await answer_tap(query, views.already_posted(context.lang))
        return
    missing = await rights_in(context.bot, channel.chat_id, channel.chat_type)
    if missing != ():
        await answer_tap(query)
        text, keyboard = views.not_delivered(
            context.lang,
            newsletter.id,
            newsletter.title,
            channel,
            missing or (),
            context.gettext("could not check the rights"),
        )
        await chat_of(update).send_message(text, reply_markup=keyboard)
        return
    async with context.db.transaction() as tx:
        await _enqueue(tx, newsletter.id, channel.chat_id, newsletter.text_html, context.clock.now())
    context.services.outbox.wake()
    await answer_tap(query)
    await answer(update, views.posting(context.lang, channel.title))


async def report_delivery(application: RembugApplication, batch: str, counts: dict[str, int], finished: bool) -> None:
    """The outbox's progress callback: tell the sender the post is out, or why not and how to fix it."""
    if not finished:
        return
    newsletter_id = int(batch.split(":")[1])
    async with application.services.db.read() as conn:
        newsletter = await channels.get_newsletter(conn, newsletter_id)
        if newsletter is None:  # the batch names a stored newsletter; nothing to report otherwise
            return
        channel = await channels.channel_of(conn, newsletter.cluster_id)
        letter = (await outbox_store.letters(conn, batch))[0]
        lang = await language_of(conn, newsletter.sender_id, application.services.settings.language)
    chat = (
        channel
        if channel and channel.chat_id == letter.recipient_id
        else Channel(
            newsletter.cluster_id, letter.recipient_id, str(letter.recipient_id), "channel", newsletter.sender_id
        )
    )
    if letter.status == "sent":
        await application.bot.send_message(newsletter.sender_id, views.delivered(lang, newsletter.title, chat.title))
        return
    missing = await rights_in(application.bot, chat.chat_id, chat.chat_type) if rules.lost_rights(letter.reason) else ()
    text, keyboard = views.not_delivered(
        lang, newsletter.id, newsletter.title, chat, missing or (), letter.reason or letter.status
    )
    await application.bot.send_message(newsletter.sender_id, text, reply_markup=keyboard)


async def bot_rights_changed(update: Update, context: RembugContext) -> None:
    """Telegram says Rembug's standing in a chat changed: warn whoever linked it when it can no longer post."""
    change = update.my_chat_member
    if change is None:  # registered for MY_CHAT_MEMBER updates only
        return
    member = change.new_chat_member
    missing = rules.missing_rights(
        change.chat.type,
        member.status,
        getattr(member, "can_post_messages", None),
        getattr(member, "can_send_messages", None),
    )
    if not missing:
        return
    async with context.db.read() as conn:
        linked = await channels.clusters_linked_to(conn, change.chat.id)
        notices = [(c, await language_of(conn, c.linked_by, context.settings.language)) for c in linked]
    for channel, lang in notices:
        try:
            await context.bot.send_message(channel.linked_by, views.rights_lost_warning(lang, channel, missing))
        except Forbidden:
            continue  # the facilitator blocked the bot: the next newsletter's review says the same


async def buttons_please(update: Update, context: RembugContext) -> None:
    """Something other than what this step asks for."""
    await message_of(update).reply_text(context.gettext("Please choose with the buttons below."))
