"""The committee's view of its clusters' supporters: every confirmed supporter by cluster (paged),
and the combined list as Excel (``cm1:sup:<committee>:<page>``, ``cm1:supx:<committee>``)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update

from bot import exports
from bot.buttons import button_number, callback_data, parse_callback
from bot.context import RembugContext
from bot.i18n import translator
from bot.page_buttons import page_line, page_rows
from bot.paging import MAX_PAGE, page_of
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action, standing_in_committee
from bot.stale import explain_stale
from bot.update_parts import chat_of
from conversations.access_log.recording import note_download
from conversations.access_log.rules import Access, file_kind
from conversations.committee.rules import PREFIX
from conversations.supporters.views import export_table, kind_label, services_text
from storage import committees
from storage import supporters as store
from storage.committees import Committee
from storage.supporters import Supporter

PAGE = 12  # supporters on one page
LIST, EXCEL = "sup", "supx"


@dataclass(frozen=True)
class SupportersTap:
    """A press on the committee's supporters: its committee, and the page (None: the Excel file)."""

    committee_id: int
    page: int | None


def parse_tap(data: str | None) -> SupportersTap | None:
    """``cm1:sup:<committee>:<page>`` or ``cm1:supx:<committee>``, else None (stale or forged)."""
    parts = parse_callback(data, PREFIX) or []
    numbers = [button_number(p) for p in parts[1:]]
    if None in numbers or not numbers or numbers[0] is None:
        return None
    if parts[0] == LIST and len(numbers) == 2 and (numbers[1] or 0) <= MAX_PAGE:
        return SupportersTap(numbers[0], numbers[1])
    if parts[0] == EXCEL and len(numbers) == 1:
        return SupportersTap(numbers[0], None)
    return None


def button_row(lang: str, committee_id: int) -> list[InlineKeyboardButton]:
    """The overview's button to the clusters' supporters."""
    label = translator(lang).gettext("🤝 Supporters of the clusters")
    return [InlineKeyboardButton(label, callback_data=callback_data(PREFIX, LIST, committee_id, 0))]


def combined_list(
    lang: str, committee: Committee, found: list[tuple[str, Supporter]], page: int
) -> tuple[str, InlineKeyboardMarkup]:
    """One page of every cluster's confirmed supporters, under each cluster's name."""
    t = translator(lang)
    _ = t.gettext
    shown, page, pages = page_of(found, page, PAGE)
    lines = [_("🤝 <b>Supporters of the clusters of {name}</b>").format(name=escape(committee.name))]
    lines.append(t.ngettext("{count} supporter", "{count} supporters", len(found)).format(count=len(found)))
    if pages > 1:
        lines.append(page_line(lang, page, pages))
    if not found:
        lines += ["", _("No cluster has confirmed supporters yet.")]
    cluster = None
    for name, supporter in shown:
        if name != cluster:
            lines += ["", f"🏘 <b>{escape(name)}</b>"]
            cluster = name
        lines.append(
            f"• {escape(supporter.name)} ({kind_label(lang, supporter.kind)}): "
            + services_text(lang, supporter.services)
        )
    rows = page_rows(lang, page, pages, lambda p: callback_data(PREFIX, LIST, committee.id, p))
    if found:
        rows.append(
            [InlineKeyboardButton(_("⬇️ Download Excel"), callback_data=callback_data(PREFIX, EXCEL, committee.id))]
        )
    rows.append([InlineKeyboardButton(_("« Back"), callback_data=callback_data(PREFIX, "c", committee.id))])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def _committee(update: Update, context: RembugContext) -> tuple[Committee, SupportersTap] | None:
    tap = parse_tap(update.callback_query.data if update.callback_query else None)
    async with context.db.read() as conn:
        committee = await committees.get_committee(conn, tap.committee_id) if tap else None
        me = await committees.member(conn, committee.id, context.user.id) if committee else None
    if tap is None or committee is None:
        await explain_stale(update, context)
        return None
    standing = standing_in_committee(context.user.id, context.standing.is_admin, me.role if me else None)
    if not await require(update, context, Action.FOLLOW_COMMITTEE, standing):
        return None
    return committee, tap


async def show_supporters(update: Update, context: RembugContext) -> None:
    """🤝 The clusters' supporters, a page (``cm1:sup:<committee>:<page>``)."""
    found = await _committee(update, context)
    if found is None:
        return
    committee, tap = found
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        listed = await store.committee_supporters(conn, committee.id)
    await answer(update, *combined_list(context.lang, committee, listed, tap.page or 0))


async def download_supporters(update: Update, context: RembugContext) -> None:
    """⬇️ Every cluster's confirmed supporters as one Excel file (``cm1:supx:<committee>``)."""
    found = await _committee(update, context)
    if found is None:
        return
    committee, _tap = found
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        listed = await store.committee_supporters(conn, committee.id)
    headers, rows = export_table(context.lang, listed, with_cluster=True)
    filename = f"supporters-{exports.slug(committee.name, 'committee')}.xlsx"
    data = exports.build_xlsx(headers, rows, context.gettext("Supporters"))
    await chat_of(update).send_document(document=InputFile(io.BytesIO(data), filename=filename))
    await note_download(context, None, Access.SUPPORTERS, file_kind(filename), committee_id=committee.id)
