"""Downloads of action plans: the PDM matrix as Excel (a sheet per plan), the check-in history as CSV
(in a ZIP with the photos and voice notes sent as evidence, when there are any), and a one-page PDF of
a plan to print for a meeting (reportlab)."""

from __future__ import annotations

import io
from html import escape

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, Spacer, Table
from telegram import InputFile, Update

from bot import exports, media_zip
from bot.context import RembugContext
from bot.i18n import format_local_date, format_number, translator
from bot.pdf import BOLD, fitted_table, one_page, register_fonts
from bot.replies import answer_tap
from bot.update_parts import chat_of
from conversations.access_log.recording import note_download
from conversations.access_log.rules import Access
from conversations.plans.access import plan_to_run
from conversations.plans.evidence_views import report_file_stem
from conversations.plans.views import ACTIVITY_STATUS, LEVEL_NAMES
from storage import action_plans as plans
from storage import memberships, plan_checkins
from storage.action_plans import Activity, Indicator, Output, Plan


def _day(day, lang: str) -> str:
    return format_local_date(day, lang) if day else ""


def pdm_matrix(
    lang: str, plan: Plan, outputs: list[Output], indicators: list[Indicator], activities: list[Activity]
) -> list[list[str | None]]:
    """The Project Design Matrix: narrative summary, indicators, means of verification, important assumptions."""
    _ = translator(lang).gettext
    rows: list[list[str | None]] = [
        [
            _("PDM"),
            _("Narrative summary"),
            _("Indicators (unit: baseline → target)"),
            _("Means of verification"),
            _("Important assumptions"),
        ]
    ]
    rows.append([_("Goal"), plan.goal, None, None, None])
    rows.append([_("Purpose"), plan.purpose, None, plan.answers.get("monitoring"), plan.answers.get("government_role")])
    for number, output in enumerate(outputs, start=1):
        measured = "\n".join(
            f"{i.name} ({i.unit}): {i.baseline} → {i.target}" for i in indicators if i.output_id == output.id
        )
        rows.append([_("Output {n}").format(n=number), output.text, measured or None, None, None])
    for activity in activities:
        rows.append(
            [
                _("Activity"),
                activity.title,
                None,
                _("{owner}, {start} – {end}").format(
                    owner=activity.owner_name or "",
                    start=_day(activity.starts_on, lang),
                    end=_day(activity.ends_on, lang),
                ),
                None,
            ]
        )
    budget = (
        _("Budget: Rp {amount}").format(amount=format_number(plan.budget, lang)) if plan.budget is not None else None
    )
    rows.append(
        [
            _("Inputs"),
            plan.inputs,
            budget,
            plan.supporter,
            _(LEVEL_NAMES[plan.executing_level]) if plan.executing_level else None,
        ]
    )
    return rows


async def send_downloads(update: Update, context: RembugContext) -> None:
    """Excel of all the cluster's plans, CSV of this plan's check-ins (a ZIP with it and the evidence's
    files when there is evidence), PDF of this plan (``pl1:exp:<plan>``), also once the plan is closed."""
    plan = await plan_to_run(update, context, closed_ok=True)
    if plan is None:
        return
    await answer_tap(update.callback_query)
    lang = context.lang
    _ = translator(lang).gettext
    sheets = []
    async with context.db.read() as conn:
        for each in reversed(await plans.plans_of_cluster(conn, plan.cluster_id)):
            matrix = pdm_matrix(
                lang,
                each,
                await plans.outputs_of(conn, each.id),
                await plans.indicators_of(conn, each.id),
                await plans.activities_of(conn, each.id),
            )
            sheets.append((each.title, matrix))
        activities = {a.id: a for a in await plans.activities_of(conn, plan.id)}
        history = await plan_checkins.checkins_of_plan(conn, plan.id)
        members, _total = await memberships.directory(conn, plan.cluster_id)
        outputs, indicators = await plans.outputs_of(conn, plan.id), await plans.indicators_of(conn, plan.id)
        evidence = await plan_checkins.evidence_of_plan(conn, plan.id)
    names = {m.user_id: m.full_name for m in members}
    pieces = [piece for c in history for piece in evidence.get(c.id, [])]
    fetched = await media_zip.fetch_media(
        context.bot,
        [media_zip.Medium(report_file_stem(lang, p.checkin_id, p.position, p.kind), p.kind, p.file_id) for p in pieces],
    )
    files: dict[int, list[str]] = {}
    for piece, item in zip(pieces, fetched, strict=True):
        files.setdefault(piece.checkin_id, []).append(media_zip.media_cell(lang, item))
    headers = [
        _("Report"),
        _("Activity"),
        _("Period from"),
        _("Owner"),
        _("Status"),
        _("Indicator value"),
        _("Confidence"),
        _("Note"),
        _("Evidence"),
        _("Reported at"),
    ]
    rows = [
        [
            c.id,
            activities[c.activity_id].title,
            c.period_start,
            names.get(c.owner_id, str(c.owner_id)),
            _(ACTIVITY_STATUS[c.status]),
            None if c.indicator_value is None else str(c.indicator_value),
            c.confidence,
            c.note,
            ", ".join(files.get(c.id, [])) or None,
            c.created_at.isoformat(timespec="minutes"),
        ]
        for c in history
    ]
    name = exports.slug(plan.title, "plan")
    await chat_of(update).send_document(
        InputFile(io.BytesIO(exports.build_xlsx_sheets(sheets)), filename=f"{name}-pdm.xlsx")
    )
    progress = exports.build_csv(headers, rows)
    if fetched:
        packed = media_zip.build_zip([(f"{name}-progress.csv", progress)], fetched)
        await chat_of(update).send_document(
            InputFile(io.BytesIO(packed), filename=f"{name}-progress.zip"),
            caption=_("Progress reports of {title}, with their evidence.").format(title=escape(plan.title))
            + "\n"
            + media_zip.media_note(lang, fetched),
        )
    else:
        await chat_of(update).send_document(InputFile(io.BytesIO(progress), filename=f"{name}-progress.csv"))
    pdf = plan_pdf(lang, plan, pdm_matrix(lang, plan, outputs, indicators, list(activities.values())))
    await chat_of(update).send_document(InputFile(io.BytesIO(pdf), filename=f"{name}.pdf"))
    await note_download(context, plan.cluster_id, Access.PLAN_REPORT, plan.title)


def plan_pdf(lang: str, plan: Plan, matrix: list[list[str | None]]) -> bytes:
    """One A4 page: the plan's title, its nine answers in short, and the PDM (shrunk to fit; on its side
    when the PDM's columns need it). Column widths come from the content: no word is broken in a cell."""
    register_fonts()
    _ = translator(lang).gettext
    title = ParagraphStyle("title", fontName=BOLD, fontSize=15, leading=19, spaceAfter=6)
    facts: list[tuple[str, str | None]] = [
        (_("Why"), plan.answers.get("why")),
        (_("Expected output"), plan.answers.get("output")),
        (_("Responsible"), plan.answers.get("responsible")),
        (_("When"), f"{_day(plan.starts_on, lang)} – {_day(plan.ends_on, lang)}"),
        (_("Supporter"), plan.supporter),
        (_("Local government's role"), plan.government_role),
        (_("Budget (IDR)"), None if plan.budget is None else format_number(plan.budget, lang)),
        (_("Monitoring"), plan.answers.get("monitoring")),
    ]
    pdm = [[v or "" for v in row] for row in matrix]
    for pagesize in (A4, landscape(A4)):
        width = pagesize[0] - 4 * cm
        answers = fitted_table([[k, v or "–"] for k, v in facts], width, header=False)
        grid = fitted_table(pdm, width)
        if answers is not None and grid is not None:
            return one_page([Paragraph(escape(plan.title), title), answers, Spacer(1, 8), grid], plan.title, pagesize)
    # A word wider than a sideways page: the smallest print, let reportlab cut it.
    wide = landscape(A4)[0] - 4 * cm
    fallback = [Table([[k, v or "–"] for k, v in facts]), Table(pdm, colWidths=[wide / len(pdm[0])] * len(pdm[0]))]
    return one_page([Paragraph(escape(plan.title), title), *fallback], plan.title, landscape(A4))
