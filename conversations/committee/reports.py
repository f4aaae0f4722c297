"""Quarterly and year-end reports (PDF) and the program matrix (XLSX) of a committee: built from
its clusters' data, sent to the secretary when a quarter or year ends (reminder engine) and on demand."""

from __future__ import annotations

import asyncio
import io
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import aiosqlite
from telegram import InputFile

from bot import exports
from bot.i18n import format_local_date, format_number, translator
from bot.menu import N_
from bot.recipients import language_of
from bot.reminders import Skip
from bot.services import RembugApplication
from conversations.access_log.recording import note_sent
from conversations.access_log.rules import Access
from conversations.cluster_map import cluster_chain, render_chain
from conversations.committee import charts, rules
from conversations.committee.figures import base_labels, collect
from conversations.committee.report_pdf import ClusterPage, ReportSheet, build_report_pdf
from conversations.committee.views import LEVEL_NAMES, STATUS_NAMES, matrix_caption, report_caption
from conversations.plans.views import LEVEL_NAMES as PLAN_LEVEL
from storage import action_plans, committees
from storage import committee_figures as queries
from storage import reminders as due_messages
from storage.committees import Committee
from storage.reminders import Due

KIND = "committee.report"
PLAN_STATUS = {"draft": N_("draft"), "published": N_("running"), "closed": N_("closed")}  # as a committee reads them


async def schedule_next(tx: aiosqlite.Connection, committee: Committee, now: datetime) -> None:
    """Book the report of the quarter under way (its key names the quarter: booked once)."""
    year, quarter = rules.quarter_of(now.astimezone(ZoneInfo(committee.timezone)).date())
    await due_messages.schedule(
        tx,
        f"committee-report:{committee.id}:{year}Q{quarter}",
        KIND,
        rules.report_due(year, quarter, committee.timezone),
        {"committee": committee.id, "year": year, "quarter": quarter},
        now,
    )


def scored(lang: str, score: float | None, answered: int, members: int) -> str:
    """ "3,25 (1 of 16 members)": a survey score with how many of the cluster's members answered it."""
    if score is None:
        return "–"
    return (
        translator(lang)
        .gettext("{score} ({answered} of {members} members)")
        .format(
            score=format_number(round(score, 2), lang),
            answered=format_number(answered, lang),
            members=format_number(members, lang),
        )
    )


def period_label(lang: str, year: int, quarter: int | None) -> str:
    """ "Q3 2026" or "2026"."""
    return translator(lang).gettext("Q{quarter} {year}").format(quarter=quarter, year=year) if quarter else str(year)


async def build_report(
    conn: aiosqlite.Connection,
    definitions: dict,
    committee: Committee,
    year: int,
    quarter: int | None,
    lang: str,
    now: datetime,
) -> bytes:
    """The report of a quarter (or, with ``quarter`` None, of the year) as PDF bytes."""
    t = translator(lang)
    _ = t.gettext
    zone = committee.timezone
    last_quarter = quarter or 4
    start = rules.quarter_bounds(year, 1 if quarter is None else quarter, zone)[0]
    end = min(rules.quarter_bounds(year, last_quarter, zone)[1], now)
    figures = await collect(conn, definitions, committee.id, start, end, now, survey_rounds=None)
    names = [f.name for f in figures]
    quarters = list(range(1, last_quarter + 1))
    per_quarter = []
    for q in quarters:
        q_start, q_end = rules.quarter_bounds(year, q, zone)
        per_quarter.append(await queries.meetings(conn, committee.id, q_start, min(q_end, now)))
    rates = [
        [
            rules.attendance_rate(
                m.get(f.cluster_id, queries.Meetings(0, 0, 0)).invited,
                m.get(f.cluster_id, queries.Meetings(0, 0, 0)).attended,
            )
            for m in per_quarter
        ]
        for f in figures
    ]
    year_start, year_end = rules.quarter_bounds(year, 1, zone)[0], rules.quarter_bounds(year, 4, zone)[1]
    coordination = await queries.held(conn, committee.id, year_start, min(year_end, now), rules.COORDINATION_KIND)
    held, expected = rules.coordination_progress(coordination, min(end, now).date() if quarter else now.date())
    n = lambda v: format_number(v, lang) if v is not None else "–"  # noqa: E731
    table = [
        [
            _("Cluster"),
            _("Members"),
            _("New"),
            _("Meetings"),
            _("Attendance %"),
            _("Survey"),
            _("Change"),
            _("On track"),
            _("Overdue"),
        ]
    ]
    for f in figures:
        latest, change = f.survey
        answered = f.survey_answers[-1] if f.survey_answers else 0
        table.append(
            [
                f.name,
                n(f.members),
                n(f.new_members),
                n(f.held),
                n(f.attendance_rate),
                scored(lang, latest, answered, f.members),
                n(change),
                f"{f.on_track}/{f.activities}",
                n(f.overdue),
            ]
        )
    pages = []
    chains = []  # each cluster's value chain, drawn with the charts
    for f in figures:
        plans = await action_plans.plans_of_cluster(conn, f.cluster_id)
        latest, change = f.survey
        answered = f.survey_answers[-1] if f.survey_answers else 0
        facts = [
            (_("Members"), n(f.members)),
            (_("New members in the period"), n(f.new_members)),
            (_("Meetings held"), n(f.held)),
            (_("Attendance %"), n(f.attendance_rate)),
            (_("Survey score (latest, change)"), f"{scored(lang, latest, answered, f.members)}, {n(change)}"),
            (
                _("Survey scores, round by round"),
                "; ".join(
                    scored(lang, s, a, f.members) for s, a in zip(f.survey_scores, f.survey_answers, strict=False)
                )
                or "–",
            ),
            (
                _("Plan activities"),
                ", ".join(f"{_(STATUS_NAMES.get(s, s))}: {c}" for s, c in sorted(f.statuses.items())) or "–",
            ),
            (_("Progress reports overdue"), n(f.overdue)),
            (_("Not answered the open survey"), ", ".join(f.non_submitters) or "–"),
        ]
        plan_rows = [[_("Program"), _("Status"), _("Executing level"), _("Budget (IDR)")]] + [
            [
                p.title,
                _(PLAN_STATUS[p.status]),
                _(PLAN_LEVEL[p.executing_level]) if p.executing_level in PLAN_LEVEL else "–",
                n(p.budget),
            ]
            for p in plans
        ]
        chains.append(await cluster_chain(conn, f.cluster_id))
        pages.append(ClusterPage(f.name, facts, _("Action plans"), plan_rows, _("Value chain")))
    # A cluster's page ends with its value chain once its members sent firm profiles (before, no arrows).
    drawn = await asyncio.to_thread(
        lambda: [render_chain(c, lang, f.name) if c.profiles else None for c, f in zip(chains, figures, strict=True)]
    )
    pages = [replace(page, chain=png) for page, png in zip(pages, drawn, strict=True)]
    chart_images: list[bytes | str] = []
    if figures:
        no_meetings = _("No meetings this quarter yet.") if quarter else _("No meetings this year yet.")
        met = any(rate is not None for row in rates for rate in row)
        answered_any = any(f.survey_scores for f in figures)
        chart_images = await asyncio.to_thread(
            lambda: [
                charts.comparison_chart(lang, _("Clusters side by side"), figures, base_labels(definitions, lang)),
                charts.attendance_chart(lang, names, [f"Q{q}" for q in quarters], rates) if met else no_meetings,
                charts.survey_trend_chart(
                    lang, [(f.name, f.survey_scores, f.survey_answers, f.members) for f in figures]
                )
                if answered_any
                else _("No survey answers in this period yet."),
            ]
        )
    sheet = ReportSheet(
        title=_("{committee}: report {period}").format(
            committee=committee.name, period=period_label(lang, year, quarter)
        ),
        subtitle=_("{level} · made on {date}").format(
            level=_(LEVEL_NAMES[committee.level]), date=format_local_date(now.astimezone(ZoneInfo(zone)).date(), lang)
        ),
        summary_heading=_("Clusters side by side"),
        table=table,
        coordination=_(
            "Coordination meetings in {year}: {held} held, {expected} expected by now (at least four a year)."
        ).format(year=year, held=held, expected=expected),
        charts=chart_images,
        clusters=pages,
        empty=_("The committee follows no clusters yet."),
    )
    return await asyncio.to_thread(build_report_pdf, sheet)


async def build_matrix(conn: aiosqlite.Connection, committee: Committee, lang: str) -> bytes:
    """The program matrix (Langkah 7): per cluster, its programs with the executing level, responsible office, budget and status."""
    _ = translator(lang).gettext
    headers = [
        _("Cluster"),
        _("Program"),
        _("Executing level"),
        _("Responsible office"),
        _("Local government's role"),
        _("Budget (IDR)"),
        _("Status"),
        _("From"),
        _("To"),
    ]
    rows = []
    for cluster in await queries.clusters(conn, committee.id):
        for plan in reversed(await action_plans.plans_of_cluster(conn, cluster.id)):
            rows.append(
                [
                    cluster.name,
                    plan.title,
                    _(PLAN_LEVEL[plan.executing_level]) if plan.executing_level in PLAN_LEVEL else None,
                    plan.supporter,
                    plan.government_role,
                    plan.budget,
                    _(PLAN_STATUS[plan.status]),
                    plan.starts_on.isoformat() if plan.starts_on else None,
                    plan.ends_on.isoformat() if plan.ends_on else None,
                ]
            )
    return exports.build_xlsx(headers, rows, _("Program matrix"))


async def send_documents(
    application: RembugApplication,
    chat_id: int,
    committee: Committee,
    year: int,
    quarter: int | None,
    lang: str,
    *,
    matrix: bool,
) -> None:
    """Build the report (and the matrix) and send them to ``chat_id``."""
    db, now = application.services.db, application.services.clock.now()
    async with db.read() as conn:
        pdf = await build_report(conn, application.services.forms.forms, committee, year, quarter, lang, now)
        sheet = await build_matrix(conn, committee, lang) if matrix else None
    name = exports.slug(committee.name, "committee")
    label = period_label(lang, year, quarter)
    await application.bot.send_document(
        chat_id,
        InputFile(io.BytesIO(pdf), filename=f"{name}-{label.replace(' ', '-')}.pdf"),
        caption=report_caption(lang, committee, label),
    )
    period = f"Q{quarter} {year}" if quarter else str(year)
    await note_sent(application, chat_id, None, Access.COMMITTEE_REPORT, period, committee_id=committee.id)
    if sheet is not None:
        await application.bot.send_document(
            chat_id,
            InputFile(io.BytesIO(sheet), filename=f"{name}-program-matrix.xlsx"),
            caption=matrix_caption(lang, committee),
        )
        await note_sent(application, chat_id, None, Access.PROGRAM_MATRIX, committee_id=committee.id)


async def send_due_report(due: Due, application: RembugApplication) -> str:
    """The reminder engine's handler: a quarter ended; the year's report after the fourth."""
    db, now = application.services.db, application.services.clock.now()
    async with db.transaction() as tx:
        committee = await committees.get_committee(tx, due.payload["committee"])
        if committee is None:
            raise Skip("no such committee")
        await schedule_next(tx, committee, now)
        people = await committees.members_of(tx, committee.id)
        reader = next((p for p in people if p.role == "secretary"), None) or next(
            (p for p in people if p.role == "chair"), None
        )
        if reader is None:
            raise Skip("no secretary or chair")
        lang = await language_of(tx, reader.user_id, application.services.settings.language)
    application.services.reminders.wake()
    year, quarter = due.payload["year"], due.payload["quarter"]
    await send_documents(application, reader.user_id, committee, year, quarter, lang, matrix=True)
    if quarter == 4:
        await send_documents(application, reader.user_id, committee, year, None, lang, matrix=False)
    return f"sent to {reader.user_id}"
