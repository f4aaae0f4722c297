"""What joining, the profile and leaving say, in the person's language."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.flows import MENU_BUTTON
from bot.i18n import format_day, translator
from conversations.membership.rules import (
    PROFILE_FIELDS,
    STAKEHOLDER_TYPES,
    ChooseStakeholder,
    EditField,
    MemberAction,
    member_button_data,
)
from conversations.membership.views import stakeholder_label
from storage.consents import Consent
from storage.memberships import Membership


def _cancel(lang: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(translator(lang).gettext("Cancel"), callback_data=MENU_BUTTON)]


def ask_field(
    lang: str, field: str, cluster_name: str, draft: dict
) -> tuple[str, InlineKeyboardMarkup | ReplyKeyboardMarkup]:
    """One profile question, with the buttons that fit it."""
    _ = translator(lang).gettext
    step = PROFILE_FIELDS.index(field) + 1
    head = _("<b>Profile for {cluster}</b> ({step}/{steps})").format(
        cluster=escape(cluster_name), step=step, steps=len(PROFILE_FIELDS)
    )
    if field == "full_name":
        text = head + "\n" + _("What is your full name? Type it, or keep the name below.")
        keep = InlineKeyboardButton(
            _("✅ Keep: {name}").format(name=draft.get("telegram_name", ""))[:60],
            callback_data=member_button_data(MemberAction.KEEP_NAME),
        )
        return text, InlineKeyboardMarkup([[keep], _cancel(lang)])
    if field == "home_area":
        text = head + "\n" + _("Where is your home area or village? (for example: Desa Laweyan)")
        return text, InlineKeyboardMarkup([_cancel(lang)])
    if field == "core_business":
        text = head + "\n" + _("What is your core business? (for example: batik tulis, dyeing, selling fabric)")
        return text, InlineKeyboardMarkup([_cancel(lang)])
    if field == "stakeholder_type":
        text = head + "\n" + _("Which describes you best?")
        buttons = [
            InlineKeyboardButton(stakeholder_label(lang, key), callback_data=member_button_data(ChooseStakeholder(key)))
            for key in STAKEHOLDER_TYPES
        ]
        rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
        return text, InlineKeyboardMarkup([*rows, _cancel(lang)])
    text = "\n".join(
        [
            head,
            _(
                "Would you like to share your phone number? Then the facilitator can call you if a message does not arrive."
            ),
            _(
                "Only the facilitators of {cluster} see it (and whoever sent you an announcement that did not "
                "reach you). It is optional: press Skip to go on without it."
            ).format(cluster=escape(cluster_name)),
            _(
                "Sharing it is your consent (saved with its date). Withdraw it in /profile at any time: "
                "the number is then deleted."
            ),
        ]
    )
    keyboard = ReplyKeyboardMarkup(
        [[KeyboardButton(_("📱 Share my number"), request_contact=True)], [KeyboardButton(_("Skip"))]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
    return text, keyboard


def stakeholder_chosen(lang: str, cluster_name: str, draft: dict) -> str:
    """The stakeholder question once answered: it stays on screen with the choice marked ✅ (no buttons)."""
    question, _keyboard = ask_field(lang, "stakeholder_type", cluster_name, {})
    return question + "\n✅ " + escape(stakeholder_label(lang, draft.get("stakeholder_type")))


def join_intro(lang: str, cluster_name: str) -> str:
    """Two lines before the first question after an invitation: what Rembug is and who invites."""
    _ = translator(lang).gettext
    return "\n".join(
        [
            _("👋 Rembug is the assistant of your cluster (sentra): meetings, questionnaires and news on your phone."),
            _("<b>{cluster}</b> invites you to join. First, a few short questions for your profile.").format(
                cluster=escape(cluster_name)
            ),
            _("🔒 What Rembug keeps and who sees it: /privacy"),
        ]
    )


def skip_label(lang: str) -> str:
    """The Skip button's text (compared with what the person sends)."""
    return translator(lang).gettext("Skip")


def profile_lines(lang: str, profile: dict) -> list[str]:
    """The profile as lines of text."""
    _ = translator(lang).gettext
    return [
        _("Name: {value}").format(value=escape(profile.get("full_name") or "-")),
        _("Home area: {value}").format(value=escape(profile.get("home_area") or "-")),
        _("Core business: {value}").format(value=escape(profile.get("core_business") or "-")),
        _("Type: {value}").format(value=stakeholder_label(lang, profile.get("stakeholder_type"))),
        _("Phone: {value}").format(value=escape(profile.get("phone") or _("not shared"))),
    ]


def review(lang: str, cluster_name: str, draft: dict, joining: bool) -> tuple[str, InlineKeyboardMarkup]:
    """The review screen: the answers, Confirm, and a way to change each one."""
    _ = translator(lang).gettext
    title = _("<b>Check your profile for {cluster}</b>").format(cluster=escape(cluster_name))
    text = "\n".join([title, *profile_lines(lang, draft), "", _("Is this right?")])
    confirm = _("✅ Join the cluster") if joining else _("✅ Save")
    labels = {
        "full_name": _("✏️ Name"),
        "home_area": _("✏️ Home area"),
        "core_business": _("✏️ Business"),
        "stakeholder_type": _("✏️ Type"),
        "phone": _("✏️ Phone"),
    }
    edits = [InlineKeyboardButton(labels[f], callback_data=member_button_data(EditField(f))) for f in PROFILE_FIELDS]
    rows = [[InlineKeyboardButton(confirm, callback_data=member_button_data(MemberAction.CONFIRM_PROFILE))]]
    rows += [edits[i : i + 3] for i in range(0, len(edits), 3)]
    rows.append(_cancel(lang))
    return text, InlineKeyboardMarkup(rows)


def noted(lang: str) -> str:
    """A short acknowledgement that also clears the phone keyboard."""
    return translator(lang).gettext("Noted.")


def welcome(lang: str, cluster_name: str) -> str:
    """After joining."""
    _ = translator(lang).gettext
    return _("🎉 Welcome to <b>{cluster}</b>! You are now a member.").format(cluster=escape(cluster_name))


def profile_saved(lang: str) -> str:
    """After editing the profile."""
    return translator(lang).gettext("✅ Your profile is saved.")


def invalid_code(lang: str) -> str:
    """Wrong or rotated invitation code."""
    _ = translator(lang).gettext
    return _("This invitation code is not valid (any more). Check it with your facilitator.")


def too_many_codes(lang: str, minutes: int) -> str:
    """Too many wrong invitation codes: how long to wait, and the easier way in."""
    ngettext = translator(lang).ngettext
    text = ngettext(
        "⏳ Too many wrong invitation codes. Please wait {minutes} minute and try again, "
        "or ask your facilitator for the invitation link.",
        "⏳ Too many wrong invitation codes. Please wait {minutes} minutes and try again, "
        "or ask your facilitator for the invitation link.",
        minutes,
    )
    return text.format(minutes=minutes)


def ask_code(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """Ask for the invitation code."""
    _ = translator(lang).gettext
    return _("Type the invitation code your facilitator gave you (for example: K7XQ2MBT)."), InlineKeyboardMarkup(
        [_cancel(lang)]
    )


def already_member(lang: str, cluster_name: str) -> str:
    """Joining a cluster twice."""
    _ = translator(lang).gettext
    return _("You are already a member of <b>{cluster}</b>.").format(cluster=escape(cluster_name))


def not_own_contact(lang: str) -> str:
    """A contact card of somebody else."""
    _ = translator(lang).gettext
    return _("That is someone else's number. Press “📱 Share my number” to share your own, or Skip.")


def use_phone_buttons(lang: str) -> str:
    """Typed text at the phone question."""
    _ = translator(lang).gettext
    return _("Please press “📱 Share my number” or Skip below.")


def phone_consent_lines(lang: str, phone: str | None, consent: Consent | None, timezone: str) -> list[str]:
    """Under the profile's phone: since when the facilitators may have it, or that nobody sees it yet."""
    _ = translator(lang).gettext
    if not phone:
        return []
    if consent is not None:
        return [
            _("🔒 You agreed on {day} that the facilitators may have it.").format(
                day=format_day(consent.given_at, timezone, lang)
            )
        ]
    # A number stored before consents were asked: hidden until the person decides.
    return [
        _("🔒 Nobody sees this number until you agree: it is in no list or download."),
        _("Agree if the facilitators may call you on it when a message does not reach you."),
    ]


def phone_buttons(lang: str, phone: str | None, consent: Consent | None) -> list[list[InlineKeyboardButton]]:
    """Withdraw the phone consent; or, for a number nobody agreed to yet, agree or delete it."""
    _ = translator(lang).gettext
    if not phone:
        return []
    withdraw = member_button_data(MemberAction.PHONE_WITHDRAW)
    if consent is not None:
        return [[InlineKeyboardButton(_("🚫 Withdraw consent for my phone number"), callback_data=withdraw)]]
    agree = member_button_data(MemberAction.PHONE_AGREE)
    return [
        [
            InlineKeyboardButton(_("✅ I agree"), callback_data=agree),
            InlineKeyboardButton(_("🗑 Delete my number"), callback_data=withdraw),
        ]
    ]


def profile_card(
    lang: str, cluster_name: str, timezone: str, membership: Membership, consent: Consent | None
) -> tuple[str, InlineKeyboardMarkup]:
    """/profile: the person's profile in their current cluster, with what their phone consent is."""
    _ = translator(lang).gettext
    profile = {field: getattr(membership, field) for field in PROFILE_FIELDS}
    lines = [_("<b>Your profile in {cluster}</b>").format(cluster=escape(cluster_name)), *profile_lines(lang, profile)]
    lines += phone_consent_lines(lang, membership.phone, consent, timezone)
    if membership.small_group_name:
        lines.append(_("Small group: {value}").format(value=escape(membership.small_group_name)))
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("✏️ Change my profile"), callback_data=member_button_data(MemberAction.EDIT_PROFILE)
                )
            ],
            *phone_buttons(lang, membership.phone, consent),
            [InlineKeyboardButton(_("🚪 Leave this cluster"), callback_data=member_button_data(MemberAction.LEAVE))],
            [InlineKeyboardButton(_("« Main menu"), callback_data=MENU_BUTTON)],
        ]
    )
    return "\n".join(lines), keyboard


def phone_withdrawn(lang: str) -> str:
    """After withdrawing the phone consent."""
    _ = translator(lang).gettext
    return _(
        "✅ Consent withdrawn. Your phone number is deleted: the facilitators no longer see it in any list or download."
    )


def phone_agreed(lang: str) -> str:
    """After agreeing that the facilitators may have a number stored before."""
    _ = translator(lang).gettext
    return _("✅ Thank you. The facilitators may now see your number; you can withdraw this here at any time.")


def confirm_leave(lang: str, cluster_name: str) -> tuple[str, InlineKeyboardMarkup]:
    """Are you sure you want to leave?"""
    _ = translator(lang).gettext
    text = _("Leave <b>{cluster}</b>? You will no longer receive its messages. Your history is kept.").format(
        cluster=escape(cluster_name)
    )
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_("Yes, leave"), callback_data=member_button_data(MemberAction.LEAVE_CONFIRMED))],
            [InlineKeyboardButton(_("No, stay"), callback_data=MENU_BUTTON)],
        ]
    )
    return text, keyboard


def left(lang: str, cluster_name: str) -> str:
    """After leaving."""
    _ = translator(lang).gettext
    return _("You have left <b>{cluster}</b>. You can join again with an invitation.").format(
        cluster=escape(cluster_name)
    )


def not_in_cluster(lang: str) -> str:
    """/profile without a cluster."""
    _ = translator(lang).gettext
    return _("You are not in a cluster yet. Ask your facilitator for the invitation link.")
