"""The ``rembug`` command line."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from pathlib import Path

from telegram.error import InvalidToken, NetworkError

from bot.settings import SettingsError, load_settings

EXIT_CONFIG = 2


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command; return the exit code."""
    parser = argparse.ArgumentParser(prog="rembug", description="Rembug, the cluster assistant on Telegram.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="poll the Bot API and answer (needs TELEGRAM_BOT_TOKEN)")
    commands.add_parser("migrate", help="create or upgrade the database, then exit")
    sandbox = commands.add_parser(
        "sandbox",
        help="try Rembug in a web chat on this machine: no token, demo data included",
        description="Run the bot, a loopback Bot API and a web chat in one process, with a demo cluster. "
        "TELEGRAM_BOT_TOKEN and REMBUG_DATABASE are not used.",
    )
    sandbox.add_argument("--port", type=int, default=8080, help="web chat port on 127.0.0.1 (default 8080)")
    sandbox.add_argument("--database", type=Path, help="SQLite file (default data/sandbox.sqlite3)")
    sandbox.add_argument("--reset", action="store_true", help="delete the sandbox database first (fresh demo data)")
    parser.add_argument("--log-level", help="DEBUG, INFO, WARNING (default INFO; WARNING for the sandbox)")
    args = parser.parse_args(argv)

    # The sandbox's terminal is for its address and hints; the bot's routine log would bury them.
    level = args.log_level or ("WARNING" if args.command == "sandbox" else "INFO")
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if args.command == "sandbox":
        return _sandbox_command(args)
    try:
        settings = load_settings()
        if args.command == "run":
            settings.require_token()
            return asyncio.run(_run(settings))
        if args.command == "migrate":
            return asyncio.run(_migrate(settings))
    except SettingsError as error:
        print(f"rembug: {error.variable}: {error.problem}", file=sys.stderr)
        return EXIT_CONFIG
    except InvalidToken:
        print("rembug: TELEGRAM_BOT_TOKEN: the Bot API rejected this token", file=sys.stderr)
        return EXIT_CONFIG
    except NetworkError as error:
        print(f"rembug: cannot reach the Bot API at REMBUG_BOT_API_URL ({error})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    return 0


def _stop_on_signals() -> asyncio.Event:
    """An event that Ctrl-C or SIGTERM sets."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    return stop


async def _run(settings) -> int:
    from bot.app import serve

    await serve(settings, _stop_on_signals())
    return 0


def _sandbox_command(args: argparse.Namespace) -> int:
    from bot import sandbox

    database = args.database or sandbox.DEFAULT_DATABASE
    if args.reset:
        sandbox.reset(database)
    try:
        return asyncio.run(_sandbox(database, args.port))
    except OSError as error:
        print(
            f"rembug: cannot serve the sandbox on 127.0.0.1:{args.port} ({error.strerror or error}); "
            "try another --port",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        return 0


async def _sandbox(database: Path, port: int) -> int:
    from bot.sandbox import run_sandbox, what_to_try

    def show(running) -> None:
        print("\n".join(what_to_try(running)), flush=True)

    await run_sandbox(database, port, _stop_on_signals(), on_ready=show)
    return 0


async def _migrate(settings) -> int:
    from storage.database import Database

    database = await Database.open(settings.database)
    version = await database.schema_version()
    await database.close()
    print(f"rembug: {settings.database} is at schema version {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
