"""Translations (Babel catalogs in ``locales/``) and locale-aware dates and numbers.

Usage in a view::

    from bot.i18n import translator
    _ = translator(lang).gettext
    text = _("{count} members joined").format(count=n)

Message ids are English source text; ``locales/id`` and ``locales/en`` hold the
translations. ``pybabel compile`` (run by ``./dev.sh``) builds the ``.mo``
files; when they are missing (a fresh checkout) the ``.po`` files are compiled
in memory, so the bot never shows raw ids.
"""

from __future__ import annotations

import gettext as _gettext
import io
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

from bot.settings import LANGUAGES

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "rembug"

# Indonesia's three zones as people say them.
ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}
ZONES_BY_NAME = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}


def pick_language(saved: str | None, telegram_code: str | None, default: str) -> str:
    """Choose the user's language: their saved choice, else Telegram's, else the default."""
    if saved in LANGUAGES:
        return saved
    if telegram_code:
        base = telegram_code.split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return default


@cache
def translator(lang: str) -> _gettext.NullTranslations:
    """Return the catalog for ``lang`` (``gettext``/``ngettext`` methods)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    mo_path = LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    po_path = mo_path.with_suffix(".po")
    if mo_path.is_file() and (not po_path.is_file() or mo_path.stat().st_mtime >= po_path.stat().st_mtime):
        with mo_path.open("rb") as handle:
            return Translations(handle, domain=DOMAIN)
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def zone_name(timezone: str) -> str:
    """Return WIB, WITA or WIT for an Indonesian zone, else the zone's own name."""
    return ZONE_NAMES.get(timezone, timezone)


def format_when(moment: datetime, timezone: str, lang: str) -> str:
    """Format a UTC moment as Indonesians write it in ``timezone``: ``23 Nov 2026, 14.00 WIB``."""
    pattern = "d MMM y, HH.mm" if lang == "id" else "d MMM y, HH:mm"
    local = _format_datetime(moment, pattern, tzinfo=ZoneInfo(timezone), locale=lang)
    return f"{local} {zone_name(timezone)}"


def format_day(moment: datetime, timezone: str, lang: str) -> str:
    """Format the local date of a UTC moment with the weekday: ``Senin, 23 Nov 2026``."""
    local = moment.astimezone(ZoneInfo(timezone))
    return _format_date(local.date(), "EEEE, d MMM y", locale=lang)


def format_local_date(day: date, lang: str) -> str:
    """A calendar date with its weekday: ``Senin, 23 Nov 2026``."""
    return _format_date(day, "EEEE, d MMM y", locale=lang)


def format_number(number: float, lang: str) -> str:
    """Format a number with the language's separators (``1.234,5`` in Indonesian)."""
    return format_decimal(number, locale=lang)


def format_rupiah(amount: int, lang: str) -> str:
    """Whole rupiah as Indonesians write them: ``Rp 1.500.000`` (``-Rp 50.000`` below zero)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {format_decimal(abs(amount), locale=lang)}"
