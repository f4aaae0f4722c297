"""PTB's persistence round-trips conversation states through SQLite, written with their update's mark."""

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
    await persistence.flush()
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


async def test_a_state_is_written_only_with_its_own_chats_update(tmp_path):
    """A crash before chat 11's update is marked must replay it in the state it found, not the one it left."""
    path = tmp_path / "p.sqlite3"
    db = await Database.open(path)
    persistence = SQLitePersistence(db)
    await persistence.update_conversation("profile", (10, 10), "home_area")
    await persistence.update_conversation("profile", (11, 11), "core_business")  # its update still being handled
    async with db.transaction() as tx:
        assert await persistence.write_states(tx, 10) == 1  # chat 10's update is marked handled
    await db.close()  # killed: no flush

    db = await Database.open(path)
    persistence = SQLitePersistence(db)
    assert await persistence.get_conversations("profile") == {(10, 10): "home_area"}
    await db.close()
