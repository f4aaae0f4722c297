"""``python -m sandbox``: the bot, a loopback Bot API and a web chat in one process, with a demo cluster."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.cli import configure_logging, stop_on_signals
from sandbox.process import DEFAULT_DATABASE, DEFAULT_PORT, Sandbox, reset, run_sandbox, what_to_try


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the sandbox until Ctrl-C or SIGTERM; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m sandbox",
        description="Try Rembug in a web chat on this machine: the bot, a loopback Bot API and a web chat "
        "in one process, with a demo cluster. TELEGRAM_BOT_TOKEN and REMBUG_DATABASE are not used.",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="web chat port on 127.0.0.1 (default 8080)")
    parser.add_argument("--database", type=Path, help="SQLite file (default data/sandbox.sqlite3)")
    parser.add_argument("--reset", action="store_true", help="delete the sandbox database first (fresh demo data)")
    # The sandbox's terminal is for its address and hints; the bot's routine log would bury them.
    parser.add_argument("--log-level", default="WARNING", help="DEBUG, INFO, WARNING (default WARNING)")
    args = parser.parse_args(argv)
    configure_logging(args.log_level)
    database = args.database or DEFAULT_DATABASE
    if args.reset:
        reset(database)
    try:
        return asyncio.run(_serve(database, args.port))
    except OSError as error:
        print(
            f"sandbox: cannot serve the sandbox on 127.0.0.1:{args.port} ({error.strerror or error}); "
            "try another --port",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        return 0


async def _serve(database: Path, port: int) -> int:
    def show(running: Sandbox) -> None:
        print("\n".join(what_to_try(running)), flush=True)

    await run_sandbox(database, port, stop_on_signals(), on_ready=show)
    return 0
