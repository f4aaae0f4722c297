"""The value-chain picture for a generated cluster of 120 firms and for a small one.

Seeds a real SQLite file through the project's migrations: a cluster whose members have a realistic
mix of stakeholder types (most are core firms, then subcontractors, suppliers and traders, a few
supporting institutions and "other"), of whom about four in five sent the firm profile in a survey
round, with "buys from / sells to" answers drawn along the chain (suppliers sell to core firms, core
firms to traders and buyers, subcontractors work for core firms...). Then it reads the cluster's
chain and figures as the bot does (``conversations.cluster_map.figures``) and draws the picture
(``render_chain``), writes the PNGs to the folder given and prints the time and size of each. Run:

    .venv/bin/python benchmarks/value_chain.py /tmp/value-chain [firms]
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from conversations.cluster_map.figures import cluster_chain, map_figures
from conversations.cluster_map.picture import render_chain
from storage import clusters, forms, memberships, surveys, users
from storage.database import Database

NOW = datetime(2026, 12, 3, 3, 0, tzinfo=UTC)
MIX = {  # share of the members, by stakeholder type
    "core_firm": 0.50,
    "leading_firm": 0.04,
    "subcontractor": 0.18,
    "supplier": 0.12,
    "trader": 0.09,
    "bds_provider": 0.01,
    "cooperative": 0.01,
    "government": 0.01,
    "bank": 0.01,
    "university": 0.01,
    "other": 0.02,
}
# Whom each role buys from and sells to inside the cluster, and how likely each answer is.
BUYS = {
    "core": {"supplier": 0.8, "subcontractor": 0.4, "core": 0.15},
    "subcontractor": {"supplier": 0.5, "core": 0.3},
    "supplier": {"supplier": 0.1},
    "trader": {"core": 0.7, "subcontractor": 0.2},
}
SELLS = {
    "core": {"trader": 0.6, "buyer": 0.5, "core": 0.1},
    "subcontractor": {"core": 0.9},
    "supplier": {"core": 0.9, "subcontractor": 0.4},
    "trader": {"buyer": 0.9},
}
ROLE = {
    "core_firm": "core",
    "leading_firm": "core",
    "subcontractor": "subcontractor",
    "supplier": "supplier",
    "trader": "trader",
}


async def add_profile(
    tx, survey_round: surveys.Round, user_id: int, answers: dict, when: datetime, *, sent: bool = True
) -> None:
    """A firm profile of ``user_id`` in ``survey_round`` as the form dialog stores one (not sent: ``sent`` False)."""
    response = await forms.start_response(
        tx,
        form_id=survey_round.form_id,
        form_version=survey_round.form_version,
        subject=survey_round.subject,
        respondent_id=user_id,
        respondent_name=None,
        entered_by=user_id,
        now=when,
    )
    for question, value in answers.items():
        await forms.save_answer(tx, response.id, question, value, None, when)
    if sent:
        await forms.submit(tx, response.id, when)


async def open_profile_round(tx, cluster_id: int, opened_by: int, when: datetime, update_id: int) -> surveys.Round:
    """A survey round of the firm profile (its invitations left out)."""
    opened, _new = await surveys.open_round(
        tx,
        cluster_id=cluster_id,
        form_id="firm_profile",
        form_version=1,
        title="Profil usaha 2026",
        closes_at=None,
        opened_by=opened_by,
        now=when,
        source_update_id=update_id,
    )
    return opened


def _picked(rng: random.Random, odds: dict[str, float]) -> list[str]:
    return [role for role, chance in odds.items() if rng.random() < chance] or ["none"]


def generated_profile(rng: random.Random, kind: str) -> dict:
    """A plausible firm profile for a member of stakeholder type ``kind``."""
    role = ROLE.get(kind, "")
    return {
        "family_workers": rng.choice(["none", "one", "two", "two", "3_5"]),
        "paid_workers": rng.choices(["none", "1_4", "5_19", "20_99", "over_100"], [2, 5, 3, 1, 0.2])[0],
        "products": "Batik",
        "material_sources": rng.sample(["cluster", "regency", "other_province", "imported"], rng.randint(1, 2)),
        "markets": rng.sample(["local", "other_regions", "export"], rng.randint(1, 2)),
        "monthly_sales": rng.choices(["under_5m", "5m_15m", "15m_50m", "50m_200m", "over_200m"], [3, 4, 3, 1, 0.3])[0],
        "buys_from": _picked(rng, BUYS.get(role, {})),
        "sells_to": _picked(rng, SELLS.get(role, {})),
    }


async def seed_cluster(db: Database, firms: int, *, seed: int = 23, code: str = "CHAIN120") -> int:
    """A cluster of ``firms`` members with their types and (four in five) their firm profiles; its id."""
    rng = random.Random(seed)
    kinds = rng.choices(list(MIX), list(MIX.values()), k=firms)
    async with db.transaction() as tx:
        base = 10_000 + seed * 1_000
        await users.remember_user(tx, base, "Fasilitator", None, None, "id", NOW)
        cluster = await clusters.create_cluster(
            tx,
            name=f"Sentra Batik ({firms} usaha)",
            regency="Kota Pekalongan",
            province="Jawa Tengah",
            industry="batik",
            timezone="Asia/Jakarta",
            invite_code=code,
            created_by=base,
            full_name="Fasilitator",
            now=NOW,
            source_update_id=-base,
        )
        survey_round = await open_profile_round(tx, cluster.id, base, NOW, -base - 1)
        for n, kind in enumerate(kinds, start=1):
            uid = base + n
            await users.remember_user(tx, uid, f"Usaha {n}", None, None, "id", NOW)
            profile = {"full_name": f"Usaha {n}", "stakeholder_type": kind}
            await memberships.join_cluster(tx, cluster.id, uid, profile, NOW)
            if rng.random() < 0.8:
                await add_profile(tx, survey_round, uid, generated_profile(rng, kind), NOW)
    return cluster.id


async def measure(scratch: Path, firms: int) -> list[tuple[int, bytes, str]]:
    """Seed, read and draw the large and the small cluster: ``(firms, PNG, what it took)`` for each."""
    db = await Database.open(scratch / "chain.sqlite3")
    done = []
    try:
        for size, code in ((firms, "CHAINBIG"), (8, "CHAINSML")):
            cluster_id = await seed_cluster(db, size, seed=size, code=code)
            started = time.perf_counter()
            async with db.read() as conn:
                chain = await cluster_chain(conn, cluster_id)
                figures = await map_figures(conn, cluster_id)
            read = time.perf_counter() - started
            started = time.perf_counter()
            png = render_chain(chain, "id", f"Sentra Batik ({size} usaha)")
            drawn = time.perf_counter() - started
            said = (
                f"{size} firms: {figures.profiles} profiles, {len(chain.boxes)} boxes, "
                f"{len(chain.supporting)} supporting, {figures.arrows} arrows (weight {figures.links}); "
                f"read {read * 1000:.0f} ms, drawn {drawn * 1000:.0f} ms, {len(png) / 1024:.0f} KiB"
            )
            done.append((size, png, said))
    finally:
        await db.close()
    return done


def main(folder: Path, firms: int) -> None:
    """Write each picture to ``folder`` and say what it took."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for size, png, said in asyncio.run(measure(Path(scratch), firms)):
            path = folder / f"value-chain-{size}.png"
            path.write_bytes(png)
            print(f"{said} -> {path}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "value-chain"), int(sys.argv[2]) if len(sys.argv) > 2 else 120)
