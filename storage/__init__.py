"""The database: connection, migrations, PTB persistence and one repository per aggregate.

Repository functions are ``async def verb_noun(tx, ...)``: they take an open
connection (usually the one ``Database.transaction()`` yields) and return
frozen dataclasses, never rows. Nothing here imports ``telegram`` handlers or
``conversations``.
"""

from storage.database import Database

__all__ = ["Database"]
