"""What a chat looks like from the user's side: its messages, keyboard and activity.

`Chat` is shared by private chats (SimulatedUser) and groups. It keeps the
messages as they currently stand (edits applied, deletions removed), the
reply keyboard currently shown, and a counter of visible bot activity that
`wait_reply` watches.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from emulator.files import StoredFile
from emulator.markup import button_rows, button_text, markup_kind

if TYPE_CHECKING:
    from emulator.world import World

_KINDS = ("text", "photo", "document", "voice", "location", "contact", "sticker")


@dataclass
class ChatMessage:
    """One message in a chat, as it stands now."""

    message_id: int
    from_bot: bool
    raw: dict[str, Any]
    html: str | None = None
    reply_keyboard: dict[str, Any] | None = None
    media: StoredFile | None = None

    def __repr__(self) -> str:
        # Short enough to read in a failed assertion about a whole chat.
        who = "bot" if self.from_bot else "user"
        buttons = f" buttons={self.buttons}" if self.buttons else ""
        edited = " edited" if self.edited else ""
        return f"<#{self.message_id} {who} {self.kind} {self.text[:60]!r}{buttons}{edited}>"

    @property
    def text(self) -> str:
        """Plain text (entities parsed away), or the caption of a media message."""
        return self.raw.get("text") or self.raw.get("caption") or ""

    @property
    def entities(self) -> list[dict[str, Any]]:
        """Entities of the text or caption."""
        return self.raw.get("entities") or self.raw.get("caption_entities") or []

    @property
    def kind(self) -> str:
        """ "text", "photo", "document", "voice", "location", "contact" or "sticker"."""
        for kind in _KINDS:
            if kind in self.raw:
                return kind
        return "other"

    @property
    def inline_keyboard(self) -> list[list[dict[str, Any]]]:
        """The inline keyboard's raw rows of buttons ([] when there is none)."""
        return (self.raw.get("reply_markup") or {}).get("inline_keyboard", [])

    @property
    def buttons(self) -> list[list[str]]:
        """Rows of inline button texts."""
        return button_rows(self.raw.get("reply_markup"))

    @property
    def edited(self) -> bool:
        """True once the bot has edited this message."""
        return "edit_date" in self.raw

    @property
    def date(self) -> int:
        """Unix time the message was sent."""
        return int(self.raw["date"])

    @property
    def photo(self) -> bytes | None:
        """Bytes of the photo, for photo messages."""
        return self.media.data if self.media and self.kind == "photo" else None

    @property
    def document(self) -> bytes | None:
        """Bytes of the document, for document messages."""
        return self.media.data if self.media and self.kind == "document" else None

    @property
    def voice(self) -> bytes | None:
        """Bytes of the voice note, for voice messages."""
        return self.media.data if self.media and self.kind == "voice" else None

    @property
    def filename(self) -> str | None:
        """File name of a document."""
        return self.media.filename if self.media else None


class Chat:
    """A chat's visible state plus the activity signal `wait_reply` waits on."""

    def __init__(self, world: World, chat_id: int) -> None:
        self.world = world
        self.id = chat_id
        self.messages: list[ChatMessage] = []
        self._keyboard: dict[str, Any] | None = None
        self._activity = 0
        self._mark = 0
        self._changed = asyncio.Event()

    def chat_object(self) -> dict[str, Any]:
        """The Bot API Chat object for this chat."""
        raise NotImplementedError

    @property
    def bot_messages(self) -> list[ChatMessage]:
        """Only the messages the bot sent."""
        return [m for m in self.messages if m.from_bot]

    def last(self) -> ChatMessage | None:
        """The newest bot message, or None."""
        bot = self.bot_messages
        return bot[-1] if bot else None

    def last_text(self) -> str:
        """Text of the newest bot message ("" if none)."""
        last = self.last()
        return last.text if last else ""

    def message(self, message_id: int) -> ChatMessage | None:
        """A message of this chat by id."""
        return next((m for m in self.messages if m.message_id == message_id), None)

    @property
    def reply_keyboard(self) -> dict[str, Any] | None:
        """The reply keyboard shown below the input field now, or None."""
        return self._keyboard

    # -- changes, called by the world ---------------------------------------

    def add(self, message: ChatMessage) -> None:
        """Append a message; a bot message may also show or remove the reply keyboard."""
        self.messages.append(message)
        if message.from_bot:
            kind = markup_kind(message.reply_keyboard)
            if kind == "ReplyKeyboardMarkup":
                self._keyboard = message.reply_keyboard
            elif kind == "ReplyKeyboardRemove":
                self._keyboard = None
            self.bot_activity()

    def remove(self, message: ChatMessage) -> None:
        """Drop a deleted message."""
        self.messages.remove(message)
        self.bot_activity()

    def bot_activity(self) -> None:
        """Record something the bot did that the user can see."""
        self._activity += 1
        self._changed.set()
        self._changed = asyncio.Event()

    def user_acted(self) -> None:
        """Start a new wait: only bot activity after this counts for wait_reply."""
        self._mark = self._activity

    def keyboard_used(self) -> None:
        """A reply keyboard button was pressed: a one-time keyboard hides."""
        if self._keyboard and self._keyboard.get("one_time_keyboard"):
            self._keyboard = None

    # -- waiting ---------------------------------------------------------------

    async def wait_reply(self, timeout: float = 10.0, settle: float = 0.15) -> ChatMessage | None:
        """Wait for the bot's visible response to the last action, then for quiet.

        Returns the newest bot message once nothing has changed for `settle`
        seconds; raises TimeoutError if the bot did nothing within `timeout`.
        A second call without a new action waits for activity after the first.
        When the test told the world how to wait for the bot to be idle
        (`World.bot_idle`, set for a bot running in the test's own process),
        the bot's first visible response is followed by waiting until it has
        handled everything it fetched, so a slow machine cannot end the wait
        between a tap's answer and the edit that follows it.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._activity == self._mark:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"the bot did nothing visible in chat {self.id} within {timeout} s")
            await self._wait_change(remaining)
        idle = self.world.bot_idle
        if idle is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(idle(), max(deadline - loop.time(), 0.01))
        while loop.time() < deadline:
            seen = self._activity
            await self._wait_change(min(settle, deadline - loop.time()))
            if self._activity == seen:
                break
        self._mark = self._activity
        return self.last()

    async def _wait_change(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), max(seconds, 0))

    # -- buttons ---------------------------------------------------------------

    def visible_buttons(self) -> list[str]:
        """Every button text a user could press now, newest message first."""
        texts = [button_text(b) for m in reversed(self.bot_messages) for row in m.inline_keyboard for b in row]
        if self._keyboard:
            texts += [button_text(b) for row in self._keyboard.get("keyboard", []) for b in row]
        return texts

    def find_button(self, text: str) -> tuple[str, ChatMessage | None, Any]:
        """Locate a button by visible text: ("inline", message, button) or ("reply", None, button).

        Looks at the newest bot message's inline keyboard, then the reply
        keyboard shown, then older messages. An exact match wins anywhere;
        failing that, a label containing `text` is accepted when it is the
        only such label in the first place that has one.
        """
        places = self._button_places()
        for kind, message, buttons in places:
            exact = [b for b in buttons if button_text(b) == text]
            if exact:
                return kind, message, exact[0]
        for kind, message, buttons in places:
            partial = [b for b in buttons if text in button_text(b)]
            if len(partial) == 1:
                return kind, message, partial[0]
            if partial:
                labels = [button_text(b) for b in partial]
                raise LookupError(f"{text!r} matches several buttons: {labels}")
        raise LookupError(f"no button {text!r}; visible buttons: {self.visible_buttons()}")

    def _button_places(self) -> list[tuple[str, ChatMessage | None, list[Any]]]:
        newest_first: list[tuple[str, ChatMessage | None, list[Any]]] = [
            ("inline", m, _flatten(m.inline_keyboard)) for m in reversed(self.bot_messages)
        ]
        if self._keyboard:
            # The reply keyboard sits right under the newest message on screen.
            reply = ("reply", None, _flatten(self._keyboard.get("keyboard", [])))
            newest_first.insert(min(1, len(newest_first)), reply)
        return newest_first


def _flatten(rows: list[list[Any]]) -> list[Any]:
    return [button for row in rows for button in row]
