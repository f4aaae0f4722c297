"""The ``rembug`` command line: ``run`` the bot on Telegram (``--webhook``: by webhook), ``migrate`` the database,
and ``forms``: list the questionnaires, ``export`` one as XLSForm, ``import`` an XLSForm for every cluster
(the same checks and report as in the chat; exit 2 with the report when it is refused).

The sandbox (the bot in a web chat on this machine) sits above the flows and has its own
command, ``python -m sandbox`` (``sandbox/cli.py``), which reuses ``configure_logging`` and
``stop_on_signals`` from here.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys

from telegram.error import InvalidToken, NetworkError

from bot.app import serve
from bot.form_commands import forms_command
from bot.settings import Settings, SettingsError, load_settings
from storage.database import Database

EXIT_CONFIG = 2


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="rembug",
        description="Rembug, the cluster assistant on Telegram.",
        epilog="To try Rembug without a token, in a web chat on this machine: python -m sandbox",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="poll the Bot API and answer (needs TELEGRAM_BOT_TOKEN)")
    run.add_argument(
        "--webhook",
        action="store_true",
        help="take updates by webhook behind a reverse proxy (needs REMBUG_WEBHOOK_URL and REMBUG_WEBHOOK_SECRET)",
    )
    commands.add_parser("migrate", help="create or upgrade the database, then exit")
    forms = commands.add_parser("forms", help="the questionnaires: list, export as XLSForm, import an XLSForm")
    form_commands = forms.add_subparsers(dest="forms_command", required=True)
    form_commands.add_parser("list", help="every questionnaire: id, version, where it comes from, questions")
    export = form_commands.add_parser("export", help="write a questionnaire as an XLSForm (.xlsx)")
    export.add_argument("form_id", metavar="ID", help="the questionnaire's id, as `rembug forms list` shows it")
    export.add_argument("--xlsform", required=True, metavar="FILE.xlsx", help="the file to write")
    export.add_argument("--version", type=int, help="a version (default: the newest)")
    imported = form_commands.add_parser("import", help="check an XLSForm and keep it as a questionnaire")
    imported.add_argument("file", metavar="FILE.xlsx")
    imported.add_argument("--cluster", type=int, help="for one cluster only (default: every cluster)")
    parser.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING (default INFO)")
    args = parser.parse_args(argv)
    configure_logging(args.log_level)
    try:
        settings = load_settings()
        if args.command == "run":
            settings.require_token()
            if args.webhook:
                settings.require_webhook()
            return asyncio.run(_run(settings, webhook=args.webhook))
        if args.command == "migrate":
            return asyncio.run(_migrate(settings))
        if args.command == "forms":
            return asyncio.run(forms_command(settings, args))
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


def configure_logging(level: str) -> None:
    """Log at ``level`` (a name such as INFO) to the terminal; httpx only from WARNING."""
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)


def stop_on_signals() -> asyncio.Event:
    """An event that Ctrl-C or SIGTERM sets."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    return stop


async def _run(settings: Settings, *, webhook: bool) -> int:
    await serve(settings, stop_on_signals(), webhook=webhook)
    return 0


async def _migrate(settings: Settings) -> int:
    database = await Database.open(settings.database)
    version = await database.schema_version()
    await database.close()
    print(f"rembug: {settings.database} is at schema version {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
