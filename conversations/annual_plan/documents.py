"""The year's plan as files for the facilitator: an Excel table (a row per activity, with the key the
budget refers to) and a PDF to print for the meeting that adopts it (reportlab, fonts from bot/pdf.py)."""

from __future__ import annotations

import io
from html import escape

from babel.dates import format_date
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, Spacer
from telegram import InputFile, Update

from bot import exports
from bot.context import RembugContext
from bot.i18n import translator
from bot.pdf import BOLD, FONT, fitted_table, pages, register_fonts
from bot.replies import answer_tap
from bot.roles import Action
from bot.update_parts import chat_of
from conversations.annual_plan.calendar import adopted_of, local_today, year_tap
from conversations.annual_plan.rules import coordination
from conversations.annual_plan.views import coordination_lines, kind_name, meeting_topic, status_line
from storage import annual_plans, clusters, meetings
from storage.annual_plans import PlanActivity


def headers(lang: str) -> list[str]:
    """The columns of the year's table."""
    _ = translator(lang).gettext
    return [_("Month"), _("Starts"), _("Ends"), _("Kind"), _("Activity"), _("Key")]


def year_rows(lang: str, activities: list[PlanActivity]) -> list[list[exports.Cell]]:
    """A row per activity, earliest first: its month, days, kind, title and key."""
    return [
        [
            format_date(a.starts_on, "LLLL", locale=lang),
            a.starts_on,
            a.ends_on,
            kind_name(lang, a.kind),
            a.title,
            a.key,
        ]
        for a in activities
    ]


def _plain(line: str) -> str:
    """A line without its leading emoji (the printed font has none)."""
    first, _space, rest = line.partition(" ")
    return rest if rest and not any(c.isalnum() for c in first) else line


def year_pdf(lang: str, title: str, lines: list[str], activities: list[PlanActivity]) -> bytes:
    """The year as a printable table under its title and where the plan stands."""
    _ = translator(lang).gettext
    register_fonts()
    size = landscape(A4)
    heading = ParagraphStyle("heading", fontName=BOLD, fontSize=14, leading=18)
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12)
    cells = [[str(v) if v is not None else "" for v in row] for row in year_rows(lang, activities)]
    for row, activity in zip(cells, activities, strict=True):
        row[1], row[2] = (
            format_date(activity.starts_on, "d MMM y", locale=lang),
            format_date(activity.ends_on, "d MMM y", locale=lang),
        )
    story = [Paragraph(escape(title), heading), Spacer(1, 0.3 * cm)]
    story += [Paragraph(_plain(line), body) for line in lines]
    story.append(Spacer(1, 0.4 * cm))
    table = fitted_table([headers(lang), *cells], size[0] - 4 * cm) if cells else None
    story.append(table or Paragraph(escape(_("Nothing planned yet.")), body))
    return pages(
        story, title, lambda page, total: _("Page {page} of {pages}").format(page=page, pages=total), pagesize=size
    )


async def _year(update: Update, context: RembugContext):
    tap = await year_tap(update, context, Action.PLAN_YEAR)
    if tap is None:
        return None
    await answer_tap(update.callback_query)
    cluster_id = context.standing.current_cluster_id
    async with context.db.read() as conn:
        cluster = await clusters.load_cluster(conn, cluster_id)
        activities = await annual_plans.plan_activities(conn, cluster_id, tap.first)
        versions = await annual_plans.versions_of(conn, cluster_id, tap.first)
        adopted = adopted_of(versions)
        meeting = await meetings.get_meeting(conn, adopted.meeting_id) if adopted and adopted.meeting_id else None
    return tap.first, cluster, activities, versions, adopted, meeting


async def send_excel(update: Update, context: RembugContext) -> None:
    """The year's table as Excel (``ap1:x:<year>``)."""
    found = await _year(update, context)
    if found is None:
        return
    year, cluster, activities, *_rest = found
    _ = context.gettext
    data = exports.build_xlsx(
        headers(context.lang), year_rows(context.lang, activities), _("Annual plan {year}").format(year=year)
    )
    name = f"{exports.slug(cluster.name, 'cluster')}-{year}.xlsx"
    await chat_of(update).send_document(InputFile(io.BytesIO(data), filename=name))


async def send_pdf(update: Update, context: RembugContext) -> None:
    """The year's plan as a PDF (``ap1:p:<year>``)."""
    found = await _year(update, context)
    if found is None:
        return
    year, cluster, activities, versions, adopted, meeting = found
    _today, timezone = await local_today(context)
    lang = context.lang
    status = status_line(
        lang, versions[0] if versions else None, adopted, timezone, meeting_topic(meeting), context.clock.now()
    )
    lines = [status, *coordination_lines(lang, coordination(activities))]
    title = context.gettext("Annual plan {year}: {cluster}").format(year=year, cluster=cluster.name)
    data = year_pdf(lang, title, lines, activities)
    name = f"{exports.slug(cluster.name, 'cluster')}-{year}.pdf"
    await chat_of(update).send_document(InputFile(io.BytesIO(data), filename=name))
