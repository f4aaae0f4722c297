"""The sender's delivery report of one message to many (an outbox batch), for every flow.

A broadcast's sender and a meeting's organiser read the same figures (sent N of
M, blocked the bot, never started it, failed, may not have arrived) and, at the
end, whom to reach another way, with a CSV of them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape

import aiosqlite
from telegram import Bot, InputFile

from bot import exports
from bot.i18n import translator
from storage import consents, memberships
from storage import outbox as outbox_store

UNREACHED = ("blocked", "not_started", "failed")  # deliveries that surely did not reach the person


def report_counts(counts: dict[str, int]) -> dict[str, int]:
    """The figures a sender sees: sent, blocked, not started, failed, may not have arrived (unknown), waiting."""
    return {
        "sent": counts.get("sent", 0),
        "blocked": counts.get("blocked", 0),
        "not_started": counts.get("not_started", 0),
        "failed": counts.get("failed", 0),
        "unknown": counts.get("unknown", 0),
        "waiting": counts.get("pending", 0) + counts.get("sending", 0),
        "total": sum(counts.values()) - counts.get("cancelled", 0),
    }


def figure_lines(lang: str, figures: dict[str, int], done: bool) -> list[str]:
    """Sent N of M, blocked, never started, failed, may not have arrived, and waiting while it goes."""
    _ = translator(lang).gettext
    lines = [
        _("Sent: {sent} of {total}").format(sent=figures["sent"], total=figures["total"]),
        _("Blocked the bot: {n}").format(n=figures["blocked"]),
        _("Never started the bot: {n}").format(n=figures["not_started"]),
        _("Failed: {n}").format(n=figures["failed"]),
    ]
    if figures["unknown"]:
        lines.append(_("May not have arrived: {n}").format(n=figures["unknown"]))
    if not done:
        lines.append(_("Waiting: {n}").format(n=figures["waiting"]))
    return lines


@dataclass(frozen=True)
class Unreached:
    """Someone a message did not reach, and why."""

    user_id: int
    name: str
    group: str | None
    phone: str | None
    status: str


async def unreached_of(conn: aiosqlite.Connection, cluster_id: int, batch: str) -> list[Unreached]:
    """The batch's recipients it surely did not reach, with what the cluster knows of them (a phone number
    only of those who agreed the facilitators may have it)."""
    people = {m.user_id: m for m in (await memberships.directory(conn, cluster_id))[0]}
    shared = await consents.consenting(conn, consents.PHONE, cluster_id, people)  # a phone only with consent
    found = []
    for letter in await outbox_store.letters(conn, batch):
        if letter.status in UNREACHED:
            member = people.get(letter.recipient_id)
            found.append(
                Unreached(
                    letter.recipient_id,
                    member.full_name if member else str(letter.recipient_id),
                    member.small_group_name if member else None,
                    member.phone if member and member.user_id in shared else None,
                    letter.status,
                )
            )
    return found


def status_label(lang: str, status: str) -> str:
    """Why a message did not arrive, in a few words."""
    _ = translator(lang).gettext
    labels = {
        "blocked": _("blocked the bot"),
        "not_started": _("never started the bot"),
        "failed": _("failed"),
        "unknown": _("may not have arrived (interrupted)"),
    }
    return labels.get(status, status)


def reach_otherwise(lang: str, people: list[Unreached]) -> str:
    """After delivery: whom to reach another way."""
    _ = translator(lang).gettext
    lines = [_("<b>Please reach these people another way:</b>")]
    for person in people[:40]:
        extra = " · ".join(part for part in (person.group, person.phone) if part)
        lines.append(f"• {escape(person.name)}" + (f" ({escape(extra)})" if extra else ""))
    if len(people) > 40:
        lines.append(_("… and {count} more").format(count=len(people) - 40))
    lines.append(_("The full list is in the file below."))
    return "\n".join(lines)


def unreachable_headers(lang: str) -> list[str]:
    """Columns of the list of people to reach another way."""
    _ = translator(lang).gettext
    return [_("Name"), _("Small group"), _("Phone"), _("Why")]


async def send_unreached(bot: Bot, chat_id: int, lang: str, people: list[Unreached], filename: str) -> None:
    """Whom to reach another way, as a message and a CSV file (nothing when everyone was reached)."""
    if not people:
        return
    await bot.send_message(chat_id, reach_otherwise(lang, people))
    rows: list[list[exports.Cell]] = [[p.name, p.group, p.phone, status_label(lang, p.status)] for p in people]
    await bot.send_document(
        chat_id, InputFile(io.BytesIO(exports.build_csv(unreachable_headers(lang), rows)), filename=filename)
    )
