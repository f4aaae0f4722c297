"""What /mydata says: the one-screen summary, the erase confirm screen, the goodbye, the files' captions."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import format_number, format_when, translator
from bot.menu import MENU_BUTTON
from conversations.membership.rules import MemberAction, member_button_data
from conversations.my_data.rules import MyDataAction, Summary, button_data


def _button(text: str, action: MyDataAction) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=button_data(action))


def summary_screen(lang: str, counts: Summary) -> tuple[str, InlineKeyboardMarkup]:
    """Everything held about the person, counted on one phone screen, with the download and erase buttons."""
    _ = translator(lang).gettext

    def n(value: int) -> str:
        return format_number(value, lang)

    lines = [
        _("<b>My data</b>"),
        _("What Rembug holds about you, in all your clusters:"),
        "",
        _("Clusters: {count}").format(count=n(counts.clusters)),
        _("Small groups: {count}").format(count=n(counts.small_groups)),
        _("Committees: {count}").format(count=n(counts.committees)),
        _("Meetings: invited {invited} · attended {attended}").format(
            invited=n(counts.meetings_invited), attended=n(counts.meetings_attended)
        ),
        _("Survey answers: {count}").format(count=n(counts.survey_answers)),
        _("Cards: {cards} · comments: {comments}").format(cards=n(counts.cards), comments=n(counts.comments)),
        _("Activities you own: {activities} · progress reports: {reports}").format(
            activities=n(counts.plan_activities), reports=n(counts.plan_checkins)
        ),
        _("Tasks from meetings: {tasks} · dues periods paid: {dues}").format(
            tasks=n(counts.tasks), dues=n(counts.dues)
        ),
        _("Letters: {count}").format(count=n(counts.letters)),
        _("Broadcasts sent: {count}").format(count=n(counts.broadcasts)),
        _("Consents: {count}").format(count=n(counts.consents)),
        _("Phone number: stored") if counts.has_phone else _("Phone number: not stored"),
        "",
        _("Download the complete copy, or erase your data."),
    ]
    withdraw = member_button_data(MemberAction.PHONE_WITHDRAW)
    keyboard = InlineKeyboardMarkup(
        [
            [_button(_("📄 Download PDF"), MyDataAction.PDF), _button(_("🧾 Download JSON"), MyDataAction.JSON)],
            [_button(_("🗑 Erase my data"), MyDataAction.ERASE)],
            # The phone consent is withdrawn here as in /profile (the same button: the number is deleted).
            *(
                [[InlineKeyboardButton(_("🚫 Withdraw consent for my phone number"), callback_data=withdraw)]]
                if counts.has_phone
                else []
            ),
            [InlineKeyboardButton(_("« Main menu"), callback_data=MENU_BUTTON)],
        ]
    )
    return "\n".join(lines), keyboard


def confirm_erase(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """The one confirm screen before erasing: what goes, what stays."""
    _ = translator(lang).gettext
    text = "\n".join(
        [
            _("<b>Erase your data?</b>"),
            _("This cannot be undone. In all your clusters:"),
            _("• your name, phone number, home area and business are removed;"),
            _("• your cards, comments, letters, notes and written answers are removed;"),
            _("• you leave every cluster and committee;"),
            _("• your messages to the bot and your settings are deleted."),
            "",
            _(
                "Counts stay without your name (attendance, survey scores, votes), so the cluster's results "
                'do not change. Facilitators see "Former member (erased)" where your name was.'
            ),
            _("Download a copy first if you want one."),
        ]
    )
    keyboard = InlineKeyboardMarkup(
        [
            [_button(_("🗑 Yes, erase my data"), MyDataAction.ERASE_CONFIRMED)],
            [_button(_("« Back"), MyDataAction.SHOW)],
        ]
    )
    return text, keyboard


def erased(lang: str) -> str:
    """The last message after an erasure."""
    return translator(lang).gettext(
        "Your data has been erased. Thank you for taking part. If you write again, you start as a new person."
    )


def copy_caption(lang: str, now: datetime, timezone: str) -> str:
    """The caption of the PDF and JSON copies."""
    return translator(lang).gettext("Your data in Rembug, as of {when}.").format(when=format_when(now, timezone, lang))


def copy_filename(now: datetime, extension: str) -> str:
    """``rembug-my-data-2026-12-02.pdf``."""
    return f"rembug-my-data-{now.date().isoformat()}.{extension}"
