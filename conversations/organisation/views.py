"""What the organisation flow says everywhere: names of positions, refusals, and the organisation's page."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.flows import MENU_BUTTON
from bot.i18n import format_when, translator
from bot.menu import N_
from conversations.organisation.rules import PREFIX, AnswerProblem, NominationProblem, VoteProblem
from storage.elections import Election
from storage.memberships import OfficeHolder
from storage.organisation import RulesVersion, VisionVersion

ANNUAL_PLAN = "ap1:home"  # the annual plan's page (conversations.annual_plan, which imports this flow)

POSITION_LABELS = {
    "chair": N_("Chair"),
    "vice_chair": N_("Vice chair"),
    "secretary": N_("Secretary"),
    "treasurer": N_("Treasurer"),
    "admin_head": N_("Head of administration"),
    "auditor": N_("Auditor"),
    "protocol": N_("Protocol"),
}
HOME_VISION_LIMIT = 1200


def position_label(lang: str, position: str) -> str:
    """A board position in ``lang``."""
    return translator(lang).gettext(POSITION_LABELS.get(position, POSITION_LABELS["chair"]))


def stale(lang: str) -> str:
    """A button from an old message, or forged data."""
    return translator(lang).gettext("This button is no longer valid. Type /menu to start again.")


def back_row(lang: str, data: str | None = None) -> list[InlineKeyboardButton]:
    """« Back to the organisation's page (or to ``data``), and the main menu."""
    _ = translator(lang).gettext
    return [
        InlineKeyboardButton(_("« Back"), callback_data=data or callback_data(PREFIX, "home")),
        InlineKeyboardButton(_("« Main menu"), callback_data=MENU_BUTTON),
    ]


def vote_problem(lang: str, problem: VoteProblem, meeting_topic: str | None = None) -> str:
    """Why a vote was refused, in one short line (a toast)."""
    _ = translator(lang).gettext
    texts = {
        VoteProblem.CLOSED: _("The voting has closed. Votes are no longer taken."),
        VoteProblem.NOT_MEMBER: _("Only members of this cluster can vote."),
        VoteProblem.JOINED_LATE: _("You joined after the voting opened, so you cannot vote in this election."),
        VoteProblem.NOT_PRESENT: _('Only members checked in at the meeting "{topic}" can vote.').format(
            topic=meeting_topic or "-"
        ),
        VoteProblem.ALREADY_VOTED: _(
            "You have already voted for this position. One vote per person; your vote is counted once."
        ),
        VoteProblem.NOT_A_CANDIDATE: _("This button is no longer valid. Type /menu to start again."),
        VoteProblem.CANDIDATE_LEFT: _("This candidate has left the cluster. Please choose another candidate."),
        VoteProblem.NOT_CONFIRMED: _(
            "This vote needs its confirm screen: tap your candidate, then ✅ Cast my vote. Nothing was counted."
        ),
    }
    return texts[problem]


def nomination_problem(lang: str, problem: NominationProblem) -> str:
    """Why a nomination (or an answer to one) was refused."""
    _ = translator(lang).gettext
    texts = {
        NominationProblem.CLOSED: _("Nominations are closed for this election."),
        NominationProblem.NOT_MEMBER: _("This person is no longer a member of the cluster and cannot stand."),
        NominationProblem.ALREADY: _("This person is already proposed for this position."),
        NominationProblem.OTHER_POSITION: _("This person already stands for another position in this election."),
        NominationProblem.DECLINED_BEFORE: _("This person declined a nomination for this position."),
    }
    return texts[problem]


def answer_problem(lang: str, problem: AnswerProblem) -> str:
    """Why an answer to a draft of the vision and mission was refused."""
    _ = translator(lang).gettext
    texts = {
        AnswerProblem.CLOSED: _("The time to answer this draft has ended."),
        AnswerProblem.SUPERSEDED: _("A newer version of this draft was sent. Please answer that one."),
        AnswerProblem.NOT_MEMBER: _("Only members of this cluster can do this."),
    }
    return texts[problem]


def typed_problem(lang: str, problem: str, limit: int) -> str:
    """Typed text that was empty or too long."""
    _ = translator(lang).gettext
    if problem == "too_long":
        return _("That is too long: at most {limit} characters. Please type a shorter answer.").format(limit=limit)
    return _("The answer is empty. Please type it.")


def board_lines(lang: str, holders: list[OfficeHolder]) -> list[str]:
    """ "Chair: Bayu" lines for the board."""
    return [f"{position_label(lang, h.position)}: <b>{escape(h.full_name)}</b>" for h in holders]


def home(
    lang: str,
    cluster_name: str,
    timezone: str,
    vision: VisionVersion | None,
    rules: RulesVersion | None,
    holders: list[OfficeHolder],
    elections: list[Election],
    facilitator: bool,
) -> tuple[str, InlineKeyboardMarkup]:
    """The organisation's page: the vision and mission in force, the rules, the board, elections."""
    _ = translator(lang).gettext
    lines = [_("🏛 <b>The organisation of {cluster}</b>").format(cluster=escape(cluster_name)), ""]
    lines.append("<b>" + _("Vision and mission") + "</b>")
    if vision:
        text = vision.text if len(vision.text) <= HOME_VISION_LIMIT else vision.text[:HOME_VISION_LIMIT] + "…"
        lines.append(escape(text))
        lines.append(
            _("(version {number}, adopted {when})").format(
                number=vision.number, when=format_when(vision.adopted_at, timezone, lang) if vision.adopted_at else "-"
            )
        )
    else:
        lines.append(_("Not adopted yet."))
    lines += ["", "<b>" + _("Rules (AD/ART)") + "</b>"]
    if rules:
        lines.append(
            _("Version {number} of {when}").format(
                number=rules.number, when=format_when(rules.adopted_at, timezone, lang)
            )
        )
    else:
        lines.append(_("Not written yet."))
    lines += ["", "<b>" + _("Board") + "</b>"]
    lines += board_lines(lang, holders) or [_("Not elected yet.")]
    rows: list[list[InlineKeyboardButton]] = []
    if vision and len(vision.text) > HOME_VISION_LIMIT:
        rows.append(
            [InlineKeyboardButton(_("📖 Vision and mission in full"), callback_data=callback_data(PREFIX, "vv"))]
        )
    if rules:
        rows.append(
            [InlineKeyboardButton(_("📜 Read the rules"), callback_data=callback_data(PREFIX, "rr", rules.id, 0))]
        )
    for election in elections[:3]:
        if election.status == "nominating" and election.candidacy == "nomination":
            rows.append(
                [
                    InlineKeyboardButton(
                        _("🙋 Nominate a candidate"), callback_data=callback_data(PREFIX, "nn", election.id)
                    )
                ]
            )
        if election.status == "voting":
            rows.append([InlineKeyboardButton(_("🗳 Vote"), callback_data=callback_data(PREFIX, "b", election.id))])
    rows.append([InlineKeyboardButton(_("📅 Annual plan"), callback_data=ANNUAL_PLAN)])
    if facilitator:
        rows.append(
            [
                InlineKeyboardButton(_("✍️ Vision and mission"), callback_data=callback_data(PREFIX, "vm")),
                InlineKeyboardButton(_("📜 Rules (AD/ART)"), callback_data=callback_data(PREFIX, "rm")),
            ]
        )
        rows.append([InlineKeyboardButton(_("🗳 Elections"), callback_data=callback_data(PREFIX, "el"))])
    rows.append([InlineKeyboardButton(_("« Main menu"), callback_data=MENU_BUTTON)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def vision_in_full(lang: str, vision: VisionVersion | None) -> tuple[str, InlineKeyboardMarkup]:
    """The adopted vision and mission, whole."""
    _ = translator(lang).gettext
    body = escape(vision.text) if vision else _("Not adopted yet.")
    return "<b>" + _("Vision and mission") + "</b>\n\n" + body, InlineKeyboardMarkup([back_row(lang)])
