"""The ``rembug`` command line."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys

from telegram.error import InvalidToken, NetworkError

from bot.settings import SettingsError, load_settings

EXIT_CONFIG = 2


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command; return the exit code."""
    parser = argparse.ArgumentParser(prog="rembug", description="Rembug, the cluster assistant on Telegram.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="poll the Bot API and answer (needs TELEGRAM_BOT_TOKEN)")
    commands.add_parser("migrate", help="create or upgrade the database, then exit")
    parser.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING (default INFO)")
    args = parser.parse_args(argv)

    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
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


async def _run(settings) -> int:
    from bot.app import serve  # noqa: PLC0415 (keeps `rembug --help` fast)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    await serve(settings, stop)
    return 0


async def _migrate(settings) -> int:
    from storage.database import Database  # noqa: PLC0415

    database = await Database.open(settings.database)
    version = await database.schema_version()
    await database.close()
    print(f"rembug: {settings.database} is at schema version {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
