"""Clusters, joining, profiles, roles and invitations, through the emulator."""

from __future__ import annotations

import io

from PIL import Image

from storage import clusters, memberships
from tests.e2e.chats import create_cluster, join, wait_for
from tests.e2e.conftest import ADMIN_ID
from tests.e2e.menus import open_entry


async def _membership(bot, cluster_id: int, user_id: int):
    async with bot.application.services.db.read() as conn:
        return await memberships.get_membership(conn, cluster_id, user_id)


async def test_admin_creates_a_cluster_and_becomes_its_facilitator(emulator, bot):
    admin = emulator.user(ADMIN_ID, "Budi", language_code="id")
    link = await create_cluster(admin)
    assert link.startswith("https://t.me/rembug_test_bot?start=join-")
    menu = admin.last()
    labels = [t for row in menu.buttons for t in row]
    assert {"👥 Anggota", "⚙️ Akun & bantuan"} <= set(labels) and len(labels) <= 8
    assert "Klaster: Sentra Batik Laweyan" in menu.text
    stored = await _membership(bot, 1, ADMIN_ID)
    assert stored.is_facilitator and stored.full_name == "Budi"


async def test_two_members_join_by_deep_link_in_indonesian_and_english(emulator, bot):
    admin = emulator.user(ADMIN_ID, "Budi", language_code="id")
    link = await create_cluster(admin)

    siti = emulator.user(201, "Siti", last_name="Aminah", language_code="id")
    await siti.open_link(link)
    reply = await siti.wait_reply()
    assert "Profil untuk Sentra Batik Laweyan" in reply.text and "(1/5)" in reply.text
    assert "✅ Pakai: Siti Aminah" in siti.visible_buttons()
    await siti.press("✅ Pakai: Siti Aminah")
    await siti.ask("Desa Laweyan")
    await siti.ask("batik cap")
    reply = await siti.press("Pedagang, distributor")
    assert "(5/5)" in reply.text
    # the tapped question stays above, with what she chose marked and no buttons left
    chosen = siti.bot_messages[-2]
    assert "Mana yang paling sesuai dengan Anda?" in chosen.text and "✅ Pedagang, distributor" in chosen.text
    assert chosen.inline_keyboard == []
    assert siti.reply_keyboard is not None  # the contact button is offered
    await siti.share_contact(phone="+6281234567", own=True)
    reply = await wait_for(siti, "Sudah benar?")
    assert "Periksa profil Anda" in reply.text and "HP: +6281234567" in reply.text
    reply = await siti.press("✅ Gabung ke klaster")
    assert "Selamat datang di Sentra Batik Laweyan" in reply.text

    john = emulator.user(202, "John", language_code="en")
    await john.open_link(link)
    reply = await john.wait_reply()
    assert "Profile for Sentra Batik Laweyan" in reply.text
    await john.ask("John Tanoto")
    await john.ask("Kauman")
    await john.ask("natural dyes")
    await john.press("Supporting industry or supplier")
    assert "✅ Supporting industry or supplier" in john.bot_messages[-2].text
    await john.send("Skip")
    reply = await wait_for(john, "Is this right?")
    assert "Phone: not shared" in reply.text
    reply = await john.press("✅ Join the cluster")
    assert "Welcome to Sentra Batik Laweyan" in reply.text

    siti_row = await _membership(bot, 1, 201)
    assert (siti_row.full_name, siti_row.home_area, siti_row.core_business) == (
        "Siti Aminah",
        "Desa Laweyan",
        "batik cap",
    )
    assert (siti_row.stakeholder_type, siti_row.phone) == ("trader", "+6281234567")
    john_row = await _membership(bot, 1, 202)
    assert (john_row.full_name, john_row.stakeholder_type, john_row.phone) == ("John Tanoto", "supplier", None)


async def test_join_by_typed_code_and_joining_twice(emulator, bot):
    admin = emulator.user(ADMIN_ID, "Budi", language_code="id")
    link = await create_cluster(admin)
    code = link.rsplit("join-", 1)[1]
    rina = emulator.user(203, "Rina", language_code="id")
    reply = await rina.ask(f"/join {code.lower()}")  # case does not matter
    assert "Profil untuk Sentra Batik Laweyan" in reply.text
    await rina.ask("/cancel")
    await join(rina, link)
    reply = await rina.ask(f"/join {code}")
    assert "Anda sudah menjadi anggota Sentra Batik Laweyan" in reply.text


async def test_a_wrong_or_rotated_code_is_refused(emulator, bot):
    admin = emulator.user(ADMIN_ID, "Budi", language_code="id")
    link = await create_cluster(admin)
    await admin.ask("/menu")
    await open_entry(admin, "👥 Anggota", "Undang anggota")
    await admin.press("🔄 Tautan baru (yang lama tidak berlaku)")
    reply = await admin.press("Ya, buat tautan baru")
    assert link not in reply.text and "https://t.me/rembug_test_bot?start=join-" in reply.text
    dewi = emulator.user(204, "Dewi", language_code="id")
    await dewi.open_link(link)
    reply = await dewi.wait_reply()
    assert any("Kode undangan ini tidak berlaku" in m.text for m in dewi.bot_messages)
    reply = await dewi.ask("/join ZZZZ9999")
    assert any(m.text.count("tidak berlaku") for m in dewi.bot_messages[-2:])
    async with bot.application.services.db.read() as conn:
        assert await memberships.get_membership(conn, 1, 204) is None


async def test_the_invitation_qr_code_is_a_printable_png(emulator, bot):
    admin = emulator.user(ADMIN_ID, "Budi", language_code="id")
    await create_cluster(admin)
    await admin.ask("/menu")
    await open_entry(admin, "👥 Anggota", "Undang anggota")
    await admin.press("🔳 Kode QR untuk dicetak")
    photo = next(m for m in reversed(admin.bot_messages) if m.kind == "photo")
    image = Image.open(io.BytesIO(photo.photo))
    assert image.format == "PNG" and image.size[0] >= 300
    assert "Pindai untuk bergabung ke Sentra Batik Laweyan" in photo.text


async def test_bad_profile_answers_get_clear_replies_and_nothing_half_stored(emulator, bot):
    admin = emulator.user(ADMIN_ID, "Budi", language_code="id")
    link = await create_cluster(admin)
    eko = emulator.user(205, "Eko", language_code="id")
    await eko.open_link(link)
    await eko.wait_reply()
    reply = await eko.ask("   ")
    assert "Jawabannya kosong" in reply.text
    reply = await eko.ask("E" * 500)
    assert "paling banyak 80 karakter" in reply.text
    await eko.send_sticker()
    reply = await eko.wait_reply()
    assert "sebagai teks" in reply.text
    await eko.ask("Eko Prasetyo")
    await eko.ask("Kampung Batik")
    await eko.ask("canting")
    reply = await eko.ask("perusahaan inti")  # typed where buttons are expected
    assert "pilih dengan tombol" in reply.text
    await eko.press("Perusahaan inti")
    await eko.share_contact(phone="+6289999", own=False)  # someone else's card
    reply = await eko.wait_reply()
    assert "nomor orang lain" in reply.text
    reply = await eko.ask("08123")  # typed number instead of the button
    assert "Bagikan nomor saya" in reply.text
    assert await _membership(bot, 1, 205) is None  # nothing stored before confirmation
    await eko.ask("/cancel")
    assert await _membership(bot, 1, 205) is None


async def test_a_restart_in_the_middle_of_the_profile_keeps_the_answers(emulator, bot):
    admin = emulator.user(ADMIN_ID, "Budi", language_code="id")
    link = await create_cluster(admin)
    fajar = emulator.user(206, "Fajar", language_code="id")
    await fajar.open_link(link)
    await fajar.wait_reply()
    await fajar.ask("Fajar Nugroho")
    await fajar.ask("Sondakan")
    await bot.restart()
    reply = await fajar.ask("pewarnaan alami")
    assert "(4/5)" in reply.text
    await fajar.press("Koperasi, asosiasi")
    await fajar.send("Lewati")
    reply = await wait_for(fajar, "Sudah benar?")
    assert "Nama: Fajar Nugroho" in reply.text and "Daerah asal: Sondakan" in reply.text
    await fajar.press("✅ Gabung ke klaster")
    stored = await _membership(bot, 1, 206)
    assert (stored.home_area, stored.core_business, stored.stakeholder_type) == (
        "Sondakan",
        "pewarnaan alami",
        "cooperative",
    )


async def test_review_lets_a_member_change_one_answer(emulator, bot):
    admin = emulator.user(ADMIN_ID, "Budi", language_code="id")
    link = await create_cluster(admin)
    gita = emulator.user(207, "Gita", language_code="id")
    await join(gita, link, name="Gita", area="Salah Ketik")
    await gita.ask("/profile")
    await gita.press("✏️ Ubah profil saya")
    reply = await gita.press("✏️ Daerah")
    assert "daerah asal" in reply.text
    reply = await gita.ask("Laweyan")
    assert "Daerah asal: Laweyan" in reply.text and "Nama: Gita" in reply.text
    await gita.press("✅ Simpan")
    assert (await _membership(bot, 1, 207)).home_area == "Laweyan"


async def test_facilitator_appoints_a_secretary_and_another_facilitator(emulator, bot):
    admin = emulator.user(ADMIN_ID, "Budi", language_code="id")
    link = await create_cluster(admin)
    siti = emulator.user(208, "Siti", language_code="id")
    john = emulator.user(209, "John", language_code="en")
    await join(siti, link, name="Siti")
    await join(john, link, name="John", kind="Core firm")
    await admin.ask("/menu")
    await open_entry(admin, "👥 Anggota", "Peran")
    await admin.press("📝 Tunjuk sekretaris")
    await admin.press("Siti")
    assert "Siti sekarang sekretaris" in admin.last_text()
    assert "Anda sekarang sekretaris Sentra Batik Laweyan" in (await wait_for(siti, "sekretaris")).text
    await open_entry(admin, "👥 Anggota", "Peran")
    await admin.press("➕ Tambah fasilitator")
    await admin.press("John")
    assert "You are now a facilitator of Sentra Batik Laweyan" in (await wait_for(john, "facilitator")).text
    await john.ask("/menu")
    reply = await john.press("👥 Members")
    assert "Roles" in [t for row in reply.buttons for t in row]
    assert (await _membership(bot, 1, 208)).is_secretary
    assert (await _membership(bot, 1, 209)).is_facilitator


async def test_a_member_pressing_a_facilitators_button_is_refused(emulator, bot):
    admin = emulator.user(ADMIN_ID, "Budi", language_code="id")
    link = await create_cluster(admin)
    siti = emulator.user(210, "Siti", language_code="id")
    await join(siti, link, name="Siti")
    menu = await siti.ask("/menu")
    await siti.tap_data(menu.message_id, f"mb1:apm:sec:{siti.id}")
    await siti.wait_reply()
    assert siti.callback_answers[-1] == ("Hanya fasilitator klaster ini yang dapat melakukan ini.", True)
    assert not (await _membership(bot, 1, 210)).is_secretary


async def test_switching_between_two_clusters(emulator, bot):
    admin = emulator.user(ADMIN_ID, "Budi", language_code="id")
    first = await create_cluster(admin, "Sentra Batik Laweyan")
    second = await create_cluster(admin, "Sentra Mebel Jepara")
    assert first != second
    reply = await admin.ask("/cluster")
    assert admin.visible_buttons()[:2] == ["Sentra Batik Laweyan", "✓ Sentra Mebel Jepara"]
    reply = await admin.press("Sentra Batik Laweyan")
    assert "Sekarang Anda bekerja di Sentra Batik Laweyan" in reply.text
    assert "Klaster: Sentra Batik Laweyan" in reply.text


async def test_leaving_keeps_the_history(emulator, bot):
    admin = emulator.user(ADMIN_ID, "Budi", language_code="id")
    link = await create_cluster(admin)
    hadi = emulator.user(211, "Hadi", language_code="id")
    await join(hadi, link, name="Hadi")
    await hadi.ask("/profile")
    await hadi.press("🚪 Keluar dari klaster ini")
    reply = await hadi.press("Ya, keluar")
    assert "Anda sudah keluar dari Sentra Batik Laweyan" in reply.text
    stored = await _membership(bot, 1, 211)
    assert stored is not None and stored.left_at is not None and stored.full_name == "Hadi"
    async with bot.application.services.db.read() as conn:
        assert (await clusters.get_cluster(conn, 1)).name == "Sentra Batik Laweyan"
    await join(hadi, link, name="Hadi")  # and can come back
    assert (await _membership(bot, 1, 211)).active
