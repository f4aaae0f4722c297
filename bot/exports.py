"""Tables as files people open in Excel: CSV and XLSX, built from plain rows (shared by every flow).

The views decide the columns and translate them (``directory_views.export_table``);
these functions only turn headers and rows into bytes, so they are tested by
reading the files back. Cells hold text, a ``date``, or ``None``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

Cell = str | int | float | date | None  # numbers are written as numbers (an amount in IDR, a count)
# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PHONE = re.compile(r"^\+?[0-9][0-9 ]*$")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MAX_COLUMN_WIDTH = 50


def slug(name: str, fallback: str) -> str:
    """A file-name-safe form of ``name``: ``Sentra Batik Laweyan`` → ``sentra-batik-laweyan``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-")
    return cleaned or fallback


def safe_text(value: str) -> str:
    """Text a spreadsheet shows as typed: a would-be formula gets a leading apostrophe.

    Phone numbers such as ``+62 812 ...`` stay as they are: they are numbers, not formulas.
    """
    if value.startswith(_FORMULA_START) and not _PHONE.match(value):
        return "'" + value
    return value


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return safe_text(value)
    return str(value)


def build_csv(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    """The table as CSV in UTF-8 with a byte-order mark, so Excel reads its accents and symbols right."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_text(header) for header in headers])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def sheet_title(title: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    cleaned = _SHEET_FORBIDDEN.sub(" ", title).strip().strip("'")[:31].strip()
    return cleaned or "Sheet1"


def build_xlsx(headers: Sequence[str], rows: Sequence[Sequence[Cell]], title: str) -> bytes:
    """The table as an Excel workbook: bold headers, a filter, frozen header row, real date cells."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(title)
    sheet.append([_xlsx_text(header) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            _put(sheet.cell(row=row_number, column=column), value)
    widths = [len(header) for header in headers]
    for row in rows:
        for column, value in enumerate(row):
            widths[column] = max(widths[column], 10 if isinstance(value, date) else len(str(value or "")))
    for column, width in enumerate(widths, start=1):
        letter = sheet.cell(row=1, column=column).column_letter
        sheet.column_dimensions[letter].width = min(width + 2, _MAX_COLUMN_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _put(cell, value: Cell):
    """Write a date as a real date cell, text as text (never a formula, whatever it starts with)."""
    if isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, str):
        cell.value = _xlsx_text(value)
        cell.data_type = "s"
    elif value is not None:
        cell.value = value
        cell.number_format = "#,##0" if isinstance(value, int) else "#,##0.00"
    return cell


def _xlsx_text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def build_xlsx_sheets(sheets: Sequence[tuple[str, Sequence[Sequence[Cell]]]], bold_first_column: bool = True) -> bytes:
    """Several laid-out sheets (a matrix, not a table) in one workbook: ``(title, rows)`` each.

    The first row of each sheet is bold, and so is the first column (the row names of a matrix).
    Cells are text (never formulas), dates or None; long text wraps.
    """
    from openpyxl.styles import Alignment

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for number, (title, rows) in enumerate(sheets, start=1):
        name = sheet_title(title)
        if name in used:
            name = sheet_title(f"{number} {title}")
        used.add(name)
        sheet = workbook.create_sheet(name)
        for row_number, row in enumerate(rows, start=1):
            for column, value in enumerate(row, start=1):
                cell = _put(sheet.cell(row=row_number, column=column), value)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if row_number == 1 or (bold_first_column and column == 1):
                    cell.font = Font(bold=True)
        for column in range(1, max((len(r) for r in rows), default=1) + 1):
            sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = 18 if column == 1 else 38
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
