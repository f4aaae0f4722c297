"""The member directory: its buttons, its pages, and the CSV and Excel files read back."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from bot.buttons import MAX_CALLBACK_BYTES, callback_data
from bot.exports import build_csv, build_xlsx, safe_text, sheet_title, slug
from conversations.membership import directory_views
from conversations.membership.group_rules import (
    ALL_MEMBERS,
    DIRECTORY_PAGE_SIZE,
    DIRECTORY_PREFIX,
    DirectoryAction,
    DirectoryButton,
    DirectoryFilter,
    directory_button_parts,
    parse_directory_button,
)
from storage.memberships import Membership

JOINED = datetime(2026, 3, 1, 20, 30, tzinfo=UTC)  # 2 March in Jakarta (UTC+7)


def _member(user_id: int, name: str, **fields) -> Membership:
    values = {
        "cluster_id": 1,
        "user_id": user_id,
        "full_name": name,
        "home_area": None,
        "core_business": None,
        "stakeholder_type": None,
        "phone": None,
        "small_group_id": None,
        "small_group_name": None,
        "is_facilitator": False,
        "is_secretary": False,
        "is_group_leader": False,
        "joined_at": JOINED,
        "left_at": None,
    }
    values.update(fields)
    return Membership(**values)


EVERY_BUTTON = [
    DirectoryButton(DirectoryAction.PAGE, 0, ALL_MEMBERS),
    DirectoryButton(DirectoryAction.PAGE, 12, DirectoryFilter(small_group_id=2**52 - 1)),
    DirectoryButton(DirectoryAction.PAGE, 3, DirectoryFilter(stakeholder_type="bds_provider")),
    DirectoryButton(DirectoryAction.BY_GROUP, 0, DirectoryFilter(stakeholder_type="bank")),
    DirectoryButton(DirectoryAction.BY_TYPE, 0, DirectoryFilter(small_group_id=4)),
    DirectoryButton(DirectoryAction.CSV),
    DirectoryButton(DirectoryAction.EXCEL),
]


@pytest.mark.parametrize("button", EVERY_BUTTON, ids=lambda b: f"{b.action.value}-{b.filter.token}")
def test_every_directory_button_fits_telegram_and_reads_back(button):
    data = callback_data(DIRECTORY_PREFIX, *directory_button_parts(button))
    assert len(data.encode()) <= MAX_CALLBACK_BYTES
    assert parse_directory_button(data) == button


@pytest.mark.parametrize(
    "data",
    [
        "dr1",
        "dr1:p",
        "dr1:p:0",
        "dr1:p:x:a",
        "dr1:p:0:z",
        "dr1:p:0:g0",
        "dr1:p:0:gx",
        "dr1:p:0:swizard",
        "dr1:csv:a",
        "dr1:fg",
        "dr1:pdf",
    ],
)
def test_a_stale_or_forged_directory_button_is_not_read(data):
    assert parse_directory_button(data) is None


def test_a_full_page_of_the_longest_profiles_fits_one_telegram_message():
    long = "<&>" * 26 + "xy"  # 80 characters, each special one escaped to 4-5
    members = [
        _member(i, long, home_area=long[:60], stakeholder_type="supplier", small_group_name=long[:40])
        for i in range(DIRECTORY_PAGE_SIZE)
    ]
    text, keyboard = directory_views.directory_page(
        "id", long, members, 98, 990, DirectoryFilter(stakeholder_type="supplier"), None, can_export=True
    )
    visible = html.unescape(re.sub(r"<[^>]+>", "", text))  # what Telegram counts against 4096
    assert len(visible) < 4096
    assert "<&>" not in text and "&lt;&amp;&gt;" in text
    assert "Halaman 99/99 · 990 anggota" in text
    assert "Jenis: " + directory_views.stakeholder_label("id", "supplier") in text
    labels = [button.text for row in keyboard.inline_keyboard for button in row]
    assert "◀ Sebelumnya" in labels and "Berikutnya ▶" not in labels
    assert "⬇️ Unduh CSV" in labels and "⬇️ Unduh Excel" in labels and "✖ Semua anggota" in labels


def test_a_member_line_shows_name_group_type_and_home_area():
    member = _member(1, "Siti", small_group_name="Laweyan", stakeholder_type="trader", home_area="Desa Sondakan")
    assert directory_views.member_line("en", 3, member) == (
        "3. <b>Siti</b> · Laweyan · Trader or distributor · Desa Sondakan"
    )
    assert directory_views.member_line("en", 4, _member(2, "Budi")) == "4. <b>Budi</b> · - · - · -"


def test_without_the_export_right_there_are_no_download_buttons():
    _text, keyboard = directory_views.directory_page("en", "Batik", [], 0, 0, ALL_MEMBERS, None, can_export=False)
    labels = [button.text for row in keyboard.inline_keyboard for button in row]
    assert not any("Download" in label for label in labels)
    assert "No members match this filter." in _text


def _table(lang: str = "id"):
    members = [
        _member(
            1,
            "Siti Aminah",
            small_group_name="Laweyan Barat",
            stakeholder_type="core_firm",
            home_area="Desa Laweyan",
            core_business="batik tulis",
            phone="+6281234567890",
            is_facilitator=True,
            is_group_leader=True,
        ),
        _member(2, '=HYPERLINK("http://x")', stakeholder_type="bank", phone="628111"),
        _member(3, "Ñoño Łukasz 山田"),
    ]
    return directory_views.export_table(lang, members, "Asia/Jakarta", {1, 2})


def test_the_csv_opens_in_excel_with_headers_in_the_person_s_language():
    headers, rows = _table("id")
    data = build_csv(headers, rows)
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM that tells Excel it is UTF-8
    read = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert read[0] == [
        "Nama",
        "Grup kecil",
        "Jenis pemangku kepentingan",
        "Daerah asal",
        "Bisnis inti",
        "Telepon",
        "Peran",
        "Bergabung",
    ]
    assert read[1] == [
        "Siti Aminah",
        "Laweyan Barat",
        "Perusahaan inti",
        "Desa Laweyan",
        "batik tulis",
        "+6281234567890",
        "fasilitator, ketua grup",
        "2026-03-02",
    ]
    assert read[2][0] == '\'=HYPERLINK("http://x")'  # shown as text, never run as a formula
    assert read[2][5] == "628111" and read[2][6] == "anggota"
    assert read[3][0] == "Ñoño Łukasz 山田" and read[3][1:6] == ["", "", "", "", ""]


def test_the_download_shows_a_phone_number_only_of_a_member_who_agreed():
    members = [_member(1, "Siti", phone="+6281234567890"), _member(2, "Budi", phone="628111")]
    _headers, rows = directory_views.export_table("id", members, "Asia/Jakarta", {1})
    assert [row[5] for row in rows] == ["+6281234567890", None]


def test_the_csv_headers_follow_english_too():
    headers, _rows = _table("en")
    assert headers == [
        "Name",
        "Small group",
        "Stakeholder type",
        "Home area",
        "Core business",
        "Phone",
        "Roles",
        "Joined",
    ]


def test_the_excel_file_reads_back_with_real_dates_and_no_formulas():
    headers, rows = _table("id")
    data = build_xlsx(headers, rows, directory_views.sheet_name("id"))
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Anggota"
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Nama" and len(values) == 4
    assert values[1][:3] == ["Siti Aminah", "Laweyan Barat", "Perusahaan inti"]
    assert values[1][7].date() == date(2026, 3, 2)
    assert values[2][0] == '=HYPERLINK("http://x")'  # the text itself, stored as text
    assert sheet["A3"].data_type == "s"
    assert values[3][0] == "Ñoño Łukasz 山田" and values[3][1] is None
    assert sheet.freeze_panes == "A2"


def test_file_names_and_sheet_names_are_safe():
    assert slug("Sentra Batik Laweyan", "1") == "sentra-batik-laweyan"
    assert slug("Sentra Bordir Tasikmalaya (Kawalu)", "1") == "sentra-bordir-tasikmalaya-kawalu"
    assert slug("山田", "7") == "7"
    assert directory_views.export_filename("id", "Sentra Batik Laweyan", 1, "csv") == "anggota-sentra-batik-laweyan.csv"
    assert directory_views.export_filename("en", "Sentra Batik", 1, "xlsx") == "members-sentra-batik.xlsx"
    assert sheet_title("a/b:c*d?e[f]g" + "x" * 40) == "a b c d e f g" + "x" * 18


def test_only_would_be_formulas_are_changed():
    assert safe_text("=1+1") == "'=1+1"
    assert safe_text("@SUM(A1)") == "'@SUM(A1)"
    assert safe_text("-2+3") == "'-2+3"
    assert safe_text("+62 812 3456") == "+62 812 3456"
    assert safe_text("Batik - tulis") == "Batik - tulis"
