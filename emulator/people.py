"""Simulated users and groups: what tests (and the web sandbox) do as people.

Every action is a coroutine that puts a message or callback query into the
world (so the bot receives it as an update) and returns what it created.
The chat state a person sees (messages, keyboard, callback answers) is kept
on the same objects, so tests read it right where they act.
"""

from __future__ import annotations

import asyncio
import mimetypes
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from emulator.chat import Chat, ChatMessage
from emulator.markup import button_text

if TYPE_CHECKING:
    from emulator.world import World

_COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,64})?")
_LINK_HOSTS = ("t.me", "telegram.me", "www.t.me", "telegram.dog")
# A sticker file only needs to exist; its bytes are never shown.
_STICKER_BYTES = b"RIFF\x00\x00\x00\x00WEBPVP8 "
DEFAULT_LOCATION = (-6.2088, 106.8456)  # Jakarta


class SimulatedUser(Chat):
    """A Telegram user and their private chat with the bot (chat id == user id)."""

    def __init__(
        self,
        world: World,
        user_id: int,
        first_name: str,
        language_code: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        started: bool = True,
        phone: str | None = None,
    ) -> None:
        super().__init__(world, user_id)
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code
        self.started = started
        self.blocked = False
        self.phone = phone or f"+628{user_id:09d}"
        self.location = DEFAULT_LOCATION
        self.callback_answers: list[tuple[str, bool]] = []

    def __repr__(self) -> str:
        return f"SimulatedUser({self.id}, {self.first_name!r})"

    def as_user(self) -> dict[str, Any]:
        """This person as a Bot API User object."""
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                user[key] = getattr(self, key)
        return user

    def chat_object(self) -> dict[str, Any]:
        """The private chat as a Bot API Chat object."""
        chat: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            chat["last_name"] = self.last_name
        if self.username:
            chat["username"] = self.username
        return chat

    # -- blocking ----------------------------------------------------------------

    def block(self) -> None:
        """Block the bot: its sends to this user now fail with 403."""
        self.blocked = True

    def unblock(self) -> None:
        """Unblock the bot."""
        self.blocked = False

    # -- sending -----------------------------------------------------------------

    async def send(self, text: str) -> dict[str, Any]:
        """Send a text message; "/cmd args" gets a bot_command entity.

        Sending also (re)starts the bot for this user, as Telegram's
        Start/Restart button does.
        """
        return await _post(self, self, text_content(text))

    async def open_link(self, url: str) -> dict[str, Any]:
        """Open a t.me/<bot>?start=<param> link: the same as sending "/start <param>"."""
        parts = urlsplit(url if "://" in url else f"https://{url}")
        bot = parts.path.strip("/").split("/")[0]
        if parts.hostname not in _LINK_HOSTS or bot.lower() != self.world.bot_username.lower():
            raise ValueError(f"{url!r} is not a link to @{self.world.bot_username}")
        param = parse_qs(parts.query).get("start", [""])[0]
        return await self.send(f"/start {param}" if param else "/start")

    async def share_contact(
        self, phone: str | None = None, own: bool = True, first_name: str | None = None
    ) -> dict[str, Any]:
        """Share a contact; `own=True` shares this user's own (contact.user_id == self.id)."""
        return await _post(self, self, contact_content(self, phone, own, first_name))

    async def send_location(self, latitude: float, longitude: float) -> dict[str, Any]:
        """Send a location."""
        return await _post(self, self, {"location": {"latitude": latitude, "longitude": longitude}})

    async def send_photo(self, data: bytes, caption: str | None = None) -> dict[str, Any]:
        """Send a photo (the bot can fetch the bytes with getFile)."""
        stored = self.world.files.add("photo", data, mime_type="image/jpeg")
        return await _post(self, self, _with_caption({"photo": stored.photo_sizes()}, caption), stored)

    async def send_document(
        self, data: bytes, filename: str, caption: str | None = None, mime_type: str | None = None
    ) -> dict[str, Any]:
        """Send a file as a document."""
        mime = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = self.world.files.add("document", data, filename=filename, mime_type=mime)
        return await _post(self, self, _with_caption({"document": stored.document()}, caption), stored)

    async def send_voice(self, data: bytes, duration: int = 3) -> dict[str, Any]:
        """Send a voice note."""
        stored = self.world.files.add("voice", data, mime_type="audio/ogg")
        return await _post(self, self, {"voice": stored.voice(duration)}, stored)

    async def send_sticker(self) -> dict[str, Any]:
        """Send a sticker (handy for "the bot ignores what it can't use" tests)."""
        stored = self.world.files.add("sticker", _STICKER_BYTES, mime_type="image/webp")
        return await _post(self, self, {"sticker": stored.sticker()}, stored)

    async def share_chat(self, text: str, chat: Group) -> dict[str, Any]:
        """Press the reply-keyboard button ``text`` (a ``request_chat`` button) and pick ``chat``
        in Telegram's chat picker: the bot gets a message with ``chat_shared``."""
        kind, _message, button = self.find_button(text)
        request = button.get("request_chat") if kind == "reply" and isinstance(button, dict) else None
        if request is None:
            raise LookupError(f"{text!r} is not a request_chat button")
        self.keyboard_used()
        return await self.pick_chat(request, chat)

    async def pick_chat(self, request: dict[str, Any], chat: Group) -> dict[str, Any]:
        """Answer a ``request_chat`` picker (KeyboardButtonRequestChat as a dict) with ``chat``."""
        if bool(request["chat_is_channel"]) != chat.is_channel:
            raise ValueError(f"the picker does not offer {chat!r}")
        shared: dict[str, Any] = {"request_id": request["request_id"], "chat_id": chat.id}
        if request.get("request_title"):
            shared["title"] = chat.title
        return await _post(self, self, {"chat_shared": shared})

    # -- buttons -------------------------------------------------------------------

    async def tap(self, text: str) -> dict[str, Any] | str:
        """Press a button by its visible text (see `Chat.find_button` for the search order).

        Returns the callback query or message sent, or for a URL button that
        is not a start link of this bot, the URL itself.
        """
        return await press_button(self, self, text)

    async def tap_data(self, message_id: int, data: str) -> dict[str, Any]:
        """A callback query with any data on a message: stale or forged buttons."""
        return await _tap_data(self, self, message_id, data)

    # -- conveniences ----------------------------------------------------------------

    async def ask(self, text: str, timeout: float = 10.0) -> ChatMessage | None:
        """Send `text`, then wait for the bot's reply."""
        await self.send(text)
        return await self.wait_reply(timeout)

    async def press(self, text: str, timeout: float = 10.0) -> ChatMessage | None:
        """Tap the button labelled `text`, then wait for the bot's reply."""
        await self.tap(text)
        return await self.wait_reply(timeout)


class Group(Chat):
    """A group, supergroup or channel (negative id) the bot is a member of.

    In a channel the bot can only be an administrator; ``can_post`` is then its
    "Post messages" right. Tests change ``bot_is_admin``, ``can_post`` and
    ``bot_member`` to take rights away.
    """

    def __init__(
        self,
        world: World,
        chat_id: int,
        title: str,
        bot_is_admin: bool = False,
        can_post: bool = True,
        is_channel: bool = False,
    ) -> None:
        super().__init__(world, chat_id)
        self.title = title
        self.bot_is_admin = bot_is_admin
        self.can_post = can_post
        self.is_channel = is_channel
        self.bot_member = True
        self.members: dict[int, str] = {}  # user id -> "creator" | "administrator" | "member"

    def __repr__(self) -> str:
        return f"Group({self.id}, {self.title!r})"

    @property
    def chat_type(self) -> str:
        """ "channel", "supergroup" for -100… ids, else "group"."""
        if self.is_channel:
            return "channel"
        return "supergroup" if str(self.id).startswith("-100") else "group"

    def chat_object(self) -> dict[str, Any]:
        """The group as a Bot API Chat object."""
        return {"id": self.id, "type": self.chat_type, "title": self.title}

    def change_bot_rights(
        self, by: SimulatedUser, *, admin: bool | None = None, can_post: bool | None = None, member: bool | None = None
    ) -> dict[str, Any]:
        """``by`` changes the bot's standing here (promote, demote, take "Post messages", remove):
        the bot gets a ``my_chat_member`` update, as from Telegram."""
        from emulator.methods_bot import bot_membership

        old = bot_membership(self.world, self)
        if admin is not None:
            self.bot_is_admin = admin
        if can_post is not None:
            self.can_post = can_post
        if member is not None:
            self.bot_member = member
        change = {
            "chat": self.chat_object(),
            "from": by.as_user(),
            "date": self.world.now(),
            "old_chat_member": old,
            "new_chat_member": bot_membership(self.world, self),
        }
        self.world.updates.push("my_chat_member", change)
        return change

    def add_member(self, user: SimulatedUser, status: str = "member") -> None:
        """Put a user in the group ("creator", "administrator" or "member")."""
        self.members[user.id] = status

    async def send(self, user: SimulatedUser, text: str) -> dict[str, Any]:
        """`user` writes `text` in the group (joining it if needed)."""
        self.members.setdefault(user.id, "member")
        return await _post(user, self, text_content(text))

    async def tap(self, user: SimulatedUser, text: str) -> dict[str, Any] | str:
        """`user` presses a button in the group by its visible text."""
        return await press_button(user, self, text)

    async def tap_data(self, user: SimulatedUser, message_id: int, data: str) -> dict[str, Any]:
        """`user` sends a callback query with any data on a group message."""
        return await _tap_data(user, self, message_id, data)


def text_content(text: str) -> dict[str, Any]:
    """Message fields for text a user types: a leading command gets its entity."""
    content: dict[str, Any] = {"text": text}
    match = _COMMAND.match(text)
    if match:
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": match.end()}]
    return content


def contact_content(
    user: SimulatedUser, phone: str | None = None, own: bool = True, first_name: str | None = None
) -> dict[str, Any]:
    """Message fields for a shared contact; someone else's contact gets another user_id."""
    contact: dict[str, Any] = {
        "phone_number": phone or user.phone,
        "first_name": first_name or user.first_name,
        "user_id": user.id if own else user.id + 1_000_000_000,
    }
    if own and user.last_name:
        contact["last_name"] = user.last_name
    return {"contact": contact}


def _with_caption(content: dict[str, Any], caption: str | None) -> dict[str, Any]:
    if caption:
        content["caption"] = caption
    return content


async def _post(user: SimulatedUser, chat: Chat, content: dict[str, Any], media: Any = None) -> dict[str, Any]:
    if chat is user:
        user.started, user.blocked = True, False
    message = user.world.user_message(chat, user.as_user(), content, media)
    await asyncio.sleep(0)  # let a waiting getUpdates see it before the caller moves on
    return message


async def press_button(user: SimulatedUser, chat: Chat, text: str) -> dict[str, Any] | str:
    """What pressing the button labelled `text` in `chat` does, as `user`."""
    kind, message, button = chat.find_button(text)
    if kind == "reply":
        chat.keyboard_used()
        if isinstance(button, dict) and button.get("request_contact"):
            return await _post(user, chat, contact_content(user))
        if isinstance(button, dict) and button.get("request_location"):
            latitude, longitude = user.location
            return await _post(user, chat, {"location": {"latitude": latitude, "longitude": longitude}})
        return await _post(user, chat, text_content(button_text(button)))
    assert message is not None
    if "callback_data" in button:
        return await _query(user, chat, message, button["callback_data"])
    if "url" in button:
        try:
            return await user.open_link(button["url"])
        except ValueError:
            return str(button["url"])
    action = next(key for key in button if key != "text")
    raise LookupError(f"button {text!r} is a {action} button, which the emulator cannot press")


async def _tap_data(user: SimulatedUser, chat: Chat, message_id: int, data: str) -> dict[str, Any]:
    message = chat.message(message_id)
    if message is None:
        raise LookupError(f"no message {message_id} in chat {chat.id}")
    return await _query(user, chat, message, data)


async def _query(user: SimulatedUser, chat: Chat, message: ChatMessage, data: str) -> dict[str, Any]:
    query = user.world.callback_query(user.as_user(), chat, message, data)
    await asyncio.sleep(0)
    return query
