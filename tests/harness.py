"""Run the real bot against the loopback Bot API emulator, in this process or in a child process.

``InProcessBot`` runs ``bot.app.serve`` as a task in the test's event loop;
``ChildBot`` runs ``python -m bot run`` as a separate process so a test can
``kill -9`` it. Both talk to the emulator over real HTTP and use a real
SQLite file.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import socket
import sys
from pathlib import Path

from bot.app import serve
from bot.clock import Clock
from bot.inbox import Inbox
from bot.settings import Settings
from emulator import BotApiEmulator

ROOT = Path(__file__).resolve().parent.parent


class InProcessBot:
    """The bot as a task in the test's loop; restartable on the same database."""

    def __init__(self, settings: Settings, clock: Clock | None = None, *, webhook: bool = False) -> None:
        self.settings = settings
        self.clock = clock
        self.webhook = webhook
        self.application = None
        self.inbox: Inbox | None = None
        self._stop: asyncio.Event | None = None
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        """Start serving and wait until the inbox is polling (or the webhook is set)."""
        self._stop = asyncio.Event()
        ready = asyncio.Event()

        def on_ready(application, inbox) -> None:
            self.application, self.inbox = application, inbox
            ready.set()

        self._task = asyncio.create_task(
            serve(self.settings, self._stop, clock=self.clock, poll_timeout=2, on_ready=on_ready, webhook=self.webhook)
        )
        waiter = asyncio.create_task(ready.wait())
        done, _ = await asyncio.wait({waiter, self._task}, timeout=20, return_when=asyncio.FIRST_COMPLETED)
        if self._task in done:
            waiter.cancel()
            self._task.result()  # raises what went wrong
            raise RuntimeError("the bot stopped while starting")
        if waiter not in done:
            raise TimeoutError("the bot did not start within 20 s")

    async def idle(self) -> None:
        """Wait until every update fetched so far is handled."""
        if self.inbox:
            await self.inbox.idle()

    async def stop(self) -> None:
        """Stop gracefully (finishes what is being handled)."""
        if self._task is None:
            return
        self._stop.set()
        await asyncio.wait_for(self._task, 20)
        self._task = None

    async def restart(self) -> None:
        """Stop and start again on the same database."""
        await self.stop()
        await self.start()


class ChildBot:
    """``python -m bot run`` (``--webhook``) in a child process, for ``kill -9`` tests."""

    def __init__(self, emulator: BotApiEmulator, env: dict[str, str], log: Path, *, webhook: bool = False) -> None:
        self.emulator = emulator
        self.env = env
        self.log = log
        self.webhook = webhook
        self.process: asyncio.subprocess.Process | None = None

    async def start(self, *, wait: bool = True) -> None:
        """Start the process and (unless ``wait`` is False) wait until it polls the emulator (or sets its webhook)."""
        polls_before = self._polls()
        mode = ["--webhook"] if self.webhook else []
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", *mode, cwd=ROOT, env=self.env, stdout=log, stderr=log
            )
        if not wait:
            return
        for _ in range(300):
            if self._polls() > polls_before:
                return
            if self.process.returncode is not None:
                raise RuntimeError(f"bot exited with {self.process.returncode}: {self.log.read_text()[-2000:]}")
            await asyncio.sleep(0.05)
        raise TimeoutError(f"bot did not poll within 15 s: {self.log.read_text()[-2000:]}")

    async def kill(self) -> None:
        """SIGKILL: no clean-up, no flush, exactly like a crash."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def terminate(self) -> None:
        """SIGTERM and wait for a clean stop."""
        if self.process and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 20)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()

    def _polls(self) -> int:
        ready = "setWebhook" if self.webhook else "getUpdates"
        return sum(1 for call in self.emulator.calls if call.method == ready)


def child_env(settings: Settings) -> dict[str, str]:
    """The environment that makes ``python -m bot run`` use ``settings``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("REMBUG_", "TELEGRAM_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=settings.token or "",
        REMBUG_BOT_API_URL=settings.api_url,
        REMBUG_DATABASE=str(settings.database),
        REMBUG_ADMIN_IDS=",".join(str(i) for i in sorted(settings.admin_ids)),
        REMBUG_LANGUAGE=settings.language,
        REMBUG_TIMEZONE=settings.timezone,
        REMBUG_REQUEST_TIMEOUT=str(settings.request_timeout),
        REMBUG_FLOOD_LIMIT=str(settings.flood_limit),
        PYTHONUNBUFFERED="1",
    )
    if settings.clock_file:
        env["REMBUG_CLOCK_FILE"] = str(settings.clock_file)
    if settings.webhook_url:
        env.update(
            REMBUG_WEBHOOK_URL=settings.webhook_url,
            REMBUG_WEBHOOK_LISTEN=settings.webhook_listen,
            REMBUG_WEBHOOK_PORT=str(settings.webhook_port),
            REMBUG_WEBHOOK_SECRET=settings.webhook_secret or "",
        )
    return env


def free_port() -> int:
    """A TCP port nobody listens on now, for a bot's webhook (kept across its restarts)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def with_webhook(settings: Settings, secret: str = "test-secret_0123456789") -> Settings:
    """``settings`` for webhook mode on a free loopback port (the emulator posts there directly)."""
    port = free_port()
    return dataclasses.replace(
        settings,
        webhook_url=f"http://127.0.0.1:{port}/telegram/webhook",
        webhook_listen="127.0.0.1",
        webhook_port=port,
        webhook_secret=secret,
    )
