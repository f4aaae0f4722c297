"""Reading Rembug's PDFs back the way a reader would: the text of each page (pypdf), whether a phrase
stands whole in it (no word broken across lines or cells), how many pictures are drawn, and page 1
as a PNG in tests/artifacts/ for the closing note (pdftoppm, from Debian's poppler-utils), and the QR
codes a phone camera would read on a page (zxing-cpp on that PNG)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

ARTIFACTS = Path(__file__).parent / "artifacts"


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text, as pypdf extracts it."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def broken(pdf: bytes, phrases: list[str]) -> list[str]:
    """The phrases that do not stand whole in the PDF: lines may wrap between words, never inside one."""
    text = _flat(" ".join(page_texts(pdf)))
    return [phrase for phrase in phrases if _flat(phrase) not in text]


def row_whole(pdf: bytes, cells: list[str]) -> bool:
    """Whether a table row's cells stand whole and in order, one after another (a header row, say)."""
    return _flat(" ".join(cells)) in _flat(" ".join(page_texts(pdf)))


def images(pdf: bytes) -> int:
    """How many pictures (charts) the PDF draws."""
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


_NO_PDFTOPPM = "pdftoppm is missing (Debian's poppler-utils; ./dev.sh test installs it)"


def _render(source: Path, page: int, dpi: int, target: Path) -> Path:
    """Render ``page`` of the PDF file ``source`` to ``target``.png with pdftoppm; the PNG's path."""
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(source), str(target)],
        check=True,
        timeout=60,
    )
    return target.with_name(target.name + ".png")


def page_one_png(pdf: bytes, name: str, *, skip: bool = True) -> Path | None:
    """Render page 1 to tests/artifacts/<name>.png. Where pdftoppm is missing the test skips, with the
    reason, or (``skip=False``, in the middle of a longer test) nothing is rendered and None returned."""
    if shutil.which("pdftoppm") is None:
        if not skip:
            return None
        pytest.skip(_NO_PDFTOPPM)
    ARTIFACTS.mkdir(exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(pdf)
    return _render(source, 1, 80, ARTIFACTS / name)


def page_count(pdf: bytes) -> int:
    """How many pages the PDF has."""
    return len(PdfReader(io.BytesIO(pdf)).pages)


def qr_links(pdf: bytes, page: int = 1) -> list[str]:
    """The texts of the QR codes on ``page`` (1-based), read from the page rendered at 150 dpi as a
    camera would see it. Skips where pdftoppm is missing."""
    if shutil.which("pdftoppm") is None:
        pytest.skip(_NO_PDFTOPPM)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "page.pdf"
        source.write_bytes(pdf)
        with Image.open(_render(source, page, 150, Path(folder) / "page")) as picture:
            return [found.text for found in zxingcpp.read_barcodes(picture)]
