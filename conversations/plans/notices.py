"""Short answers and messages of action plans: refusals, prompts, reminders, thanks (localized)."""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.i18n import format_when, translator, zone_name
from conversations.plans import rules
from conversations.plans.views import ACTIVITY_STATUS, button, day_text, indicator_line, menu_row
from storage.action_plans import Activity, Indicator, Plan
from storage.plan_checkins import CheckIn

NO_REPORT = "no_report"


def plan_closed(lang: str) -> str:
    """A plan that no longer takes changes or progress reports."""
    return translator(lang).gettext("This plan is closed; it takes no more changes or progress reports.")


def output_first(lang: str) -> str:
    """An indicator needs an output."""
    return translator(lang).gettext("Add an output first: an indicator measures an output.")


def questions_first(lang: str) -> str:
    """Activities need the plan's dates."""
    return translator(lang).gettext("Answer the plan's nine questions first: activities must fall within its dates.")


def owner_left(lang: str, name: str) -> str:
    """The member picked as owner has left the cluster."""
    return translator(lang).gettext("{name} has left the cluster. Please pick another owner.").format(name=name)


def saved(lang: str) -> str:
    """A setting was saved."""
    return translator(lang).gettext("Saved.")


def not_ready(lang: str) -> str:
    """Publishing (or evaluating) too early."""
    return translator(lang).gettext(
        "Not yet: the plan needs its nine answers and at least one activity with an owner, and must be published."
    )


def already_published(lang: str) -> str:
    """Publish tapped twice."""
    return translator(lang).gettext("This plan is already published.")


def published(lang: str) -> str:
    """After publishing."""
    return translator(lang).gettext("Published: the cluster is told, and owners get their progress reports.")


def published_letter(lang: str, cluster_name: str, plan: Plan) -> dict:
    """The outbox payload telling a member about a published plan."""
    _ = translator(lang).gettext
    text = _("📣 <b>{cluster}</b> has a new action plan: <b>{title}</b> ({start} – {end}).").format(
        cluster=escape(cluster_name),
        title=escape(plan.title),
        start=day_text(plan.starts_on, lang),
        end=day_text(plan.ends_on, lang),
    )
    keyboard = InlineKeyboardMarkup([[button(_("See the plan"), "p", plan.id)]])
    return {"kind": "text", "text": text, "reply_markup": keyboard.to_dict()}


def midterm_saved(lang: str, plan: Plan, change: bool) -> tuple[str, InlineKeyboardMarkup]:
    """After the mid-term evaluation."""
    _ = translator(lang).gettext
    text = _("The mid-term evaluation of <b>{title}</b> is saved.").format(title=escape(plan.title))
    rows = []
    if change:
        text += "\n" + _("You proposed an improvement: change the plan now; the current version stays readable.")
        rows.append([button(_("🛠 Change the plan"), "chg", plan.id)])
    rows.append([button(_("◀ Back"), "p", plan.id)])
    return text, InlineKeyboardMarkup(rows)


def checkin_heading(lang: str, activity: Activity, period: date, indicator: Indicator | None) -> str:
    """Above each question of a check-in."""
    _ = translator(lang).gettext
    lines = [
        _("<b>Progress report: {title}</b>").format(title=escape(activity.title)),
        _("Period from {day}").format(day=day_text(period, lang)),
    ]
    if indicator is not None:
        lines.append(_("Indicator: {line}").format(line=indicator_line(lang, indicator)))
    return "\n".join(lines)


def checkin_prompt(
    lang: str, kind: str, plan: Plan, activity: Activity, period: date
) -> tuple[str, InlineKeyboardMarkup]:
    """The check-in prompt (``prompt``, ``again`` after a snooze, ``overdue``)."""
    _ = translator(lang).gettext
    intro = {
        "prompt": _("🗓 Time for your progress report on <b>{title}</b> ({plan})."),
        "again": _("🔔 As you asked: your progress report on <b>{title}</b> ({plan})."),
        "overdue": _("⏰ Your progress report on <b>{title}</b> ({plan}) is overdue. It takes a minute."),
    }[kind]
    text = intro.format(title=escape(activity.title), plan=escape(plan.title))
    p = period.isoformat()
    keyboard = InlineKeyboardMarkup(
        [
            [button(_("✍️ Report now"), "ci", activity.id, p)],
            [button(_("Later today"), "sz", activity.id, p, "t"), button(_("Tomorrow"), "sz", activity.id, p, "m")],
            [button(_("🕘 Change the hour"), "hr", activity.id, p)],
        ]
    )
    return text, keyboard


def missed_twice(lang: str, plan: Plan, activity: Activity) -> str:
    """To the facilitator after the second missed report in a row."""
    return (
        translator(lang)
        .gettext("⚠️ {owner} has missed two progress reports in a row for “{title}” ({plan}). Perhaps give them a call?")
        .format(owner=escape(activity.owner_name or ""), title=escape(activity.title), plan=escape(plan.title))
    )


def already_reported(lang: str) -> str:
    """A second check-in for the same period."""
    return translator(lang).gettext("You already sent the progress report for this period. Thank you!")


def snoozed(lang: str, when: datetime, zone: str) -> str:
    """After a snooze."""
    return translator(lang).gettext("All right, I will ask again on {when}.").format(when=format_when(when, zone, lang))


def hour_choice(lang: str, activity: Activity, period: date) -> tuple[str, InlineKeyboardMarkup]:
    """The hours an owner may be asked at."""
    _ = translator(lang).gettext
    buttons = [button(f"{h:02d}.00", "hs", activity.id, period.isoformat(), h) for h in rules.CHECKIN_HOURS]
    return _("At what hour should I ask for your progress reports?"), InlineKeyboardMarkup([buttons])


def hour_saved(lang: str, hour: int, zone: str, activity: Activity, period: date) -> tuple[str, InlineKeyboardMarkup]:
    """After changing the hour: the report of this period can still be sent now."""
    _ = translator(lang).gettext
    text = _("From now on I will ask at {hour}.00 {zone}.").format(hour=f"{hour:02d}", zone=zone_name(zone))
    return text, InlineKeyboardMarkup(
        [[button(_("✍️ Report now"), "ci", activity.id, period.isoformat())], menu_row(lang)]
    )


def checkin_thanks(lang: str, activity: Activity, checkin_id: int) -> tuple[str, InlineKeyboardMarkup]:
    """After a check-in."""
    _ = translator(lang).gettext
    text = (
        _("✅ Thank you, your progress report on “{title}” is saved.").format(title=escape(activity.title))
        + "\n"
        + _("If you like, add a photo or a voice note as evidence.")
    )
    return text, InlineKeyboardMarkup(
        [
            [button(_("📎 Add a photo or voice note"), "ev", checkin_id)],
            [button(_("📋 My activities"), "mine")],
            menu_row(lang),
        ]
    )


def send_evidence(lang: str) -> str:
    """After tapping "Add a photo or voice note"."""
    return translator(lang).gettext("Send the photo or voice note now (within 30 minutes).")


def my_activities(
    lang: str, rows: list[tuple[Plan, Activity, date | None, CheckIn | None, bool]]
) -> tuple[str, InlineKeyboardMarkup]:
    """The sender's activities: the latest status and a way to report in the current period."""
    _ = translator(lang).gettext
    lines = [_("<b>My activities</b>")]
    if not rows:
        lines.append(_("You are not responsible for any activity."))
    keyboard = []
    for plan, activity, period, latest, reported in rows:
        key = latest.status if latest else NO_REPORT
        status = _(ACTIVITY_STATUS[key])
        lines.append(
            _("• {title} ({plan}): {status}").format(
                title=escape(activity.title), plan=escape(plan.title), status=status
            )
        )
        if period is not None and not reported:
            keyboard.append(
                [
                    button(
                        _("✍️ Report: {title}").format(title=activity.title[:30]), "ci", activity.id, period.isoformat()
                    )
                ]
            )
    keyboard.append([button(_("◀ Action plans"), "list")])
    return "\n".join(lines), InlineKeyboardMarkup(keyboard)


def midterm_due(lang: str, plan: Plan) -> tuple[str, InlineKeyboardMarkup]:
    """At a plan's midpoint."""
    _ = translator(lang).gettext
    text = _("🔍 <b>{title}</b> is halfway. Time for the mid-term evaluation with the people responsible.").format(
        title=escape(plan.title)
    )
    return text, InlineKeyboardMarkup([[button(_("🔍 Mid-term evaluation"), "mid", plan.id)]])


def quarter_prompt(
    lang: str, cluster, year: int, quarter: int, no_meeting: bool, facilitator: bool
) -> tuple[str, InlineKeyboardMarkup]:
    """At the start of a quarter."""
    _ = translator(lang).gettext
    text = _(
        "📅 <b>{cluster}</b>: quarter {quarter} of {year} begins. Please fill in the quarterly evaluation of last quarter."
    ).format(cluster=escape(cluster.name), quarter=quarter, year=year)
    rows = [
        [
            button(
                _("📝 Quarterly evaluation"),
                "qe",
                cluster.id,
                rules.quarter_key(*rules.previous_quarter(year, quarter)),
            )
        ]
    ]
    if no_meeting:
        text += "\n" + _("No coordination meeting was held last quarter: plan one soon (at least four a year).")
        if facilitator:
            rows.append(
                [
                    InlineKeyboardButton(
                        _("📅 Schedule a coordination meeting"), callback_data=callback_data("mt1", "new")
                    )
                ]
            )
    return text, InlineKeyboardMarkup(rows)


def year_end_prompt(lang: str, cluster, year: int, facilitator: bool) -> tuple[str, InlineKeyboardMarkup]:
    """At year end."""
    _ = translator(lang).gettext
    text = _(
        "🎯 <b>{cluster}</b>: the year {year} is ending. Time for the year-end evaluation, and to run the cluster-condition questionnaire (ANNEX-1) again so its trend shows."
    ).format(cluster=escape(cluster.name), year=year)
    rows = [[button(_("📝 Year-end evaluation"), "ye", cluster.id, year)]]
    if facilitator:
        rows.append(
            [InlineKeyboardButton(_("📊 Run the questionnaire again"), callback_data=callback_data("sv1", "new"))]
        )
    return text, InlineKeyboardMarkup(rows)


def already_evaluated(lang: str) -> str:
    """An evaluation prompt answered twice."""
    return translator(lang).gettext("You already sent this evaluation. Thank you!")


def evaluation_thanks(lang: str) -> str:
    """After an evaluation."""
    return translator(lang).gettext("✅ Thank you, the evaluation is saved.")
