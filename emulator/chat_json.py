"""What the web chat page draws, as JSON: people, messages, keyboards.

Messages keep Telegram's plain text + entities (offsets in UTF-16 units, as
JavaScript strings count), so the page formats them exactly as a Telegram app
does, and never has to trust HTML.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from emulator.chat import ChatMessage
from emulator.markup import button_text
from emulator.people import SimulatedUser


def person_json(user: SimulatedUser, about: str) -> dict[str, Any]:
    """One person as the list shows them: name, role, last message, how many bot messages (for unread badges)."""
    last = user.messages[-1] if user.messages else None
    return {
        "id": user.id,
        "name": " ".join(part for part in (user.first_name, user.last_name) if part),
        "language": user.language_code,
        "about": about,
        "blocked": user.blocked,
        "started": user.started,
        "preview": _preview(last) if last else "",
        "preview_from_bot": bool(last and last.from_bot),
        "date": last.date if last else None,
        "bot_messages": len(user.bot_messages),
    }


def _preview(message: ChatMessage) -> str:
    labels = {
        "photo": "Photo",
        "document": "File",
        "voice": "Voice message",
        "location": "Location",
        "contact": "Contact",
        "sticker": "Sticker",
    }
    text = message.text.replace("\n", " ").strip()
    label = labels.get(message.kind)
    if label and text:
        return f"{label}, {text}"[:120]
    return (text or label or "")[:120]


def message_json(message: ChatMessage) -> dict[str, Any]:
    """One message: text with entities, buttons, and the address of its file, if any."""
    raw = message.raw
    item: dict[str, Any] = {
        "id": message.message_id,
        "from_bot": message.from_bot,
        "kind": message.kind,
        "text": message.text,
        "entities": message.entities,
        "date": message.date,
        "edited": message.edited,
        "buttons": [[_inline_button_json(b) for b in row] for row in message.inline_keyboard],
    }
    if message.media is not None:
        item["file"] = {
            "url": f"/_sandbox/files/{quote(message.media.file_path)}",
            "name": message.media.filename or message.media.file_path.rsplit("/", 1)[-1],
            "size": message.media.size,
            "mime": message.media.mime_type,
        }
    if "location" in raw:
        item["location"] = {"latitude": raw["location"]["latitude"], "longitude": raw["location"]["longitude"]}
    if "contact" in raw:
        contact = raw["contact"]
        name = " ".join(part for part in (contact.get("first_name"), contact.get("last_name")) if part)
        item["contact"] = {"name": name, "phone": contact.get("phone_number", "")}
    if "sticker" in raw:
        item["emoji"] = raw["sticker"].get("emoji", "")
    return item


def _inline_button_json(button: dict[str, Any]) -> dict[str, Any]:
    if "callback_data" in button:
        return {"text": button_text(button), "type": "callback"}
    if "url" in button:
        return {"text": button_text(button), "type": "url", "url": str(button["url"])}
    return {"text": button_text(button), "type": "other"}


def keyboard_json(keyboard: dict[str, Any] | None) -> dict[str, Any] | None:
    """The reply keyboard under the input field, with which buttons share a contact, a location or a chat."""
    if not keyboard:
        return None
    rows = []
    for row in keyboard.get("keyboard", []):
        cells = []
        for button in row:
            request = None
            if isinstance(button, dict) and button.get("request_contact"):
                request = "contact"
            elif isinstance(button, dict) and button.get("request_location"):
                request = "location"
            elif isinstance(button, dict) and button.get("request_chat"):
                request = "chat"
            cells.append({"text": button_text(button), "request": request})
        rows.append(cells)
    return {"rows": rows, "placeholder": keyboard.get("input_field_placeholder") or ""}
