"""What the newsletter says: the channel's state, the chat pickers, the post itself, the review and notices."""

from __future__ import annotations

from html import escape

from telegram import (
    ChatAdministratorRights,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    KeyboardButtonRequestChat,
    ReplyKeyboardMarkup,
)

from bot.buttons import callback_data
from bot.flows import MENU_BUTTON
from bot.i18n import format_number, translator
from conversations.newsletter.rules import BODY_LIMIT, CHANNEL_REQUEST, GROUP_REQUEST, PREFIX, TITLE_LIMIT, Progress
from storage.channels import Channel

# What Telegram's picker asks for a channel: Rembug as an administrator who may post (and edit its posts).
POST_RIGHTS = ChatAdministratorRights(*(False,) * 11, can_post_messages=True, can_edit_messages=True)


def _b(label: str, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callback_data(PREFIX, *parts))


def _kind(lang: str, chat_type: str) -> str:
    _ = translator(lang).gettext
    return _("channel") if chat_type == "channel" else _("group")


def missing_text(lang: str, title: str, missing: tuple[str, ...]) -> str:
    """What the bot lacks in a channel or group, and what to do about it."""
    _ = translator(lang).gettext
    texts = {
        "admin": _(
            "Rembug is not an administrator of the channel “{title}”. Open the channel → Administrators → Add administrator → Rembug, with the right “Post messages”."
        ),
        "post_messages": _(
            "Rembug is an administrator of “{title}” but may not post. Open the channel → Administrators → Rembug and turn on “Post messages”."
        ),
        "member": _("Rembug is not in the group “{title}”. Add Rembug to the group again."),
        "send_messages": _(
            "Rembug may not send messages in the group “{title}”. Give it back the right to send messages (or make it an administrator)."
        ),
    }
    return "\n".join(texts[code].format(title=escape(title)) for code in missing)


def home(
    lang: str, channel: Channel | None, missing: tuple[str, ...] | None, firms: int
) -> tuple[str, InlineKeyboardMarkup]:
    """The newsletter's home: where it goes and whether Rembug can post there."""
    t = translator(lang)
    _ = t.gettext
    lines = [
        _("<b>Cluster newsletter</b>"),
        _(
            "The newsletter tells every firm of the cluster, members or not, how the cluster is doing. "
            "It goes to the cluster's Telegram channel or group and comes as a PDF to print or forward."
        ),
    ]
    if channel is None:
        lines.append(_("📣 No channel or group linked yet: the newsletter will only be a PDF."))
    elif missing is None:
        lines.append(
            _("📣 {kind} “{title}”: could not check Rembug's rights right now.").format(
                kind=_kind(lang, channel.chat_type).capitalize(), title=escape(channel.title)
            )
        )
    elif missing:
        lines.append(
            _("⚠️ {kind} “{title}”: Rembug cannot post there.").format(
                kind=_kind(lang, channel.chat_type).capitalize(), title=escape(channel.title)
            )
        )
        lines.append(missing_text(lang, channel.title, missing))
    else:
        lines.append(
            _("✅ {kind} “{title}”: Rembug can post there.").format(
                kind=_kind(lang, channel.chat_type).capitalize(), title=escape(channel.title)
            )
        )
    lines.append(
        t.ngettext("{count} firm on the firm list.", "{count} firms on the firm list.", firms).format(
            count=format_number(firms, lang)
        )
    )
    rows = [[_b(_("✍️ Write a newsletter"), "write")]]
    if channel is None:
        rows.append([_b(_("🔗 Link a channel or group"), "link")])
    else:
        rows.append([_b(_("🔄 Check again"), "home"), _b(_("🔗 Link another"), "link")])
        rows.append([_b(_("✂️ Unlink “{title}”").format(title=channel.title[:30]), "unlink")])
    rows.append([_b(_("📋 Firm list"), "p", 0), InlineKeyboardButton(_("« Menu"), callback_data=MENU_BUTTON)])
    return "\n\n".join(lines), InlineKeyboardMarkup(rows)


def pickers(lang: str) -> tuple[str, ReplyKeyboardMarkup]:
    """Telegram's own chat pickers: a channel where Rembug will post, or a group with Rembug in it."""
    _ = translator(lang).gettext
    channel = KeyboardButton(
        _("📣 Choose a channel"),
        request_chat=KeyboardButtonRequestChat(
            CHANNEL_REQUEST,
            chat_is_channel=True,
            request_title=True,
            bot_administrator_rights=POST_RIGHTS,
        ),
    )
    group = KeyboardButton(
        _("👥 Choose a group"),
        request_chat=KeyboardButtonRequestChat(
            GROUP_REQUEST,
            chat_is_channel=False,
            bot_is_member=True,
            request_title=True,
        ),
    )
    keyboard = ReplyKeyboardMarkup(
        [[channel], [group], [cancel_label(lang)]], resize_keyboard=True, one_time_keyboard=True
    )
    text = _(
        "Which chat should the newsletter go to? Tap a button and pick the cluster's channel or group. "
        "For a channel, Telegram will offer to make Rembug an administrator: allow “Post messages”."
    )
    return text, keyboard


def cancel_label(lang: str) -> str:
    """The reply-keyboard button that leaves the chat picker."""
    return translator(lang).gettext("✖️ Cancel")


def linked(lang: str, title: str, chat_type: str, missing: tuple[str, ...]) -> str:
    """After a chat was picked: linked, and whether Rembug can post there yet."""
    _ = translator(lang).gettext
    head = _("🔗 {kind} “{title}” is linked to the cluster.").format(
        kind=_kind(lang, chat_type).capitalize(), title=escape(title)
    )
    if not missing:
        return head + "\n" + _("✅ Rembug can post there.")
    return (
        head
        + "\n"
        + _("⚠️ Rembug cannot post there yet:")
        + "\n"
        + missing_text(lang, title, missing)
        + "\n"
        + _("Then tap “Check again”.")
    )


def ask(lang: str, step: str) -> tuple[str, InlineKeyboardMarkup]:
    """The newsletter's questions: its title, then its text."""
    _ = translator(lang).gettext
    cancel = InlineKeyboardMarkup([[InlineKeyboardButton(_("Cancel"), callback_data=MENU_BUTTON)]])
    if step == "title":
        return _(
            "<b>New newsletter</b>\nIts title? (at most {limit} characters, e.g. “Kabar Sentra, November 2026”)"
        ).format(limit=TITLE_LIMIT), cancel
    return _(
        "Now the text: what happened, what is planned, an invitation to join. At most {limit} characters; "
        "Rembug adds the cluster's figures below it."
    ).format(limit=format_number(BODY_LIMIT, lang)), cancel


def too_long(lang: str, what: str, length: int) -> str:
    """A title or text over its limit."""
    _ = translator(lang).gettext
    limit = TITLE_LIMIT if what == "title" else BODY_LIMIT
    return _("That is {length} characters; at most {limit} fit. Please shorten it and send it again.").format(
        length=format_number(length, lang), limit=format_number(limit, lang)
    )


def figure_lines(lang: str, figures: Progress) -> list[str]:
    """The cluster's figures, one plain line each (the post escapes them; the PDF prints them)."""
    t = translator(lang)
    n = lambda value: format_number(value, lang)  # noqa: E731
    lines = [
        t.ngettext(
            "👥 {count} member ({new} new in the last 3 months)",
            "👥 {count} members ({new} new in the last 3 months)",
            figures.members,
        ).format(count=n(figures.members), new=n(figures.new_members)),
        t.ngettext(
            "🏭 {count} firm in the cluster, {joined} of them in Rembug",
            "🏭 {count} firms in the cluster, {joined} of them in Rembug",
            figures.firms,
        ).format(count=n(figures.firms), joined=n(figures.firms_joined)),
        t.ngettext(
            "📅 {count} meeting in the last 3 months, {present} attendances",
            "📅 {count} meetings in the last 3 months, {present} attendances",
            figures.meetings_held,
        ).format(count=n(figures.meetings_held), present=n(figures.attendances)),
    ]
    if figures.priorities:
        lines.append(t.gettext("🎯 Priorities: {items}").format(items=", ".join(figures.priorities)))
    return lines


def figures_heading(lang: str) -> str:
    """Above the figures."""
    return translator(lang).gettext("The cluster in figures")


def join_line(lang: str, contact: str) -> str:
    """The invitation at the end."""
    return translator(lang).gettext("Would your firm like to join? Contact {name}.").format(name=contact)


def post(lang: str, title: str, body_html: str, cluster_name: str, figures: Progress, contact: str) -> str:
    """The newsletter as it is posted: title, text, the cluster's figures, how to join."""
    return "\n".join(
        [
            f"<b>{escape(title)}</b>",
            f"<i>{escape(cluster_name)}</i>",
            "",
            body_html,
            "",
            f"<b>{escape(figures_heading(lang))}</b>",
            *(escape(line) for line in figure_lines(lang, figures)),
            "",
            escape(join_line(lang, contact)),
        ]
    )


def review(lang: str, channel: Channel | None, missing: tuple[str, ...] | None) -> tuple[str, InlineKeyboardMarkup]:
    """Under the preview: where it will go, then send or PDF only."""
    _ = translator(lang).gettext
    rows = []
    if channel is not None and missing == ():
        text = _("☝️ This is the newsletter as it will appear in “{title}”. You also get it as a PDF.").format(
            title=escape(channel.title)
        )
        rows.append([_b(_("✅ Post it and make the PDF"), "go")])
    elif channel is not None:
        text = (
            _("☝️ This is the newsletter. Rembug cannot post in “{title}” now:").format(title=escape(channel.title))
            + "\n"
            + (
                missing_text(lang, channel.title, missing)
                if missing
                else _("its rights could not be checked; try again in a moment.")
            )
        )
        rows.append([_b(_("🔄 Check again"), "recheck")])
    else:
        text = _("☝️ This is the newsletter. No channel or group is linked, so it will be a PDF to print or forward.")
    rows.append([_b(_("📄 PDF only"), "pdf")])
    rows.append([InlineKeyboardButton(_("Cancel"), callback_data=MENU_BUTTON)])
    return text, InlineKeyboardMarkup(rows)


def posting(lang: str, title: str) -> str:
    """Right after confirming."""
    return (
        translator(lang)
        .gettext("📣 Posting the newsletter in “{title}”… I will tell you when it is out.")
        .format(title=escape(title))
    )


def already_posted(lang: str) -> str:
    """🔁 Post again, for a newsletter that is posted or still going out."""
    return translator(lang).gettext("This newsletter is already posted, or is going out now.")


def delivered(lang: str, newsletter_title: str, chat_title: str) -> str:
    """The outbox posted it."""
    return (
        translator(lang)
        .gettext("✅ The newsletter “{newsletter}” is out in “{chat}”.")
        .format(newsletter=escape(newsletter_title), chat=escape(chat_title))
    )


def not_delivered(
    lang: str, newsletter_id: int, newsletter_title: str, channel: Channel, missing: tuple[str, ...], reason: str
) -> tuple[str, InlineKeyboardMarkup]:
    """The post failed: lost rights (what to fix), or another fault; a button to post again."""
    _ = translator(lang).gettext
    head = _("⚠️ The newsletter “{newsletter}” could not be posted in “{chat}”.").format(
        newsletter=escape(newsletter_title), chat=escape(channel.title)
    )
    detail = (
        missing_text(lang, channel.title, missing)
        if missing
        else _("Telegram said: {reason}").format(reason=escape(reason))
    )
    tail = _("Nothing is lost: fix it, then tap “Post again”. The PDF is above.")
    return "\n".join([head, detail, tail]), InlineKeyboardMarkup([[_b(_("🔁 Post again"), "again", newsletter_id)]])


def rights_lost_warning(lang: str, channel: Channel, missing: tuple[str, ...]) -> str:
    """Telegram told the bot its rights changed in a linked chat."""
    _ = translator(lang).gettext
    return (
        _("⚠️ Rembug can no longer post the newsletter in “{title}”.").format(title=escape(channel.title))
        + "\n"
        + missing_text(lang, channel.title, missing)
    )


def unlinked(lang: str, title: str) -> str:
    """After unlinking."""
    return (
        translator(lang)
        .gettext("✂️ “{title}” is no longer the cluster's channel. Rembug stays in it until you remove it.")
        .format(title=escape(title))
    )


def problem(lang: str, key: str) -> str:
    """A short answer to a wrong step."""
    _ = translator(lang).gettext
    texts = {
        "text_please": _("Please type it as text."),
        "pick_please": _("Please pick the chat with the buttons below, or tap “✖️ Cancel”."),
        "private_chat": _("Please pick a channel or a group, not a person."),
    }
    return texts[key]


def pdf_caption(lang: str, title: str) -> str:
    """Under the PDF."""
    return translator(lang).gettext("📄 “{title}”, to print or forward.").format(title=escape(title))
