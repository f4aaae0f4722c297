"""A seeded year of one cluster's money: a budget with several sources and activities and some 130
entries (dues every month, grants, sponsors, sales, spending on every activity, reversals, a rejected
entry, one still waiting for the chair). The cash book the treasurer downloads adds up to the budget
versus actual exactly, per source, per activity and in the balance; the year's report PDF is written to
tests/artifacts/money-report.pdf (and /work/wt/money-report.pdf) for the closing note."""

from __future__ import annotations

import io
import random
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from bot.i18n import format_rupiah
from storage import action_plans, budgets, cash_book, memberships
from tests.e2e.chats import wait_for_kind
from tests.e2e.seed import seed_cluster

RINA, SARI, BUDI = (911, "Rina"), (912, "Sari Wulandari"), (913, "Budi Santoso")
MEMBERS = [(920 + i, name) for i, name in enumerate(("Dewi", "Eko", "Fajar", "Gita", "Hadi", "Intan"))]
ACTIVITIES = ("Pelatihan pewarna alam", "Studi banding ke Pekalongan", "Pameran batik daerah", "Katalog produk")
SOURCE_LABELS = {
    "initial": "Dana awal",
    "dues": "Iuran anggota",
    "apbd": "Pemerintah daerah (APBD)",
    "grant": "Hibah program",
    "sponsor": "Sponsor",
    "sales": "Penjualan kegiatan bersama",
    "other": "Pemasukan lain",
}
OTHER = "Lain-lain / umum"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
REPORT_COPY = Path("/work/wt/money-report.pdf")


async def _seed_year(db, now: datetime) -> tuple[int, dict[str, int], dict[str, int], int, dict[str, int]]:
    """The cluster, its plan, budget and year of entries; returns what the books must say, worked out here
    on its own: actual income per source label, actual spending per activity label, the balance, and the
    planned amounts by label."""
    seeded = await seed_cluster(db, now, facilitator=RINA, groups={}, others=[SARI, BUDI, *MEMBERS])
    cluster = seeded.cluster_id
    rng = random.Random(24)
    income: dict[str, int] = {}
    spending: dict[str, int] = {}
    count = 0
    async with db.transaction() as tx:
        await memberships.assign_position(tx, cluster, "treasurer", SARI[0], now, None)
        await memberships.assign_position(tx, cluster, "chair", BUDI[0], now, None)
        plan = await action_plans.create_plan(tx, cluster, "Batik pewarna alam", None, RINA[0], now)
        keys = {}
        for number, title in enumerate(ACTIVITIES):
            activity = await action_plans.add_activity(
                tx, plan.id, title, f"2026-{2 + 2 * number:02d}-01", f"2026-{3 + 2 * number:02d}-28"
            )
            keys[title] = f"activity:{activity.id}"
        await action_plans.set_status(tx, plan.id, "draft", "published", now)
        planned = {
            "Dana awal": 5_000_000,
            "Iuran anggota": 3_600_000,
            "Pemerintah daerah (APBD)": 25_000_000,
            "Hibah program": 15_000_000,
            "Sponsor": 7_500_000,
            "Penjualan kegiatan bersama": 4_000_000,
            "Pelatihan pewarna alam": 12_000_000,
            "Studi banding ke Pekalongan": 18_000_000,
            "Pameran batik daerah": 15_000_000,
            "Katalog produk": 6_500_000,
            OTHER: 3_000_000,
        }
        by_label = {label: source for source, label in SOURCE_LABELS.items()}
        for label, amount in planned.items():
            if label in by_label:
                await budgets.set_line(tx, cluster, 2026, "income", by_label[label], amount, SARI[0], now)
            else:
                await budgets.set_line(tx, cluster, 2026, "spending", keys.get(label, "other"), amount, SARI[0], now)
        await budgets.set_threshold(tx, cluster, 10_000_000, RINA[0], now)

        async def record(direction, amount, day, purpose, source=None, activity=None, status="recorded"):
            nonlocal count
            count += 1
            entry, _new = await cash_book.record_entry(
                tx,
                cluster,
                direction=direction,
                amount=amount,
                occurred_on=day,
                purpose=purpose,
                recorded_by=SARI[0],
                now=now,
                source=source,
                activity_key=keys.get(activity) if activity else None,
                receipt_file_id=f"receipt-{count}" if count % 3 else None,
                status=status,
            )
            if status == "recorded":
                if direction == "income":
                    income[SOURCE_LABELS[source]] = income.get(SOURCE_LABELS[source], 0) + amount
                else:
                    spending[activity or OTHER] = spending.get(activity or OTHER, 0) + amount
            return entry

        async def reverse(entry, day):
            nonlocal count
            count += 1
            await cash_book.reverse_entry(
                tx, entry, occurred_on=day, purpose=f"Koreksi #{entry.id}", recorded_by=SARI[0], now=now
            )
            label = SOURCE_LABELS[entry.source] if entry.direction == "income" else None
            target = income if label else spending
            key = label or next((t for t, k in keys.items() if k == entry.activity_key), OTHER)
            target[key] -= entry.amount

        await record("income", 5_000_000, date(2026, 1, 5), "Dana awal dari anggota pendiri", source="initial")
        for month in range(1, 12):
            for _uid, name in MEMBERS:
                await record("income", 50_000, date(2026, month, 10), f"Iuran {name} bulan {month}", source="dues")
        await record("income", 9_500_000, date(2026, 3, 2), "Bantuan Dinas Koperasi tahap 1", source="apbd")
        await record("income", 9_500_000, date(2026, 8, 3), "Bantuan Dinas Koperasi tahap 2", source="apbd")
        await record("income", 6_000_000, date(2026, 5, 12), "Hibah program tahap 1", source="grant")
        await record("income", 2_500_000, date(2026, 6, 20), "Sponsor bank daerah", source="sponsor")
        await record("income", 1_000_000, date(2026, 9, 1), "Sponsor toko kain", source="sponsor")
        for month in (4, 6, 9, 10):
            await record("income", rng.randrange(300, 900) * 1_000, date(2026, month, 25), "Penjualan pameran", "sales")
        wrong_sponsor = await record("income", 1_500_000, date(2026, 7, 7), "Sponsor salah catat", source="sponsor")
        await reverse(wrong_sponsor, date(2026, 7, 9))
        day = date(2026, 1, 15)
        while day < date(2026, 11, 20):
            activity = rng.choice([*ACTIVITIES, None])
            amount = rng.randrange(5, 50) * 10_000
            entry = await record("spending", amount, day, f"Belanja {activity or 'umum'}", activity=activity)
            if rng.random() < 0.06:
                await reverse(entry, day + timedelta(days=1))
            day += timedelta(days=rng.choice((3, 4, 5)))
        await record("spending", 450_000, date(2026, 11, 3), "Konsumsi rapat", activity=None)
        # Over the threshold: the chair rejects one and confirms the other.
        for amount, day, purpose, activity, decision in (
            (14_000_000, date(2026, 10, 1), "Sewa stan yang batal", "Pameran batik daerah", "rejected"),
            (11_000_000, date(2026, 10, 5), "Bus studi banding", "Studi banding ke Pekalongan", "recorded"),
        ):
            waiting = await record("spending", amount, day, purpose, activity=activity, status="pending")
            await cash_book.decide_entry(tx, waiting.id, decision, BUDI[0], now)
            if decision == "recorded":
                spending[activity] = spending.get(activity, 0) + amount
        await record(
            "income", 12_000_000, date(2026, 11, 18), "Hibah program tahap 2", source="grant", status="pending"
        )
    balance = sum(income.values()) - sum(spending.values())
    assert count >= 100
    return cluster, income, spending, balance, planned


def _sums(rows, value_column: int, label_column: int) -> dict[str, int]:
    sums: dict[str, int] = {}
    for row in rows:
        if row[value_column] is not None and row[8] == "tercatat":
            sums[row[label_column]] = sums.get(row[label_column], 0) + row[value_column]
    return sums


async def test_a_seeded_year_gives_a_cash_book_whose_totals_match_budget_versus_actual(emulator, clocked_bot, clock):
    for uid, name in (RINA, SARI, BUDI, *MEMBERS):
        emulator.user(uid, name, language_code="id")
    clock.set(datetime(2026, 12, 31, 3, 0, tzinfo=UTC))  # 31 Dec 2026, 10.00 WIB
    db = clocked_bot.application.services.db
    cluster, income, spending, balance, planned = await _seed_year(db, clock.now())
    sari = emulator.users[SARI[0]]
    home = await sari.ask("/kas")
    assert f"Saldo: {format_rupiah(balance, 'id')}" in home.text and "Menunggu ketua: 1" in home.text
    await sari.press("⬇️ Buku kas (Excel)")
    workbook = load_workbook(io.BytesIO((await wait_for_kind(sari, "document")).document))
    book_sheet, budget_sheet = workbook.worksheets
    rows = list(book_sheet.iter_rows(values_only=True))
    header, opening, entries, total = rows[0], rows[1], rows[2:-1], rows[-1]
    assert header[5:9] == ("Masuk", "Keluar", "Saldo", "Keadaan") and opening[7] == 0
    assert len(entries) >= 100
    assert {row[8] for row in entries} == {"tercatat", "ditolak", "menunggu ketua"}

    # The cash book's own sums, per source and per activity, from its recorded rows.
    book_income = _sums(entries, 5, 4)
    book_spending = _sums(entries, 6, 3)
    assert book_income == income and book_spending == spending
    assert total[5:8] == (sum(income.values()), sum(spending.values()), balance)
    assert entries[-1][7] == balance  # the running balance ends where the totals say

    # Budget versus actual, as the same workbook states it.
    comparison = list(budget_sheet.iter_rows(values_only=True))[1:]
    actual_in = {r[0]: r[3] for r in comparison if r[1] == "Pemasukan" and not r[0].startswith("Jumlah")}
    actual_out = {r[0]: r[3] for r in comparison if r[1] == "Pengeluaran" and not r[0].startswith("Jumlah")}
    planned_of = {r[0]: r[2] for r in comparison if r[1] and not r[0].startswith("Jumlah")}
    assert {k: v for k, v in actual_in.items() if v} == book_income
    assert {k: v for k, v in actual_out.items() if v} == book_spending
    assert {k: v for k, v in planned_of.items() if v} == planned
    totals = {r[0]: r for r in comparison if r[0].startswith("Jumlah")}
    assert totals["Jumlah pemasukan"][3] == total[5] and totals["Jumlah pengeluaran"][3] == total[6]
    assert comparison[-1][0] == "Saldo" and comparison[-1][3] == balance
    async with db.read() as conn:
        stored = await cash_book.entries_between(conn, cluster, date(2026, 1, 1), date(2026, 12, 31))
    assert len(entries) == len(stored)

    # The year's report, for the closing note.
    await sari.ask("/kas")
    await sari.press("📄 Laporan (PDF)")
    await sari.press("Tahun ini")
    report = await wait_for_kind(sari, "document", count=2)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "money-report.pdf").write_bytes(report.document)
    if REPORT_COPY.parent.is_dir():
        shutil.copyfile(ARTIFACTS / "money-report.pdf", REPORT_COPY)
    reader = PdfReader(io.BytesIO(report.document))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Laporan kas · Sentra Batik Laweyan" in text and "1 Jan 2026" in text
    assert format_rupiah(sum(income.values()), "id") in text and format_rupiah(balance, "id") in text
    assert "( Budi Santoso )" in text and "( Sari Wulandari )" in text and "Kota Surakarta, Kamis, 31 Des 2026" in text
