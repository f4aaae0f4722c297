"""Webhook mode: Telegram POSTs each update to the bot, behind a reverse proxy.

A small aiohttp application (aiohttp is already here through the emulator)
takes the place of the inbox's getUpdates loop (``bot/inbox.py``):

1. the ``X-Telegram-Bot-Api-Secret-Token`` header must equal the configured
   secret (compared in constant time); a wrong or missing one gets 403 and a
   warning in the log, without the secret;
2. a body that is not an update gets 400 and is logged;
3. the update is stored in the inbox and committed (``Inbox.take``), and only
   then is the POST answered 200, so Telegram redelivers whatever was not
   stored; a redelivered update is stored, and handled, once;
4. the inbox handles it exactly as a polled update: in its chat's turn, with
   retries, its "handled" mark written with its effects, replayed after a crash.

PTB's own webhook server answers 200 before anything is stored, so it is not
used. ``GET /healthz`` answers "ok" for the reverse proxy's health check. On
stop the webhook is left set: Telegram keeps the updates while the bot restarts.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update

from bot.inbox import Inbox
from bot.settings import Settings

_LOGGER = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024  # an update is a few kilobytes; Telegram sends nothing near this


def secret_matches(given: str | None, expected: str) -> bool:
    """Whether the header's value is the secret, compared in constant time; a missing header never matches."""
    if given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def update_payload(body: bytes) -> dict[str, Any] | None:
    """The update in a POST body: a JSON object with a non-negative integer update_id and one
    object beside it (the message, the tap...); None for anything else."""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(payload, dict):
        return None
    update_id = payload.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool) or update_id < 0:
        return None
    if not any(isinstance(value, dict) for key, value in payload.items() if key != "update_id"):
        return None
    return payload


def webhook_path(url: str) -> str:
    """The path the reverse proxy passes on: the public URL's own (``/`` when it has none)."""
    return urlsplit(url).path or "/"


class WebhookServer:
    """Listens on the webhook address, stores each update in the inbox, then answers."""

    def __init__(self, inbox: Inbox, settings: Settings) -> None:
        self.inbox = inbox
        self.url, self.secret = settings.require_webhook()
        self.listen = settings.webhook_listen
        self.port = settings.webhook_port
        self.path = webhook_path(self.url)
        self.app = web.Application(client_max_size=MAX_BODY)
        self.app.router.add_post(self.path, self.receive)  # any other method: 405
        self.app.router.add_get("/healthz", _healthy)
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Listen, then tell Telegram where to post (the updates it kept come first)."""
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.listen, self.port).start()
        await self.inbox.application.bot.set_webhook(
            url=self.url,
            secret_token=self.secret,
            allowed_updates=Update.ALL_TYPES,  # as the poller asks
            drop_pending_updates=False,
            max_connections=1,  # one at a time keeps each chat's updates in Telegram's order
        )
        _LOGGER.info("webhook %s set; listening on %s:%d%s", self.url, self.listen, self.port, self.path)

    async def stop(self) -> None:
        """Stop listening; the webhook stays set, so Telegram keeps what comes meanwhile."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def receive(self, request: web.Request) -> web.Response:
        """One update from Telegram: 403 without the secret, 400 when not an update, 200 once stored."""
        if not secret_matches(request.headers.get(SECRET_HEADER), self.secret):
            why = "missing" if SECRET_HEADER not in request.headers else "wrong"
            _LOGGER.warning("webhook POST from %s refused: %s secret token header", request.remote, why)
            return web.Response(status=403, text="forbidden")
        body = await request.read()
        update = self._update(update_payload(body))
        if update is None:
            _LOGGER.warning("webhook POST from %s refused: not an update (%d bytes)", request.remote, len(body))
            return web.Response(status=400, text="not an update")
        if not await self.inbox.take(update):
            _LOGGER.info("update %s delivered again; it was stored before", update.update_id)
        return web.Response(text="ok")

    def _update(self, payload: dict[str, Any] | None) -> Update | None:
        if payload is None:
            return None
        try:
            return Update.de_json(payload, self.inbox.application.bot)
        except (TypeError, KeyError, ValueError):  # an object where Telegram's fields don't fit
            return None


async def _healthy(request: web.Request) -> web.Response:
    return web.Response(text="ok")
