"""Downloads with their media: files fetched from Telegram (the emulator) by file id, packed beside the
spreadsheets; a file Telegram refuses is marked, and files stop before the upload limit."""

from __future__ import annotations

import io
import zipfile

import pytest
from telegram import Bot

from bot import media_zip
from bot.media_zip import Medium, Outcome
from emulator import BotApiEmulator
from tests.unit.conftest import TOKEN

VOICE = b"OggS" + b"suara" * 40
PHOTO = b"\xff\xd8" + b"foto" * 60


@pytest.fixture
async def bot(emu: BotApiEmulator):
    async with Bot(TOKEN, base_url=f"{emu.base_url}/bot", base_file_url=f"{emu.base_url}/file/bot") as plain:
        yield plain


async def test_the_files_are_fetched_and_packed_beside_the_spreadsheet_under_their_names(emu, bot):
    voice = emu.world.files.add("voice", VOICE, mime_type="audio/ogg")
    photo = emu.world.files.add("photo", PHOTO, mime_type="image/jpeg")
    report = emu.world.files.add("document", b"%PDF-1.4 nota", filename="nota.PDF")
    fetched = await media_zip.fetch_media(
        bot,
        [
            Medium("kartu-012-suara", "voice", voice.file_id),
            Medium("kartu-013-foto", "photo", photo.file_id),
            Medium("laporan-003-1-dokumen", "document", report.file_id),
        ],
    )
    assert [(f.name, f.outcome) for f in fetched] == [
        ("kartu-012-suara.ogg", Outcome.PACKED),
        ("kartu-013-foto.jpg", Outcome.PACKED),
        ("laporan-003-1-dokumen.pdf", Outcome.PACKED),
    ]
    archive = zipfile.ZipFile(io.BytesIO(media_zip.build_zip([("kartu.csv", b"Kartu\r\n")], fetched)))
    assert archive.namelist() == ["kartu.csv", "kartu-012-suara.ogg", "kartu-013-foto.jpg", "laporan-003-1-dokumen.pdf"]
    assert archive.read("kartu-012-suara.ogg") == VOICE and archive.read("kartu-013-foto.jpg") == PHOTO
    assert media_zip.media_note("id", fetched) == "Berisi 3 berkas foto dan pesan suara."


async def test_a_gone_file_is_marked_not_available_and_the_rest_still_goes(emu, bot):
    gone = emu.world.files.add("voice", VOICE, mime_type="audio/ogg")
    kept = emu.world.files.add("photo", PHOTO, mime_type="image/jpeg")
    emu.world.files.forget(gone.file_id)
    fetched = await media_zip.fetch_media(
        bot, [Medium("kartu-001-suara", "voice", gone.file_id), Medium("kartu-002-foto", "photo", kept.file_id)]
    )
    assert [f.outcome for f in fetched] == [Outcome.UNAVAILABLE, Outcome.PACKED]
    assert media_zip.media_cell("id", fetched[0]) == "kartu-001-suara.ogg: tidak tersedia"
    assert media_zip.media_cell("en", fetched[0]) == "kartu-001-suara.ogg: not available"
    assert media_zip.media_cell("id", fetched[1]) == "kartu-002-foto.jpg"
    assert zipfile.ZipFile(io.BytesIO(media_zip.build_zip([], fetched))).namelist() == ["kartu-002-foto.jpg"]
    assert "1 berkas sudah tidak ada di Telegram" in media_zip.media_note("id", fetched)


async def test_a_file_over_telegrams_download_limit_is_not_available(emu, bot):
    big = emu.world.files.add("document", b"x" * (media_zip.DOWNLOAD_LIMIT + 1), filename="video.mp4")
    (fetched,) = await media_zip.fetch_media(bot, [Medium("laporan-001-1-dokumen", "document", big.file_id)])
    assert fetched.outcome is Outcome.UNAVAILABLE and fetched.data == b""


async def test_files_stop_before_the_upload_limit_and_the_note_says_so(emu, bot):
    files = [emu.world.files.add("photo", PHOTO, mime_type="image/jpeg") for _ in range(3)]
    media = [Medium(f"laporan-001-{n}-foto", "photo", f.file_id) for n, f in enumerate(files, start=1)]
    fetched = await media_zip.fetch_media(bot, media, budget=2 * len(PHOTO))
    assert [f.outcome for f in fetched] == [Outcome.PACKED, Outcome.PACKED, Outcome.LEFT_OUT]
    assert media_zip.media_cell("id", fetched[2]) == "laporan-001-3-foto.jpg: tidak ikut diunduh (lebih dari 50 MB)"
    note = media_zip.media_note("en", fetched)
    assert "With 2 photo and voice note files." in note and "1 file did not fit: a bot can send at most 50 MB" in note
