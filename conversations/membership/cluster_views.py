"""What the profile card, cluster switching, invitations and appointments say."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.flows import MENU_BUTTON
from bot.i18n import translator
from conversations.membership.join_rules import WRONG_CODE_LIMIT, WRONG_CODE_WINDOW
from conversations.membership.rules import (
    Appoint,
    Appointment,
    MemberAction,
    PickAppointee,
    SwitchCluster,
    member_button_data,
)
from storage.join_attempts import WrongCodes
from storage.memberships import Membership

PAGE_SIZE = 8


def _menu_row(lang: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(translator(lang).gettext("« Main menu"), callback_data=MENU_BUTTON)]


def cluster_list(lang: str, choices: list[tuple[int, str]], current: int | None) -> tuple[str, InlineKeyboardMarkup]:
    """/cluster: the person's clusters, the current one ticked."""
    _ = translator(lang).gettext
    rows = [
        [
            InlineKeyboardButton(
                ("✓ " if cid == current else "") + name[:50], callback_data=member_button_data(SwitchCluster(cid))
            )
        ]
        for cid, name in choices
    ]
    return _("Which cluster do you want to work in?"), InlineKeyboardMarkup([*rows, _menu_row(lang)])


def no_clusters(lang: str) -> str:
    """/cluster without any cluster."""
    return translator(lang).gettext("You are not in any cluster yet. Ask your facilitator for the invitation link.")


def switched(lang: str, name: str) -> str:
    """After switching."""
    return translator(lang).gettext("You are now working in <b>{cluster}</b>.").format(cluster=escape(name))


def invitation(
    lang: str, cluster_name: str, link: str, code: str, wrong: WrongCodes | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """The invitation link and code, with QR and rotate buttons; ``wrong``: the bot's wrong codes this week."""
    _ = translator(lang).gettext
    lines = [
        _("<b>Invite members to {cluster}</b>").format(cluster=escape(cluster_name)),
        _("Send this link to members; it opens Rembug and starts joining:"),
        escape(link),
        "",
        _("Or they type: /join {code}").format(code=code),
    ]
    if wrong is not None:
        lines += ["", wrong_codes_line(lang, wrong)]
    text = "\n".join(lines)
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_("🔳 QR code to print"), callback_data=member_button_data(MemberAction.QR_CODE))],
            [
                InlineKeyboardButton(
                    _("🔄 New link (old one stops working)"), callback_data=member_button_data(MemberAction.ROTATE)
                )
            ],
            _menu_row(lang),
        ]
    )
    return text, keyboard


def wrong_codes_line(lang: str, wrong: WrongCodes) -> str:
    """Wrong codes typed anywhere in the bot this week: a wrong code names no cluster, so this one count is all."""
    translation = translator(lang)
    if not wrong.tries:
        return translation.gettext("No wrong invitation codes were typed in Rembug in the last 7 days.")
    text = translation.ngettext(
        "Wrong invitation codes typed in Rembug (all clusters) in the last 7 days: {tries}, by {people} person.",
        "Wrong invitation codes typed in Rembug (all clusters) in the last 7 days: {tries}, by {people} people.",
        wrong.people,
    ).format(tries=wrong.tries, people=wrong.people)
    limit = translation.gettext("Each person gets {limit} tries per {minutes} minutes.").format(
        limit=WRONG_CODE_LIMIT, minutes=int(WRONG_CODE_WINDOW.total_seconds() // 60)
    )
    return text + " " + limit


def qr_caption(lang: str, cluster_name: str, code: str) -> str:
    """Caption under the QR image."""
    _ = translator(lang).gettext
    return _("Scan to join {cluster} · code {code}").format(cluster=escape(cluster_name), code=code)


def confirm_rotate(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """Are you sure? Old links stop working."""
    _ = translator(lang).gettext
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("Yes, make a new link"), callback_data=member_button_data(MemberAction.ROTATE_CONFIRMED)
                )
            ],
            _menu_row(lang),
        ]
    )
    return _("Make a new invitation link? The old link and code will stop working."), keyboard


def roles_menu(lang: str, cluster_name: str) -> tuple[str, InlineKeyboardMarkup]:
    """Appointments a facilitator can make."""
    _ = translator(lang).gettext
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("➕ Add a facilitator"),
                    callback_data=member_button_data(PickAppointee(Appointment.FACILITATOR, 0)),
                )
            ],
            [
                InlineKeyboardButton(
                    _("📝 Appoint the secretary"),
                    callback_data=member_button_data(PickAppointee(Appointment.SECRETARY, 0)),
                )
            ],
            [
                InlineKeyboardButton(
                    _("🤝 Hand over to another facilitator"),
                    callback_data=member_button_data(PickAppointee(Appointment.HANDOVER, 0)),
                )
            ],
            _menu_row(lang),
        ]
    )
    return _("<b>Roles in {cluster}</b>\nWhom do you want to appoint?").format(cluster=escape(cluster_name)), keyboard


def pick_member(
    lang: str, role: Appointment, members: list[Membership], page: int, pages: int
) -> tuple[str, InlineKeyboardMarkup]:
    """A page of members to choose from for ``role``."""
    _ = translator(lang).gettext
    prompts = {
        Appointment.FACILITATOR: _("Who should also be a facilitator?"),
        Appointment.SECRETARY: _("Who should be the secretary? They will receive the digests."),
        Appointment.HANDOVER: _("Who takes over from you as facilitator? You will stay a member."),
    }
    rows = [
        [InlineKeyboardButton(m.full_name[:50], callback_data=member_button_data(Appoint(role, m.user_id)))]
        for m in members
    ]
    nav = []
    if page > 0:
        nav.append(
            InlineKeyboardButton(_("◀ Previous"), callback_data=member_button_data(PickAppointee(role, page - 1)))
        )
    if page + 1 < pages:
        nav.append(InlineKeyboardButton(_("Next ▶"), callback_data=member_button_data(PickAppointee(role, page + 1))))
    if nav:
        rows.append(nav)
    rows.append(_menu_row(lang))
    text = prompts[role] + "\n" + _("Page {page}/{pages}").format(page=page + 1, pages=max(pages, 1))
    return text, InlineKeyboardMarkup(rows)


def appointed(lang: str, role: Appointment, name: str) -> str:
    """Confirmation to the facilitator."""
    _ = translator(lang).gettext
    texts = {
        Appointment.FACILITATOR: _("✅ {name} is now a facilitator too."),
        Appointment.SECRETARY: _("✅ {name} is now the secretary."),
        Appointment.HANDOVER: _("✅ {name} is now the facilitator. You are a member now."),
    }
    return texts[role].format(name=escape(name))


def you_were_appointed(lang: str, role: Appointment, cluster_name: str) -> str:
    """Message to the person appointed."""
    _ = translator(lang).gettext
    texts = {
        Appointment.FACILITATOR: _("You are now a facilitator of <b>{cluster}</b>. Open /menu to see what you can do."),
        Appointment.SECRETARY: _("You are now the secretary of <b>{cluster}</b>. You will receive its digests."),
        Appointment.HANDOVER: _("You are now the facilitator of <b>{cluster}</b>. Open /menu to see what you can do."),
    }
    return texts[role].format(cluster=escape(cluster_name))


def not_a_member_any_more(lang: str) -> str:
    """The chosen person left meanwhile."""
    return translator(lang).gettext("That person is no longer a member of this cluster.")
