"""The cluster's questionnaires: the list, each as an XLSForm download, and bringing one in as XLSForm.

A facilitator sends an ``.xlsx`` XLSForm (from KoboToolbox or ODK) as a document in the private
chat, at any moment: it is read, checked and kept as a questionnaire of their cluster
(``bot.form_library.import_xlsform``), or refused whole with every problem and its row. The same
file sent twice (or an update replayed after a crash) is kept once.
"""

from __future__ import annotations

import io

from telegram import InputFile, Update

from bot.context import RembugContext
from bot.form_library import LARGEST_FILE, Offered, find_offered, import_xlsform, offered
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.stale import explain_stale
from bot.update_parts import chat_of, message_of, query_of
from bot.xlsform_export import write_xlsform
from conversations.survey import questionnaire_views as views
from conversations.survey import rules
from storage import clusters

XLSX = ".xlsx"
SPREADSHEETS = ("xlsx", "xls", "ods")  # the documents taken here; all but .xlsx are answered with how to save it


async def cluster_questionnaires(context: RembugContext) -> list[Offered]:
    """The questionnaires the sender's current cluster can use, newest version of each."""
    async with context.db.read() as conn:
        return await offered(conn, context.services.forms, context.standing.current_cluster_id, rules.BUILT_IN_FORMS)


async def show_list(update: Update, context: RembugContext) -> None:
    """The questionnaires (``sv1:qs``)."""
    if not await require(update, context, Action.RUN_SURVEY):
        return
    choices = await cluster_questionnaires(context)
    async with context.db.read() as conn:
        cluster = await clusters.load_cluster(conn, context.standing.current_cluster_id)
    await answer_tap(query_of(update))
    await answer(update, *views.questionnaire_list(context.lang, choices, cluster.timezone))


async def how_to_bring(update: Update, context: RembugContext) -> None:
    """How to bring an XLSForm, and what Rembug can ask (``sv1:imp``)."""
    if not await require(update, context, Action.RUN_SURVEY):
        return
    await answer_tap(query_of(update))
    await answer(update, *views.how_to_bring(context.lang))


async def send_xlsform(update: Update, context: RembugContext) -> None:
    """One questionnaire as an XLSForm file (``sv1:xf:<n>``)."""
    if not await require(update, context, Action.RUN_SURVEY):
        return
    tap = rules.parse_tap(query_of(update).data)
    choice = (
        find_offered(await cluster_questionnaires(context), tap.number)
        if isinstance(tap, rules.QuestionnaireTap)
        else None
    )
    if choice is None:
        await explain_stale(update, context)
        return
    await answer_tap(query_of(update))
    form = choice.form
    await chat_of(update).send_document(
        InputFile(io.BytesIO(write_xlsform(form)), filename=f"{form.id}-v{form.version}-xlsform.xlsx"),
        caption=context.gettext("XLSForm of “{title}”: upload it to KoboToolbox or ODK Central as it is.").format(
            title=form.title(context.lang)
        ),
    )


async def receive_xlsform(update: Update, context: RembugContext) -> None:
    """A spreadsheet sent as a document: an XLSForm to keep as a questionnaire of the sender's cluster."""
    message = message_of(update)
    document = message.document
    if document is None:
        return
    if not await require(update, context, Action.RUN_SURVEY):
        return
    name = document.file_name or "form.xlsx"
    if not name.lower().endswith(XLSX):
        await message.reply_text(views.not_xlsx(context.lang))
        return
    if document.file_size and document.file_size > LARGEST_FILE:
        await message.reply_text(views.too_large(context.lang))
        return
    data = bytes(await (await document.get_file()).download_as_bytearray())
    result = await import_xlsform(
        context.db,
        context.services.forms,
        data,
        name,
        cluster_id=context.standing.current_cluster_id,
        imported_by=context.user.id,
        now=context.clock.now(),
    )
    if result.offered is None:
        text, keyboard = views.refused(context.lang, list(result.problems), name)
        await message.reply_text(text, reply_markup=keyboard)
        return
    text, keyboard = views.imported(context.lang, result.offered, result.again)
    await message.reply_text(text, reply_markup=keyboard)
