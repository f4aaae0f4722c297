"""BotApiEmulator: the loopback Telegram a bot talks to and tests act in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web

from emulator.chat import ChatMessage
from emulator.faults import Faults
from emulator.flood import FloodControl, FloodLimits
from emulator.people import Group, SimulatedUser
from emulator.server import ApiServer, CallRecord
from emulator.spec import Spec
from emulator.world import World


class BotApiEmulator:
    """A Bot API server on 127.0.0.1 plus the simulated people the bot serves.

    Point python-telegram-bot at it with
    `base_url=f"{emu.base_url}/bot"` and `base_file_url=f"{emu.base_url}/file/bot"`.
    Routes such as a web sandbox can be added to `emu.app` before `start()`.
    """

    def __init__(
        self,
        token: str = "123456:TEST",
        bot_username: str = "rembug_bot",
        bot_first_name: str = "Rembug",
        host: str = "127.0.0.1",
        port: int = 0,
        flood: FloodLimits | None = None,
    ) -> None:
        self.world = World(token, bot_username, bot_first_name, flood or FloodLimits())
        self.spec = Spec.load()
        self.server = ApiServer(self.world, self.spec)
        self.host = host
        self._requested_port = port

    async def start(self) -> None:
        """Start serving (again on the same port after a `stop()`)."""
        # Keeping the port across restarts keeps the bot's configured URL valid.
        self._requested_port = await self.server.start(self.host, self._requested_port)

    async def stop(self) -> None:
        """Stop serving; chats, files and pending updates are kept for a later `start()`."""
        await self.server.stop()

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # -- where it listens --------------------------------------------------------

    @property
    def port(self) -> int:
        """The port served on (known after start)."""
        if self.server.port is None:
            raise RuntimeError("the emulator is not started")
        return self.server.port

    @property
    def base_url(self) -> str:
        """e.g. "http://127.0.0.1:PORT"."""
        return f"http://{self.host}:{self.port}"

    @property
    def app(self) -> web.Application:
        """The aiohttp application, for extra routes (add them before start)."""
        return self.server.app

    # -- identity and time ---------------------------------------------------------

    @property
    def token(self) -> str:
        """The only token the emulator accepts."""
        return self.world.token

    @property
    def bot_id(self) -> int:
        """The bot's user id (the token's prefix)."""
        return self.world.bot_id

    @property
    def clock(self) -> Callable[[], float]:
        """The time source for message dates (time.time by default); settable."""
        return self.world.clock

    @clock.setter
    def clock(self, clock: Callable[[], float]) -> None:
        self.world.clock = clock

    def now(self) -> int:
        """Current unix time by `clock`."""
        return self.world.now()

    @property
    def flood(self) -> FloodLimits:
        """The flood limits in force; assigning new limits resets the buckets."""
        return self.world.flood.limits

    @flood.setter
    def flood(self, limits: FloodLimits) -> None:
        self.world.flood = FloodControl(limits)

    @property
    def faults(self) -> Faults:
        """Passing faults injected into the bot's sending calls (none by default; emulator.faults)."""
        return self.server.faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        self.server.faults = faults

    @property
    def strict_html(self) -> bool:
        """Refuse a bare '&' in HTML (real Telegram lets it through); True by default."""
        return self.world.strict_html

    @strict_html.setter
    def strict_html(self, strict: bool) -> None:
        self.world.strict_html = strict

    # -- people ------------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "User",
        language_code: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        started: bool = True,
        phone: str | None = None,
    ) -> SimulatedUser:
        """The simulated user with this id, created on first call.

        `started=False` makes a user who exists but never opened the bot.
        """
        existing = self.world.users.get(user_id)
        if existing is not None:
            return existing
        if user_id <= 0:
            raise ValueError("user ids are positive")
        user = SimulatedUser(self.world, user_id, first_name, language_code, last_name, username, started, phone)
        self.world.users[user_id] = user
        return user

    def group(self, chat_id: int, title: str = "Group", bot_is_admin: bool = False, can_post: bool = True) -> Group:
        """The group (negative id) with the bot in it, created on first call."""
        existing = self.world.groups.get(chat_id)
        if existing is not None:
            return existing
        if chat_id >= 0:
            raise ValueError("group ids are negative")
        group = Group(self.world, chat_id, title, bot_is_admin, can_post)
        self.world.groups[chat_id] = group
        return group

    def channel(self, chat_id: int, title: str = "Channel", can_post: bool = True) -> Group:
        """A channel (id -100…) with the bot as an administrator, created on first call;
        ``can_post=False`` is an administrator without the "Post messages" right."""
        existing = self.world.groups.get(chat_id)
        if existing is not None:
            return existing
        if not str(chat_id).startswith("-100"):
            raise ValueError("channel ids start with -100")
        channel = Group(self.world, chat_id, title, bot_is_admin=True, can_post=can_post, is_channel=True)
        self.world.groups[chat_id] = channel
        return channel

    @property
    def users(self) -> dict[int, SimulatedUser]:
        """All simulated users by id."""
        return self.world.users

    @property
    def groups(self) -> dict[int, Group]:
        """All groups by id."""
        return self.world.groups

    # -- what happened ------------------------------------------------------------

    @property
    def calls(self) -> list[CallRecord]:
        """Every Bot API request, in order."""
        return self.server.calls

    @property
    def rejections(self) -> list[CallRecord]:
        """The requests that failed."""
        return [call for call in self.server.calls if not call.ok]

    def calls_to(self, method: str) -> list[CallRecord]:
        """Requests to one method (name as in the spec, e.g. "sendMessage")."""
        return [call for call in self.server.calls if call.method.lower() == method.lower()]

    def sent_to(self, chat_id: int) -> list[ChatMessage]:
        """The bot's messages (as they stand now) in a chat."""
        chat = self.world.chat(chat_id)
        return chat.bot_messages if chat is not None else []

    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates the bot has not confirmed yet."""
        return self.world.updates.pending()

    @property
    def commands(self) -> dict[tuple[str, str], list[dict[str, Any]]]:
        """Commands set by the bot, by (scope type, language code); "" is no language."""
        return self.world.commands
