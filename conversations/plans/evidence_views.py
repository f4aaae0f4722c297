"""What evidence looks like: the count told to the owner, a plan's activities, an activity's page with
its progress reports (check-ins) and their evidence, and the names its files get in a download (localized)."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import translator
from conversations.plans import rules
from conversations.plans.views import ACTIVITY_STATUS, activity_line, button, day_text
from storage.action_plans import Activity, Plan
from storage.plan_checkins import CheckIn, Evidence

KIND_ICONS = {"photo": "🖼", "voice": "▶️", "document": "📄"}
PIECES_PER_ROW = 2


def evidence_summary(lang: str, kinds: list[str]) -> str:
    """``1 photo, 1 voice note``."""
    translation = translator(lang)
    words = {
        "photo": lambda n: translation.ngettext("{count} photo", "{count} photos", n),
        "voice": lambda n: translation.ngettext("{count} voice note", "{count} voice notes", n),
        "document": lambda n: translation.ngettext("{count} document", "{count} documents", n),
    }
    return ", ".join(words[kind](count).format(count=count) for kind, count in rules.evidence_counts(kinds))


def evidence_count(lang: str, kinds: list[str]) -> str:
    """``2 pieces of evidence: 1 photo, 1 voice note`` (or that there is none)."""
    translation = translator(lang)
    if not kinds:
        return translation.gettext("no evidence")
    return translation.ngettext(
        "{count} piece of evidence: {pieces}", "{count} pieces of evidence: {pieces}", len(kinds)
    ).format(count=len(kinds), pieces=evidence_summary(lang, kinds))


def evidence_saved(lang: str, kinds: list[str]) -> str:
    """After a photo or voice note as evidence: every piece the check-in now holds, counted."""
    translation = translator(lang)
    saved = translation.ngettext(
        "{count} piece of evidence saved: {pieces}.", "{count} pieces of evidence saved: {pieces}.", len(kinds)
    ).format(count=len(kinds), pieces=evidence_summary(lang, kinds))
    return (
        saved
        + "\n"
        + translation.gettext(
            "It is kept with your progress report. You can send another photo or voice note within 30 minutes."
        )
    )


def activity_list(lang: str, plan: Plan, activities: list[Activity]) -> tuple[str, InlineKeyboardMarkup]:
    """The plan's activities, each a button to its page ("📂 Activities" on the plan's card)."""
    _ = translator(lang).gettext
    lines = [_("<b>Activities of {title}</b>").format(title=escape(plan.title))]
    lines.append(_("Tap an activity to see its progress reports and their evidence.") if activities else "")
    shown = activities[: rules.PLAN_ACTIVITIES_PAGE]
    rows = [[button(activity.title[:40], "a", activity.id)] for activity in shown]
    if len(activities) > len(shown):
        lines.append(_("… and {count} more").format(count=len(activities) - len(shown)))
    rows.append([button(_("◀ Back"), "p", plan.id)])
    return "\n".join(line for line in lines if line), InlineKeyboardMarkup(rows)


def report_line(lang: str, checkin: CheckIn, pieces: list[Evidence] | None) -> str:
    """``Report #3 · 30 Nov 2026 · On track · 2 pieces of evidence: 1 photo, 1 voice note``; without
    ``pieces`` (not the facilitator's nor the owner's) the evidence is not told."""
    _ = translator(lang).gettext
    parts = [
        _("Report #{number}").format(number=checkin.id),
        day_text(checkin.period_start, lang),
        _(ACTIVITY_STATUS[checkin.status]),
    ]
    if pieces is not None:
        parts.append(evidence_count(lang, [piece.kind for piece in pieces]))
    return "• " + " · ".join(parts)


def activity_page(
    lang: str,
    plan: Plan,
    activity: Activity,
    reports: list[CheckIn],
    evidence: dict[int, list[Evidence]] | None,
) -> tuple[str, InlineKeyboardMarkup]:
    """An activity: owner and dates, its latest progress reports (newest first) with their evidence counted,
    and one button per piece that sends it back into the chat (``evidence`` None: not shown)."""
    _ = translator(lang).gettext
    lines = [
        f"<b>{escape(plan.title)}</b>",
        "▪️ " + activity_line(lang, activity),
        "",
        _("<b>Progress reports</b>"),
    ]
    newest = list(reversed(reports))[: rules.ACTIVITY_PAGE_REPORTS]
    if not newest:
        lines.append(_("No progress report yet."))
    lines += [report_line(lang, c, None if evidence is None else evidence.get(c.id, [])) for c in newest]
    if len(reports) > len(newest):
        lines.append(_("… and {count} more").format(count=len(reports) - len(newest)))
    pieces = [p for c in newest for p in (evidence or {}).get(c.id, [])]
    shown = pieces[: rules.ACTIVITY_PAGE_PIECES]
    if len(pieces) > len(shown):
        lines.append(_("The download of the plan has every piece of evidence."))
    buttons = [
        button(
            _("{icon} Report #{number} · {position}").format(
                icon=KIND_ICONS[p.kind], number=p.checkin_id, position=p.position
            ),
            "evs",
            p.id,
        )
        for p in shown
    ]
    rows: list[list[InlineKeyboardButton]] = [
        buttons[i : i + PIECES_PER_ROW] for i in range(0, len(buttons), PIECES_PER_ROW)
    ]
    rows.append([button(_("◀ Activities"), "acts", plan.id)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def piece_caption(lang: str, activity: Activity, piece: Evidence, total: int) -> str:
    """Under a piece of evidence sent back into the chat."""
    return (
        translator(lang)
        .gettext("Report #{number}, evidence {position} of {total}: {title}")
        .format(number=piece.checkin_id, position=piece.position, total=total, title=escape(activity.title))
    )


def evidence_gone(lang: str) -> str:
    """A piece of evidence Telegram no longer gives."""
    return translator(lang).gettext(
        "Telegram no longer has this file, so it cannot be shown. "
        "The person responsible can send it again with a progress report."
    )


def report_file_stem(lang: str, report: int, position: int, kind: str) -> str:
    """A piece of evidence's name in a download, without extension: ``laporan-003-1-foto``."""
    _ = translator(lang).gettext
    names = {
        "photo": _("report-{number}-{position}-photo"),
        "voice": _("report-{number}-{position}-voice"),
        "document": _("report-{number}-{position}-document"),
    }
    return names[kind].format(number=f"{report:03d}", position=position)
