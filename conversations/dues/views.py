"""Dues screens: one's own status, setting the dues, ticking who paid, who is behind, the reminder."""

from __future__ import annotations

from datetime import date
from html import escape

from babel.dates import format_date
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.i18n import format_local_date, format_number, format_rupiah, translator
from bot.menu import MENU_BUTTON
from bot.page_buttons import page_line, page_rows
from bot.paging import page_of
from conversations.dues import rules
from conversations.dues.rules import (
    ARREARS_PAGE,
    PAGE_SIZE,
    PREFIX,
    Arrear,
    DuesStatus,
    Schedule,
    Step,
    Terms,
    period_code,
)

Screen = tuple[str, InlineKeyboardMarkup]


def b(label: str, step: Step, *parts: object) -> InlineKeyboardButton:
    """A dues button."""
    return InlineKeyboardButton(label, callback_data=callback_data(PREFIX, step.value, *parts))


def _menu_row(lang: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(translator(lang).gettext("« Menu"), callback_data=MENU_BUTTON)]


def home_button(lang: str) -> InlineKeyboardButton:
    """🧾 Dues: back to the dues screen."""
    return b(translator(lang).gettext("🧾 Dues"), Step.HOME)


def _month(day: date, lang: str) -> str:
    return format_date(day, "MMM y", locale=lang)


def _last_month(schedule: Schedule, period: date) -> date:
    return rules.months_after(rules.next_period(schedule, period), -1)


def period_label(schedule: Schedule, period: date, lang: str) -> str:
    """``Jan 2027``; a year: ``2027``, or ``Jul 2026–Jun 2027`` when it is not a calendar year."""
    last = _last_month(schedule, period)
    if last == period:
        return _month(period, lang)
    if period.month == 1 and last == date(period.year, 12, 1):
        return str(period.year)
    return _month(period, lang) + "–" + _month(last, lang)


def periods_text(schedule: Schedule, periods: list[date] | tuple[date, ...], lang: str) -> str:
    """Periods written short: ``Nov 2026–Jan 2027, Mar 2027``, ``Nov–Des 2026``, ``2026–2027``."""
    parts = []
    for first, last in rules.runs(schedule, periods):
        if first == last:
            parts.append(period_label(schedule, first, lang))
            continue
        ends = _last_month(schedule, last)
        if first.month == 1 and ends.month == 12 and _last_month(schedule, first) != first:
            parts.append(f"{first.year}–{ends.year}")
        elif first.year == ends.year:
            parts.append(format_date(first, "MMM", locale=lang) + "–" + _month(ends, lang))
        else:
            parts.append(_month(first, lang) + "–" + _month(ends, lang))
    return ", ".join(parts)


def count_of(count: int, cadence: str, lang: str) -> str:
    """``3 months`` / ``1 year``."""
    ngettext = translator(lang).ngettext
    shown = format_number(count, lang)
    if cadence == "monthly":
        return ngettext("{count} month", "{count} months", count).format(count=shown)
    return ngettext("{count} year", "{count} years", count).format(count=shown)


def per_period(terms: Terms, lang: str) -> str:
    """``Rp 25.000 a month``."""
    _ = translator(lang).gettext
    amount = format_rupiah(terms.amount, lang)
    return (_("{amount} a month") if terms.cadence == "monthly" else _("{amount} a year")).format(amount=amount)


def _own_lines(lang: str, schedule: Schedule, own: DuesStatus) -> list[str]:
    _ = translator(lang).gettext
    lines = []
    if own.paid_up_to is not None:
        lines.append(
            _("You have paid up to <b>{period}</b>.").format(period=period_label(schedule, own.paid_up_to, lang))
        )
    else:
        lines.append(_("No dues of yours are recorded yet."))
    if own.owed:
        lines.append(
            _("Owed now: <b>{amount}</b> ({periods}).").format(
                amount=format_rupiah(own.owed_amount, lang), periods=periods_text(schedule, own.owed, lang)
            )
        )
    else:
        lines.append(_("Nothing owed now. Thank you!"))
    return lines


def home(lang: str, schedule: Schedule | None, own: DuesStatus | None, *, manages: bool, sees_arrears: bool) -> Screen:
    """🧾 Dues: the dues in force, one's own status, and the tools one's role allows."""
    _ = translator(lang).gettext
    lines = ["<b>" + escape(_("🧾 Dues")) + "</b>"]
    if schedule is None:
        lines.append(_("The cluster has not set dues."))
    else:
        terms = schedule.current
        lines.append(
            _("Dues: {per_period}, from {start}.").format(
                per_period=per_period(terms, lang), start=format_date(terms.starts_on, "MMM y", locale=lang)
            )
        )
        if own is not None:
            lines += _own_lines(lang, schedule, own)
        lines.append(_("Paid the treasurer? They record it here; ask them if it is missing."))
    rows = []
    if manages and schedule is not None:
        rows.append([b(_("✅ Record a payment"), Step.PAY)])
    if manages:
        rows.append([b(_("⚙️ Set the dues"), Step.SET)])
    if sees_arrears and schedule is not None:
        rows.append([b(_("📋 Who is behind"), Step.ARREARS, 0)])
    rows.append(_menu_row(lang))
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def no_dues_yet(lang: str) -> str:
    """The answer to a payment before any dues were set."""
    return translator(lang).gettext("The cluster has not set dues yet: set them first.")


# -- setting the dues -----------------------------------------------------------------------------


def ask_amount(lang: str) -> Screen:
    """How much, in whole rupiah."""
    _ = translator(lang).gettext
    text = _("<b>Set the dues</b>\nHow much are the dues for one period, in whole rupiah? For example: 25000")
    return text, InlineKeyboardMarkup([_menu_row(lang)])


def bad_amount(lang: str) -> str:
    """A typed amount that is not whole rupiah."""
    return translator(lang).gettext("Please type a whole number of rupiah, for example 25000 or 25.000.")


def ask_cadence(lang: str, amount: int) -> Screen:
    """Monthly or yearly."""
    _ = translator(lang).gettext
    text = _("{amount} for each month, or for each year?").format(amount=format_rupiah(amount, lang))
    rows = [[b(_("Monthly"), Step.CADENCE, "monthly"), b(_("Yearly"), Step.CADENCE, "yearly")], _menu_row(lang)]
    return text, InlineKeyboardMarkup(rows)


def ask_start(lang: str, months: list[date]) -> Screen:
    """From which month."""
    _ = translator(lang).gettext
    buttons = [b(format_date(m, "MMMM y", locale=lang), Step.START, period_code(m)) for m in months]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append(_menu_row(lang))
    return _("From which month are the dues counted?"), InlineKeyboardMarkup(rows)


def terms_set(lang: str, terms: Terms) -> Screen:
    """The dues are set."""
    _ = translator(lang).gettext
    text = _("✅ Dues set: {per_period}, from {start}. Members who have not paid by the 10th get one reminder.")
    text = text.format(per_period=per_period(terms, lang), start=format_date(terms.starts_on, "MMMM y", locale=lang))
    return text, InlineKeyboardMarkup([[home_button(lang)], _menu_row(lang)])


# -- ticking who paid -----------------------------------------------------------------------------


def picker(lang: str, members: list[tuple[int, str, int]], page: int, search: str | None, cadence: str) -> Screen:
    """A page of members (id, name, periods overdue) to tick; typing searches."""
    _ = translator(lang).gettext
    shown, page, pages = page_of(members, page, PAGE_SIZE)
    lines = ["<b>" + escape(_("✅ Record a payment")) + "</b>", _("Who paid? Tap their name, or type part of a name.")]
    if search:
        lines.append(_("Names with “{search}”: {count}").format(search=escape(search), count=len(members)))
    if not members:
        lines.append(_("Nobody found."))
    rows = [
        [b((f"⚠️ {name} · {count_of(late, cadence, lang)}" if late else name)[:60], Step.MEMBER, uid)]
        for uid, name, late in shown
    ]
    if pages > 1:
        lines.append(page_line(lang, page, pages))
    rows += page_rows(lang, page, pages, lambda p: callback_data(PREFIX, Step.PAGE.value, p))
    if search:
        rows.append([b(_("✖ Show everyone"), Step.ALL)])
    rows.append([home_button(lang)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def periods_screen(
    lang: str, name: str, schedule: Schedule, own: DuesStatus, offered: list[date], chosen: set[date]
) -> Screen:
    """The member's status and the unpaid periods as toggles; Continue with what is ticked."""
    _ = translator(lang).gettext
    terms = schedule.current
    lines = [f"<b>{escape(name)}</b> · {per_period(terms, lang)}"]
    if own.paid_up_to is not None:
        lines.append(_("Paid up to {period}.").format(period=period_label(schedule, own.paid_up_to, lang)))
    if own.owed:
        lines.append(_("Owed: {amount}.").format(amount=format_rupiah(own.owed_amount, lang)))
    lines.append(
        _("Tick the months paid now, then Continue.")
        if terms.cadence == "monthly"
        else _("Tick the years paid now, then Continue.")
    )
    buttons = [
        b(("☑️ " if p in chosen else "⬜ ") + period_label(schedule, p, lang), Step.TOGGLE, period_code(p))
        for p in offered
    ]
    width = 3 if terms.cadence == "monthly" else 1
    rows = [buttons[i : i + width] for i in range(0, len(buttons), width)]
    if chosen:
        rows.append(
            [
                b(
                    _("Continue ▶ ({amount})").format(amount=format_rupiah(rules.amount_for(schedule, chosen), lang)),
                    Step.REVIEW,
                )
            ]
        )
    rows.append([b(_("« Other member"), Step.ALL)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def pick_a_period(lang: str) -> str:
    """Continue with nothing ticked."""
    return translator(lang).gettext("Tick at least one period first.")


def review(lang: str, name: str, schedule: Schedule, chosen: list[date]) -> Screen:
    """Record this payment?"""
    _ = translator(lang).gettext
    text = _(
        "Record <b>{amount}</b> from <b>{name}</b> for {periods}?\nIt goes into the cash book as income (dues)."
    ).format(
        amount=format_rupiah(rules.amount_for(schedule, chosen), lang),
        name=escape(name),
        periods=periods_text(schedule, chosen, lang),
    )
    return text, InlineKeyboardMarkup([[b(_("✅ Record"), Step.RECORD), b(_("« Back"), Step.BACK)]])


def recorded(lang: str, name: str, schedule: Schedule, periods: list[date], own: DuesStatus) -> Screen:
    """The payment is recorded."""
    _ = translator(lang).gettext
    lines = [
        _("✅ Recorded: {amount} from {name} for {periods}.").format(
            amount=format_rupiah(rules.amount_for(schedule, periods), lang),
            name=escape(name),
            periods=periods_text(schedule, periods, lang),
        )
    ]
    if own.paid_up_to is not None:
        lines.append(_("Paid up to {period}.").format(period=period_label(schedule, own.paid_up_to, lang)))
    rows = [[b(_("✅ Record another"), Step.PAY)], [home_button(lang)]]
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def receipt(lang: str, cluster_name: str, schedule: Schedule, periods: list[date], own: DuesStatus) -> Screen:
    """To the member whose payment was recorded: what, for which periods, paid up to when."""
    _ = translator(lang).gettext
    text = _("🧾 <b>{cluster}</b>: your dues of {amount} for {periods} are recorded. Thank you!").format(
        cluster=escape(cluster_name),
        amount=format_rupiah(rules.amount_for(schedule, periods), lang),
        periods=periods_text(schedule, periods, lang),
    )
    if own.paid_up_to is not None:
        text += "\n" + _("Paid up to {period}.").format(period=period_label(schedule, own.paid_up_to, lang))
    return text, InlineKeyboardMarkup([[home_button(lang)]])


def nothing_new(lang: str) -> str:
    """Every ticked period was recorded meanwhile (by someone else, or an earlier tap)."""
    return translator(lang).gettext("These periods were already recorded as paid; nothing was recorded twice.")


def purpose(lang: str, name: str, schedule: Schedule, periods: list[date]) -> str:
    """The cash book's purpose of a dues payment: ``Iuran Budi Nov 2026–Jan 2027``."""
    text = translator(lang).gettext("Dues {name} {periods}")
    return text.format(name=name, periods=periods_text(schedule, periods, lang))


# -- who is behind, the reminder --------------------------------------------------------------------


def arrears(lang: str, schedule: Schedule, late: list[Arrear], page: int, today: date) -> Screen:
    """Who is behind with their dues, the longest behind first, paged."""
    _ = translator(lang).gettext
    shown, page, pages = page_of(late, page, ARREARS_PAGE)
    lines = [
        "<b>" + escape(_("📋 Who is behind")) + "</b> · " + format_local_date(today, lang),
    ]
    if not late:
        lines.append(_("Nobody is behind with dues. 🎉"))
    else:
        lines.append(
            translator(lang)
            .ngettext(
                "{count} member is behind, {amount} in all.", "{count} members are behind, {amount} in all.", len(late)
            )
            .format(count=format_number(len(late), lang), amount=format_rupiah(sum(a.amount for a in late), lang))
        )
    for arrear in shown:
        lines.append(
            _("• {name}: {count}, {amount} (since {period})").format(
                name=escape(arrear.name),
                count=count_of(arrear.periods, schedule.current.cadence, lang),
                amount=format_rupiah(arrear.amount, lang),
                period=period_label(schedule, arrear.since, lang),
            )
        )
    if pages > 1:
        lines.append(page_line(lang, page, pages))
    rows = page_rows(lang, page, pages, lambda p: callback_data(PREFIX, Step.ARREARS.value, p))
    rows.append([home_button(lang)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def reminder(lang: str, cluster_name: str, schedule: Schedule, period: date, own: DuesStatus) -> Screen:
    """The one polite reminder of a period's unpaid dues."""
    _ = translator(lang).gettext
    text = _(
        "🧾 A friendly reminder from <b>{cluster}</b>: your dues for {period} ({amount}) are not recorded yet. "
        "If you have paid already, please tell the treasurer."
    ).format(
        cluster=escape(cluster_name),
        period=period_label(schedule, period, lang),
        amount=format_rupiah(rules.amount_of(schedule, period), lang),
    )
    if len(own.owed) > 1:
        text += "\n" + _("Owed now: <b>{amount}</b> ({periods}).").format(
            amount=format_rupiah(own.owed_amount, lang),
            periods=periods_text(schedule, own.owed, lang),
        )
    return text, InlineKeyboardMarkup([[home_button(lang)]])
