"""Results: the board as a picture, and cards, themes and dots as Excel and CSV files (in one ZIP with
the voice and photo cards' files, when there are any)."""

from __future__ import annotations

import asyncio
import io

from telegram import InputFile, Update

from bot import exports, media_zip
from bot.context import RembugContext
from bot.i18n import translator
from bot.replies import answer_tap
from bot.update_parts import chat_of
from conversations.access_log.recording import note_download
from conversations.access_log.rules import Access
from conversations.brainstorm import rules
from conversations.brainstorm.button_rules import Step
from conversations.brainstorm.picture import BoardCard, BoardTheme, board_picture
from conversations.brainstorm.sessions import joined_session, managed_session, read_tap
from conversations.brainstorm.views import column_label, refused
from storage import brainstorm, brainstorm_votes
from storage.brainstorm import Card, Session


def _card_text(lang: str, card: Card) -> str:
    _ = translator(lang).gettext
    words = " ".join(filter(None, (card.text, card.summary)))
    if card.kind == "voice":
        return words or _("(voice note)")
    if card.kind == "photo":
        return words or _("(photo)")
    return words


async def board_themes(conn, session: Session, lang: str) -> tuple[list[BoardTheme], list[Card], dict]:
    """The live themes by dots, with their cards, as the picture and the files show them."""
    themes = await brainstorm_votes.themes_of(conn, session.id)
    cards = await brainstorm.cards_of(conn, session.id)
    phone = await brainstorm_votes.phone_dots(conn, session.id)
    room = await brainstorm_votes.room_dots(conn, session.id)
    ranked = rules.rank_themes(rules.tally(phone, room), [t.id for t in themes])
    by_id = {t.id: t for t in themes}
    board = []
    for item in ranked:
        inside = [c for c in cards if c.theme_id == item.theme_id]
        board.append(
            BoardTheme(
                title=by_id[item.theme_id].title,
                column=rules.dominant_column(c.column for c in inside),
                dots=item.dots,
                rank=item.rank,
                tied=item.tied,
                shortlisted=by_id[item.theme_id].shortlisted,
                cards=tuple(BoardCard(c.number, _card_text(lang, c)) for c in inside),
            )
        )
    figures = {"phone": phone, "room": room, "ranked": {r.theme_id: r for r in ranked}, "themes": by_id}
    return board, cards, figures


async def _results_session(update: Update, context: RembugContext, step: Step) -> Session | None:
    """The session a picture (any participant) or export (its leader) button names, once the results are in."""
    tap = await read_tap(update, context, step)
    finder = managed_session if step == Step.EXPORT else joined_session
    session = await finder(update, context, tap.session_id) if tap else None
    if session is not None and not rules.totals_visible(session.phase):
        await answer_tap(update.callback_query, refused(context.lang, "not_now"), show_alert=True)
        return None
    return session


async def send_picture(update: Update, context: RembugContext) -> None:
    """ "🖼 Board picture" (``bs1:pic:<session>``): the PNG in the sender's language."""
    session = await _results_session(update, context, Step.PICTURE)
    if session is None:
        return
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        themes, _cards, _figures = await board_themes(conn, session, context.lang)
    png = await asyncio.to_thread(board_picture, context.lang, session.question, session.template, themes)
    caption = context.gettext("The board of session #{number}").format(number=session.id)
    await chat_of(update).send_photo(
        InputFile(io.BytesIO(png), filename=f"brainstorm-{session.id}.png"), caption=caption
    )


def export_headers(lang: str) -> list[str]:
    """Columns of the download."""
    _ = translator(lang).gettext
    return [
        _("Card"),
        _("Part"),
        _("Kind"),
        _("Text"),
        _("Summary"),
        _("File in the ZIP"),
        _("Written by"),
        _("Theme"),
        _("Dots on phones"),
        _("Dots in the room"),
        _("Dots in total"),
        _("Rank"),
        _("Shortlist"),
    ]


def card_file_stem(lang: str, card: Card) -> str:
    """A voice or photo card's name in the download, without extension: ``kartu-012-suara``."""
    _ = translator(lang).gettext
    name = _("card-{number}-voice") if card.kind == "voice" else _("card-{number}-photo")
    return name.format(number=f"{card.number:03d}")


def media_of(lang: str, cards: list[Card]) -> list[media_zip.Medium]:
    """The files of the voice and photo cards, in card order."""
    return [media_zip.Medium(card_file_stem(lang, c), c.kind, c.file_id) for c in cards if c.file_id]


async def export_rows(
    conn, session: Session, lang: str, fetched: list[media_zip.Fetched] | None = None
) -> list[list[str | None]]:
    """One row per card (with its theme's dots), then a row per theme without cards; a voice or photo
    card names its file in the ZIP (``fetched``, in the order of ``media_of``)."""
    _ = translator(lang).gettext
    _board, cards, figures = await board_themes(conn, session, lang)
    files = iter(fetched or [])
    kinds = {"text": _("text"), "voice": _("voice note"), "photo": _("photo")}
    rows = []

    def theme_cells(theme_id: int | None) -> list[str | None]:
        if theme_id is None or theme_id not in figures["themes"]:
            return [None] * 6
        ranked = figures["ranked"][theme_id]
        rank = f"={ranked.rank}" if ranked.tied else str(ranked.rank)
        return [
            figures["themes"][theme_id].title,
            str(figures["phone"].get(theme_id, 0)),
            str(figures["room"].get(theme_id, 0)),
            str(ranked.dots),
            rank,
            _("Yes") if figures["themes"][theme_id].shortlisted else _("No"),
        ]

    for card in cards:
        author = None
        if not session.anonymous:
            author = card.author_name if card.author_id else _("on paper")
        item = next(files, None) if card.file_id else None
        reference = media_zip.media_cell(lang, item) if item else None
        rows.append(
            [
                f"#{card.number}",
                column_label(lang, card.column) or None,
                kinds[card.kind],
                card.text,
                card.summary,
                reference,
                author,
                *theme_cells(card.theme_id),
            ]
        )
    used = {c.theme_id for c in cards}
    blank: list[str | None] = [None] * 7  # a theme without cards: only its own columns
    rows += [blank + theme_cells(theme_id) for theme_id in figures["themes"] if theme_id not in used]
    return rows


async def send_exports(update: Update, context: RembugContext) -> None:
    """ "⬇️ Excel / CSV" (``bs1:x:<session>``): cards, themes and dots; with voice or photo cards, one ZIP
    holding the CSV, the Excel file and the cards' files named by card number."""
    session = await _results_session(update, context, Step.EXPORT)
    if session is None:
        return
    await answer_tap(update.callback_query)
    lang = context.lang
    async with context.db.read() as conn:
        cards = await brainstorm.cards_of(conn, session.id)
    fetched = await media_zip.fetch_media(context.bot, media_of(lang, cards))
    async with context.db.read() as conn:
        rows = await export_rows(conn, session, lang, fetched)
    headers = export_headers(lang)
    name = f"{exports.slug(session.question, 'brainstorm')}-{session.id}"
    caption = context.gettext("Cards, themes and dots of session #{number}").format(number=session.id)
    table = exports.build_csv(headers, rows)
    workbook = exports.build_xlsx(headers, rows, context.gettext("Brainstorming"))
    chat = chat_of(update)
    if fetched:
        packed = media_zip.build_zip([(f"{name}.csv", table), (f"{name}.xlsx", workbook)], fetched)
        note = caption + "\n" + media_zip.media_note(lang, fetched)
        await chat.send_document(InputFile(io.BytesIO(packed), filename=f"{name}.zip"), caption=note)
    else:
        await chat.send_document(InputFile(io.BytesIO(table), filename=f"{name}.csv"), caption=caption)
        await chat.send_document(InputFile(io.BytesIO(workbook), filename=f"{name}.xlsx"), caption=caption)
    await note_download(context, session.cluster_id, Access.BRAINSTORM_RESULTS, session.question)
