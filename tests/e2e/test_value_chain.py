"""The value chain end to end: the facilitator gets the picture (a PNG) and its table version, whose
counts and weights are the members' types and "buys from / sells to" answers; downloads; the
committee sees the cluster's Step 1 criteria and its chain, and the chain is in its report."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from benchmarks.value_chain import add_profile, open_profile_round
from storage import committees, memberships, supporters, users
from tests.e2e.chats import wait_for, wait_for_kind
from tests.e2e.conftest import ADMIN_ID
from tests.e2e.seed import seed_cluster
from tests.pdf_checks import images

FACILITATOR = (701, "Bu Fasil")
MEMBERS = [
    (711, "Ani"),
    (712, "Bayu"),
    (713, "Citra"),
    (714, "Dodi"),
    (715, "Eko"),
    (716, "Fajar"),
    (717, "Bank Jateng"),
]
TYPES = {
    711: "core_firm",
    712: "core_firm",
    713: "leading_firm",
    714: "supplier",
    715: "subcontractor",
    716: "trader",
    717: "bank",
}
ANSWERS = {  # who buys from and sells to whom inside the cluster
    711: (["supplier"], ["trader"]),
    712: (["supplier", "subcontractor"], ["trader", "buyer"]),
    714: (["none"], ["core"]),
    716: (["core"], ["buyer"]),
}


def _profile(buys: list[str], sells: list[str]) -> dict:
    return {
        "family_workers": "two",
        "paid_workers": "5_19",
        "products": "Batik",
        "material_sources": ["regency"],
        "markets": ["local", "other_regions"],
        "monthly_sales": "15m_50m",
        "buys_from": buys,
        "sells_to": sells,
    }


async def _seed(bot, clock, emulator):
    for uid, name in [FACILITATOR, *MEMBERS]:
        emulator.user(uid, name, language_code="id")
    emulator.user(ADMIN_ID, "Admin", language_code="id")
    db = bot.application.services.db
    now = clock.now()
    seeded = await seed_cluster(db, now, facilitator=FACILITATOR, groups={"Grup A": MEMBERS})
    async with db.transaction() as tx:
        for uid, kind in TYPES.items():
            await memberships.update_profile(tx, seeded.cluster_id, uid, {"stakeholder_type": kind})
        survey_round = await open_profile_round(tx, seeded.cluster_id, FACILITATOR[0], now, -8001)
        for uid, (buys, sells) in ANSWERS.items():
            await add_profile(tx, survey_round, uid, _profile(buys, sells), now)
        # Outside the membership: an institution joins the band; an outside buyer stays on the list only.
        for name, kind in (("Kadin Kota Surakarta", "kadin"), ("Toko Grosir Klewer", "buyer")):
            fields = {"name": name, "kind": kind, "services": ["marketing"]}
            await supporters.add_supporter(tx, seeded.cluster_id, fields, "confirmed", FACILITATOR[0], now, None)
        await users.remember_user(tx, ADMIN_ID, "Admin", None, None, "id", now)
        committee, _new = await committees.create_committee(
            tx,
            name="FEDEP Surakarta",
            level="district",
            timezone="Asia/Jakarta",
            invite_code="FEDEPSKA",
            created_by=ADMIN_ID,
            now=now,
            source_update_id=-8002,
        )
        await committees.toggle_cluster(tx, committee.id, seeded.cluster_id)
    return seeded


async def test_the_facilitator_gets_the_value_chain_as_a_picture_a_table_and_downloads(emulator, clocked_bot, clock):
    bot = clocked_bot
    await _seed(bot, clock, emulator)
    fac = emulator.user(*FACILITATOR)
    await fac.ask("/map")
    await fac.press("🔗 Rantai nilai")
    photo = await wait_for_kind(fac, "photo", timeout=15)
    image = Image.open(io.BytesIO(photo.photo))
    assert image.format == "PNG" and image.size == (1200, 800) and 20_000 < len(photo.photo) < 400_000
    assert "Rantai nilai Sentra Batik Laweyan" in photo.text and "4 profil terkirim" in photo.text
    table = await wait_for(fac, "(sebagai teks)")
    lines = table.text.splitlines()
    # The boxes: members by type (core and leading firms together), names for small boxes.
    assert "Pemasok bahan baku: 1 anggota: Dodi" in lines
    assert "Perusahaan inti: 3 anggota: Ani, Bayu, Citra" in lines
    assert "Subkontraktor: 1 anggota: Eko" in lines
    assert "Pedagang dan pengepul: 1 anggota: Fajar" in lines
    assert "Pembeli: tidak ada di antara anggota" in lines  # no member is a buyer; arrows reach them
    assert "Pendukung: Bank (1): Bank Jateng" in lines
    assert "Pendukung: Kadin (Kamar Dagang dan Industri) (1): Kadin Kota Surakarta" in lines
    assert "Klewer" not in table.text
    # The arrows, each weighted by the firms naming it: Ani, Bayu buy from suppliers and Dodi sells to core firms.
    assert "Pemasok bahan baku → Perusahaan inti: disebut oleh 3 usaha" in lines
    assert "Subkontraktor → Perusahaan inti: disebut oleh 1 usaha" in lines
    assert "Perusahaan inti → Pedagang dan pengepul: disebut oleh 3 usaha" in lines  # Ani, Bayu; Fajar buys from them
    assert "Perusahaan inti → Pembeli: disebut oleh 1 usaha" in lines
    assert "Pedagang dan pengepul → Pembeli: disebut oleh 1 usaha" in lines
    assert sum("→" in line for line in lines) == 5
    assert "1 anggota tidak punya tempat di rantai" in table.text  # the facilitator, without a type

    await fac.press("⬇️ Unduh Excel / CSV")
    await wait_for_kind(fac, "document", count=2)
    files = {m.filename.rsplit(".", 1)[1]: m.document for m in fac.bot_messages if m.kind == "document"}
    rows = list(csv.reader(io.StringIO(files["csv"].decode("utf-8-sig"))))
    assert rows[0] == ["Bagian", "Dari kotak", "Ke kotak", "Jumlah", "Nama"]
    arrows = {(r[1], r[2]): int(r[3]) for r in rows[1:] if r[0] == "Panah"}
    assert arrows[("Pemasok bahan baku", "Perusahaan inti")] == 3 and sum(arrows.values()) == 9
    sheet = list(load_workbook(io.BytesIO(files["xlsx"])).active.iter_rows(values_only=True))
    assert len(sheet) == len(rows) and ("Kotak", "Perusahaan inti", None, 3, "Ani, Bayu, Citra") in sheet


async def test_the_committee_compares_its_clusters_maps_and_its_report_carries_the_chain(emulator, clocked_bot, clock):
    bot = clocked_bot
    await _seed(bot, clock, emulator)
    admin = emulator.users[ADMIN_ID]
    await admin.ask("/committee")
    await admin.press("🏛 FEDEP Surakarta")
    await admin.press("🗺 Peta klaster")
    photo = await wait_for_kind(admin, "photo", timeout=15)
    assert Image.open(io.BytesIO(photo.photo)).format == "PNG" and photo.text == "Sentra Batik Laweyan"
    criteria = next(m for m in admin.bot_messages if "peta klaster" in m.text)
    assert "Sentra Batik Laweyan (profil usaha 4/6)" in criteria.text
    assert "perusahaan inti 3" in criteria.text and "pekerja ≈56" in criteria.text  # 4 × (2 family + 12 paid)
    assert "penjualan ≈Rp 130 juta sebulan" in criteria.text  # 4 × 32,5
    assert "industri pendukung 4" in criteria.text  # the supplier, the subcontractor, the bank, Kadin (outside)
    assert "menjual ke luar daerah 100%, ekspor 0%" in criteria.text

    await admin.ask("/committee")
    await admin.press("🏛 FEDEP Surakarta")
    await admin.press("📄 Laporan triwulan")
    pdf = await wait_for_kind(admin, "document", timeout=30)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf.document)).pages]
    cluster_page = next(page for page in pages if page.startswith("Sentra Batik Laweyan"))
    assert "Rantai nilai" in cluster_page
    assert images(pdf.document) == 2  # the clusters side by side, and the cluster's value chain
