"""bot/kobo_export.py: sent answers in KoboToolbox's default export shape."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.forms import Form, parse_form
from bot.kobo_export import kobo_csv, kobo_headers, kobo_table, kobo_xlsx
from storage import forms
from storage.database import Database
from storage.forms import Response

ANA, BUDI, FACILITATOR = 11, 12, 99
NAMES = {ANA: "Ana", BUDI: "Budi", FACILITATOR: "Fasilitator Sari"}


def _labels(text: str, indonesian: str | None = None) -> dict[str, str]:
    return {"label::id": indonesian or f"{text} (id)", "label::en": text}


def _form() -> Form:
    return parse_form(
        {
            "id": "profil",
            "version": 2,
            "title::id": "Profil usaha",
            "title::en": "Business profile",
            "questions": [
                {
                    "name": "has_firm",
                    "type": "select_one",
                    **_labels("A firm?"),
                    "choices": [{"name": "yes", **_labels("Yes", "Ya")}, {"name": "no", **_labels("No", "Tidak")}],
                },
                {
                    "name": "workers",
                    "type": "integer",
                    **_labels("Workers"),
                    "relevant": "${has_firm} = 'yes'",
                    "groups": [{"name": "usaha", **_labels("Business")}],
                    "notes": [{"name": "intro", **_labels("About the business")}],
                },
                {
                    "name": "turnover",
                    "type": "decimal",
                    "required": False,
                    **_labels("Turnover"),
                    "groups": [{"name": "usaha", **_labels("Business")}],
                },
                {
                    "name": "markets",
                    "type": "select_multiple",
                    **_labels("Markets"),
                    "choices": [
                        {"name": "local", **_labels("Local market", "Pasar lokal")},
                        {"name": "export", **_labels("Abroad", "Luar negeri")},
                        {"name": "online", **_labels("Online", "Daring")},
                    ],
                },
                {"name": "founded", "type": "date", "required": False, **_labels("Founded")},
                {"name": "remark", "type": "text", "required": False, **_labels("Remark")},
            ],
        },
        "test",
    )


def _response(
    response_id: int,
    respondent: int | None,
    answers: dict,
    *,
    entered_by: int | None = None,
    source: str = "phone",
    submitted: datetime | None = datetime(2026, 12, 3, 2, 15, tzinfo=UTC),
    respondent_name: str | None = None,
) -> Response:
    return Response(
        id=response_id,
        form_id="profil",
        form_version=2,
        subject="round:1",
        respondent_id=respondent,
        respondent_name=respondent_name,
        entered_by=respondent if entered_by is None else entered_by,  # type: ignore[arg-type]
        current=None,
        status="submitted" if submitted else "in_progress",
        answers=answers,
        started_at=datetime(2026, 12, 3, 2, 0, 30, tzinfo=UTC),
        updated_at=submitted or datetime(2026, 12, 3, 2, 5, tzinfo=UTC),
        submitted_at=submitted,
        source=source,
    )


ANA_ANSWERS = {
    "has_firm": "yes",
    "workers": 12,
    "turnover": 2.5,
    "markets": ["local", "online"],
    "founded": "2019-04-01",
    "remark": "Batik tulis",
}


def _by_header(headers: list[str], row: list) -> dict:
    return dict(zip(headers, row, strict=True))


def test_the_headers_follow_kobo_default_export():
    assert kobo_headers(_form()) == [
        "start",
        "end",
        "has_firm",
        "usaha/workers",
        "usaha/turnover",
        "markets",
        "markets/local",
        "markets/export",
        "markets/online",
        "founded",
        "remark",
        "_id",
        "_submission_time",
        "_submitted_by",
        "__version__",
        "respondent",
        "entered_by",
    ]


def test_a_row_holds_names_numbers_dates_and_option_columns():
    headers, rows = kobo_table(_form(), [_response(7, ANA, ANA_ANSWERS)], NAMES, "Asia/Jakarta")
    assert _by_header(headers, rows[0]) == {
        "start": "2026-12-03T09:00:30.000+07:00",
        "end": "2026-12-03T09:15:00.000+07:00",
        "has_firm": "yes",
        "usaha/workers": 12,
        "usaha/turnover": 2.5,
        "markets": "local online",
        "markets/local": 1,
        "markets/export": 0,
        "markets/online": 1,
        "founded": date(2019, 4, 1),
        "remark": "Batik tulis",
        "_id": 7,
        "_submission_time": "2026-12-03T02:15:00",
        "_submitted_by": "Ana",
        "__version__": "2",
        "respondent": "Ana",
        "entered_by": "phone",
    }


def test_labels_in_a_language_replace_option_names_but_not_headers():
    headers, rows = kobo_table(_form(), [_response(7, ANA, ANA_ANSWERS)], NAMES, labels_in="id")
    assert headers == kobo_headers(_form())
    row = _by_header(headers, rows[0])
    assert row["has_firm"] == "Ya"
    assert row["markets"] == "Pasar lokal; Daring"
    assert (row["markets/local"], row["markets/export"]) == (1, 0)
    headers, rows = kobo_table(_form(), [_response(7, ANA, ANA_ANSWERS)], NAMES, labels_in="en")
    assert _by_header(headers, rows[0])["markets"] == "Local market; Online"


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError):
        kobo_table(_form(), [], NAMES, labels_in="fr")


def test_unanswered_and_moot_answers_are_empty():
    answers = {"has_firm": "no", "workers": 4, "markets": ["export"], "turnover": None}  # workers: moot after "no"
    headers, rows = kobo_table(_form(), [_response(8, BUDI, answers)], NAMES)
    row = _by_header(headers, rows[0])
    assert row["usaha/workers"] is None and row["usaha/turnover"] is None
    assert row["founded"] is None and row["remark"] is None
    assert (row["markets"], row["markets/local"], row["markets/export"]) == ("export", 0, 1)


def test_an_unanswered_select_multiple_leaves_its_option_columns_empty():
    headers, rows = kobo_table(_form(), [_response(8, BUDI, {"has_firm": "no"})], NAMES)
    row = _by_header(headers, rows[0])
    assert [row[h] for h in headers if h.startswith("markets")] == [None, None, None, None]


def test_only_sent_responses_are_rows():
    responses = [_response(1, ANA, ANA_ANSWERS), _response(2, BUDI, {"has_firm": "no"}, submitted=None)]
    _headers, rows = kobo_table(_form(), responses, NAMES)
    assert [row[-6] for row in rows] == [1]


def test_start_and_end_use_the_cluster_time_zone():
    headers, rows = kobo_table(_form(), [_response(1, ANA, ANA_ANSWERS)], NAMES, "Asia/Makassar")
    row = _by_header(headers, rows[0])
    assert (row["start"], row["end"]) == ("2026-12-03T10:00:30.000+08:00", "2026-12-03T10:15:00.000+08:00")
    assert row["_submission_time"] == "2026-12-03T02:15:00"  # UTC whatever the zone


def test_paper_and_interviews_name_who_entered_them():
    responses = [
        _response(1, ANA, ANA_ANSWERS, entered_by=FACILITATOR, source="interview"),
        _response(2, None, {"has_firm": "no"}, entered_by=FACILITATOR, source="paper", respondent_name="Pak Joko"),
    ]
    headers, rows = kobo_table(_form(), responses, NAMES)
    found = [_by_header(headers, row) for row in rows]
    assert [(r["respondent"], r["entered_by"], r["_submitted_by"]) for r in found] == [
        ("Ana", "interview", "Fasilitator Sari"),
        ("Pak Joko", "paper", "Fasilitator Sari"),
    ]


def test_the_csv_reads_back_with_the_same_columns():
    data = kobo_csv(_form(), [_response(7, ANA, ANA_ANSWERS)], NAMES, "Asia/Jakarta")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == kobo_headers(_form())
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["start"] == "2026-12-03T09:00:30.000+07:00"
    assert (row["usaha/workers"], row["usaha/turnover"], row["founded"]) == ("12", "2.5", "2019-04-01")
    assert (row["markets"], row["markets/export"]) == ("local online", "0")


def test_the_xlsx_has_numbers_dates_and_the_form_title():
    data = kobo_xlsx(_form(), [_response(7, ANA, ANA_ANSWERS)], NAMES, labels_in="en")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Business profile"
    rows = list(sheet.iter_rows(values_only=True))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["usaha/workers"] == 12 and row["markets/online"] == 1
    assert row["founded"].date() == date(2019, 4, 1)
    assert row["has_firm"] == "Yes"


async def test_responses_read_from_storage_export_as_they_were_entered(tmp_path):
    started, sent = datetime(2026, 12, 3, 1, 0, tzinfo=UTC), datetime(2026, 12, 3, 1, 20, tzinfo=UTC)
    db = await Database.open(tmp_path / "kobo.sqlite3")
    try:
        async with db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO users (id, first_name, language, first_seen, last_seen) VALUES (?, 'A', 'id', ?, ?)",
                [(uid, started.isoformat(), started.isoformat()) for uid in (ANA, BUDI, FACILITATOR)],
            )
            common: dict[str, Any] = {"form_id": "profil", "form_version": 2, "subject": "round:1", "now": started}
            own = await forms.start_response(tx, respondent_id=ANA, respondent_name=None, entered_by=ANA, **common)
            paper = await forms.start_response(
                tx, respondent_id=None, respondent_name="Bu Sri", entered_by=FACILITATOR, source="paper", **common
            )
            await forms.start_response(tx, respondent_id=BUDI, respondent_name=None, entered_by=BUDI, **common)
            for name, value in ANA_ANSWERS.items():
                await forms.save_answer(tx, own.id, name, value, None, started)
            await forms.save_answer(tx, paper.id, "has_firm", "no", None, started)
            await forms.save_answer(tx, paper.id, "markets", ["export"], None, started)
            await forms.submit(tx, own.id, sent)
            await forms.submit(tx, paper.id, sent)
            responses = await forms.responses_about(tx, "round:1")
    finally:
        await db.close()
    headers, rows = kobo_table(_form(), responses, NAMES, "Asia/Jakarta")
    found = [_by_header(headers, row) for row in rows]
    assert [(r["_id"], r["respondent"], r["entered_by"]) for r in found] == [
        (own.id, "Ana", "phone"),
        (paper.id, "Bu Sri", "paper"),
    ]
    assert (found[0]["start"], found[0]["end"]) == ("2026-12-03T08:00:00.000+07:00", "2026-12-03T08:20:00.000+07:00")
    assert (found[0]["usaha/turnover"], found[0]["founded"], found[0]["markets"]) == (
        2.5,
        date(2019, 4, 1),
        "local online",
    )
    assert (found[1]["markets/export"], found[1]["_submitted_by"]) == (1, "Fasilitator Sari")
