"""The one-page PDF announcing the organisation, to print and sign (reportlab).

The views pass every text already translated; this module only lays it out.
Fonts and the one-page build come from bot/pdf.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from bot.pdf import BOLD, FONT, one_page, paragraphs, register_fonts


@dataclass(frozen=True)
class FormationSheet:
    """Everything the page says, in the reader's language."""

    title: str
    cluster_line: str
    date_line: str
    board_heading: str
    board: list[tuple[str, str]]  # position, name
    vision_heading: str
    vision: str
    next_meeting_heading: str
    next_meeting: str
    signatures: list[str]  # who signs: "Chair", "Secretary", "Facilitator"


def build_formation_pdf(sheet: FormationSheet) -> bytes:
    """The sheet as a one-page A4 PDF: title, board, vision and mission, next meeting, signature lines."""
    register_fonts()
    title = ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=20, alignment=1, spaceAfter=4)
    centre = ParagraphStyle("centre", fontName=FONT, fontSize=10, leading=13, alignment=1)
    heading = ParagraphStyle("heading", fontName=BOLD, fontSize=11, leading=14, spaceBefore=10, spaceAfter=4)
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13)
    story = [
        Paragraph(escape(sheet.title), title),
        Paragraph(escape(sheet.cluster_line), centre),
        Paragraph(escape(sheet.date_line), centre),
    ]
    story += [Paragraph(escape(sheet.board_heading), heading)]
    board = Table(
        [[Paragraph(escape(p), body), Paragraph(escape(n), body)] for p, n in sheet.board] or [["-", "-"]],
        colWidths=[6 * cm, 10 * cm],
    )
    board.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(board)
    story += [Paragraph(escape(sheet.vision_heading), heading), *paragraphs(sheet.vision, body)]
    story += [
        Paragraph(escape(sheet.next_meeting_heading), heading),
        Paragraph(escape(sheet.next_meeting), body),
        Spacer(1, 1.2 * cm),
    ]
    signatures = Table(
        [
            [Paragraph(escape(who), centre) for who in sheet.signatures],
            ["" for _ in sheet.signatures],
            ["(________________)" for _ in sheet.signatures],
        ],
        colWidths=[16 * cm / max(len(sheet.signatures), 1)] * len(sheet.signatures),
        rowHeights=[0.7 * cm, 1.6 * cm, 0.7 * cm],
    )
    signatures.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"), ("FONTNAME", (0, 0), (-1, -1), FONT)]))
    story.append(signatures)
    # Shrink rather than spill: the sheet is printed and signed as one page.
    return one_page(story, sheet.title)
