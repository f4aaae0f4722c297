"""What setting up and running an election says: the set-up steps, the facilitator's view, candidates."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.flows import MENU_BUTTON
from bot.i18n import format_when, translator
from bot.menu import N_
from bot.paging import page_of
from conversations.meetings.labels import kind_label
from conversations.organisation.rules import POSITIONS, PREFIX
from conversations.organisation.views import back_row, position_label
from storage.elections import Candidate, Contest, Election, Position
from storage.meetings import Meeting
from storage.memberships import Membership

STATUS_LABELS = {"nominating": N_("nominations open"), "voting": N_("voting open"), "closed": N_("closed")}
CANDIDATE_MARKS = {"pending": "⏳", "accepted": "✅", "declined": "❌"}
PAGE_SIZE = 12


def _cancel(lang: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(translator(lang).gettext("Cancel"), callback_data=MENU_BUTTON)]


def election_list(lang: str, elections: list[Election], timezone: str) -> tuple[str, InlineKeyboardMarkup]:
    """The cluster's elections, newest first, and ➕ New election."""
    _ = translator(lang).gettext
    lines = ["🗳 <b>" + _("Elections of the board") + "</b>"]
    if not elections:
        lines.append(_("No election yet. At FGD-2 the cluster elects its board: by recommendation or by vote."))
    rows = [[InlineKeyboardButton(_("➕ New election"), callback_data=callback_data(PREFIX, "en"))]]
    for election in elections[:8]:
        label = _("Election of {when}: {status}").format(
            when=format_when(election.created_at, timezone, lang), status=_(STATUS_LABELS[election.status])
        )
        rows.append([InlineKeyboardButton(label, callback_data=callback_data(PREFIX, "e", election.id))])
    rows.append(back_row(lang))
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def ask_positions(lang: str, chosen: list[str]) -> tuple[str, InlineKeyboardMarkup]:
    """1/5: which positions are elected."""
    _ = translator(lang).gettext
    text = _(
        "<b>New election</b> (1/5)\nWhich positions does the cluster elect? The rules (AD/ART) say how many board members and which positions."
    )
    buttons = [
        InlineKeyboardButton(
            ("✅ " if p in chosen else "⬜ ") + position_label(lang, p), callback_data=callback_data(PREFIX, "ep", p)
        )
        for p in POSITIONS
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([InlineKeyboardButton(_("Done ▶"), callback_data=callback_data(PREFIX, "epd"))])
    rows.append(_cancel(lang))
    return text, InlineKeyboardMarkup(rows)


def ask_voters(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """2/5: who may vote."""
    _ = translator(lang).gettext
    text = _("<b>New election</b> (2/5)\nWho may vote?")
    rows = [
        [InlineKeyboardButton(_("All members of the cluster"), callback_data=callback_data(PREFIX, "ev", "members"))],
        [
            InlineKeyboardButton(
                _("Members checked in at a meeting"), callback_data=callback_data(PREFIX, "ev", "meeting")
            )
        ],
        _cancel(lang),
    ]
    return text, InlineKeyboardMarkup(rows)


def ask_meeting(lang: str, meetings: list[Meeting], timezone: str) -> tuple[str, InlineKeyboardMarkup]:
    """2/5 (cont.): which meeting's check-ins make the voter list."""
    _ = translator(lang).gettext
    if not meetings:
        return _(
            "There is no meeting to check in to. Schedule FGD-2 first, or let all members vote."
        ), InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        _("All members of the cluster"), callback_data=callback_data(PREFIX, "ev", "members")
                    )
                ],
                _cancel(lang),
            ]
        )
    rows = [
        [
            InlineKeyboardButton(
                f"{kind_label(lang, m.kind)}: {m.topic[:30]} · {format_when(m.starts_at, timezone, lang)}",
                callback_data=callback_data(PREFIX, "em", m.id),
            )
        ]
        for m in meetings
    ]
    rows.append(_cancel(lang))
    return _("<b>New election</b> (2/5)\nAt which meeting? Those checked in there may vote."), InlineKeyboardMarkup(
        rows
    )


def ask_candidacy(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """3/5: how candidates are found."""
    _ = translator(lang).gettext
    text = _(
        "<b>New election</b> (3/5)\nHow are candidates found? Members nominate (the nominee accepts or declines), or the facilitator recommends them. You can recommend candidates either way."
    )
    rows = [
        [InlineKeyboardButton(_("🙋 Members nominate"), callback_data=callback_data(PREFIX, "ec", "nomination"))],
        [
            InlineKeyboardButton(
                _("🤝 The facilitator recommends"), callback_data=callback_data(PREFIX, "ec", "recommendation")
            )
        ],
        _cancel(lang),
    ]
    return text, InlineKeyboardMarkup(rows)


def ask_tie_rule(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """4/5: how a tie is settled."""
    _ = translator(lang).gettext
    text = _(
        "<b>New election</b> (4/5)\nIf two candidates get the same number of votes, how is it settled? (If a run-off ties again, the bot draws lots.)"
    )
    rows = [
        [InlineKeyboardButton(_("🔁 A run-off between the tied"), callback_data=callback_data(PREFIX, "et", "runoff"))],
        [
            InlineKeyboardButton(
                _("🎲 Lots drawn by the bot (recorded)"), callback_data=callback_data(PREFIX, "et", "lots")
            )
        ],
        _cancel(lang),
    ]
    return text, InlineKeyboardMarkup(rows)


def rule_lines(lang: str, voters: str, meeting: Meeting | None, candidacy: str, tie_rule: str) -> list[str]:
    """Who votes, how candidates are found, how ties are settled."""
    _ = translator(lang).gettext
    who = (
        _('members checked in at "{meeting}"').format(meeting=escape(meeting.topic))
        if voters == "meeting" and meeting
        else _("all members")
    )
    how = _("members nominate") if candidacy == "nomination" else _("the facilitator recommends")
    tie = _("a run-off") if tie_rule == "runoff" else _("lots drawn by the bot")
    return [
        _("Voters: {who}").format(who=who),
        _("Candidates: {how}").format(how=how),
        _("Ties: {tie}").format(tie=tie),
    ]


def review(
    lang: str, positions: list[str], voters: str, meeting: Meeting | None, candidacy: str, tie_rule: str
) -> tuple[str, InlineKeyboardMarkup]:
    """5/5: the election as set up."""
    _ = translator(lang).gettext
    lines = [
        _("<b>New election</b> (5/5)"),
        _("Positions: {positions}").format(positions=", ".join(position_label(lang, p) for p in positions)),
    ]
    lines += rule_lines(lang, voters, meeting, candidacy, tie_rule)
    if candidacy == "nomination":
        lines += ["", _("Every member is told that nominations are open.")]
    rows = [
        [InlineKeyboardButton(_("✅ Create the election"), callback_data=callback_data(PREFIX, "ego"))],
        _cancel(lang),
    ]
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def candidate_line(lang: str, candidate: Candidate) -> str:
    """ "✅ Bayu (nominated)" with a note when they left."""
    _ = translator(lang).gettext
    source = _("nominated") if candidate.source == "nominated" else _("recommended")
    line = f"{CANDIDATE_MARKS[candidate.status]} {escape(candidate.full_name)} ({source})"
    if not candidate.is_member:
        line += " · " + _("left the cluster")
    return line


def election_view(
    lang: str,
    election: Election,
    meeting: Meeting | None,
    positions: list[Position],
    candidates: list[Candidate],
    open_contests: list[tuple[Contest, int]],
    pending_paper: int,
    intro: str | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    """The facilitator's view of one election and what can be done next."""
    _ = translator(lang).gettext
    lines = [intro, ""] if intro else []
    lines.append(_("🗳 <b>Election of the board</b>: {status}").format(status=_(STATUS_LABELS[election.status])))
    lines += rule_lines(lang, election.voters, meeting, election.candidacy, election.tie_rule)
    for position in positions:
        lines += ["", f"<b>{position_label(lang, position.position)}</b>"]
        lines += [candidate_line(lang, c) for c in candidates if c.position == position.position] or [
            _("No candidate yet.")
        ]
    if open_contests:
        lines += ["", _("Voted so far (the counts stay secret until the voting closes):")]
        for contest, voted in open_contests:
            lines.append(f"{contest_name(lang, contest)}: {voted}")
    if pending_paper:
        lines.append(_("📝 Paper ballots waiting for confirmation: {count}").format(count=pending_paper))
    e = election.id
    rows = []
    if election.status == "nominating":
        rows.append([InlineKeyboardButton(_("🤝 Recommend a candidate"), callback_data=callback_data(PREFIX, "ra", e))])
        rows.append([InlineKeyboardButton(_("▶️ Open the voting"), callback_data=callback_data(PREFIX, "eo", e))])
    elif election.status == "voting":
        rows.append([InlineKeyboardButton(_("📝 Enter paper ballots"), callback_data=callback_data(PREFIX, "pp", e))])
        rows.append(
            [InlineKeyboardButton(_("🔒 Close the voting and count"), callback_data=callback_data(PREFIX, "ex", e))]
        )
    else:
        rows.append([InlineKeyboardButton(_("📊 Results"), callback_data=callback_data(PREFIX, "es", e))])
        if election.announced_at is None:
            rows.append(
                [InlineKeyboardButton(_("📣 Announce the organisation"), callback_data=callback_data(PREFIX, "ea", e))]
            )
    rows.append(back_row(lang, callback_data(PREFIX, "el")))
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def contest_name(lang: str, contest: Contest) -> str:
    """ "Chair" or "Chair (run-off)"."""
    _ = translator(lang).gettext
    name = position_label(lang, contest.position)
    return name if contest.round == 1 else _("{position} (run-off)").format(position=name)


def pick_position(lang: str, election_id: int, positions: list[Position], key: str) -> tuple[str, InlineKeyboardMarkup]:
    """For which position (to nominate or recommend)?"""
    _ = translator(lang).gettext
    rows = [
        [
            InlineKeyboardButton(
                position_label(lang, p.position), callback_data=callback_data(PREFIX, key, election_id, p.position, 0)
            )
        ]
        for p in positions
    ]
    rows.append(back_row(lang))
    return _("For which position?"), InlineKeyboardMarkup(rows)


def pick_member(
    lang: str, election_id: int, position: str, members: list[Membership], page: int, list_key: str, choose_key: str
) -> tuple[str, InlineKeyboardMarkup]:
    """A page of members to propose for ``position``."""
    _ = translator(lang).gettext
    shown, page, pages = page_of(members, page, PAGE_SIZE)
    text = _("Who do you propose as {position}? ({page}/{pages})").format(
        position=position_label(lang, position), page=page + 1, pages=pages
    )
    buttons = [
        InlineKeyboardButton(
            m.full_name[:30], callback_data=callback_data(PREFIX, choose_key, election_id, position, m.user_id)
        )
        for m in shown
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    nav = []
    if page > 0:
        nav.append(
            InlineKeyboardButton(
                _("◀ Previous"), callback_data=callback_data(PREFIX, list_key, election_id, position, page - 1)
            )
        )
    if page < pages - 1:
        nav.append(
            InlineKeyboardButton(
                _("Next ▶"), callback_data=callback_data(PREFIX, list_key, election_id, position, page + 1)
            )
        )
    if nav:
        rows.append(nav)
    rows.append(back_row(lang))
    return text, InlineKeyboardMarkup(rows)


def ask_open(
    lang: str, election_id: int, ballots: dict[str, list[str]], left_out: list[str]
) -> tuple[str, InlineKeyboardMarkup]:
    """Confirm opening the voting: who is on each ballot, who is not and why."""
    _ = translator(lang).gettext
    lines = [_("<b>Open the voting?</b> Nominations close; every voter receives the ballot.")]
    for position, names in ballots.items():
        if len(names) > 1:
            summary = ", ".join(escape(n) for n in names)
        elif names:
            summary = _("{name}: elected unopposed").format(name=escape(names[0]))
        else:
            summary = _("no candidate: stays vacant")
        lines.append(f"<b>{position_label(lang, position)}</b>: {summary}")
    if left_out:
        lines += [
            "",
            _("Not on the ballot (did not accept, or left the cluster): {names}").format(
                names=", ".join(escape(n) for n in left_out)
            ),
        ]
    rows = [
        [InlineKeyboardButton(_("▶️ Yes, open the voting"), callback_data=callback_data(PREFIX, "eoy", election_id))],
        back_row(lang, callback_data(PREFIX, "e", election_id)),
    ]
    return "\n".join(lines), InlineKeyboardMarkup(rows)
