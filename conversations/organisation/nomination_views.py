"""What nominations say: the call for nominations, the question to the nominee, and their answers."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.i18n import translator
from conversations.organisation.rules import PREFIX
from conversations.organisation.views import position_label


def nominations_open(
    lang: str, cluster_name: str, election_id: int, positions: list[str]
) -> tuple[str, InlineKeyboardMarkup]:
    """To every member when an election with nominations is set up."""
    _ = translator(lang).gettext
    text = _(
        "🗳 <b>Election of the board of {cluster}</b>\nNominations are open for: {positions}. Propose a member you trust; they accept or decline."
    ).format(cluster=escape(cluster_name), positions=", ".join(position_label(lang, p) for p in positions))
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("🙋 Nominate a candidate"), callback_data=callback_data(PREFIX, "nn", election_id))]]
    )
    return text, keyboard


def ask_nominee(
    lang: str, cluster_name: str, election_id: int, position: str, proposer: str
) -> tuple[str, InlineKeyboardMarkup]:
    """To the nominee: accept or decline."""
    _ = translator(lang).gettext
    text = _(
        "🙋 {name} nominated you as <b>{position}</b> of the organisation of {cluster}. Do you accept to stand?"
    ).format(name=escape(proposer), position=position_label(lang, position), cluster=escape(cluster_name))
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("✅ I accept"), callback_data=callback_data(PREFIX, "ny", election_id, position)
                ),
                InlineKeyboardButton(
                    _("❌ I decline"), callback_data=callback_data(PREFIX, "nd", election_id, position)
                ),
            ]
        ]
    )
    return text, keyboard


def recommended(lang: str, cluster_name: str, position: str) -> str:
    """To a candidate the facilitator recommended."""
    return (
        translator(lang)
        .gettext(
            "🤝 The facilitator recommends you as a candidate for <b>{position}</b> of the organisation of {cluster}."
        )
        .format(position=position_label(lang, position), cluster=escape(cluster_name))
    )


def nominated(lang: str, name: str, position: str) -> str:
    """To the member who nominated."""
    return (
        translator(lang)
        .gettext("✅ You nominated {name} as {position}. They are asked to accept or decline.")
        .format(name=escape(name), position=position_label(lang, position))
    )


def nominee_answered(lang: str, position: str, accepted: bool) -> str:
    """The nominee's message after answering."""
    _ = translator(lang).gettext
    if accepted:
        return _("✅ You stand as a candidate for {position}. Good luck!").format(
            position=position_label(lang, position)
        )
    return _("You declined the nomination for {position}.").format(position=position_label(lang, position))


def no_pending(lang: str) -> str:
    """An answer to a nomination that was already answered."""
    return translator(lang).gettext("You have already answered this nomination.")


def not_a_member(lang: str) -> str:
    """The nominee left the cluster."""
    return translator(lang).gettext("You are no longer a member of this cluster, so you cannot stand.")
