"""The sandbox process: the real bot, the Bot API emulator and a web chat in one process, no token needed.

``python -m sandbox`` runs ``run_sandbox`` until Ctrl-C. Its pieces, in order:
the demo cluster is written into a database of its own (``data/sandbox.sqlite3``),
the emulator starts on the web port with the web chat on it (``emulator/webchat.py``)
and every demo person listed, then ``bot.app.serve`` runs against the emulator
exactly as it runs against Telegram. Tests use ``Sandbox`` as an async context
manager with a temporary database and port 0.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from bot.app import serve
from bot.clock import Clock, SystemClock
from bot.settings import Settings
from emulator import BotApiEmulator, FloodLimits, WebChat
from sandbox import demo
from storage.database import Database

_LOGGER = logging.getLogger(__name__)
DEFAULT_DATABASE = Path("data/sandbox.sqlite3")
DEFAULT_PORT = 8080
HOST = "127.0.0.1"
# A fixed fake token: the emulator accepts only this one, and Telegram would refuse it.
TOKEN = "4242424242:SANDBOX-rembug-web-chat-not-a-real-token"
BOT_USERNAME = "rembug_sandbox_bot"
BOT_NAME = "Rembug"
START_TIMEOUT = 30.0


def people_file(database: Path) -> Path:
    """Where the people added in the web chat are kept, beside the database."""
    return database.with_name(database.stem + "-people.json")


def reset(database: Path) -> None:
    """Delete the sandbox database (with its WAL files) and the people added in the web chat."""
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm"), people_file(database)):
        path.unlink(missing_ok=True)


class Sandbox:
    """The emulator with its web chat, and the real bot answering in it."""

    def __init__(
        self, database: Path = DEFAULT_DATABASE, port: int = DEFAULT_PORT, *, clock: Clock | None = None
    ) -> None:
        self.database = Path(database)
        self.clock = clock or SystemClock()
        self.emulator = BotApiEmulator(
            token=TOKEN, bot_username=BOT_USERNAME, bot_first_name=BOT_NAME, host=HOST, port=port, flood=FloodLimits()
        )
        self.invite_link = demo.invite_link(BOT_USERNAME)
        self.webchat = WebChat(
            self.emulator,
            people_file=people_file(self.database),
            links=(("Join the demo cluster", self.invite_link),),
        )
        self.seeded = False
        self._stop = asyncio.Event()
        self._bot: asyncio.Task | None = None

    @property
    def url(self) -> str:
        """The web chat's address, e.g. http://127.0.0.1:8080/."""
        return f"{self.emulator.base_url}/"

    @property
    def settings(self) -> Settings:
        """The bot's settings: the fake token, the emulator's address, the demo admin."""
        return Settings(
            token=TOKEN,
            api_url=self.emulator.base_url,
            database=self.database,
            admin_ids=frozenset({demo.ADMIN_ID}),
            timezone=demo.TIMEZONE,
            language="id",
        )

    async def start(self) -> None:
        """Write the demo data if the database is new, start the emulator, then the bot."""
        database = await Database.open(self.database)
        try:
            self.seeded = await demo.seed_demo(database, self.clock.now())
        finally:
            await database.close()
        for someone in demo.CAST:
            self.webchat.introduce(
                someone.user_id, someone.first_name, someone.last_name, someone.language, someone.about
            )
        # The chats a facilitator can pick as the cluster's channel or group for the newsletter.
        self.emulator.channel(demo.CHANNEL_ID, demo.CHANNEL_TITLE)
        self.emulator.group(demo.GROUP_ID, demo.GROUP_TITLE, bot_is_admin=True)
        self.webchat.install()
        await self.emulator.start()
        try:
            await self._start_bot()
        except BaseException:
            await self.stop()
            raise

    async def _start_bot(self) -> None:
        ready = asyncio.Event()
        self._bot = asyncio.create_task(
            serve(self.settings, self._stop, clock=self.clock, on_ready=lambda _app, _inbox: ready.set())
        )
        waiter = asyncio.create_task(ready.wait())
        done, _ = await asyncio.wait({waiter, self._bot}, timeout=START_TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
        if self._bot in done:
            waiter.cancel()
            self._bot.result()  # raises what went wrong
            raise RuntimeError("the bot stopped while starting")
        if waiter not in done:
            waiter.cancel()
            raise TimeoutError(f"the bot did not start within {START_TIMEOUT:.0f} s")

    async def stop(self) -> None:
        """Stop the bot (it finishes what it is handling), then the emulator."""
        self._stop.set()
        bot, self._bot = self._bot, None
        try:
            if bot is not None and not bot.done():
                await asyncio.wait_for(bot, 20)
        finally:
            await self.emulator.stop()

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()


async def run_sandbox(
    database: Path = DEFAULT_DATABASE,
    port: int = DEFAULT_PORT,
    stop: asyncio.Event | None = None,
    *,
    on_ready: Callable[[Sandbox], None] | None = None,
) -> None:
    """Run the sandbox until ``stop`` is set (forever when None)."""
    stop = stop or asyncio.Event()
    async with Sandbox(database, port) as sandbox:
        if on_ready:
            on_ready(sandbox)
        await stop.wait()


def what_to_try(sandbox: Sandbox) -> list[str]:
    """The operator's lines: where the web chat is and what to do in it."""
    return [
        f"Rembug sandbox: open {sandbox.url} in a browser (Ctrl-C stops it).",
        f"Database: {sandbox.database}" + (" (demo cluster created)" if sandbox.seeded else ""),
        "What to try:",
        "  - Pick Ratna Wulandari (the admin and facilitator) and type /menu: meetings, small groups, members.",
        "  - Pick a member such as Sri Handayani: answer the meeting invitation with its buttons.",
        "  - Add a new person, then open the demo cluster's invitation link as them and join:",
        f"      {sandbox.invite_link}",
        "  - Anisa Putri uses English; anyone can switch with /language.",
        "  - Block the bot as someone, then schedule a meeting as Ratna and see who was reached.",
        "  - As Ratna (also secretary of FPESD Jawa Tengah): /committee for the overview, comparison and reports;",
        "    Menu > Newsletter > link the demo channel 'Kabar Sentra Batik Laweyan' and post a newsletter.",
    ]
