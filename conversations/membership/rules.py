"""Membership rules: what a valid answer is, invitation codes (plain functions)."""

from __future__ import annotations

import re
import secrets
from enum import StrEnum

PREFIX = "mb1"
# Letters and digits people can read aloud and type from paper: no 0/O, 1/I/L.
INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
INVITE_LENGTH = 8
INVITE_PAYLOAD_PREFIX = "join-"
TIMEZONE_CHOICES = ("WIB", "WITA", "WIT")
# The stakeholder types the guideline records (Part I section 4), as stored keys.
STAKEHOLDER_TYPES = (
    "core_firm",
    "leading_firm",
    "supplier",
    "trader",
    "bds_provider",
    "cooperative",
    "government",
    "university",
    "bank",
    "other",
)


class Problem(StrEnum):
    """Why a typed answer was not accepted."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    NOT_TEXT = "not_text"


LIMITS = {
    "name": 80,
    "regency": 60,
    "province": 60,
    "industry": 60,
    "full_name": 80,
    "home_area": 60,
    "core_business": 80,
}


def clean_answer(text: str | None, field: str) -> tuple[str | None, Problem | None]:
    """Trim a typed answer and check it against the field's limit."""
    if text is None:
        return None, Problem.NOT_TEXT
    cleaned = re.sub(r"\s+", " ", text).strip()
    if not cleaned:
        return None, Problem.EMPTY
    if len(cleaned) > LIMITS[field]:
        return None, Problem.TOO_LONG
    return cleaned, None


def new_invite_code() -> str:
    """A fresh invitation code: 8 characters, easy to read aloud."""
    return "".join(secrets.choice(INVITE_ALPHABET) for _ in range(INVITE_LENGTH))


def invite_payload(code: str) -> str:
    """The deep-link payload for a code (Telegram allows A-Z a-z 0-9 _ - up to 64)."""
    return f"{INVITE_PAYLOAD_PREFIX}{code}"


def code_from_payload(payload: str) -> str | None:
    """The invitation code in a deep-link payload, or None when it is not an invitation."""
    if payload.startswith(INVITE_PAYLOAD_PREFIX):
        return normalise_code(payload[len(INVITE_PAYLOAD_PREFIX) :])
    return None


def normalise_code(typed: str) -> str:
    """Read a typed code generously: case and spaces do not matter."""
    return re.sub(r"[\s-]", "", typed).upper()


def parse_timezone(parts: list[str] | None) -> str | None:
    """The zone a ``mb1:tz:<WIB|WITA|WIT>`` button chose."""
    if parts and len(parts) == 2 and parts[0] == "tz" and parts[1] in TIMEZONE_CHOICES:
        return parts[1]
    return None


def parse_stakeholder(parts: list[str] | None) -> str | None:
    """The type an ``mb1:st:<key>`` button chose."""
    if parts and len(parts) == 2 and parts[0] == "st" and parts[1] in STAKEHOLDER_TYPES:
        return parts[1]
    return None
