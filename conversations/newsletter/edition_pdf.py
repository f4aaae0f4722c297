"""The newsletter as a one-page PDF to print or forward (reportlab, through bot/pdf.py).

The handler passes every text already translated; this module only lays it out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Spacer

from bot.pdf import BOLD, FONT, one_page, paragraphs, register_fonts

# The chat's emoji bullets (👥, 📅…) are not in the printed font.
_LEADING_SYMBOL = re.compile(r"^[^\w(]+")


@dataclass(frozen=True)
class NewsletterSheet:
    """Everything the page says, in the sender's language."""

    title: str
    cluster_line: str
    date_line: str
    body: str
    figures_heading: str
    figures: list[str]
    join_line: str


def build_newsletter_pdf(sheet: NewsletterSheet) -> bytes:
    """One A4 page: title, cluster and date, the text, the cluster's figures, the invitation to join."""
    register_fonts()
    title = ParagraphStyle("title", fontName=BOLD, fontSize=18, leading=22, alignment=1, spaceAfter=4)
    centre = ParagraphStyle("centre", fontName=FONT, fontSize=10, leading=13, alignment=1)
    heading = ParagraphStyle("heading", fontName=BOLD, fontSize=12, leading=15, spaceBefore=12, spaceAfter=4)
    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=15, spaceAfter=6)
    story = [
        Paragraph(escape(sheet.title), title),
        Paragraph(escape(sheet.cluster_line), centre),
        Paragraph(escape(sheet.date_line), centre),
        Spacer(1, 12),
    ]
    story += paragraphs(sheet.body, body)
    story += [
        Paragraph(escape(sheet.figures_heading), heading),
        *paragraphs("\n".join(_LEADING_SYMBOL.sub("", line) for line in sheet.figures), body),
    ]
    story += [Spacer(1, 12), Paragraph(escape(sheet.join_line), heading)]
    return one_page(story, sheet.title)
