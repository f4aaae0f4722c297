"""What the record of who saw what says: a page of entries, newest first, each one when, who, what."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.flows import MENU_BUTTON
from bot.i18n import format_when, translator
from bot.menu import N_
from bot.names import shown_name
from bot.page_buttons import page_line, page_rows
from conversations.access_log.rules import Access, access_of, log_button
from conversations.organisation.views import position_label
from storage.access_log import Entry

LOG_LABEL = N_("🕵 Who downloaded data")

# What an entry says after the name: {detail} is a title or a format, {name} the person whose role changed.
SAYS: dict[Access, str] = {
    Access.DIRECTORY: N_("downloaded the member list ({detail})"),
    Access.SURVEY_ANSWERS: N_("downloaded every answer of questionnaire “{detail}”"),
    Access.ATTENDANCE: N_("downloaded the attendance of meeting “{detail}”"),
    Access.FIRMS: N_("downloaded the firm list ({detail})"),
    Access.SUPPORTERS: N_("downloaded the supporters' list ({detail})"),
    Access.PLAN_REPORT: N_("downloaded the report of action plan “{detail}”"),
    Access.BRAINSTORM_RESULTS: N_("downloaded the cards of brainstorming “{detail}”"),
    Access.UNREACHED: N_("received the list of members not reached ({detail})"),
    Access.COMMITTEE_REPORT: N_("received the committee report {detail}"),
    Access.PROGRAM_MATRIX: N_("received the committee's program matrix"),
    Access.CLUSTER_CREATED: N_("created the cluster and became its facilitator"),
    Access.FACILITATOR_ADDED: N_("made {name} a facilitator"),
    Access.FACILITATOR_REMOVED: N_("{name} stopped being a facilitator"),
    Access.SECRETARY_APPOINTED: N_("made {name} the secretary"),
    Access.GROUP_LEADER_APPOINTED: N_("made {name} leader of small group “{detail}”"),
    Access.BOARD_ELECTED: N_("{name} was elected: {detail}"),
    Access.COMMITTEE_CHAIR_APPOINTED: N_("made {name} the committee's chair"),
    Access.COMMITTEE_SECRETARY_APPOINTED: N_("made {name} the committee's secretary"),
    Access.LEFT_WITH_ROLES: N_("left the cluster: their roles ended"),
}


def log_button_row(lang: str, committee_id: int | None = None) -> list[InlineKeyboardButton]:
    """The one button that opens the record (the committee overview adds it for its secretary)."""
    return [InlineKeyboardButton(translator(lang).gettext(LOG_LABEL), callback_data=log_button(committee_id))]


def what(lang: str, entry: Entry) -> str:
    """What the entry says happened, every stored value escaped."""
    _ = translator(lang).gettext
    kind = access_of(entry.action)
    if kind is None:
        return escape(entry.action)
    detail = position_label(lang, entry.detail) if kind is Access.BOARD_ELECTED else entry.detail
    return _(SAYS[kind]).format(
        detail=escape(detail or "-"), name=f"<b>{escape(shown_name(lang, entry.subject_name or '-'))}</b>"
    )


def entry_line(lang: str, entry: Entry, with_cluster: bool) -> str:
    """When · who (· which cluster), then what, in the reader's language and the cluster's time zone."""
    _ = translator(lang).gettext
    who = escape(shown_name(lang, entry.actor_name or "-")) if entry.actor_id is not None else _("Members' vote")
    where = entry.cluster_name if entry.cluster_id is not None else _("Committee")
    head = f"🕓 {format_when(entry.at, entry.timezone, lang)} · <b>{who}</b>"
    if with_cluster:
        head += f" · {escape(where or '-')}"
    return f"{head}\n    {what(lang, entry)}"


def log_page(
    lang: str, title: str, entries: list[Entry], page: int, pages: int, committee_id: int | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """A page of the record with Prev/Next and a way back."""
    _ = translator(lang).gettext
    lines = [
        _("<b>Who downloaded data: {name}</b>").format(name=escape(title)),
        _("Every download of members' data and every change of roles, newest first."),
    ]
    if pages > 1:
        lines.append(page_line(lang, page, pages))
    lines.append("")
    if entries:
        lines += [entry_line(lang, entry, with_cluster=committee_id is not None) for entry in entries]
    else:
        lines.append(_("Nothing recorded yet."))
    rows = page_rows(lang, page, pages, lambda p: log_button(committee_id, p))
    rows.append([InlineKeyboardButton(_("« Main menu"), callback_data=MENU_BUTTON)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)
