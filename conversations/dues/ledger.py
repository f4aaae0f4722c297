"""Reading where members stand with their dues: the stored terms and payments through the rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import aiosqlite

from conversations.dues import rules
from conversations.dues.rules import DuesStatus, Schedule, Terms
from storage import clusters, dues, memberships
from storage.dues import DuesTerms
from storage.memberships import Membership


@dataclass(frozen=True)
class Ledger:
    """A cluster's dues: the setting made last, the schedule of every setting, its zone and today's local date."""

    stored: DuesTerms
    schedule: Schedule
    timezone: str
    today: date

    @property
    def terms(self) -> Terms:
        """The setting in force from the latest first month on (what the screens quote)."""
        return self.schedule.current


def terms_of(stored: DuesTerms) -> Terms:
    """The stored dues as the rules take them."""
    return Terms(stored.amount, stored.cadence, stored.starts_on)


def local_day(moment: datetime, timezone: str) -> date:
    """The calendar day of ``moment`` in ``timezone``."""
    return moment.astimezone(ZoneInfo(timezone)).date()


async def ledger_of(conn: aiosqlite.Connection, cluster_id: int, now: datetime) -> Ledger | None:
    """The cluster's dues with its zone and today, or None when it set none."""
    settings = await dues.settings_of(conn, cluster_id)
    if not settings:
        return None
    zone = (await clusters.load_cluster(conn, cluster_id)).timezone
    schedule = rules.schedule_of(terms_of(s) for s in settings)
    return Ledger(settings[-1], schedule, zone, local_day(now, zone))


def pays_dues(member: Membership) -> bool:
    """Whether a member owes dues: an active member who is not a facilitator (they help the cluster from outside)."""
    return member.active and not member.is_facilitator


def since_of(ledger: Ledger, member: Membership) -> date:
    """A member's first period under the dues in force."""
    return rules.first_owed(ledger.schedule, local_day(member.joined_at, ledger.timezone))


async def status_of(conn: aiosqlite.Connection, ledger: Ledger, member: Membership) -> DuesStatus:
    """Where one member stands today."""
    paid = await dues.paid_periods(conn, ledger.stored.cluster_id, member.user_id)
    return rules.status(ledger.schedule, since_of(ledger, member), paid, ledger.today)


async def paying_members(conn: aiosqlite.Connection, cluster_id: int) -> list[Membership]:
    """The cluster's members who owe dues, by name."""
    everyone, _total = await memberships.directory(conn, cluster_id)
    return [m for m in everyone if pays_dues(m)]


async def arrears_of(conn: aiosqlite.Connection, ledger: Ledger) -> list[rules.Arrear]:
    """Who is behind today, the longest behind first."""
    members = await paying_members(conn, ledger.stored.cluster_id)
    paid = await dues.paid_by_member(conn, ledger.stored.cluster_id)
    return rules.behind(
        ledger.schedule, [(m.user_id, m.full_name, since_of(ledger, m)) for m in members], paid, ledger.today
    )
