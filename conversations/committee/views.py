"""What the committee flow says: the digest, one cluster's detail, the overview, the comparison,
creating and joining a committee, appointing its chair and secretary."""

from __future__ import annotations

from datetime import datetime
from html import escape

from babel.dates import get_day_names
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data
from bot.flows import MENU_BUTTON
from bot.i18n import ZONES_BY_NAME, format_number, format_when, translator
from bot.menu import N_
from bot.page_buttons import page_line, page_rows
from bot.paging import page_of
from conversations.access_log.views import log_button_row
from conversations.committee.rules import (
    COMPARISON_PAGE,
    HOURS,
    PREFIX,
    ClusterFigures,
    coordination_progress,
    pick_for_digest,
)
from conversations.committee.supporters import button_row as supporters_row
from conversations.membership.rules import STAKEHOLDER_TYPES
from conversations.membership.views import stakeholder_label
from conversations.tasks import views as task_views
from storage.committees import Committee, CommitteeMember

LEVEL_NAMES = {"province": N_("Province"), "district": N_("District/city")}
ROLE_NAMES = {"chair": N_("chair"), "secretary": N_("secretary"), "member": N_("member")}
STATUS_NAMES = {
    "on_track": N_("on track"),
    "at_risk": N_("at risk"),
    "blocked": N_("blocked"),
    "done": N_("done"),
    "not_started": N_("not started"),
    "no_report": N_("no report yet"),
}


def _b(label: str, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callback_data(PREFIX, *parts))


def _menu(lang: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(translator(lang).gettext("« Menu"), callback_data=MENU_BUTTON)]


def _n(value: float, lang: str) -> str:
    return format_number(value, lang)


def _score(figures: ClusterFigures, lang: str) -> str | None:
    latest, change = figures.survey
    if latest is None:
        return None
    _ = translator(lang).gettext
    text = _("score {score}").format(score=_n(latest, lang))
    if change:
        text += f" ({'▲' if change > 0 else '▼'}{_n(abs(change), lang)})"
    return text


def cluster_line(lang: str, f: ClusterFigures, visits: int = 0, late_tasks: int = 0) -> str:
    """One cluster in a digest, on one or two short lines (``visits``: visits and calls recorded;
    ``late_tasks``: tasks from meetings past their due day)."""
    t = translator(lang)
    _ = t.gettext
    parts = [t.ngettext("{count} member", "{count} members", f.members).format(count=_n(f.members, lang))]
    if f.new_members:
        parts[-1] += f" (+{_n(f.new_members, lang)})"
    if f.held:
        rate = f.attendance_rate
        parts.append(
            t.ngettext("{count} meeting", "{count} meetings", f.held).format(count=_n(f.held, lang))
            + (_(", attendance {rate}%").format(rate=_n(rate, lang)) if rate is not None else "")
        )
    if f.upcoming:
        parts.append(_("{count} coming").format(count=_n(len(f.upcoming), lang)))
    if (score := _score(f, lang)) is not None:
        parts.append(score)
    if visits:
        parts.append(
            t.ngettext("{count} visit or call", "{count} visits or calls", visits).format(count=_n(visits, lang))
        )
    if f.activities:
        parts.append(
            _("plans: {on_track}/{total} on track").format(on_track=_n(f.on_track, lang), total=_n(f.activities, lang))
        )
    warnings = []
    if f.overdue:
        warnings.append(
            t.ngettext("{count} report overdue", "{count} reports overdue", f.overdue).format(count=_n(f.overdue, lang))
        )
    if late_tasks:
        warnings.append(task_views.digest_part(lang, late_tasks))
    if f.non_submitters:
        warnings.append(_("{count} not answered the survey").format(count=_n(len(f.non_submitters), lang)))
    if troubled := f.statuses.get("at_risk", 0) + f.statuses.get("blocked", 0):
        warnings.append(_("{count} activities at risk or blocked").format(count=_n(troubled, lang)))
    line = f"• <b>{escape(f.name)}</b>: " + " · ".join(parts)
    return line + ("\n  ⚠️ " + ", ".join(warnings) if warnings else "")


def digest(
    lang: str,
    title: str,
    week: str,
    shown: list[ClusterFigures],
    more: int,
    committee_id: int,
    *,
    overview: bool = True,
    visits: dict[int, int] | None = None,
    late_tasks: dict[int, int] | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    """The weekly digest: one screen, a button per cluster shown (and the committee's overview for
    its own members; a facilitator's digest of their clusters has no such button); ``visits``: the
    visits and calls recorded per cluster."""
    t = translator(lang)
    _ = t.gettext
    lines = [_("📰 <b>Weekly digest: {title}</b>").format(title=escape(title)), _("Week {week}").format(week=week), ""]
    lines += [
        cluster_line(lang, f, (visits or {}).get(f.cluster_id, 0), (late_tasks or {}).get(f.cluster_id, 0))
        for f in shown
    ]
    if more:
        lines.append(
            t.ngettext(
                "… and {count} more cluster: see the overview.", "… and {count} more clusters: see the overview.", more
            ).format(count=more)
        )
    rows = [[_b("🔍 " + f.name[:40], "d", committee_id, f.cluster_id)] for f in shown]
    if overview:
        rows.append([_b(_("📋 Overview"), "c", committee_id)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def quiet(lang: str, title: str) -> str:
    """A week with nothing new (said once, not every quiet week)."""
    return (
        translator(lang)
        .gettext("📰 {title}: nothing new in its clusters this week. I will write again when there is news.")
        .format(title=escape(title))
    )


def detail(
    lang: str, f: ClusterFigures, zone: str, committee_id: int, *, overview: bool = True
) -> tuple[str, InlineKeyboardMarkup]:
    """One cluster's detail behind a digest button."""
    t = translator(lang)
    _ = t.gettext
    latest, change = f.survey
    rate = f.attendance_rate
    lines = [
        f"🔍 <b>{escape(f.name)}</b>",
        _("Members: {count} ({new} new this week)").format(count=_n(f.members, lang), new=_n(f.new_members, lang)),
        _("Meetings held this week: {held}; attendance {rate}").format(
            held=_n(f.held, lang), rate=f"{_n(rate, lang)}%" if rate is not None else "–"
        ),
        _("Latest survey score: {score}; change: {change}").format(
            score=_n(latest, lang) if latest is not None else "–",
            change=f"{'+' if change > 0 else ''}{_n(change, lang)}" if change else "–",
        ),
    ]
    if f.statuses:
        lines.append(
            _("Plan activities:")
            + " "
            + ", ".join(f"{_(STATUS_NAMES.get(s, s))} {_n(c, lang)}" for s, c in sorted(f.statuses.items()))
        )
    lines.append(_("Progress reports overdue: {count}").format(count=_n(f.overdue, lang)))
    if f.upcoming:
        lines.append(_("Coming up:"))
        lines += [f"• {escape(topic)}: {format_when(when, zone, lang)}" for topic, when in f.upcoming[:5]]
    if f.non_submitters:
        names = ", ".join(escape(n) for n in f.non_submitters[:10]) + (" …" if len(f.non_submitters) > 10 else "")
        lines.append(_("Not answered the survey yet: {names}").format(names=names))
    rows = [[_b(_("📋 Overview"), "c", committee_id)]] if overview else []
    return "\n".join(lines), InlineKeyboardMarkup([*rows, _menu(lang)])


def committee_list(
    lang: str, committees: list[tuple[Committee, str | None]], may_create: bool
) -> tuple[str, InlineKeyboardMarkup]:
    """The committees a person follows (an admin sees all)."""
    _ = translator(lang).gettext
    rows = [[_b(f"🏛 {c.name[:45]}", "c", c.id)] for c, _role in committees]
    if may_create:
        rows.append([_b(_("➕ New committee"), "new")])
    rows.append(_menu(lang))
    text = _("<b>Committees</b>") + "\n" + (_("Choose one.") if committees else _("No committee yet."))
    return text, InlineKeyboardMarkup(rows)


def overview(
    lang: str,
    committee: Committee,
    figures: list[ClusterFigures],
    people: list[CommitteeMember],
    coordination: int,
    today,
    invite_link: str,
    admin: bool,
    reports: bool,
) -> tuple[str, InlineKeyboardMarkup]:
    """A committee at a glance, with what its people can do."""
    t = translator(lang)
    _ = t.gettext
    chair = next((p.full_name for p in people if p.role == "chair"), "–")
    secretary = next((p.full_name for p in people if p.role == "secretary"), "–")
    held, expected = coordination_progress(coordination, today)
    zone = next((name for name, zone in ZONES_BY_NAME.items() if zone == committee.timezone), committee.timezone)
    lines = [
        f"🏛 <b>{escape(committee.name)}</b> ({_(LEVEL_NAMES[committee.level])}, {zone})",
        _("Chair: {chair} · Secretary: {secretary} · {count} members").format(
            chair=escape(chair), secretary=escape(secretary), count=len(people)
        ),
        _("Coordination meetings this year: {held} (expected by now: {expected}, four a year)").format(
            held=held, expected=expected
        ),
        "",
    ]
    if not figures:
        lines.append(_("No clusters yet. An administrator adds them with “Clusters”."))
    shown, more = pick_for_digest(figures)  # one screen: those needing attention first, like the digest
    lines += [cluster_line(lang, f) for f in shown]
    if more:
        lines.append(_("… and {count} more").format(count=_n(more, lang)))
    if admin:
        lines += ["", _("Invitation link for its members: {link}").format(link=invite_link)]
    rows = [[_b("🔍 " + f.name[:40], "d", committee.id, f.cluster_id)] for f in shown[:6]]
    rows.append([_b(_("📊 Compare clusters"), "cmp", committee.id), _b(_("🗺 Cluster maps"), "map", committee.id)])
    rows.append(supporters_row(lang, committee.id))  # every cluster's confirmed supporters
    if reports:
        rows.append(
            [_b(_("📄 Quarterly report"), "rep", committee.id, "q"), _b(_("📄 Year report"), "rep", committee.id, "y")]
        )
        rows.append(
            [
                _b(_("📑 Program matrix (Excel)"), "mx", committee.id),
                _b(_("🕗 Digest day and hour"), "sch", committee.id),
            ]
        )
        rows.append(log_button_row(lang, committee.id))  # who downloaded the clusters' data (same readers)
    if admin:
        rows.append([_b(_("🏘 Clusters"), "cl", committee.id), _b(_("👤 Chair and secretary"), "ap", committee.id)])
    rows.append([_b(_("« Committees"), "home")])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def comparison(
    lang: str, committee: Committee, figures: list[ClusterFigures], page: int
) -> tuple[str, InlineKeyboardMarkup]:
    """One page of the clusters side by side, as a short table (the chart comes with the first)."""
    t = translator(lang)
    _ = t.gettext
    shown, page, pages = page_of(figures, page, COMPARISON_PAGE)
    count = t.ngettext("{count} cluster", "{count} clusters", len(figures)).format(count=_n(len(figures), lang))
    lines = [
        _("📊 <b>{title}: clusters side by side</b>").format(title=escape(committee.name)),
        page_line(lang, page, pages) + " · " + count,
        _("members · attendance · survey · plans on track · reports overdue"),
        "",
    ]
    for f in shown:
        latest, _change = f.survey
        rate = f.attendance_rate
        lines.append(
            f"• <b>{escape(f.name)}</b>: {_n(f.members, lang)} · {f'{_n(rate, lang)}%' if rate is not None else '–'} · "
            f"{_n(latest, lang) if latest is not None else '–'} · {_n(f.on_track, lang)}/{_n(f.activities, lang)} · {_n(f.overdue, lang)}"
        )
    if not figures:
        lines.append(_("No clusters yet."))
    rows = page_rows(lang, page, pages, lambda number: callback_data(PREFIX, "cmp", committee.id, number))
    rows.append([_b(_("📋 Overview"), "c", committee.id)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def cluster_toggles(
    lang: str, committee: Committee, clusters: list[tuple[int, str]], chosen: set[int]
) -> tuple[str, InlineKeyboardMarkup]:
    """The administrator picks the clusters the committee follows."""
    _ = translator(lang).gettext
    rows = [
        [_b(("☑️ " if cid in chosen else "⬜ ") + name[:45], "ct", committee.id, cid)] for cid, name in clusters[:40]
    ]
    rows.append([_b(_("Done ▶"), "c", committee.id)])
    return _("Which clusters does {name} follow? Tap to add or remove.").format(
        name=escape(committee.name)
    ), InlineKeyboardMarkup(rows)


def appointments(lang: str, committee: Committee, people: list[CommitteeMember]) -> tuple[str, InlineKeyboardMarkup]:
    """The administrator appoints the chair and the secretary from the members."""
    _ = translator(lang).gettext
    rows = []
    for person in people[:30]:
        label = f"{person.full_name[:28]} ({_(ROLE_NAMES[person.role])})"
        rows.append(
            [
                _b("👑 " + label, "as", committee.id, person.user_id, "c"),
                _b("📝", "as", committee.id, person.user_id, "s"),
            ]
        )
    rows.append([_b(_("Done ▶"), "c", committee.id)])
    text = (
        _("Tap 👑 to make a member the chair, 📝 to make them the secretary.")
        if people
        else _("Nobody has joined yet: share the invitation link first.")
    )
    return text, InlineKeyboardMarkup(rows)


def ask(lang: str, step: str) -> tuple[str, InlineKeyboardMarkup]:
    """A question of /newcommittee."""
    _ = translator(lang).gettext
    cancel = [InlineKeyboardButton(_("Cancel"), callback_data=MENU_BUTTON)]
    if step == "name":
        return _("<b>New committee</b> (1/3)\nIts name? For example “FEDEP Kabupaten Klaten”."), InlineKeyboardMarkup(
            [cancel]
        )
    if step == "level":
        return _("(2/3) Which level?"), InlineKeyboardMarkup(
            [[_b(_(LEVEL_NAMES[level]), "lv", level)] for level in LEVEL_NAMES] + [cancel]
        )
    return _("(3/3) Its time zone?"), InlineKeyboardMarkup([[_b(name, "tz", name) for name in ZONES_BY_NAME], cancel])


def created(lang: str, committee: Committee, link: str, first_digest: datetime) -> str:
    """After /newcommittee."""
    _ = translator(lang).gettext
    return _(
        "✅ {name} is created. Members join with this link: {link}\nThe first weekly digest goes out on {when}."
    ).format(name=escape(committee.name), link=link, when=format_when(first_digest, committee.timezone, lang))


def join_question(lang: str, committee: Committee) -> tuple[str, InlineKeyboardMarkup]:
    """Joining by the invitation link: what kind of stakeholder the person represents."""
    _ = translator(lang).gettext
    kinds = [_b(stakeholder_label(lang, kind), "j", committee.invite_code, kind) for kind in STAKEHOLDER_TYPES]
    rows = [kinds[i : i + 2] for i in range(0, len(kinds), 2)]
    return _("Join <b>{name}</b>? Whom do you represent?").format(name=escape(committee.name)), InlineKeyboardMarkup(
        rows
    )


def joined(lang: str, committee: Committee) -> str:
    """After joining."""
    return (
        translator(lang)
        .gettext(
            "✅ You are a member of {name}. Its digests and reports reach its secretary; open /committee to follow it."
        )
        .format(name=escape(committee.name))
    )


def secretary_unreachable(lang: str, committee: Committee, name: str, status: str) -> str:
    """To the chair when the secretary could not be reached."""
    _ = translator(lang).gettext
    why = (
        _("blocked the bot")
        if status == "blocked"
        else _("has not started the bot")
        if status == "not_started"
        else _("could not be reached")
    )
    return _("⚠️ The digest of {committee} could not reach the secretary {name} ({why}). Here it is for you:").format(
        committee=escape(committee.name), name=escape(name), why=why
    )


def no_secretary(lang: str, committee: Committee) -> str:
    """Above a digest sent to the chair because the committee has no secretary."""
    return (
        translator(lang)
        .gettext("{committee} has no secretary now, so its digest comes to you as chair:")
        .format(committee=escape(committee.name))
    )


def problem(lang: str, key: str) -> str:
    """Short answers to wrong steps."""
    _ = translator(lang).gettext
    return {
        "name": _("Please type a name (at most 120 characters)."),
        "busy": _("The report is being made; it will arrive in a moment."),
        "just_sent": _("This report was sent a moment ago: it is just above."),
        "unknown_invite": _(
            "This committee invitation is not valid (any more). Ask the committee's secretary for the current link."
        ),
    }[key]


def report_caption(lang: str, committee: Committee, period: str) -> str:
    """Under the PDF."""
    return (
        translator(lang)
        .gettext("📄 {committee}: report {period}")
        .format(committee=escape(committee.name), period=period)
    )


def matrix_caption(lang: str, committee: Committee) -> str:
    """Under the XLSX."""
    return translator(lang).gettext("📑 {committee}: program matrix").format(committee=escape(committee.name))


def _day_name(lang: str, day: int) -> str:
    return get_day_names("wide", locale=lang)[day]


def schedule_days(lang: str, committee: Committee) -> tuple[str, InlineKeyboardMarkup]:
    """Which weekday the digest goes out."""
    _ = translator(lang).gettext
    days = [_b(_day_name(lang, day), "sd", committee.id, day) for day in range(7)]
    rows = [days[:4], days[4:], [_b(_("« Back"), "c", committee.id)]]
    text = _("The weekly digest goes out on {day} at {hour}.00. Which day should it be?").format(
        day=_day_name(lang, committee.digest_weekday), hour=f"{committee.digest_hour:02d}"
    )
    return text, InlineKeyboardMarkup(rows)


def schedule_hours(lang: str, committee: Committee, day: int) -> tuple[str, InlineKeyboardMarkup]:
    """At what hour, in the committee's zone."""
    _ = translator(lang).gettext
    hours = [_b(f"{hour:02d}.00", "sh", committee.id, day, hour) for hour in HOURS]
    return _("{day}, at what hour?").format(day=_day_name(lang, day)), InlineKeyboardMarkup([hours[:4], hours[4:]])


def schedule_saved(lang: str, committee: Committee, at: datetime) -> str:
    """After choosing."""
    return (
        translator(lang)
        .gettext("🕗 Saved. The next digest goes out on {when}.")
        .format(when=format_when(at, committee.timezone, lang))
    )
