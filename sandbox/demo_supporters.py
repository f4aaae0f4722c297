"""The demo cluster's supporters: the offices, providers, banks and trading partners a batik
cluster in Surakarta works with, confirmed, and one a member suggested (waiting)."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage import supporters

# (name, kind, services, contact, area, worked with)
CONFIRMED = (
    ("Dinas Koperasi dan UKM Kota Surakarta", "government", ("training", "legal_licensing"), "(0271) 642 024",
     "Surakarta", "Paguyuban Kampung Batik Laweyan"),
    ("Balai Besar Kerajinan dan Batik", "university", ("technology_testing", "training"), "(0274) 546 111",
     "Yogyakarta", "Batik Sari, Batik Mawar"),
    ("Universitas Sebelas Maret: Prodi Kriya Tekstil", "university", ("design", "training"), None,
     "Surakarta", None),
    ("Bank Jateng Cabang Surakarta (KUR)", "bank", ("finance",), "(0271) 633 011", "Surakarta", "Batik Sari"),
    ("Rumah BUMN Surakarta", "bds_provider", ("consulting", "marketing", "design"), None, "Surakarta", None),
    ("Kadin Kota Surakarta", "kadin", ("export", "marketing"), None, "Surakarta", None),
    ("Paguyuban Kampung Batik Laweyan", "association", ("marketing", "training"), None, "Laweyan", "hampir semua anggota"),
    ("UD Sumber Malam", "supplier", ("technology_testing",), "0812 2600 1234", "Pasar Klewer", "Sri, Agus"),
    ("Toko Grosir Batik Pasar Klewer", "buyer", ("marketing",), None, "Pasar Klewer", "Sri"),
)  # fmt: skip
SUGGESTED = ("Dinas Perdagangan Kota Surakarta (pelatihan ekspor)", "government", ("export",))


async def seed_supporters(
    tx: aiosqlite.Connection, cluster_id: int, facilitator_id: int, member_id: int, now: datetime
) -> None:
    """The demo cluster's supporters list (confirmed by its facilitator) and one member's suggestion."""
    for name, kind, services, contact, area, worked_with in CONFIRMED:
        fields = {"name": name, "kind": kind, "services": services, "contact": contact, "area": area,
                  "worked_with": worked_with}  # fmt: skip
        await supporters.add_supporter(tx, cluster_id, fields, "confirmed", facilitator_id, now, None)
    name, kind, services = SUGGESTED
    await supporters.add_supporter(
        tx, cluster_id, {"name": name, "kind": kind, "services": services}, "suggested", member_id, now, None
    )
