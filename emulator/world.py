"""The emulator's state: the bot, its chats, messages, files and updates.

Both sides meet here. Simulated users put messages and callback queries in
(which become updates for the bot); Bot API methods take chats out, check
that the bot may write to them, and add the bot's messages.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from emulator.chat import Chat, ChatMessage
from emulator.errors import BLOCKED, CHAT_NOT_FOUND, NOT_STARTED, ApiError, bad_request, forbidden, too_many_requests
from emulator.files import FileStore, StoredFile
from emulator.flood import FloodControl, FloodLimits
from emulator.markup import markup_kind
from emulator.updates import UpdateQueue
from emulator.webhook import WebhookConfig, WebhookSender

if TYPE_CHECKING:
    from emulator.people import Group, SimulatedUser


@dataclass
class PendingQuery:
    """A callback query the bot has been sent and may answer once."""

    query_id: str
    user_id: int
    chat_id: int
    answered: bool = False


class World:
    """Everything the emulated Telegram knows, in one asyncio loop."""

    def __init__(
        self,
        token: str,
        bot_username: str,
        bot_first_name: str,
        flood: FloodLimits,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.clock = clock
        self.flood = FloodControl(flood)
        self.files = FileStore()
        self.updates = UpdateQueue()
        self.webhook: WebhookSender | None = None  # set by setWebhook, delivering while the server runs
        self.users: dict[int, SimulatedUser] = {}
        self.groups: dict[int, Group] = {}
        self.queries: dict[str, PendingQuery] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.settings: dict[tuple[str, Any], Any] = {}  # (name, language code or chat id) -> value
        self.strict_html = True
        # How to wait until the bot has handled what it fetched (set by tests running it in process).
        self.bot_idle: Callable[[], Awaitable[None]] | None = None
        self._message_ids = itertools.count(1)
        self._query_ids = itertools.count(1)

    async def set_webhook(self, config: WebhookConfig) -> None:
        """Deliver updates to ``config.url`` from now on (replacing an earlier webhook)."""
        await self.delete_webhook()
        self.updates.allow(config.allowed_updates)
        self.updates.webhook_active = True
        self.webhook = WebhookSender(self.updates, config)
        self.webhook.start()

    async def delete_webhook(self) -> None:
        """Stop webhook delivery; updates wait for getUpdates again."""
        if self.webhook is not None:
            await self.webhook.stop()
            self.webhook = None
        self.updates.webhook_active = False

    def now(self) -> int:
        """Current unix time by the (settable) clock."""
        return int(self.clock())

    def bot_user(self) -> dict[str, Any]:
        """The bot as a Bot API User."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    # -- finding chats -----------------------------------------------------------

    def chat(self, chat_id: int) -> Chat | None:
        """A private chat or group by id."""
        return self.users.get(chat_id) or self.groups.get(chat_id)

    def resolve_chat(self, ref: int | str) -> Chat:
        """The chat a chat_id parameter names (an id or "@username"), or 400 chat not found."""
        if isinstance(ref, str):
            if ref.startswith("@"):
                for user in self.users.values():
                    if user.username and user.username.lower() == ref[1:].lower():
                        return user
            raise ApiError(400, CHAT_NOT_FOUND)
        chat = self.chat(ref)
        if chat is None:
            raise ApiError(400, CHAT_NOT_FOUND)
        return chat

    def writable_chat(self, ref: int | str, what: str = "text messages") -> Chat:
        """The chat to send to, after Telegram's checks that the bot may write there."""
        chat = self.resolve_chat(ref)
        self.check_writable(chat, what)
        return chat

    def check_writable(self, chat: Chat, what: str = "text messages") -> None:
        """Raise the 403/400 Telegram gives when the bot may not post in `chat`."""
        user = self.users.get(chat.id)
        if user is not None:
            if user.blocked:
                raise forbidden(BLOCKED)
            if not user.started:
                raise forbidden(NOT_STARTED)
            return
        group = self.groups[chat.id]
        if group.is_channel:
            if not (group.bot_member and group.bot_is_admin):
                raise forbidden("Forbidden: bot is not a member of the channel chat")
            if not group.can_post:
                raise bad_request("need administrator rights in the channel chat")
            return
        if not group.bot_member:
            kind = "supergroup" if group.chat_type == "supergroup" else "group"
            raise forbidden(f"Forbidden: bot is not a member of the {kind} chat")
        if not group.can_post:
            raise bad_request(f"not enough rights to send {what} to the chat")

    def spend_flood(self, method: str, chat_id: int) -> None:
        """Count one send against the flood limits, or raise 429 with retry_after."""
        wait = self.flood.retry_after(method, chat_id)
        if wait:
            raise too_many_requests(wait)

    # -- user side ---------------------------------------------------------------

    def next_message_id(self) -> int:
        """A new message id (increasing across all chats)."""
        return next(self._message_ids)

    def user_message(
        self,
        chat: Chat,
        sender: dict[str, Any],
        content: dict[str, Any],
        media: StoredFile | None = None,
    ) -> dict[str, Any]:
        """A message from a user into `chat`: shown there and queued as an update."""
        raw = {
            "message_id": self.next_message_id(),
            "from": sender,
            "chat": chat.chat_object(),
            "date": self.now(),
            **content,
        }
        chat.add(ChatMessage(raw["message_id"], False, raw, html=content.get("text"), media=media))
        chat.user_acted()
        self.updates.push("message", copy_json(raw))
        return raw

    def callback_query(self, sender: dict[str, Any], chat: Chat, message: ChatMessage, data: str) -> dict[str, Any]:
        """A button press on `message`: queued as a callback_query update."""
        query_id = f"{self.bot_id}{next(self._query_ids):08d}"
        self.queries[query_id] = PendingQuery(query_id, sender["id"], chat.id)
        query = {
            "id": query_id,
            "from": sender,
            "message": copy_json(message.raw),
            "chat_instance": f"{abs(chat.id)}{self.bot_id}",
            "data": data,
        }
        chat.user_acted()
        self.updates.push("callback_query", copy_json(query))
        return query

    # -- bot side ------------------------------------------------------------------

    def bot_message(
        self,
        chat: Chat,
        content: dict[str, Any],
        reply_markup: dict[str, Any] | None = None,
        html: str | None = None,
        media: StoredFile | None = None,
    ) -> ChatMessage:
        """Post a message from the bot into `chat` and return it."""
        raw: dict[str, Any] = {
            "message_id": self.next_message_id(),
            "from": self.bot_user(),
            "chat": chat.chat_object(),
            "date": self.now(),
            **content,
        }
        keyboard = None
        # Message.reply_markup only ever carries inline keyboards; reply
        # keyboards live on in the chat, not in the Message object.
        if markup_kind(reply_markup) == "InlineKeyboardMarkup":
            raw["reply_markup"] = reply_markup
        elif reply_markup is not None:
            keyboard = reply_markup
        message = ChatMessage(raw["message_id"], True, raw, html=html, reply_keyboard=keyboard, media=media)
        chat.add(message)
        return message


def copy_json(value: Any) -> Any:
    """A deep copy of JSON-like data, so later edits don't rewrite delivered updates."""
    if isinstance(value, dict):
        return {k: copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_json(v) for v in value]
    return value
