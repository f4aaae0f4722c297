"""What voting says: the ballot notice, the ballots, the confirmation, the cast vote (never naming the choice after)."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.i18n import translator
from conversations.organisation.election_views import contest_name
from conversations.organisation.rules import PREFIX
from conversations.organisation.views import back_row
from storage.elections import Contest


def notice(lang: str, cluster_name: str, election_id: int, contests: list[Contest]) -> tuple[str, InlineKeyboardMarkup]:
    """To every voter when ballots open (or a run-off)."""
    _ = translator(lang).gettext
    names = ", ".join(contest_name(lang, c) for c in contests)
    text = _(
        "🗳 <b>Voting is open</b> in the election of the board of {cluster}: {positions}.\nOne vote per position. Your vote is secret: nobody, not even the facilitator, can see whom you chose."
    ).format(cluster=escape(cluster_name), positions=names)
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("🗳 Vote"), callback_data=callback_data(PREFIX, "b", election_id))]]
    )
    return text, keyboard


def ballots(lang: str, contests: list[tuple[Contest, bool]]) -> tuple[str, InlineKeyboardMarkup]:
    """The open ballots, marking those the voter has done."""
    _ = translator(lang).gettext
    if not contests:
        return _("There is no open ballot now."), InlineKeyboardMarkup([back_row(lang)])
    rows = []
    for contest, voted in contests:
        label = ("✅ " if voted else "🗳 ") + contest_name(lang, contest)
        rows.append([InlineKeyboardButton(label, callback_data=callback_data(PREFIX, "bc", contest.id))])
    rows.append(back_row(lang))
    return _("Choose a position to vote for. ✅ means you have voted."), InlineKeyboardMarkup(rows)


def ballot(lang: str, contest: Contest, candidates: list[tuple[int, str]]) -> tuple[str, InlineKeyboardMarkup]:
    """One ballot: a button per candidate."""
    _ = translator(lang).gettext
    text = _(
        "<b>Ballot: {position}</b>\nTap the candidate you choose. You will confirm before the vote is cast."
    ).format(position=contest_name(lang, contest))
    rows = [
        [InlineKeyboardButton(name[:40], callback_data=callback_data(PREFIX, "bp", contest.id, user_id))]
        for user_id, name in candidates
    ]
    rows.append(back_row(lang, callback_data(PREFIX, "b", contest.election_id)))
    return text, InlineKeyboardMarkup(rows)


def confirm(lang: str, contest: Contest, name: str, candidate_id: int, key: str) -> tuple[str, InlineKeyboardMarkup]:
    """Confirm the choice before it is cast; the Cast button carries the confirm screen's one-time ``key``."""
    _ = translator(lang).gettext
    text = _("You chose <b>{name}</b> as {position}.\nOnce cast, your vote is final. It is secret.").format(
        name=escape(name), position=contest_name(lang, contest)
    )
    rows = [
        [
            InlineKeyboardButton(
                _("✅ Cast my vote"), callback_data=callback_data(PREFIX, "bx", contest.id, candidate_id, key)
            )
        ],
        [InlineKeyboardButton(_("↩️ Choose again"), callback_data=callback_data(PREFIX, "bc", contest.id))],
    ]
    return text, InlineKeyboardMarkup(rows)


def cast(lang: str, contest: Contest) -> tuple[str, InlineKeyboardMarkup]:
    """After casting: says the vote counted, never for whom."""
    _ = translator(lang).gettext
    text = _(
        "✅ Your vote for {position} is cast and counted once. It is secret: nobody can see whom you chose."
    ).format(position=contest_name(lang, contest))
    rows = [
        [InlineKeyboardButton(_("🗳 Other positions"), callback_data=callback_data(PREFIX, "b", contest.election_id))]
    ]
    return text, InlineKeyboardMarkup(rows)


def cast_toast(lang: str) -> str:
    """The toast when the vote is counted."""
    return translator(lang).gettext("Your vote is cast.")
