"""PTB's persistence round-trips conversation states and user data through SQLite."""

from __future__ import annotations

from storage.database import Database
from storage.persistence import SQLitePersistence


async def test_conversation_states_survive_reopening(tmp_path):
    path = tmp_path / "p.sqlite3"
    db = await Database.open(path)
    persistence = SQLitePersistence(db)
    await persistence.update_conversation("new_cluster", (10, 10), "province")
    await persistence.update_conversation("new_cluster", (11, 11), "name")
    await persistence.update_conversation("new_cluster", (11, 11), None)  # ended
    await persistence.update_user_data(10, {"seen": 3})
    await db.close()

    db = await Database.open(path)
    persistence = SQLitePersistence(db)
    assert await persistence.get_conversations("new_cluster") == {(10, 10): "province"}
    assert await persistence.get_conversations("other") == {}
    assert (await persistence.get_user_data())[10] == {"seen": 3}
    await persistence.drop_user_data(10)
    assert 10 not in await persistence.get_user_data()
    await db.close()
