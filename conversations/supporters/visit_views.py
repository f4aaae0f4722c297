"""What recording a visit or call says: who was visited, visit or call, the day, what was agreed,
the next step and its day, the saved visit, the next step's reminder, and a supporter's history."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.i18n import format_local_date, translator
from bot.menu import MENU_BUTTON, N_
from bot.page_buttons import page_line, page_rows
from bot.paging import page_of
from conversations.supporters.rules import DAYS_AHEAD, HISTORY_PAGE, PICK_PAGE, PREFIX, Step
from conversations.supporters.views import b
from storage.firms import Firm
from storage.memberships import Membership
from storage.supporters import Supporter
from storage.visits import Visit

LINE_LIMIT = 200  # characters of what was agreed shown in a history (five visits fit one screen)
VISIT_KIND_LABELS = {"visit": N_("🚶 Visit"), "call": N_("📞 Call")}
QUESTIONS = {
    "day": N_("When was it? Tap a day or type the date (day-month-year, for example 23-11-2026)."),
    "agreed": N_("What was agreed? (a few words)"),
    "next_step": N_("What is the next step? I will remind you on its day. (Skip when there is none)"),
    "next_on": N_("When is the next step due? Tap or type the date (day-month-year)."),
}
PROBLEMS = {
    "no_date": N_("That is not a date I can read. Type it as day-month-year, for example 23-11-2026."),
    "future": N_("That day is still to come. A visit is recorded once it happened."),
    "too_old": N_("That is more than a year ago. Type a more recent date."),
    "before_visit": N_("The next step cannot come before the visit. Type a later date."),
    "too_far": N_("That is more than a year away. Type an earlier date."),
    "empty": N_("Please type it as text (at most {limit} characters)."),
}


def _cancel(lang: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(translator(lang).gettext("Cancel"), callback_data=MENU_BUTTON)]


def pick_who(
    lang: str, supporters: list[Supporter], members: list[Membership], firms: list[Firm], page: int
) -> tuple[str, InlineKeyboardMarkup]:
    """Who was visited or called: the supporters, the members, then the firm list's firms that have not
    joined, paged."""
    _ = translator(lang).gettext
    people: list[InlineKeyboardButton] = [b("🤝 " + s.name[:40], Step.VISIT_SUPPORTER, s.id) for s in supporters]
    people += [b("🏠 " + m.full_name[:40], Step.VISIT_MEMBER, m.user_id) for m in members]
    people += [b("🏭 " + f.name[:40], Step.VISIT_FIRM, f.id) for f in firms]
    shown, page, pages = page_of(people, page, PICK_PAGE)
    lines = [
        _("📞 <b>Record a visit or call</b>"),
        _("Who did you visit or call? 🤝 supporters, 🏠 members, 🏭 other firms of the firm list."),
    ]
    if pages > 1:
        lines.append(page_line(lang, page, pages))
    if not people:
        lines.append(_("Nobody to choose yet: add a supporter first."))
    rows = [[button] for button in shown]
    rows += page_rows(lang, page, pages, lambda p: callback_data(PREFIX, Step.VISIT.value, p))
    rows.append(_cancel(lang))
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def ask_kind(lang: str, who: str) -> tuple[str, InlineKeyboardMarkup]:
    """A visit or a call."""
    _ = translator(lang).gettext
    rows = [[b(_(VISIT_KIND_LABELS[k]), Step.VISIT_KIND, k) for k in VISIT_KIND_LABELS], _cancel(lang)]
    return _("<b>{who}</b>: a visit or a call?").format(who=escape(who)), InlineKeyboardMarkup(rows)


def ask(lang: str, step: str) -> tuple[str, InlineKeyboardMarkup]:
    """One typed step, with its buttons (days, Skip)."""
    _ = translator(lang).gettext
    rows: list[list[InlineKeyboardButton]] = []
    if step == "day":
        rows.append([b(_("Today"), Step.DAY, 0), b(_("Yesterday"), Step.DAY, 1)])
    elif step == "next_step":
        rows.append([b(_("Skip"), Step.SKIP)])
    elif step == "next_on":
        labels = {7: _("In a week"), 14: _("In two weeks")}
        rows.append([b(labels[days], Step.NEXT_DAY, days) for days in DAYS_AHEAD])
    rows.append(_cancel(lang))
    return _(QUESTIONS[step]), InlineKeyboardMarkup(rows)


def problem(lang: str, key: str) -> str:
    """A typed answer the step cannot take."""
    return translator(lang).gettext(PROBLEMS[key]).format(limit=1000)


def _clipped(text: str, limit: int = LINE_LIMIT) -> str:
    """A long text cut at a word for a list line (the whole text stays stored), escaped."""
    return escape(text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …")


def visit_line(lang: str, visit: Visit) -> str:
    """One visit in a history: day, visit or call, what was agreed, the next step (each clipped to fit a page)."""
    _ = translator(lang).gettext
    kind = _(VISIT_KIND_LABELS[visit.kind])
    line = f"• {format_local_date(visit.visited_on, lang)} · {kind}: {_clipped(visit.agreed)}"
    if visit.next_step:
        when = format_local_date(visit.next_on, lang) if visit.next_on else "–"
        line += "\n  " + _("➡️ Next: {step} ({day})").format(step=_clipped(visit.next_step), day=when)
    return line


def history(lang: str, visits: list[Visit], page: int, supporter_id: int) -> tuple[list[str], list]:
    """A supporter's visits for its page, newest first and paged: the lines and the page buttons."""
    _ = translator(lang).gettext
    if not visits:
        return ["", _("No visits or calls recorded yet.")], []
    shown, page, pages = page_of(visits, page, HISTORY_PAGE)
    lines = ["", _("<b>Visits and calls</b> (newest first)")]
    if pages > 1:
        lines.append(page_line(lang, page, pages))
    lines += [visit_line(lang, v) for v in shown]
    return lines, page_rows(lang, page, pages, lambda p: callback_data(PREFIX, Step.SHOW.value, supporter_id, p))


def saved(lang: str, visit: Visit, reminder: bool) -> tuple[str, InlineKeyboardMarkup]:
    """The recorded visit, and when its next step will be reminded."""
    _ = translator(lang).gettext
    lines = [_("✅ Recorded: {who}").format(who=escape(visit.who)), visit_line(lang, visit)]
    if reminder and visit.next_on:
        lines.append(_("⏰ I will remind you on {day} at 08.00.").format(day=format_local_date(visit.next_on, lang)))
    rows = []
    if visit.supporter_id:
        rows.append([b(_("🔍 Open {name}").format(name=visit.who[:30]), Step.SHOW, visit.supporter_id, 0)])
    rows.append([b(_("📞 Record another"), Step.VISIT, 0), b(_("« Supporters"), Step.HOME)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def next_step_due(lang: str, visit: Visit) -> tuple[str, InlineKeyboardMarkup]:
    """The reminder on the next step's day, with the way to record the follow-up."""
    _ = translator(lang).gettext
    text = "\n".join(
        [
            _("⏰ <b>Next step today</b> with {who}:").format(who=escape(visit.who)),
            escape(visit.next_step or ""),
            "",
            _("Agreed on {day}: {agreed}").format(
                day=format_local_date(visit.visited_on, lang), agreed=escape(visit.agreed)
            ),
        ]
    )
    rows = [[b(_("📞 Record the follow-up"), Step.FOLLOW_UP, visit.id)]]
    return text, InlineKeyboardMarkup(rows)
