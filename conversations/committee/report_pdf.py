"""The committee's quarterly or year-end report as a PDF (reportlab, fonts from bot/pdf.py).

The caller passes every text already translated and the charts as PNG bytes; this module only
lays them out: a summary page (clusters side by side, coordination meetings, the charts), then
one page per cluster. Column widths come from the content (bot/pdf.py's ``fitted_table``); a summary
too wide for an upright page goes on its side, or is turned round.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

from bot.pdf import BOLD, FONT, fitted_table, register_fonts, transposed

MARGIN = 1.8 * cm


@dataclass(frozen=True)
class ClusterPage:
    """One cluster's page: a heading and label/value lines, and its plans as a table."""

    title: str
    facts: list[tuple[str, str]]
    plans_heading: str
    plans: list[list[str]]  # the first row is the header
    chain_heading: str = ""
    chain: bytes | None = None  # the cluster's value chain as PNG (conversations/cluster_map)


@dataclass(frozen=True)
class ReportSheet:
    """Everything the report says, in the reader's language."""

    title: str
    subtitle: str
    summary_heading: str
    table: list[list[str]]  # clusters side by side; the first row is the header
    coordination: str
    charts: list[bytes | str]  # a chart as PNG, or the sentence said where it would be empty
    clusters: list[ClusterPage]
    empty: str  # said when the committee has no clusters


def _page_and_summary(rows: list[list[str]]) -> tuple[tuple[float, float], Table]:
    """The page the summary table fits on, and the table: upright A4, else A4 on its side, else turned
    round (clusters as columns) on either; never a word broken in a cell."""
    pages = (A4, landscape(A4))
    for turned in (False, True):
        for page in pages:
            table = fitted_table(transposed(rows) if turned else rows, page[0] - 2 * MARGIN, header=not turned)
            if table is not None:
                return page, table
    # More clusters than even a sideways page holds side by side: the smallest print, names wrapped.
    fallback = fitted_table(transposed(rows), landscape(A4)[0] - 2 * MARGIN, header=False, sizes=(6.0,))
    return landscape(A4), fallback or Table(transposed(rows))


def _figure(item: bytes | str, width: float, height: float, style: ParagraphStyle) -> Flowable:
    """A chart scaled to the frame, or the sentence said instead of an empty chart."""
    if isinstance(item, str):
        return Paragraph(escape(item), style)
    image = Image(io.BytesIO(item))
    scale = min(width / image.imageWidth, height / image.imageHeight)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    return image


def _cluster_table(rows: list[list[str]], width: float, *, header: bool) -> Table:
    table = fitted_table(rows, width, header=header) or fitted_table(transposed(rows), width, header=not header)
    return table or Table(rows)


def build_report_pdf(sheet: ReportSheet) -> bytes:
    """The report: summary with charts, then a page per cluster."""
    register_fonts()
    title = ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=20, spaceAfter=4)
    sub = ParagraphStyle("sub", fontName=FONT, fontSize=10, leading=13, spaceAfter=8)
    heading = ParagraphStyle("heading", fontName=BOLD, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("body", fontName=FONT, fontSize=8.5, leading=11)
    said = ParagraphStyle("said", parent=body, fontSize=10, leading=13, spaceBefore=6)
    pagesize, summary = _page_and_summary(sheet.table) if len(sheet.table) > 1 else (A4, None)
    width, height = pagesize[0] - 2 * MARGIN, pagesize[1] - 2 * MARGIN
    story: list[Flowable] = [
        Paragraph(escape(sheet.title), title),
        Paragraph(escape(sheet.subtitle), sub),
        Paragraph(escape(sheet.summary_heading), heading),
        summary or Paragraph(escape(sheet.empty), body),
        Spacer(1, 6),
        Paragraph(escape(sheet.coordination), body),
    ]
    for item in sheet.charts:
        story += [Spacer(1, 8), _figure(item, width, height - 1 * cm, said)]
    for page in sheet.clusters:
        story += [PageBreak(), Paragraph(escape(page.title), title)]
        story.append(_cluster_table([[k, v] for k, v in page.facts], width, header=False))
        if len(page.plans) > 1:
            story += [Paragraph(escape(page.plans_heading), heading), _cluster_table(page.plans, width, header=True)]
        if page.chain is not None:
            story += [Paragraph(escape(page.chain_heading), heading), _figure(page.chain, width, height / 2, said)]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=sheet.title,
    ).build(story)
    return buffer.getvalue()
