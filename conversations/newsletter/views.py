"""What the firm list says: the list, adding a firm, the import report, the download's columns."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.flows import MENU_BUTTON
from bot.i18n import translator
from conversations.membership.rules import STAKEHOLDER_TYPES
from conversations.membership.views import stakeholder_label
from conversations.newsletter.rules import PAGE_SIZE, PREFIX, RowProblem, page_count
from storage.firms import Firm


def _b(label: str, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callback_data(PREFIX, *parts))


def firm_list(lang: str, firms: list[Firm], joined: set[int], page: int) -> tuple[str, InlineKeyboardMarkup]:
    """One page of the firm list, ✅ for firms that joined, with the list's actions."""
    t = translator(lang)
    _ = t.gettext
    pages = page_count(len(firms))
    page = min(max(page, 0), pages - 1)
    lines = [
        t.ngettext(
            "<b>Firm list</b> ({count} firm, {joined} joined)",
            "<b>Firm list</b> ({count} firms, {joined} joined)",
            len(firms),
        ).format(count=len(firms), joined=len(joined))
    ]
    if not firms:
        lines.append(_("No firms yet. Add them one by one or import a CSV or Excel file."))
    for firm in firms[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]:
        extra = " · ".join(escape(p) for p in (firm.village, firm.business) if p)
        mark = "✅ " if firm.id in joined else "▫️ "
        lines.append(mark + escape(firm.name) + (f" ({extra})" if extra else ""))
    if firms:
        lines.append(_("✅ = joined the cluster in the bot"))
    rows = []
    if pages > 1:
        nav = []
        if page > 0:
            nav.append(_b(_("« Prev"), "p", page - 1))
        nav.append(_b(f"{page + 1}/{pages}", "p", page))
        if page < pages - 1:
            nav.append(_b(_("Next »"), "p", page + 1))
        rows.append(nav)
    rows.append([_b(_("➕ Add a firm"), "add"), _b(_("⬆️ Import CSV/Excel"), "imp")])
    if firms:
        rows.append([_b(_("⬇️ Download CSV"), "csv"), _b(_("⬇️ Download Excel"), "xlsx")])
    rows.append([InlineKeyboardButton(_("« Menu"), callback_data=MENU_BUTTON)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def _cancel(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(translator(lang).gettext("Cancel"), callback_data=MENU_BUTTON)]])


def ask(lang: str, step: str) -> tuple[str, InlineKeyboardMarkup]:
    """A question of the add-a-firm conversation, or the import's request for a file."""
    _ = translator(lang).gettext
    if step == "type":
        kinds = [_b(stakeholder_label(lang, kind), "t", kind) for kind in STAKEHOLDER_TYPES]
        rows = [kinds[i : i + 2] for i in range(0, len(kinds), 2)]
        rows.append([InlineKeyboardButton(_("Cancel"), callback_data=MENU_BUTTON)])
        return _("What kind of stakeholder is it?"), InlineKeyboardMarkup(rows)
    if step == "contact":
        rows = [[_b(_("Skip"), "skip")], [InlineKeyboardButton(_("Cancel"), callback_data=MENU_BUTTON)]]
        return _("Its contact (phone number or e-mail)? Or tap Skip."), InlineKeyboardMarkup(rows)
    texts = {
        "name": _("<b>New firm</b>\nWhat is the firm's name?"),
        "village": _("Which village (desa or kelurahan) is it in?"),
        "business": _("What is its business (what it makes or does)?"),
        "file": _(
            "Send the list as a .csv or .xlsx file. The first row names the columns: "
            "Name, Village, Business, Stakeholder type, Contact (or in Indonesian: Nama, Desa, Usaha, Jenis, Kontak). Only the name is required."
        ),
    }
    return texts[step], _cancel(lang)


def expected_columns(lang: str) -> str:
    """The columns an imported file must have."""
    _ = translator(lang).gettext
    return _("Name, Village, Business, Stakeholder type, Contact")


def problem(lang: str, key: str, detail: str = "") -> str:
    """A short answer to a wrong step."""
    _ = translator(lang).gettext
    texts = {
        "empty": _("Please type a short answer (at most 120 characters)."),
        "not_a_file": _("Please send a .csv or .xlsx file (as a document)."),
        "unreadable": _("I could not read this file. Please save it as .csv or .xlsx and send it again."),
        "wrong_columns": _(
            "This file does not have the columns I need. The first row must name them: {columns}. It has: {found}."
        ).format(columns=expected_columns(lang), found=escape(detail) or "-"),
    }
    return texts[key]


def _row_reason(lang: str, problem_: RowProblem) -> str:
    _ = translator(lang).gettext
    if problem_.reason == "no_name":
        return _("the name is empty")
    if problem_.reason == "too_long":
        return _("a value is too long (at most 120 characters)")
    return _("unknown stakeholder type “{value}”").format(value=escape(problem_.detail))


def import_report(lang: str, imported: int, problems: list[RowProblem]) -> str:
    """After an import: how many firms were added, and each row that could not be read."""
    t = translator(lang)
    lines = [t.ngettext("✅ {count} firm imported.", "✅ {count} firms imported.", imported).format(count=imported)]
    if problems:
        lines.append(
            t.ngettext("{count} row could not be read:", "{count} rows could not be read:", len(problems)).format(
                count=len(problems)
            )
        )
        for item in problems[:30]:
            lines.append(t.gettext("• Row {row}: {reason}").format(row=item.row, reason=_row_reason(lang, item)))
        if len(problems) > 30:
            lines.append(t.gettext("… and {count} more").format(count=len(problems) - 30))
    return "\n".join(lines)


def saved(lang: str, name: str) -> str:
    """After adding one firm."""
    return translator(lang).gettext("✅ {name} is on the firm list.").format(name=escape(name))


def export_table(lang: str, firms: list[Firm], joined: set[int]) -> tuple[list[str], list[list[str | None]]]:
    """The firm list as a table for CSV or Excel."""
    _ = translator(lang).gettext
    headers = [_("Name"), _("Village"), _("Business"), _("Stakeholder type"), _("Contact"), _("Joined")]
    rows = [
        [
            f.name,
            f.village,
            f.business,
            stakeholder_label(lang, f.stakeholder_type) if f.stakeholder_type else None,
            f.contact,
            _("yes") if f.id in joined else _("no"),
        ]
        for f in firms
    ]
    return headers, rows
