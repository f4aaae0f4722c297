"""The sandbox's demo cluster: Sentra Batik Laweyan with its people, groups and a meeting.

``seed_demo`` writes it through the storage repositories on the first start of
an empty sandbox database and does nothing when the database already holds a
cluster. ``CAST`` lists the people, so the web chat can offer each of them as a
person to speak as: the admin (also the facilitator), group leaders,
secretaries and members.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from conversations.committee import digests as committee_digests
from conversations.committee import reports as committee_reports
from conversations.meetings import invitations
from conversations.meetings import rules as meeting_rules
from conversations.membership import rules as membership_rules
from sandbox.demo_annual_plan import seed_annual_plan
from sandbox.demo_chain import seed_firm_profiles
from sandbox.demo_dues import seed_dues
from sandbox.demo_map_review import seed_map_reviews
from sandbox.demo_money import seed_money
from sandbox.demo_supporters import seed_supporters
from sandbox.demo_tasks import seed_tasks
from storage import clusters, committees, consents, meetings, memberships, small_groups, users
from storage.database import Database
from storage.meetings import Meeting

CLUSTER_NAME = "Sentra Batik Laweyan"
COMMITTEE_NAME, COMMITTEE_CODE = "FPESD Jawa Tengah", "FPESDJT1"
INVITE_CODE = "DEMO2026"
TIMEZONE = "Asia/Jakarta"
ADMIN_ID = 810001
# Chats the sandbox offers in Telegram's chat picker (the newsletter's channel or group).
CHANNEL_ID, CHANNEL_TITLE = -1001810000001, "Kabar Sentra Batik Laweyan"
GROUP_ID, GROUP_TITLE = -1001810000002, "Paguyuban Batik Laweyan"
# A seeded row remembers the "update" that created it; real updates have positive ids.
_SOURCE_UPDATE = -810001


@dataclass(frozen=True)
class DemoPerson:
    """Someone in the demo cluster, and how they appear in the web chat."""

    user_id: int
    first_name: str
    last_name: str | None
    language: str
    home_area: str
    core_business: str
    stakeholder_type: str
    group: str | None = None  # name of their small group
    role: str = "member"  # "admin", "leader", "secretary" or "member"

    @property
    def full_name(self) -> str:
        """First and last name."""
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def phone(self) -> str:
        """A made-up Indonesian mobile number."""
        return f"+62812{self.user_id:07d}"

    @property
    def about(self) -> str:
        """One line for the web chat's list of people (sandbox chrome, English)."""
        where = f", {self.group}" if self.group else ""
        labels = {
            "admin": "Admin and facilitator",
            "leader": f"Group leader{where}",
            "secretary": f"Secretary{where}",
            "member": f"Member{where}",
        }
        return labels[self.role]


NORTH, SOUTH = "Grup Laweyan Utara", "Grup Laweyan Selatan"
GROUP_AREAS = {NORTH: "Sondakan dan Bumi", SOUTH: "Laweyan dan Pajang"}

CAST: tuple[DemoPerson, ...] = (
    DemoPerson(
        ADMIN_ID,
        "Ratna",
        "Wulandari",
        "id",
        "Laweyan",
        "Pendamping klaster, Dinas Koperasi dan UKM Kota Surakarta",
        "government",
        role="admin",
    ),
    # Grup Laweyan Utara
    DemoPerson(
        810002,
        "Bambang",
        "Sutrisno",
        "id",
        "Sondakan",
        "Batik tulis halus, 14 pembatik",
        "leading_firm",
        NORTH,
        "leader",
    ),
    DemoPerson(
        810003, "Dewi", "Lestari", "id", "Sondakan", "Batik cap dan kombinasi tulis", "core_firm", NORTH, "secretary"
    ),
    DemoPerson(810004, "Sri", "Handayani", "id", "Bumi", "Batik tulis kain panjang", "core_firm", NORTH),
    DemoPerson(810005, "Agus", "Prasetyo", "id", "Bumi", "Malam (lilin) dan pewarna batik", "supplier", NORTH),
    DemoPerson(810006, "Wahyu", "Nugroho", "id", "Sondakan", "Batik cap, 6 pekerja", "core_firm", NORTH),
    DemoPerson(810007, "Endang", "Suryani", "id", "Bumi", "Jahit busana batik", "subcontractor", NORTH),
    DemoPerson(810008, "Joko", "Santoso", "id", "Sondakan", "Kain mori dan kain primisima", "supplier", NORTH),
    # Grup Laweyan Selatan
    DemoPerson(
        810009,
        "Hartini",
        "Wibowo",
        "id",
        "Laweyan",
        "Batik tulis dan showroom, ekspor ke Jepang",
        "leading_firm",
        SOUTH,
        "leader",
    ),
    DemoPerson(
        810010, "Yusuf", "Maulana", "id", "Pajang", "Batik cap dan printing malam", "core_firm", SOUTH, "secretary"
    ),
    DemoPerson(810011, "Siti", "Aminah", "id", "Laweyan", "Batik tulis pewarna alam", "core_firm", SOUTH),
    DemoPerson(810012, "Anisa", "Putri", "en", "Laweyan", "Toko batik daring dan ekspor", "trader", SOUTH),
    DemoPerson(810013, "Teguh", "Raharjo", "id", "Pajang", "Pembuat canting dan cap tembaga", "supplier", SOUTH),
    DemoPerson(
        810014, "Purwanti", None, "id", "Pajang", "Koperasi Batik Laweyan (simpan pinjam)", "cooperative", SOUTH
    ),
    DemoPerson(810015, "Heru", "Kurniawan", "id", "Laweyan", "Jasa desain motif batik", "bds_provider", SOUTH),
)

MEETING_TOPIC = "Rapat rutin klaster: persiapan pameran batik"
MEETING_PLACE = "Pendopo Kampung Batik Laweyan, Jl. Sidoluhur"
MEETING_AGENDA = "1. Pembagian stan pameran\n2. Pembelian malam bersama\n3. Jadwal pelatihan pewarna alam"


def person(user_id: int) -> DemoPerson | None:
    """The demo person with this id."""
    return next((p for p in CAST if p.user_id == user_id), None)


def meeting_start(now: datetime) -> datetime:
    """The demo meeting: a week from today, 09.00 in the cluster's zone."""
    zone = ZoneInfo(TIMEZONE)
    day = now.astimezone(zone).date() + timedelta(days=7)
    return datetime.combine(day, time(9, 0), tzinfo=zone)


async def seed_demo(database: Database, now: datetime) -> bool:
    """Create the demo cluster unless the database already has a cluster; True when created."""
    async with database.transaction() as tx:
        if await clusters.count_clusters(tx):
            return False
        for someone in CAST:
            await users.remember_user(
                tx, someone.user_id, someone.first_name, someone.last_name, None, someone.language, now
            )
        admin = CAST[0]
        cluster = await clusters.create_cluster(
            tx,
            name=CLUSTER_NAME,
            regency="Kota Surakarta",
            province="Jawa Tengah",
            industry="batik",
            timezone=TIMEZONE,
            invite_code=INVITE_CODE,
            created_by=admin.user_id,
            full_name=admin.full_name,
            now=now,
            source_update_id=_SOURCE_UPDATE,
        )
        await memberships.update_profile(tx, cluster.id, admin.user_id, _profile(admin))
        groups = {
            name: await small_groups.create_group(tx, cluster.id, name, area, now) for name, area in GROUP_AREAS.items()
        }
        for someone in CAST[1:]:
            await memberships.join_cluster(tx, cluster.id, someone.user_id, _profile(someone), now)
            if someone.group is None:
                continue
            group = groups[someone.group]
            await small_groups.assign_member(tx, cluster.id, someone.user_id, group.id)
            if someone.role == "leader":
                await small_groups.set_leader(tx, group.id, someone.user_id)
            if someone.role == "secretary":
                await memberships.set_roles(tx, cluster.id, someone.user_id, secretary=True)
        for someone in CAST:
            if someone.phone:  # shared at the phone step, which records the consent with its date
                await consents.give(tx, someone.user_id, consents.PHONE, cluster.id, now)
        upcoming = await _plan_meeting(tx, cluster.id, admin.user_id, now)
        await _form_committee(tx, cluster.id, admin, now)
        products = {someone.user_id: someone.core_business for someone in CAST}
        await seed_firm_profiles(tx, cluster.id, admin.user_id, products, now, _SOURCE_UPDATE - 2)
        member = next(someone for someone in CAST if someone.role == "member")  # suggests one supporter
        await seed_supporters(tx, cluster.id, admin.user_id, member.user_id, now)
        await seed_annual_plan(tx, cluster.id, admin.user_id, now, _SOURCE_UPDATE - 40)
        await seed_money(tx, cluster.id, admin.user_id, now)
        invited = [someone.user_id for someone in CAST]
        await seed_map_reviews(tx, cluster.id, admin.user_id, invited, upcoming, now, _SOURCE_UPDATE - 3)
        await seed_dues(tx, cluster.id, admin.user_id, invited[1:], now)
        late = [someone.user_id for someone in CAST if someone.group == NORTH][:2]  # the second did not finish
        await seed_tasks(tx, cluster.id, TIMEZONE, admin.user_id, late, member.user_id, now, _SOURCE_UPDATE - 4)
    return True


async def _form_committee(tx, cluster_id: int, secretary: DemoPerson, now: datetime) -> None:
    """The province's committee following the demo cluster, with the admin as its secretary: its
    weekly digest and quarterly report are booked as /newcommittee books them."""
    committee, _new = await committees.create_committee(
        tx,
        name=COMMITTEE_NAME,
        level="province",
        timezone=TIMEZONE,
        invite_code=COMMITTEE_CODE,
        created_by=secretary.user_id,
        now=now,
        source_update_id=_SOURCE_UPDATE - 1,
    )
    await committees.toggle_cluster(tx, committee.id, cluster_id)
    await committees.join(tx, committee.id, secretary.user_id, secretary.full_name, "government", now)
    await committees.appoint(tx, committee.id, secretary.user_id, "secretary")
    await committee_digests.schedule_next(tx, committee, now)
    await committee_reports.schedule_next(tx, committee, now)


def _profile(someone: DemoPerson) -> dict[str, str | None]:
    return {
        "full_name": someone.full_name,
        "home_area": someone.home_area,
        "core_business": someone.core_business,
        "stakeholder_type": someone.stakeholder_type,
        "phone": someone.phone,
    }


async def _plan_meeting(tx, cluster_id: int, organiser_id: int, now: datetime) -> Meeting:
    """The whole cluster invited to next week's meeting; the bot sends the cards as it would."""
    invited = [someone.user_id for someone in CAST]
    meeting, new = await meetings.create_meeting(
        tx,
        cluster_id=cluster_id,
        kind="regular",
        topic=MEETING_TOPIC,
        starts_at=meeting_start(now),
        place=MEETING_PLACE,
        latitude=-7.5695,
        longitude=110.8013,
        agenda=MEETING_AGENDA,
        audience=meeting_rules.Audience(everyone=True).to_json(),
        capacity=None,
        reminders=meeting_rules.DEFAULT_REMINDERS,
        checkin_code=meeting_rules.new_checkin_code(),
        organiser_id=organiser_id,
        invitee_ids=invited,
        now=now,
        source_update_id=_SOURCE_UPDATE,
    )
    if new:
        await invitations.plan_invitations(tx, meeting, invited, now)
    return meeting


def invite_link(bot_username: str) -> str:
    """The demo cluster's invitation link."""
    return f"https://t.me/{bot_username}?start={membership_rules.invite_payload(INVITE_CODE)}"
