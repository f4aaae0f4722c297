"""What the annual plan says: the year's page, a month of the calendar, adding a training or a study
tour, the months a coordination meeting is intended, and what the facilitator added."""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from babel.dates import format_date
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.flows import MENU_BUTTON
from bot.i18n import format_when, translator
from bot.menu import N_
from conversations.annual_plan.rules import MIN_COORDINATION, PREFIX, Coordination, Step
from conversations.meetings.labels import kind_label
from storage.annual_plans import Event, PlanActivity, PlanVersion
from storage.meetings import Meeting

MONTH_LINES = 25  # activities listed on one month's page; the rest are counted
KIND_ICONS = {"action_plan": "📋", "training": "🎓", "study_tour": "🚌", "coordination": "🤝"}
EVENT_LABELS = {
    "action_plan": N_("Action plan activity"),
    "training": N_("Training"),
    "study_tour": N_("Study tour"),
    "coordination": N_("Coordination meeting (intended)"),
}
ADD_LABELS = {"training": N_("➕ Training"), "study_tour": N_("➕ Study tour")}


def b(label: str, step: Step, *parts: object) -> InlineKeyboardButton:
    """A button of the annual plan (``ap1:<step>:...``)."""
    return InlineKeyboardButton(label, callback_data=callback_data(PREFIX, step.value, *parts))


def month_name(lang: str, year: int, month: int) -> str:
    """``November 2026`` in ``lang``."""
    return format_date(date(year, month, 1), "LLLL y", locale=lang)


def kind_name(lang: str, kind: str) -> str:
    """What an activity is: a training, a study tour, a meeting of some kind..."""
    if kind in EVENT_LABELS:
        return translator(lang).gettext(EVENT_LABELS[kind])
    return kind_label(lang, kind)


def when_text(lang: str, activity: PlanActivity) -> str:
    """``12–14 Nov`` / ``12 Nov`` / ``Nov`` (some time in the month) / ``1 Mar – 30 Jun``."""
    first, last = activity.starts_on, activity.ends_on
    month_long = first.day == 1 and (first.year, first.month) == (last.year, last.month)
    if month_long and date.fromordinal(last.toordinal() + 1).day == 1 and activity.key.startswith("event:"):
        return format_date(first, "LLLL", locale=lang)
    if first == last:
        return format_date(first, "d MMM", locale=lang)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{format_date(last, 'd MMM', locale=lang)}"
    return f"{format_date(first, 'd MMM', locale=lang)} – {format_date(last, 'd MMM y', locale=lang)}"


def activity_line(lang: str, activity: PlanActivity) -> str:
    """One activity as a line of the calendar."""
    icon = KIND_ICONS.get(activity.kind, "📅")
    return f"{icon} {when_text(lang, activity)} · {escape(kind_name(lang, activity.kind))}: {escape(activity.title)}"


def coordination_lines(lang: str, count: Coordination) -> list[str]:
    """How many coordination meetings the year has, and the warning when fewer than four."""
    _ = translator(lang).gettext
    lines = [
        _(
            "🤝 Coordination meetings: {scheduled} scheduled, {intended} intended (FPESD: at least {minimum} a year)"
        ).format(scheduled=count.scheduled, intended=count.intended, minimum=MIN_COORDINATION)
    ]
    if count.short:
        lines.append(
            _("⚠️ Only {total} coordination meetings this year: plan at least {minimum}.").format(
                total=count.total, minimum=MIN_COORDINATION
            )
        )
    return lines


def status_line(
    lang: str, latest: PlanVersion | None, adopted: PlanVersion | None, timezone: str, meeting: str, now: datetime
) -> str:
    """Where the year's plan stands: the version in force, the draft members answer (or answered), or neither."""
    _ = translator(lang).gettext
    lines = []
    if adopted is not None and adopted.adopted_at:
        lines.append(
            _('✅ Version {number} adopted at the meeting "{meeting}" ({when}).').format(
                number=adopted.number, meeting=escape(meeting), when=format_when(adopted.adopted_at, timezone, lang)
            )
        )
    if latest is not None and latest.status == "consulting":
        when = format_when(latest.closes_at, timezone, lang)
        if now < latest.closes_at:
            lines.append(
                _("📝 Draft version {number}: members answer until {when}.").format(number=latest.number, when=when)
            )
        else:
            lines.append(
                _("📝 Draft version {number}: answers closed {when}; adopt it at a meeting.").format(
                    number=latest.number, when=when
                )
            )
    return "\n".join(lines) or _("Not adopted yet: no draft was sent to members.")


def home(
    lang: str,
    year: int,
    this_month: tuple[int, int],
    activities: list[PlanActivity],
    count: Coordination,
    status: str,
    changed: bool,
    has_adopted: bool,
    planner: bool,
) -> tuple[str, InlineKeyboardMarkup]:
    """The year's page: where the plan stands, what it holds, the way to the calendar and, for the
    facilitator, adding, downloads and adoption."""
    _ = translator(lang).gettext
    kinds = [a.kind for a in activities]
    lines = [_("📅 <b>Annual plan {year}</b>").format(year=year), "", status]
    if changed and planner:
        lines.append(_("✏️ The year has changed since the adopted version: send a new draft to members."))
    lines += [
        "",
        _("📋 Action plan activities: {plans} · 📅 Meetings scheduled: {meetings}").format(
            plans=kinds.count("action_plan"), meetings=sum(1 for a in activities if a.key.startswith("meeting:"))
        ),
        _("🎓 Trainings: {trainings} · 🚌 Study tours: {tours}").format(
            trainings=sum(1 for a in activities if a.kind == "training" and a.key.startswith("event:")),
            tours=sum(1 for a in activities if a.kind == "study_tour" and a.key.startswith("event:")),
        ),
        *coordination_lines(lang, count),
    ]
    year_now, month_now = this_month
    start = (year, month_now) if year == year_now else (year, 1)
    following = (start[0], start[1] + 1) if start[1] < 12 else (start[0] + 1, 1)
    rows = [
        [
            b(_("🗓 This month"), Step.MONTH, *start),
            b(_("Next month ▶"), Step.MONTH, *following),
        ]
    ]
    if has_adopted:
        rows.append([b(_("📜 Adopted version"), Step.ADOPTED, year)])
    if planner:
        rows.append([b(_(ADD_LABELS[kind]), Step.ADD, year, index) for index, kind in enumerate(ADD_LABELS)])
        rows.append([b(_("🤝 Coordination meetings"), Step.COORDINATION, year), b(_("🗑 Remove"), Step.EVENTS, year)])
        rows.append([b(_("⬇️ Excel"), Step.EXCEL, year), b(_("⬇️ PDF"), Step.PDF, year)])
        rows.append([b(_("📨 Draft and adoption"), Step.DRAFTS, year)])
    rows.append([b(f"« {year - 1}", Step.HOME, year - 1), b(f"{year + 1} »", Step.HOME, year + 1)])
    rows.append([InlineKeyboardButton(_("« Main menu"), callback_data=MENU_BUTTON)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def month_view(
    lang: str, year: int, month: int, activities: list[PlanActivity], count: Coordination
) -> tuple[str, InlineKeyboardMarkup]:
    """One month of the calendar, with the way to the months before and after."""
    _ = translator(lang).gettext
    lines = ["📅 <b>" + escape(month_name(lang, year, month)) + "</b>", ""]
    lines += [activity_line(lang, a) for a in activities[:MONTH_LINES]]
    if len(activities) > MONTH_LINES:
        lines.append(_("… and {count} more").format(count=len(activities) - MONTH_LINES))
    if not activities:
        lines.append(_("Nothing planned this month."))
    lines += ["", *coordination_lines(lang, count)]
    before = (year, month - 1) if month > 1 else (year - 1, 12)
    after = (year, month + 1) if month < 12 else (year + 1, 1)
    rows = [
        [
            b("◀ " + month_name(lang, *before), Step.MONTH, *before),
            b(month_name(lang, *after) + " ▶", Step.MONTH, *after),
        ],
        [b(_("« Annual plan {year}").format(year=year), Step.HOME, year)],
    ]
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def ask_title(lang: str, kind: str, year: int) -> tuple[str, InlineKeyboardMarkup]:
    """Ask the name of the training or study tour."""
    _ = translator(lang).gettext
    text = _("<b>{kind} in {year}</b>\nType its name, e.g. <i>Natural dyeing training</i>.").format(
        kind=escape(kind_name(lang, kind)), year=year
    )
    return text, InlineKeyboardMarkup([[b(_("Cancel"), Step.HOME, year)]])


def ask_month(lang: str, kind: str, title: str, year: int) -> tuple[str, InlineKeyboardMarkup]:
    """Which month (or type the dates)."""
    _ = translator(lang).gettext
    text = _(
        "<b>{title}</b> ({kind})\nIn which month of {year}? Or type the dates, e.g. <code>12-14/3</code> or <code>28/2-2/3</code>."
    ).format(title=escape(title), kind=escape(kind_name(lang, kind)), year=year)
    months = [b(format_date(date(year, m, 1), "LLL", locale=lang), Step.PICK_MONTH, m) for m in range(1, 13)]
    rows = [months[i : i + 4] for i in range(0, 12, 4)]
    rows.append([b(_("Cancel"), Step.HOME, year)])
    return text, InlineKeyboardMarkup(rows)


def dates_not_understood(lang: str) -> str:
    """Typed dates that do not read as dates of the year."""
    return translator(lang).gettext(
        "I could not read those dates. Tap a month, or type day/month, e.g. 12/3 or 12-14/3."
    )


def added(lang: str, activity: PlanActivity) -> str:
    """After adding a training or a study tour."""
    return translator(lang).gettext("✅ Added to the annual plan: {line}").format(line=activity_line(lang, activity))


def coordination_page(lang: str, year: int, months: set[int], count: Coordination) -> tuple[str, InlineKeyboardMarkup]:
    """Tick the months a regular coordination meeting is intended."""
    _ = translator(lang).gettext
    lines = [
        _("🤝 <b>Coordination meetings {year}</b>").format(year=year),
        _(
            "Tick the months a regular coordination meeting is intended. It is not a meeting yet: schedule it from Meetings when the date is set."
        ),
        "",
        *coordination_lines(lang, count),
    ]
    buttons = [
        b(
            ("☑️ " if m in months else "⬜ ") + format_date(date(year, m, 1), "LLL", locale=lang),
            Step.TOGGLE,
            year,
            m,
        )
        for m in range(1, 13)
    ]
    rows = [buttons[i : i + 3] for i in range(0, 12, 3)]
    rows.append([b(_("« Annual plan {year}").format(year=year), Step.HOME, year)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def events_page(
    lang: str, year: int, events: list[Event], intro: str | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """The trainings and study tours added to the year, each with a button to remove it."""
    _ = translator(lang).gettext
    lines = [intro, ""] if intro else []
    lines.append(_("🗑 <b>Trainings and study tours {year}</b>").format(year=year))
    shown = [e for e in events if e.kind in ("training", "study_tour")][:10]
    lines += [activity_line(lang, e.activity) for e in shown] or [_("None added yet.")]
    rows = [[b("🗑 " + e.title[:40], Step.REMOVE, e.id)] for e in shown]
    rows.append([b(_("« Annual plan {year}").format(year=year), Step.HOME, year)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def removed(lang: str, title: str) -> str:
    """After removing an event."""
    return translator(lang).gettext("Removed from the annual plan: {title}").format(title=escape(title))


def meeting_topic(meeting: Meeting | None) -> str:
    """The topic of the meeting that adopted a version ("-" when unknown)."""
    return meeting.topic if meeting else "-"
