"""What action plans look like: the plan list, a plan's card, owners, versions (localized)."""

from __future__ import annotations

from datetime import date
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.flows import MENU_BUTTON
from bot.i18n import format_local_date, format_number, translator
from bot.menu import N_
from conversations.plans.rules import PREFIX
from storage.action_plans import Activity, Indicator, Output, Plan, Version
from storage.brainstorm_votes import ShortlistItem

STATUS_NAMES = {
    "draft": N_("draft"),
    "published": N_("published"),
    "closed": N_("closed"),
}
ACTIVITY_STATUS = {
    "not_started": N_("Not started"),
    "on_track": N_("On track"),
    "at_risk": N_("At risk"),
    "blocked": N_("Blocked"),
    "done": N_("Done"),
    "no_report": N_("No report yet"),
}
CADENCE_NAMES = {"weekly": N_("every week"), "biweekly": N_("every two weeks"), "monthly": N_("every month")}
CARD_ACTIVITIES = 12  # activities listed on a plan's card
LEVEL_NAMES = {"district": N_("District/city"), "province": N_("Province"), "central": N_("Central")}


def button(label: str, *parts: object) -> InlineKeyboardButton:
    """A button of this flow."""
    return InlineKeyboardButton(label, callback_data=callback_data(PREFIX, *parts))


def menu_row(lang: str) -> list[InlineKeyboardButton]:
    """The way back to the main menu."""
    return [InlineKeyboardButton(translator(lang).gettext("« Main menu"), callback_data=MENU_BUTTON)]


def day_text(day: date | None, lang: str) -> str:
    """A date as people read it, or a dash."""
    return format_local_date(day, lang) if day else "–"


def plan_list(lang: str, plans: list[Plan], may_run: bool) -> tuple[str, InlineKeyboardMarkup]:
    """The cluster's plans (the "Action plans" menu entry)."""
    _ = translator(lang).gettext
    lines = [_("<b>Action plans</b>")]
    if not plans:
        lines.append(_("No action plan yet."))
    rows = []
    for plan in plans:
        lines.append(f"• {escape(plan.title)} ({_(STATUS_NAMES[plan.status])})")
        rows.append([button(plan.title[:40], "p", plan.id)])
    rows.append([button(_("📋 My activities"), "mine")])
    if may_run:
        rows.append([button(_("➕ New plan"), "new")])
        rows.append([button(_("🖨 Paper forms"), "ppr")])
    rows.append(menu_row(lang))
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def paper_forms(lang: str, titles: list[str]) -> tuple[str, InlineKeyboardMarkup]:
    """The blank forms a facilitator can print: the action plan's questions and the evaluations."""
    _ = translator(lang).gettext
    text = _("🖨 <b>Paper forms</b>\nBlank forms to print and fill in by hand at a meeting. Tap one to get it as a PDF.")
    rows = [[button(title[:60], "ppr", number)] for number, title in enumerate(titles)]
    rows.append([button(_("◀ Back"), "list")])
    return text, InlineKeyboardMarkup(rows)


def paper_caption(lang: str, title: str) -> str:
    """Under a blank form sent to print."""
    return translator(lang).gettext("🖨 “{title}”, a blank form to print.").format(title=escape(title))


def choose_source(lang: str, shortlist: list[ShortlistItem]) -> tuple[str, InlineKeyboardMarkup]:
    """Start from a shortlisted theme or from scratch."""
    _ = translator(lang).gettext
    text = _("<b>New action plan</b>\nStart from a theme of the shortlist, or from scratch.")
    rows = [[button(f"⭐ {item.title[:40]}", "src", item.theme_id)] for item in shortlist[:10]]
    rows.append([button(_("✏️ From scratch"), "src", 0)])
    rows.append(menu_row(lang))
    return text, InlineKeyboardMarkup(rows)


def heading(lang: str, title: str, form_title: str) -> str:
    """The line above each question of a plan's form."""
    return f"<b>{escape(title)}</b>\n<i>{escape(form_title)}</i>"


def plan_card(
    lang: str, plan: Plan, outputs: list[Output], indicators: list[Indicator], activities: list[Activity], may_run: bool
) -> tuple[str, InlineKeyboardMarkup]:
    """A plan: its answers, its PDM and what the facilitator can do next."""
    _ = translator(lang).gettext
    lines = [
        f"<b>{escape(plan.title)}</b>",
        _("Status: {status} · version {version}").format(status=_(STATUS_NAMES[plan.status]), version=plan.version),
        _("When: {start} – {end}").format(start=day_text(plan.starts_on, lang), end=day_text(plan.ends_on, lang)),
    ]
    if plan.budget is not None:
        lines.append(_("Budget: Rp {amount}").format(amount=format_number(plan.budget, lang)))
    if plan.supporter:
        lines.append(_("Supporter: {name}").format(name=escape(plan.supporter)))
    if plan.executing_level:
        lines.append(_("Executing level: {level}").format(level=_(LEVEL_NAMES[plan.executing_level])))
    lines.append(_("Progress reports: {cadence}").format(cadence=_(CADENCE_NAMES[plan.cadence])))
    if plan.goal:
        lines += [
            "",
            _("<b>Goal:</b> {text}").format(text=escape(plan.goal)),
            _("<b>Purpose:</b> {text}").format(text=escape(plan.purpose or "")),
        ]
    for number, output in enumerate(outputs, start=1):
        lines.append(_("<b>Output {n}:</b> {text}").format(n=number, text=escape(output.text)))
        for indicator in (i for i in indicators if i.output_id == output.id):
            lines.append("   " + indicator_line(lang, indicator))
    for activity in activities[:CARD_ACTIVITIES]:  # one screen: the download has every activity
        lines.append("▪️ " + activity_line(lang, activity))
    if len(activities) > CARD_ACTIVITIES:
        lines.append(_("… and {count} more").format(count=format_number(len(activities) - CARD_ACTIVITIES, lang)))
    rows: list[list[InlineKeyboardButton]] = []
    if may_run and plan.status != "closed":
        rows.append([button(_("🎯 Goal and purpose"), "pdm", plan.id), button(_("➕ Output"), "out", plan.id)])
        rows.append([button(_("➕ Indicator"), "ind", plan.id), button(_("➕ Activity"), "act", plan.id)])
        if plan.status == "draft":
            rows.append([button(_(CADENCE_NAMES[c]), "cad", plan.id, c[0]) for c in ("weekly", "biweekly", "monthly")])
            rows.append([button(_("📣 Publish"), "pub", plan.id)])
        else:
            rows.append(
                [button(_("🔍 Mid-term evaluation"), "mid", plan.id), button(_("🛠 Change the plan"), "chg", plan.id)]
            )
    rows.append([button(_("📊 Plan board"), "brd", plan.id), button(_("🗂 Versions"), "ver", plan.id)])
    if activities:
        rows.append([button(_("📂 Activities and evidence"), "acts", plan.id)])
    if may_run:
        rows.append([button(_("⬇️ Download"), "exp", plan.id)])
        if plan.status == "published":
            rows.append([button(_("🔒 Close the plan"), "close", plan.id)])
    rows.append([button(_("◀ Action plans"), "list")])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def confirm_publish(lang: str, plan_id: int, told: int) -> tuple[str, InlineKeyboardMarkup]:
    """Asked once before publishing: how many members will be told."""
    translation = translator(lang)
    text = translation.ngettext(
        "{count} member will be told about this plan, and owners get their progress reports. Publish it now?",
        "{count} members will be told about this plan, and owners get their progress reports. Publish it now?",
        told,
    ).format(count=format_number(told, lang))
    keyboard = InlineKeyboardMarkup(
        [
            [
                button(translation.gettext("Yes, publish"), "puby", plan_id),
                button(translation.gettext("Cancel"), "p", plan_id),
            ]
        ]
    )
    return text, keyboard


def indicator_line(lang: str, indicator: Indicator, actual: int | None = None) -> str:
    """``Sales (pcs): baseline 10, target 50, now 30``."""
    _ = translator(lang).gettext
    text = _("{name} ({unit}): baseline {baseline}, target {target}").format(
        name=escape(indicator.name),
        unit=escape(indicator.unit),
        baseline=format_number(indicator.baseline, lang),
        target=format_number(indicator.target, lang),
    )
    if actual is not None:
        text += ", " + _("now {value}").format(value=format_number(actual, lang))
    return text


def activity_line(lang: str, activity: Activity) -> str:
    """An activity with its owner and dates."""
    _ = translator(lang).gettext
    return _("{title} · {owner} · {start} – {end}").format(
        title=escape(activity.title),
        owner=escape(activity.owner_name or _("no owner yet")),
        start=day_text(activity.starts_on, lang),
        end=day_text(activity.ends_on, lang),
    )


def choose_output(lang: str, plan_id: int, outputs: list[Output], action: str) -> tuple[str, InlineKeyboardMarkup]:
    """Which output an indicator measures."""
    _ = translator(lang).gettext
    rows = [[button(f"{n}. {o.text[:40]}", action, plan_id, o.id)] for n, o in enumerate(outputs, start=1)]
    rows.append([button(_("◀ Back"), "p", plan_id)])
    return _("Which output does the indicator measure?"), InlineKeyboardMarkup(rows)


def choose_owner(lang: str, activity: Activity, members: list[tuple[int, str]]) -> tuple[str, InlineKeyboardMarkup]:
    """Who is responsible for the activity (penanggung jawab)."""
    _ = translator(lang).gettext
    buttons = [button(name[:30], "own", activity.id, uid) for uid, name in members[:24]]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    text = _("Who is responsible for “{title}”?").format(title=escape(activity.title))
    return text, InlineKeyboardMarkup(rows)


def choose_indicator(lang: str, activity: Activity, indicators: list[Indicator]) -> tuple[str, InlineKeyboardMarkup]:
    """Which indicator the owner reports on at each check-in."""
    _ = translator(lang).gettext
    rows = [[button(i.name[:40], "ai", activity.id, i.id)] for i in indicators]
    rows.append([button(_("No indicator"), "ai", activity.id, 0)])
    return _("Which indicator does “{title}” move? Its owner reports its value.").format(
        title=escape(activity.title)
    ), InlineKeyboardMarkup(rows)


def versions(lang: str, plan: Plan, kept: list[Version]) -> tuple[str, InlineKeyboardMarkup]:
    """The plan's earlier versions."""
    _ = translator(lang).gettext
    lines = [
        _("<b>Versions of {title}</b>").format(title=escape(plan.title)),
        _("Now: version {n}").format(n=plan.version),
    ]
    if not kept:
        lines.append(_("The plan has not changed yet."))
    rows = []
    for version in kept:
        lines.append(_("Version {n}: changed because {reason}").format(n=version.number, reason=escape(version.reason)))
        rows.append([button(_("Version {n}").format(n=version.number), "v", plan.id, version.number)])
    rows.append([button(_("◀ Back"), "p", plan.id)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def old_version(lang: str, version: Version) -> tuple[str, InlineKeyboardMarkup]:
    """An earlier version as it was."""
    _ = translator(lang).gettext
    plan = version.snapshot["plan"]
    lines = [
        _("<b>Version {n}</b> of {title}").format(n=version.number, title=escape(plan.get("title", ""))),
        _("When: {start} – {end}").format(
            start=day_text(date.fromisoformat(plan["starts_on"]) if plan.get("starts_on") else None, lang),
            end=day_text(date.fromisoformat(plan["ends_on"]) if plan.get("ends_on") else None, lang),
        ),
    ]
    if plan.get("budget") is not None:
        lines.append(_("Budget: Rp {amount}").format(amount=format_number(plan["budget"], lang)))
    for indicator in version.snapshot["indicators"]:
        lines.append(
            _("{name}: target {target}").format(
                name=escape(indicator["name"]), target=format_number(indicator["target"], lang)
            )
        )
    lines.append(_("Changed because: {reason}").format(reason=escape(version.reason)))
    return "\n".join(lines), InlineKeyboardMarkup([[button(_("◀ Back"), "ver", version.plan_id)]])


def date_problem_text(lang: str, problem: str, plan: Plan) -> str:
    """Why the dates typed were refused."""
    _ = translator(lang).gettext
    if problem == "order":
        return _("The end date is before the start date. Please type the dates again.")
    return _("That date is outside the plan ({start} – {end}). Please type a date within the plan.").format(
        start=day_text(plan.starts_on, lang), end=day_text(plan.ends_on, lang)
    )
