"""The cluster's map as plain data: the firm profile's figures, the Step 1 criteria and the value chain.

No telegram, no aiosqlite: the loader (``figures.py``) reads members and profiles and hands them here.

Estimates come from the firm profile's ranges (``forms/firm_profile.yaml``), each range counted at the
value below; a firm without a sent profile adds nothing to workers, sales or markets:
- family workers: none 0, 1, 2, 3-5 as 4, more than 5 as 6;
- paid workers (BPS size classes): none 0, 1-4 as 2.5, 5-19 as 12, 20-99 as 60, 100 or more as 150;
- monthly sales in juta rupiah: under 5 as 2.5, 5-15 as 10, 15-50 as 32.5, 50-200 as 125, over 200 as 250.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.buttons import button_number, callback_data, parse_callback
from conversations.membership.rules import STAKEHOLDER_TYPES

PREFIX = "map1"
NAMED_UP_TO = 3  # a box of at most this many members shows their names; a bigger one only its count

FAMILY_WORKERS = {"none": 0.0, "one": 1.0, "two": 2.0, "3_5": 4.0, "over_5": 6.0}
PAID_WORKERS = {"none": 0.0, "1_4": 2.5, "5_19": 12.0, "20_99": 60.0, "over_100": 150.0}
SALES_RANGES = ("under_5m", "5m_15m", "15m_50m", "50m_200m", "over_200m")
SALES_MIDPOINTS = dict(zip(SALES_RANGES, (2.5, 10.0, 32.5, 125.0, 250.0), strict=True))  # juta rupiah a month
MARKETS = ("local", "other_regions", "export")
NONE = "none"  # "nobody inside the cluster": outweighs whatever else was ticked with it


class Role(StrEnum):
    """A place in the value chain: a box of the picture and an answer of "buys from / sells to"."""

    SUPPLIER = "supplier"
    CORE = "core"
    SUBCONTRACTOR = "subcontractor"
    TRADER = "trader"
    BUYER = "buyer"


STAGE = {Role.SUPPLIER: 0, Role.CORE: 1, Role.SUBCONTRACTOR: 2, Role.TRADER: 3, Role.BUYER: 4}  # columns, left to right
ROLE_OF_TYPE = {  # a member's stakeholder type -> their box in the chain
    "supplier": Role.SUPPLIER,
    "core_firm": Role.CORE,
    "leading_firm": Role.CORE,
    "subcontractor": Role.SUBCONTRACTOR,
    "trader": Role.TRADER,
}
SUPPORTING_TYPES = ("bds_provider", "cooperative", "government", "university", "bank")  # the band beside the chain


@dataclass(frozen=True)
class Member:
    """An active member as the map reads them: who, their stakeholder type, their latest sent profile."""

    user_id: int
    name: str
    stakeholder_type: str | None
    profile: Mapping[str, Any] | None = None  # the firm profile's answers, None when not sent

    @property
    def role(self) -> Role | None:
        """Their box in the chain (None: a supporting institution, "other", or no type)."""
        return ROLE_OF_TYPE.get(self.stakeholder_type or "")


def _chosen(profile: Mapping[str, Any], question: str) -> set[str]:
    value = profile.get(question) or []
    picked = {str(v) for v in value} if isinstance(value, list) else {str(value)}
    return set() if NONE in picked else picked


# -- the value chain ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """One box of the picture: a chain role or a supporting kind, how many, and the names of a small one."""

    key: str  # a Role's value, or a supporting kind (bds_provider, bank, an outside supporter's kind)
    stage: int  # the column (0-4); -1 for the supporting band
    count: int
    names: tuple[str, ...] = ()  # only when count <= NAMED_UP_TO


@dataclass(frozen=True)
class Link:
    """An arrow between two chain boxes, weighted by how many firms named it."""

    source: str
    target: str
    weight: int


@dataclass(frozen=True)
class Chain:
    """The cluster's value chain: boxes left to right, the supporting band, and the weighted arrows."""

    boxes: tuple[Box, ...]
    supporting: tuple[Box, ...]
    links: tuple[Link, ...]
    profiles: int  # members whose sent profile gave the arrows
    unplaced: int  # members in no box ("other", or no stakeholder type)

    @property
    def total_weight(self) -> int:
        """Every (firm, arrow) naming: the sum of the arrows' weights."""
        return sum(link.weight for link in self.links)


def _box(key: str, stage: int, names: list[str]) -> Box:
    shown = tuple(sorted(names, key=str.casefold)) if len(names) <= NAMED_UP_TO else ()
    return Box(key, stage, len(names), shown)


def chain_links(members: Iterable[Member]) -> tuple[Link, ...]:
    """The arrows: a firm of role R that buys from X gives X → R, one that sells to Y gives R → Y; each firm
    counts once per arrow. Answers of members outside the chain's roles give no arrow."""
    named: Counter[tuple[str, str]] = Counter()
    for member in members:
        role = member.role
        if role is None or member.profile is None:
            continue
        arrows = {(source, role.value) for source in _chosen(member.profile, "buys_from") if source in set(Role)}
        arrows |= {(role.value, target) for target in _chosen(member.profile, "sells_to") if target in set(Role)}
        named.update(arrows)
    order = {role.value: place for place, role in enumerate(Role)}
    return tuple(
        Link(source, target, weight)
        for (source, target), weight in sorted(named.items(), key=lambda item: (order[item[0][0]], order[item[0][1]]))
    )


def build_chain(members: Iterable[Member], supporting: Iterable[tuple[str, str]]) -> Chain:
    """The chain from the members (their types and profiles) and the supporting institutions as ``(kind, name)``
    (the members of a supporting type and, later, the outside supporters). A chain role shows when it has
    members or an arrow; the buyers' box (no member type) only with an arrow."""
    everyone = list(members)
    by_role: dict[Role, list[str]] = {role: [] for role in Role}
    for member in everyone:
        if member.role is not None:
            by_role[member.role].append(member.name)
    links = chain_links(everyone)
    linked = {link.source for link in links} | {link.target for link in links}
    boxes = tuple(
        _box(role.value, STAGE[role], names) for role, names in by_role.items() if names or role.value in linked
    )
    kinds: dict[str, list[str]] = {}
    for kind, name in supporting:
        kinds.setdefault(kind, []).append(name)
    order = {kind: place for place, kind in enumerate(SUPPORTING_TYPES)}
    band = tuple(
        _box(kind, -1, names)
        for kind, names in sorted(kinds.items(), key=lambda item: (order.get(item[0], 99), item[0]))
    )
    supporting_types = set(SUPPORTING_TYPES)
    unplaced = sum(1 for m in everyone if m.role is None and (m.stakeholder_type or "") not in supporting_types)
    return Chain(boxes, band, links, sum(1 for m in everyone if m.profile is not None), unplaced)


def supporting_members(members: Iterable[Member]) -> list[tuple[str, str]]:
    """The members of a supporting type as ``(kind, name)``: the band's first source."""
    return [(m.stakeholder_type or "", m.name) for m in members if m.stakeholder_type in SUPPORTING_TYPES]


# -- figures --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TypeFigures:
    """One stakeholder type: members, sent profiles, and their workers (estimated from the ranges)."""

    stakeholder_type: str  # "" for members without a type
    members: int
    profiles: int
    family_workers: float
    paid_workers: float


@dataclass(frozen=True)
class Criteria:
    """The guideline's Step 1 criteria for choosing clusters, as this cluster's map has them."""

    core_firms: int  # concentration of core firms: core and leading firms among the members
    workers: int  # workforce: family and paid workers of the sent profiles (estimated)
    monthly_sales: float  # total sales, juta rupiah a month, from the ranges' values (an estimate)
    supporting: int  # supporting industry: suppliers, subcontractors and supporting institutions
    selling_outside: float | None  # marketability: share of profiles selling to other regions or abroad (0-1)
    exporting: float | None  # share of profiles exporting (0-1); None without profiles


@dataclass(frozen=True)
class MapFigures:
    """The cluster's map in figures (what a meeting's review keeps, too).

    ``links`` is the total weight of the chain's arrows: how many (firm, arrow) namings the sent profiles
    make; ``arrows`` is how many distinct arrows there are."""

    members: int
    firms: int  # members of a firm type (core, leading, supplier, subcontractor, trader)
    profiles: int  # members with a sent firm profile
    family_workers: int
    paid_workers: int
    links: int
    arrows: int
    by_type: tuple[TypeFigures, ...]
    sales: tuple[tuple[str, int], ...]  # each range of SALES_RANGES and how many profiles chose it
    markets: tuple[tuple[str, int], ...]  # each of MARKETS and how many profiles sell there
    criteria: Criteria

    @property
    def workers(self) -> int:
        """Family and paid workers together (estimated)."""
        return self.family_workers + self.paid_workers


def _workers(profile: Mapping[str, Any]) -> tuple[float, float]:
    return (
        FAMILY_WORKERS.get(str(profile.get("family_workers")), 0.0),
        PAID_WORKERS.get(str(profile.get("paid_workers")), 0.0),
    )


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def map_figures_of(members: Iterable[Member], supporting: Iterable[tuple[str, str]] | None = None) -> MapFigures:
    """The figures of the members and the supporting institutions as ``(kind, name)`` (None: the members of a
    supporting type, as ``figures.supporting_institutions`` gives them until outside supporters are added)."""
    everyone = list(members)
    profiled = [m for m in everyone if m.profile is not None]
    order = {kind: place for place, kind in enumerate(STAKEHOLDER_TYPES)}
    by_type = []
    for kind in sorted({m.stakeholder_type or "" for m in everyone}, key=lambda k: (order.get(k, 98), k)):
        of_kind = [m for m in everyone if (m.stakeholder_type or "") == kind]
        workers = [_workers(m.profile) for m in of_kind if m.profile is not None]
        by_type.append(
            TypeFigures(
                kind,
                len(of_kind),
                len(workers),
                sum(w[0] for w in workers),
                sum(w[1] for w in workers),
            )
        )
    sales = Counter(str(m.profile.get("monthly_sales")) for m in profiled if m.profile is not None)
    markets = Counter(market for m in profiled if m.profile is not None for market in _chosen(m.profile, "markets"))
    outside = sum(1 for m in profiled if m.profile is not None and _chosen(m.profile, "markets") - {"local"})
    family = round(sum(t.family_workers for t in by_type))
    paid = round(sum(t.paid_workers for t in by_type))
    chain = build_chain(everyone, supporting_members(everyone) if supporting is None else supporting)
    by_role = {box.key: box.count for box in chain.boxes}
    criteria = Criteria(
        core_firms=by_role.get(Role.CORE.value, 0),
        workers=family + paid,
        monthly_sales=sum(SALES_MIDPOINTS.get(str(m.profile.get("monthly_sales")), 0.0) for m in profiled if m.profile),
        supporting=by_role.get(Role.SUPPLIER.value, 0)
        + by_role.get(Role.SUBCONTRACTOR.value, 0)
        + sum(box.count for box in chain.supporting),
        selling_outside=_share(outside, len(profiled)),
        exporting=_share(markets["export"], len(profiled)),
    )
    return MapFigures(
        members=len(everyone),
        firms=sum(1 for m in everyone if m.role is not None),
        profiles=len(profiled),
        family_workers=family,
        paid_workers=paid,
        links=chain.total_weight,
        arrows=len(chain.links),
        by_type=tuple(by_type),
        sales=tuple((key, sales[key]) for key in SALES_RANGES),
        markets=tuple((key, markets[key]) for key in MARKETS),
        criteria=criteria,
    )


# -- buttons ----------------------------------------------------------------------------------------------
# map1:home · map1:chain · map1:table:<page> · map1:dl


class Step(StrEnum):
    """What a map button does (the word after ``map1:``)."""

    HOME = "home"  # the figures and the way to the chain
    CHAIN = "chain"  # the picture with its table's first page
    TABLE = "table"  # a page of the table version
    DOWNLOAD = "dl"  # the table as CSV and Excel


@dataclass(frozen=True)
class MapTap:
    """A tapped map button; ``page`` only for the table."""

    step: Step
    page: int | None = None


def parse_tap(data: str | None) -> MapTap | None:
    """The map button ``data`` stands for, or None (stale, forged, another flow's)."""
    parts = parse_callback(data, PREFIX) or [""]
    step = next((step for step in Step if step.value == parts[0]), None)
    rest = parts[1:]
    if step is None:
        return None
    if step is Step.TABLE:
        page = button_number(rest[0]) if len(rest) == 1 else None
        return MapTap(step, page) if page is not None else None
    return MapTap(step) if not rest else None


def tap_data(step: Step, *values: object) -> str:
    """The callback data of a map button (the inverse of ``parse_tap``)."""
    return callback_data(PREFIX, step.value, *values)
