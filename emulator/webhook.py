"""Webhook delivery, as Telegram does it: each update POSTed to the bot's URL, in order, until it is accepted.

While a webhook is set (``setWebhook``), the queue's updates go out one at a
time (Telegram's ``max_connections`` is kept at 1, so order is kept) with the
``X-Telegram-Bot-Api-Secret-Token`` header. An update leaves the queue only
when the bot answers 2xx; a non-2xx answer or a failed connection is retried
after a pause that doubles up to ``retry_max`` seconds, and recorded for
``getWebhookInfo`` (``last_error_date``, ``last_error_message``).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from emulator.updates import UpdateQueue

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass(frozen=True)
class WebhookConfig:
    """What ``setWebhook`` asked for."""

    url: str
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None


@dataclass(frozen=True)
class Delivery:
    """One POST of an update to the webhook and how it ended (``status`` None: no connection)."""

    update_id: int
    status: int | None
    at: float


@dataclass
class WebhookSender:
    """Delivers the queue's updates to one webhook until stopped."""

    queue: UpdateQueue
    config: WebhookConfig
    retry_first: float = 0.1
    retry_max: float = 1.0
    timeout: float = 10.0
    deliveries: list[Delivery] = field(default_factory=list)
    last_error_date: int | None = None
    last_error_message: str | None = None
    _task: asyncio.Task | None = None

    def start(self) -> None:
        """Begin delivering (again after ``stop``)."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._deliver_forever(), name="emulator-webhook")

    async def stop(self) -> None:
        """Stop delivering; what was not accepted stays queued."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _deliver_forever(self) -> None:
        headers = {SECRET_HEADER: self.config.secret_token} if self.config.secret_token else {}
        pause = self.retry_first
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout)) as session:
            while True:
                update = await self.queue.next_deliverable()
                if update is None:  # the server is stopping
                    return
                status, error = await _post(session, self.config.url, update, headers)
                self.deliveries.append(Delivery(update["update_id"], status, time.time()))
                if status is not None and 200 <= status < 300:
                    self.queue.confirm(update["update_id"] + 1)
                    pause = self.retry_first
                    continue
                self.last_error_date = int(time.time())
                self.last_error_message = error
                await asyncio.sleep(pause)
                pause = min(pause * 2, self.retry_max)

    def info(self, pending: int) -> dict[str, Any]:
        """The WebhookInfo object ``getWebhookInfo`` returns."""
        info: dict[str, Any] = {
            "url": self.config.url,
            "has_custom_certificate": False,
            "pending_update_count": pending,
            "max_connections": self.config.max_connections,
        }
        if self.config.allowed_updates is not None:
            info["allowed_updates"] = list(self.config.allowed_updates)
        if self.last_error_date is not None:
            info["last_error_date"] = self.last_error_date
            info["last_error_message"] = self.last_error_message
        return info


async def _post(
    session: aiohttp.ClientSession, url: str, update: dict[str, Any], headers: dict[str, str]
) -> tuple[int | None, str]:
    """POST one update; (status, Telegram's words for a failure)."""
    try:
        async with session.post(url, json=update, headers=headers) as response:
            await response.read()
            return response.status, f"Wrong response from the webhook: {response.status} {response.reason}"
    except TimeoutError:
        return None, "Read timeout expired"
    except aiohttp.ClientError as error:
        return None, f"Connection failed: {error}"
