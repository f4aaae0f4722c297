"""Files the emulator holds: uploads from the bot and media users send.

Every stored file has a file_id, a file_unique_id and a file_path, so the
bot can re-send it by id, ask getFile about it and download its bytes.
"""

from __future__ import annotations

import itertools
import secrets
import struct
from dataclasses import dataclass
from typing import Any

_FOLDERS = {
    "photo": ("photos", "jpg", "AgAC"),
    "document": ("documents", "bin", "BQAC"),
    "voice": ("voice", "oga", "AwAC"),
    "sticker": ("stickers", "webp", "CAAC"),
}
DEFAULT_SIZE = (640, 480)


@dataclass(frozen=True)
class UploadedFile:
    """A multipart part the bot posted as an InputFile."""

    filename: str | None
    content_type: str | None
    data: bytes

    def __repr__(self) -> str:
        # Keeps emu.calls readable: the bytes themselves are rarely of interest.
        return f"UploadedFile({self.filename!r}, {len(self.data)} bytes)"


@dataclass
class StoredFile:
    """One file known to the emulator, whoever sent it."""

    file_id: str
    file_unique_id: str
    file_path: str
    kind: str
    data: bytes
    filename: str | None = None
    mime_type: str | None = None
    url: str | None = None  # set for placeholders of files "fetched" by URL

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.data)

    def as_file(self) -> dict[str, Any]:
        """The Bot API File object getFile returns."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
            "file_path": self.file_path,
        }

    def photo_sizes(self) -> list[dict[str, Any]]:
        """A one-size PhotoSize array; one size is enough for `photo[-1]`."""
        width, height = image_size(self.data)
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "width": width,
                "height": height,
                "file_size": self.size,
            }
        ]

    def document(self) -> dict[str, Any]:
        """The Document object for this file."""
        doc: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
        }
        if self.filename:
            doc["file_name"] = self.filename
        if self.mime_type:
            doc["mime_type"] = self.mime_type
        return doc

    def voice(self, duration: int) -> dict[str, Any]:
        """The Voice object for this file."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "duration": duration,
            "mime_type": self.mime_type or "audio/ogg",
            "file_size": self.size,
        }

    def sticker(self) -> dict[str, Any]:
        """The Sticker object for this file."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
            "file_size": self.size,
        }


class FileStore:
    """All files by file_id and by file_path."""

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._numbers = itertools.count(1)

    def add(
        self,
        kind: str,
        data: bytes,
        filename: str | None = None,
        mime_type: str | None = None,
        url: str | None = None,
    ) -> StoredFile:
        """Store bytes as a new file of `kind` (photo, document, voice, sticker)."""
        folder, default_ext, prefix = _FOLDERS.get(kind, _FOLDERS["document"])
        number = next(self._numbers)
        ext = filename.rsplit(".", 1)[-1] if filename and "." in filename else default_ext
        stored = StoredFile(
            file_id=f"{prefix}{number:06d}{secrets.token_hex(8)}",
            file_unique_id=f"AQAD{number:06d}",
            file_path=f"{folder}/file_{number}.{ext}",
            kind=kind,
            data=data,
            filename=filename,
            mime_type=mime_type,
            url=url,
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def by_id(self, file_id: str) -> StoredFile | None:
        """The file with this file_id, if any."""
        return self._by_id.get(file_id)

    def forget(self, file_id: str) -> None:
        """Drop a file, as Telegram does with old ones: its file_id no longer sends or downloads."""
        stored = self._by_id.pop(file_id, None)
        if stored is not None:
            self._by_path.pop(stored.file_path, None)

    def by_path(self, file_path: str) -> StoredFile | None:
        """The file behind a download path, if any."""
        return self._by_path.get(file_path)


def image_size(data: bytes) -> tuple[int, int]:
    """Width and height of PNG, GIF or JPEG bytes; a fixed size otherwise."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data) or DEFAULT_SIZE
    return DEFAULT_SIZE


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Walk JPEG segments to the first start-of-frame marker."""
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + length
    return None
