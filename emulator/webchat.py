"""The web chat: a Telegram-like page for acting as simulated people, served by the emulator.

``WebChat(emu).install()`` (before ``emu.start()``) adds to the emulator's
aiohttp app the page at ``/`` (files in ``emulator/web/``) and its JSON API
under ``/_sandbox/``:

    GET  /_sandbox/info                      the bot, suggested links
    GET  /_sandbox/state?person=ID&v=HASH    people, and that person's chat (``same`` when unchanged)
    POST /_sandbox/people                    add a person {"name", "language"}
    POST /_sandbox/people/ID/send            type {"text"}
    POST /_sandbox/people/ID/press           inline button {"message_id", "row", "column"}
    POST /_sandbox/people/ID/reply           reply keyboard button {"row", "column"}
    POST /_sandbox/people/ID/link            open a t.me link {"url"}
    POST /_sandbox/people/ID/block           {"blocked": true|false}
    POST /_sandbox/people/ID/upload          raw bytes, X-Filename header: JPEG or PNG as a photo, else a document
    GET  /_sandbox/files/PATH                a stored file's bytes (photos, documents)

The page polls ``state``; every action is what ``SimulatedUser`` does in tests.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from aiohttp import web

from emulator.chat_json import keyboard_json, message_json, person_json
from emulator.markup import button_text
from emulator.people import SimulatedUser

if TYPE_CHECKING:
    from emulator.core import BotApiEmulator

log = logging.getLogger("emulator.webchat")
WEB_FOLDER = Path(__file__).resolve().parent / "web"
STATIC = {"index.html": "text/html", "chat.css": "text/css", "chat.js": "text/javascript"}
FIRST_NEW_PERSON_ID = 820001
NAME_LIMIT = 64
TEXT_LIMIT = 4096
UPLOAD_LIMIT = 20 * 1024 * 1024


@dataclass
class Person:
    """A simulated user the web chat lists, with a line about who they are."""

    user: SimulatedUser
    about: str
    added: bool  # made in the web chat (listed first, saved to the people file)


class WebChat:
    """The page and JSON API that let a browser act as the emulator's people."""

    def __init__(
        self,
        emulator: BotApiEmulator,
        *,
        people_file: Path | None = None,
        links: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.emulator = emulator
        self.people_file = people_file
        self.links = links
        self.people: dict[int, Person] = {}

    # -- set-up --------------------------------------------------------------------

    def install(self) -> None:
        """Add the page and the API to the emulator's app (before it starts)."""
        router = self.emulator.app.router
        router.add_get("/", self._page)
        for name in STATIC:
            router.add_get(f"/{name}", self._static)
        router.add_get("/_sandbox/info", self._info)
        router.add_get("/_sandbox/state", self._state)
        router.add_post("/_sandbox/people", self._add_person)
        router.add_post("/_sandbox/people/{id}/{action}", self._act)
        router.add_get("/_sandbox/files/{path:.+}", self._file)
        self._load_added_people()

    def introduce(
        self, user_id: int, first_name: str, last_name: str | None, language: str | None, about: str
    ) -> SimulatedUser:
        """List a person who already uses the bot (e.g. a demo member)."""
        user = self.emulator.user(user_id, first_name, language_code=language, last_name=last_name, started=True)
        self.people[user_id] = Person(user, about, added=False)
        return user

    def add_person(self, name: str, language: str | None) -> SimulatedUser:
        """A new person who has not opened the bot yet."""
        first, _, last = " ".join(name.split()).partition(" ")
        taken = [uid for uid in self.emulator.users if uid >= FIRST_NEW_PERSON_ID]
        user_id = max(taken, default=FIRST_NEW_PERSON_ID - 1) + 1
        user = self.emulator.user(user_id, first, language_code=language, last_name=last or None, started=False)
        self.people[user_id] = Person(user, "Added in the sandbox", added=True)
        self._save_added_people()
        return user

    def _load_added_people(self) -> None:
        if self.people_file is None or not self.people_file.is_file():
            return
        try:
            saved = json.loads(self.people_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            log.warning("ignoring unreadable %s", self.people_file)
            return
        for entry in saved:
            user = self.emulator.user(
                int(entry["id"]),
                entry["first_name"],
                language_code=entry.get("language"),
                last_name=entry.get("last_name"),
                started=True,
            )
            self.people[user.id] = Person(user, "Added in the sandbox", added=True)

    def _save_added_people(self) -> None:
        if self.people_file is None:
            return
        added = [
            {
                "id": p.user.id,
                "first_name": p.user.first_name,
                "last_name": p.user.last_name,
                "language": p.user.language_code,
            }
            for p in self.people.values()
            if p.added
        ]
        self.people_file.parent.mkdir(parents=True, exist_ok=True)
        self.people_file.write_text(json.dumps(added, indent=1, ensure_ascii=False), encoding="utf-8")

    # -- page -------------------------------------------------------------------------

    async def _page(self, request: web.Request) -> web.Response:
        return _static_file("index.html")

    async def _static(self, request: web.Request) -> web.Response:
        return _static_file(request.path.lstrip("/"))

    # -- reading ------------------------------------------------------------------------

    async def _info(self, request: web.Request) -> web.Response:
        world = self.emulator.world
        bot = {"id": world.bot_id, "username": world.bot_username, "first_name": world.bot_first_name}
        links = [{"label": label, "url": url} for label, url in self.links]
        return web.json_response({"bot": bot, "links": links})

    async def _state(self, request: web.Request) -> web.Response:
        _check_host(request)
        person = self.people.get(_int(request.query.get("person")))
        state = {"people": self.people_list(), "chat": self.chat_state(person.user) if person else None}
        version = hashlib.sha1(json.dumps(state, sort_keys=True).encode()).hexdigest()[:16]
        if request.query.get("v") == version:
            return web.json_response({"v": version, "same": True})
        return web.json_response({"v": version, **state})

    def people_list(self) -> list[dict[str, Any]]:
        """Everyone the page lists: people added here (newest first), then the others."""
        ordered = sorted(self.people.values(), key=lambda p: (not p.added, -p.user.id if p.added else 0))
        return [person_json(p.user, p.about) for p in ordered]

    def chat_state(self, user: SimulatedUser) -> dict[str, Any]:
        """What ``user`` sees: messages, the reply keyboard, button answers, the command list."""
        return {
            "person": user.id,
            "messages": [message_json(m) for m in user.messages],
            "keyboard": keyboard_json(user.reply_keyboard),
            "answers": [{"text": text, "alert": alert} for text, alert in user.callback_answers],
            "commands": self._commands_for(user),
            "blocked": user.blocked,
            "started": user.started,
        }

    def _commands_for(self, user: SimulatedUser) -> list[dict[str, str]]:
        # Telegram's order: this chat's list, then everyone's, each in the user's language first.
        lang = user.language_code or ""
        commands = self.emulator.commands
        for key in ((f"chat:{user.id}", lang), (f"chat:{user.id}", ""), ("default", lang), ("default", "")):
            if key in commands:
                return commands[key]
        return []

    async def _file(self, request: web.Request) -> web.Response:
        _check_host(request)
        stored = self.emulator.world.files.by_path(request.match_info["path"])
        if stored is None:
            return _error(404, "no such file")
        headers = {"Cache-Control": "private, max-age=3600"}
        if stored.kind == "document":
            name = stored.filename or stored.file_path.rsplit("/", 1)[-1]
            headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream", headers=headers
        )

    # -- acting ---------------------------------------------------------------------------

    async def _add_person(self, request: web.Request) -> web.Response:
        _check_host(request)
        body = await _json_body(request)
        name = str(body.get("name") or "").strip()
        language = body.get("language") or None
        if not name or len(name) > NAME_LIMIT:
            return _error(400, f"a name of 1 to {NAME_LIMIT} characters, please")
        if language not in (None, "id", "en"):
            return _error(400, "language is id or en")
        user = self.add_person(name, language)
        return web.json_response({"person": person_json(user, self.people[user.id].about)})

    async def _act(self, request: web.Request) -> web.Response:
        _check_host(request)
        person = self.people.get(_int(request.match_info["id"]))
        if person is None:
            return _error(404, "no such person")
        actions = {
            "send": self._send,
            "press": self._press,
            "reply": self._reply,
            "link": self._link,
            "block": self._block,
            "upload": self._upload,
        }
        action = actions.get(request.match_info["action"])
        if action is None:
            return _error(404, "no such action")
        try:
            return await action(person.user, request)
        except (LookupError, ValueError) as problem:
            return _error(400, str(problem))

    async def _send(self, user: SimulatedUser, request: web.Request) -> web.Response:
        text = str((await _json_body(request)).get("text") or "")
        if not text.strip():
            raise ValueError("nothing to send")
        if len(text) > TEXT_LIMIT:
            raise ValueError(f"a message is at most {TEXT_LIMIT} characters")
        await user.send(text)
        return web.json_response({"ok": True})

    async def _press(self, user: SimulatedUser, request: web.Request) -> web.Response:
        body = await _json_body(request)
        message = user.message(_int(body.get("message_id")))
        if message is None or not message.from_bot:
            raise LookupError("that message is gone")
        button = _cell(message.inline_keyboard, body)
        if "callback_data" in button:
            await user.tap_data(message.message_id, button["callback_data"])
            return web.json_response({"ok": True})
        if "url" in button:
            url = str(button["url"])
            try:
                await user.open_link(url)  # a link to this bot: Telegram opens the chat with /start
            except ValueError:
                return web.json_response({"ok": True, "open_url": url})
            return web.json_response({"ok": True})
        kind = next((key for key in button if key != "text"), "unknown")
        raise ValueError(f"a {kind} button does nothing in the sandbox")

    async def _reply(self, user: SimulatedUser, request: web.Request) -> web.Response:
        keyboard = user.reply_keyboard
        if keyboard is None:
            raise LookupError("no keyboard is shown")
        button = _cell(keyboard.get("keyboard", []), await _json_body(request))
        user.keyboard_used()
        if isinstance(button, dict) and button.get("request_contact"):
            await user.share_contact()
        elif isinstance(button, dict) and button.get("request_location"):
            await user.send_location(*user.location)
        elif isinstance(button, dict) and button.get("request_chat"):
            # Telegram's chat picker: the sandbox offers the first chat of the kind asked for.
            wanted = bool(button["request_chat"]["chat_is_channel"])
            chat = next((g for g in self.emulator.groups.values() if g.is_channel == wanted), None)
            if chat is None:
                raise LookupError("the sandbox has no chat of that kind to pick")
            await user.pick_chat(button["request_chat"], chat)
        else:
            await user.send(button_text(button))
        return web.json_response({"ok": True})

    async def _link(self, user: SimulatedUser, request: web.Request) -> web.Response:
        url = str((await _json_body(request)).get("url") or "").strip()
        try:
            await user.open_link(url)
        except ValueError:
            raise ValueError(f"paste a link like https://t.me/{self.emulator.world.bot_username}?start=...") from None
        return web.json_response({"ok": True})

    async def _block(self, user: SimulatedUser, request: web.Request) -> web.Response:
        if (await _json_body(request)).get("blocked"):
            user.block()
        else:
            user.unblock()
        return web.json_response({"ok": True, "blocked": user.blocked})

    async def _upload(self, user: SimulatedUser, request: web.Request) -> web.Response:
        if "X-Filename" not in request.headers:  # a custom header: other sites' pages cannot send it unasked
            raise ValueError("an X-Filename header, please")
        data = await request.read()
        if not data or len(data) > UPLOAD_LIMIT:
            raise ValueError("a file of up to 20 MB, please")
        name = unquote(request.headers.get("X-Filename", "file")).replace("/", "_")[:120] or "file"
        mime = request.content_type or "application/octet-stream"
        caption = unquote(request.headers.get("X-Caption", "")) or None
        if mime in ("image/jpeg", "image/png"):
            await user.send_photo(data, caption)
        else:
            await user.send_document(data, name, caption, mime_type=mime)
        return web.json_response({"ok": True})


def _cell(rows: list[list[Any]], body: dict[str, Any]) -> Any:
    row, column = _int(body.get("row")), _int(body.get("column"))
    if not (0 <= row < len(rows) and 0 <= column < len(rows[row])):
        raise LookupError("that button is gone")
    return rows[row][column]


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


async def _json_body(request: web.Request) -> dict[str, Any]:
    # Only JSON: a browser asks before sending it from another site, so other pages cannot act here.
    try:
        body = await request.json() if request.content_type == "application/json" else None
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text=json.dumps({"error": "a JSON object, please"}), content_type="application/json")
    return body


def _check_host(request: web.Request) -> None:
    """Refuse requests addressed to another name (a page on a rebound DNS name must not act here)."""
    if request.host.rsplit(":", 1)[0].strip("[]") not in ("127.0.0.1", "localhost", "::1"):
        raise web.HTTPForbidden(
            text=json.dumps({"error": "open the sandbox at 127.0.0.1"}), content_type="application/json"
        )


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def _static_file(name: str) -> web.Response:
    if name not in STATIC:
        raise web.HTTPNotFound()
    body = (WEB_FOLDER / name).read_bytes()
    return web.Response(body=body, content_type=STATIC[name], charset="utf-8", headers={"Cache-Control": "no-cache"})
