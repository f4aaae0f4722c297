"""What drafting the vision and mission says: the facilitator's drafts, the members' card, answers and comments."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.flows import MENU_BUTTON
from bot.i18n import format_when, translator
from conversations.meetings.labels import kind_label
from conversations.organisation.rules import PREFIX, WINDOW_DAYS, Responses
from conversations.organisation.views import back_row
from storage.meetings import Meeting
from storage.organisation import VisionResponse, VisionVersion

PREVIEW = 1500
ANSWER_LABELS = {"agree": "👍", "change": "✏️"}


def _status(lang: str, version: VisionVersion, timezone: str, meeting: Meeting | None) -> str:
    _ = translator(lang).gettext
    if version.status == "adopted":
        where = escape(meeting.topic) if meeting else "-"
        when = format_when(version.adopted_at, timezone, lang) if version.adopted_at else "-"
        return _('Adopted at the meeting "{meeting}" ({when}).').format(meeting=where, when=when)
    if version.status == "superseded":
        return _("Replaced by a later version.")
    return _("Members answer until {when}.").format(when=format_when(version.closes_at, timezone, lang))


def drafts_view(
    lang: str,
    versions: list[VisionVersion],
    timezone: str,
    responses: Responses | None,
    members: int,
    meeting: Meeting | None,
    intro: str | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    """The facilitator's page: the newest version, how members answered, and what to do next."""
    _ = translator(lang).gettext
    lines = [intro, ""] if intro else []
    lines.append("✍️ <b>" + _("Vision and mission: drafts") + "</b>")
    rows = []
    if not versions:
        lines.append(_("No draft yet. Write the draft discussed at FGD-1; members answer it here."))
        rows.append([InlineKeyboardButton(_("✍️ Write the first draft"), callback_data=callback_data(PREFIX, "vd"))])
    else:
        latest = versions[0]
        text = latest.text if len(latest.text) <= PREVIEW else latest.text[:PREVIEW] + "…"
        lines += [
            "",
            _("<b>Version {number}</b>").format(number=latest.number),
            escape(text),
            "",
            _status(lang, latest, timezone, meeting),
        ]
        if responses is not None:
            answered = responses.agree + responses.change
            lines.append(
                _(
                    "👍 Agree: {agree} · ✏️ Needs change: {change} · comments: {comments} · no answer yet: {waiting}"
                ).format(
                    agree=responses.agree,
                    change=responses.change,
                    comments=responses.comments,
                    waiting=max(members - answered, 0),
                )
            )
        if len(versions) > 1:
            lines.append(
                _("Earlier versions: {numbers}").format(numbers=", ".join(str(v.number) for v in versions[1:]))
            )
        rows.append(
            [InlineKeyboardButton(_("💬 Answers and comments"), callback_data=callback_data(PREFIX, "vr", latest.id))]
        )
        rows.append(
            [
                InlineKeyboardButton(
                    _("✍️ Revise: version {number}").format(number=latest.number + 1),
                    callback_data=callback_data(PREFIX, "vd"),
                )
            ]
        )
        if latest.status != "adopted":
            rows.append(
                [
                    InlineKeyboardButton(
                        _("✅ Adopt version {number}").format(number=latest.number),
                        callback_data=callback_data(PREFIX, "vp", latest.id),
                    )
                ]
            )
    rows.append(back_row(lang))
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def ask_text(lang: str, number: int) -> tuple[str, InlineKeyboardMarkup]:
    """Ask the facilitator to type the draft."""
    _ = translator(lang).gettext
    text = _(
        "<b>Vision and mission, version {number}</b>\nType the whole text: the vision, then the mission. Members will read it and answer."
    ).format(number=number)
    return text, InlineKeyboardMarkup([[InlineKeyboardButton(_("Cancel"), callback_data=MENU_BUTTON)]])


def review(lang: str, number: int, text: str) -> tuple[str, InlineKeyboardMarkup]:
    """The typed draft, with how long members may answer."""
    _ = translator(lang).gettext
    lines = [
        _("<b>Version {number}</b>").format(number=number),
        escape(text),
        "",
        _(
            "Send it to every member? They answer Agree or Needs change, with a comment. How long may they answer? (Or type the text again to replace it.)"
        ),
    ]
    ngettext = translator(lang).ngettext
    buttons = [
        InlineKeyboardButton(
            ngettext("📨 {days} day", "📨 {days} days", days).format(days=days),
            callback_data=callback_data(PREFIX, "vs", days),
        )
        for days in WINDOW_DAYS
    ]
    return "\n".join(lines), InlineKeyboardMarkup(
        [buttons, [InlineKeyboardButton(_("Cancel"), callback_data=MENU_BUTTON)]]
    )


def sent_intro(lang: str, number: int, count: int) -> str:
    """After sending a draft."""
    return (
        translator(lang)
        .ngettext(
            "✅ Version {number} is on its way to {count} member.",
            "✅ Version {number} is on its way to {count} members.",
            count,
        )
        .format(number=number, count=count)
    )


def card(
    lang: str, version: VisionVersion, cluster_name: str, timezone: str, answer: str | None
) -> tuple[str, InlineKeyboardMarkup]:
    """The draft each member receives, with Agree / Needs change."""
    _ = translator(lang).gettext
    lines = [
        _("📝 <b>Draft vision and mission of {cluster}</b> (version {number})").format(
            cluster=escape(cluster_name), number=version.number
        ),
        "",
        escape(version.text),
        "",
    ]
    if answer:
        lines.append(
            _("Your answer: {answer}").format(answer=answer_label(lang, answer))
            + " "
            + _("(you can change it until {when})").format(when=format_when(version.closes_at, timezone, lang))
        )
    else:
        lines.append(
            _("Do you agree? Please answer by {when}.").format(when=format_when(version.closes_at, timezone, lang))
        )
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    ("• " if answer == "agree" else "") + _("👍 Agree"),
                    callback_data=callback_data(PREFIX, "va", version.id),
                ),
                InlineKeyboardButton(
                    ("• " if answer == "change" else "") + _("✏️ Needs change"),
                    callback_data=callback_data(PREFIX, "vc", version.id),
                ),
            ]
        ]
    )
    return "\n".join(lines), keyboard


def answer_label(lang: str, answer: str) -> str:
    """Agree / Needs change."""
    _ = translator(lang).gettext
    return _("👍 Agree") if answer == "agree" else _("✏️ Needs change")


def saved(lang: str, answer: str) -> str:
    """Toast after answering."""
    return translator(lang).gettext("Saved: {answer}").format(answer=answer_label(lang, answer))


def ask_comment(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """After "Needs change": what should change?"""
    _ = translator(lang).gettext
    text = _("What should change? Type your comment in one message.")
    return text, InlineKeyboardMarkup([[InlineKeyboardButton(_("Skip"), callback_data=callback_data(PREFIX, "vk"))]])


def comment_saved(lang: str) -> str:
    """After the comment."""
    return translator(lang).gettext("Thank you. Your comment is saved for the facilitator.")


def nudge(lang: str, version: VisionVersion, cluster_name: str, timezone: str) -> tuple[str, InlineKeyboardMarkup]:
    """A reminder to those who have not answered, the day before the window closes."""
    _ = translator(lang).gettext
    head = _("⏰ Reminder: please answer the draft vision and mission of {cluster} by {when}.").format(
        cluster=escape(cluster_name), when=format_when(version.closes_at, timezone, lang)
    )
    text, keyboard = card(lang, version, cluster_name, timezone, None)
    return head + "\n\n" + text, keyboard


def closed_notice(
    lang: str, version: VisionVersion, responses: Responses, members: int
) -> tuple[str, InlineKeyboardMarkup]:
    """To the facilitator when the window closes."""
    _ = translator(lang).gettext
    text = _(
        "🔔 Answers to version {number} of the vision and mission are closed: 👍 {agree} agree, ✏️ {change} need change, {comments} comments, {waiting} did not answer."
    ).format(
        number=version.number,
        agree=responses.agree,
        change=responses.change,
        comments=responses.comments,
        waiting=max(members - responses.agree - responses.change, 0),
    )
    return text, InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("✍️ Vision and mission"), callback_data=callback_data(PREFIX, "vm"))]]
    )


def responses_view(
    lang: str, version: VisionVersion, responses: list[VisionResponse]
) -> tuple[str, InlineKeyboardMarkup]:
    """Who answered what, with the comments."""
    _ = translator(lang).gettext
    lines = [_("<b>Answers to version {number}</b>").format(number=version.number), ""]
    for response in responses:
        line = f"{ANSWER_LABELS[response.answer]} {escape(response.full_name)}"
        if response.comment:
            line += ": <i>" + escape(response.comment) + "</i>"
        if sum(len(item) for item in lines) + len(line) > 3500:
            lines.append("…")
            break
        lines.append(line)
    if not responses:
        lines.append(_("No answers yet."))
    return "\n".join(lines), InlineKeyboardMarkup([back_row(lang, callback_data(PREFIX, "vm"))])


def ask_meeting(
    lang: str, version: VisionVersion, meetings: list[Meeting], timezone: str
) -> tuple[str, InlineKeyboardMarkup]:
    """Which meeting confirmed the vision and mission?"""
    _ = translator(lang).gettext
    if not meetings:
        text = _(
            "The vision and mission are adopted at a meeting (FGD-1). Schedule that meeting first, then come back."
        )
        return text, InlineKeyboardMarkup([back_row(lang, callback_data(PREFIX, "vm"))])
    text = _("Which meeting confirmed version {number}?").format(number=version.number)
    rows = [
        [
            InlineKeyboardButton(
                f"{kind_label(lang, m.kind)}: {m.topic[:30]} · {format_when(m.starts_at, timezone, lang)}",
                callback_data=callback_data(PREFIX, "vpm", version.id, m.id),
            )
        ]
        for m in meetings
    ]
    rows.append(back_row(lang, callback_data(PREFIX, "vm")))
    return text, InlineKeyboardMarkup(rows)


def adopted_intro(lang: str, number: int, topic: str) -> str:
    """After adopting."""
    return (
        translator(lang)
        .gettext(
            '✅ Version {number} is adopted (meeting "{meeting}"). Everyone in the cluster reads it on the organisation\'s page.'
        )
        .format(number=number, meeting=escape(topic))
    )
