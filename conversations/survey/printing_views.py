"""What the survey says about paper: the printed questionnaire's lines and caption, and the round's link."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import translator
from bot.settings import LANGUAGES
from conversations.survey.rules import language_number, tap_data

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


def printed_heading(lang: str, cluster_name: str, title: str) -> list[str]:
    """The lines under the questionnaire's title on paper: the cluster and the round."""
    _ = translator(lang).gettext
    return [_("Cluster: {cluster}").format(cluster=cluster_name), _("Survey round: {title}").format(title=title)]


def preparing(lang: str) -> str:
    """Toast while the PDF is made."""
    return translator(lang).gettext("Preparing the questionnaire to print…")


def printed(lang: str, title: str, printed_in: str, link: str, round_id: int) -> tuple[str, InlineKeyboardMarkup]:
    """The caption of the printed questionnaire, and the same questionnaire in the other languages."""
    _ = translator(lang).gettext
    text = "\n".join(
        [
            _("🖨 The questionnaire of “{title}” to print ({language}).").format(
                title=escape(title), language=LANGUAGE_NAMES.get(printed_in, printed_in)
            ),
            _(
                "Hand it out at the meeting; enter the filled-in sheets with 📝 Enter paper questionnaires. Members with a phone scan the QR code or open: {link}"
            ).format(link=escape(link)),
        ]
    )
    others = [
        InlineKeyboardButton(
            _("🖨 In {language}").format(language=LANGUAGE_NAMES.get(other, other)),
            callback_data=tap_data("prt", round_id, language_number(other)),
        )
        for other in LANGUAGES
        if other != printed_in
    ]
    return text, InlineKeyboardMarkup([others])


def not_a_member(lang: str, cluster_name: str) -> str:
    """A round's link opened by someone who is not a member of its cluster."""
    return (
        translator(lang)
        .gettext(
            "This questionnaire is for the members of <b>{cluster}</b>. To answer it, join the cluster first with the invitation code from its facilitator (“Join a cluster” in the menu)."
        )
        .format(cluster=escape(cluster_name))
    )


def unknown_round(lang: str) -> str:
    """A round's link that names no round."""
    return translator(lang).gettext("This questionnaire link is not valid. Ask your facilitator for a new one.")
