"""The cash book's screens: localized text and buttons, amounts through Babel (``bot.i18n.format_rupiah``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.i18n import format_local_date, format_rupiah, translator
from bot.menu import MENU_BUTTON, N_
from bot.page_buttons import page_line, page_rows
from bot.paging import page_of
from conversations.money.rules import OTHER, PREFIX, SOURCES, Do, Numbered, Period, Totals
from storage.cash_book import CashEntry

SOURCE_LABELS = {
    "initial": N_("Initial funds"),
    "dues": N_("Member dues"),
    "apbd": N_("Local government (APBD)"),
    "grant": N_("Programme grants"),
    "sponsor": N_("Sponsors"),
    "sales": N_("Sales of joint activities"),
    "other": N_("Other income"),
}
STATUS_LABELS = {
    "recorded": N_("recorded"),
    "pending": N_("waiting for the chair"),
    "rejected": N_("rejected"),
}
PERIOD_LABELS = {
    Period.MONTH: N_("This month"),
    Period.LAST_MONTH: N_("Last month"),
    Period.QUARTER: N_("This quarter"),
    Period.YEAR: N_("This year"),
}


def button(label: str, *parts: object) -> InlineKeyboardButton:
    """A books button (``kb1:...``)."""
    return InlineKeyboardButton(label, callback_data=callback_data(PREFIX, *parts))


def _menu_row(lang: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(translator(lang).gettext("« Main menu"), callback_data=MENU_BUTTON)]


def home_row(lang: str) -> list[InlineKeyboardButton]:
    """The row back to the books' home."""
    return [button(translator(lang).gettext("◀ Cluster cash"), Do.HOME)]


def source_label(lang: str, source: str | None) -> str:
    """A source of income in the reader's language."""
    return translator(lang).gettext(SOURCE_LABELS.get(source or OTHER, SOURCE_LABELS[OTHER]))


def line_label(lang: str, direction: str, line: str, titles: dict[str, str]) -> str:
    """A budget line: a source of income, an activity's title, or "Other / general"."""
    if direction == "income":
        return source_label(lang, line)
    if line == OTHER:
        return translator(lang).gettext("Other / general")
    return titles.get(line, line)


def home(
    lang: str,
    balance: int,
    month: Totals,
    pending: int,
    *,
    keeper: bool,
    treasurer: str | None,
    may_appoint: bool,
) -> tuple[str, InlineKeyboardMarkup]:
    """The books' home: the balance, this month, and what this person may do."""
    _ = translator(lang).gettext
    lines = [
        _("<b>💰 Cluster cash</b>"),
        _("Balance: <b>{amount}</b>").format(amount=format_rupiah(balance, lang)),
        _("This month: in {income} · out {spending}").format(
            income=format_rupiah(month.income, lang), spending=format_rupiah(month.spending, lang)
        ),
        _("Treasurer: {name}").format(name=escape(treasurer)) if treasurer else _("No treasurer yet."),
    ]
    if pending:
        lines.append(_("Waiting for the chair: {count}").format(count=pending))
    rows: list[list[InlineKeyboardButton]] = []
    if keeper:
        rows.append([button(_("➕ Income"), Do.INCOME), button(_("➖ Spending"), Do.SPENDING)])
        rows.append([button(_("📒 Entries"), Numbered.LIST, 0), button(_("🎯 Budget"), Do.BUDGET)])
        rows.append([button(_("⬇️ Cash book (Excel)"), Do.XLSX), button(_("📄 Report (PDF)"), Do.REPORTS)])
        rows.append([button(_("⚖️ Confirmation threshold"), Do.THRESHOLD)])
    rows.append([button(_("📊 Monthly summary"), Do.SUMMARY)])
    if may_appoint:
        rows.append([button(_("👤 Appoint the treasurer"), Do.TREASURER)])
    rows.append(_menu_row(lang))
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def ask_day(lang: str, income: bool) -> tuple[str, InlineKeyboardMarkup]:
    """Step 1: when it happened."""
    _ = translator(lang).gettext
    head = _("<b>New income</b>") if income else _("<b>New spending</b>")
    text = head + "\n" + _("When was it? Tap a day or type a date like 23/11/2026.")
    return text, InlineKeyboardMarkup(
        [[button(_("Today"), Do.TODAY), button(_("Yesterday"), Do.YESTERDAY)], home_row(lang)]
    )


def ask_amount(lang: str, day: date) -> str:
    """Step 2: how much."""
    _ = translator(lang).gettext
    return (
        _("Date: {day}").format(day=format_local_date(day, lang))
        + "\n"
        + _("How much, in rupiah? For example 1.500.000 or 1,5 juta.")
    )


def ask_purpose(lang: str, amount: int) -> str:
    """Step 3: what for."""
    _ = translator(lang).gettext
    return (
        _("Amount: {amount}").format(amount=format_rupiah(amount, lang))
        + "\n"
        + _("What was it for? Write it in a few words.")
    )


def ask_source(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """Step 4 (income): where the money came from."""
    _ = translator(lang).gettext
    buttons = [button(source_label(lang, s), Numbered.SOURCE, i) for i, s in enumerate(SOURCES)]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return _("Where did the money come from?"), InlineKeyboardMarkup(rows)


ACTIVITIES_PER_PAGE = 8


def ask_activity(lang: str, titles: Sequence[str], page: int = 0) -> tuple[str, InlineKeyboardMarkup]:
    """Step 5: which activity of the annual plan it belongs to (buttons number them from 1; 0: other / general)."""
    _ = translator(lang).gettext
    shown, page, pages = page_of(list(enumerate(titles, start=1)), page, ACTIVITIES_PER_PAGE)
    rows = [[button(title[:60], Numbered.ACTIVITY, number)] for number, title in shown]
    rows += page_rows(lang, page, pages, lambda p: callback_data(PREFIX, Numbered.ACTIVITY_PAGE, p))
    rows.append([button(_("Other / general"), Numbered.ACTIVITY, 0)])
    text = _("Which activity of the year's plan does it belong to?")
    return (text + "\n" + page_line(lang, page, pages) if pages > 1 else text), InlineKeyboardMarkup(rows)


def ask_receipt(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """Step 6: the receipt's photo."""
    _ = translator(lang).gettext
    return _("Send a photo of the receipt, or skip."), InlineKeyboardMarkup([[button(_("Skip"), Do.SKIP)]])


def review(
    lang: str,
    draft: dict,
    activity: str,
    *,
    waits: bool,
) -> tuple[str, InlineKeyboardMarkup]:
    """Step 7: everything once more, then save."""
    _ = translator(lang).gettext
    income = draft["direction"] == "income"
    lines = [
        _("<b>Check the entry</b>"),
        (_("Income") if income else _("Spending")) + ": <b>" + format_rupiah(draft["amount"], lang) + "</b>",
        _("Date: {day}").format(day=format_local_date(date.fromisoformat(draft["day"]), lang)),
        _("For: {purpose}").format(purpose=escape(draft["purpose"])),
    ]
    if income:
        lines.append(_("Source: {source}").format(source=source_label(lang, draft.get("source"))))
    lines.append(_("Activity: {activity}").format(activity=escape(activity)))
    lines.append(_("Receipt: photo attached") if draft.get("receipt") else _("Receipt: none"))
    if waits:
        lines.append(_("This is over the cluster's threshold: it counts once the chair confirms it."))
    return "\n".join(lines), InlineKeyboardMarkup([[button(_("✅ Save"), Do.SAVE)], home_row(lang)])


def saved(lang: str, entry: CashEntry, balance: int) -> tuple[str, InlineKeyboardMarkup]:
    """The entry is in the book (or waits for the chair)."""
    _ = translator(lang).gettext
    text = _("Entry #{number} saved.").format(number=entry.id)
    if entry.status == "pending":
        text += "\n" + _("It waits for the chair's confirmation; it does not count in the balance until then.")
    text += "\n" + _("Balance: <b>{amount}</b>").format(amount=format_rupiah(balance, lang))
    return text, InlineKeyboardMarkup([home_row(lang)])


def entry_line(lang: str, entry: CashEntry) -> str:
    """One entry in a list: number, day, in or out, amount, purpose, and its state when it does not count."""
    _ = translator(lang).gettext
    sign = "➕" if entry.direction == "income" else "➖"
    line = f"#{entry.id} · {format_local_date(entry.occurred_on, lang)} · {sign} {format_rupiah(entry.amount, lang)}"
    line += " · " + escape(entry.purpose[:40])
    if entry.status != "recorded":
        line += " (" + _(STATUS_LABELS[entry.status]) + ")"
    return line


def entry_list(lang: str, entries: Sequence[CashEntry], page: int, pages: int) -> tuple[str, InlineKeyboardMarkup]:
    """A page of the book's entries, newest first, each one a button to its card."""
    _ = translator(lang).gettext
    if not entries:
        return _("No entries yet."), InlineKeyboardMarkup([home_row(lang)])
    text = _("<b>Entries</b>, newest first") + " · " + page_line(lang, page, pages) + "\n"
    text += "\n".join(entry_line(lang, e) for e in entries)
    rows = [[button(f"#{e.id}", Numbered.ENTRY, e.id) for e in entries[i : i + 4]] for i in range(0, len(entries), 4)]
    rows += page_rows(lang, page, pages, lambda p: callback_data(PREFIX, Numbered.LIST, p))
    rows.append(home_row(lang))
    return text, InlineKeyboardMarkup(rows)


def entry_card(lang: str, entry: CashEntry, activity: str, reversed_by: int | None) -> tuple[str, InlineKeyboardMarkup]:
    """One entry in full, with "Reverse" while it can be."""
    _ = translator(lang).gettext
    lines = [
        "<b>" + entry_line(lang, entry) + "</b>",
        _("Activity: {activity}").format(activity=escape(activity)),
    ]
    if entry.direction == "income":
        lines.append(_("Source: {source}").format(source=source_label(lang, entry.source)))
    if entry.reverses_id:
        lines.append(_("Reverses entry #{number}.").format(number=entry.reverses_id))
    if reversed_by:
        lines.append(_("Reversed by entry #{number}.").format(number=reversed_by))
    rows = []
    if entry.status == "recorded" and entry.reverses_id is None and reversed_by is None:
        rows.append([button(_("↩️ Reverse this entry"), Numbered.REVERSE, entry.id)])
    rows.append([button(_("📒 Entries"), Numbered.LIST, 0)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def confirm_reverse(lang: str, entry: CashEntry) -> tuple[str, InlineKeyboardMarkup]:
    """The reversal's confirm screen."""
    _ = translator(lang).gettext
    text = (
        _("Reverse entry #{number}?").format(number=entry.id)
        + "\n"
        + entry_line(lang, entry)
        + "\n"
        + _("A new entry with the opposite amount is added; the old one stays in the book.")
    )
    return text, InlineKeyboardMarkup(
        [[button(_("Yes, reverse it"), Numbered.REVERSE_YES, entry.id)], [button(_("No"), Numbered.ENTRY, entry.id)]]
    )


def reversed_done(lang: str, original: CashEntry, reversal: CashEntry) -> tuple[str, InlineKeyboardMarkup]:
    """Said after a reversal, with the way to record the corrected entry."""
    _ = translator(lang).gettext
    text = _("Entry #{number} reverses entry #{old}.").format(number=reversal.id, old=original.id)
    again = Do.INCOME if original.direction == "income" else Do.SPENDING
    return text, InlineKeyboardMarkup([[button(_("➕ Record the corrected entry"), again)], home_row(lang)])


def chair_notice(lang: str, entry: CashEntry, recorder: str, activity: str) -> tuple[str, InlineKeyboardMarkup]:
    """The chair's notice of an entry over the threshold, with ✅ and ✖."""
    _ = translator(lang).gettext
    text = (
        _("<b>An entry waits for your confirmation</b>")
        + "\n"
        + entry_line(lang, entry)
        + "\n"
        + _("Activity: {activity}").format(activity=escape(activity))
        + "\n"
        + _("Recorded by {name}.").format(name=escape(recorder))
    )
    keyboard = InlineKeyboardMarkup(
        [[button(_("✅ Confirm"), Numbered.CONFIRM, entry.id), button(_("✖ Reject"), Numbered.REJECT, entry.id)]]
    )
    return text, keyboard


def decided(lang: str, entry: CashEntry, confirmed: bool) -> str:
    """The chair's notice after the decision."""
    _ = translator(lang).gettext
    if confirmed:
        return _("Entry #{number} confirmed: it counts in the balance.").format(number=entry.id)
    return _("Entry #{number} rejected: it does not count in the balance.").format(number=entry.id)


def problem(lang: str, what: str) -> str:
    """A short line about what went wrong with the input."""
    _ = translator(lang).gettext
    return {
        "amount": _("Please type an amount in rupiah, like 1.500.000."),
        "day": _("Please type a date that has passed, like 23/11/2026."),
        "purpose": _("Please write what it was for."),
        "photo": _("Please send a photo of the receipt, or tap Skip."),
        "buttons": _("Please choose with the buttons below."),
        "reversed": _("This entry was already reversed."),
    }[what]
