"""What the membership flows say, in the sender's language."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.flows import MENU_BUTTON
from bot.i18n import translator, zone_name
from bot.menu import N_
from conversations.membership.rules import (
    LIMITS,
    TIMEZONE_CHOICES,
    ChooseTimezone,
    MemberAction,
    Problem,
    member_button_data,
)
from storage.clusters import Cluster

STAKEHOLDER_LABELS = {
    "core_firm": N_("Core firm"),
    "leading_firm": N_("Leading firm"),
    "supplier": N_("Supporting industry or supplier"),
    "subcontractor": N_("Subcontractor"),
    "trader": N_("Trader or distributor"),
    "bds_provider": N_("BDS provider"),
    "cooperative": N_("Cooperative or association"),
    "government": N_("Government office"),
    "university": N_("University or research institute"),
    "bank": N_("Bank"),
    "other": N_("Other"),
}


def stakeholder_label(lang: str, key: str | None) -> str:
    """The stakeholder type in the person's language ("-" when not given)."""
    if not key:
        return "-"
    return translator(lang).gettext(STAKEHOLDER_LABELS.get(key, STAKEHOLDER_LABELS["other"]))


def _cancel_row(lang: str) -> list[InlineKeyboardButton]:
    _ = translator(lang).gettext
    return [InlineKeyboardButton(_("Cancel"), callback_data=MENU_BUTTON)]


def ask_new_cluster_field(lang: str, field: str, step: int, steps: int) -> tuple[str, InlineKeyboardMarkup]:
    """One question of /newcluster, with its progress."""
    _ = translator(lang).gettext
    questions = {
        "name": _("What is the cluster's name? (for example: Sentra Batik Laweyan)"),
        "regency": _("In which regency or city (kabupaten/kota) is it?"),
        "province": _("In which province?"),
        "industry": _("What is its core industry? (for example: batik, furniture, patchouli oil)"),
    }
    text = _("<b>New cluster</b> ({step}/{steps})").format(step=step, steps=steps) + "\n" + questions[field]
    return text, InlineKeyboardMarkup([_cancel_row(lang)])


def ask_timezone(lang: str, step: int, steps: int) -> tuple[str, InlineKeyboardMarkup]:
    """The time-zone question with WIB / WITA / WIT buttons."""
    _ = translator(lang).gettext
    text = (
        _("<b>New cluster</b> ({step}/{steps})").format(step=step, steps=steps)
        + "\n"
        + _("Which time zone? Meetings and reminders use it.")
    )
    row = [
        InlineKeyboardButton(name, callback_data=member_button_data(ChooseTimezone(name))) for name in TIMEZONE_CHOICES
    ]
    return text, InlineKeyboardMarkup([row, _cancel_row(lang)])


def review_new_cluster(lang: str, draft: dict) -> tuple[str, InlineKeyboardMarkup]:
    """The review screen before the cluster is created."""
    _ = translator(lang).gettext
    text = "\n".join(
        [
            _("<b>Check the new cluster</b>"),
            _("Name: {value}").format(value=escape(draft["name"])),
            _("Regency/city: {value}").format(value=escape(draft["regency"])),
            _("Province: {value}").format(value=escape(draft["province"])),
            _("Core industry: {value}").format(value=escape(draft["industry"])),
            _("Time zone: {value}").format(value=escape(draft["timezone"])),
            "",
            _("Is this right?"),
        ]
    )
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("✅ Create the cluster"), callback_data=member_button_data(MemberAction.CREATE_CLUSTER)
                )
            ],
            [InlineKeyboardButton(_("✏️ Start again"), callback_data=member_button_data(MemberAction.NEW_CLUSTER))],
            _cancel_row(lang),
        ]
    )
    return text, keyboard


def cluster_created(lang: str, cluster: Cluster, link: str) -> str:
    """Confirmation after /newcluster, with the invitation link."""
    _ = translator(lang).gettext
    return "\n".join(
        [
            _("✅ Cluster <b>{name}</b> is created. You are its facilitator.").format(name=escape(cluster.name)),
            _("{regency}, {province} · {zone}").format(
                regency=escape(cluster.regency), province=escape(cluster.province), zone=zone_name(cluster.timezone)
            ),
            "",
            _("Members join with this link: {link}").format(link=escape(link)),
            _("or by typing /join {code}").format(code=cluster.invite_code),
        ]
    )


def answer_problem(lang: str, problem: Problem, field: str) -> str:
    """Why a typed answer was not accepted, and what to do."""
    _ = translator(lang).gettext
    if problem is Problem.TOO_LONG:
        return _("That is too long: at most {limit} characters. Please type a shorter answer.").format(
            limit=LIMITS[field]
        )
    if problem is Problem.NOT_TEXT:
        return _("Please type the answer as text.")
    return _("The answer is empty. Please type it.")


def use_the_buttons(lang: str) -> str:
    """Text arrived where a button was expected."""
    _ = translator(lang).gettext
    return _("Please choose with the buttons below.")
