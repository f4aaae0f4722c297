"""The firm list end to end: importing a file with broken rows, adding a firm, seeing who joined, downloading."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from storage import firms
from tests.e2e.chats import wait_for
from tests.e2e.menus import open_entry
from tests.e2e.seed import seed_cluster

FACILITATOR = (701, "Bu Fasil")
MEMBERS = [(711, "Batik Sari")]


async def _seed(db, clock, emulator):
    for uid, name in [FACILITATOR, *MEMBERS]:
        emulator.user(uid, name, language_code="en")
    return await seed_cluster(db, clock.now(), facilitator=FACILITATOR, groups={"Utara": MEMBERS}, language="en")


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_import_with_broken_rows_reports_them_and_stores_the_good_ones(emulator, clocked_bot, clock):
    db = clocked_bot.application.services.db
    seeded = await _seed(db, clock, emulator)
    fac = emulator.user(*FACILITATOR)
    await fac.ask("/menu")
    reply = await open_entry(fac, "👥 Members", "Firm list")
    assert "No firms yet" in reply.text
    await fac.press("⬆️ Import CSV/Excel")
    data = "Nama;Desa;Usaha;Jenis;Kontak\nBatik Sari;Laweyan;batik tulis;Perusahaan inti;0812 1\n;Kauman;;;\nTenun Jaya;Troso;tenun;alien;\nKoperasi Maju;Laweyan;simpan pinjam;koperasi;\n"
    await fac.send_document(data.encode(), "firms.csv")
    listing = await wait_for(fac, "Firm list")
    report = fac.bot_messages[-2]
    assert "2 firms imported" in report.text
    assert "Row 3: the name is empty" in report.text and "Row 4: unknown stakeholder type" in report.text
    assert "(2 firms, 1 joined)" in listing.text
    assert (
        "✅ Batik Sari (Laweyan · batik tulis)" in listing.text and "▫️ Koperasi Maju" in listing.text
    )  # a member is named Batik Sari
    async with db.read() as conn:
        stored = await firms.list_firms(conn, seeded.cluster_id)
    assert [(f.name, f.stakeholder_type) for f in stored] == [
        ("Batik Sari", "core_firm"),
        ("Koperasi Maju", "cooperative"),
    ]


async def test_a_file_with_the_wrong_columns_is_refused_naming_the_expected_ones(emulator, clocked_bot, clock):
    await _seed(clocked_bot.application.services.db, clock, emulator)
    fac = emulator.user(*FACILITATOR)
    await fac.ask("/menu")
    await open_entry(fac, "👥 Members", "Firm list")
    await fac.press("⬆️ Import CSV/Excel")
    await fac.send_document(_xlsx([["Produk", "Alamat"], ["kain", "Jl. Mawar"]]), "list.xlsx")
    reply = await wait_for(fac, "does not have the columns")
    assert "Name, Village, Business, Stakeholder type, Contact" in reply.text and "Produk, Alamat" in reply.text
    await fac.send_document(_xlsx([["Name", "Village"], ["UD Sentosa", "Troso"]]), "list.xlsx")
    await wait_for(fac, "Firm list")
    assert "1 firm imported" in fac.bot_messages[-2].text


async def test_facilitator_adds_a_firm_that_joined_and_downloads_the_list(emulator, clocked_bot, clock):
    await _seed(clocked_bot.application.services.db, clock, emulator)
    fac = emulator.user(*FACILITATOR)
    await fac.ask("/menu")
    await open_entry(fac, "👥 Members", "Firm list")
    await fac.press("➕ Add a firm")
    await fac.ask("batik sari")
    await fac.ask("Laweyan")
    await fac.ask("batik cap")
    await fac.press("Core firm")
    await fac.press("Skip")
    listing = await wait_for(fac, "Firm list")
    assert "✅ batik sari (Laweyan · batik cap)" in listing.text
    await fac.press("⬇️ Download CSV")
    document = await wait_for(fac, "")
    for _ in range(50):
        document = fac.last()
        if document.kind == "document":
            break
        await fac.wait_reply()
    rows = list(csv.reader(io.StringIO(document.document.decode("utf-8-sig"))))
    assert rows[0] == ["Name", "Village", "Business", "Stakeholder type", "Contact", "Joined"]
    assert rows[1] == ["batik sari", "Laweyan", "batik cap", "Core firm", "", "yes"]
