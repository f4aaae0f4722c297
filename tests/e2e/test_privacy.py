"""/privacy from /help and from the joining welcome; the phone consent: asked, stored, in downloads, withdrawn."""

from __future__ import annotations

import asyncio
import csv
import io
import re

from openpyxl import load_workbook

from bot.fitting import visible_length
from conversations.privacy.rules import SCREEN
from storage import clusters, consents, memberships, users
from tests.e2e.chats import create_cluster, join, wait_for, wait_for_any
from tests.e2e.conftest import ADMIN_ID
from tests.e2e.menus import open_entry
from tests.e2e.seed import seed_cluster

PARTS_ID = ("📦 Apa yang disimpan", "👥 Siapa yang melihat", "⏳ Berapa lama", "⚖️ Hak Anda")
PARTS_EN = ("📦 What is stored", "👥 Who sees it", "⏳ How long", "⚖️ Your rights")


async def _read_every_part(person, overview, parts: tuple[str, ...]) -> dict[str, str]:
    """Tap each part of /privacy under ``overview``; each one replaces the screen before. Part -> text."""
    screens = {"overview": overview.text}
    for part in parts:
        shown = await person.press(part)
        assert shown.message_id == overview.message_id  # one screen, edited in place
        assert f"▸ {part}" in [text for row in shown.buttons for text in row]
        screens[part] = shown.text
    for name, text in screens.items():
        assert visible_length(text) <= SCREEN, (name, visible_length(text))
    return screens


async def _last_help_page(person, page_word: str, next_label: str) -> str:
    first = await person.ask("/help")
    found = re.search(rf"{page_word} 1/(\d+)", first.text)
    for page in range(2, int(found.group(1)) + 1 if found else 1):
        await person.press(next_label)
        await wait_for(person, f"{page_word} {page}/")
    return person.last_text()


async def test_a_member_finds_privacy_in_help_and_reads_every_part_in_indonesian(emulator, bot):
    ratna = emulator.user(ADMIN_ID, "Ratna", language_code="id")
    link = await create_cluster(ratna)
    siti = emulator.user(202, "Siti", language_code="id")
    await join(siti, link)
    last = await _last_help_page(siti, "Halaman", "Berikutnya ▶")
    assert "/privacy menjelaskan data Anda yang disimpan Rembug" in last
    overview = await siti.ask("/privacy")
    assert overview.text.startswith("🔒 Privasi") and "pedoman JICA/FPESD" in overview.text
    assert "UU No. 27 Tahun 2022" in overview.text
    screens = await _read_every_part(siti, overview, PARTS_ID)
    assert "nomor HP jika Anda membagikannya" in screens["📦 Apa yang disimpan"]
    assert "Jawaban kuesioner Anda" in screens["📦 Apa yang disimpan"]
    who = screens["👥 Siapa yang melihat"]
    assert "Fasilitator klaster Anda" in who and "Sekretaris" in who and "Komite (CEDC/FEDEP/FPESD)" in who
    assert "tidak pernah jawaban Anda" in who
    assert "dihapus setelah 7 hari" in screens["⏳ Berapa lama"] and "setelah 30 hari" in screens["⏳ Berapa lama"]
    assert "/mydata" in screens["⚖️ Hak Anda"] and "/profile" in screens["⚖️ Hak Anda"]
    listed = {command["command"]: command["description"] for command in emulator.commands[("default", "id")]}
    assert listed["privacy"] == "Data Anda yang disimpan Rembug, siapa yang melihat, hak Anda"  # the "/" list


async def test_a_member_reads_privacy_in_english(emulator, bot):
    ratna = emulator.user(ADMIN_ID, "Ratna", language_code="en")
    await ratna.ask("/start")
    last = await _last_help_page(ratna, "Page", "Next ▶")
    assert "/privacy says what Rembug keeps about you" in last
    overview = await ratna.ask("/privacy")
    assert overview.text.startswith("🔒 Privacy") and "JICA/FPESD guideline" in overview.text
    screens = await _read_every_part(ratna, overview, PARTS_EN)
    assert "Facilitators of your cluster" in screens["👥 Who sees it"]
    assert "deleted after 7 days" in screens["⏳ How long"]
    assert "/mydata" in screens["⚖️ Your rights"]


async def test_a_newcomer_opens_privacy_from_the_welcome_and_goes_on_joining(emulator, bot):
    ratna = emulator.user(ADMIN_ID, "Ratna", language_code="id")
    link = await create_cluster(ratna)
    siti = emulator.user(202, "Siti", last_name="Aminah", language_code="id")
    await siti.open_link(link)
    first = await siti.wait_reply()
    assert "🔒 Data apa yang disimpan Rembug dan siapa yang melihatnya: /privacy" in first.text
    overview = await siti.ask("/privacy")
    assert overview.message_id != first.message_id and overview.text.startswith("🔒 Privasi")
    who = await siti.press("👥 Siapa yang melihat")
    assert visible_length(who.text) <= SCREEN and "nomor HP hanya jika Anda mengizinkan" in who.text
    # The name question is still open: the welcome's button and the next answers go on with the profile.
    await siti.press("✅ Pakai: Siti Aminah")
    await siti.ask("Desa Laweyan")
    await siti.ask("batik cap")
    phone = await siti.press("Perusahaan inti")
    assert "(5/5)" in phone.text and "Mau membagikan nomor HP Anda?" in phone.text
    assert "Nomor ini hanya dilihat fasilitator Sentra Batik Laweyan" in phone.text
    assert "Membagikannya berarti Anda mengizinkan (dicatat dengan tanggalnya)." in phone.text
    assert "Tarik izin kapan saja di /profile: nomornya lalu dihapus." in phone.text
    assert visible_length(phone.text) <= SCREEN


async def test_a_newcomer_in_english_reads_the_privacy_line_and_the_consent_at_the_phone_step(emulator, bot):
    ratna = emulator.user(ADMIN_ID, "Ratna", language_code="id")
    link = await create_cluster(ratna)
    john = emulator.user(203, "John", language_code="en")
    await john.open_link(link)
    first = await john.wait_reply()
    assert "🔒 What Rembug keeps and who sees it: /privacy" in first.text
    overview = await john.ask("/privacy")
    assert overview.text.startswith("🔒 Privacy")
    await john.press("✅ Keep: John")
    await john.ask("Laweyan")
    await john.ask("batik")
    phone = await john.press("Core firm")
    assert "Only the facilitators of Sentra Batik Laweyan see it" in phone.text
    assert "Sharing it is your consent (saved with its date)." in phone.text


async def _download(facilitator, label: str):
    await facilitator.ask("/menu")
    await open_entry(facilitator, "👥 Anggota", "Daftar anggota")
    return await facilitator.press(label)


async def _csv_phones(facilitator) -> dict[str, str]:
    document = await _download(facilitator, "⬇️ Unduh CSV")
    rows = list(csv.reader(io.StringIO(document.document.decode("utf-8-sig"), newline="")))
    assert rows[0][0] == "Nama" and rows[0][5] == "Telepon"
    return {row[0]: row[5] for row in rows[1:]}


async def _xlsx_phones(facilitator) -> dict[str, str | None]:
    document = await _download(facilitator, "⬇️ Unduh Excel")
    cells = [list(row) for row in load_workbook(io.BytesIO(document.document)).active.iter_rows(values_only=True)]
    return {row[0]: row[5] for row in cells[1:]}


async def _legacy_member(bot, emulator, cluster_id: int, user_id: int = 305, name: str = "Budi Santoso"):
    """A member who joined with a phone number before consents were asked (no consent row)."""
    now = bot.application.services.clock.now()
    async with bot.application.services.db.transaction() as tx:
        await users.remember_user(tx, user_id, name.split()[0], None, None, "id", now)
        profile = {"full_name": name, "home_area": "Kauman", "core_business": "batik cap"}
        await memberships.join_cluster(tx, cluster_id, user_id, {**profile, "phone": f"+628130000{user_id:04d}"}, now)
    return emulator.user(user_id, name.split()[0], language_code="id")


def _labels(message) -> list[str]:
    return [text for row in message.buttons for text in row]


async def test_the_directory_download_shows_a_phone_only_with_consent_and_withdrawing_removes_it_at_once(emulator, bot):
    ratna = emulator.user(ADMIN_ID, "Ratna", language_code="id")
    link = await create_cluster(ratna)
    siti = emulator.user(202, "Siti", language_code="id")
    await join(siti, link, name="Siti Aminah")  # shares her own contact: +62812000202
    eko = emulator.user(204, "Eko", language_code="id")
    await join(eko, link, name="Eko Prasetyo", share_phone=False)
    async with bot.application.services.db.read() as conn:
        cluster = await clusters.find_by_invite_code(conn, link.rsplit("join-", 1)[1])
        siti_consents = await consents.consents_of(conn, siti.id)
    assert [(c.kind, c.cluster_id, c.in_force) for c in siti_consents] == [("phone", cluster.id, True)]
    budi = await _legacy_member(bot, emulator, cluster.id)

    phones = await _csv_phones(ratna)
    assert phones["Siti Aminah"] == "+62812000202"
    assert phones["Eko Prasetyo"] == "" and phones["Budi Santoso"] == ""  # skipped; from before consents
    phones = await _xlsx_phones(ratna)
    assert phones["Siti Aminah"] == "+62812000202" and phones["Budi Santoso"] is None

    card = await siti.ask("/profile")
    assert "HP: +62812000202" in card.text and "🔒 Anda mengizinkan fasilitator memegang nomor ini sejak" in card.text
    done = await siti.press("🚫 Tarik izin nomor HP")
    assert done.text.startswith("✅ Izin sudah ditarik. Nomor HP Anda sudah dihapus")
    assert "HP: tidak dibagikan" in done.text and "🚫 Tarik izin nomor HP" not in _labels(done)
    phones = await _csv_phones(ratna)
    assert phones["Siti Aminah"] == ""  # the very next download
    async with bot.application.services.db.read() as conn:
        stored = await memberships.get_membership(conn, cluster.id, siti.id)
        history = await consents.consents_of(conn, siti.id)
    assert stored.phone is None  # deleted, not only hidden
    assert len(history) == 1 and history[0].withdrawn_at is not None

    card = await budi.ask("/profile")
    assert (
        "HP: +6281300000305" in card.text and "Nomor ini tidak dilihat siapa pun sampai Anda mengizinkan" in card.text
    )
    agreed = await budi.press("✅ Saya izinkan")
    assert agreed.text.startswith("✅ Terima kasih. Fasilitator sekarang boleh melihat nomor Anda")
    assert "🚫 Tarik izin nomor HP" in _labels(agreed)
    phones = await _csv_phones(ratna)
    assert phones["Budi Santoso"] == "+6281300000305"


async def test_withdrawing_the_phone_consent_from_mydata_removes_the_number_from_the_next_download(emulator, bot):
    ratna = emulator.user(ADMIN_ID, "Ratna", language_code="id")
    link = await create_cluster(ratna)
    siti = emulator.user(202, "Siti", language_code="id")
    await join(siti, link, name="Siti Aminah")  # shares her own contact: +62812000202
    assert (await _csv_phones(ratna))["Siti Aminah"] == "+62812000202"
    summary = await siti.ask("/mydata")
    assert "Nomor HP: disimpan" in summary.text and "🚫 Tarik izin nomor HP" in _labels(summary)
    done = await siti.press("🚫 Tarik izin nomor HP")
    assert done.text.startswith("✅ Izin sudah ditarik. Nomor HP Anda sudah dihapus")
    assert (await _csv_phones(ratna))["Siti Aminah"] == ""  # the very next download
    again = await siti.ask("/mydata")
    assert "Nomor HP: tidak disimpan" in again.text and "🚫 Tarik izin nomor HP" not in _labels(again)


async def test_a_number_from_before_consents_can_be_deleted_and_changing_the_profile_asks_for_it_again(emulator, bot):
    ratna = emulator.user(ADMIN_ID, "Ratna", language_code="id")
    link = await create_cluster(ratna)
    async with bot.application.services.db.read() as conn:
        cluster = await clusters.find_by_invite_code(conn, link.rsplit("join-", 1)[1])
    budi = await _legacy_member(bot, emulator, cluster.id)
    await budi.ask("/profile")
    edit = await budi.press("✏️ Ubah profil saya")
    # The stored number had no consent: the phone question comes again, with its purpose.
    phone = await wait_for(budi, "Mau membagikan nomor HP Anda?")
    assert edit is not None and "Membagikannya berarti Anda mengizinkan" in phone.text
    await budi.share_contact(phone="+6281300000305", own=True)
    await wait_for(budi, "Sudah benar?")
    await budi.press("✅ Simpan")
    async with bot.application.services.db.read() as conn:
        held = await consents.in_force(conn, budi.id, consents.PHONE, cluster.id)
    assert held is not None  # consent recorded when the profile was saved

    other = await _legacy_member(bot, emulator, cluster.id, 306, "Dewi Lestari")
    await other.ask("/profile")
    deleted = await other.press("🗑 Hapus nomor saya")
    assert deleted.text.startswith("✅ Izin sudah ditarik. Nomor HP Anda sudah dihapus")
    assert "HP: tidak dibagikan" in deleted.text
    async with bot.application.services.db.read() as conn:
        stored = await memberships.get_membership(conn, cluster.id, other.id)
    assert stored.phone is None


async def test_whom_a_broadcast_did_not_reach_shows_a_phone_only_with_consent(emulator, clocked_bot, clock):
    db = clocked_bot.application.services.db
    fac_id, citra, dodi = (801, "Bu Fasil"), (811, "Citra"), (812, "Dodi")
    for uid, name in (fac_id, citra, dodi):
        emulator.user(uid, name, language_code="id")
    seeded = await seed_cluster(db, clock.now(), facilitator=fac_id, groups={"Utara": [citra, dodi]}, code="PRIVACY1")
    async with db.transaction() as tx:
        for uid, _name in (citra, dodi):
            await memberships.update_profile(tx, seeded.cluster_id, uid, {"phone": f"+62812000{uid}"})
        await consents.give(tx, citra[0], consents.PHONE, seeded.cluster_id, clock.now())  # Dodi never agreed
    emulator.user(*citra).block()
    emulator.user(*dodi).block()
    fac = emulator.user(*fac_id)
    await fac.ask("/broadcast")
    await fac.press("⬜ Utara")
    await fac.press("Selesai ▶")
    await fac.send("Rapat dipindah ke Kamis.")
    await wait_for(fac, "Beginilah yang akan dilihat penerima")
    await fac.press("✅ Kirim sekarang")
    unreached = await wait_for_any(fac, "hubungi orang-orang ini", timeout=20)
    assert "Citra (Utara · +62812000811)" in unreached.text and "Dodi (Utara)" in unreached.text
    assert "+62812000812" not in unreached.text
    await asyncio.sleep(0.2)
    document = next(m for m in fac.bot_messages if m.kind == "document")
    rows = list(csv.reader(io.StringIO(document.document.decode("utf-8-sig"))))
    assert {row[0]: row[2] for row in rows[1:]} == {"Citra": "+62812000811", "Dodi": ""}
