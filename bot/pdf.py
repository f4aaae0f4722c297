"""Shared pieces of Rembug's printed pages (reportlab): the fonts and a one-page build.

DejaVu Sans (shipped with matplotlib, already a dependency) prints every name,
whatever its letters. Flows lay out their own page and call ``one_page`` to
build it (the content shrinks rather than spilling onto a second page), or
``pages`` for a document that runs on (numbered pages, a running head, a
table's header row repeated); ``qr_code`` draws a link for phone cameras. Tables
take their column widths from their content (``fitted_table``): a column is
never narrower than its longest word, so no word is ever broken inside a cell.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

import matplotlib
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepInFrame, Paragraph, SimpleDocTemplate, Table, TableStyle

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
PADDING = 12.0  # a cell's left and right padding together (reportlab's default 6 + 6)
SIZES = (8.5, 8.0, 7.5, 7.0)  # the font sizes a table may shrink to before it needs a wider page


@cache
def register_fonts() -> None:
    """Make DejaVu Sans and its bold known to reportlab (once)."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(folder / "DejaVuSans-Bold.ttf")))


def paragraphs(text: str, style: ParagraphStyle) -> list[Paragraph]:
    """Plain text as one paragraph per non-empty line."""
    return [Paragraph(escape(line), style) for line in text.splitlines() if line.strip()]


def _widest(texts: list[str], font: str, size: float, *, words: bool) -> float:
    """The width of the widest word (``words``) or the widest line of ``texts``."""
    pieces = [p for text in texts for line in text.splitlines() for p in (line.split() if words else [line])]
    return max((pdfmetrics.stringWidth(p, font, size) for p in pieces), default=0.0)


def column_widths(rows: list[list[str]], size: float, available: float, *, header: bool = True) -> list[float] | None:
    """Column widths for ``rows`` in DejaVu Sans at ``size``, filling ``available`` points; None when the
    columns' longest words alone are wider (the table needs a wider page, a smaller font or turning round).

    Bold is the first row with ``header``, else the first column. Each column gets at least its longest
    word; the room left goes to the columns whose lines are longer than that, in proportion."""
    columns = list(zip(*rows, strict=True)) if rows else []
    least, natural = [], []
    for c, column in enumerate(columns):
        body = [str(v) for r, v in enumerate(column) if (r != 0 if header else c != 0)]
        bold = [str(v) for r, v in enumerate(column) if (r == 0 if header else c == 0)]
        least.append(max(_widest(body, FONT, size, words=True), _widest(bold, BOLD, size, words=True)) + PADDING)
        natural.append(max(_widest(body, FONT, size, words=False), _widest(bold, BOLD, size, words=False)) + PADDING)
    if sum(least) > available:
        return None
    if not columns:
        return []
    if sum(natural) <= available:
        spare = available - sum(natural)
        return [n + spare * n / sum(natural) for n in natural]
    wish = [n - m for n, m in zip(natural, least, strict=True)]
    spare = available - sum(least)
    return [m + spare * w / sum(wish) for m, w in zip(least, wish, strict=True)]


def fitted_table(
    rows: list[list[str]],
    available: float,
    *,
    header: bool = True,
    sizes: tuple[float, ...] = SIZES,
    numbers_from: int | None = None,
) -> Table | None:
    """A grid of ``rows`` whose columns fit ``available`` points without breaking a word, at the largest of
    ``sizes`` that fits; None when none does. With ``header`` the first row is bold on a tint and repeats on
    every page, otherwise the first column is bold. Columns from ``numbers_from`` on hold amounts: set right."""
    register_fonts()
    for size in sizes:
        widths = column_widths(rows, size, available, header=header)
        if widths is None:
            continue
        body = ParagraphStyle(f"cell{size}", fontName=FONT, fontSize=size, leading=size * 1.3)
        bold = ParagraphStyle(f"bold{size}", parent=body, fontName=BOLD)
        right = {
            style.name: ParagraphStyle(f"{style.name}r", parent=style, alignment=TA_RIGHT) for style in (body, bold)
        }
        cells = []
        for r, row in enumerate(rows):
            line = []
            for c, v in enumerate(row):
                style = bold if (r == 0 if header else c == 0) else body
                if numbers_from is not None and c >= numbers_from:
                    style = right[style.name]
                line.append(Paragraph(escape(str(v)), style))
            cells.append(line)
        table = Table(cells, colWidths=widths, repeatRows=1 if header else 0)
        tint = [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f0f2"))] if header else []
        table.setStyle(
            TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"), *tint])
        )
        return table
    return None


def transposed(rows: list[list[str]]) -> list[list[str]]:
    """The table turned round: its columns become rows (the header becomes the first column)."""
    return [list(column) for column in zip(*rows, strict=True)]


def _document(buffer: io.BytesIO, title: str, pagesize: tuple[float, float]) -> SimpleDocTemplate:
    """A document of ``pagesize`` with Rembug's 2 cm margins, written to ``buffer``."""
    return SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=title,
    )


def one_page(story: list[Flowable], title: str, pagesize: tuple[float, float] = A4) -> bytes:
    """Build ``story`` as a single page (A4 unless told, 2 cm margins), shrunk to fit."""
    buffer = io.BytesIO()
    document = _document(buffer, title, pagesize)
    document.build([KeepInFrame(document.width, document.height, story, mode="shrink")])
    return buffer.getvalue()


def qr_code(link: str, size: float = 3.2 * cm) -> Drawing:
    """A QR code of ``link``, ``size`` points square, with the quiet border phone cameras need."""
    widget = QrCodeWidget(link, barBorder=4)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    return drawing


def pages(
    story: list[Flowable],
    title: str,
    footer: Callable[[int, int], str],
    *,
    pagesize: tuple[float, float] = A4,
    running_head: str = "",
) -> bytes:
    """Build ``story`` over as many pages as it needs (A4 unless told, 2 cm margins), each page with
    ``footer(page, pages)`` at its foot (say "Halaman 2 dari 5") and ``running_head`` at its top from
    page 2 on. A table with a header row repeats it on every page (``fitted_table`` does)."""
    register_fonts()
    buffer = io.BytesIO()
    document = _document(buffer, title, pagesize)
    width, height = pagesize

    class _Numbered(Canvas):
        """Holds each page until the last, so every footer can say how many pages there are."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                self.setFont(FONT, 8)
                self.setFillColor(colors.grey)
                self.drawCentredString(width / 2, 1.2 * cm, footer(number, total))
                if running_head and number > 1:
                    self.drawString(2 * cm, height - 1.3 * cm, running_head)
                super().showPage()
            super().save()

    document.build(story, canvasmaker=_Numbered)
    return buffer.getvalue()
