"""What the count says: every round with its counts and turnout, ties and lots, and who was elected."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.i18n import translator
from conversations.organisation.election_views import contest_name
from conversations.organisation.rules import PREFIX
from conversations.organisation.views import back_row, position_label
from storage.elections import Contest, Election

if TYPE_CHECKING:
    from conversations.organisation.results import ContestResult


def ask_close(lang: str, election_id: int) -> tuple[str, InlineKeyboardMarkup]:
    """Confirm closing the voting."""
    _ = translator(lang).gettext
    text = _("<b>Close the voting and count?</b> After this no vote is taken. Enter the paper ballots from the room first.")
    rows = [[InlineKeyboardButton(_("🔒 Yes, close and count"), callback_data=callback_data(PREFIX, "exy", election_id))], back_row(lang, callback_data(PREFIX, "e", election_id))]
    return text, InlineKeyboardMarkup(rows)


def paper_waiting(lang: str, count: int) -> str:
    """Closing refused while paper ballots wait for their witness."""
    return translator(lang).ngettext(
        "{count} entry of paper ballots still waits for confirmation by the second person. Close after it is confirmed.",
        "{count} entries of paper ballots still wait for confirmation by the second person. Close after they are confirmed.",
        count,
    ).format(count=count)


def closed_intro(lang: str, runoffs: list[Contest]) -> str:
    """After counting: the result, or the run-off that opens."""
    _ = translator(lang).gettext
    if runoffs:
        return _("🔁 A tie: the run-off is open for {positions}. The voters receive the new ballot.").format(
            positions=", ".join(position_label(lang, c.position) for c in runoffs)
        )
    return _("🔒 The voting is closed and counted.")


def _contest_lines(lang: str, result: ContestResult) -> list[str]:
    _ = translator(lang).gettext
    counts = []
    for name, phone, paper in result.counts:
        figure = str(phone + paper) + (" " + _("({paper} on paper)").format(paper=paper) if paper else "")
        counts.append(f"{escape(name)} {figure}")
    lines = [f"<i>{contest_name(lang, result.contest)}</i>: " + " · ".join(counts)]
    turnout = result.turnout
    lines.append(
        _("Voted: {voted} of {eligible} ({rate:.0%}) · by phone {phone} · on paper {paper}").format(
            voted=turnout.voted, eligible=turnout.eligible, rate=turnout.rate, phone=turnout.by_phone, paper=turnout.on_paper
        )
    )
    if result.draw:
        lines.append(_("Tie between {names}: lots drawn by the bot, seed {seed}: {winner}").format(
            names=", ".join(escape(n) for n in result.tied), seed=result.draw.seed, winner=escape(result.drawn_name or "?")
        ))
    elif result.tied:
        lines.append(_("Tie between {names}.").format(names=", ".join(escape(n) for n in result.tied)))
    return lines


def results(
    lang: str, election: Election, found: list[ContestResult], winners: list[tuple[str, str | None, str | None]], intro: str | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """The results: each position's rounds, then who was elected."""
    _ = translator(lang).gettext
    how = {
        "votes": _("by vote"), "runoff": _("in the run-off"), "lots": _("by lots"), "unopposed": _("unopposed"), "vacant": _("vacant"),
    }
    lines = [intro, ""] if intro else []
    lines.append("📊 <b>" + _("Results of the election") + "</b>")
    for position, name, decided_by in winners:
        lines += ["", f"<b>{position_label(lang, position)}</b>"]
        for result in found:
            if result.contest.position == position:
                lines += _contest_lines(lang, result)
        if name:
            lines.append(_("Elected: <b>{name}</b> ({how})").format(name=escape(name), how=how.get(decided_by or "votes", "")))
        elif decided_by == "vacant":
            lines.append(_("No one elected: the position stays vacant."))
        else:
            lines.append(_("Not decided yet."))
    rows = []
    if election.status == "closed" and election.announced_at is None:
        rows.append([InlineKeyboardButton(_("📣 Announce the organisation"), callback_data=callback_data(PREFIX, "ea", election.id))])
    rows.append(back_row(lang, callback_data(PREFIX, "e", election.id)))
    return "\n".join(lines), InlineKeyboardMarkup(rows)
