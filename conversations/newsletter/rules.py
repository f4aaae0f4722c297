"""Newsletter rules as plain functions: the buttons (``nl1:...``) as typed taps, reading imported firm rows,
which firms have joined, what Rembug lacks to post in the cluster's channel, and the figures a newsletter reports."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.buttons import button_number
from bot.paging import MAX_PAGE
from conversations.membership.rules import STAKEHOLDER_TYPES

PREFIX = "nl1"
PAGE_SIZE = 10
NAME_LIMIT = 120
FIELD_LIMIT = 120
FIELDS = ("name", "village", "business", "stakeholder_type", "contact")
REQUIRED = ("name",)
# Column names accepted in an imported file, Indonesian or English, compared lower-case without spaces or punctuation.
COLUMN_NAMES = {
    "name": ("name", "nama", "namausaha", "firm", "firmname", "business name", "namaperusahaan"),
    "village": ("village", "desa", "desakelurahan", "kelurahan", "location", "lokasi"),
    "business": (
        "business",
        "usaha",
        "bidangusaha",
        "jenisusaha",
        "kegiatanusaha",
        "produk",
        "product",
        "corebusiness",
    ),
    "stakeholder_type": ("stakeholdertype", "jenispemangkukepentingan", "jenis", "type", "tipe", "pemangkukepentingan"),
    "contact": ("contact", "kontak", "phone", "telepon", "hp", "nohp", "nomorhp", "telp", "email"),
}
# Stakeholder types as people write them in a file (Indonesian or English), to the stored keys.
TYPE_NAMES = {
    "core_firm": ("corefirm", "perusahaaninti", "usahainti", "inti"),
    "leading_firm": ("leadingfirm", "perusahaanpenggerak", "perusahaanunggulan", "penggerak"),
    "supplier": ("supplier", "pemasok", "industripendukung", "supportingindustryorsupplier"),
    "trader": ("trader", "pedagang", "distributor", "traderordistributor", "pedagangataudistributor"),
    "bds_provider": ("bdsprovider", "bds", "penyediabds", "penyedialayananpengembanganbisnis"),
    "cooperative": ("cooperative", "koperasi", "asosiasi", "association", "cooperativeorassociation"),
    "government": ("government", "pemerintah", "dinas", "governmentoffice", "instansipemerintah"),
    "university": ("university", "universitas", "perguruantinggi", "kampus", "universityorresearchinstitute"),
    "bank": ("bank",),
    "other": ("other", "lainnya", "lain"),
}


def _key(text: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text or "").lower())


@dataclass(frozen=True)
class RowProblem:
    """A row that could not be read: its row number in the file (the header is row 1) and why."""

    row: int
    reason: str  # "no_name", "too_long", "unknown_type"
    detail: str = ""


class WrongColumns(ValueError):
    """The file's header names no column this list knows (at least the name is needed)."""


def columns_of(headers: list[object]) -> dict[str, int]:
    """Which position holds which field; raises ``WrongColumns`` when there is no name column."""
    found: dict[str, int] = {}
    names = {_key(alias): field for field, aliases in COLUMN_NAMES.items() for alias in aliases}
    for index, header in enumerate(headers):
        field = names.get(_key(header))
        if field and field not in found:
            found[field] = index
    if any(field not in found for field in REQUIRED):
        raise WrongColumns(", ".join(str(h) for h in headers if h))
    return found


def stakeholder_key(text: object) -> str | None:
    """The stored stakeholder type for what a file says; None when blank; "" when not recognised."""
    key = _key(text)
    if not key:
        return None
    if str(text).strip() in STAKEHOLDER_TYPES:
        return str(text).strip()
    for stored, aliases in TYPE_NAMES.items():
        if key in aliases:
            return stored
    return ""


def _cell(row: list[object], index: int | None) -> str:
    if index is None or index >= len(row) or row[index] is None:
        return ""
    value = row[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_firm_rows(headers: list[object], rows: list[list[object]]) -> tuple[list[dict], list[RowProblem]]:
    """Read imported rows into firms (dicts of ``FIELDS``) and the problems of the rows that could not be read.

    Empty rows are skipped silently. Raises ``WrongColumns`` when the header has no name column.
    """
    columns = columns_of(headers)
    firms: list[dict] = []
    problems: list[RowProblem] = []
    for number, row in enumerate(rows, start=2):
        values = {field: _cell(list(row), columns.get(field)) for field in FIELDS}
        if not any(_cell(list(row), i) for i in range(len(row))):
            continue
        if not values["name"]:
            problems.append(RowProblem(number, "no_name"))
            continue
        long = next((f for f in FIELDS if len(values[f]) > (NAME_LIMIT if f == "name" else FIELD_LIMIT)), None)
        if long:
            problems.append(RowProblem(number, "too_long", long))
            continue
        kind = stakeholder_key(values["stakeholder_type"])
        if kind == "":
            problems.append(RowProblem(number, "unknown_type", values["stakeholder_type"]))
            continue
        firms.append({**{f: (values[f] or None) for f in FIELDS}, "stakeholder_type": kind})
    return firms, problems


def phone_key(text: str | None) -> str:
    """A phone number compared by its last nine digits (so 0812..., +62 812... and 62812... match)."""
    digits = re.sub(r"\D", "", text or "")
    return digits[-9:] if len(digits) >= 6 else ""


def joined_ids(firms: list[tuple[int, str, str | None]], members: list[tuple[str, str | None]]) -> set[int]:
    """Which firms ``(id, name, contact)`` match an active member ``(name, phone)``: same phone, or same name."""
    phones = {phone_key(phone) for _name, phone in members} - {""}
    names = {_key(name) for name, _phone in members} - {""}
    return {
        fid
        for fid, name, contact in firms
        if (phone_key(contact) and phone_key(contact) in phones) or _key(name) in names
    }


def page_count(total: int) -> int:
    """How many pages a list of ``total`` firms takes (at least one)."""
    return max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)


class Step(StrEnum):
    """What a newsletter or firm-list button does (the word after ``nl1:``)."""

    HOME = "home"  # the newsletter's home
    PAGE = "p"  # a page of the firm list (page)
    CSV = "csv"  # the firm list as CSV
    EXCEL = "xlsx"  # the firm list as Excel
    ADD = "add"  # add one firm
    TYPE = "t"  # the new firm's stakeholder type (type)
    SKIP = "skip"  # the new firm has no contact
    IMPORT = "imp"  # import a CSV or Excel file
    LINK = "link"  # pick the cluster's channel or group
    UNLINK = "unlink"  # the cluster no longer has a channel
    WRITE = "write"  # write a newsletter
    POST = "go"  # post the newsletter (and make its PDF)
    PDF = "pdf"  # only make the PDF
    RECHECK = "recheck"  # check Rembug's rights in the channel again
    AGAIN = "again"  # post a newsletter that did not get through (newsletter)


@dataclass(frozen=True)
class NewsletterTap:
    """A parsed newsletter button: its step and what it names."""

    step: Step
    page: int = 0
    stakeholder_type: str | None = None
    newsletter_id: int | None = None


_ONE_PART = {Step.PAGE, Step.TYPE, Step.AGAIN}  # the steps whose button carries one more part


def parse_tap(data: str | None) -> NewsletterTap | None:
    """The newsletter button in ``data`` as a typed value, or None when it is stale, forged or malformed."""
    pieces = (data or "").split(":")
    if len(pieces) < 2 or pieces[0] != PREFIX:
        return None
    try:
        step = Step(pieces[1])
    except ValueError:
        return None
    rest = pieces[2:]
    if len(rest) != (1 if step in _ONE_PART else 0):
        return None
    if step == Step.PAGE:
        page = button_number(rest[0])
        return NewsletterTap(step, page=page) if page is not None and page <= MAX_PAGE else None
    if step == Step.TYPE:
        return NewsletterTap(step, stakeholder_type=rest[0]) if rest[0] in STAKEHOLDER_TYPES else None
    if step == Step.AGAIN:
        number = button_number(rest[0])
        return NewsletterTap(step, newsletter_id=number) if number else None
    return NewsletterTap(step)


def clean_answer(text: str | None, limit: int = FIELD_LIMIT) -> str | None:
    """A typed answer as stored, or None when empty or too long."""
    value = (text or "").strip()
    return value if value and len(value) <= limit else None


# -- The cluster's channel and the newsletter ------------------------------------------------------

TITLE_LIMIT = 120
BODY_LIMIT = 3000  # leaves room under Telegram's 4,096 for the title and the cluster's figures
CHANNEL_REQUEST, GROUP_REQUEST = 1, 2  # request_id of the two chat-picker buttons
PROGRESS_DAYS = 90


def ready_to_post(draft: dict, cluster_id: int | None) -> bool:
    """A newsletter draft can be posted once it has a title and a text, in the cluster the sender stands in now."""
    return "title" in draft and "body" in draft and draft.get("cluster_id") == cluster_id


def may_post_again(last_status: str | None) -> bool:
    """A newsletter is posted again only when its last attempt ended without getting through
    (not while it is still going out, and never once it is posted)."""
    return last_status not in ("pending", "sending", "sent")


def missing_rights(
    chat_type: str, status: str, can_post_messages: bool | None, can_send_messages: bool | None
) -> tuple[str, ...]:
    """What the bot lacks to post in a channel or group, from its getChatMember answer.

    ``()`` when it can post; else codes: "admin" (a channel needs the bot as administrator),
    "post_messages" (an administrator without "Post messages"), "member" (not in the group),
    "send_messages" (restricted in the group).
    """
    if chat_type == "channel":
        if status not in ("administrator", "creator"):
            return ("admin",)
        return () if can_post_messages else ("post_messages",)
    if status in ("left", "kicked"):
        return ("member",)
    if status == "restricted" and not can_send_messages:
        return ("send_messages",)
    return ()


def lost_rights(reason: str | None) -> bool:
    """Whether a failed post's error says the bot may no longer post there (not a passing fault)."""
    text = (reason or "").lower()
    return any(
        words in text
        for words in ("not a member", "administrator rights", "not enough rights", "kicked", "chat not found")
    )


@dataclass(frozen=True)
class Progress:
    """The cluster's figures a newsletter reports."""

    members: int
    new_members: int  # joined in the last PROGRESS_DAYS
    firms: int
    firms_joined: int
    meetings_held: int  # in the last PROGRESS_DAYS, not cancelled, already started
    attendances: int  # people present at those meetings (members and guests)
    priorities: tuple[str, ...]  # the latest shortlist, in rank order


def progress(
    joined: list[datetime],
    now: datetime,
    firms: int,
    firms_joined: int,
    meetings: list[tuple[datetime, bool, int]],
    priorities: list[str],
) -> Progress:
    """Figures for a newsletter: ``joined`` the active members' join times; ``meetings`` as
    ``(starts_at, cancelled, present)``; everything counted over the last PROGRESS_DAYS up to ``now``."""
    since = now - timedelta(days=PROGRESS_DAYS)
    held = [(start, present) for start, cancelled, present in meetings if not cancelled and since <= start <= now]
    return Progress(
        members=len(joined),
        new_members=sum(1 for when in joined if when >= since),
        firms=firms,
        firms_joined=firms_joined,
        meetings_held=len(held),
        attendances=sum(present for _start, present in held),
        priorities=tuple(priorities),
    )
