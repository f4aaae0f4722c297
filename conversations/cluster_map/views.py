"""The cluster's map in words: the figures screen, the chain's table version (for screen readers and
downloads), the picture's caption, and the committee's row of Step 1 criteria."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.exports import Cell
from bot.i18n import format_number, translator
from bot.menu import MENU_BUTTON, N_
from bot.page_buttons import page_line, page_rows
from bot.paging import page_of
from conversations.cluster_map.rules import Box, Chain, Criteria, MapFigures, Role, Step, tap_data
from conversations.membership.views import STAKEHOLDER_LABELS, stakeholder_label
from conversations.supporters.views import KIND_LABELS
from conversations.supporters.views import kind_label as supporter_kind_label
from conversations.survey import rules as survey_rules

TABLE_PAGE = 12  # lines of the table version a page
# A survey round of the built-in firm profile: its number among the built-in questionnaires (-1).
FIRM_PROFILE_BUTTON = -survey_rules.BUILT_IN_FORMS.index(survey_rules.FIRM_PROFILE)

ROLE_LABELS = {
    Role.SUPPLIER.value: N_("Material suppliers"),
    Role.CORE.value: N_("Core firms"),
    Role.SUBCONTRACTOR.value: N_("Subcontractors"),
    Role.TRADER.value: N_("Traders and collectors"),
    Role.BUYER.value: N_("Buyers"),
}
SALES_LABELS = {
    "under_5m": N_("under Rp 5 million"),
    "5m_15m": N_("Rp 5–15 million"),
    "15m_50m": N_("Rp 15–50 million"),
    "50m_200m": N_("Rp 50–200 million"),
    "over_200m": N_("over Rp 200 million"),
}
MARKET_LABELS = {"local": N_("local"), "other_regions": N_("other regions"), "export": N_("export")}


def box_label(lang: str, key: str) -> str:
    """A box's name: a chain role, or a supporting kind (a stakeholder type)."""
    if key in ROLE_LABELS:
        return translator(lang).gettext(ROLE_LABELS[key])
    if key not in STAKEHOLDER_LABELS and key in KIND_LABELS:  # an outside supporter's kind (Kadin, NGO...)
        return supporter_kind_label(lang, key)
    return stakeholder_label(lang, key)


def _n(value: float, lang: str) -> str:
    return format_number(round(value, 1), lang)


def _percent(share: float | None, lang: str) -> str:
    return "–" if share is None else f"{_n(100 * share, lang)}%"


def criteria_parts(lang: str, c: Criteria) -> list[str]:
    """The Step 1 criteria as short labelled figures, in the guideline's order."""
    _ = translator(lang).gettext
    return [
        _("core firms {count}").format(count=_n(c.core_firms, lang)),
        _("workers ≈{count}").format(count=_n(c.workers, lang)),
        _("sales ≈Rp {amount} million a month").format(amount=_n(c.monthly_sales, lang)),
        _("supporting industry {count}").format(count=_n(c.supporting, lang)),
        _("selling outside the region {share}, exporting {export}").format(
            share=_percent(c.selling_outside, lang), export=_percent(c.exporting, lang)
        ),
    ]


def home(lang: str, cluster_name: str, f: MapFigures) -> tuple[str, InlineKeyboardMarkup]:
    """🗺 The cluster's map in figures, with the way to the chain and to asking the firm profile."""
    t = translator(lang)
    _ = t.gettext
    lines = [
        _("🗺 <b>Cluster map: {cluster}</b>").format(cluster=escape(cluster_name)),
        _("{members} members · {firms} firms · firm profiles sent: {profiles}").format(
            members=_n(f.members, lang), firms=_n(f.firms, lang), profiles=_n(f.profiles, lang)
        ),
    ]
    lines += ["", _("<b>Step 1 criteria</b>"), *("• " + part for part in criteria_parts(lang, f.criteria))]
    if f.profiles:
        sales = ", ".join(f"{_(SALES_LABELS[key])} {_n(count, lang)}" for key, count in f.sales if count)
        markets = ", ".join(f"{_(MARKET_LABELS[key])} {_n(count, lang)}" for key, count in f.markets)
        lines += ["", _("<b>Monthly sales</b>: {ranges}").format(ranges=sales)]
        lines.append(_("<b>Markets</b> (firms selling there): {markets}").format(markets=markets))
    lines.append(
        _("Workers and sales are estimates from the ranges in the firm profiles (the middle of each range).")
        if f.profiles
        else _("No firm profiles yet: press 📝 Ask the firm profile to open a round of it for the members.")
    )
    # The figures by type are for looking up: folded, so the screen stays one phone screen.
    by_type = [_("<b>By stakeholder type</b> (members · profiles · family + paid workers)")]
    for kind in f.by_type:
        workers = _n(kind.family_workers, lang) + " + " + _n(kind.paid_workers, lang) if kind.profiles else "–"
        label = stakeholder_label(lang, kind.stakeholder_type) if kind.stakeholder_type else _("no type given")
        by_type.append(f"• {escape(label)}: {_n(kind.members, lang)} · {_n(kind.profiles, lang)} · {workers}")
    lines += ["", "<blockquote expandable>" + "\n".join(by_type) + "</blockquote>"]
    rows = [
        [InlineKeyboardButton(_("🔗 Value chain"), callback_data=tap_data(Step.CHAIN))],
        [
            InlineKeyboardButton(
                _("📝 Ask the firm profile"), callback_data=survey_rules.tap_data("newq", FIRM_PROFILE_BUTTON)
            )
        ],
        [InlineKeyboardButton(_("« Main menu"), callback_data=MENU_BUTTON)],
    ]
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def _box_line(lang: str, box: Box) -> str:
    t = translator(lang)
    if not box.count:  # the buyers: named in the answers, no member's type
        return t.gettext("{label}: none among the members").format(label=box_label(lang, box.key))
    names = f": {', '.join(box.names)}" if box.names else ""
    return t.ngettext("{label}: {count} member{names}", "{label}: {count} members{names}", box.count).format(
        label=box_label(lang, box.key), count=_n(box.count, lang), names=names
    )


def _band_line(lang: str, box: Box) -> str:
    """A box of the supporting band: members and outside supporters of one kind, counted together."""
    names = f": {', '.join(box.names)}" if box.names else ""
    return f"{box_label(lang, box.key)} ({_n(box.count, lang)}){names}"


def _link_line(lang: str, source: str, target: str, weight: int) -> str:
    t = translator(lang)
    if source == target:
        return t.ngettext(
            "{source} among themselves: named by {count} firm",
            "{source} among themselves: named by {count} firms",
            weight,
        ).format(source=box_label(lang, source), count=_n(weight, lang))
    return t.ngettext(
        "{source} → {target}: named by {count} firm", "{source} → {target}: named by {count} firms", weight
    ).format(source=box_label(lang, source), target=box_label(lang, target), count=_n(weight, lang))


def table_lines(lang: str, chain: Chain) -> list[str]:
    """The chain as lines of plain text: the boxes left to right, the supporting band, the arrows."""
    _ = translator(lang).gettext
    lines = [_box_line(lang, box) for box in chain.boxes]
    lines += [_("Supporting: ") + _band_line(lang, box) for box in chain.supporting]
    lines += [_link_line(lang, link.source, link.target, link.weight) for link in chain.links]
    return lines


def table_rows(lang: str, chain: Chain) -> tuple[list[str], list[list[Cell]]]:
    """The table version as a download: one row per box and per arrow."""
    _ = translator(lang).gettext
    headers = [_("Part"), _("From box"), _("To box"), _("Count"), _("Names")]
    rows: list[list[Cell]] = [[_("Box"), box_label(lang, b.key), "", b.count, ", ".join(b.names)] for b in chain.boxes]
    rows += [[_("Supporting"), box_label(lang, b.key), "", b.count, ", ".join(b.names)] for b in chain.supporting]
    rows += [[_("Arrow"), box_label(lang, k.source), box_label(lang, k.target), k.weight, ""] for k in chain.links]
    return headers, rows


def caption(lang: str, cluster_name: str, chain: Chain) -> str:
    """The picture's caption: what the boxes and arrows count."""
    t = translator(lang)
    return t.ngettext(
        "🔗 Value chain of {cluster}: boxes count members by stakeholder type; arrows count the firms "
        "that name them in their firm profile ({count} profile sent).",
        "🔗 Value chain of {cluster}: boxes count members by stakeholder type; arrows count the firms "
        "that name them in their firm profile ({count} profiles sent).",
        chain.profiles,
    ).format(cluster=escape(cluster_name), count=_n(chain.profiles, lang))


def table(lang: str, cluster_name: str, chain: Chain, page: int) -> tuple[str, InlineKeyboardMarkup]:
    """One page of the chain's table version, with the pages, the downloads and the way back."""
    _ = translator(lang).gettext
    lines = table_lines(lang, chain)
    shown, page, pages = page_of(lines, page, TABLE_PAGE)
    text = [_("🔗 <b>Value chain of {cluster}</b> (as text)").format(cluster=escape(cluster_name))]
    if pages > 1:
        text.append(page_line(lang, page, pages))
    text += ["", *(escape(line) for line in shown)]
    if not lines:
        text.append(_("No members with a stakeholder type yet."))
    if chain.unplaced:
        text.append(
            translator(lang)
            .ngettext(
                "{count} member has no place in the chain (type “Other” or none).",
                "{count} members have no place in the chain (type “Other” or none).",
                chain.unplaced,
            )
            .format(count=_n(chain.unplaced, lang))
        )
    rows = page_rows(lang, page, pages, lambda number: tap_data(Step.TABLE, number))
    rows.append([InlineKeyboardButton(_("⬇️ Download Excel / CSV"), callback_data=tap_data(Step.DOWNLOAD))])
    rows.append([InlineKeyboardButton(_("🗺 Cluster map"), callback_data=tap_data(Step.HOME))])
    return "\n".join(text), InlineKeyboardMarkup(rows)
