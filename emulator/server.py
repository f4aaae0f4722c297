"""The HTTP face: aiohttp routes that answer like api.telegram.org.

`POST|GET /bot<token>/<method>` runs a Bot API method and answers with
Telegram's envelope; `GET /file/bot<token>/<file_path>` serves file bytes.
Every method call is recorded as a CallRecord, failures included, so tests
can assert the bot never made an invalid call.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from emulator.errors import UNSUPPORTED, ApiError, too_many_requests
from emulator.faults import Faults
from emulator.files import UploadedFile
from emulator.methods_bot import HANDLERS as BOT_HANDLERS
from emulator.methods_messages import HANDLERS as MESSAGE_HANDLERS
from emulator.methods_messages import Handler
from emulator.spec import Spec
from emulator.world import World

log = logging.getLogger("emulator")
HANDLERS: dict[str, Handler] = {**BOT_HANDLERS, **MESSAGE_HANDLERS}
MAX_UPLOAD = 60 * 1024 * 1024  # Telegram takes 50 MB uploads; a margin for the multipart framing


@dataclass(frozen=True)
class CallRecord:
    """One Bot API request the bot made, and how it ended."""

    method: str
    params: dict[str, Any]
    ok: bool
    error_code: int | None
    description: str | None
    at: float


class ApiServer:
    """The aiohttp application and its runner, bound to one World."""

    def __init__(self, world: World, spec: Spec) -> None:
        self.world = world
        self.spec = spec
        self.calls: list[CallRecord] = []
        self.faults = Faults()
        self.app = web.Application(client_max_size=MAX_UPLOAD)
        self.app.router.add_route("*", "/bot{token}/{method}", self.handle_method)
        self.app.router.add_get("/file/bot{token}/{path:.+}", self.handle_file)
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    async def start(self, host: str, port: int) -> int:
        """Listen on host:port (0 picks a free port); returns the port."""
        self.world.updates.reopen()
        # Cancelling handlers of dropped connections ends a long poll the bot
        # gave up on, instead of leaving it to hold the "one poller" slot.
        self._runner = web.AppRunner(self.app, handler_cancellation=True, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        if self.world.webhook is not None:  # Telegram keeps delivering to a webhook set before
            self.world.webhook.start()
        return self.port

    async def stop(self) -> None:
        """Stop listening; long polls in progress end with no updates."""
        self.world.updates.close()
        if self.world.webhook is not None:
            await self.world.webhook.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def handle_method(self, request: web.Request) -> web.Response:
        """Run one Bot API method and wrap the outcome in Telegram's envelope."""
        name = request.match_info["method"]
        params: dict[str, Any] = {}
        try:
            if request.match_info["token"] != self.world.token:
                raise ApiError(401, "Unauthorized")
            method = self.spec.method(name)
            if method is None:
                raise ApiError(404, "Not Found")
            name = method.name
            params = await read_params(request)
            handler = HANDLERS.get(name)
            if handler is None:
                raise ApiError(400, UNSUPPORTED)
            params = self.spec.decode(method, params)
            fault = self.faults.pick(name, _chat_of(params), params.get("text") or params.get("caption"))
            if fault == "500":
                body = {"ok": False, "error_code": 500, "description": "Internal Server Error"}
                return web.json_response(body, status=500)
            if fault == "429":
                refused = too_many_requests(self.faults.retry_after)
                return web.json_response(refused.envelope(), status=429)
            result = await handler(self.world, params)
            if fault == "timeout":
                self._record(name, params, None, None)
                await asyncio.sleep(self.faults.hang)  # done, but the answer comes too late to be read
                return web.json_response({"ok": True, "result": result})
        except ApiError as exc:
            if exc.error_code == 409 and _client_gone(request):
                # A long poll the bot already abandoned: nobody will read this.
                return web.json_response(exc.envelope(), status=409)
            self._record(name, params, exc.error_code, exc.description)
            return web.json_response(exc.envelope(), status=exc.error_code)
        except Exception as exc:  # an emulator bug must still answer, and loudly
            log.exception("emulator failed on %s", name)
            description = f"Internal Server Error: {type(exc).__name__}: {exc}"
            self._record(name, params, 500, description)
            body = {"ok": False, "error_code": 500, "description": description}
            return web.json_response(body, status=500)
        self._record(name, params, None, None)
        return web.json_response({"ok": True, "result": result})

    async def handle_file(self, request: web.Request) -> web.Response:
        """Serve the bytes of a stored file by its file_path."""
        stored = self.world.files.by_path(request.match_info["path"])
        if request.match_info["token"] != self.world.token or stored is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        content_type = stored.mime_type or "application/octet-stream"
        return web.Response(body=stored.data, content_type=content_type)

    def _record(self, method: str, params: dict[str, Any], error_code: int | None, description: str | None) -> None:
        ok = error_code is None
        self.calls.append(CallRecord(method, params, ok, error_code, description, self.world.clock()))
        if not ok:
            log.info("%s refused: %s %s", method, error_code, description)


async def read_params(request: web.Request) -> dict[str, Any]:
    """Parameters from the query string and a JSON, urlencoded or multipart body.

    Multipart file parts become UploadedFile; every other value stays as
    sent (text from forms, typed values from JSON) for the spec to decode.
    """
    params: dict[str, Any] = dict(request.query)
    if not request.body_exists:
        return params
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise ApiError(400, "Bad Request: can't parse JSON object") from None
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: JSON object expected")
        params.update(body)
        return params
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            params[key] = UploadedFile(value.filename, value.content_type, value.file.read())
        else:
            params[key] = value
    return params


def _chat_of(params: dict[str, Any]) -> int | None:
    chat_id = params.get("chat_id")
    if chat_id is None:
        return None
    try:
        return int(chat_id)
    except (TypeError, ValueError):
        return None


def _client_gone(request: web.Request) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing()
