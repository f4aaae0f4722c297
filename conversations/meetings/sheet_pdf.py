"""The attendance sheet of a meeting as an A4 PDF to print, pass round and sign (reportlab).

The views pass every text already translated; this module only lays it out: the meeting on top with the
check-in QR code beside it, a numbered table of invitees with a signature column (its header row repeated
on every page), empty numbered rows for walk-in guests, and the facilitator's signature block. Pages are
numbered and carry the meeting's name from page 2 on (``bot.pdf.pages``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from bot.pdf import BOLD, FONT, pages, qr_code, register_fonts

SIGNING_PADDING = 8  # points above and below a row's text: about a centimetre a row, room to sign by hand
# No, name, small group, stakeholder type, signature: 17 cm, the A4 width inside 2 cm margins.
COLUMNS = (1.2 * cm, 5.0 * cm, 3.0 * cm, 3.3 * cm, 4.5 * cm)


@dataclass(frozen=True)
class SheetRow:
    """One printed row: the number, then name, small group and stakeholder type ("" on a guest's row)."""

    number: int
    name: str = ""
    group: str = ""
    kind: str = ""


@dataclass(frozen=True)
class AttendanceSheet:
    """Everything the sheet says, in the reader's language."""

    title: str  # "DAFTAR HADIR"
    heading: str  # the meeting's kind and topic
    details: list[str]  # cluster, day and time in the cluster's zone, place
    qr_link: str
    qr_caption: str  # "Punya HP? Pindai untuk absen sendiri."
    columns: tuple[str, str, str, str, str]  # No, Name, Small group, Stakeholder type, Signature
    rows: list[SheetRow]  # the invitees, then the guests' empty rows
    guests_heading: str  # above the empty rows
    guests_from: int  # the number of the first empty row
    signature_lines: list[str]  # place and date line, role, name
    running_head: str
    footer: Callable[[int, int], str]


def build_sheet_pdf(sheet: AttendanceSheet) -> bytes:
    """The sheet as an A4 PDF of as many pages as its rows need."""
    register_fonts()
    title = ParagraphStyle("title", fontName=BOLD, fontSize=15, leading=19, spaceAfter=4)
    heading = ParagraphStyle("heading", fontName=BOLD, fontSize=11.5, leading=15, spaceAfter=3)
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5)
    small = ParagraphStyle("small", fontName=FONT, fontSize=8, leading=10, alignment=1)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=11)
    bold = ParagraphStyle("bold", parent=cell, fontName=BOLD)

    about: list[Flowable] = [Paragraph(escape(sheet.title), title), Paragraph(escape(sheet.heading), heading)]
    about += [Paragraph(escape(line), body) for line in sheet.details]
    code = [qr_code(sheet.qr_link, 3.0 * cm), Paragraph(escape(sheet.qr_caption), small)]
    top = Table([[about, code]], colWidths=[13.3 * cm, 3.7 * cm])
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, 0), 0)]))

    def line(row: SheetRow) -> list[Paragraph]:
        return [Paragraph(escape(text), cell) for text in (f"{row.number}.", row.name, row.group, row.kind, "")]

    table_rows: list[list[Paragraph | str]] = [[Paragraph(escape(text), bold) for text in sheet.columns]]
    styles: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f0f2")),
        ("TOPPADDING", (0, 1), (-1, -1), SIGNING_PADDING),
        ("BOTTOMPADDING", (0, 1), (-1, -1), SIGNING_PADDING),
    ]
    for row in sheet.rows:
        if row.number == sheet.guests_from:  # a line across the table names the rows for guests
            at = len(table_rows)
            styles += [("SPAN", (0, at), (-1, at)), ("BACKGROUND", (0, at), (-1, at), colors.HexColor("#f4f4f4"))]
            table_rows.append([Paragraph(escape(sheet.guests_heading), bold), "", "", "", ""])
        table_rows.append(line(row))
    table = Table(table_rows, colWidths=list(COLUMNS), repeatRows=1)
    table.setStyle(TableStyle(styles))

    signature = [Spacer(1, 0.8 * cm)]
    signature += [Paragraph(escape(text), body) for text in sheet.signature_lines[:-1]]
    signature += [Spacer(1, 1.8 * cm), Paragraph(escape(sheet.signature_lines[-1]), body)]
    block = Table([["", signature]], colWidths=[10 * cm, 7 * cm])
    story: list[Flowable] = [top, Spacer(1, 0.4 * cm), table, KeepTogether([block])]
    return pages(story, sheet.title, sheet.footer, running_head=sheet.running_head)
