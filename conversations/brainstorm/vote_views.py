"""What dot voting says: a participant's ballot, the dots from the room, the longlist and the shortlist."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.i18n import format_number, translator
from bot.page_buttons import page_line, page_rows
from bot.paging import page_of
from conversations.brainstorm import rules
from conversations.brainstorm.rules import PREFIX, Ranked, VoteProblem
from conversations.brainstorm.views import session_title
from storage.brainstorm import Session
from storage.brainstorm_votes import ShortlistItem, Theme

PAGE = 8


def _page(themes: list, page: int) -> tuple[list, int, int]:
    return page_of(themes, page, PAGE)


def _nav(lang: str, action: str, session_id: int, page: int, pages: int) -> list[list[InlineKeyboardButton]]:
    return page_rows(lang, page, pages, lambda number: callback_data(PREFIX, action, session_id, number))


def ballot(
    lang: str, session: Session, themes: list[Theme], mine: dict[int, int], page: int
) -> tuple[str, InlineKeyboardMarkup]:
    """The themes with ➕ and ➖, the voter's own dots, and how many remain; totals stay hidden."""
    _ = translator(lang).gettext
    spent = sum(mine.values())
    left = rules.remaining(session.dots, spent)
    shown, page, pages = _page(themes, page)
    lines = [
        session_title(lang, session),
        _("🗳 <b>Dot voting</b>: put your dots on the themes that matter most. More than one dot on a theme is fine."),
        _("Dots left: <b>{left}</b> of {budget}").format(left=left, budget=session.dots)
        + " "
        + "●" * spent
        + "○" * left,
        "",
    ]
    rows = []
    for theme in shown:
        dots = mine.get(theme.id, 0)
        lines.append(f"• {escape(theme.title)}" + (f" — {'●' * dots}" if dots else ""))
        row = [
            InlineKeyboardButton(
                f"➕ {theme.title}"[:40], callback_data=callback_data(PREFIX, "v", session.id, theme.id, spent, page)
            )
        ]
        if dots:
            row.append(
                InlineKeyboardButton(
                    f"➖ ({dots})", callback_data=callback_data(PREFIX, "vu", session.id, theme.id, spent, page)
                )
            )
        rows.append(row)
    lines += ["", _("Totals are shown when the voting closes.")]
    rows += _nav(lang, "vt", session.id, page, pages)
    rows.append([InlineKeyboardButton(_("« Back"), callback_data=callback_data(PREFIX, "o", session.id))])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def vote_answer(lang: str, problem: VoteProblem | None, left: int) -> str:
    """The toast after a ➕ or ➖."""
    _ = translator(lang).gettext
    texts = {
        VoteProblem.STALE: _("Already counted (perhaps from another phone). Here are your dots now."),
        VoteProblem.NO_DOTS_LEFT: _("You have no dots left. Take one back first."),
        VoteProblem.NONE_HERE: _("You have no dot on that theme."),
        VoteProblem.THEME_GONE: _("That theme was merged into another one."),
        VoteProblem.CLOSED: _("The voting is not open."),
        VoteProblem.NOT_PARTICIPANT: _("You are not taking part in this session."),
    }
    if problem is None:
        return _("Saved. Dots left: {left}").format(left=left)
    return texts[problem]


def room_dots(
    lang: str, session: Session, themes: list[Theme], counts: dict[int, int], page: int
) -> tuple[str, InlineKeyboardMarkup]:
    """The facilitator enters dots stuck on paper in the room, per theme."""
    _ = translator(lang).gettext
    shown, page, pages = _page(themes, page)
    lines = [
        session_title(lang, session),
        _("🟡 <b>Dots from the room</b>: count the sticker dots on each theme's paper and enter them here."),
        "",
    ]
    rows = []
    for theme in shown:
        count = counts.get(theme.id, 0)
        lines.append(_("• {title}: {count} in the room").format(title=escape(theme.title), count=count))
        row = [
            InlineKeyboardButton(
                f"➕ {theme.title}"[:40], callback_data=callback_data(PREFIX, "ra", theme.id, count, page)
            )
        ]
        if count:
            row.append(
                InlineKeyboardButton(f"➖ ({count})", callback_data=callback_data(PREFIX, "rr", theme.id, count, page))
            )
        rows.append(row)
    rows += _nav(lang, "rd", session.id, page, pages)
    rows.append([InlineKeyboardButton(_("« Back"), callback_data=callback_data(PREFIX, "p", session.id))])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def rank_text(ranked: Ranked) -> str:
    """1, or =2 for a tie."""
    return f"={ranked.rank}" if ranked.tied else str(ranked.rank)


def longlist(
    lang: str,
    session: Session,
    ranked: list[Ranked],
    titles: dict[int, str],
    marked: set[int],
    editable: bool,
    page: int = 0,
) -> tuple[str, InlineKeyboardMarkup]:
    """Every theme in order of dots (ties shown as ties), a page at a time; the facilitator marks the shortlist."""
    _ = translator(lang).gettext
    shown, page, pages = page_of(ranked, page, rules.LIST_PAGE)
    count = (
        translator(lang)
        .ngettext("{count} theme", "{count} themes", len(ranked))
        .format(count=format_number(len(ranked), lang))
    )
    lines = [
        session_title(lang, session),
        _("<b>Longlist</b>: every theme by dots (= marks a tie)"),
        page_line(lang, page, pages) + " · " + count,
        "",
    ]
    rows = []
    for item in shown:
        star = "⭐ " if item.theme_id in marked else ""
        dots = translator(lang).ngettext("{count} dot", "{count} dots", item.dots).format(count=item.dots)
        lines.append(f"{rank_text(item)}. {star}{escape(titles[item.theme_id])} — {dots}")
        if editable:
            label = ("⭐ " if item.theme_id in marked else "☆ ") + f"{rank_text(item)}. {titles[item.theme_id]}"
            rows.append(
                [InlineKeyboardButton(label[:50], callback_data=callback_data(PREFIX, "st", item.theme_id, page))]
            )
    rows += page_rows(lang, page, pages, lambda number: callback_data(PREFIX, "sl", session.id, number))
    if editable:
        lines += [
            "",
            _("Tap a theme to put it on the shortlist or take it off (usually 3 to 5), then send it to everyone."),
        ]
        rows.append(
            [
                InlineKeyboardButton(
                    _("📤 Send the shortlist ({count})").format(count=len(marked)),
                    callback_data=callback_data(PREFIX, "ss", session.id),
                )
            ]
        )
    rows.append([InlineKeyboardButton(_("« Back"), callback_data=callback_data(PREFIX, "p", session.id))])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def shortlist_message(lang: str, session: Session, items: list[ShortlistItem], cluster_name: str) -> str:
    """The shortlist every participant receives."""
    _ = translator(lang).gettext
    ngettext = translator(lang).ngettext
    lines = [
        _("⭐ <b>Shortlist</b> of {cluster}").format(cluster=escape(cluster_name)),
        f"<i>{escape(session.question)}</i>",
        "",
    ]
    for item in items:
        dots = ngettext("{count} dot", "{count} dots", item.dots).format(count=item.dots)
        lines.append(f"{item.rank}. <b>{escape(item.title)}</b> — {dots}")
    lines += ["", _("Thank you for your ideas and your dots! These themes go on to the action plan.")]
    return "\n".join(lines)


def empty_shortlist(lang: str) -> str:
    """Send with nothing marked."""
    return translator(lang).gettext("Mark at least one theme for the shortlist first.")
