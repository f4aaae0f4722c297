"""The books' planning and reading screens: the budget against what was spent, the threshold, the
monthly summary and report, the report's period, and appointing the treasurer."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from telegram import InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.i18n import format_rupiah, translator
from bot.page_buttons import page_line, page_rows
from bot.paging import page_of
from conversations.money.rules import PREFIX, Comparison, Do, Numbered, Period, Totals, summed
from conversations.money.views import PERIOD_LABELS, button, home_row, line_label

SPENDING_PER_PAGE = 8


def _line(lang: str, direction: str, row: Comparison, titles: dict[str, str]) -> str:
    label = line_label(lang, direction, row.line, titles)
    return f"• {escape(label)}: {format_rupiah(row.planned, lang)} / {format_rupiah(row.actual, lang)}"


def _total(lang: str, rows: Sequence[Comparison]) -> str:
    total = summed(rows)
    return (
        translator(lang)
        .gettext("Total: {planned} / {actual}")
        .format(planned=format_rupiah(total.planned, lang), actual=format_rupiah(total.actual, lang))
    )


def budget(
    lang: str,
    year: int,
    income: Sequence[Comparison],
    spending: Sequence[Comparison],
    titles: dict[str, str],
    page: int = 0,
) -> tuple[str, InlineKeyboardMarkup]:
    """The year's budget against what was recorded, each line a button to set its amount (a line's
    number counts income first, then spending); the activities page, the totals always show."""
    _ = translator(lang).gettext
    numbered = list(enumerate(spending, start=len(income)))
    shown, page, pages = page_of(numbered, page, SPENDING_PER_PAGE)
    lines = [_("<b>Budget {year}</b>: planned / actual").format(year=year), "<b>" + _("Income") + "</b>"]
    lines += [_line(lang, "income", row, titles) for row in income]
    lines += [_total(lang, income), "<b>" + _("Spending") + "</b>"]
    lines += [_line(lang, "spending", row, titles) for _number, row in shown]
    if pages > 1:
        lines.append(page_line(lang, page, pages))
    lines += [_total(lang, spending), _("Tap a line to set its planned amount.")]
    buttons = [button(line_label(lang, "income", r.line, titles)[:30], Numbered.LINE, n) for n, r in enumerate(income)]
    buttons += [button(line_label(lang, "spending", r.line, titles)[:30], Numbered.LINE, n) for n, r in shown]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows += page_rows(lang, page, pages, lambda p: callback_data(PREFIX, Numbered.BUDGET_PAGE, p))
    rows.append(home_row(lang))
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def ask_line_amount(lang: str, label: str) -> tuple[str, InlineKeyboardMarkup]:
    """How much is planned for one budget line."""
    text = translator(lang).gettext("Planned amount for <b>{line}</b>, in rupiah (0 to clear it):")
    return text.format(line=escape(label)), InlineKeyboardMarkup([home_row(lang)])


def ask_threshold(lang: str, threshold: int | None) -> tuple[str, InlineKeyboardMarkup]:
    """The confirmation threshold now, and how to change it."""
    _ = translator(lang).gettext
    now = (
        _("Entries over {amount} wait for the chair's confirmation.").format(amount=format_rupiah(threshold, lang))
        if threshold
        else _("No threshold: entries count at once.")
    )
    text = now + "\n" + _("Type the new threshold in rupiah, or remove it.")
    return text, InlineKeyboardMarkup([[button(_("No threshold"), Do.NO_THRESHOLD)], home_row(lang)])


def threshold_set(lang: str, threshold: int | None) -> tuple[str, InlineKeyboardMarkup]:
    """Said after the threshold changed."""
    _ = translator(lang).gettext
    text = (
        _("Entries over {amount} wait for the chair's confirmation.").format(amount=format_rupiah(threshold, lang))
        if threshold
        else _("No threshold: entries count at once.")
    )
    return text, InlineKeyboardMarkup([home_row(lang)])


def summary(lang: str, balance: int, months: Sequence[tuple[str, Totals]]) -> tuple[str, InlineKeyboardMarkup]:
    """What every member sees: the balance and the last months in and out."""
    _ = translator(lang).gettext
    lines = [_("<b>Monthly summary</b>"), _("Balance: <b>{amount}</b>").format(amount=format_rupiah(balance, lang))]
    for label, month in months:
        lines.append(
            _("{month}: in {income} · out {spending}").format(
                month=label, income=format_rupiah(month.income, lang), spending=format_rupiah(month.spending, lang)
            )
        )
    return "\n".join(lines), InlineKeyboardMarkup([home_row(lang)])


def monthly_report(lang: str, cluster: str, month: str, opening: int, month_totals: Totals) -> str:
    """The monthly report members receive (through the outbox)."""
    _ = translator(lang).gettext
    return "\n".join(
        [
            _("<b>Cash report {month}</b> · {cluster}").format(month=month, cluster=escape(cluster)),
            _("Opening balance: {amount}").format(amount=format_rupiah(opening, lang)),
            _("Income: {amount}").format(amount=format_rupiah(month_totals.income, lang)),
            _("Spending: {amount}").format(amount=format_rupiah(month_totals.spending, lang)),
            _("Closing balance: <b>{amount}</b>").format(amount=format_rupiah(opening + month_totals.net, lang)),
            _("Muted announcements stop this report too (menu: Mute or unmute announcements)."),
        ]
    )


def report_periods(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """Which period the PDF report covers."""
    _ = translator(lang).gettext
    rows = [[button(_(PERIOD_LABELS[p]), "pdf", p.value)] for p in Period]
    rows.append(home_row(lang))
    return _("Which period should the report cover?"), InlineKeyboardMarkup(rows)


def treasurer_choices(lang: str, members: Sequence[tuple[int, str]]) -> tuple[str, InlineKeyboardMarkup]:
    """The members a facilitator can appoint as treasurer."""
    _ = translator(lang).gettext
    rows = [[button(name[:40], Numbered.APPOINT, uid)] for uid, name in members[:20]]
    rows.append(home_row(lang))
    return _("Who keeps the books as treasurer?"), InlineKeyboardMarkup(rows)
