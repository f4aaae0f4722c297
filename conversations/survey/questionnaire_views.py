"""What the survey says about its questionnaires: the list, bringing an XLSForm, choosing one for a round."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.flows import MENU_BUTTON
from bot.form_library import Offered
from bot.forms import Form
from bot.i18n import format_local_date, translator
from bot.xlsform import Problem
from bot.xlsform_views import report_text
from conversations.survey.rules import tap_data


def _b(label: str, step: str, *values: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=tap_data(step, *values))


def _menu(lang: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(translator(lang).gettext("« Main menu"), callback_data=MENU_BUTTON)


def _where(lang: str, choice: Offered, timezone: str) -> str:
    _ = translator(lang).gettext
    stored = choice.stored
    if stored is None:
        return _("built in")
    when = format_local_date(stored.imported_at.astimezone(ZoneInfo(timezone)).date(), lang)
    return _("from {file}, {day}").format(file=escape(stored.file_name), day=when)


def _size(lang: str, form: Form) -> str:
    return translator(lang).ngettext("{n} question", "{n} questions", len(form.questions)).format(n=len(form.questions))


def questionnaire_list(lang: str, choices: list[Offered], timezone: str) -> tuple[str, InlineKeyboardMarkup]:
    """The questionnaires a round can use, each to download as XLSForm or to open a round with."""
    _ = translator(lang).gettext
    lines = [
        _("<b>Questionnaires</b>"),
        _("What this cluster can ask in a survey round. Each one downloads as an XLSForm for KoboToolbox or ODK."),
        "",
    ]
    rows = []
    for position, choice in enumerate(choices, start=1):
        form = choice.form
        lines.append(f"<b>{position}. {escape(form.title(lang))}</b>")
        lines.append(f"   {_size(lang, form)} · {_where(lang, choice, timezone)}")
        rows.append(
            [
                _b(_("⬇️ {n}. XLSForm").format(n=position), "xf", choice.number),
                _b(_("➕ {n}. New round").format(n=position), "newq", choice.number),
            ]
        )
    rows.append([_b(_("📥 Bring an XLSForm"), "imp")])
    rows.append([_b(_("📋 Survey rounds"), "list"), _menu(lang)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def how_to_bring(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """How to bring a questionnaire written in KoboToolbox or ODK, and what Rembug can ask."""
    _ = translator(lang).gettext
    text = "\n".join(
        [
            _("<b>Bring a questionnaire from KoboToolbox or ODK</b>"),
            _("Send its XLSForm file (.xlsx) here: tap 📎, choose File, pick the file."),
            "",
            _(
                "Rembug can ask: one choice, several choices, whole numbers, decimals, text, dates, notes and "
                "groups; required questions, conditions (relevant) and limits (constraint) on numbers and text "
                "length; labels in Indonesian and English; scores in a 'score' column of the choices."
            ),
            _(
                "Not on a phone chat: repeat groups, calculations, photos and other media, choices that depend "
                "on another answer. A form with these is refused, naming their rows, so you can fix them."
            ),
        ]
    )
    keyboard = InlineKeyboardMarkup([[_b(_("📄 Questionnaires"), "qs")], [_menu(lang)]])
    return text, keyboard


def imported(lang: str, choice: Offered, again: bool) -> tuple[str, InlineKeyboardMarkup]:
    """An XLSForm kept (or kept already): what it holds, and opening a round with it."""
    _ = translator(lang).gettext
    form = choice.form
    if again:
        first = _("This file was already saved as the questionnaire “{title}”; nothing changed.")
    else:
        first = _("✅ The questionnaire “{title}” is saved.")
    lines = [
        first.format(title=escape(form.title(lang))),
        _("{size}, {sections}.").format(size=_size(lang, form), sections=_sections(lang, form)),
        _("Open a survey round with it to send it to the members."),
    ]
    keyboard = InlineKeyboardMarkup(
        [
            [_b(_("➕ Open a round with it"), "newq", choice.number)],
            [_b(_("📄 Questionnaires"), "qs"), _menu(lang)],
        ]
    )
    return "\n".join(lines), keyboard


def _sections(lang: str, form: Form) -> str:
    count = len(form.groups)
    if not count:
        return translator(lang).gettext("no sections")
    return translator(lang).ngettext("{n} section", "{n} sections", count).format(n=count)


def refused(lang: str, problems: list[Problem], file_name: str) -> tuple[str, InlineKeyboardMarkup]:
    """An XLSForm refused whole: each problem with its row, and how to go on."""
    _ = translator(lang).gettext
    keyboard = InlineKeyboardMarkup([[_b(_("📥 What Rembug can ask"), "imp")], [_menu(lang)]])
    return report_text(lang, problems, file_name), keyboard


def not_xlsx(lang: str) -> str:
    """A spreadsheet in another format."""
    return translator(lang).gettext(
        "Rembug reads XLSForms saved as .xlsx (Excel Workbook). Please save the file as .xlsx and send it again."
    )


def too_large(lang: str) -> str:
    """A file far larger than any questionnaire."""
    return translator(lang).gettext(
        "This file is too large for a questionnaire (at most 5 MB). Please check that it is the XLSForm."
    )


def choose_questionnaire(lang: str, choices: list[Offered]) -> tuple[str, InlineKeyboardMarkup]:
    """Opening a round: which questionnaire it asks."""
    _ = translator(lang).gettext
    lines = [_("<b>New survey round</b>"), _("Which questionnaire does this round ask?"), ""]
    rows = []
    for position, choice in enumerate(choices, start=1):
        lines.append(f"<b>{position}.</b> {escape(choice.form.title(lang))} ({_size(lang, choice.form)})")
        rows.append([_b(f"{position}. {choice.form.title(lang)}"[:60], "use", choice.number)])
    rows.append([_menu(lang)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)
