"""``rembug forms list | export | import`` as the people who run Rembug use it: a real process, a real
database file, the same checks as the chat, exit 2 with the report when a form is refused."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from tests.xlsforms import annotated_form, repeat_form

ROOT = Path(__file__).resolve().parents[2]


def _rembug(database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REMBUG_DATABASE": str(database)}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "forms", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _rows(listing: str) -> dict[tuple[str, str], str]:
    """``(id, version) -> the whole line`` of ``rembug forms list``."""
    rows = {}
    for line in listing.splitlines()[1:]:
        parts = line.split()
        rows[(parts[0], parts[1])] = line
    return rows


def test_list_export_and_import_from_the_command_line(tmp_path):
    database = tmp_path / "rembug.sqlite3"

    listing = _rembug(database, "list")
    assert listing.returncode == 0, listing.stderr
    rows = _rows(listing.stdout)
    assert rows[("annex1", "1")].split()[2] == "8"  # ANNEX-1's eight aspects
    assert ("plan_checkin", "1") in rows

    # ANNEX-1 as an XLSForm, with its three sheets and its scores.
    exported = tmp_path / "annex1.xlsx"
    done = _rembug(database, "export", "annex1", "--xlsform", str(exported))
    assert done.returncode == 0, done.stderr
    assert "annex1 version 1 (8 questions)" in done.stdout
    book = load_workbook(exported)
    assert {"survey", "choices", "settings"} <= set(book.sheetnames)
    choice_header = [cell.value for cell in book["choices"][1]]
    assert "score" in choice_header

    # Brought back in, it is the next version of annex1, for every cluster; the same file again changes nothing.
    imported = _rembug(database, "import", str(exported))
    assert imported.returncode == 0, imported.stderr
    assert "imported as annex1 version 2: 8 questions" in imported.stdout
    again = _rembug(database, "import", str(exported))
    assert again.returncode == 0 and "already imported as annex1 version 2" in again.stdout
    rows = _rows(_rembug(database, "list").stdout)
    assert "annex1.xlsx (every cluster)" in rows[("annex1", "2")]
    assert ("annex1", "3") not in rows

    # A real-world form imports too.
    batik = tmp_path / "survei-batik.xlsx"
    batik.write_bytes(annotated_form())
    assert _rembug(database, "import", str(batik)).returncode == 0

    # A form with a repeat group is refused whole: exit 2, the report names the row; nothing is kept.
    repeat = tmp_path / "anggota-keluarga.xlsx"
    repeat.write_bytes(repeat_form())
    refused = _rembug(database, "import", str(repeat))
    assert refused.returncode == 2
    assert "repeat" in refused.stderr.lower() and "Row " in refused.stderr
    assert "<b>" not in refused.stderr  # terminal text, not the chat's HTML
    after = _rembug(database, "list").stdout
    assert len(_rows(after)) == len(rows) + 1

    # Unknown ids, versions and clusters are refused with exit 2 and say what there is.
    unknown = _rembug(database, "export", "nothing", "--xlsform", str(tmp_path / "x.xlsx"))
    assert unknown.returncode == 2 and "annex1" in unknown.stderr
    assert (
        _rembug(database, "export", "annex1", "--version", "9", "--xlsform", str(tmp_path / "x.xlsx")).returncode == 2
    )
    assert _rembug(database, "import", str(batik), "--cluster", "77").returncode == 2
