"""Membership rules: what a valid answer is, invitation codes (plain functions)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from bot.buttons import button_number, callback_data, parse_callback

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
    "subcontractor",
    "trader",
    "bds_provider",
    "cooperative",
    "government",
    "university",
    "bank",
    "other",
)


PROFILE_TEXT_FIELDS = ("full_name", "home_area", "core_business")
PROFILE_FIELDS = (*PROFILE_TEXT_FIELDS, "stakeholder_type", "phone")  # the questions of a profile, in order
CLUSTER_TEXT_FIELDS = ("name", "regency", "province", "industry")
CLUSTER_FIELDS = (*CLUSTER_TEXT_FIELDS, "timezone")  # the questions of a new cluster, in order
_E = TypeVar("_E", bound=StrEnum)


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


def next_question(questions: tuple[str, ...], answers: Mapping[str, object]) -> str | None:
    """The first of ``questions`` without an answer yet; ``None`` when all are answered (time to review)."""
    return next((question for question in questions if question not in answers), None)


class PhoneConsentMove(StrEnum):
    """What saving a profile does to the phone consent of its cluster."""

    GIVE = "give"  # a number is shared: the consent is recorded now (a consent in force keeps its date)
    WITHDRAW = "withdraw"  # no number any more: the consent in force ends
    NOTHING = "nothing"


def phone_consent_move(phone: str | None, in_force: bool) -> PhoneConsentMove:
    """The consent that goes with a saved profile: a stored number always has one in force, no number none."""
    if phone:
        return PhoneConsentMove.NOTHING if in_force else PhoneConsentMove.GIVE
    return PhoneConsentMove.WITHDRAW if in_force else PhoneConsentMove.NOTHING


def carried_phone(phone: str | None, in_force: bool) -> dict[str, str | None]:
    """The phone answer an edit starts from: the stored number only with consent in force, else nothing
    (the phone question is asked again, with its purpose, so a number from before consents gets one)."""
    if phone and not in_force:
        return {}
    return {"phone": phone}


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


# -- the ``mb1`` buttons ------------------------------------------------------------


class MemberAction(StrEnum):
    """An ``mb1`` button that carries nothing but what it does (``mb1:<action>``)."""

    PROFILE = "profile"
    EDIT_PROFILE = "pedit"
    KEEP_NAME = "keep"
    CONFIRM_PROFILE = "confirm"
    LEAVE = "leave"
    LEAVE_CONFIRMED = "leaveyes"
    CLUSTERS = "clusters"
    JOIN = "join"
    INVITE = "inv"
    QR_CODE = "qr"
    ROTATE = "rot"
    ROTATE_CONFIRMED = "rotyes"
    ROLES = "roles"
    NEW_CLUSTER = "new"
    CREATE_CLUSTER = "create"
    PHONE_AGREE = "phok"  # a number stored before consents were asked: the facilitators may have it
    PHONE_WITHDRAW = "phno"  # withdraw the phone consent: the number is deleted


class Appointment(StrEnum):
    """What a facilitator appoints someone to."""

    FACILITATOR = "fac"  # one more facilitator
    SECRETARY = "sec"  # the cluster's one secretary
    HANDOVER = "hand"  # a facilitator in the appointer's place


@dataclass(frozen=True)
class SwitchCluster:
    """``mb1:cl:<cluster>``: work in this cluster."""

    cluster_id: int


@dataclass(frozen=True)
class PickAppointee:
    """``mb1:ap:<role>:<page>``: a page of members to appoint."""

    role: Appointment
    page: int


@dataclass(frozen=True)
class Appoint:
    """``mb1:apm:<role>:<user>``: appoint this member."""

    role: Appointment
    user_id: int


@dataclass(frozen=True)
class ChooseTimezone:
    """``mb1:tz:<WIB|WITA|WIT>``: the new cluster's time zone."""

    zone: str


@dataclass(frozen=True)
class ChooseStakeholder:
    """``mb1:st:<type>``: the stakeholder type of one's profile."""

    kind: str


@dataclass(frozen=True)
class EditField:
    """``mb1:edit:<field>``: from the profile's review, ask this question again."""

    field: str


MemberButton = MemberAction | SwitchCluster | PickAppointee | Appoint | ChooseTimezone | ChooseStakeholder | EditField
# The word after ``mb1:`` of the buttons that carry values.
_KEYS: dict[type, str] = {
    SwitchCluster: "cl",
    PickAppointee: "ap",
    Appoint: "apm",
    ChooseTimezone: "tz",
    ChooseStakeholder: "st",
    EditField: "edit",
}


def member_pattern(kind: MemberAction | type) -> str:
    """The pattern the taps of one kind of ``mb1`` button are routed by."""
    if isinstance(kind, MemberAction):
        return f"^{PREFIX}:{kind.value}$"
    return f"^{PREFIX}:{_KEYS[kind]}:"


def member_button_data(button: MemberButton) -> str:
    """The callback data of ``button`` (the inverse of ``parse_member_button``)."""
    if isinstance(button, MemberAction):
        return callback_data(PREFIX, button.value)
    key = _KEYS[type(button)]
    match button:
        case SwitchCluster(cluster_id):
            return callback_data(PREFIX, key, cluster_id)
        case PickAppointee(role, page):
            return callback_data(PREFIX, key, role.value, page)
        case Appoint(role, user_id):
            return callback_data(PREFIX, key, role.value, user_id)
        case ChooseTimezone(value) | ChooseStakeholder(value) | EditField(value):
            return callback_data(PREFIX, key, value)


def parse_member_button(data: str | None) -> MemberButton | None:
    """Read an ``mb1`` button, or ``None`` when it is stale or forged."""
    parts = parse_callback(data, PREFIX)
    if not parts:
        return None
    key, *values = parts
    if not values:
        return _enum_member(MemberAction, key)
    kind = next((kind for kind, its_key in _KEYS.items() if its_key == key), None)
    if kind is SwitchCluster and len(values) == 1:
        cluster_id = button_number(values[0])
        return SwitchCluster(cluster_id) if cluster_id else None
    if kind in (PickAppointee, Appoint) and len(values) == 2:
        role, number = _enum_member(Appointment, values[0]), button_number(values[1])
        if role is None or number is None:
            return None
        if kind is PickAppointee:
            return PickAppointee(role, number)
        return Appoint(role, number) if number else None
    if len(values) == 1:
        value = values[0]
        if kind is ChooseTimezone and value in TIMEZONE_CHOICES:
            return ChooseTimezone(value)
        if kind is ChooseStakeholder and value in STAKEHOLDER_TYPES:
            return ChooseStakeholder(value)
        if kind is EditField and value in PROFILE_FIELDS:
            return EditField(value)
    return None


def _enum_member(kind: type[_E], text: str) -> _E | None:
    try:
        return kind(text)
    except ValueError:
        return None


# -- roles --------------------------------------------------------------------------


def may_be_offered(role: Appointment, appointer_id: int, user_id: int, is_facilitator: bool) -> bool:
    """Whether the member is on the list to appoint: never oneself, and a facilitator is not made one again."""
    if user_id == appointer_id:
        return False
    return not (role is Appointment.FACILITATOR and is_facilitator)


def may_appoint(appointer_id: int, user_id: int) -> bool:
    """One never appoints oneself (a handover to oneself would drop the role)."""
    return user_id != appointer_id


@dataclass(frozen=True)
class RoleChange:
    """What an appointment changes."""

    makes_facilitator: bool  # the appointee becomes a facilitator
    makes_sole_secretary: bool  # the appointee becomes the secretary; any other secretary steps down
    appointer_steps_down: bool  # the appointer stops being a facilitator (a handover)


def role_change(role: Appointment) -> RoleChange:
    """The changes ``role`` makes to the appointee and the appointer."""
    return RoleChange(
        makes_facilitator=role in (Appointment.FACILITATOR, Appointment.HANDOVER),
        makes_sole_secretary=role is Appointment.SECRETARY,
        appointer_steps_down=role is Appointment.HANDOVER,
    )
