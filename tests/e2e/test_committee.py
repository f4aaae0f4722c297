"""The committee secretariat end to end: an administrator creates a committee and gives it three
clusters; its secretary and chair join by link; the weekly digest arrives on the fake clock through
the outbox, a cluster's detail opens; the quarterly PDF and the program matrix arrive on demand and at
the quarter's end; a quiet week is said once; another committee's secretary sees none of it."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from bot.forms import load_forms
from conversations.survey.results import bases_of
from storage import action_plans, committees, forms, meetings, memberships, surveys, users
from tests.e2e.chats import wait_for, wait_for_alert, wait_for_any, wait_for_kind
from tests.e2e.conftest import ADMIN_ID
from tests.e2e.seed import seed_cluster
from tests.pdf_checks import broken, images, page_one_png, row_whole

SECRETARY, CHAIR, OTHER = (901, "Sari Sekretaris"), (902, "Budi Ketua"), (903, "Wati Lain")
LAWEYAN = [(911, "Ani"), (912, "Bayu"), (913, "Citra"), (914, "Dodi")]
KLATEN = [(921, "Eka"), (922, "Fikri")]
PEKALONGAN = [(931, "Gita")]
FACILITATORS = {"Laweyan": (915, "Bu Laweyan"), "Klaten": (925, "Pak Klaten"), "Pekalongan": (935, "Bu Pekalongan")}


async def _survey(tx, form, cluster_id, opened_by, respondents, score_index, when, update_id):
    survey_round, _new = await surveys.open_round(
        tx,
        cluster_id=cluster_id,
        form_id=form.id,
        form_version=form.version,
        title="Survei",
        closes_at=None,
        opened_by=opened_by,
        now=when,
        source_update_id=update_id,
    )
    for uid in respondents:
        response = await forms.start_response(
            tx,
            form_id=form.id,
            form_version=form.version,
            subject=survey_round.subject,
            respondent_id=uid,
            respondent_name=None,
            entered_by=uid,
            now=when,
        )
        for question in bases_of(form):
            await forms.save_answer(tx, response.id, question.name, question.choices[score_index].name, None, when)
        await forms.submit(tx, response.id, when)
    return survey_round


async def _seed(db, clock, emulator):
    now = clock.now()
    for uid, name in [SECRETARY, CHAIR, OTHER, *LAWEYAN, *KLATEN, *PEKALONGAN, *FACILITATORS.values()]:
        emulator.user(uid, name, language_code="id")
    emulator.user(ADMIN_ID, "Admin", language_code="id")
    laweyan = await seed_cluster(
        db,
        now - timedelta(days=30),
        facilitator=FACILITATORS["Laweyan"],
        groups={"A": LAWEYAN},
        name="Sentra Batik Laweyan",
        code="LAWEYAN1",
    )
    klaten = await seed_cluster(
        db,
        now - timedelta(days=30),
        facilitator=FACILITATORS["Klaten"],
        groups={"B": KLATEN},
        name="Sentra Lurik Klaten",
        code="KLATEN11",
    )
    pekalongan = await seed_cluster(
        db,
        now - timedelta(days=30),
        facilitator=FACILITATORS["Pekalongan"],
        groups={"C": PEKALONGAN},
        name="Sentra Batik Pekalongan",
        code="PEKALO11",
    )
    annex1 = load_forms("conversations/survey/forms")[("annex1", 1)]
    async with db.transaction() as tx:
        # Laweyan: a meeting this week with 4 invitees of whom 3 came; a survey that went from 3 to 4.
        meeting, _new = await meetings.create_meeting(
            tx,
            cluster_id=laweyan.cluster_id,
            kind="committee",
            topic="Rapat koordinasi",
            starts_at=now + timedelta(days=2),
            place="Balai",
            latitude=None,
            longitude=None,
            agenda=None,
            audience={"everyone": True},
            capacity=None,
            reminders=(),
            checkin_code="CMTEST1",
            organiser_id=FACILITATORS["Laweyan"][0],
            invitee_ids=[uid for uid, _n in LAWEYAN],
            now=now,
            source_update_id=-7001,
        )
        for uid in (911, 912, 913):
            await meetings.check_in(tx, meeting.id, uid, "link", now + timedelta(days=2))
        await _survey(
            tx, annex1, laweyan.cluster_id, FACILITATORS["Laweyan"][0], [911, 912], 2, now - timedelta(days=20), -7101
        )  # score 3
        await _survey(
            tx, annex1, laweyan.cluster_id, FACILITATORS["Laweyan"][0], [911], 1, now + timedelta(days=1), -7102
        )  # score 4
        # Klaten: a plan for the program matrix.
        plan = await action_plans.create_plan(
            tx, klaten.cluster_id, "Pewarna alam bersama", None, FACILITATORS["Klaten"][0], now
        )
        await action_plans.apply_answers(
            tx,
            plan.id,
            {
                "title": "Pewarna alam bersama",
                "budget": 15_000_000,
                "supporter": "Dinas Perindustrian",
                "government_role": "Pelatih",
                "executing_level": "province",
                "starts_on": "2026-12-01",
                "ends_on": "2027-05-31",
            },
        )
        # Another committee with its own secretary.
        for uid, name in ((ADMIN_ID, "Admin"), OTHER):
            await users.remember_user(tx, uid, name, None, None, "id", now)
        other, _new = await committees.create_committee(
            tx,
            name="FEDEP Kudus",
            level="district",
            timezone="Asia/Jakarta",
            invite_code="KUDUS111",
            created_by=ADMIN_ID,
            now=now,
            source_update_id=-7201,
        )
        await committees.join(tx, other.id, OTHER[0], OTHER[1], "government", now)
        await committees.appoint(tx, other.id, OTHER[0], "secretary")
    return laweyan, klaten, pekalongan


async def test_a_committee_follows_three_clusters_through_digests_and_reports(emulator, clocked_bot, clock):
    bot = clocked_bot
    db = bot.application.services.db
    laweyan, _klaten, _pekalongan = await _seed(db, clock, emulator)
    admin = emulator.users[ADMIN_ID]
    secretary, chair, other = (emulator.users[uid] for uid, _n in (SECRETARY, CHAIR, OTHER))

    # The administrator creates the committee and gives it the three clusters.
    await admin.ask("/newcommittee")
    await admin.ask("FPESD Jawa Tengah")
    await admin.press("Provinsi")
    created = await admin.press("WIB")
    assert "FPESD Jawa Tengah sudah dibuat" in created.text and "Senin, 30 Nov 2026" not in created.text
    assert "30 Nov 2026, 08.00 WIB" in created.text  # the first weekly digest: next Monday 08.00
    link = next(word for word in created.text.split() if word.startswith("https://t.me/"))
    await admin.ask("/committee")
    overview = await admin.press("🏛 FPESD Jawa Tengah")
    assert "Belum ada klaster" in overview.text
    await admin.press("🏘 Klaster")
    for name in ("Sentra Batik Laweyan", "Sentra Lurik Klaten", "Sentra Batik Pekalongan"):
        await admin.press(f"⬜ {name}")
    # Its secretary and chair join by the link and are appointed.
    for person in (secretary, chair):
        await person.open_link(link)
        await wait_for(person, "Bergabung dengan")
        await person.press("Instansi pemerintah (dinas)")
        await wait_for(person, "Anda anggota FPESD Jawa Tengah")
    await admin.ask("/committee")
    await admin.press("🏛 FPESD Jawa Tengah")
    await admin.press("👤 Ketua dan sekretaris")
    await admin.press("👑 Budi Ketua (anggota)")
    await _press_data(admin, "📝", row_with="Sari Sekretaris")

    # A coordination meeting through the meetings flow, with the committee as its audience.
    host = emulator.users[FACILITATORS["Laweyan"][0]]
    await host.ask("/meeting")
    await host.press("Rapat komite")
    await host.ask("Koordinasi FPESD triwulan IV")
    await host.press("26")
    await host.press("14.00")
    await host.ask("Pendopo Laweyan")
    await host.send("Lewati")
    await wait_for(host, "agenda")
    reply = await host.ask("Evaluasi program")
    assert "🏛 FPESD Jawa Tengah" in str(reply.buttons)
    await host.press("⬜ 🏛 FPESD Jawa Tengah")
    await host.press("Selesai ▶")
    reply = await host.press("Tanpa batas")
    assert "Diundang: FPESD Jawa Tengah (2 orang)" in reply.text
    await host.press("✅ Kirim undangan")
    card = await wait_for(secretary, "Undangan dari Sentra Batik Laweyan", timeout=15)
    assert "Koordinasi FPESD triwulan IV" in card.text
    await secretary.press("✅ Akan hadir")
    await wait_for(chair, "Undangan dari Sentra Batik Laweyan", timeout=15)

    # Monday 30 Nov, 08.00 WIB: the digest of 23-29 Nov reaches the secretary through the outbox.
    clock.set(datetime(2026, 11, 30, 1, 0, 30, tzinfo=UTC))
    bot.application.services.reminders.wake()
    digest = await wait_for_any(secretary, "Ringkasan mingguan: FPESD Jawa Tengah", timeout=20)
    assert "Sentra Batik Laweyan" in digest.text and "Sentra Lurik Klaten" in digest.text
    assert "2 pertemuan, kehadiran 50%" in digest.text  # 3 of 4 invitees, then 0 of the committee's 2
    assert "skor 4 (▲1)" in digest.text  # the survey went from 3 to 4
    # Each facilitator gets the same digest for their own cluster only.
    own = await wait_for_any(emulator.users[FACILITATORS["Laweyan"][0]], "Ringkasan mingguan", timeout=20)
    assert "Sentra Batik Laweyan" in own.text and "Klaten" not in own.text
    assert own.buttons == [["🔍 Sentra Batik Laweyan"]]  # no committee overview for a facilitator outside it
    await emulator.users[FACILITATORS["Laweyan"][0]].press("🔍 Sentra Batik Laweyan")
    own_detail = await wait_for(emulator.users[FACILITATORS["Laweyan"][0]], "Skor survei terakhir")
    assert "📋 Ikhtisar" not in str(own_detail.buttons)
    detail = await secretary.press("🔍 Sentra Batik Laweyan")
    assert "Skor survei terakhir: 4; perubahan: +1" in detail.text and "Anggota: 5" in detail.text

    # Another committee's secretary cannot open this committee's cluster, nor its overview.
    committee_id = next(c.id for c in await _committees(db) if c.name == "FPESD Jawa Tengah")
    await other.ask("/committee")
    await other.tap_data(other.last().message_id, f"cm1:d:{committee_id}:{laweyan.cluster_id}")
    await other.wait_reply()
    assert other.callback_answers[-1] == ("Hanya anggota komite ini yang dapat melakukannya.", True)
    await other.tap_data(other.last().message_id, f"cm1:rep:{committee_id}:q")
    await other.wait_reply()
    assert other.callback_answers[-1][0].startswith("Hanya")
    assert not any("Laweyan" in m.text for m in other.bot_messages)

    # The quarterly report and the program matrix on demand.
    await secretary.ask("/committee")
    await secretary.press("🏛 FPESD Jawa Tengah")
    overview = secretary.last()
    report_data = next(
        b["callback_data"] for row in overview.inline_keyboard for b in row if b["text"] == "📄 Laporan triwulan"
    )
    await secretary.tap_data(overview.message_id, report_data)
    await secretary.tap_data(overview.message_id, report_data)  # asked twice at once: one report
    pdf = await wait_for_kind(secretary, "document", timeout=30)
    await wait_for_alert(secretary, "Laporan ini baru saja dikirim: ada tepat di atas.")
    reader = PdfReader(io.BytesIO(pdf.document))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) == 5  # the summary and its three charts on two pages, then one page per cluster
    assert [page.splitlines()[0] for page in pages[-3:]] == [
        "Sentra Batik Laweyan",
        "Sentra Batik Pekalongan",
        "Sentra Lurik Klaten",
    ]
    assert "Pertemuan koordinasi tahun 2026: 2 diadakan, 4 seharusnya" in pages[0]  # Laweyan's two committee meetings
    text = "\n".join(pages)
    assert "FPESD Jawa Tengah" in text and "Sentra Lurik Klaten" in text and "50" in text
    # It reads well: the header row and every cluster name whole, the score with how many answered it.
    header = ["Klaster", "Anggota", "Baru", "Pertemuan", "Kehadiran %", "Survei", "Perubahan", "Sesuai rencana"]
    assert row_whole(pdf.document, [*header, "Terlambat"])
    assert broken(pdf.document, ["Sentra Batik Laweyan", "Sentra Lurik Klaten", "Sentra Batik Pekalongan"]) == []
    assert "4 (1 dari 5 anggota)" in text  # Laweyan's latest round: one answer of its five members
    assert "Belum ada" not in text and images(pdf.document) == 3  # every chart has data here
    page_one_png(pdf.document, "report-quarter-from-bot", skip=False)  # for the closing note, where it can
    await secretary.press("📑 Matriks program (Excel)")
    sheet = await wait_for_kind(secretary, "document", count=2, timeout=15)
    rows = list(load_workbook(io.BytesIO(sheet.document)).active.iter_rows(values_only=True))
    assert rows[1][:6] == (
        "Sentra Lurik Klaten",
        "Pewarna alam bersama",
        "Provinsi",
        "Dinas Perindustrian",
        "Pelatih",
        15_000_000,
    )
    assert len([m for m in secretary.bot_messages if m.kind == "document"]) == 2  # one report, one matrix

    # The clusters side by side: one table and one chart.
    await secretary.ask("/committee")
    await secretary.press("🏛 FPESD Jawa Tengah")
    await secretary.press("📊 Bandingkan klaster")
    chart = await wait_for_kind(secretary, "photo", timeout=15)
    table = next(m for m in secretary.bot_messages if "perbandingan klaster" in m.text)
    assert "• Sentra Batik Laweyan: 5 · 50% · 4 · 0/0 · 0" in table.text
    assert Image.open(io.BytesIO(chart.photo)).size[0] == 1200

    # The secretary moves the digest to Friday 16.00.
    await secretary.ask("/committee")
    await secretary.press("🏛 FPESD Jawa Tengah")
    await secretary.press("🕗 Hari dan jam ringkasan")
    await secretary.press("Jumat")
    saved = await secretary.press("16.00")
    assert "Ringkasan berikutnya dikirim 4 Des 2026, 16.00 WIB" in saved.text


async def _press_data(person, label: str, row_with: str) -> None:
    message = next(m for m in reversed(person.bot_messages) if m.inline_keyboard)
    row = next(r for r in message.inline_keyboard if any(row_with in b["text"] for b in r))
    await person.tap_data(message.message_id, next(b["callback_data"] for b in row if b["text"] == label))
    await person.wait_reply()


async def _committees(db):
    async with db.read() as conn:
        return await committees.all_committees(conn)


async def test_quarter_end_reports_a_quiet_week_said_once_and_a_blocked_secretary(emulator, clocked_bot, clock):
    from conversations.committee import digests, reports

    bot = clocked_bot
    db = bot.application.services.db
    await _seed(db, clock, emulator)
    secretary, chair = emulator.users[SECRETARY[0]], emulator.users[CHAIR[0]]
    async with db.transaction() as tx:
        for uid, name in (SECRETARY, CHAIR):
            await users.remember_user(tx, uid, name, None, None, "id", clock.now())
        committee, _new = await committees.create_committee(
            tx,
            name="FPESD Jawa Tengah",
            level="province",
            timezone="Asia/Jakarta",
            invite_code="FPESD111",
            created_by=ADMIN_ID,
            now=clock.now(),
            source_update_id=-7301,
        )
        for cluster in await _all_clusters(tx):
            await committees.toggle_cluster(tx, committee.id, cluster)
        for (uid, name), role in ((SECRETARY, "secretary"), (CHAIR, "chair")):
            await committees.join(tx, committee.id, uid, name, "government", clock.now())
            await committees.appoint(tx, committee.id, uid, role)
        await digests.schedule_next(tx, committee, clock.now())
        await reports.schedule_next(tx, committee, clock.now())
    wake = bot.application.services.reminders.wake

    # The secretary blocked the bot: the chair is told and gets the digest instead.
    secretary.block()
    clock.set(datetime(2026, 11, 30, 1, 0, 30, tzinfo=UTC))
    wake()
    told = await wait_for_any(chair, "tidak sampai ke sekretaris Sari Sekretaris (memblokir bot)", timeout=20)
    assert "Ringkasan mingguan: FPESD Jawa Tengah" in told.text
    secretary.unblock()

    # A week with nothing new is said once; the next quiet week says nothing.
    for weeks, day in enumerate((7, 14, 21, 28), start=2):
        clock.set(datetime(2026, 12, day, 1, 0, 30, tzinfo=UTC))
        wake()
        await _digests_done(db, weeks)
    await asyncio.sleep(0.5)  # let the outbox send whatever was queued
    assert len([m for m in secretary.bot_messages if "tidak ada yang baru" in m.text]) == 1
    async with (
        db.read() as conn,
        conn.execute("SELECT period, outcome FROM committee_digests ORDER BY period") as cursor,
    ):
        assert await cursor.fetchall() == [
            ("2026-W48", "sent"),
            ("2026-W49", "quiet"),
            ("2026-W50", "silent"),
            ("2026-W51", "silent"),
            ("2026-W52", "silent"),
        ]

    # 1 Jan 2027, 08.00 WIB: the fourth quarter's report, the program matrix and the year's report.
    clock.set(datetime(2027, 1, 1, 1, 0, 30, tzinfo=UTC))
    wake()
    await wait_for_kind(secretary, "document", count=3, timeout=60)
    documents = [m for m in secretary.bot_messages if m.kind == "document"]
    assert [m.text for m in documents] == [
        "📄 FPESD Jawa Tengah: laporan Triwulan 4 2026",
        "📑 FPESD Jawa Tengah: matriks program",
        "📄 FPESD Jawa Tengah: laporan 2026",
    ]
    assert load_workbook(io.BytesIO(documents[1].document)).active.title == "Matriks program"

    # The secretary leaves the committee; a new member joins Laweyan: the next digest goes to the chair.
    async with db.transaction() as tx:
        await committees.leave(tx, committee.id, SECRETARY[0], clock.now())
        await users.remember_user(tx, 916, "Eko Baru", None, None, "id", clock.now())
        laweyan_id = (await _all_clusters(tx))[0]
        await memberships.join_cluster(
            tx, laweyan_id, 916, {"full_name": "Eko Baru"}, datetime(2027, 1, 2, 3, 0, tzinfo=UTC)
        )
    clock.set(datetime(2027, 1, 4, 1, 0, 30, tzinfo=UTC))
    wake()
    to_chair = await wait_for_any(chair, "belum punya sekretaris", timeout=20)
    assert (
        "Ringkasan mingguan: FPESD Jawa Tengah" in to_chair.text
        and "Sentra Batik Laweyan</b>: 6 anggota (+1)" in to_chair.html
    )


async def _digests_done(db, count: int) -> None:
    for _attempt in range(300):
        async with db.read() as conn, conn.execute("SELECT COUNT(*) FROM committee_digests") as cursor:
            if (await cursor.fetchone())[0] >= count:
                return
        await asyncio.sleep(0.05)
    raise AssertionError(f"fewer than {count} digests recorded")


async def _all_clusters(tx):
    async with tx.execute("SELECT id FROM clusters ORDER BY id") as cursor:
        return [row[0] for row in await cursor.fetchall()]
