"""The supporters' list end to end, in Indonesian: a facilitator adds one with its services, a member
suggests one and the facilitator confirms it, members browse by need and see only confirmed ones,
refusals and stale buttons, the downloads, a restart mid-way, and the action plan's supporter question."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from storage import brainstorm_votes, supporters
from tests.e2e.chats import wait_for, wait_for_any, wait_for_kind
from tests.e2e.seed import seed_cluster, seed_session
from tests.e2e.taps import data_of, refused

RINA, DEWI = (801, "Rina"), (802, "Dewi")


async def _seed(bot, clock, emulator, language: str = "id"):
    for uid, name in (RINA, DEWI):
        emulator.user(uid, name, language_code=language)
    db = bot.application.services.db
    seeded = await seed_cluster(db, clock.now(), facilitator=RINA, groups={}, others=[DEWI], language=language)
    return seeded, db


async def _add_dinas(rina) -> None:
    """Rina adds Dinas Koperasi with two services, a contact and an area (no worked-with)."""
    await rina.ask("/supporters")
    await rina.press("➕ Tambah pendukung")
    reply = await rina.ask("Dinas Koperasi dan UKM")
    assert "termasuk pendukung jenis apa?" in reply.text
    await rina.press("Instansi pemerintah (dinas)")
    await rina.press("⬜ 🛒 Pemasaran")
    reply = await rina.press("⬜ 🚢 Ekspor")
    assert "Dipilih: 🛒 Pemasaran, 🚢 Ekspor" in reply.text
    await rina.press("Selesai ▶")
    await rina.ask("0271 123456")
    await rina.ask("Surakarta")
    await rina.press("Lewati")
    await wait_for(rina, "Layanan: 🛒 Pemasaran, 🚢 Ekspor")


async def test_facilitator_adds_a_member_suggests_and_members_see_only_confirmed_supporters(
    emulator, clocked_bot, clock
):
    bot = clocked_bot
    seeded, db = await _seed(bot, clock, emulator)
    rina, dewi = emulator.users[RINA[0]], emulator.users[DEWI[0]]
    await _add_dinas(rina)
    page = rina.last()
    assert "Kontak: 0271 123456" in page.text and "Daerah: Surakarta" in page.text
    assert "✏️ Layanan" in rina.visible_buttons()
    assert any("✅ <b>Dinas Koperasi dan UKM</b> sudah masuk daftar" in m.html or "sudah masuk daftar" in m.text
               for m in rina.bot_messages)  # fmt: skip

    # Dewi suggests a bank: name, kind, services; it waits for a facilitator.
    home = await dewi.ask("/supporters")
    assert "Butuh bantuan soal apa?" in home.text and "➕ Tambah pendukung" not in dewi.visible_buttons()
    await dewi.press("💡 Usulkan pendukung")
    await dewi.ask("Bank Jateng")
    await dewi.press("Bank atau lembaga keuangan")
    await dewi.press("⬜ 💰 Modal/Keuangan")
    reply = await dewi.press("Selesai ▶")
    assert "sudah diusulkan" in reply.text or "sudah diusulkan" in dewi.bot_messages[-2].text
    notice = await wait_for_any(rina, "mengusulkan pendukung")
    assert "Bank Jateng" in notice.text and "Layanan: 💰 Modal/Keuangan" in notice.text

    # Before the confirmation Dewi finds no bank under "Modal/Keuangan", and sees her suggestion waiting.
    await dewi.ask("/supporters")
    assert "⏳ Bank Jateng: menunggu konfirmasi" in dewi.last_text()
    reply = await dewi.press("💰 Modal/Keuangan")
    assert "Bank Jateng" not in reply.text and "Belum ada yang menawarkan" in reply.text

    # A member pressing the facilitator's Confirm gets the role message; nothing changes.
    async with db.read() as conn:
        bank = await supporters.find_by_name(conn, seeded.cluster_id, "Bank Jateng")
    assert bank is not None and bank.status == "suggested"
    said = await refused(bot, dewi, f"sp1:ok:{bank.id}")
    assert said == "Hanya fasilitator klaster ini yang dapat melakukan ini."

    # Rina confirms from the notice; a second tap on the same notice is told it was already done.
    confirm = data_of(rina, "✅ Konfirmasi")
    await rina.tap_data(notice.message_id, confirm)
    await wait_for_any(rina, "dikonfirmasi: sekarang anggota bisa melihatnya")
    again = await refused(bot, rina, confirm, on=notice)
    assert again == "Sudah dikonfirmasi."
    told = await wait_for_any(dewi, "Usulan Anda Bank Jateng sudah dikonfirmasi")  # through the outbox
    assert "🤝 Pendukung" in [b["text"] for row in told.inline_keyboard for b in row]

    # Now Dewi finds the bank by need and opens its page: no facilitator buttons, no visits.
    await dewi.ask("/supporters")
    reply = await dewi.press("💰 Modal/Keuangan")
    assert "Bank Jateng" in reply.text
    page = await dewi.press("Bank Jateng")
    assert "Bank atau lembaga keuangan" in page.text and "Layanan: 💰 Modal/Keuangan" in page.text
    assert not any(label.startswith("✏️") for label in dewi.visible_buttons()[:6])
    reply = await dewi.press("« Kebutuhan lain")
    reply = await dewi.press("🚢 Ekspor")
    assert "Dinas Koperasi dan UKM" in reply.text and "Bank Jateng" not in reply.text

    # An old button of a removed supporter speaks.
    await rina.ask("/supporters")
    await rina.press("📋 Seluruh daftar")
    await rina.press("Bank Jateng")
    await rina.press("🗑 Hapus")
    reply = await rina.press("Ya, hapus")
    assert "sudah tidak ada di daftar" in reply.text
    stale = await refused(bot, dewi, f"sp1:s:{bank.id}:0")
    assert stale == "Pendukung ini sudah tidak ada di daftar."


async def test_facilitator_downloads_the_list_as_csv_and_excel(emulator, clocked_bot, clock):
    _seeded, _db = await _seed(clocked_bot, clock, emulator)
    rina = emulator.users[RINA[0]]
    await _add_dinas(rina)
    await rina.ask("/supporters")
    await rina.press("⬇️ Unduh CSV")
    document = await wait_for_kind(rina, "document")
    rows = list(csv.reader(io.StringIO(document.document.decode("utf-8-sig"))))
    assert rows[0] == ["Nama", "Jenis", "Layanan", "Kontak", "Daerah", "Pernah bekerja sama", "Keadaan"]
    assert rows[1] == [
        "Dinas Koperasi dan UKM",
        "Instansi pemerintah (dinas)",
        "Pemasaran, Ekspor",
        "0271 123456",
        "Surakarta",
        "",
        "dikonfirmasi",
    ]
    await rina.press("⬇️ Unduh Excel")
    document = await wait_for_kind(rina, "document", count=2)
    sheet = load_workbook(io.BytesIO(document.document)).active
    assert [c.value for c in sheet[2]][:3] == [
        "Dinas Koperasi dan UKM",
        "Instansi pemerintah (dinas)",
        "Pemasaran, Ekspor",
    ]


async def test_a_restart_while_adding_a_supporter_resumes_at_the_same_step(emulator, clocked_bot, clock):
    seeded, _db = await _seed(clocked_bot, clock, emulator)
    rina = emulator.users[RINA[0]]
    await rina.ask("/supporters")
    await rina.press("➕ Tambah pendukung")
    await rina.ask("Universitas Sebelas Maret")
    await rina.press("Universitas, lembaga penelitian")
    await rina.press("⬜ 🔬 Teknologi & uji mutu")
    await clocked_bot.restart()
    # Typing where a button is asked (the message with the buttons scrolled away): the question again.
    await rina.send("sudah sampai mana?")
    again = await wait_for(rina, "Dipilih: 🔬 Teknologi & uji mutu")
    assert "☑️ 🔬 Teknologi & uji mutu" in [b["text"] for row in again.inline_keyboard for b in row]
    await rina.press("⬜ 🎨 Desain & kemasan")
    await wait_for_any(rina, "Dipilih: 🔬 Teknologi & uji mutu, 🎨 Desain & kemasan")
    await rina.press("Selesai ▶")
    await rina.press("Lewati")
    await clocked_bot.restart()
    await rina.ask("Surakarta")
    await rina.ask("Batik Sari, Tenun Jaya")
    page = await wait_for(rina, "Pernah bekerja sama: Batik Sari, Tenun Jaya")
    assert "Kontak: –" in page.text
    async with clocked_bot.application.services.db.read() as conn:  # the restarted bot's database
        listed = await supporters.confirmed_supporters(conn, seeded.cluster_id)
    assert [(s.name, s.kind, s.services) for s in listed] == [
        ("Universitas Sebelas Maret", "university", ("technology_testing", "design"))
    ]


async def test_the_plan_supporter_question_offers_the_list_and_a_typed_name_joins_it(emulator, clocked_bot, clock):
    bot = clocked_bot
    seeded, db = await _seed(bot, clock, emulator, language="en")
    rina = emulator.users[RINA[0]]
    async with db.transaction() as tx:
        await supporters.add_supporter(
            tx, seeded.cluster_id, {"name": "Bank Jateng", "kind": "bank", "services": ["finance"]},
            "confirmed", RINA[0], clock.now(), None,
        )  # fmt: skip
        session = await seed_session(tx, seeded.cluster_id, "What holds us back?", RINA[0], [DEWI[0]], clock.now())
        theme = await brainstorm_votes.create_theme(tx, session.id, "Natural dyes", clock.now())
        await brainstorm_votes.save_shortlist(tx, session.id, [(theme.id, "Natural dyes", 7, 1)])
    await rina.ask("/plans")
    await rina.press("➕ New plan")
    await rina.press("⭐ Natural dyes")
    for text in ("Dye costs fall", "A shared dye supplier", "The FRK chair", "30-11-2026", "31-05-2027"):
        await rina.ask(text)
    question = await rina.press("1")  # outside support: yes
    assert "Who is the supporter" in question.text and "Or tap one below." in question.text
    assert "Bank Jateng" in rina.visible_buttons()
    reply = await rina.press("Bank Jateng")  # a tap answers with the listed name
    assert "7. What role" in reply.text
    await rina.press("◀ Back")
    reply = await rina.ask("Dinas Perindustrian")  # typed, not on the list: it joins the list
    assert "7. What role" in reply.text
    async with db.read() as conn:
        added = await supporters.find_by_name(conn, seeded.cluster_id, "Dinas Perindustrian")
    assert added is not None and added.status == "confirmed"  # a facilitator typed it
    # Typed under the question, it is listed as a BDS provider; the facilitator sets its kind.
    await rina.ask("/supporters")
    await rina.press("📋 Whole list")
    await rina.press("Dinas Perindustrian")
    await rina.press("✏️ Kind")
    page = await rina.press("Government office")
    assert "Government office" in page.text and "Services: –" in page.text
    answered = next(m for m in reversed(rina.bot_messages) if "Who is the supporter" in m.text)
    assert "Dinas Perindustrian" in answered.text or "Bank Jateng" in answered.text
