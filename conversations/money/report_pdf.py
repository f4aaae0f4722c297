"""The cash report of a period as a PDF (reportlab, fonts and tables from bot/pdf.py): the period's
figures, income by source and spending by activity against the year's budget, then the board's
signature block (place and date, the chair and the treasurer by name). Texts come translated."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from bot.pdf import BOLD, FONT, fitted_table, pages, register_fonts

WIDTH = 17 * cm  # A4 less bot.pdf's 2 cm margins


@dataclass(frozen=True)
class ReportSheet:
    """Everything the report says, in the reader's language (tables: the first row is the header)."""

    title: str
    subtitle: str
    figures: list[list[str]]  # label, amount
    income_heading: str
    income: list[list[str]]
    spending_heading: str
    spending: list[list[str]]
    place_and_date: str
    signers: list[tuple[str, str]]  # (position, name)
    footer: str  # "Page {page} of {pages}"


def _table(rows: list[list[str]], *, header: bool = True) -> Flowable:
    """A table whose first column names the line and whose other columns are rupiah, set right."""
    return fitted_table(rows, WIDTH, header=header, numbers_from=1) or Table(rows)


def _signatures(sheet: ReportSheet, style: ParagraphStyle) -> Flowable:
    count = max(len(sheet.signers), 1)
    table = Table(
        [
            ["", Paragraph(escape(sheet.place_and_date), style)] if count == 2 else [""] * count,
            [Paragraph(escape(position), style) for position, _name in sheet.signers],
            ["" for _ in sheet.signers],
            [Paragraph("( " + escape(name) + " )", style) for _position, name in sheet.signers],
        ],
        colWidths=[WIDTH / count] * count,
        rowHeights=[0.8 * cm, 0.7 * cm, 1.8 * cm, 0.7 * cm],
    )
    table.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return KeepTogether([Spacer(1, 0.8 * cm), table])


def build_report_pdf(sheet: ReportSheet) -> bytes:
    """The report over as many A4 pages as it needs, the signature block kept in one piece at the end."""
    register_fonts()
    title = ParagraphStyle("title", fontName=BOLD, fontSize=15, leading=19, alignment=1, spaceAfter=2)
    sub = ParagraphStyle("sub", fontName=FONT, fontSize=10, leading=13, alignment=1, spaceAfter=10)
    heading = ParagraphStyle("heading", fontName=BOLD, fontSize=11, leading=14, spaceBefore=10, spaceAfter=4)
    centre = ParagraphStyle("centre", fontName=FONT, fontSize=10, leading=13, alignment=1)
    story: list[Flowable] = [
        Paragraph(escape(sheet.title), title),
        Paragraph(escape(sheet.subtitle), sub),
        _table(sheet.figures, header=False),
        Paragraph(escape(sheet.income_heading), heading),
        _table(sheet.income),
        Paragraph(escape(sheet.spending_heading), heading),
        _table(sheet.spending),
        _signatures(sheet, centre),
    ]
    return pages(story, sheet.title, lambda page, count: sheet.footer.format(page=page, pages=count))
