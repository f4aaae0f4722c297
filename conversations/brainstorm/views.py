"""What brainstorming says everywhere: labels, card lines, the session list and the facilitator's panel."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.flows import MENU_BUTTON
from bot.i18n import translator
from bot.menu import N_
from conversations.brainstorm.rules import PHASES, PREFIX, SWOT_COLUMNS, next_phase
from storage.brainstorm import Card, Session

PHASE_LABELS = {
    "collecting": N_("Collecting cards"),
    "revealed": N_("Cards revealed"),
    "grouping": N_("Grouping into themes"),
    "voting": N_("Dot voting"),
    "results": N_("Results: marking the shortlist"),
    "closed": N_("Closed"),
}
COLUMN_LABELS = {"S": N_("Strengths"), "W": N_("Weaknesses"), "O": N_("Opportunities"), "T": N_("Threats")}
TEMPLATE_LABELS = {"free": N_("One free question"), "swot": N_("SWOT: strengths, weaknesses, opportunities, threats")}
AUDIENCE_LABELS = {
    "meeting": N_("The meeting's invitees"),
    "group": N_("A small group"),
    "cluster": N_("Whole cluster"),
}
# The panel's button that moves each phase on (message ids).
ADVANCE_LABELS = {
    "collecting": N_("👀 Close collecting and reveal the cards"),
    "revealed": N_("🧩 Start grouping"),
    "grouping": N_("🗳 Open the dot voting"),
    "voting": N_("🔒 Close the voting"),
}


def stale(lang: str) -> str:
    """A stale or forged button."""
    return translator(lang).gettext("This button is no longer valid. Type /menu to start again.")


def column_label(lang: str, column: str | None) -> str:
    """A SWOT column's name ("" for a free question)."""
    return translator(lang).gettext(COLUMN_LABELS[column]) if column in COLUMN_LABELS else ""


def phase_label(lang: str, phase: str) -> str:
    """The phase in words."""
    return translator(lang).gettext(PHASE_LABELS[phase])


def duration_text(seconds: int | None) -> str:
    """0:42."""
    seconds = seconds or 0
    return f"{seconds // 60}:{seconds % 60:02d}"


def card_line(lang: str, card: Card, *, named: bool, limit: int = 500) -> str:
    """One card as a line of a list: number, column, content, summary, and the author when cards are named."""
    _ = translator(lang).gettext
    head = f"<b>#{card.number}</b>" + (f" [{card.column}]" if card.column else "")
    text = escape((card.text or "")[:limit])
    if card.kind == "voice":
        body = _("🎤 Voice note ({duration})").format(duration=duration_text(card.duration))
    elif card.kind == "photo":
        body = _("📷 Photo") + (f": {text}" if text else "")
    else:
        body = text
    if card.summary:
        body += f" — <i>{escape(card.summary)}</i>"
    if named:
        body += " — " + (escape(card.author_name) if card.author_id and card.author_name else _("on paper"))
    return f"{head} {body}"


def session_title(lang: str, session: Session) -> str:
    """The session's first line: its number and question."""
    return f"<b>💡 #{session.id}</b> {escape(session.question)}"


def session_list(
    lang: str, sessions: list[Session], managed: set[int], may_open: bool
) -> tuple[str, InlineKeyboardMarkup]:
    """The sessions a person takes part in or leads."""
    _ = translator(lang).gettext
    lines = [_("<b>Brainstorming</b>")]
    rows = []
    if may_open:
        rows.append([InlineKeyboardButton(_("➕ New session"), callback_data=callback_data(PREFIX, "new"))])
    if not sessions:
        lines.append(_("No sessions yet."))
    for session in sessions[:10]:
        lines.append(f"• #{session.id} {escape(session.question[:80])} ({phase_label(lang, session.phase)})")
        action = "p" if session.id in managed else "o"
        rows.append(
            [
                InlineKeyboardButton(
                    f"#{session.id} {session.question}"[:60], callback_data=callback_data(PREFIX, action, session.id)
                )
            ]
        )
    rows.append([InlineKeyboardButton(_("« Main menu"), callback_data=MENU_BUTTON)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def settings_lines(lang: str, session: Session, audience: str, people: int) -> list[str]:
    """The session's settings in a few lines."""
    _ = translator(lang).gettext
    return [
        _("Template: {value}").format(value=_(TEMPLATE_LABELS[session.template])),
        _("Cards: {value}").format(value=_("anonymous") if session.anonymous else _("with names")),
        _("Dots per person: {count}").format(count=session.dots),
        _("Taking part: {audience} ({count} people)").format(audience=escape(audience), count=people),
    ]


def count_lines(lang: str, session: Session, counts: dict[str | None, int], authors: int) -> list[str]:
    """How many cards there are (per SWOT column) and from how many people."""
    translation = translator(lang)
    total = sum(counts.values())
    cards = translation.ngettext("{count} card", "{count} cards", total).format(count=total)
    people = translation.ngettext("{count} person", "{count} people", authors).format(count=authors)
    lines = [translation.gettext("📊 {cards} from {people}").format(cards=cards, people=people)]
    if session.template == "swot":
        lines.append(" · ".join(f"{column_label(lang, c)} {counts.get(c, 0)}" for c in SWOT_COLUMNS))
    return lines


def panel(
    lang: str,
    session: Session,
    audience: str,
    people: int,
    counts: dict[str | None, int],
    authors: int,
    turnout: list[str] | None,
) -> tuple[str, InlineKeyboardMarkup]:
    """The facilitator's panel: settings, phase, the live count, and what to do next."""
    _ = translator(lang).gettext
    lines = [session_title(lang, session), *settings_lines(lang, session, audience, people)]
    step = PHASES.index(session.phase) + 1
    lines.append(
        _("Phase {step}/{steps}: <b>{phase}</b>").format(
            step=step, steps=len(PHASES), phase=phase_label(lang, session.phase)
        )
    )
    lines.append("")
    lines += count_lines(lang, session, counts, authors)
    if turnout is not None:
        names = ", ".join(escape(n) for n in turnout[:20]) or "-"
        lines.append(_("🗳 Voted: {count} of {people}: {names}").format(count=len(turnout), people=people, names=names))
    sid, phase = session.id, session.phase
    rows = []
    if phase == "collecting":
        rows.append([InlineKeyboardButton(_("📝 Type in paper cards"), callback_data=callback_data(PREFIX, "pc", sid))])
    if phase in ("revealed", "grouping", "voting", "results", "closed"):
        rows.append([InlineKeyboardButton(_("🗂 All cards"), callback_data=callback_data(PREFIX, "b", sid, 0))])
    if phase == "grouping":
        rows.append([InlineKeyboardButton(_("🧩 Group the cards"), callback_data=callback_data(PREFIX, "g", sid))])
    if phase == "voting":
        rows.append(
            [InlineKeyboardButton(_("🟡 Dots from the room"), callback_data=callback_data(PREFIX, "rd", sid, 0))]
        )
    if phase == "results":
        rows.append([InlineKeyboardButton(_("⭐ Mark the shortlist"), callback_data=callback_data(PREFIX, "sl", sid))])
    if phase in ("results", "closed"):
        rows.append(
            [
                InlineKeyboardButton(_("🖼 Board picture"), callback_data=callback_data(PREFIX, "pic", sid)),
                InlineKeyboardButton(_("⬇️ Excel / CSV"), callback_data=callback_data(PREFIX, "x", sid)),
            ]
        )
    if phase in ADVANCE_LABELS:
        rows.append(
            [
                InlineKeyboardButton(
                    _(ADVANCE_LABELS[phase]), callback_data=callback_data(PREFIX, "adv", sid, next_phase(phase))
                )
            ]
        )
    rows.append([InlineKeyboardButton(_("« Brainstorming"), callback_data=callback_data(PREFIX, "list"))])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def brainstorm_rules(lang: str) -> list[str]:
    """The four rules of brainstorming, in a few lines."""
    _ = translator(lang).gettext
    return [
        _("<b>The rules</b>"),
        _("1. No criticism: every idea is welcome."),
        _("2. Wild ideas are welcome."),
        _("3. The more ideas, the better."),
        _("4. Build on others' ideas."),
    ]


def rules_message(lang: str, session: Session, cluster_name: str) -> tuple[str, InlineKeyboardMarkup]:
    """What every participant receives when a session opens."""
    _ = translator(lang).gettext
    lines = [
        _("💡 Brainstorming in {cluster}").format(cluster=escape(cluster_name)),
        "",
        f"<b>{escape(session.question)}</b>",
    ]
    if session.template == "swot":
        lines.append(_("Write cards for each part: strengths, weaknesses, opportunities, threats."))
    lines += ["", *brainstorm_rules(lang), ""]
    lines.append(_("Send each idea as a card: text, a voice note (up to 2 minutes) or a photo of a paper card."))
    lines.append(
        _("Your cards stay hidden from the others until the facilitator reveals them.")
        if session.anonymous
        else _("Your cards stay hidden until the reveal; then everyone sees them with your name.")
    )
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("✍️ Send a card"), callback_data=callback_data(PREFIX, "c", session.id))]]
    )
    return "\n".join(lines), keyboard


def refused(lang: str, key: str) -> str:
    """One short line for each refusal of the flow."""
    _ = translator(lang).gettext
    texts = {
        "not_participant": _("You are not taking part in this session."),
        "closed": _("Collecting cards has closed: this card was not saved."),
        "closed_card": _(
            "Collecting cards has closed: this card was not saved. "
            "The cards you sent before are kept; see them on the board from /menu."
        ),
        "empty": _("The card is empty. Please write your idea."),
        "too_long": _("That is too long: at most {limit} characters. Please write a shorter card.").format(limit=500),
        "voice_too_long": _("The voice note is longer than 2 minutes. Please send a shorter one."),
        "unsupported": _("Send a card as text, a voice note or a photo. Stickers, GIFs and files are not cards."),
        "not_now": _("That cannot be done in this phase of the session."),
        "moved": _("Done already (perhaps from another phone)."),
        "line_too_long": _("That is too long. Please type a shorter answer."),
        "line_empty": _("The answer is empty. Please type it."),
    }
    return texts[key]


def confirm_move(lang: str, session_id: int, target: str, done: int, people: int) -> tuple[str, InlineKeyboardMarkup]:
    """Asked once before a move that affects everyone: how many of the participants have sent cards
    (closing the collection) or given their dots (closing the voting), and the question."""
    translation = translator(lang)
    _, ngettext = translation.gettext, translation.ngettext
    if target == "revealed":
        text = (
            ngettext(
                "All {people} participant has sent cards. Close collecting and reveal the cards now?",
                "All {people} participants have sent cards. Close collecting and reveal the cards now?",
                people,
            )
            if done >= people
            else ngettext(
                "Only {done} of {people} person has sent cards. Close collecting and reveal the cards now?",
                "Only {done} of {people} people have sent cards. Close collecting and reveal the cards now?",
                people,
            )
        )
    else:
        text = (
            ngettext(
                "All {people} participant has given dots. Close the voting now?",
                "All {people} participants have given dots. Close the voting now?",
                people,
            )
            if done >= people
            else ngettext(
                "Only {done} of {people} person has given dots. Close the voting now?",
                "Only {done} of {people} people have given dots. Close the voting now?",
                people,
            )
        )
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("Yes, close it"), callback_data=callback_data(PREFIX, "advy", session_id, target)
                ),
                InlineKeyboardButton(_("Cancel"), callback_data=callback_data(PREFIX, "p", session_id)),
            ]
        ]
    )
    return text.format(done=done, people=people), keyboard
