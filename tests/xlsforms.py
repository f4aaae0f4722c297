"""XLSForm workbooks for tests: build one from rows, or take the realistic batik survey.

``workbook`` writes ``survey``, ``choices`` and ``settings`` sheets with openpyxl (each sheet's
header is the union of its rows' keys, in order of appearance). ``annotated_form`` is a survey a
batik cluster's facilitator might make in KoboToolbox: two languages, groups, a note, scores,
constraints and conditions; ``repeat_form`` has a repeat group the engine refuses, at ``REPEAT_ROW``.
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO
from typing import Any

from openpyxl import Workbook

ID = "label::Indonesian (id)"
EN = "label::English (en)"

FORM_ID = "batik_usaha_2026"
FORM_TITLE = "Survei Usaha Batik 2026"
FORM_VERSION = "2026.1"
# The questions, in the order they are asked (meta rows, the note and the groups are none).
QUESTION_NAMES = (
    "nama_usaha",
    "jenis",
    "pekerja",
    "ekspor",
    "negara",
    "omzet_ekspor",
    "mulai_usaha",
    "bahan",
    "bahan_lain",
)
GROUP_NAMES = ("usaha", "ekspor_detail")
NOTE_NAME = "intro"
JENIS_SCORES = {"tulis": 4, "cap": 3, "kombinasi": 2, "printing": 1}
REPEAT_ROW = 4  # the begin_repeat row of repeat_form, as Excel numbers it


def _header(rows: Iterable[dict[str, Any]]) -> list[str]:
    header: list[str] = []
    for row in rows:
        header.extend(key for key in row if key not in header)
    return header


def workbook(survey: list[dict], choices: Iterable[dict] = (), settings: dict | None = None) -> bytes:
    """An .xlsx with a ``survey`` sheet, a ``choices`` sheet when there are choices, and ``settings``."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    sheets: list[tuple[Any, list[dict]]] = [(sheet, survey)]
    choices = list(choices)
    if choices:
        sheets.append((book.create_sheet("choices"), choices))
    if settings is not None:
        sheets.append((book.create_sheet("settings"), [settings]))
    for target, rows in sheets:
        header = _header(rows)
        target.append(header)
        for row in rows:
            target.append([row.get(key) for key in header])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _q(kind: str, name: str, label_id: str, label_en: str, **more: Any) -> dict[str, Any]:
    return {"type": kind, "name": name, ID: label_id, EN: label_en, **more}


def _c(list_name: str, name: str, label_id: str, label_en: str, **more: Any) -> dict[str, Any]:
    return {"list_name": list_name, "name": name, ID: label_id, EN: label_en, **more}


def annotated_form() -> bytes:
    """The batik survey (see the module docstring), as KoboToolbox would export it."""
    survey = [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
        _q(
            "note",
            NOTE_NAME,
            "Terima kasih sudah mengisi survei ini. Jawaban Anda membantu klaster merencanakan kegiatan.",
            "Thank you for filling in this survey. Your answers help the cluster plan its activities.",
        ),
        _q("begin_group", "usaha", "Usaha Anda", "Your business"),
        _q(
            "text",
            "nama_usaha",
            "Apa nama usaha Anda?",
            "What is your business called?",
            required="yes",
            constraint="string-length(.) <= 80",
        ),
        _q("select_one jenis", "jenis", "Batik apa yang Anda buat?", "What batik do you make?", required="yes"),
        _q(
            "integer",
            "pekerja",
            "Berapa orang yang bekerja di usaha Anda?",
            "How many people work in your business?",
            required="yes",
            constraint=". >= 1 and . <= 500",
            **{
                "constraint_message::Indonesian (id)": "Isi angka 1 sampai 500",
                "constraint_message::English (en)": "Type a number from 1 to 500",
                "hint::Indonesian (id)": "Hitung juga diri Anda dan keluarga yang ikut bekerja",
                "hint::English (en)": "Count yourself and family members who work too",
            },
        ),
        {"type": "end_group"},
        _q(
            "select_one ya_tidak",
            "ekspor",
            "Apakah Anda menjual ke luar negeri?",
            "Do you sell abroad?",
            required="yes",
        ),
        _q(
            "begin_group",
            "ekspor_detail",
            "Penjualan ke luar negeri",
            "Sales abroad",
            relevant="${ekspor} = 'ya'",
        ),
        _q(
            "select_multiple negara",
            "negara",
            "Ke negara mana saja?",
            "To which countries?",
            required="yes",
        ),
        _q(
            "decimal",
            "omzet_ekspor",
            "Omzet ekspor per bulan (juta rupiah)",
            "Export turnover per month (million rupiah)",
            required="yes",
            constraint=". > 0",
        ),
        {"type": "end_group"},
        _q("date", "mulai_usaha", "Sejak kapan usaha Anda berjalan?", "Since when has your business run?"),
        _q(
            "select_multiple bahan",
            "bahan",
            "Kain apa yang Anda pakai?",
            "Which cloth do you use?",
            required="yes",
        ),
        _q(
            "text",
            "bahan_lain",
            "Kain lain apa?",
            "What other cloth?",
            required="yes",
            relevant="selected(${bahan}, 'lainnya')",
        ),
    ]
    choices = [
        _c("jenis", "tulis", "Batik tulis", "Hand-drawn batik", score=4),
        _c("jenis", "cap", "Batik cap", "Stamped batik", score=3),
        _c("jenis", "kombinasi", "Batik kombinasi (tulis dan cap)", "Combined batik (drawn and stamped)", score=2),
        _c("jenis", "printing", "Batik printing", "Printed batik", score=1),
        _c("ya_tidak", "ya", "Ya", "Yes"),
        _c("ya_tidak", "tidak", "Tidak", "No"),
        _c("negara", "malaysia", "Malaysia", "Malaysia"),
        _c("negara", "singapura", "Singapura", "Singapore"),
        _c("negara", "jepang", "Jepang", "Japan"),
        _c("negara", "belanda", "Belanda", "The Netherlands"),
        _c("bahan", "katun", "Katun", "Cotton"),
        _c("bahan", "sutra", "Sutra", "Silk"),
        _c("bahan", "rayon", "Rayon", "Rayon"),
        _c("bahan", "lainnya", "Lainnya", "Other"),
    ]
    settings = {
        "form_id": FORM_ID,
        "form_title": FORM_TITLE,
        "version": FORM_VERSION,
        "default_language": "Indonesian (id)",
    }
    return workbook(survey, choices, settings)


def repeat_form() -> bytes:
    """A form with a repeat group (one row per family member) at ``REPEAT_ROW``."""
    survey = [
        {"type": "start", "name": "start"},  # row 2
        _q("integer", "anggota", "Berapa anggota keluarga?", "How many family members?"),  # row 3
        _q("begin_repeat", "keluarga", "Anggota keluarga", "Family member"),  # row 4
        _q("text", "nama", "Nama", "Name"),
        {"type": "end_repeat"},
    ]
    return workbook(survey, settings={"form_id": "keluarga"})
