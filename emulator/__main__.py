"""`python -m emulator`: serve the emulator on 127.0.0.1 until Ctrl-C.

Options: --port N (default 8081), --token, --username. A user 1001 "Alice"
exists and has started the bot, so manual checks have someone to write to.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from emulator import BotApiEmulator, FloodLimits


async def serve(port: int, token: str, username: str) -> None:
    """Run until cancelled."""
    emu = BotApiEmulator(token=token, bot_username=username, port=port, flood=FloodLimits())
    emu.user(1001, "Alice", language_code="id")
    await emu.start()
    print(f"Bot API emulator at {emu.base_url}  (token {token})", flush=True)
    print(f"  base_url={emu.base_url}/bot  base_file_url={emu.base_url}/file/bot", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await emu.stop()


def main() -> None:
    """Parse the command line and serve."""
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__)
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="123456:TEST")
    parser.add_argument("--username", default="rembug_bot")
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.port, args.token, args.username))


if __name__ == "__main__":
    main()
