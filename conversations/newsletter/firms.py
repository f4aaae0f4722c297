"""The firm list: show it (paged, ✅ for firms that joined), add a firm, import a CSV or Excel file, download it."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from telegram import InputFile, Update
from telegram.ext import ConversationHandler

from bot import exports
from bot.context import RembugContext
from bot.flows import read_draft, save_answers, stale_button, start_draft
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.stale import explain_stale
from bot.update_parts import chat_of, message_of, query_of
from conversations.access_log.recording import note_download
from conversations.access_log.rules import Access, file_kind
from conversations.newsletter import rules, views
from storage import drafts, firms, memberships

FLOW = "firm"
IMPORT_FLOW = "firm_import"
MAX_FILE_BYTES = 2_000_000


async def _firms_and_joined(context: RembugContext, cluster_id: int) -> tuple[list[firms.Firm], set[int]]:
    async with context.db.read() as conn:
        listed = await firms.list_firms(conn, cluster_id)
        members, _total = await memberships.directory(conn, cluster_id)
    joined = rules.joined_ids([(f.id, f.name, f.contact) for f in listed], [(m.full_name, m.phone) for m in members])
    return listed, joined


async def show_list(update: Update, context: RembugContext) -> None:
    """📋 The firm list, one page."""
    if not await require(update, context, Action.MANAGE_FIRMS):
        return
    query = update.callback_query  # also the answer to a typed step
    tap = rules.parse_tap(query.data) if query else rules.NewsletterTap(rules.Step.PAGE)
    if tap is None or tap.step != rules.Step.PAGE:
        await explain_stale(update, context)
        return
    page = tap.page
    if query:
        await answer_tap(query)
    listed, joined = await _firms_and_joined(context, context.standing.current_cluster_id)
    await answer(update, *views.firm_list(context.lang, listed, joined, page))


async def download(update: Update, context: RembugContext) -> None:
    """⬇️ The firm list as CSV or Excel."""
    if not await require(update, context, Action.MANAGE_FIRMS):
        return
    query = query_of(update)
    tap = rules.parse_tap(query.data)
    await answer_tap(query)
    listed, joined = await _firms_and_joined(context, context.standing.current_cluster_id)
    headers, rows = views.export_table(context.lang, listed, joined)
    name = exports.slug(context.standing.cluster_name or "", "cluster")
    if tap is not None and tap.step == rules.Step.EXCEL:
        data, filename = exports.build_xlsx(headers, rows, context.gettext("Firm list")), f"firms-{name}.xlsx"
    else:
        data, filename = exports.build_csv(headers, rows), f"firms-{name}.csv"
    await chat_of(update).send_document(document=InputFile(io.BytesIO(data), filename=filename))
    await note_download(context, context.standing.current_cluster_id, Access.FIRMS, file_kind(filename))


# Adding one firm: name, village, business, stakeholder type (buttons), contact or Skip.


async def begin_add(update: Update, context: RembugContext) -> str | int:
    """➕ Add a firm: ask its name."""
    if await start_draft(update, context, Action.MANAGE_FIRMS, FLOW, cluster_id=context.standing.cluster_id) is None:
        return ConversationHandler.END
    await answer(update, *views.ask(context.lang, "name"))
    return "name"


async def _typed(update: Update, context: RembugContext, field: str, next_step: str) -> str:
    value = rules.clean_answer(message_of(update).text, rules.NAME_LIMIT if field == "name" else rules.FIELD_LIMIT)
    if value is None:
        await message_of(update).reply_text(views.problem(context.lang, "empty"))
        return field
    await save_answers(context, FLOW, **{field: value})
    await answer(update, *views.ask(context.lang, next_step))
    return next_step


async def receive_name(update: Update, context: RembugContext) -> str:
    """The firm's name; then its village."""
    return await _typed(update, context, "name", "village")


async def receive_village(update: Update, context: RembugContext) -> str:
    """The village; then its business."""
    return await _typed(update, context, "village", "business")


async def receive_business(update: Update, context: RembugContext) -> str:
    """The business; then the stakeholder type."""
    return await _typed(update, context, "business", "type")


async def choose_type(update: Update, context: RembugContext) -> str:
    """The tapped stakeholder type; then the contact."""
    query = query_of(update)
    tap = rules.parse_tap(query.data)
    if tap is None or tap.stakeholder_type is None:
        await explain_stale(update, context)
        return "type"
    await save_answers(context, FLOW, stakeholder_type=tap.stakeholder_type)
    await answer_tap(query)
    await answer(update, *views.ask(context.lang, "contact"))
    return "contact"


async def _save_firm(update: Update, context: RembugContext, contact: str | None) -> int:
    draft = await read_draft(context, FLOW)
    if "name" not in draft:
        await answer(update, stale_button(context.lang))
        return ConversationHandler.END
    async with context.db.transaction() as tx:
        await firms.add_firms(
            tx,
            draft["cluster_id"],
            [{**{f: draft.get(f) for f in rules.FIELDS}, "contact": contact}],
            context.user.id,
            context.clock.now(),
            update.update_id,
        )
        await drafts.clear_draft(tx, context.user.id, FLOW)
    await chat_of(update).send_message(views.saved(context.lang, draft["name"]))
    listed, joined = await _firms_and_joined(context, draft["cluster_id"])
    text, keyboard = views.firm_list(context.lang, listed, joined, 0)
    await chat_of(update).send_message(text, reply_markup=keyboard)
    return ConversationHandler.END


async def receive_contact(update: Update, context: RembugContext) -> str | int:
    """The contact; the firm is saved."""
    value = rules.clean_answer(message_of(update).text)
    if value is None:
        await message_of(update).reply_text(views.problem(context.lang, "empty"))
        return "contact"
    return await _save_firm(update, context, value)


async def skip_contact(update: Update, context: RembugContext) -> int:
    """No contact; the firm is saved."""
    await answer_tap(update.callback_query)
    return await _save_firm(update, context, None)


# Importing a file.


async def begin_import(update: Update, context: RembugContext) -> str | int:
    """⬆️ Import: ask for the file."""
    if (
        await start_draft(update, context, Action.MANAGE_FIRMS, IMPORT_FLOW, cluster_id=context.standing.cluster_id)
        is None
    ):
        return ConversationHandler.END
    await answer(update, *views.ask(context.lang, "file"))
    return "file"


def read_table(data: bytes, filename: str) -> tuple[list[object], list[list[object]]]:
    """Header and rows of a CSV or XLSX file (raises ValueError when it cannot be read)."""
    if filename.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
            table = [list(row) for row in sheet.iter_rows(values_only=True)]
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise ValueError(str(error)) from error
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        table = list(csv.reader(io.StringIO(text), dialect))
    if not table:
        raise ValueError("empty")
    return table[0], table[1:]


async def receive_file(update: Update, context: RembugContext) -> str | int:
    """The file: read it, store the good rows, report the broken ones."""
    document = message_of(update).document
    filename = (document.file_name or "") if document else ""
    if (
        document is None
        or not filename.lower().endswith((".csv", ".xlsx"))
        or (document.file_size or 0) > MAX_FILE_BYTES
    ):
        await message_of(update).reply_text(views.problem(context.lang, "not_a_file"))
        return "file"
    data = bytes(await (await context.bot.get_file(document.file_id)).download_as_bytearray())
    try:
        headers, rows = read_table(data, filename)
        found, problems = rules.parse_firm_rows(headers, rows)
    except rules.WrongColumns as error:
        await message_of(update).reply_text(views.problem(context.lang, "wrong_columns", str(error)))
        return "file"
    except ValueError:
        await message_of(update).reply_text(views.problem(context.lang, "unreadable"))
        return "file"
    draft = await read_draft(context, IMPORT_FLOW)
    cluster_id: int = draft.get("cluster_id") or context.standing.current_cluster_id
    async with context.db.transaction() as tx:
        await firms.add_firms(
            tx,
            cluster_id,
            found,
            context.user.id,
            context.clock.now(),
            update.update_id,
        )
        await drafts.clear_draft(tx, context.user.id, IMPORT_FLOW)
    await message_of(update).reply_text(views.import_report(context.lang, len(found), problems))
    listed, joined = await _firms_and_joined(context, cluster_id)
    text, keyboard = views.firm_list(context.lang, listed, joined, 0)
    await chat_of(update).send_message(text, reply_markup=keyboard)
    return ConversationHandler.END


async def buttons_please(update: Update, context: RembugContext) -> None:
    """Something other than what this step asks for."""
    await message_of(update).reply_text(context.gettext("Please choose with the buttons below."))
