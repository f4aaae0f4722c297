"""The cluster's cash book end to end, in Indonesian: the treasurer records income and spending with a
receipt's photo, corrects one by reversal, an entry over the threshold waits for the chair, members see
the balance and the monthly summary, the monthly report comes once through the outbox (not to who muted
announcements, not again after a restart), the downloads read back, and a restart mid-entry resumes."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook
from pypdf import PdfReader

from storage import action_plans, broadcasts, budgets, cash_book, memberships
from storage import reminders as due_messages
from storage.annual_plans import plan_activities
from tests.e2e.chats import wait_for, wait_for_kind
from tests.e2e.menus import open_entry
from tests.e2e.seed import seed_cluster
from tests.e2e.taps import quiet, refused

RINA, SARI, BUDI, DEWI, EKO = (901, "Rina"), (902, "Sari"), (903, "Budi"), (904, "Dewi"), (905, "Eko")
PHOTO = b"\xff\xd8\xff\xe0" + b"kuitansi kain mori" * 30


async def _seed(bot, clock, emulator) -> int:
    """Rina facilitates; Sari is the board's treasurer, Budi its chair; Dewi and Eko are members; one plan."""
    for uid, name in (RINA, SARI, BUDI, DEWI, EKO):
        emulator.user(uid, name, language_code="id")
    db = bot.application.services.db
    seeded = await seed_cluster(db, clock.now(), facilitator=RINA, groups={}, others=[SARI, BUDI, DEWI, EKO])
    async with db.transaction() as tx:
        await memberships.assign_position(tx, seeded.cluster_id, "treasurer", SARI[0], clock.now(), None)
        await memberships.assign_position(tx, seeded.cluster_id, "chair", BUDI[0], clock.now(), None)
        plan = await action_plans.create_plan(tx, seeded.cluster_id, "Pewarna alam", None, RINA[0], clock.now())
        await action_plans.add_activity(tx, plan.id, "Pelatihan pewarna", "2026-11-01", "2027-02-28")
        await action_plans.set_status(tx, plan.id, "draft", "published", clock.now())
    return seeded.cluster_id


async def _record(person, kind: str, day: str | None, amount: str, purpose: str, source: str | None, activity: str):
    """Go through the steps of a new entry up to its review (no receipt)."""
    await person.ask("/kas")
    await person.press(kind)
    if day is None:
        await person.press("Hari ini")
    else:
        await person.ask(day)
    await person.ask(amount)
    await person.ask(purpose)
    if source:
        await person.press(source)
    await person.press(activity)
    return await person.press("Lewati")


async def test_treasurer_records_income_and_spending_with_a_receipt_photo(emulator, clocked_bot, clock):
    cluster_id = await _seed(clocked_bot, clock, emulator)
    sari = emulator.users[SARI[0]]
    home = await sari.ask("/kas")
    assert "Kas klaster" in home.text and "Saldo: <b>Rp 0</b>" in home.html and "Bendahara: Sari" in home.text
    await sari.press("➕ Pemasukan")
    reply = await sari.press("Hari ini")
    assert "Tanggal: Senin, 23 Nov 2026" in reply.text
    reply = await sari.ask("1,5 juta")
    assert "Jumlah: Rp 1.500.000" in reply.text
    await sari.ask("Dana awal dari dinas")
    await sari.press("Dana awal")
    reply = await sari.press("Lain-lain / umum")
    assert "foto kuitansi" in reply.text
    photo = await sari.send_photo(PHOTO)
    review = await wait_for(sari, "Periksa catatan")
    assert "Pemasukan: Rp 1.500.000" in review.text and "Kuitansi: foto terlampir" in review.text
    saved = await sari.press("✅ Simpan")
    assert "tersimpan" in saved.text and "Saldo: Rp 1.500.000" in saved.text
    await sari.ask("/kas")
    await sari.press("➖ Pengeluaran")
    await sari.ask("20/11/2026")
    reply = await sari.ask("250.000")
    assert "Jumlah: Rp 250.000" in reply.text
    reply = await sari.ask("Kain mori untuk pelatihan")
    assert "Pelatihan pewarna" in [label for row in reply.buttons for label in row]
    await sari.press("Pelatihan pewarna")
    reply = await sari.press("Lewati")
    assert "Kegiatan: Pelatihan pewarna" in reply.text and "Kuitansi: tidak ada" in reply.text
    saved = await sari.press("✅ Simpan")
    assert "Saldo: Rp 1.250.000" in saved.text
    async with clocked_bot.application.services.db.read() as conn:
        book = await cash_book.entries_between(conn, cluster_id, date(2026, 1, 1), date(2026, 12, 31))
    assert [(e.direction, e.amount, e.source, e.status) for e in book] == [
        ("spending", 250_000, None, "recorded"),
        ("income", 1_500_000, "initial", "recorded"),
    ]
    assert book[1].receipt_file_id == photo["photo"][-1]["file_id"] and book[0].activity_key.startswith("activity:")


async def test_a_correction_is_a_reversal_and_the_corrected_entry_follows(emulator, clocked_bot, clock):
    cluster_id = await _seed(clocked_bot, clock, emulator)
    sari = emulator.users[SARI[0]]
    await _record(sari, "➕ Pemasukan", None, "2.000.000", "Hibah", "Hibah program", "Lain-lain / umum")
    await sari.press("✅ Simpan")
    await _record(sari, "➖ Pengeluaran", None, "350.000", "Sewa tenda", None, "Pelatihan pewarna")
    await sari.press("✅ Simpan")
    await sari.press("◀ Kas klaster")
    listing = await sari.press("📒 Catatan kas")
    assert "Rp 350.000 · Sewa tenda" in listing.text
    spending_id = max(e.id for e in await _book(clocked_bot, cluster_id))
    await sari.press(f"#{spending_id}")
    confirm = await sari.press("↩️ Batalkan catatan ini")
    assert f"Batalkan catatan #{spending_id}?" in confirm.text
    done = await sari.press("Ya, batalkan")
    assert f"membatalkan catatan #{spending_id}" in done.text
    await sari.press("➕ Catat yang benar")
    await sari.press("Hari ini")
    await sari.ask("300.000")
    await sari.ask("Sewa tenda")
    await sari.press("Pelatihan pewarna")
    await sari.press("Lewati")
    saved = await sari.press("✅ Simpan")
    assert "Saldo: Rp 1.700.000" in saved.text
    book = await _book(clocked_bot, cluster_id)
    assert [e.amount for e in book] == [2_000_000, 350_000, -350_000, 300_000]
    assert book[2].reverses_id == book[1].id
    await sari.ask("/kas")
    await sari.press("📒 Catatan kas")
    card = await sari.press(f"#{spending_id}")
    assert f"Dibatalkan oleh catatan #{book[2].id}" in card.text and "↩️ Batalkan catatan ini" not in str(card.buttons)


async def _book(bot, cluster_id):
    async with bot.application.services.db.read() as conn:
        return await cash_book.entries_between(conn, cluster_id, date(2026, 1, 1), date(2026, 12, 31))


async def test_an_entry_over_the_threshold_waits_for_the_chair_then_counts(emulator, clocked_bot, clock):
    cluster_id = await _seed(clocked_bot, clock, emulator)
    rina, sari, budi, dewi = (emulator.users[p[0]] for p in (RINA, SARI, BUDI, DEWI))
    await rina.ask("/kas")
    await rina.press("⚖️ Batas konfirmasi")
    reply = await rina.ask("5.000.000")
    assert "Catatan di atas Rp 5.000.000 menunggu konfirmasi ketua" in reply.text
    review = await _record(
        sari, "➕ Pemasukan", None, "12.000.000", "Dana APBD", "Pemerintah daerah (APBD)", "Lain-lain / umum"
    )
    assert "di atas batas klaster" in review.text
    saved = await sari.press("✅ Simpan")
    assert "menunggu konfirmasi ketua" in saved.text and "Saldo: Rp 0" in saved.text
    notice = await wait_for(budi, "menunggu konfirmasi Anda")
    assert "Rp 12.000.000" in notice.text and "Dicatat oleh Sari" in notice.text
    (entry,) = await _book(clocked_bot, cluster_id)
    assert "Hanya ketua" in await refused(clocked_bot, dewi, f"kb1:ok:{entry.id}", on=await dewi.ask("/kas"))
    done = await budi.press("✅ Konfirmasi")
    assert f"Catatan #{entry.id} dikonfirmasi" in done.text
    told = await wait_for(sari, "dikonfirmasi")  # the treasurer hears the chair's decision
    assert f"Catatan #{entry.id} dikonfirmasi" in told.text
    home = await sari.ask("/kas")
    assert "Saldo: Rp 12.000.000" in home.text
    assert budi.message(notice.message_id).buttons == []  # the notice now says the decision, no more buttons
    assert [(e.status, e.amount) for e in await _book(clocked_bot, cluster_id)] == [("recorded", 12_000_000)]


async def test_a_member_sees_the_balance_and_summary_and_gets_the_role_message_on_a_treasurers_button(
    emulator, clocked_bot, clock
):
    await _seed(clocked_bot, clock, emulator)
    sari, dewi = emulator.users[SARI[0]], emulator.users[DEWI[0]]
    await _record(sari, "➕ Pemasukan", None, "750.000", "Iuran November", "Iuran anggota", "Lain-lain / umum")
    await sari.press("✅ Simpan")
    await dewi.ask("/menu")
    home = await open_entry(dewi, "🏛 Organisasi", "💰 Kas klaster")
    assert "Saldo: Rp 750.000" in home.text and "Bulan ini: masuk Rp 750.000 · keluar Rp 0" in home.text
    assert "➕ Pemasukan" not in str(home.buttons)
    summary = await dewi.press("📊 Ringkasan bulanan")
    assert "November 2026: masuk Rp 750.000" in summary.text and "Oktober 2026: masuk Rp 0" in summary.text
    answer = await refused(clocked_bot, dewi, "kb1:in", on=home)
    assert answer.startswith("Hanya bendahara atau fasilitator")


async def test_the_monthly_report_reaches_members_once_not_the_muted_and_not_again_after_a_restart(
    emulator, clocked_bot, clock
):
    cluster_id = await _seed(clocked_bot, clock, emulator)
    sari, dewi, eko = (emulator.users[p[0]] for p in (SARI, DEWI, EKO))
    await _record(sari, "➕ Pemasukan", "2/11/2026", "1.000.000", "Dana awal", "Dana awal", "Lain-lain / umum")
    await sari.press("✅ Simpan")
    await _record(sari, "➖ Pengeluaran", None, "400.000", "Kain", None, "Pelatihan pewarna")
    await sari.press("✅ Simpan")
    async with clocked_bot.application.services.db.transaction() as tx:
        await broadcasts.set_muted(tx, cluster_id, EKO[0], True, clock.now())
    clock.set(datetime(2026, 12, 1, 1, 1, tzinfo=UTC))  # 1 Dec, 08.01 WIB
    clocked_bot.application.services.reminders.wake()
    report = await wait_for(dewi, "Laporan kas November 2026")
    assert "Pemasukan: Rp 1.000.000" in report.text and "Saldo akhir: Rp 600.000" in report.text
    await quiet(clocked_bot)
    await clocked_bot.restart()
    clocked_bot.application.services.reminders.wake()
    await quiet(clocked_bot)
    assert sum("Laporan kas November" in m.text for m in dewi.bot_messages) == 1
    assert sum("Laporan kas November" in m.text for m in sari.bot_messages) == 1
    assert not any("Laporan kas" in m.text for m in eko.bot_messages)
    async with clocked_bot.application.services.db.read() as conn:
        december = await due_messages.get_by_key(conn, f"books:{cluster_id}:report:2026-12")
    assert december is not None and december.due_at == datetime(2027, 1, 1, 1, 0, tzinfo=UTC)


async def test_the_cash_book_and_the_report_download_and_read_back(emulator, clocked_bot, clock):
    await _seed(clocked_bot, clock, emulator)
    sari = emulator.users[SARI[0]]
    await _record(sari, "➕ Pemasukan", "3/11/2026", "5.000.000", "Sponsor bank", "Sponsor", "Lain-lain / umum")
    await sari.press("✅ Simpan")
    await _record(sari, "➖ Pengeluaran", None, "1.250.000", "Narasumber", None, "Pelatihan pewarna")
    await sari.press("✅ Simpan")
    await sari.press("◀ Kas klaster")
    await sari.press("⬇️ Buku kas (Excel)")
    sheet_message = await wait_for_kind(sari, "document")
    book = load_workbook(io.BytesIO(sheet_message.document))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("Tanggal", "No.", "Keperluan", "Kegiatan", "Sumber", "Masuk", "Keluar", "Saldo", "Keadaan")
    assert rows[2][2:] == ("Sponsor bank", "Lain-lain / umum", "Sponsor", 5_000_000, None, 5_000_000, "tercatat")
    assert rows[3][3] == "Pelatihan pewarna" and rows[3][6:8] == (1_250_000, 3_750_000)
    assert rows[-1][2] == "Jumlah" and rows[-1][5:8] == (5_000_000, 1_250_000, 3_750_000)
    await sari.ask("/kas")
    await sari.press("📄 Laporan (PDF)")
    await sari.press("Bulan ini")
    pdf = await wait_for_kind(sari, "document", count=2)
    text = PdfReader(io.BytesIO(pdf.document)).pages[0].extract_text()
    assert "Laporan kas · Sentra Batik Laweyan" in text and "Pemasukan menurut sumber" in text
    assert "Rp 5.000.000" in text and "Pelatihan pewarna" in text
    assert "Kota Surakarta, Senin, 23 Nov 2026" in text and "( Budi )" in text and "( Sari )" in text


async def test_a_restart_mid_entry_resumes_at_the_same_step(emulator, clocked_bot, clock):
    cluster_id = await _seed(clocked_bot, clock, emulator)
    sari = emulator.users[SARI[0]]
    await sari.ask("/kas")
    await sari.press("➖ Pengeluaran")
    await sari.press("Kemarin")
    await sari.ask("90.000")
    await clocked_bot.restart()
    reply = await sari.ask("Konsumsi rapat")
    assert "Pelatihan pewarna" in str(reply.buttons)
    await sari.press("Lain-lain / umum")
    await sari.press("Lewati")
    await sari.press("✅ Simpan")
    (entry,) = await _book(clocked_bot, cluster_id)
    assert (entry.amount, entry.occurred_on, entry.purpose) == (90_000, date(2026, 11, 22), "Konsumsi rapat")


async def test_the_facilitator_appoints_a_treasurer_when_the_election_gave_none(emulator, clocked_bot, clock):
    cluster_id = await _seed(clocked_bot, clock, emulator)
    async with clocked_bot.application.services.db.transaction() as tx:
        await tx.execute(
            "UPDATE organisation_positions SET until = '2026-11-23T00:00:00+00:00' WHERE position = 'treasurer'"
        )
    rina, dewi = emulator.users[RINA[0]], emulator.users[DEWI[0]]
    home = await rina.ask("/kas")
    assert "Belum ada bendahara" in home.text
    await rina.press("👤 Tunjuk bendahara")
    home = await rina.press("Dewi")
    assert "Bendahara: Dewi" in home.text and "👤 Tunjuk bendahara" not in str(home.buttons)
    async with clocked_bot.application.services.db.read() as conn:
        board = await memberships.board(conn, cluster_id)
    assert [(h.user_id, h.election_id) for h in board if h.position == "treasurer"] == [(DEWI[0], None)]
    home = await dewi.ask("/kas")
    assert "➕ Pemasukan" in str(home.buttons)


async def test_the_budget_plans_income_by_source_and_spending_per_activity_against_what_was_spent(
    emulator, clocked_bot, clock
):
    cluster_id = await _seed(clocked_bot, clock, emulator)
    rina, sari = emulator.users[RINA[0]], emulator.users[SARI[0]]
    await rina.ask("/kas")
    budget = await rina.press("🎯 Anggaran")
    assert "Anggaran 2026" in budget.text and "Pelatihan pewarna: Rp 0 / Rp 0" in budget.text
    await rina.press("Iuran anggota")
    budget = await rina.ask("3.600.000")
    assert "Iuran anggota: Rp 3.600.000 / Rp 0" in budget.text
    await rina.press("Pelatihan pewarna")
    await rina.ask("12 juta")
    await rina.press("Lain-lain / umum")
    budget = await rina.ask("abc")
    assert "Mohon ketik jumlah" in budget.text
    await rina.ask("1.000.000")
    await _record(sari, "➖ Pengeluaran", None, "2.500.000", "Narasumber", None, "Pelatihan pewarna")
    await sari.press("✅ Simpan")
    await _record(sari, "➕ Pemasukan", None, "600.000", "Iuran", "Iuran anggota", "Lain-lain / umum")
    await sari.press("✅ Simpan")
    await sari.press("◀ Kas klaster")
    budget = await sari.press("🎯 Anggaran")
    assert "Iuran anggota: Rp 3.600.000 / Rp 600.000" in budget.text
    assert "Pelatihan pewarna: Rp 12.000.000 / Rp 2.500.000" in budget.text
    assert "Lain-lain / umum: Rp 1.000.000 / Rp 0" in budget.text
    async with clocked_bot.application.services.db.read() as conn:
        lines = await budgets.lines_of(conn, cluster_id, 2026)
    assert {(line.direction, line.amount) for line in lines} == {
        ("income", 3_600_000),
        ("spending", 12_000_000),
        ("spending", 1_000_000),
    }


async def test_a_year_with_many_activities_pages_the_activity_buttons(emulator, clocked_bot, clock):
    cluster_id = await _seed(clocked_bot, clock, emulator)
    async with clocked_bot.application.services.db.transaction() as tx:
        plan = await action_plans.create_plan(tx, cluster_id, "Pasar baru", None, RINA[0], clock.now())
        for number in range(1, 11):
            await action_plans.add_activity(tx, plan.id, f"Pameran ke-{number}", f"2026-{number:02d}-01", "2026-12-31")
        await action_plans.set_status(tx, plan.id, "draft", "published", clock.now())
    sari = emulator.users[SARI[0]]
    await sari.ask("/kas")
    await sari.press("➖ Pengeluaran")
    await sari.press("Hari ini")
    await sari.ask("125.000")
    first = await sari.ask("Sewa meja")
    assert "Halaman 1/2" in first.text and "Pameran ke-10" not in str(first.buttons)
    second = await sari.press("Berikutnya ▶")
    assert "Halaman 2/2" in second.text
    await sari.press("Pameran ke-10")
    await sari.press("Lewati")
    review = await sari.press("✅ Simpan")
    assert "Saldo: -Rp 125.000" in review.text
    (entry,) = await _book(clocked_bot, cluster_id)
    titles = {a.key: a.title for a in await _activities(clocked_bot, cluster_id)}
    assert titles[entry.activity_key] == "Pameran ke-10"
    await sari.press("◀ Kas klaster")
    budget = await sari.press("🎯 Anggaran")
    assert "Halaman 1/2" in budget.text and "Pameran ke-10" not in budget.text and "Iuran anggota" in budget.text
    budget = await sari.press("Berikutnya ▶")
    assert "Pameran ke-10: Rp 0 / Rp 125.000" in budget.text and "Jumlah: Rp 0 / Rp 125.000" in budget.text
    await sari.press("Pameran ke-10")
    budget = await sari.ask("500.000")
    assert "Pameran ke-10" not in budget.text  # back on the first page, the line set
    async with clocked_bot.application.services.db.read() as conn:
        (line,) = await budgets.lines_of(conn, cluster_id, 2026)
    assert (line.line, line.amount) == (entry.activity_key, 500_000)


async def _activities(bot, cluster_id):
    async with bot.application.services.db.read() as conn:
        return await plan_activities(conn, cluster_id, 2026)
