"""Downloads with their media (shared by every flow): the files behind Telegram file ids fetched
(getFile, then the file download) and packed in one ZIP with the spreadsheets that name them.

A flow names each file (``kartu-012-suara``, ``laporan-003-1-foto``), fetches them with
``fetch_media``, writes its spreadsheet with each file's ``Fetched.name`` (or a "not available" for
those Telegram did not give), and packs the spreadsheets and the files with ``build_zip``. A file
Telegram refuses (over its 20 MB download limit, or gone) is left out and the rest still goes; files
stop being added before the ZIP would pass the 50 MB a bot may upload.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from telegram import Bot
from telegram.error import TelegramError

from bot.i18n import translator

_LOGGER = logging.getLogger(__name__)
DOWNLOAD_LIMIT = 20 * 1024 * 1024  # the largest file getFile lets a bot download
UPLOAD_LIMIT = 50 * 1024 * 1024  # the largest document a bot may send
ROOM_FOR_TABLES = 2 * 1024 * 1024  # kept free in a ZIP for the spreadsheets and the ZIP's own headers
EXTENSIONS = {"photo": "jpg", "voice": "ogg"}  # a document keeps the extension Telegram gives it


class Outcome(StrEnum):
    """What became of one file of a download."""

    PACKED = "packed"  # in the ZIP
    UNAVAILABLE = "unavailable"  # Telegram did not give it (gone, or over 20 MB)
    LEFT_OUT = "left_out"  # it would have taken the ZIP past 50 MB


@dataclass(frozen=True)
class Medium:
    """One file a download should hold: its name without extension, its kind and Telegram's file id."""

    stem: str
    kind: str  # photo, voice or document
    file_id: str


@dataclass(frozen=True)
class Fetched:
    """A file of a download and what became of it; ``name`` is its path in the ZIP."""

    medium: Medium
    name: str
    outcome: Outcome
    data: bytes = b""


def _extension(kind: str, file_path: str | None) -> str:
    if kind in EXTENSIONS:
        return EXTENSIONS[kind]
    tail = (file_path or "").rsplit("/", 1)[-1]
    return tail.rsplit(".", 1)[-1].lower() if "." in tail else "bin"


async def fetch_media(bot: Bot, media: Sequence[Medium], budget: int = UPLOAD_LIMIT - ROOM_FOR_TABLES) -> list[Fetched]:
    """Download every file in order, until the next one would pass ``budget`` bytes in all."""
    fetched: list[Fetched] = []
    used = 0
    for medium in media:
        default = f"{medium.stem}.{_extension(medium.kind, None)}"
        try:
            file = await bot.get_file(medium.file_id)
            name = f"{medium.stem}.{_extension(medium.kind, file.file_path)}"
            if file.file_size is not None and file.file_size > DOWNLOAD_LIMIT:
                fetched.append(Fetched(medium, name, Outcome.UNAVAILABLE))
                continue
            if file.file_size is not None and used + file.file_size > budget:
                fetched.append(Fetched(medium, name, Outcome.LEFT_OUT))
                continue
            data = bytes(await file.download_as_bytearray())
        except TelegramError as error:
            _LOGGER.info("file %s of a download is not available: %s", medium.stem, error)
            fetched.append(Fetched(medium, default, Outcome.UNAVAILABLE))
            continue
        if used + len(data) > budget:
            fetched.append(Fetched(medium, name, Outcome.LEFT_OUT))
            continue
        used += len(data)
        fetched.append(Fetched(medium, name, Outcome.PACKED, data))
    return fetched


def build_zip(tables: Sequence[tuple[str, bytes]], fetched: Sequence[Fetched]) -> bytes:
    """One ZIP: the spreadsheets ``(file name, bytes)`` first, then the files that were fetched, beside them
    (photos and voice notes are compressed already: stored as they are)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in tables:
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
        for item in fetched:
            if item.outcome is Outcome.PACKED:
                archive.writestr(item.name, item.data, compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


def counted(fetched: Sequence[Fetched]) -> dict[Outcome, int]:
    """How many files ended each way."""
    return {outcome: sum(item.outcome is outcome for item in fetched) for outcome in Outcome}


def media_cell(lang: str, item: Fetched) -> str:
    """What a spreadsheet's media column says of one file: its name in the ZIP, or why it is not there."""
    _ = translator(lang).gettext
    if item.outcome is Outcome.UNAVAILABLE:
        return _("{file}: not available").format(file=item.name)
    if item.outcome is Outcome.LEFT_OUT:
        return _("{file}: not in this download (over 50 MB)").format(file=item.name)
    return item.name


def media_note(lang: str, fetched: Sequence[Fetched]) -> str:
    """The line under a ZIP: how many files it holds, and those it could not (empty when none are missing)."""
    translation = translator(lang)
    counts = counted(fetched)
    lines = [
        translation.ngettext(
            "With {count} photo or voice note file.", "With {count} photo and voice note files.", counts[Outcome.PACKED]
        ).format(count=counts[Outcome.PACKED])
    ]
    if counts[Outcome.UNAVAILABLE]:
        lines.append(
            translation.ngettext(
                "{count} file is no longer on Telegram (or is over 20 MB): marked “not available”.",
                "{count} files are no longer on Telegram (or are over 20 MB): marked “not available”.",
                counts[Outcome.UNAVAILABLE],
            ).format(count=counts[Outcome.UNAVAILABLE])
        )
    if counts[Outcome.LEFT_OUT]:
        lines.append(
            translation.ngettext(
                "{count} file did not fit: a bot can send at most 50 MB at once.",
                "{count} files did not fit: a bot can send at most 50 MB at once.",
                counts[Outcome.LEFT_OUT],
            ).format(count=counts[Outcome.LEFT_OUT])
        )
    return "\n".join(lines)
