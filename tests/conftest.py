"""Fixtures shared by every test: a migrated database on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.database import Database


@pytest.fixture
async def database(tmp_path: Path):
    """A migrated database on a real SQLite file."""
    db = await Database.open(tmp_path / "rembug.sqlite3")
    yield db
    await db.close()
