"""What entering paper ballots says: which ballot, how many per candidate, the witness, and their confirmation."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.flows import MENU_BUTTON
from bot.i18n import translator
from conversations.organisation.election_views import contest_name
from conversations.organisation.rules import PREFIX
from conversations.organisation.views import back_row
from storage.elections import Contest
from storage.memberships import Membership


def pick_contest(lang: str, election_id: int, contests: list[Contest]) -> tuple[str, InlineKeyboardMarkup]:
    """Which ballot were the paper votes for?"""
    _ = translator(lang).gettext
    rows = [
        [InlineKeyboardButton(contest_name(lang, c), callback_data=callback_data(PREFIX, "pq", c.id))] for c in contests
    ]
    rows.append(back_row(lang, callback_data(PREFIX, "e", election_id)))
    return _("📝 Paper ballots from the room: for which position?"), InlineKeyboardMarkup(rows)


def ask_count(lang: str, contest: Contest, name: str, step: int, steps: int) -> tuple[str, InlineKeyboardMarkup]:
    """How many paper ballots for one candidate."""
    _ = translator(lang).gettext
    text = _(
        "📝 <b>{position}</b> ({step}/{steps})\nHow many paper ballots for <b>{name}</b>? Type a number (0 if none)."
    ).format(position=contest_name(lang, contest), step=step, steps=steps, name=escape(name))
    return text, InlineKeyboardMarkup([[InlineKeyboardButton(_("Cancel"), callback_data=MENU_BUTTON)]])


def not_a_count(lang: str) -> str:
    """A typed count that is not a number."""
    return translator(lang).gettext("Please type a number from 0 to 1000.")


def tally_lines(lang: str, counts: list[tuple[str, int]]) -> str:
    """ "Bayu 1 · Dewi 1 (2 ballots)"."""
    total = sum(votes for _name, votes in counts)
    summary = " · ".join(f"{escape(name)} {votes}" for name, votes in counts)
    return summary + " " + translator(lang).ngettext("({count} ballot)", "({count} ballots)", total).format(count=total)


def ask_witness(lang: str, counts: list[tuple[str, int]], people: list[Membership]) -> tuple[str, InlineKeyboardMarkup]:
    """Who confirms the count: a second facilitator or board member."""
    _ = translator(lang).gettext
    text = _(
        "Paper ballots: {tally}\nWho confirms this count? A second facilitator or board member checks it; it counts once they confirm."
    ).format(tally=tally_lines(lang, counts))
    rows = [
        [InlineKeyboardButton(p.full_name[:40], callback_data=callback_data(PREFIX, "pw", p.user_id))]
        for p in people[:12]
    ]
    if not people:
        text += "\n\n" + _("No second facilitator or board member is in the cluster yet: appoint one first.")
    rows.append([InlineKeyboardButton(_("Cancel"), callback_data=MENU_BUTTON)])
    return text, InlineKeyboardMarkup(rows)


def entered_intro(lang: str, witness: str) -> str:
    """After entering: waiting for the witness."""
    return (
        translator(lang)
        .gettext("📝 Paper ballots entered. They count once {name} confirms them.")
        .format(name=escape(witness))
    )


def witness_request(
    lang: str, contest: Contest, entered_by: str, counts: list[tuple[str, int]], tally_id: int
) -> tuple[str, InlineKeyboardMarkup]:
    """To the witness: confirm or reject the count."""
    _ = translator(lang).gettext
    text = _(
        "📝 Please check the paper ballots for <b>{position}</b> entered by {name}:\n{tally}\nIs this count right?"
    ).format(position=contest_name(lang, contest), name=escape(entered_by), tally=tally_lines(lang, counts))
    rows = [
        [
            InlineKeyboardButton(_("✅ Correct: count them"), callback_data=callback_data(PREFIX, "pc", tally_id)),
            InlineKeyboardButton(_("❌ Not correct"), callback_data=callback_data(PREFIX, "px", tally_id)),
        ]
    ]
    return text, InlineKeyboardMarkup(rows)


def decided(lang: str, confirmed: bool, counts: list[tuple[str, int]]) -> str:
    """The witness's message after deciding."""
    _ = translator(lang).gettext
    if confirmed:
        return _("✅ Confirmed and counted: {tally}").format(tally=tally_lines(lang, counts))
    return _("❌ Rejected: {tally}. The facilitator enters the paper ballots again.").format(
        tally=tally_lines(lang, counts)
    )


def witness_problem(lang: str, problem: str) -> str:
    """Why this person cannot confirm."""
    _ = translator(lang).gettext
    texts = {
        "same_person": _("The person who entered the ballots cannot confirm them."),
        "not_named": _("Only the person asked to confirm can do this."),
        "done": _("This count was already decided."),
        "closed": _("The voting has closed. Votes are no longer taken."),
    }
    return texts[problem]
