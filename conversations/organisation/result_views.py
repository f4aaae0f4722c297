"""What the count says: every round with its counts and turnout, ties and lots, and who was elected."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.i18n import translator
from bot.page_buttons import page_line, page_rows
from bot.paging import pages_of
from conversations.organisation import rules
from conversations.organisation.election_views import contest_name
from conversations.organisation.rules import PREFIX, RESULTS_CANDIDATES, RESULTS_PAGE
from conversations.organisation.views import back_row, position_label
from storage.ballots import Draw
from storage.elections import Contest, Election


@dataclass(frozen=True)
class ContestResult:
    """One ballot's figures, as shown."""

    contest: Contest
    counts: list[tuple[str, int, int]]  # name, votes by phone, paper ballots; most votes first
    turnout: rules.Turnout
    tied: tuple[str, ...]
    draw: Draw | None
    drawn_name: str | None


def ask_close(lang: str, election_id: int, voted: int, may_vote: int) -> tuple[str, InlineKeyboardMarkup]:
    """Confirm closing the voting, with how many of those who may vote have voted by phone."""
    translation = translator(lang)
    _ = translation.gettext
    text = "\n".join(
        (
            _(
                "<b>Close the voting and count?</b> After this no vote is taken. "
                "Enter the paper ballots from the room first."
            ),
            translation.ngettext(
                "{voted} of {people} person who may vote has voted by phone.",
                "{voted} of {people} people who may vote have voted by phone.",
                may_vote,
            ).format(voted=voted, people=may_vote),
        )
    )
    rows = [
        [InlineKeyboardButton(_("🔒 Yes, close and count"), callback_data=callback_data(PREFIX, "exy", election_id))],
        back_row(lang, callback_data(PREFIX, "e", election_id)),
    ]
    return text, InlineKeyboardMarkup(rows)


def paper_waiting(lang: str, count: int) -> str:
    """Closing refused while paper ballots wait for their witness."""
    return (
        translator(lang)
        .ngettext(
            "{count} entry of paper ballots still waits for confirmation by the second person. Close after it is confirmed.",
            "{count} entries of paper ballots still wait for confirmation by the second person. Close after they are confirmed.",
            count,
        )
        .format(count=count)
    )


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
    for name, phone, paper in result.counts[:RESULTS_CANDIDATES]:
        figure = str(phone + paper) + (" " + _("({paper} on paper)").format(paper=paper) if paper else "")
        counts.append(f"{escape(name)} {figure}")
    if len(result.counts) > RESULTS_CANDIDATES:
        counts.append(_("… and {count} more").format(count=len(result.counts) - RESULTS_CANDIDATES))
    lines = [f"<i>{contest_name(lang, result.contest)}</i>: " + " · ".join(counts)]
    turnout = result.turnout
    lines.append(
        _("Voted: {voted} of {eligible} ({rate:.0%}) · by phone {phone} · on paper {paper}").format(
            voted=turnout.voted,
            eligible=turnout.eligible,
            rate=turnout.rate,
            phone=turnout.by_phone,
            paper=turnout.on_paper,
        )
    )
    if result.draw:
        lines.append(
            _("Tie between {names}: lots drawn by the bot, seed {seed}: {winner}").format(
                names=", ".join(escape(n) for n in result.tied),
                seed=result.draw.seed,
                winner=escape(result.drawn_name or "?"),
            )
        )
    elif result.tied:
        lines.append(_("Tie between {names}.").format(names=", ".join(escape(n) for n in result.tied)))
    return lines


def results(
    lang: str,
    election: Election,
    found: list[ContestResult],
    winners: list[tuple[str, str | None, str | None]],
    intro: str | None = None,
    page: int = 0,
) -> tuple[str, InlineKeyboardMarkup]:
    """The results, a few positions a page: each position's rounds, then who was elected."""
    _ = translator(lang).gettext
    how = {
        "votes": _("by vote"),
        "runoff": _("in the run-off"),
        "lots": _("by lots"),
        "unopposed": _("unopposed"),
        "vacant": _("vacant"),
    }
    blocks = []
    for position, name, decided_by in winners:
        block = [f"<b>{position_label(lang, position)}</b>"]
        for result in found:
            if result.contest.position == position:
                block += _contest_lines(lang, result)
        if name:
            block.append(
                _("Elected: <b>{name}</b> ({how})").format(name=escape(name), how=how.get(decided_by or "votes", ""))
            )
        elif decided_by == "vacant":
            block.append(_("No one elected: the position stays vacant."))
        else:
            block.append(_("Not decided yet."))
        blocks.append("\n".join(block))
    pages = pages_of(blocks, 3000, RESULTS_PAGE)
    page = min(max(page, 0), len(pages) - 1)  # an old button after a run-off: the last page there is
    lines = [intro, ""] if intro and page == 0 else []
    lines.append(
        "📊 <b>"
        + _("Results of the election")
        + "</b>"
        + (" · " + page_line(lang, page, len(pages)) if len(pages) > 1 else "")
    )
    for index in pages[page]:
        lines += ["", blocks[index]]
    rows = page_rows(lang, page, len(pages), lambda number: callback_data(PREFIX, "es", election.id, number))
    if election.status == "closed" and election.announced_at is None:
        rows.append(
            [
                InlineKeyboardButton(
                    _("📣 Announce the organisation"), callback_data=callback_data(PREFIX, "ea", election.id)
                )
            ]
        )
    rows.append(back_row(lang, callback_data(PREFIX, "e", election.id)))
    return "\n".join(lines), InlineKeyboardMarkup(rows)
