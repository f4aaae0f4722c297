"""Settings read from the environment (and an optional ``.env`` file).

A missing or malformed setting raises ``SettingsError`` naming the variable;
the command line turns it into one line and exit code 2.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LANGUAGES = ("id", "en")
DEFAULT_API_URL = "https://api.telegram.org"
DEFAULT_DATABASE = "data/rembug.sqlite3"
_TOKEN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{10,}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what Telegram accepts as a webhook's secret_token
# Telegram posts only to HTTPS; plain HTTP on this machine is for a bot under test.
_WEBHOOK_URL = re.compile(r"^(https://[^\s/]+|http://(127\.0\.0\.1|localhost)(:\d+)?)(/\S*)?$")
DEFAULT_WEBHOOK_LISTEN = "127.0.0.1"
DEFAULT_WEBHOOK_PORT = 8443
DEFAULT_KEEP_UPDATES_DAYS = 7  # handled updates (every text, contact and tap as Telegram sent it)
DEFAULT_KEEP_DRAFTS_DAYS = 30  # unfinished answers nobody touched (bot/retention.py)
DEFAULT_FLOOD_LIMIT = 20  # updates one person may send in 10 seconds (bot/throttle.py)


class SettingsError(ValueError):
    """A setting is missing or malformed."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable
        self.problem = problem


@dataclass(frozen=True)
class Settings:
    """Everything the bot needs to start."""

    token: str | None
    api_url: str = DEFAULT_API_URL
    database: Path = Path(DEFAULT_DATABASE)
    admin_ids: frozenset[int] = field(default_factory=frozenset)
    timezone: str = "Asia/Jakarta"
    language: str = "id"
    clock_file: Path | None = None  # tests only: a file holding "now" (bot.clock.FileClock)
    request_timeout: float = 10.0  # seconds to wait for the Bot API's answer to one request
    # Webhook mode (``rembug run --webhook``): Telegram posts updates to webhook_url, which the
    # reverse proxy passes to webhook_listen:webhook_port with the same path.
    webhook_url: str | None = None
    webhook_listen: str = DEFAULT_WEBHOOK_LISTEN
    webhook_port: int = DEFAULT_WEBHOOK_PORT
    webhook_secret: str | None = None
    # How long personal data nobody needs any more is kept (bot/retention.py).
    keep_updates_days: int = DEFAULT_KEEP_UPDATES_DAYS
    keep_drafts_days: int = DEFAULT_KEEP_DRAFTS_DAYS
    flood_limit: int = DEFAULT_FLOOD_LIMIT  # 0: no limit

    def require_webhook(self) -> tuple[str, str]:
        """Return (public URL, secret token), or raise naming the variable that is missing."""
        if not self.webhook_url:
            raise SettingsError(
                "REMBUG_WEBHOOK_URL",
                "not set. Webhook mode needs the public HTTPS address Telegram posts to, "
                "e.g. REMBUG_WEBHOOK_URL=https://bot.example.org/rembug/webhook",
            )
        if not self.webhook_secret:
            raise SettingsError(
                "REMBUG_WEBHOOK_SECRET",
                "not set. Webhook mode needs a secret of 1-256 letters, digits, _ or - "
                "(e.g. from: python -c 'import secrets; print(secrets.token_urlsafe(32))')",
            )
        return self.webhook_url, self.webhook_secret

    def require_token(self) -> str:
        """Return the token, or raise naming ``TELEGRAM_BOT_TOKEN`` when it is not set."""
        if not self.token:
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN",
                "not set. Create a bot with @BotFather and set TELEGRAM_BOT_TOKEN=<token> "
                "(in the environment or in .env)",
            )
        return self.token


def read_dotenv(path: Path) -> dict[str, str]:
    """Parse ``KEY=VALUE`` lines (``#`` comments, optional quotes, optional ``export``)."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").strip()
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise SettingsError(f"{path}:{number}", "expected KEY=VALUE")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def load_settings(environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")) -> Settings:
    """Build settings from ``environ`` (default ``os.environ``), with ``.env`` filling the gaps."""
    env: dict[str, str] = dict(read_dotenv(dotenv)) if dotenv else {}
    env.update(os.environ if environ is None else environ)

    token = env.get("TELEGRAM_BOT_TOKEN", "").strip() or None
    if token is not None and not _TOKEN.match(token):
        raise SettingsError("TELEGRAM_BOT_TOKEN", "does not look like a bot token (digits:letters, from @BotFather)")

    api_url = env.get("REMBUG_BOT_API_URL", "").strip() or DEFAULT_API_URL
    if not re.match(r"^https?://[^\s/]+", api_url):
        raise SettingsError("REMBUG_BOT_API_URL", f"must be an http(s) URL such as {DEFAULT_API_URL}, got {api_url!r}")
    api_url = api_url.rstrip("/")

    database = Path(env.get("REMBUG_DATABASE", "").strip() or DEFAULT_DATABASE)

    admin_ids: set[int] = set()
    for part in env.get("REMBUG_ADMIN_IDS", "").split(","):
        part = part.strip()
        if not part:
            continue
        if not re.fullmatch(r"-?\d+", part):
            raise SettingsError(
                "REMBUG_ADMIN_IDS", f"must be comma-separated Telegram user ids (e.g. 12345,67890), got {part!r}"
            )
        admin_ids.add(int(part))

    timezone = env.get("REMBUG_TIMEZONE", "").strip() or "Asia/Jakarta"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            "REMBUG_TIMEZONE", f"unknown time zone {timezone!r} (e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura)"
        ) from None

    language = env.get("REMBUG_LANGUAGE", "").strip() or "id"
    if language not in LANGUAGES:
        raise SettingsError("REMBUG_LANGUAGE", f"must be one of {', '.join(LANGUAGES)}, got {language!r}")

    clock_file = env.get("REMBUG_CLOCK_FILE", "").strip() or None

    timeout_text = env.get("REMBUG_REQUEST_TIMEOUT", "").strip() or "10"
    try:
        request_timeout = float(timeout_text)
    except ValueError:
        request_timeout = 0.0
    if not 0.5 <= request_timeout <= 120:
        raise SettingsError(
            "REMBUG_REQUEST_TIMEOUT", f"must be seconds between 0.5 and 120 (e.g. 10), got {timeout_text!r}"
        )

    webhook_url = env.get("REMBUG_WEBHOOK_URL", "").strip() or None
    if webhook_url is not None and not _WEBHOOK_URL.match(webhook_url):
        raise SettingsError(
            "REMBUG_WEBHOOK_URL",
            f"must be an https:// URL such as https://bot.example.org/rembug/webhook, got {webhook_url!r}",
        )
    webhook_listen = env.get("REMBUG_WEBHOOK_LISTEN", "").strip() or DEFAULT_WEBHOOK_LISTEN
    port_text = env.get("REMBUG_WEBHOOK_PORT", "").strip() or str(DEFAULT_WEBHOOK_PORT)
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise SettingsError("REMBUG_WEBHOOK_PORT", f"must be a port number between 1 and 65535, got {port_text!r}")
    webhook_secret = env.get("REMBUG_WEBHOOK_SECRET", "").strip() or None
    if webhook_secret is not None and not _SECRET.match(webhook_secret):
        raise SettingsError("REMBUG_WEBHOOK_SECRET", "must be 1-256 letters, digits, _ or - (Telegram's rule)")

    keep_updates_days = _days(env, "REMBUG_KEEP_UPDATES_DAYS", DEFAULT_KEEP_UPDATES_DAYS)
    keep_drafts_days = _days(env, "REMBUG_KEEP_DRAFTS_DAYS", DEFAULT_KEEP_DRAFTS_DAYS)
    flood_text = env.get("REMBUG_FLOOD_LIMIT", "").strip() or str(DEFAULT_FLOOD_LIMIT)
    if not flood_text.isdigit() or int(flood_text) > 10_000:
        raise SettingsError(
            "REMBUG_FLOOD_LIMIT",
            f"must be a number of updates from 0 (no limit) to 10000 (e.g. 20), got {flood_text!r}",
        )

    return Settings(
        keep_updates_days=keep_updates_days,
        keep_drafts_days=keep_drafts_days,
        flood_limit=int(flood_text),
        webhook_url=webhook_url,
        webhook_listen=webhook_listen,
        webhook_port=int(port_text),
        webhook_secret=webhook_secret,
        clock_file=Path(clock_file) if clock_file else None,
        token=token,
        api_url=api_url,
        database=database,
        admin_ids=frozenset(admin_ids),
        timezone=timezone,
        language=language,
        request_timeout=request_timeout,
    )


def _days(env: Mapping[str, str], variable: str, default: int) -> int:
    """A number of whole days between 1 and 3650 (ten years)."""
    text = env.get(variable, "").strip() or str(default)
    if not text.isdigit() or not 1 <= int(text) <= 3650:
        raise SettingsError(variable, f"must be whole days between 1 and 3650 (e.g. {default}), got {text!r}")
    return int(text)
