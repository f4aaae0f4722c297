"""Reading the cluster's map from the database: its members, their latest firm profiles, the supporting
institutions; the figures and the chain are made from them by ``rules.py``.

``map_figures`` and ``cluster_chain`` are what other flows (a meeting's review of the map, the
committee's comparison and reports) read.
"""

from __future__ import annotations

import aiosqlite

from conversations.cluster_map.rules import Chain, MapFigures, Member, build_chain, map_figures_of, supporting_members
from storage import firm_profiles, supporters

OUTSIDE_TRADE_KINDS = ("buyer", "supplier")  # supporters who trade with the cluster rather than support it


async def cluster_members(conn: aiosqlite.Connection, cluster_id: int) -> list[Member]:
    """The active members as the map reads them, each with their latest sent firm profile."""
    return [
        Member(p.user_id, p.full_name, p.stakeholder_type, p.answers)
        for p in await firm_profiles.member_profiles(conn, cluster_id)
    ]


async def supporting_institutions(
    conn: aiosqlite.Connection, cluster_id: int, members: list[Member] | None = None
) -> list[tuple[str, str]]:
    """The supporting institutions beside the chain as ``(kind, name)``: the members of a supporting
    stakeholder type (BDS provider, cooperative, government office, university, bank), then the cluster's
    confirmed outside supporters that are institutions (outside buyers and suppliers are on the supporters'
    list, not in the band: the chain's boxes count members)."""
    inside = supporting_members(members if members is not None else await cluster_members(conn, cluster_id))
    outside = [
        (s.kind, s.name)
        for s in await supporters.confirmed_supporters(conn, cluster_id)
        if s.kind not in OUTSIDE_TRADE_KINDS
    ]
    return inside + outside


async def cluster_chain(conn: aiosqlite.Connection, cluster_id: int) -> Chain:
    """The cluster's value chain from its members, their profiles and its supporting institutions."""
    members = await cluster_members(conn, cluster_id)
    return build_chain(members, await supporting_institutions(conn, cluster_id, members))


async def map_figures(conn: aiosqlite.Connection, cluster_id: int) -> MapFigures:
    """The cluster's map in figures: firms, workers, links (the arrows' total weight), profiles, by type."""
    members = await cluster_members(conn, cluster_id)
    return map_figures_of(members, await supporting_institutions(conn, cluster_id, members))
