"""The attendance sheet of a meeting as an A4 PDF to print, sign and photograph (reportlab).

The views pass every text already translated (``attendance_views.attendance_sheet``); this module
only lays it out: the meeting's details beside the check-in QR code, a numbered table of invitees
with a signature column (its header repeated on every page), empty rows for walk-in guests, and the
facilitator's signature block. Fonts, tables, QR codes and the page numbers come from bot/pdf.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from bot.pdf import BOLD, FONT, column_widths, fitted_table, pages, qr_code, register_fonts

WIDTH = A4[0] - 4 * cm  # between bot/pdf.py's 2 cm margins
SIGNATURE = 4.5 * cm  # room to sign in, whatever the names' length
QR_COLUMN = 4 * cm
SIGN_HERE = "." * 40  # a signature cell's dotted line: one "word", so the column is never narrower


@dataclass(frozen=True)
class AttendanceSheet:
    """Everything the sheet says, in the reader's language."""

    title: str  # "Attendance sheet"
    cluster_line: str
    details: list[tuple[str, str]]  # (label, value): kind, topic, day, time, place
    link: str  # the check-in deep link the QR code holds
    scan_line: str  # "Have a phone? Scan to check yourself in"
    headers: list[str]  # No, name, small group, stakeholder type, signature
    rows: list[list[str]]  # number, name, small group, type: the invitees, then the empty rows
    signer_heading: str  # "Facilitator"
    signer_lines: list[str]  # "Name: …", "Date: …"
    running_head: str  # from page 2: the meeting's kind and date
    footer: str  # "Page {page} of {pages}"


def _signature_cell(row: list[str]) -> str:
    return f"{row[0]}. {SIGN_HERE}" if row and row[0] else SIGN_HERE


def _table(sheet: AttendanceSheet) -> Table:
    """The invitee table: fitted to its content (bot/pdf.py) when it fits, else the signature column keeps
    its width and the other columns share the rest."""
    rows = [sheet.headers, *([*row, _signature_cell(row)] for row in sheet.rows)]
    table = fitted_table(rows, WIDTH)
    if table is None:
        body = ParagraphStyle("sheet-cell", fontName=FONT, fontSize=7, leading=9)
        bold = ParagraphStyle("sheet-head", parent=body, fontName=BOLD)
        rest = [row[:-1] for row in rows]
        widths = column_widths(rest, 7, WIDTH - SIGNATURE) or [(WIDTH - SIGNATURE) / len(rest[0])] * len(rest[0])
        cells = [[Paragraph(escape(v), bold if r == 0 else body) for v in row] for r, row in enumerate(rows)]
        table = Table(cells, colWidths=[*widths, SIGNATURE], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f0f2")),
                ]
            )
        )
    # Room to sign: taller body rows, the dotted line at the bottom of each.
    table.setStyle(
        TableStyle(
            [
                ("TOPPADDING", (0, 1), (-1, -1), 10),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 6),
                ("VALIGN", (0, 1), (-1, -1), "BOTTOM"),
            ]
        )
    )
    return table


def build_attendance_pdf(sheet: AttendanceSheet) -> bytes:
    """The sheet as an A4 PDF of as many pages as the list needs, numbered "Page n of m"."""
    register_fonts()
    title = ParagraphStyle("sheet-title", fontName=BOLD, fontSize=15, leading=19, spaceAfter=2)
    body = ParagraphStyle("sheet-body", fontName=FONT, fontSize=10, leading=13)
    small = ParagraphStyle("sheet-small", fontName=FONT, fontSize=8, leading=10, alignment=1)
    details: list[Flowable] = [Paragraph(escape(sheet.title), title), Paragraph(escape(sheet.cluster_line), body)]
    details.append(Spacer(1, 4))
    details += [
        Paragraph(f"<font name='{BOLD}'>{escape(label)}:</font> {escape(value)}", body)
        for label, value in sheet.details
    ]
    top = Table(
        [[details, [qr_code(sheet.link, 3.4 * cm), Paragraph(escape(sheet.scan_line), small)]]],
        colWidths=[WIDTH - QR_COLUMN, QR_COLUMN],
    )
    top.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "CENTER"),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
            ]
        )
    )
    signer = Table(
        [
            [Paragraph(f"<font name='{BOLD}'>{escape(sheet.signer_heading)}</font>", body)],
            *[[Paragraph(escape(line), body)] for line in sheet.signer_lines],
            [""],
            ["(" + "_" * 30 + ")"],
        ],
        colWidths=[7 * cm],
        rowHeights=[None] * (1 + len(sheet.signer_lines)) + [1.6 * cm, None],
        hAlign="RIGHT",
    )
    signer.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT)]))
    story: list[Flowable] = [top, Spacer(1, 0.4 * cm), _table(sheet), Spacer(1, 0.8 * cm), KeepTogether([signer])]
    return pages(
        story,
        sheet.title,
        lambda page, total: sheet.footer.format(page=page, pages=total),
        running_head=sheet.running_head,
    )
