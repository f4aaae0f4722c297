"""What the survey flow says: the list of rounds, opening, invitations, interviews, thanks."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.flows import MENU_BUTTON
from bot.i18n import format_when, translator
from conversations.survey.rules import language_number, tap_data
from storage.surveys import Round


def _b(label: str, step: str, *values: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=tap_data(step, *values))


def _menu(lang: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(translator(lang).gettext("« Main menu"), callback_data=MENU_BUTTON)]


def round_list(
    lang: str, rounds: list[tuple[Round, str | None]], timezone: str, may_run: bool, accepting: set[int]
) -> tuple[str, InlineKeyboardMarkup]:
    """The cluster's survey rounds with what the person can do in each (their status: None, in_progress, submitted)."""
    _ = translator(lang).gettext
    lines = [_("<b>Questionnaire on the cluster's condition</b>")]
    rows = []
    if not rounds:
        lines.append(_("No survey round yet."))
    for survey_round, status in reversed(rounds[-6:]):
        state = _("open") if survey_round.id in accepting else _("closed")
        closes = (
            " · " + _("closes {when}").format(when=format_when(survey_round.closes_at, timezone, lang))
            if survey_round.closes_at and survey_round.id in accepting
            else ""
        )
        lines.append(f"• <b>{escape(survey_round.title)}</b> ({state}{closes})")
        if survey_round.id in accepting:
            label = {
                None: _("📝 Answer: {title}"),
                "in_progress": _("▶ Continue: {title}"),
                "submitted": _("✏️ My answers: {title}"),
            }[status]
            rows.append([_b(label.format(title=survey_round.title)[:60], "ans", survey_round.id)])
        if may_run:
            row = [_b(_("📊 Results"), "res", survey_round.id), _b(_("⬇️ Excel / CSV"), "exp", survey_round.id)]
            if survey_round.id in accepting:
                row += [_b(_("🎤 Interview"), "int", survey_round.id, 0), _b(_("🔒 Close"), "close", survey_round.id)]
            rows.append(row)
            if survey_round.id in accepting:  # paper: print the questionnaire, copy the filled sheets in
                rows.append(
                    [
                        _b(_("🖨 Print questionnaire"), "prt", survey_round.id, language_number(lang)),
                        _b(_("📝 Enter paper questionnaires"), "pp", survey_round.id, 0),
                    ]
                )
    if may_run:
        rows.insert(0, [_b(_("➕ Open a survey round"), "new"), _b(_("📄 Questionnaires"), "qs")])
    rows.append(_menu(lang))
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def ask_title(lang: str, suggestion: str) -> tuple[str, InlineKeyboardMarkup]:
    """Opening a round: its title."""
    _ = translator(lang).gettext
    keyboard = InlineKeyboardMarkup([[_b(_("✅ {title}").format(title=suggestion)[:60], "title")], _menu(lang)])
    return _("<b>New survey round</b> (1/2)\nType a title for this round, or use the suggestion."), keyboard


def ask_closing(lang: str, title: str) -> tuple[str, InlineKeyboardMarkup]:
    """Opening a round: when it closes."""
    _ = translator(lang).gettext
    keyboard = InlineKeyboardMarkup(
        [
            [_b(_("In 1 week"), "cl", "1w"), _b(_("In 2 weeks"), "cl", "2w")],
            [_b(_("In 1 month"), "cl", "1m"), _b(_("No closing date"), "cl", "none")],
            _menu(lang),
        ]
    )
    return _("<b>New survey round</b> (2/2)\n“{title}”: when does it close? Until then answers can be changed.").format(
        title=escape(title)
    ), keyboard


def round_opened(lang: str, title: str, count: int) -> str:
    """After opening."""
    return (
        translator(lang)
        .gettext("✅ Survey round “{title}” is open. {count} members are invited to answer.")
        .format(title=escape(title), count=count)
    )


def invitation(
    lang: str, cluster_name: str, title: str, form_title: str, round_id: int, questions: int, taps_only: bool = True
) -> tuple[str, InlineKeyboardMarkup]:
    """Sent to each member when a round opens (``taps_only``: every question is answered with a tap)."""
    _ = translator(lang).gettext
    text = "\n".join(
        [
            _("📝 <b>{cluster}</b> asks for your view: “{title}”.").format(
                cluster=escape(cluster_name), title=escape(title)
            ),
            escape(form_title),
            (
                _("{count} short questions; answer with one tap each. You can stop and continue later.")
                if taps_only
                else _("{count} questions, one at a time. You can stop and continue later.")
            ).format(count=questions),
        ]
    )
    return text, InlineKeyboardMarkup([[_b(_("📝 Answer now"), "ans", round_id)]])


def heading(lang: str, title: str, interviewee: str | None, paper: bool = False) -> str:
    """Above each question (``paper``: the answers are copied from a paper questionnaire)."""
    _ = translator(lang).gettext
    head = f"📝 <b>{escape(title)}</b>"
    if interviewee and paper:
        head += "\n" + _("Paper questionnaire of {name}").format(name=escape(interviewee))
    elif interviewee:
        head += "\n" + _("Interview with {name}").format(name=escape(interviewee))
    return head


def thanks(lang: str, interviewee: str | None) -> str:
    """After sending."""
    _ = translator(lang).gettext
    if interviewee:
        return _("✅ The answers of {name} are saved as an interview.").format(name=escape(interviewee))
    return _("✅ Thank you! Your answers are sent. You can change them from the menu until the round closes.")


def interview_list(
    lang: str, round_id: int, people: list[tuple[int, str, bool]], page: int, pages: int
) -> tuple[str, InlineKeyboardMarkup]:
    """Whom to interview: members (✅ when they already answered), or someone not in the list."""
    _ = translator(lang).gettext
    rows = [[_b(("✅ " if done else "") + name[:50], "iv", round_id, uid)] for uid, name, done in people]
    nav = []
    if page > 0:
        nav.append(_b(_("◀ Previous"), "int", round_id, page - 1))
    if page + 1 < pages:
        nav.append(_b(_("Next ▶"), "int", round_id, page + 1))
    if nav:
        rows.append(nav)
    rows.append([_b(_("➕ Someone not in the list"), "ivn", round_id)])
    rows.append(_menu(lang))
    text = (
        _(
            "<b>Interview</b>\nWhom are you interviewing? You enter the answers on their behalf; they are recorded as an interview."
        )
        + "\n"
        + _("Page {page}/{pages}").format(page=page + 1, pages=pages)
    )
    return text, InlineKeyboardMarkup(rows)


def ask_interviewee_name(lang: str, paper: bool = False) -> tuple[str, InlineKeyboardMarkup]:
    """The name of someone who is not a member on Telegram (``paper``: written on their paper questionnaire)."""
    _ = translator(lang).gettext
    if paper:
        return _("Type the name written on the paper questionnaire (and their business)."), InlineKeyboardMarkup(
            [_menu(lang)]
        )
    return _("Type the name of the person you are interviewing (and their business)."), InlineKeyboardMarkup(
        [_menu(lang)]
    )


def paper_list(
    lang: str,
    round_id: int,
    people: list[tuple[int, str, bool]],
    page: int,
    pages: int,
    entered: int,
    unsent: list[tuple[int, str]],
) -> tuple[str, InlineKeyboardMarkup]:
    """Whose paper questionnaire comes next: members (✅ when they already answered), someone not in the
    list, and the sheets this person started and has not sent (``unsent``: response id, name)."""
    _ = translator(lang).gettext
    ngettext = translator(lang).ngettext
    rows = [[_b("▶ " + _("Continue: {name}").format(name=name)[:50], "pc", round_id, rid)] for rid, name in unsent]
    rows += [[_b(("✅ " if done else "") + name[:50], "pv", round_id, uid)] for uid, name, done in people]
    nav = []
    if page > 0:
        nav.append(_b(_("◀ Previous"), "pp", round_id, page - 1))
    if page + 1 < pages:
        nav.append(_b(_("Next ▶"), "pp", round_id, page + 1))
    if nav:
        rows.append(nav)
    rows.append([_b(_("➕ Someone not in the list"), "ppn", round_id)])
    rows.append([_b(_("⏹ Stop entering paper"), "list")])
    text = "\n".join(
        [
            _("<b>Paper questionnaires</b>"),
            ngettext(
                "{count} paper questionnaire entered in this round so far.",
                "{count} paper questionnaires entered in this round so far.",
                entered,
            ).format(count=entered),
            _("Whose questionnaire is next? Tap the name written on it; then tap the answers ticked on the paper."),
            _("Page {page}/{pages}").format(page=page + 1, pages=pages),
        ]
    )
    return text, InlineKeyboardMarkup(rows)


def answered_elsewhere(lang: str, name: str) -> str:
    """Alert: a member with answers of their own (phone or interview) gets no paper sheet over them."""
    return (
        translator(lang)
        .gettext("{name} already has answers in the bot (on the phone or in an interview); they are kept.")
        .format(name=name[:60])
    )


def paper_entered(lang: str, round_id: int, number: int, name: str | None) -> tuple[str, InlineKeyboardMarkup]:
    """After sending a paper questionnaire: its number in the round, the next one in one tap, or stop."""
    _ = translator(lang).gettext
    lines = [_("✅ Paper questionnaire no. {number} is in.").format(number=number)]
    if name:
        lines.append(_("Answers of {name}, from paper.").format(name=escape(name)))
    lines.append(_("Counted for the whole round, whoever entered them."))
    keyboard = InlineKeyboardMarkup(
        [
            [_b(_("➡️ Next respondent"), "pp", round_id, 0)],
            [_b(_("⏹ Stop entering paper"), "list")],
        ]
    )
    return "\n".join(lines), keyboard


def confirm_close(lang: str, round_id: int, answered: int, missing: int) -> tuple[str, InlineKeyboardMarkup]:
    """Are you sure? Answers can no longer change."""
    _ = translator(lang).gettext
    keyboard = InlineKeyboardMarkup([[_b(_("Yes, close it"), "closeyes", round_id)], _menu(lang)])
    return _(
        "Close this round? {answered} sent their answers, {missing} have not. Answers can no longer change afterwards."
    ).format(answered=answered, missing=missing), keyboard


def closed_now(lang: str) -> str:
    """Toast: the round is closed."""
    return translator(lang).gettext("This survey round is closed.")
