"""Dues end to end, in Indonesian on the fake clock (Monday 23 Nov 2026, 10.00 WIB): the facilitator
sets monthly dues; the treasurer ticks three months at once for a member, which lands in the cash book
as one income entry; the member sees what they paid up to; an overdue member gets one reminder on the
10th, still one after a restart, and a member who paid gets none; who is behind is for the treasurer
and the chair only; a restart while ticking keeps the ticks; a repeated or replayed confirmation
records nothing twice."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from storage import cash_book, dues, memberships, reminders
from storage.database import Database
from tests.e2e.chats import wait_for, wait_for_any
from tests.e2e.menus import open_entry
from tests.e2e.seed import seed_cluster
from tests.e2e.taps import data_of, quiet, refused

RINA = (851, "Rina")  # the facilitator
BAYU = (852, "Bayu")  # the treasurer
SITI = (853, "Siti")  # the chair
ANI = (854, "Ani")
DEWI = (855, "Dewi")
NOVEMBER = date(2026, 11, 1)


async def _seed(bot, clock, emulator) -> int:
    for uid, name in (RINA, BAYU, SITI, ANI, DEWI):
        emulator.user(uid, name, language_code="id")
    db = bot.application.services.db
    seeded = await seed_cluster(db, clock.now(), facilitator=RINA, groups={}, others=[BAYU, SITI, ANI, DEWI])
    async with db.transaction() as tx:
        await memberships.assign_position(tx, seeded.cluster_id, "treasurer", BAYU[0], clock.now(), None)
        await memberships.assign_position(tx, seeded.cluster_id, "chair", SITI[0], clock.now(), None)
    return seeded.cluster_id


async def _open_dues(person):
    await person.ask("/menu")
    return await open_entry(person, "🏛 Organisasi", "🧾 Iuran")


async def _set_monthly_dues(emulator) -> None:
    rina = emulator.users[RINA[0]]
    home = await _open_dues(rina)
    assert "Klaster belum menetapkan iuran." in home.text
    asked = await rina.press("⚙️ Tetapkan iuran")
    assert "Berapa iuran untuk satu periode" in asked.text
    again = await rina.ask("dua puluh lima ribu")
    assert "Ketik jumlah rupiah tanpa sen" in again.text
    cadence = await rina.ask("Rp 25.000")
    assert "Rp 25.000 untuk setiap bulan, atau untuk setiap tahun?" in cadence.text
    start = await rina.press("Bulanan")
    assert "Iuran dihitung mulai bulan apa?" in start.text
    assert {"September 2026", "Oktober 2026", "November 2026", "Desember 2026"} <= set(rina.visible_buttons())
    await rina.press("November 2026")
    await wait_for(rina, "✅ Iuran ditetapkan: Rp 25.000 per bulan, mulai November 2026.")


async def _tick(person, *labels: str) -> None:
    for label in labels:
        shown = await person.press(label)
        assert f"☑️ {label}" in person.visible_buttons(), shown.text if shown else None


async def _pick_ani(bayu):
    home = await _open_dues(bayu)
    assert "✅ Catat pembayaran" in bayu.visible_buttons() and "📋 Siapa yang menunggak" in bayu.visible_buttons()
    picker = await bayu.press("✅ Catat pembayaran")
    assert "Siapa yang membayar?" in picker.text, home.text
    assert not any("Rina" in label for label in bayu.visible_buttons())  # the facilitator pays no dues
    found = await bayu.ask("an")
    assert "Nama yang memuat “an”: 1" in found.text
    assert "⚠️ Ani · 1 bulan" in bayu.visible_buttons()  # November is overdue since the 10th
    periods = await bayu.press("⚠️ Ani · 1 bulan")
    assert "Tunggakan: Rp 25.000." in periods.text and "Centang bulan yang dibayar sekarang" in periods.text
    return periods


async def _cash_entries(db, cluster_id: int):
    async with db.read() as conn:
        return await cash_book.entries_between(conn, cluster_id, date(2026, 1, 1), date(2027, 12, 31))


async def test_the_treasurer_ticks_three_months_at_once_into_one_cash_book_entry_and_the_member_sees_it(
    emulator, clocked_bot, clock
):
    cluster_id = await _seed(clocked_bot, clock, emulator)
    await _set_monthly_dues(emulator)
    db = clocked_bot.application.services.db
    async with db.read() as conn:
        due = await reminders.get_by_key(conn, f"dues:{cluster_id}:2026-12:1")
    assert due is not None and due.due_at == datetime(2026, 12, 10, 2, 0, tzinfo=UTC)  # 09.00 WIB on the 10th

    bayu = emulator.users[BAYU[0]]
    await _pick_ani(bayu)
    await _tick(bayu, "Nov 2026", "Des 2026", "Jan 2027")
    review = await bayu.press("Lanjut ▶ (Rp 75.000)")
    assert "Catat <b>Rp 75.000</b> dari <b>Ani</b> untuk Nov 2026–Jan 2027?" in review.html
    done = await bayu.press("✅ Catat")
    assert "✅ Tercatat: Rp 75.000 dari Ani untuk Nov 2026–Jan 2027." in done.text
    assert "Sudah dibayar sampai Jan 2027." in done.text

    [entry] = await _cash_entries(db, cluster_id)
    assert (entry.direction, entry.source, entry.amount, entry.status) == ("income", "dues", 75_000, "recorded")
    assert entry.purpose == "Iuran Ani Nov 2026–Jan 2027" and entry.occurred_on == date(2026, 11, 23)
    async with db.read() as conn:
        paid = await dues.payments_of_entry(conn, entry.id)
    assert [p.period for p in paid] == [NOVEMBER, date(2026, 12, 1), date(2027, 1, 1)]
    async with db.read() as conn:  # the members' report of November, on 1 December at 08.00 WIB, counts it
        report = await reminders.get_by_key(conn, f"books:{cluster_id}:report:2026-11")
    assert report is not None and report.due_at == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)

    ani = emulator.users[ANI[0]]
    receipt = await wait_for_any(ani, "sudah tercatat")
    assert "Sentra Batik Laweyan: iuran Anda sebesar Rp 75.000 untuk Nov 2026–Jan 2027 sudah tercatat." in receipt.text
    own = await _open_dues(ani)
    assert "Iuran: Rp 25.000 per bulan, mulai Nov 2026." in own.text
    assert "Iuran Anda sudah dibayar sampai Jan 2027." in own.text and "Tidak ada tunggakan." in own.text
    assert not {"✅ Catat pembayaran", "⚙️ Tetapkan iuran", "📋 Siapa yang menunggak"} & {
        b for row in own.buttons for b in row
    }
    dewi = await _open_dues(emulator.users[DEWI[0]])
    assert "Belum ada iuran Anda yang tercatat." in dewi.text
    assert "Yang masih harus dibayar: Rp 25.000 (Nov 2026)." in dewi.text


async def test_a_restart_in_the_middle_of_ticking_resumes_with_the_ticks_kept(emulator, clocked_bot, clock):
    cluster_id = await _seed(clocked_bot, clock, emulator)
    await _set_monthly_dues(emulator)
    bayu = emulator.users[BAYU[0]]
    await _pick_ani(bayu)
    await _tick(bayu, "Nov 2026", "Des 2026")
    await clocked_bot.restart()
    await _tick(bayu, "Jan 2027")
    assert {"☑️ Nov 2026", "☑️ Des 2026", "☑️ Jan 2027"} <= set(bayu.visible_buttons())
    await bayu.press("Lanjut ▶ (Rp 75.000)")
    done = await bayu.press("✅ Catat")
    assert "✅ Tercatat: Rp 75.000 dari Ani untuk Nov 2026–Jan 2027." in done.text
    assert [e.amount for e in await _cash_entries(clocked_bot.application.services.db, cluster_id)] == [75_000]


async def test_a_repeated_or_replayed_confirmation_records_the_payment_once(emulator, clocked_bot, clock, settings):
    cluster_id = await _seed(clocked_bot, clock, emulator)
    await _set_monthly_dues(emulator)
    bayu = emulator.users[BAYU[0]]
    await _pick_ani(bayu)
    await _tick(bayu, "Nov 2026", "Des 2026", "Jan 2027")
    review = await bayu.press("Lanjut ▶ (Rp 75.000)")
    record = data_of(bayu, "✅ Catat")
    await bayu.press("✅ Catat")
    db = clocked_bot.application.services.db
    assert len(await _cash_entries(db, cluster_id)) == 1

    # Tapped again on the confirm screen (a second phone, a double tap): said, not done.
    assert await refused(clocked_bot, bayu, record, on=review) == "Sudah tercatat."

    # The process dies after the tap was stored but before the inbox marked it handled: it is replayed.
    emulator.expected_errors = ("query is too old", "message is not modified")
    async with (
        db.read() as conn,
        conn.execute("SELECT MIN(update_id) FROM inbox WHERE payload LIKE ?", (f"%{record}%",)) as cursor,
    ):
        (update_id,) = await cursor.fetchone()
    await clocked_bot.stop()
    database = await Database.open(settings.database)
    async with database.transaction() as tx:
        await tx.execute("UPDATE inbox SET handled_at = NULL WHERE update_id = ?", (update_id,))
    await database.close()
    await clocked_bot.start()
    await clocked_bot.idle()
    await quiet(clocked_bot)
    db = clocked_bot.application.services.db
    async with db.read() as conn:
        async with conn.execute("SELECT handled_at IS NOT NULL FROM inbox WHERE update_id = ?", (update_id,)) as cur:
            assert (await cur.fetchone())[0] == 1  # the replay ran
        async with conn.execute("SELECT COUNT(*) FROM dues_payments") as cursor:
            assert (await cursor.fetchone())[0] == 3
        async with conn.execute("SELECT COUNT(*) FROM outbox WHERE batch LIKE 'dues-paid:%'") as cursor:
            assert (await cursor.fetchone())[0] == 1  # Ani heard of it once
    assert [e.amount for e in await _cash_entries(db, cluster_id)] == [75_000]


async def _pay_through_storage(db, cluster_id: int, member: int, periods: list[date], now: datetime) -> None:
    async with db.transaction() as tx:
        terms = await dues.current_terms(tx, cluster_id)
        assert terms is not None
        entry, _new = await cash_book.record_entry(
            tx,
            cluster_id,
            direction="income",
            amount=terms.amount * len(periods),
            occurred_on=now.date(),
            purpose="Iuran",
            source="dues",
            recorded_by=BAYU[0],
            now=now,
            source_update_id=-member,
        )
        priced = [(period, terms.amount) for period in periods]
        await dues.record_payments(tx, terms, member, priced, entry.id, BAYU[0], now)


def _reminded(person) -> int:
    return sum("Pengingat dari" in m.text for m in person.bot_messages)


async def test_an_overdue_member_gets_one_reminder_on_the_tenth_across_restarts_and_one_who_paid_gets_none(
    emulator, clocked_bot, clock
):
    bot = clocked_bot
    cluster_id = await _seed(bot, clock, emulator)
    await _set_monthly_dues(emulator)
    db = bot.application.services.db
    await _pay_through_storage(db, cluster_id, ANI[0], [NOVEMBER, date(2026, 12, 1)], clock.now())
    dewi, ani, rina = (emulator.users[p[0]] for p in (DEWI, ANI, RINA))

    # The bot restarts before the day; at 08.59 WIB on 10 Dec nothing yet, at 09.00 the reminder.
    await bot.restart()
    clock.set(datetime(2026, 12, 10, 1, 59, tzinfo=UTC))
    bot.application.services.reminders.wake()
    await quiet(bot)
    assert _reminded(dewi) == 0
    clock.set(datetime(2026, 12, 10, 2, 0, 30, tzinfo=UTC))
    bot.application.services.reminders.wake()
    reminder = await wait_for_any(dewi, "Pengingat dari")
    assert "Pengingat dari Sentra Batik Laweyan: iuran Anda untuk Des 2026 (Rp 25.000) belum tercatat." in reminder.text
    assert "Yang masih harus dibayar: Rp 50.000 (Nov–Des 2026)." in reminder.text
    await quiet(bot)
    assert _reminded(dewi) == 1 and _reminded(ani) == 0 and _reminded(rina) == 0

    await bot.restart()
    bot.application.services.reminders.wake()
    await quiet(bot)
    await asyncio.sleep(0.6)  # the engine looks again within half a second on the test clock
    assert _reminded(dewi) == 1 and _reminded(ani) == 0
    async with bot.application.services.db.read() as conn:
        booked = await reminders.list_by_prefix(conn, f"dues:{cluster_id}:")
    assert [(d.key, d.status) for d in booked] == [
        (f"dues:{cluster_id}:2026-12:1", "sent"),
        (f"dues:{cluster_id}:2027-01:1", "pending"),  # January's is booked by December's
    ]

    # The reminder's button opens the member's own dues.
    own = await dewi.press("🧾 Iuran")
    assert "Yang masih harus dibayar: Rp 50.000 (Nov–Des 2026)." in own.text


async def test_who_is_behind_is_shown_to_the_treasurer_and_the_chair_and_refused_to_a_member_and_a_facilitator(
    emulator, clocked_bot, clock
):
    cluster_id = await _seed(clocked_bot, clock, emulator)
    await _set_monthly_dues(emulator)
    await _pay_through_storage(clocked_bot.application.services.db, cluster_id, ANI[0], [NOVEMBER], clock.now())
    for holder in (BAYU, SITI):
        person = emulator.users[holder[0]]
        home = await _open_dues(person)
        # The chair sees who is behind; only the treasurer (and a facilitator) records payments.
        assert ("✅ Catat pembayaran" in [b for row in home.buttons for b in row]) == (holder is BAYU)
        listing = await person.press("📋 Siapa yang menunggak")
        assert "3 anggota menunggak, seluruhnya Rp 75.000." in listing.text
        assert "• Bayu: 1 bulan, Rp 25.000 (sejak Nov 2026)" in listing.text
        assert "Dewi" in listing.text and "Siti" in listing.text
        assert "Ani" not in listing.text and "Rina" not in listing.text

    refusal = "Hanya bendahara atau ketua klaster ini yang bisa melakukan ini."
    for plain in (ANI, RINA):
        person = emulator.users[plain[0]]
        home = await _open_dues(person)
        assert "📋 Siapa yang menunggak" not in [b for row in home.buttons for b in row]
        assert await refused(clocked_bot, person, "du1:late:0", on=home) == refusal


async def test_dues_set_anew_keep_what_was_paid_and_owed_and_book_one_reminder_a_period(emulator, clocked_bot, clock):
    cluster_id = await _seed(clocked_bot, clock, emulator)
    await _set_monthly_dues(emulator)
    db = clocked_bot.application.services.db
    await _pay_through_storage(db, cluster_id, ANI[0], [NOVEMBER, date(2026, 12, 1), date(2027, 1, 1)], clock.now())

    # The treasurer raises the dues from December: November keeps its price, Ani's paid months stay paid.
    bayu = emulator.users[BAYU[0]]
    await _open_dues(bayu)
    await bayu.press("⚙️ Tetapkan iuran")
    await bayu.ask("30000")
    await bayu.press("Bulanan")
    await bayu.press("Desember 2026")
    await wait_for(bayu, "✅ Iuran ditetapkan: Rp 30.000 per bulan, mulai Desember 2026.")
    ani = await _open_dues(emulator.users[ANI[0]])
    assert "Iuran: Rp 30.000 per bulan, mulai Des 2026." in ani.text
    assert "Iuran Anda sudah dibayar sampai Jan 2027." in ani.text
    dewi = await _open_dues(emulator.users[DEWI[0]])
    assert "Yang masih harus dibayar: Rp 25.000 (Nov 2026)." in dewi.text
    async with db.read() as conn:
        booked = await reminders.list_by_prefix(conn, f"dues:{cluster_id}:")
    assert [(d.key, d.status) for d in booked] == [
        (f"dues:{cluster_id}:2026-12:1", "cancelled"),
        (f"dues:{cluster_id}:2026-12:2", "pending"),
    ]

    # December's reminder quotes the new price and what Dewi owes at both prices.
    clock.set(datetime(2026, 12, 10, 2, 0, 30, tzinfo=UTC))
    clocked_bot.application.services.reminders.wake()
    reminder = await wait_for_any(emulator.users[DEWI[0]], "Pengingat dari")
    assert "iuran Anda untuk Des 2026 (Rp 30.000)" in reminder.text
    assert "Yang masih harus dibayar: Rp 55.000 (Nov–Des 2026)." in reminder.text
    await quiet(clocked_bot)
    assert _reminded(emulator.users[ANI[0]]) == 0
