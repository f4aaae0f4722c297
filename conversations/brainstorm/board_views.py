"""What the board says: all cards by page, themes, suggested groups, moving and merging."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.i18n import translator
from bot.page_buttons import page_line, page_rows
from bot.paging import page_of
from conversations.brainstorm import rules
from conversations.brainstorm.rules import PREFIX, SWOT_COLUMNS
from conversations.brainstorm.suggestions import Suggestion
from conversations.brainstorm.views import card_line, column_label, session_title
from storage.brainstorm import Card, Session
from storage.brainstorm_votes import Theme

THEME_PAGE = 8


def ordered(session: Session, cards: list[Card]) -> list[Card]:
    """Cards by SWOT part (S, W, O, T), then number."""
    if session.template != "swot":
        return cards
    return sorted(cards, key=lambda c: (SWOT_COLUMNS.index(c.column) if c.column in SWOT_COLUMNS else 9, c.number))


def board_page(
    lang: str, session: Session, cards: list[Card], page: int, manager: bool
) -> tuple[str, InlineKeyboardMarkup]:
    """One page of all cards, fitting a phone screen, with Prev/Next and buttons to play voice and photo cards."""
    _ = translator(lang).gettext
    cards = ordered(session, cards)
    named = not session.anonymous
    lines = [card_line(lang, c, named=named) for c in cards]
    pages = rules.pages_of(lines, rules.PAGE_CHARS, rules.PAGE_CARDS)
    page = rules.clamp_page(page, len(pages))
    shown = [cards[i] for i in pages[page]] if cards else []
    text = [
        session_title(lang, session),
        _("All cards ({count}) · page {page}/{pages}").format(count=len(cards), page=page + 1, pages=len(pages)),
        "",
    ]
    column = None
    for card in shown:
        if session.template == "swot" and card.column != column:
            column = card.column
            text.append(f"<b>{column_label(lang, column)}</b>")
        text.append(card_line(lang, card, named=named))
    if not cards:
        text.append(_("No cards."))
    media = [c for c in shown if c.kind in ("voice", "photo")]
    buttons = [
        InlineKeyboardButton(
            ("▶️ #" if c.kind == "voice" else "🖼 #") + str(c.number), callback_data=callback_data(PREFIX, "f", c.id)
        )
        for c in media
    ]
    rows = [buttons[i : i + 4] for i in range(0, len(buttons), 4)]
    if manager and rules.reached(session.phase, "revealed") and not rules.reached(session.phase, "voting"):
        summaries = [
            InlineKeyboardButton(
                _("📝 Summary #{number}").format(number=c.number), callback_data=callback_data(PREFIX, "sm", c.id)
            )
            for c in media
        ]
        rows += [summaries[i : i + 3] for i in range(0, len(summaries), 3)]
    rows += page_rows(lang, page, len(pages), lambda number: callback_data(PREFIX, "b", session.id, number))
    rows.append(
        [InlineKeyboardButton(_("« Back"), callback_data=callback_data(PREFIX, "p" if manager else "o", session.id))]
    )
    return "\n".join(text), InlineKeyboardMarkup(rows)


def file_caption(lang: str, card: Card) -> str:
    """Caption of a voice or photo card sent again."""
    return card_line(lang, card, named=False, limit=300)


def _theme_label(lang: str, theme: Theme, cards: list[Card]) -> str:
    column = rules.dominant_column(c.column for c in cards)
    return (f"[{column}] " if column else "") + escape(theme.title)


def grouping_view(
    lang: str, session: Session, themes: list[tuple[Theme, list[Card]]], loose: list[Card], page: int = 0
) -> tuple[str, InlineKeyboardMarkup]:
    """The themes with their cards, a page at a time, the loose cards, and what the facilitator can do."""
    _ = translator(lang).gettext
    shown, page, pages = page_of(themes, page, rules.LIST_PAGE)
    lines = [session_title(lang, session), _("<b>Themes</b> (grouping the cards)")]
    if pages > 1:
        lines.append(page_line(lang, page, pages))
    lines.append("")
    for theme, cards in shown:
        lines.append(f"• {_theme_label(lang, theme, cards)}: " + _numbers(cards, 30))
    if not themes:
        lines.append(_("No themes yet."))
    lines.append("")
    lines.append(_("Cards in no theme: {numbers}").format(numbers=_numbers(loose, 60) or "-"))
    lines.append(_("Loose cards become themes of their own when the voting opens."))
    rows = [
        [
            InlineKeyboardButton(_("💡 Suggested groups"), callback_data=callback_data(PREFIX, "sg", session.id)),
            InlineKeyboardButton(_("➕ New theme"), callback_data=callback_data(PREFIX, "nt", session.id)),
        ]
    ]
    rows += [
        [InlineKeyboardButton(theme.title[:50], callback_data=callback_data(PREFIX, "t", theme.id, 0))]
        for theme, _cards in shown
    ]
    rows += page_rows(lang, page, pages, lambda number: callback_data(PREFIX, "g", session.id, number))
    rows.append([InlineKeyboardButton(_("« Back"), callback_data=callback_data(PREFIX, "p", session.id))])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def _numbers(cards: list[Card], limit: int) -> str:
    """``#3 #7 #12``, the first ``limit`` of them, "…" when there are more."""
    return " ".join(f"#{c.number}" for c in cards[:limit]) + (" …" if len(cards) > limit else "")


def suggestions_view(
    lang: str, session: Session, found: list[Suggestion], cards: dict[int, Card]
) -> tuple[str, InlineKeyboardMarkup]:
    """Groups of alike cards the bot proposes: accept one (then edit it), or ignore them."""
    _ = translator(lang).gettext
    lines = [session_title(lang, session), _("<b>Suggested groups</b> (cards with the same words)"), ""]
    rows = []
    for index, suggestion in enumerate(found[:5], start=1):
        numbers = " ".join(f"#{cards[c].number}" for c in suggestion.card_ids)
        column = f"[{suggestion.column}] " if suggestion.column else ""
        lines.append(f"{index}. {column}<b>{escape(suggestion.title)}</b>: {numbers}")
        rows.append(
            [
                InlineKeyboardButton(
                    _("✅ Accept {number}").format(number=index),
                    callback_data=callback_data(PREFIX, "sa", session.id, suggestion.card_ids[0]),
                )
            ]
        )
    if not found:
        lines.append(_("No suggestions: the cards in no theme share no words."))
    else:
        lines += ["", _("Accept a group to make it a theme; you can rename it and move cards afterwards.")]
    rows.append([InlineKeyboardButton(_("« Themes"), callback_data=callback_data(PREFIX, "g", session.id))])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def theme_view(
    lang: str,
    session: Session,
    theme: Theme,
    inside: list[Card],
    everything: list[Card],
    titles: dict[int, str],
    page: int,
) -> tuple[str, InlineKeyboardMarkup]:
    """A theme's cards; every card as a button to move it in or out."""
    _ = translator(lang).gettext
    lines = [
        _("Theme: <b>{title}</b>").format(title=escape(theme.title)),
        _("Cards in it: {count}").format(count=len(inside)),
    ]
    lines += [card_line(lang, c, named=False, limit=80) for c in inside[:25]]
    if len(inside) > 25:
        lines.append("…")
    lines += [
        "",
        _("Tap a card to put it in this theme or take it out. ☑️ in this theme, ⬜ in none, ↪️ in another theme."),
    ]
    shown, page, pages = page_of(everything, page, THEME_PAGE)
    rows = []
    for card in shown:
        mark = "☑️" if card.theme_id == theme.id else ("⬜" if card.theme_id is None else "↪️")
        label = f"{mark} #{card.number} " + ((card.text or card.summary or card.kind)[:30])
        if card.theme_id not in (None, theme.id):
            label += f" ({titles.get(card.theme_id, '')[:15]})"
        rows.append(
            [InlineKeyboardButton(label[:60], callback_data=callback_data(PREFIX, "tm", theme.id, card.id, page))]
        )
    rows += page_rows(lang, page, pages, lambda number: callback_data(PREFIX, "t", theme.id, number))
    rows.append(
        [
            InlineKeyboardButton(_("✏️ Rename"), callback_data=callback_data(PREFIX, "rn", theme.id)),
            InlineKeyboardButton(_("🔗 Merge into…"), callback_data=callback_data(PREFIX, "mg", theme.id)),
        ]
    )
    rows.append([InlineKeyboardButton(_("« Themes"), callback_data=callback_data(PREFIX, "g", session.id))])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def merge_view(lang: str, theme: Theme, others: list[Theme]) -> tuple[str, InlineKeyboardMarkup]:
    """Which theme to merge this one into."""
    _ = translator(lang).gettext
    rows = [
        [InlineKeyboardButton(other.title[:50], callback_data=callback_data(PREFIX, "mi", theme.id, other.id))]
        for other in others[:30]
    ]
    rows.append([InlineKeyboardButton(_("« Back"), callback_data=callback_data(PREFIX, "t", theme.id, 0))])
    text = _("Merge “{title}” into which theme? Its cards move there.").format(title=escape(theme.title))
    if not others:
        text = _("There is no other theme to merge into.")
    return text, InlineKeyboardMarkup(rows)


def ask_line(lang: str, what: str, back: str) -> tuple[str, InlineKeyboardMarkup]:
    """Type a theme title, a new title, or a card's summary."""
    _ = translator(lang).gettext
    texts = {
        "theme_title": _("Type the name of the new theme (at most {limit} characters).").format(
            limit=rules.THEME_TITLE_LIMIT
        ),
        "rename": _("Type the theme's new name (at most {limit} characters).").format(limit=rules.THEME_TITLE_LIMIT),
        "summary": _("Type a one-line summary of this card (at most {limit} characters).").format(
            limit=rules.SUMMARY_LIMIT
        ),
    }
    return texts[what], InlineKeyboardMarkup([[InlineKeyboardButton(_("« Back"), callback_data=back)]])


def merged_away(lang: str) -> str:
    """A button of a theme that was merged into another."""
    return translator(lang).gettext("That theme was merged into another one.")
