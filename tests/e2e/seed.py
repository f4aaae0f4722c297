"""Set up clusters and members straight through storage, when the joining flow is not what a test is about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage import brainstorm, clusters, memberships, small_groups, users


@dataclass
class Seeded:
    """Ids a test refers to."""

    cluster_id: int
    group_ids: dict[str, int]


async def seed_cluster(
    db,
    now: datetime,
    *,
    facilitator: tuple[int, str],
    groups: dict[str, list[tuple[int, str]]],
    others: list[tuple[int, str]] = (),
    name: str = "Sentra Batik Laweyan",
    code: str = "SEEDED22",
    language: str = "id",
) -> Seeded:
    """A cluster with its facilitator, small groups with members, and members in no group."""
    async with db.transaction() as tx:
        people = [facilitator, *others, *(p for members in groups.values() for p in members)]
        for uid, first in people:
            await users.remember_user(tx, uid, first, None, None, language, now)
        cluster = await clusters.create_cluster(
            tx,
            name=name,
            regency="Kota Surakarta",
            province="Jawa Tengah",
            industry="batik",
            timezone="Asia/Jakarta",
            invite_code=code,
            created_by=facilitator[0],
            full_name=facilitator[1],
            now=now,
            source_update_id=-facilitator[0],
        )
        group_ids = {}
        for group_name, members in groups.items():
            group = await small_groups.create_group(tx, cluster.id, group_name, None, now)
            group_ids[group_name] = group.id
            for uid, first in members:
                await memberships.join_cluster(
                    tx, cluster.id, uid, {"full_name": first, "stakeholder_type": "core_firm"}, now
                )
                await small_groups.assign_member(tx, cluster.id, uid, group.id)
        for uid, first in others:
            await memberships.join_cluster(
                tx, cluster.id, uid, {"full_name": first, "stakeholder_type": "core_firm"}, now
            )
    return Seeded(cluster.id, group_ids)


async def seed_session(
    tx, cluster_id: int, question: str, facilitator_id: int, participant_ids: list[int], now: datetime
):
    """A free brainstorming session for the whole cluster (anonymous, 3 dots), when opening it is not what a test is about."""
    session, _new = await brainstorm.create_session(
        tx,
        cluster_id=cluster_id,
        meeting_id=None,
        small_group_id=None,
        question=question,
        template="free",
        audience="cluster",
        anonymous=True,
        dots=3,
        facilitator_id=facilitator_id,
        participant_ids=participant_ids,
        now=now,
        source_update_id=-1,
    )
    return session
