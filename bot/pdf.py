"""Shared pieces of Rembug's printed pages (reportlab): the fonts and a one-page build.

DejaVu Sans (shipped with matplotlib, already a dependency) prints every name,
whatever its letters. Flows lay out their own page and call ``one_page`` to
build it: the content shrinks rather than spilling onto a second page.
"""

from __future__ import annotations

import io
from functools import cache
from html import escape
from pathlib import Path

import matplotlib
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, KeepInFrame, Paragraph, SimpleDocTemplate

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"


@cache
def register_fonts() -> None:
    """Make DejaVu Sans and its bold known to reportlab (once)."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(folder / "DejaVuSans-Bold.ttf")))


def paragraphs(text: str, style: ParagraphStyle) -> list[Paragraph]:
    """Plain text as one paragraph per non-empty line."""
    return [Paragraph(escape(line), style) for line in text.splitlines() if line.strip()]


def one_page(story: list[Flowable], title: str) -> bytes:
    """Build ``story`` as a single A4 page (2 cm margins), shrunk to fit."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm, bottomMargin=2 * cm, title=title
    )
    document.build([KeepInFrame(document.width, document.height, story, mode="shrink")])
    return buffer.getvalue()
