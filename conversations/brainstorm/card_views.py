"""What sending cards says: the column picker, the prompt, the confirmation, a participant's own view."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.i18n import translator
from conversations.brainstorm.rules import PREFIX, SWOT_COLUMNS
from conversations.brainstorm.views import brainstorm_rules, card_line, column_label, phase_label, session_title
from storage.brainstorm import Card, Session


def column_buttons(lang: str, session_id: int, chosen: str | None = None) -> list[InlineKeyboardButton]:
    """S, W, O, T as buttons, the chosen one marked."""
    return [
        InlineKeyboardButton(
            ("• " if c == chosen else "") + column_label(lang, c),
            callback_data=callback_data(PREFIX, "col", session_id, c),
        )
        for c in SWOT_COLUMNS
    ]


def ask_column(lang: str, session: Session) -> tuple[str, InlineKeyboardMarkup]:
    """SWOT: which part the next card is for."""
    _ = translator(lang).gettext
    buttons = column_buttons(lang, session.id)
    text = session_title(lang, session) + "\n" + _("Which part is your card for?")
    return text, InlineKeyboardMarkup([buttons[:2], buttons[2:]])


def done_row(lang: str) -> list[InlineKeyboardButton]:
    """Stop sending cards."""
    return [InlineKeyboardButton(translator(lang).gettext("✅ Done"), callback_data=callback_data(PREFIX, "cd"))]


def ask_card(lang: str, session: Session, column: str | None, paper: bool = False) -> tuple[str, InlineKeyboardMarkup]:
    """Write the card now."""
    _ = translator(lang).gettext
    lines = [session_title(lang, session)]
    if column:
        lines.append(_("Part: <b>{column}</b>").format(column=column_label(lang, column)))
    if paper:
        lines.append(_("Type the cards written on paper in the room, one message per card."))
    else:
        lines.append(
            _(
                "Write your idea and send it: text, a voice note (up to 2 minutes) or a photo of a paper card. One idea per card."
            )
        )
    return "\n".join(lines), InlineKeyboardMarkup([done_row(lang)])


def ask_new_content(lang: str, card: Card) -> tuple[str, InlineKeyboardMarkup]:
    """Editing: send the card's new content."""
    _ = translator(lang).gettext
    return _("Send the new text, voice note or photo for card #{number}.").format(
        number=card.number
    ), InlineKeyboardMarkup([done_row(lang)])


def card_saved(
    lang: str, session: Session, card: Card, edited: bool, column: str | None
) -> tuple[str, InlineKeyboardMarkup]:
    """The confirmation with the card's number; edit or withdraw it until the reveal, or send another."""
    _ = translator(lang).gettext
    head = _("✏️ Card #{number} changed.") if edited else _("✅ Card #{number} saved.")
    lines = [
        head.format(number=card.number),
        card_line(lang, card, named=False, limit=200),
        "",
        _("Send another card, or tap Done."),
    ]
    rows = [
        [
            InlineKeyboardButton(
                _("✏️ Edit #{number}").format(number=card.number), callback_data=callback_data(PREFIX, "ce", card.id)
            ),
            InlineKeyboardButton(
                _("🗑 Withdraw #{number}").format(number=card.number), callback_data=callback_data(PREFIX, "cw", card.id)
            ),
        ]
    ]
    if session.template == "swot":
        buttons = column_buttons(lang, session.id, column)
        rows += [buttons[:2], buttons[2:]]
    rows.append(done_row(lang))
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def card_withdrawn(lang: str, number: int) -> str:
    """After withdrawing."""
    return translator(lang).gettext("🗑 Card #{number} withdrawn.").format(number=number)


def choose_column_first(lang: str, session: Session) -> tuple[str, InlineKeyboardMarkup]:
    """SWOT, and no part chosen yet."""
    _ = translator(lang).gettext
    buttons = column_buttons(lang, session.id)
    return _("First choose which part your card is for."), InlineKeyboardMarkup([buttons[:2], buttons[2:]])


def finished(lang: str, count: int) -> str:
    """After Done."""
    return (
        translator(lang)
        .gettext("Thank you! You have {count} cards in this session. Type /menu for the main menu.")
        .format(count=count)
    )


def participant_view(
    lang: str, session: Session, mine: list[Card], extra: list[str] | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """A participant's view of a session: the question, the phase, their own cards, what they can do now."""
    _ = translator(lang).gettext
    lines = [session_title(lang, session), _("Phase: {phase}").format(phase=phase_label(lang, session.phase)), ""]
    rows = []
    if session.phase == "collecting":
        lines += brainstorm_rules(lang)
        lines.append("")
        lines.append(_("Your cards ({count}), hidden from the others until the reveal:").format(count=len(mine)))
        lines += [card_line(lang, c, named=False, limit=120) for c in mine[:15]]
        rows.append([InlineKeyboardButton(_("✍️ Send a card"), callback_data=callback_data(PREFIX, "c", session.id))])
        for card in mine[:6]:
            rows.append(
                [
                    InlineKeyboardButton(
                        _("✏️ Edit #{number}").format(number=card.number),
                        callback_data=callback_data(PREFIX, "ce", card.id),
                    ),
                    InlineKeyboardButton(
                        _("🗑 Withdraw #{number}").format(number=card.number),
                        callback_data=callback_data(PREFIX, "cw", card.id),
                    ),
                ]
            )
    else:
        lines += extra or []
        rows.append([InlineKeyboardButton(_("🗂 All cards"), callback_data=callback_data(PREFIX, "b", session.id, 0))])
        if session.phase == "voting":
            rows.append(
                [
                    InlineKeyboardButton(
                        _("🗳 Vote with your dots"), callback_data=callback_data(PREFIX, "vt", session.id, 0)
                    )
                ]
            )
        if session.phase in ("results", "closed"):
            rows.append(
                [InlineKeyboardButton(_("🖼 Board picture"), callback_data=callback_data(PREFIX, "pic", session.id))]
            )
    rows.append([InlineKeyboardButton(_("« Brainstorming"), callback_data=callback_data(PREFIX, "list"))])
    return "\n".join(line for line in lines), InlineKeyboardMarkup(rows)
