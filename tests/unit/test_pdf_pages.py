"""The shared printed-page pieces: a document that runs on with numbered pages and its table header
repeated, and a QR code a camera reads back."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from bot import pdf
from tests.pdf_checks import page_count, page_texts, qr_links


def test_a_long_table_runs_on_with_its_header_and_page_numbers_on_every_page() -> None:
    pdf.register_fonts()
    rows = [["No", "Nama", "Tanda tangan"]] + [[str(n), f"Anggota {n}", ""] for n in range(1, 301)]
    table = pdf.fitted_table(rows, 480)
    assert table is not None
    story = [Paragraph("Daftar hadir", ParagraphStyle("h", fontName=pdf.FONT)), table]
    document = pdf.pages(
        story, "Daftar hadir", lambda page, total: f"Halaman {page} dari {total}", running_head="Rapat"
    )

    total = page_count(document)
    assert total > 1
    texts = page_texts(document)
    for number, text in enumerate(texts, start=1):
        assert f"Halaman {number} dari {total}" in text
        assert "No" in text and "Tanda tangan" in text  # the header row, repeated
        assert ("Rapat" in text) == (number > 1)  # the running head from page 2 on
    assert all(f"Anggota {n}" in " ".join(texts) for n in range(1, 301))


def test_a_printed_qr_code_reads_back_as_its_link() -> None:
    link = "https://t.me/rembug_bot?start=ci_K7Q2MX"
    document = pdf.pages([pdf.qr_code(link)], "QR", lambda page, total: f"{page}/{total}")
    assert qr_links(document) == [link]
