"""What writing to the facilitators says, in the reader's language."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.fitting import split_text
from bot.i18n import translator
from conversations.messages.rules import LetterAction, letter_button_data

EXCERPT = 300  # characters of the member's letter quoted above a facilitator's answer prompt
TOPIC_EXCERPT = 80  # characters of a session's question, a round's title, a meeting's topic


def _short(text: str, limit: int) -> str:
    """``text`` cut at a word to at most ``limit`` characters, with "…" when cut (escaped for HTML)."""
    if len(text) <= limit:
        return escape(text)
    return escape(text[:limit].rsplit(" ", 1)[0].rstrip() + "…")


def offer(lang: str, cluster_name: str, letter_id: int, late: str | None = None) -> tuple[str, InlineKeyboardMarkup]:
    """The answer to a member's text outside any question: what happened (``late``) and the offer to send it."""
    _ = translator(lang).gettext
    opening = late or _("I did not ask anything just now.")
    question = _(
        "Shall I send this message to the facilitators of <b>{cluster}</b>? They will see your name and small group."
    ).format(cluster=escape(cluster_name))
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("✉️ Send to the facilitators"), callback_data=letter_button_data(LetterAction.SEND, letter_id)
                )
            ],
            [InlineKeyboardButton(_("Cancel"), callback_data=letter_button_data(LetterAction.DROP, letter_id))],
        ]
    )
    return opening + "\n\n" + question, keyboard


def sent(lang: str, cluster_name: str) -> str:
    """The offer, once the member tapped Send."""
    _ = translator(lang).gettext
    return _("✉️ Sent to the facilitators of <b>{cluster}</b>. Their answer will come here.").format(
        cluster=escape(cluster_name)
    )


def dropped(lang: str) -> str:
    """The offer, once the member tapped Cancel."""
    return translator(lang).gettext("Not sent: nothing reached the facilitators.")


def no_facilitator(lang: str) -> str:
    """The offer when the cluster has no facilitator who could read it."""
    return translator(lang).gettext("This cluster has no facilitator who could read it yet, so nothing was sent.")


def letter_for_facilitators(
    lang: str, letter_id: int, sender: str, group: str | None, cluster_name: str, body: str
) -> tuple[list[str], InlineKeyboardMarkup]:
    """A member's letter as a facilitator receives it: who wrote, their small group, the text, and Reply.
    Parts to send in order (a long letter is split), the button under the last."""
    _ = translator(lang).gettext
    heading = _("✉️ <b>Message from {name}</b> ({group}), {cluster}").format(
        name=escape(sender), group=escape(group) if group else _("no small group"), cluster=escape(cluster_name)
    )
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("↩️ Reply"), callback_data=letter_button_data(LetterAction.ANSWER, letter_id))]]
    )
    return split_text(heading + "\n\n" + escape(body)), keyboard


def ask_answer(lang: str, member: str, body: str) -> str:
    """The facilitator's prompt after Reply: the letter quoted, then what to do."""
    _ = translator(lang).gettext
    return (
        "<blockquote>"
        + _short(body, EXCERPT)
        + "</blockquote>\n"
        + _("Type your answer to <b>{name}</b>. It reaches them with your name. /cancel: do not answer.").format(
            name=escape(member)
        )
    )


def answer_for_member(lang: str, facilitator: str, cluster_name: str, body: str) -> list[str]:
    """A facilitator's answer as the member receives it (parts to send in order)."""
    _ = translator(lang).gettext
    heading = _("✉️ <b>Answer from {name}</b>, facilitator of {cluster}:").format(
        name=escape(facilitator), cluster=escape(cluster_name)
    )
    return split_text(heading + "\n\n" + escape(body) + "\n\n" + _("To write again, just type your message here."))


def answer_sent(lang: str, member: str) -> str:
    """The facilitator's confirmation that the answer is on its way."""
    return translator(lang).gettext("✅ Your answer is on its way to {name}.").format(name=escape(member))


def type_the_answer(lang: str) -> str:
    """Something other than text while the facilitator's answer is awaited."""
    return translator(lang).gettext("Please type your answer as text, or /cancel.")


def letter_gone(lang: str, status: str) -> str:
    """A Send or Cancel tap on a letter that was already sent or cancelled (a second tap, another phone)."""
    _ = translator(lang).gettext
    if status == "sent":
        return _("Already sent to the facilitators.")
    return _("This message was not sent. Type it again to send it.")


def only_facilitators(lang: str) -> str:
    """A Reply tap by someone who is not (any more) a facilitator of the letter's cluster."""
    return translator(lang).gettext("Only the facilitators of this cluster can answer this message.")


# -- typed text that came too late --------------------------------------------------------------


def collection_closed(lang: str, question: str) -> str:
    """Text that may have been a card, after the collection closed."""
    _ = translator(lang).gettext
    return _(
        "If this was a card for «{question}»: collecting cards has closed, so it was not saved as a card. "
        "The cards you sent before are kept; see them on the board from /menu."
    ).format(question=_short(question, TOPIC_EXCERPT))


def round_closed(lang: str, title: str) -> str:
    """A typed answer after the survey round closed."""
    _ = translator(lang).gettext
    return _(
        "The survey «{title}» has closed, so this answer was not saved. The answers you gave before are kept."
    ).format(title=_short(title, TOPIC_EXCERPT))


def meeting_over(lang: str, topic: str) -> str:
    """Text soon after a meeting the person was invited to ended."""
    _ = translator(lang).gettext
    return _("The meeting «{topic}» is over. The next meetings are in /menu.").format(
        topic=_short(topic, TOPIC_EXCERPT)
    )
