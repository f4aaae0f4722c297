"""What adopting the annual plan says: the facilitator's page of versions, the members' card with
Agree / Needs change, the answers, the meeting that adopted it, and the adopted version in full."""

from __future__ import annotations

from datetime import datetime
from html import escape

from telegram import InlineKeyboardMarkup

from bot.i18n import format_when, translator
from conversations.annual_plan.rules import PREFIX, Step, month_grid
from conversations.annual_plan.views import activity_line, b, month_name
from conversations.meetings.labels import kind_label
from conversations.organisation.rules import WINDOW_DAYS, Responses
from conversations.organisation.vision_views import ANSWER_LABELS, answer_label
from storage.annual_plans import PlanResponse, PlanVersion
from storage.meetings import Meeting

CARD_LINES = 30  # activities on a member's card; the rest are counted


def _back(lang: str, year: int) -> list:
    return [b(translator(lang).gettext("« Annual plan {year}").format(year=year), Step.HOME, year)]


def drafts_view(
    lang: str,
    year: int,
    versions: list[PlanVersion],
    timezone: str,
    responses: Responses | None,
    members: int,
    now: datetime,
    intro: str | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    """The facilitator's page: the newest version, how members answered, send a draft, adopt."""
    _ = translator(lang).gettext
    ngettext = translator(lang).ngettext
    lines = [intro, ""] if intro else []
    lines.append(_("📨 <b>Annual plan {year}: draft and adoption</b>").format(year=year))
    lines.append(
        _(
            "A draft is the year as it is now. Members answer Agree or Needs change, with a comment; a meeting then adopts it."
        )
    )
    rows = []
    if versions:
        latest = versions[0]
        if latest.status == "consulting" and now >= latest.closes_at:
            state = _("answers closed {when}").format(when=format_when(latest.closes_at, timezone, lang))
        elif latest.status == "consulting":
            state = _("members answer until {when}").format(when=format_when(latest.closes_at, timezone, lang))
        elif latest.status == "adopted":
            state = _("adopted")
        else:
            state = _("replaced by a later version")
        lines += ["", _("<b>Version {number}</b>").format(number=latest.number) + f": {state}"]
        if responses is not None:
            lines.append(
                _(
                    "👍 Agree: {agree} · ✏️ Needs change: {change} · comments: {comments} · no answer yet: {waiting}"
                ).format(
                    agree=responses.agree,
                    change=responses.change,
                    comments=responses.comments,
                    waiting=max(members - responses.agree - responses.change, 0),
                )
            )
        rows.append([b(_("💬 Answers and comments"), Step.RESPONSES, latest.id)])
        if latest.status != "adopted":
            rows.append([b(_("✅ Adopt version {number}").format(number=latest.number), Step.ASK_MEETING, latest.id)])
    number = versions[0].number + 1 if versions else 1
    lines += ["", _("Send version {number} to every member? How long may they answer?").format(number=number)]
    rows.append(
        [
            b(ngettext("📨 {days} day", "📨 {days} days", days).format(days=days), Step.PUBLISH, year, days)
            for days in WINDOW_DAYS
        ]
    )
    rows.append(_back(lang, year))
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def plan_lines(lang: str, version: PlanVersion, limit: int = CARD_LINES) -> list[str]:
    """The version's activities month by month (at most ``limit`` lines, the rest counted)."""
    _ = translator(lang).gettext
    lines: list[str] = []
    shown = 0
    for month, activities in month_grid(version.entries, version.year).items():
        if not activities:
            continue
        lines.append("<b>" + escape(month_name(lang, version.year, month)) + "</b>")
        for activity in activities:
            if shown < limit:
                lines.append(activity_line(lang, activity))
            shown += 1
    if shown > limit:
        lines.append(_("… and {count} more").format(count=shown - limit))
    return lines or [_("Nothing planned this month.")]


def card(
    lang: str, version: PlanVersion, cluster_name: str, timezone: str, given: str | None
) -> tuple[str, InlineKeyboardMarkup]:
    """The draft each member receives, with Agree / Needs change."""
    _ = translator(lang).gettext
    lines = [
        _("📅 <b>Draft annual plan {year} of {cluster}</b> (version {number})").format(
            year=version.year, cluster=escape(cluster_name), number=version.number
        ),
        "",
        *plan_lines(lang, version),
        "",
    ]
    when = format_when(version.closes_at, timezone, lang)
    if given:
        lines.append(
            _("Your answer: {answer}").format(answer=answer_label(lang, given))
            + " "
            + _("(you can change it until {when})").format(when=when)
        )
    else:
        lines.append(_("Do you agree? Please answer by {when}.").format(when=when))
    keyboard = InlineKeyboardMarkup(
        [
            [
                b(("• " if given == "agree" else "") + _("👍 Agree"), Step.AGREE, version.id),
                b(("• " if given == "change" else "") + _("✏️ Needs change"), Step.CHANGE, version.id),
            ]
        ]
    )
    return "\n".join(lines), keyboard


def nudge(lang: str, version: PlanVersion, cluster_name: str, timezone: str) -> tuple[str, InlineKeyboardMarkup]:
    """A reminder to those who have not answered, the day before the window closes."""
    _ = translator(lang).gettext
    head = _("⏰ Reminder: please answer the draft annual plan of {cluster} by {when}.").format(
        cluster=escape(cluster_name), when=format_when(version.closes_at, timezone, lang)
    )
    text, keyboard = card(lang, version, cluster_name, timezone, None)
    return head + "\n\n" + text, keyboard


def ask_comment(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """After "Needs change": what should change?"""
    _ = translator(lang).gettext
    return _("What should change? Type your comment in one message."), InlineKeyboardMarkup([[b(_("Skip"), Step.SKIP)]])


def closed_notice(
    lang: str, version: PlanVersion, responses: Responses, members: int
) -> tuple[str, InlineKeyboardMarkup]:
    """To the facilitator when the window closes."""
    _ = translator(lang).gettext
    text = _(
        "🔔 Answers to version {number} of the annual plan {year} are closed: 👍 {agree} agree, ✏️ {change} need change, {comments} comments, {waiting} did not answer."
    ).format(
        number=version.number,
        year=version.year,
        agree=responses.agree,
        change=responses.change,
        comments=responses.comments,
        waiting=max(members - responses.agree - responses.change, 0),
    )
    return text, InlineKeyboardMarkup([[b(_("📨 Draft and adoption"), Step.DRAFTS, version.year)]])


def responses_view(lang: str, version: PlanVersion, responses: list[PlanResponse]) -> tuple[str, InlineKeyboardMarkup]:
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
    return "\n".join(lines), InlineKeyboardMarkup([[b(_("« Back"), Step.DRAFTS, version.year)]])


def ask_meeting(
    lang: str, version: PlanVersion, meetings: list[Meeting], timezone: str
) -> tuple[str, InlineKeyboardMarkup]:
    """Which meeting confirmed the plan?"""
    _ = translator(lang).gettext
    back = [b(_("« Back"), Step.DRAFTS, version.year)]
    if not meetings:
        text = _("The annual plan is adopted at a meeting. Schedule that meeting first, then come back.")
        return text, InlineKeyboardMarkup([back])
    rows = [
        [
            b(
                f"{kind_label(lang, m.kind)}: {m.topic[:30]} · {format_when(m.starts_at, timezone, lang)}",
                Step.ADOPT,
                version.id,
                m.id,
            )
        ]
        for m in meetings
    ]
    rows.append(back)
    return _("Which meeting confirmed version {number}?").format(number=version.number), InlineKeyboardMarkup(rows)


def adopted_intro(lang: str, version: PlanVersion, topic: str) -> str:
    """After adopting."""
    return (
        translator(lang)
        .gettext(
            '✅ Version {number} of the annual plan {year} is adopted (meeting "{meeting}"). Members see it on the plan\'s page.'
        )
        .format(number=version.number, year=version.year, meeting=escape(topic))
    )


def sent_intro(lang: str, version: PlanVersion, count: int) -> str:
    """After sending a draft."""
    return (
        translator(lang)
        .ngettext(
            "✅ Version {number} is on its way to {count} member.",
            "✅ Version {number} is on its way to {count} members.",
            count,
        )
        .format(number=version.number, count=count)
    )


def adopted_view(
    lang: str, version: PlanVersion | None, year: int, timezone: str, topic: str
) -> tuple[str, InlineKeyboardMarkup]:
    """The adopted version in full, month by month."""
    _ = translator(lang).gettext
    if version is None or version.adopted_at is None:
        return _("Not adopted yet: no draft was sent to members."), InlineKeyboardMarkup([_back(lang, year)])
    lines = [
        _("📜 <b>Annual plan {year}, version {number}</b>").format(year=year, number=version.number),
        _('Adopted at the meeting "{meeting}" ({when}).').format(
            meeting=escape(topic), when=format_when(version.adopted_at, timezone, lang)
        ),
        "",
        *plan_lines(lang, version),
    ]
    return "\n".join(lines), InlineKeyboardMarkup([_back(lang, year)])


__all__ = ["PREFIX"]
