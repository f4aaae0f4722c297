"""Bot API methods that post, change or remove messages, and file access.

Each handler takes the world and the decoded parameters and returns the
`result` of the envelope, or raises ApiError with Telegram's words. Checks
run in Telegram's order as far as it shows: chat, rights, content, flood.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from emulator.chat import Chat, ChatMessage
from emulator.errors import NOT_MODIFIED, QUERY_TOO_OLD, ApiError, bad_request
from emulator.files import StoredFile, UploadedFile
from emulator.markup import markup_kind
from emulator.telegram_html import parse_formatted, utf16_len
from emulator.world import World, copy_json

Handler = Callable[[World, dict[str, Any]], Awaitable[Any]]
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
    }
)  # fmt: skip
_FILE_KIND_NAMES = {"photo": "Photo", "document": "Document", "voice": "Voice", "sticker": "Sticker"}
_MEDIA_KINDS = ("photo", "document", "voice")


# -- helpers ---------------------------------------------------------------------


def _text(world: World, params: dict[str, Any]) -> dict[str, Any]:
    """Text and entities of a text message, with Telegram's length rules."""
    plain, entities = parse_formatted(
        params["text"], params.get("parse_mode"), params.get("entities"), world.strict_html
    )
    if not plain.strip():
        raise bad_request("message text is empty")
    if utf16_len(plain) > 4096:
        raise bad_request("message is too long")
    return _with_entities({"text": plain}, "entities", entities)


def _caption(world: World, params: dict[str, Any]) -> dict[str, Any]:
    """Caption fields of a media message (none when the caption is empty)."""
    if not params.get("caption"):
        return {}
    plain, entities = parse_formatted(
        params["caption"], params.get("parse_mode"), params.get("caption_entities"), world.strict_html
    )
    if utf16_len(plain) > 1024:
        raise bad_request("message caption is too long")
    if not plain.strip():
        return {}
    return _with_entities({"caption": plain}, "caption_entities", entities)


def _with_entities(content: dict[str, Any], key: str, entities: list[dict[str, Any]]) -> dict[str, Any]:
    if entities:
        content[key] = entities
    return content


def _reply_to(chat: Chat, params: dict[str, Any]) -> dict[str, Any]:
    """The reply_to_message field, when the bot replies to a message of this chat."""
    reply = params.get("reply_parameters") or {}
    message_id = reply.get("message_id", params.get("reply_to_message_id"))
    if message_id is None:
        return {}
    target = chat.message(message_id)
    if target is None:
        if reply.get("allow_sending_without_reply") or params.get("allow_sending_without_reply"):
            return {}
        raise bad_request("message to be replied not found")
    quoted = {k: v for k, v in target.raw.items() if k != "reply_to_message"}
    return {"reply_to_message": copy_json(quoted)}


def _post(
    world: World,
    method: str,
    params: dict[str, Any],
    content: dict[str, Any],
    chat: Chat,
    media: StoredFile | None = None,
) -> dict[str, Any]:
    """The shared tail of every send method: replies, flood limits, posting."""
    content = {**_reply_to(chat, params), **content}
    world.spend_flood(method, chat.id)
    html = params.get("text") or params.get("caption")
    message = world.bot_message(chat, content, params.get("reply_markup"), html, media)
    return copy_json(message.raw)


def _input_file(world: World, value: Any, kind: str, filename: str | None = None) -> StoredFile:
    """The file behind an InputFile parameter: an upload, a known file_id, or a URL."""
    if isinstance(value, UploadedFile):
        if not value.data:
            raise bad_request("file must be non-empty")
        name = filename or value.filename
        return world.files.add(kind, value.data, name, value.content_type)
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        # Nothing is fetched: a placeholder stands in for the remote file.
        name = value.rsplit("/", 1)[-1] or None
        return world.files.add(kind, b"", filename or name, url=value)
    stored = world.files.by_id(value) if isinstance(value, str) else None
    if stored is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    if stored.kind != kind:
        raise bad_request(f"can't use file of type {_FILE_KIND_NAMES[stored.kind]} as {_FILE_KIND_NAMES[kind]}")
    return stored


# -- sending ---------------------------------------------------------------------


async def send_message(world: World, params: dict[str, Any]) -> Any:
    """sendMessage."""
    chat = world.writable_chat(params["chat_id"])
    return _post(world, "sendMessage", params, _text(world, params), chat)


async def send_photo(world: World, params: dict[str, Any]) -> Any:
    """sendPhoto."""
    chat = world.writable_chat(params["chat_id"], "photos")
    caption = _caption(world, params)
    stored = _input_file(world, params["photo"], "photo")
    return _post(world, "sendPhoto", params, {"photo": stored.photo_sizes(), **caption}, chat, stored)


async def send_document(world: World, params: dict[str, Any]) -> Any:
    """sendDocument."""
    chat = world.writable_chat(params["chat_id"], "documents")
    caption = _caption(world, params)
    stored = _input_file(world, params["document"], "document")
    return _post(world, "sendDocument", params, {"document": stored.document(), **caption}, chat, stored)


async def send_voice(world: World, params: dict[str, Any]) -> Any:
    """sendVoice."""
    chat = world.writable_chat(params["chat_id"], "voice notes")
    caption = _caption(world, params)
    stored = _input_file(world, params["voice"], "voice")
    voice = stored.voice(int(params.get("duration") or 1))
    return _post(world, "sendVoice", params, {"voice": voice, **caption}, chat, stored)


async def send_location(world: World, params: dict[str, Any]) -> Any:
    """sendLocation."""
    chat = world.writable_chat(params["chat_id"])
    latitude, longitude = params["latitude"], params["longitude"]
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise bad_request("wrong latitude or longitude")
    location = {"latitude": latitude, "longitude": longitude}
    return _post(world, "sendLocation", params, {"location": location}, chat)


async def send_contact(world: World, params: dict[str, Any]) -> Any:
    """sendContact."""
    chat = world.writable_chat(params["chat_id"])
    contact = {k: params[k] for k in ("phone_number", "first_name", "last_name", "vcard") if params.get(k)}
    return _post(world, "sendContact", params, {"contact": contact}, chat)


async def send_chat_action(world: World, params: dict[str, Any]) -> Any:
    """sendChatAction: checked like a send, shown nowhere."""
    world.writable_chat(params["chat_id"])
    if params["action"] not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


# -- changing --------------------------------------------------------------------


def _target(world: World, params: dict[str, Any], missing: str) -> tuple[Chat, ChatMessage]:
    """The chat and message an edit or delete names."""
    if params.get("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")  # inline mode is not emulated
    if params.get("chat_id") is None:
        raise bad_request("chat_id is empty")
    if params.get("message_id") is None:
        raise bad_request("message identifier is not specified")
    chat = world.resolve_chat(params["chat_id"])
    message = chat.message(params["message_id"])
    if message is None:
        raise bad_request(missing)
    return chat, message


def _editable(world: World, params: dict[str, Any]) -> tuple[Chat, ChatMessage]:
    chat, message = _target(world, params, "message to edit not found")
    world.check_writable(chat)
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return chat, message


def _apply_edit(world: World, chat: Chat, message: ChatMessage, changes: dict[str, Any], params: dict[str, Any]) -> Any:
    """Replace fields (None removes), refusing an edit that changes nothing."""
    markup = params.get("reply_markup")
    if markup is not None and markup_kind(markup) != "InlineKeyboardMarkup":
        raise bad_request("inline keyboard expected")
    changes = {**changes, "reply_markup": markup}
    if all(message.raw.get(key) == value for key, value in changes.items()):
        raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
    for key, value in changes.items():
        if value is None:
            message.raw.pop(key, None)
        else:
            message.raw[key] = value
    message.raw["edit_date"] = world.now()
    chat.bot_activity()
    return copy_json(message.raw)


async def edit_message_text(world: World, params: dict[str, Any]) -> Any:
    """editMessageText (an edit without reply_markup drops the inline keyboard, as in Telegram)."""
    chat, message = _editable(world, params)
    if message.kind != "text":
        raise bad_request("there is no text in the message to edit")
    if params.get("text") in (None, ""):
        raise bad_request("message text is empty")
    content = _text(world, params)
    result = _apply_edit(world, chat, message, {"entities": None, **content}, params)
    message.html = params["text"]
    return result


async def edit_message_caption(world: World, params: dict[str, Any]) -> Any:
    """editMessageCaption."""
    chat, message = _editable(world, params)
    if message.kind not in _MEDIA_KINDS:
        raise bad_request("there is no caption in the message to edit")
    caption = _caption(world, params)
    changes = {"caption": None, "caption_entities": None, **caption}
    return _apply_edit(world, chat, message, changes, params)


async def edit_message_reply_markup(world: World, params: dict[str, Any]) -> Any:
    """editMessageReplyMarkup."""
    chat, message = _editable(world, params)
    return _apply_edit(world, chat, message, {}, params)


async def delete_message(world: World, params: dict[str, Any]) -> Any:
    """deleteMessage: own messages anywhere, others' in private chats or as a group admin."""
    chat, message = _target(world, params, "message to delete not found")
    group = world.groups.get(chat.id)
    if group is not None and not message.from_bot and not group.bot_is_admin:
        raise bad_request("message can't be deleted")
    if world.now() - message.date > 48 * 3600:
        raise bad_request("message can't be deleted for everyone")
    chat.remove(message)
    return True


async def answer_callback_query(world: World, params: dict[str, Any]) -> Any:
    """answerCallbackQuery: once per query; the answer shows to the user who pressed."""
    query = world.queries.get(params["callback_query_id"])
    if query is None or query.answered:
        raise ApiError(400, QUERY_TOO_OLD)
    text = params.get("text") or ""
    if len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    query.answered = True
    user = world.users.get(query.user_id)
    if user is not None:
        user.callback_answers.append((text, bool(params.get("show_alert"))))
    chat = world.chat(query.chat_id)
    if chat is not None:
        chat.bot_activity()
    return True


DOWNLOAD_LIMIT = 20 * 1024 * 1024  # getFile refuses larger files


async def get_file(world: World, params: dict[str, Any]) -> Any:
    """getFile: the File object with the path to download from."""
    stored = world.files.by_id(params["file_id"])
    if stored is None:
        raise bad_request("invalid file_id")
    if stored.size > DOWNLOAD_LIMIT:
        raise bad_request("file is too big")
    return stored.as_file()


HANDLERS: dict[str, Handler] = {
    "sendMessage": send_message,
    "sendPhoto": send_photo,
    "sendDocument": send_document,
    "sendVoice": send_voice,
    "sendLocation": send_location,
    "sendContact": send_contact,
    "sendChatAction": send_chat_action,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "answerCallbackQuery": answer_callback_query,
    "getFile": get_file,
}
