"""What the supporters' list says: the need screen, the lists, a supporter's page, adding and
suggesting, the facilitator's notice of a suggestion, and the download's columns."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.exports import Cell
from bot.i18n import translator
from bot.menu import MENU_BUTTON, N_
from bot.page_buttons import page_line, page_rows
from bot.paging import page_of
from conversations.supporters.rules import KINDS, PAGE_SIZE, PREFIX, SERVICES, Step
from storage.supporters import Supporter

KIND_LABELS = {
    "government": N_("Government office"),
    "bds_provider": N_("Business development services (BDS)"),
    "university": N_("University or research institute"),
    "bank": N_("Bank or financial institution"),
    "association": N_("Association"),
    "kadin": N_("Kadin (chamber of commerce)"),
    "ngo": N_("NGO"),
    "buyer": N_("Buyer"),
    "supplier": N_("Supplier"),
}
SERVICE_LABELS = {
    "training": N_("🎓 Training"),
    "consulting": N_("🧭 Advice & mentoring"),
    "marketing": N_("🛒 Marketing"),
    "finance": N_("💰 Capital & finance"),
    "technology_testing": N_("🔬 Technology & testing"),
    "legal_licensing": N_("📜 Permits & legal matters"),
    "design": N_("🎨 Design & packaging"),
    "export": N_("🚢 Export"),
}
FIELD_QUESTIONS = {
    "name": N_("What is the supporter's name? (an office, a firm, a person)"),
    "contact": N_("How are they reached? (phone, e-mail, a person to ask for)"),
    "area": N_("Where are they? (town or area)"),
    "worked_with": N_("Who in the cluster has worked with them? (names, or “nobody yet”)"),
}


def b(label: str, step: Step, *parts: object) -> InlineKeyboardButton:
    """A supporter button."""
    return InlineKeyboardButton(label, callback_data=callback_data(PREFIX, step.value, *parts))


def menu_row(lang: str) -> list[InlineKeyboardButton]:
    """The way back to the main menu."""
    return [InlineKeyboardButton(translator(lang).gettext("« Menu"), callback_data=MENU_BUTTON)]


def kind_label(lang: str, kind: str) -> str:
    """A supporter's kind in words."""
    return translator(lang).gettext(KIND_LABELS.get(kind, kind))


def services_text(lang: str, services: tuple[str, ...]) -> str:
    """The services as one line, or a dash."""
    _ = translator(lang).gettext
    return escape(", ".join(_(SERVICE_LABELS[s]) for s in services if s in SERVICE_LABELS)) or "–"


def _need_buttons(lang: str) -> list[list[InlineKeyboardButton]]:
    _ = translator(lang).gettext
    buttons = [b(_(SERVICE_LABELS[s]), Step.NEED, s, 0) for s in SERVICES]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def home(
    lang: str, manages: bool, confirmed: int, waiting: list[Supporter], cluster: str
) -> tuple[str, InlineKeyboardMarkup]:
    """The first screen: "What do you need help with?" with the services, and the list's actions."""
    t = translator(lang)
    _ = t.gettext
    lines = [
        _("🤝 <b>Supporters of {cluster}</b>").format(cluster=escape(cluster)),
        t.ngettext(
            "{count} supporter outside the cluster can help.",
            "{count} supporters outside the cluster can help.",
            confirmed,
        ).format(count=confirmed)
        if confirmed
        else _("No supporter is on the list yet."),
        "",
        _("<b>What do you need help with?</b>"),
    ]
    if waiting and manages:
        lines += [
            "",
            t.ngettext(
                "⏳ {count} suggestion waits for your confirmation.",
                "⏳ {count} suggestions wait for your confirmation.",
                len(waiting),
            ).format(count=len(waiting)),
        ]
    elif waiting:
        lines += ["", _("Your suggestions:")]
        lines += [_("⏳ {name}: waiting for confirmation").format(name=escape(s.name)) for s in waiting]
    rows = _need_buttons(lang)
    if manages:
        rows.append([b(_("📋 Whole list"), Step.ALL, 0), b(_("➕ Add a supporter"), Step.ADD)])
        rows.append([b(_("📞 Record a visit or call"), Step.VISIT, 0)])
        rows.append([b(_("⬇️ Download CSV"), Step.CSV), b(_("⬇️ Download Excel"), Step.EXCEL)])
    else:
        rows.append([b(_("💡 Suggest a supporter"), Step.SUGGEST)])
    rows.append(menu_row(lang))
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def _line(lang: str, supporter: Supporter) -> str:
    mark = "⏳ " if supporter.status == "suggested" else "• "
    extra = " · ".join(escape(p) for p in (kind_label(lang, supporter.kind), supporter.area) if p)
    return f"{mark}<b>{escape(supporter.name)}</b> ({extra})"


def _listing(
    lang: str, heading: str, empty: str, supporters: list[Supporter], page: int, data_of
) -> tuple[list[str], list[list[InlineKeyboardButton]]]:
    shown, page, pages = page_of(supporters, page, PAGE_SIZE)
    lines = [heading]
    if pages > 1:
        lines.append(page_line(lang, page, pages))
    lines.append("")
    lines += [_line(lang, s) for s in shown] or [empty]
    rows = [[b(("⏳ " if s.status == "suggested" else "") + s.name[:40], Step.SHOW, s.id, 0)] for s in shown]
    rows += page_rows(lang, page, pages, data_of)
    return lines, rows


def need_list(lang: str, service: str, supporters: list[Supporter], page: int) -> tuple[str, InlineKeyboardMarkup]:
    """The confirmed supporters offering one service, paged; each opens its page."""
    _ = translator(lang).gettext
    heading = _("Who can help with <b>{service}</b>?").format(service=escape(_(SERVICE_LABELS[service])))
    empty = _("Nobody on the list offers this yet. Know someone? Suggest them.")
    lines, rows = _listing(
        lang, heading, empty, supporters, page, lambda p: callback_data(PREFIX, Step.NEED.value, service, p)
    )
    rows.append([b(_("« Other needs"), Step.HOME)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def whole_list(lang: str, supporters: list[Supporter], page: int) -> tuple[str, InlineKeyboardMarkup]:
    """The facilitator's list: confirmed and waiting (⏳) supporters, paged."""
    t = translator(lang)
    _ = t.gettext
    heading = t.ngettext(
        "<b>Supporters</b> ({count} on the list)", "<b>Supporters</b> ({count} on the list)", len(supporters)
    ).format(count=len(supporters))
    empty = _("No supporters yet. Add the offices, providers and banks the cluster works with.")
    lines, rows = _listing(lang, heading, empty, supporters, page, lambda p: callback_data(PREFIX, Step.ALL.value, p))
    if any(s.status == "suggested" for s in supporters):
        lines += ["", _("⏳ = suggested by a member, waiting for your confirmation")]
    rows.append([b(_("➕ Add a supporter"), Step.ADD), b(_("« Back"), Step.HOME)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def supporter_page(
    lang: str, supporter: Supporter, manages: bool, history: tuple[list[str], list] = ([], [])
) -> tuple[str, InlineKeyboardMarkup]:
    """One supporter: kind, services, contact, area, who worked with them; for a facilitator the
    visits (``history``: its lines and page buttons, ``visit_views.history``) and the actions."""
    _ = translator(lang).gettext
    lines = [f"🤝 <b>{escape(supporter.name)}</b>", kind_label(lang, supporter.kind), ""]
    lines.append(_("Services: {services}").format(services=services_text(lang, supporter.services)))
    lines.append(_("Contact: {contact}").format(contact=escape(supporter.contact or "–")))
    lines.append(_("Area: {area}").format(area=escape(supporter.area or "–")))
    lines.append(_("Worked with them: {names}").format(names=escape(supporter.worked_with or "–")))
    if supporter.status == "suggested":
        lines += ["", _("⏳ Suggested by a member, waiting for a facilitator's confirmation.")]
    lines += history[0]
    rows = list(history[1])
    if manages and supporter.status == "suggested":
        rows.append([b(_("✅ Confirm"), Step.CONFIRM, supporter.id), b(_("✖ Reject"), Step.REJECT, supporter.id)])
    if manages:
        rows.append(
            [
                b(_("✏️ Kind"), Step.EDIT_KIND, supporter.id),
                b(_("✏️ Services"), Step.EDIT_SERVICES, supporter.id),
                b(_("✏️ Contact"), Step.EDIT_FIELD, supporter.id, "contact"),
            ]
        )
        rows.append(
            [
                b(_("✏️ Area"), Step.EDIT_FIELD, supporter.id, "area"),
                b(_("✏️ Worked with"), Step.EDIT_FIELD, supporter.id, "worked_with"),
            ]
        )
        rows.append([b(_("📞 Record a visit or call"), Step.VISIT_SUPPORTER, supporter.id)])
        rows.append([b(_("🗑 Remove"), Step.REMOVE, supporter.id), b(_("« Whole list"), Step.ALL, 0)])
    else:
        rows.append([b(_("« Other needs"), Step.HOME)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def ask(lang: str, field: str, *, clear: bool = False) -> tuple[str, InlineKeyboardMarkup]:
    """The question of one typed step; an optional one has Skip (when editing: Clear)."""
    _ = translator(lang).gettext
    rows = [[b(_("🧹 Clear") if clear else _("Skip"), Step.SKIP)]] if field != "name" else []
    rows.append([InlineKeyboardButton(_("Cancel"), callback_data=MENU_BUTTON)])
    return _(FIELD_QUESTIONS[field]), InlineKeyboardMarkup(rows)


def ask_kind(lang: str, name: str, supporter_id: int | None = None) -> tuple[str, InlineKeyboardMarkup]:
    """Which kind of supporter: one button each (for a listed supporter: its kind changes at the tap)."""
    _ = translator(lang).gettext
    if supporter_id is None:
        rows = [[b(kind_label(lang, kind), Step.KIND, kind)] for kind in KINDS]
        rows.append([InlineKeyboardButton(_("Cancel"), callback_data=MENU_BUTTON)])
    else:
        rows = [[b(kind_label(lang, kind), Step.EDIT_KIND, supporter_id, kind)] for kind in KINDS]
        rows.append([b(_("« Back"), Step.SHOW, supporter_id, 0)])
    return _("What kind of supporter is <b>{name}</b>?").format(name=escape(name)), InlineKeyboardMarkup(rows)


def service_toggles(
    lang: str, name: str, chosen: tuple[str, ...], toggle, done: InlineKeyboardButton
) -> tuple[str, InlineKeyboardMarkup]:
    """The services as toggles (☑️ ticked, ⬜ not), then Done; ``toggle(service)`` builds a button's data."""
    _ = translator(lang).gettext
    buttons = [
        InlineKeyboardButton(("☑️ " if s in chosen else "⬜ ") + _(SERVICE_LABELS[s]), callback_data=toggle(s))
        for s in SERVICES
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([done])
    text = _("Which services does <b>{name}</b> offer? Tap every one that fits, then Done.").format(name=escape(name))
    return text + "\n" + _("Chosen: {services}").format(services=services_text(lang, chosen)), InlineKeyboardMarkup(
        rows
    )


def add_toggles(lang: str, name: str, chosen: tuple[str, ...]) -> tuple[str, InlineKeyboardMarkup]:
    """The services step while adding or suggesting."""
    _ = translator(lang).gettext
    done = b(_("Done ▶"), Step.SERVICES_DONE)
    return service_toggles(lang, name, chosen, lambda s: callback_data(PREFIX, Step.SERVICE.value, s), done)


def edit_toggles(lang: str, supporter: Supporter) -> tuple[str, InlineKeyboardMarkup]:
    """The services of a listed supporter, each tap stored at once."""
    _ = translator(lang).gettext
    done = b(_("✅ Done"), Step.SHOW, supporter.id, 0)
    toggle = lambda s: callback_data(PREFIX, Step.EDIT_TOGGLE.value, supporter.id, s)  # noqa: E731
    return service_toggles(lang, supporter.name, supporter.services, toggle, done)


def problem(lang: str, key: str) -> str:
    """A typed answer the step cannot take."""
    _ = translator(lang).gettext
    texts = {
        "empty": _("Please type it as text (at most {limit} characters).").format(limit=200),
        "no_services": _("Tick at least one service, then Done."),
        "buttons": _("Please choose with the buttons below."),
        "twice": _("<b>{name}</b> is already on the list."),
    }
    return texts[key]


def saved(lang: str, supporter: Supporter) -> str:
    """Added (a facilitator) or suggested (a member)."""
    _ = translator(lang).gettext
    if supporter.status == "suggested":
        return _(
            "💡 Thank you. <b>{name}</b> is suggested; it shows on the list once a facilitator confirms it."
        ).format(name=escape(supporter.name))
    return _("✅ <b>{name}</b> is on the list.").format(name=escape(supporter.name))


def suggestion_notice(lang: str, supporter: Supporter, member: str) -> tuple[str, InlineKeyboardMarkup]:
    """To each facilitator: a member suggested a supporter, with Confirm and Reject."""
    _ = translator(lang).gettext
    text = "\n".join(
        [
            _("💡 <b>{member}</b> suggests a supporter:").format(member=escape(member)),
            f"<b>{escape(supporter.name)}</b> ({kind_label(lang, supporter.kind)})",
            _("Services: {services}").format(services=services_text(lang, supporter.services)),
        ]
    )
    rows = [[b(_("✅ Confirm"), Step.CONFIRM, supporter.id), b(_("✖ Reject"), Step.REJECT, supporter.id)]]
    rows.append([b(_("🔍 Open"), Step.SHOW, supporter.id, 0)])
    return text, InlineKeyboardMarkup(rows)


def decided(lang: str, supporter: Supporter, confirmed: bool) -> str:
    """The suggestion's answer, under the notice."""
    _ = translator(lang).gettext
    text = _("✅ <b>{name}</b> is confirmed: members see it now.") if confirmed else _("✖ <b>{name}</b> was rejected.")
    return text.format(name=escape(supporter.name))


def decision_for_member(lang: str, supporter: Supporter, confirmed: bool) -> tuple[str, InlineKeyboardMarkup]:
    """To the member who suggested it: confirmed (on the list now) or not taken."""
    _ = translator(lang).gettext
    if confirmed:
        text = _("✅ Your suggestion <b>{name}</b> is confirmed: it is on the supporters' list now.")
    else:
        text = _("Your suggestion <b>{name}</b> was not taken onto the supporters' list. Thank you all the same.")
    rows = [[b(_("🤝 Supporters"), Step.HOME)]]
    return text.format(name=escape(supporter.name)), InlineKeyboardMarkup(rows)


def remove_question(lang: str, supporter: Supporter) -> tuple[str, InlineKeyboardMarkup]:
    """Asked once before a supporter leaves the list."""
    _ = translator(lang).gettext
    rows = [[b(_("Yes, remove"), Step.REMOVE_YES, supporter.id), b(_("No"), Step.SHOW, supporter.id, 0)]]
    text = _("Remove <b>{name}</b> from the list? Its visits are kept.").format(name=escape(supporter.name))
    return text, InlineKeyboardMarkup(rows)


def removed(lang: str, name: str) -> str:
    """After removing."""
    return translator(lang).gettext("🗑 <b>{name}</b> is no longer on the list.").format(name=escape(name))


def export_table(
    lang: str, rows: list[tuple[str, Supporter]], with_cluster: bool = False
) -> tuple[list[str], list[list[Cell]]]:
    """The download's columns (translated) and one row per supporter."""
    _ = translator(lang).gettext
    headers = [_("Name"), _("Kind"), _("Services"), _("Contact"), _("Area"), _("Worked with them"), _("Status")]
    status = {"confirmed": _("confirmed"), "suggested": _("suggested")}
    table: list[list[Cell]] = []
    for cluster, s in rows:
        services = ", ".join(_(SERVICE_LABELS[x]).split(" ", 1)[-1] for x in s.services)
        line: list[Cell] = [s.name, kind_label(lang, s.kind), services, s.contact, s.area, s.worked_with]
        table.append(([cluster] if with_cluster else []) + line + [status.get(s.status, s.status)])
    return ([_("Cluster")] if with_cluster else []) + headers, table
