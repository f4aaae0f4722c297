"""What /privacy says, in the person's language: a short overview and four parts, one phone screen each."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.flows import MENU_BUTTON
from bot.i18n import translator
from conversations.privacy.rules import PARTS, PrivacyPart, privacy_button_data

# The retention defaults (the bot's settings may change them); said as numbers of days.
HANDLED_UPDATES_DAYS = 7
ABANDONED_DRAFTS_DAYS = 30


def part_label(lang: str, part: PrivacyPart) -> str:
    """The button of a part of /privacy."""
    _ = translator(lang).gettext
    labels = {
        PrivacyPart.OVERVIEW: _("🔒 Privacy"),
        PrivacyPart.STORED: _("📦 What is stored"),
        PrivacyPart.WHO: _("👥 Who sees it"),
        PrivacyPart.KEPT: _("⏳ How long"),
        PrivacyPart.RIGHTS: _("⚖️ Your rights"),
    }
    return labels[part]


def _overview(lang: str) -> list[str]:
    _ = translator(lang).gettext
    return [
        _("<b>🔒 Privacy</b>"),
        _(
            "Rembug keeps what you tell it so that your cluster (sentra) can run its programme as the "
            "JICA/FPESD guideline describes: meetings, questionnaires, brainstorming, plans and reports."
        ),
        _("It follows Indonesia's personal data protection law (UU No. 27 Tahun 2022)."),
        "",
        _("Choose what you want to know:"),
    ]


def _stored(lang: str) -> list[str]:
    _ = translator(lang).gettext
    return [
        _("<b>📦 What is stored</b>"),
        _("• Your profile: name, home area, business, type, and your phone number if you shared it"),
        _("• Your clusters, roles and small group; your Telegram name and language"),
        _("• Meetings: your answers to invitations and your attendance"),
        _("• Your questionnaire answers"),
        _("• Your brainstorming cards and comments"),
        _("• Action plans and progress reports you own"),
        _("• Letters you send to the facilitators, and broadcasts you send"),
        _("• Elections: that you voted, never for whom"),
        "",
        _("Why: only to run your cluster's programme. Rembug uses it for nothing else."),
    ]


def _who(lang: str) -> list[str]:
    _ = translator(lang).gettext
    return [
        _("<b>👥 Who sees it</b>"),
        _(
            "• <b>Facilitators</b> of your cluster: your profile (your phone only if you agreed), attendance, "
            "questionnaire answers, your letters, and your cards when a session is not anonymous."
        ),
        _("• <b>Group leaders</b>: the meetings and sessions of their small group."),
        _("• <b>The secretary</b>, and whoever sends a broadcast: whom it did not reach (phone only if you agreed)."),
        _(
            "• <b>The committee</b> (CEDC/FEDEP/FPESD): the cluster's figures and who has not answered an open "
            "questionnaire, never your answers."
        ),
        _("• <b>Other members</b>: your name where you take part (plans, elections, named cards), never your phone."),
    ]


def _kept(lang: str) -> list[str]:
    _ = translator(lang).gettext
    return [
        _("<b>⏳ How long it is kept</b>"),
        _("• Messages and taps the bot has handled: deleted after {days} days.").format(days=HANDLED_UPDATES_DAYS),
        _("• Answers you started and never finished: deleted after {days} days.").format(days=ABANDONED_DRAFTS_DAYS),
        _(
            "• Your profile and what you took part in: kept, also after you leave a cluster, so its records "
            "stay complete, until you erase them with /mydata."
        ),
        _("• Your phone number: until you withdraw your consent in /profile; it is then deleted."),
        "",
        _("These are the usual settings; whoever runs Rembug for your programme can change the number of days."),
    ]


def _rights(lang: str) -> list[str]:
    _ = translator(lang).gettext
    return [
        _("<b>⚖️ Your rights</b>"),
        _("You may know, copy, correct and erase your data, and withdraw your consent."),
        _(
            "• /mydata: a summary of everything held about you, a copy as PDF and JSON, and erasing it: your "
            "name, phone, home area, business and texts are removed; figures stay as anonymous numbers."
        ),
        _("• /profile: correct your profile, or withdraw consent for your phone number."),
        _("• Questions: write to your facilitators here; just type your message."),
    ]


SCREENS = {
    PrivacyPart.OVERVIEW: _overview,
    PrivacyPart.STORED: _stored,
    PrivacyPart.WHO: _who,
    PrivacyPart.KEPT: _kept,
    PrivacyPart.RIGHTS: _rights,
}


def privacy_screen(lang: str, part: PrivacyPart) -> tuple[str, InlineKeyboardMarkup]:
    """One screen of /privacy with buttons to the parts (the one shown is marked) and the main menu."""
    _ = translator(lang).gettext
    buttons = [
        InlineKeyboardButton(
            ("▸ " if shown is part else "") + part_label(lang, shown), callback_data=privacy_button_data(shown)
        )
        for shown in PARTS
    ]
    rows = [buttons[index : index + 2] for index in range(0, len(buttons), 2)]
    rows.append([InlineKeyboardButton(_("« Main menu"), callback_data=MENU_BUTTON)])
    return "\n".join(SCREENS[part](lang)), InlineKeyboardMarkup(rows)
