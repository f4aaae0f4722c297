"""/mydata: the summary of everything held about the person, its copies (PDF, JSON), and erasure."""

from __future__ import annotations

import io

from telegram import InputFile, Update

from bot.context import RembugContext
from bot.flows import confirmation_needed, open_confirmation, read_button, take_confirmation
from bot.replies import answer, answer_tap
from bot.update_parts import chat_of
from conversations.my_data import copy_pdf, rules, views
from storage import clusters
from storage.erasure import erase_person
from storage.personal_data import personal_data
from storage.personal_records import PersonalData

DEFAULT_ZONE = "Asia/Jakarta"


async def _load(context: RembugContext) -> tuple[PersonalData, str]:
    """The sender's data and the time zone their copy is shown in (their current cluster's, else WIB)."""
    async with context.db.read() as conn:
        data = await personal_data(conn, context.user.id)
        cluster_id = context.standing.cluster_id
        zone = (await clusters.load_cluster(conn, cluster_id)).timezone if cluster_id is not None else DEFAULT_ZONE
    return data, zone


async def show_summary(update: Update, context: RembugContext) -> None:
    """/mydata (or "« Back"): the counts of everything held, with the download and erase buttons."""
    if update.callback_query:
        if await read_button(update, context, rules.parse_button, rules.MyDataTap) is None:
            return
        await answer_tap(update.callback_query)
    data, _zone = await _load(context)
    text, keyboard = views.summary_screen(context.lang, rules.summary(data))
    await answer(update, text, keyboard)


async def send_copy(update: Update, context: RembugContext) -> None:
    """ "📄 Download PDF" / "🧾 Download JSON": the complete copy as a file."""
    tap = await read_button(update, context, rules.parse_button, rules.MyDataTap)
    if tap is None:
        return
    await answer_tap(update.callback_query)
    data, zone = await _load(context)
    now, lang = context.clock.now(), context.lang
    copy = rules.copy_of(data, context.services.forms.forms, lang)
    if tap.action is rules.MyDataAction.PDF:
        content, extension = copy_pdf.copy_pdf(lang, copy, now, zone), "pdf"
    else:
        content, extension = rules.copy_json(copy), "json"
    await chat_of(update).send_document(
        InputFile(io.BytesIO(content), filename=views.copy_filename(now, extension)),
        caption=views.copy_caption(lang, now, zone),
    )


async def ask_erase(update: Update, context: RembugContext) -> None:
    """ "🗑 Erase my data": one confirm screen saying what goes and what stays."""
    if await read_button(update, context, rules.parse_button, rules.MyDataTap) is None:
        return
    await open_confirmation(context, rules.ERASE)
    await answer_tap(update.callback_query)
    text, keyboard = views.confirm_erase(context.lang)
    await answer(update, text, keyboard)


async def erase(update: Update, context: RembugContext) -> None:
    """ "🗑 Yes, erase my data": erase in one transaction, forget the chat, say goodbye once."""
    if await read_button(update, context, rules.parse_button, rules.MyDataTap) is None:
        return
    user_id, lang = context.user.id, context.lang
    text_questions = rules.text_questions(context.services.forms.forms.values())
    async with context.db.transaction() as tx:
        confirmed = await take_confirmation(tx, context, rules.ERASE, update)
        if confirmed:
            await erase_person(tx, user_id, context.clock.now(), text_questions)
    if not confirmed:
        await answer_tap(update.callback_query, confirmation_needed(lang), show_alert=True)
        return
    # What PTB holds in memory would be written back to its tables: drop it too.
    context.application.drop_user_data(user_id)
    context.application.drop_chat_data(chat_of(update).id)
    await answer_tap(update.callback_query)
    await answer(update, views.erased(lang))
