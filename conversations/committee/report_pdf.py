"""The committee's quarterly or year-end report as a PDF (reportlab, fonts from bot/pdf.py).

The caller passes every text already translated and the charts as PNG bytes; this module only
lays them out: a summary page (clusters side by side, coordination meetings, the charts), then
one page per cluster.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from bot.pdf import BOLD, FONT, register_fonts


@dataclass(frozen=True)
class ClusterPage:
    """One cluster's page: a heading and label/value lines, and its plans as a table."""

    title: str
    facts: list[tuple[str, str]]
    plans_heading: str
    plans: list[list[str]]  # the first row is the header


@dataclass(frozen=True)
class ReportSheet:
    """Everything the report says, in the reader's language."""

    title: str
    subtitle: str
    summary_heading: str
    table: list[list[str]]  # clusters side by side; the first row is the header
    coordination: str
    charts: list[bytes]
    clusters: list[ClusterPage]
    empty: str  # said when the committee has no clusters


def _table(
    rows: list[list[str]],
    style: ParagraphStyle,
    bold: ParagraphStyle,
    widths: list[float] | None = None,
    *,
    header: bool = True,
) -> Table:
    """A grid; with ``header`` the first row is bold on a tint, otherwise the first column is bold."""
    cells = [
        [Paragraph(escape(str(v)), bold if (r == 0 if header else c == 0) else style) for c, v in enumerate(row)]
        for r, row in enumerate(rows)
    ]
    table = Table(cells, colWidths=widths, repeatRows=1 if header else 0)
    tint = [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f0f2"))] if header else []
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"), *tint])
    )
    return table


def build_report_pdf(sheet: ReportSheet) -> bytes:
    """The report: summary with charts, then a page per cluster."""
    register_fonts()
    title = ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=20, spaceAfter=4)
    sub = ParagraphStyle("sub", fontName=FONT, fontSize=10, leading=13, spaceAfter=8)
    heading = ParagraphStyle("heading", fontName=BOLD, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("body", fontName=FONT, fontSize=8.5, leading=11)
    bold = ParagraphStyle("bold", fontName=BOLD, fontSize=8.5, leading=11)
    story = [
        Paragraph(escape(sheet.title), title),
        Paragraph(escape(sheet.subtitle), sub),
        Paragraph(escape(sheet.summary_heading), heading),
    ]
    if len(sheet.table) > 1:
        story.append(_table(sheet.table, body, bold))
    else:
        story.append(Paragraph(escape(sheet.empty), body))
    story += [Spacer(1, 6), Paragraph(escape(sheet.coordination), body)]
    width = A4[0] - 4 * cm
    for png in sheet.charts:
        image = Image(io.BytesIO(png))
        image.drawHeight, image.drawWidth = width * image.imageHeight / image.imageWidth, width
        story += [Spacer(1, 8), image]
    for page in sheet.clusters:
        story += [PageBreak(), Paragraph(escape(page.title), title)]
        story.append(_table([[k, v] for k, v in page.facts], body, bold, [6 * cm, 11 * cm], header=False))
        if len(page.plans) > 1:
            story += [Paragraph(escape(page.plans_heading), heading), _table(page.plans, body, bold)]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.8 * cm,
        bottomMargin=1.8 * cm,
        title=sheet.title,
    ).build(story)
    return buffer.getvalue()
