"""The main menu a facilitator can scan, a member's short menu, /help a screen a page, and the joining intro."""

from __future__ import annotations

import re

from conversations.start.rules import HELP_PAGE
from tests.e2e.chats import create_cluster, join, wait_for
from tests.e2e.conftest import ADMIN_ID
from tests.e2e.menus import labels, open_entry

GROUPS_ID = ("👥 Anggota", "💡 Curah pendapat & rencana", "📢 Pengumuman", "⚙️ Akun & bantuan")


async def test_the_facilitators_menu_has_at_most_eight_buttons_and_each_group_opens_and_comes_back(emulator, bot):
    ratna = emulator.user(ADMIN_ID, "Ratna", language_code="id")
    await create_cluster(ratna)
    menu = await ratna.ask("/menu")
    top = labels(menu)
    assert len(top) <= 8, top
    assert top[:3] == ["👥 Anggota", "📅 Pertemuan", "📋 Kuesioner"]
    for group in GROUPS_ID:
        opened = await ratna.press(group)
        assert opened.message_id == menu.message_id  # the same message, one level down
        assert opened.text.startswith(group) and "Klaster: Sentra Batik Laweyan" in opened.text
        assert labels(opened)[-1] == "« Menu utama"
        back = await ratna.press("« Menu utama")
        assert "Menu utama" in back.text and labels(back) == top
    inside = labels(await ratna.press("👥 Anggota"))
    assert inside[:-1] == [
        "Undang anggota",
        "Daftar anggota",
        "Atur grup kecil",
        "Peran",
        "Daftar usaha",
        "🗺 Peta klaster",
        "🕵 Siapa mengunduh data",
    ]
    await ratna.press("« Menu utama")
    account = labels(await ratna.press("⚙️ Akun & bantuan"))
    assert "Grup kecil saya" in account and "Atur grup kecil" not in account  # the near-twins apart


async def test_an_entry_opened_from_its_group_and_an_old_menu_button_both_work(emulator, bot):
    ratna = emulator.user(ADMIN_ID, "Ratna", language_code="id")
    await create_cluster(ratna)
    old = await ratna.ask("/menu")
    await ratna.ask("/menu")
    reply = await open_entry(ratna, "👥 Anggota", "Undang anggota")
    assert "https://t.me/rembug_test_bot?start=join-" in reply.text
    # A flat menu from before the groups, still on someone's phone: its button data still opens the screen.
    await ratna.tap_data(old.message_id, "mb1:inv")
    reply = await ratna.wait_reply()
    assert "https://t.me/rembug_test_bot?start=join-" in reply.text


async def test_the_mute_toggle_shows_its_state_before_and_after(emulator, bot):
    ratna = emulator.user(ADMIN_ID, "Ratna", language_code="id")
    await create_cluster(ratna)
    await ratna.ask("/menu")
    news = await ratna.press("📢 Pengumuman")
    assert labels(news)[:-1] == ["Kirim pengumuman", "Buletin", "🔔 Pengumuman: aktif"]
    muted = await ratna.press("🔔 Pengumuman: aktif")
    assert "hanya akan menerima pengumuman penting" in muted.text
    assert muted.text.count("📢 Pengumuman") == 1  # still in the group it was tapped in
    assert "🔕 Pengumuman: dibisukan" in labels(muted) and "🔔 Pengumuman: aktif" not in labels(muted)
    again = await ratna.press("🔕 Pengumuman: dibisukan")
    assert "menerima semua pengumuman" in again.text and "🔔 Pengumuman: aktif" in labels(again)


async def test_the_mute_toggle_in_english(emulator, bot):
    admin = emulator.user(ADMIN_ID, "Budi", language_code="id")
    link = await create_cluster(admin)
    john = emulator.user(301, "John", language_code="en")
    await join(john, link, name="John", kind="Core firm")
    menu = await john.ask("/menu")
    assert "🔔 Broadcasts: on" in labels(menu)  # a member has it on the top level
    reply = await john.press("🔔 Broadcasts: on")
    assert "🔕 Broadcasts: muted" in labels(reply)


async def test_a_member_of_one_cluster_sees_a_short_menu_and_no_cluster_switch(emulator, bot):
    admin = emulator.user(ADMIN_ID, "Budi", language_code="id")
    link = await create_cluster(admin)
    siti = emulator.user(201, "Siti", language_code="id")
    await join(siti, link, name="Siti")
    menu = await siti.ask("/menu")
    assert labels(menu) == [
        "📅 Pertemuan",
        "📋 Kuesioner",
        "💡 Curah pendapat & rencana",
        "🏛 Organisasi",
        "🔔 Pengumuman: aktif",
        "⚙️ Akun & bantuan",
    ]
    account = labels(await siti.press("⚙️ Akun & bantuan"))
    assert "Ganti klaster" not in account and "Gabung klaster" not in account
    assert account[:-1] == ["Profil saya", "Grup kecil saya", "Bahasa / Language", "Bantuan"]
    # A second cluster: now there is something to switch to.
    second = await create_cluster(admin, name="Sentra Tenun Troso")
    await join(siti, second, name="Siti")
    await siti.ask("/menu")
    assert "Ganti klaster" in labels(await siti.press("⚙️ Akun & bantuan"))


async def _help_pages(person, title: str, page_word: str, next_label: str) -> list[str]:
    first = await person.ask("/help")
    found = re.search(rf"{title} · {page_word} 1/(\d+)", first.text)
    pages = [first.text]
    for page in range(2, int(found.group(1)) + 1 if found else 1):
        await person.press(next_label)
        shown = await wait_for(person, f"{title} · {page_word} {page}/")
        pages.append(shown.text)
    return pages


async def test_every_help_page_fits_one_phone_screen_in_indonesian(emulator, bot):
    ratna = emulator.user(ADMIN_ID, "Ratna", language_code="id")
    await create_cluster(ratna)
    pages = await _help_pages(ratna, "Bantuan", "Halaman", "Berikutnya ▶")
    assert len(pages) > 1 and all(len(page) <= HELP_PAGE for page in pages), [len(p) for p in pages]
    every = "\n".join(pages)
    for group in ("👥 Anggota", "📢 Pengumuman", "⚙️ Akun & bantuan"):
        assert every.count(group) == 1  # each group once, never split over two pages
    assert "Undang anggota: tautan undangan" in every and "/cancel" in pages[-1]


async def test_every_help_page_fits_one_phone_screen_in_english(emulator, bot):
    ratna = emulator.user(ADMIN_ID, "Ratna", language_code="id")
    await create_cluster(ratna)
    await ratna.ask("/language")
    await ratna.press("English")
    pages = await _help_pages(ratna, "Help", "Page", "Next ▶")
    assert len(pages) > 1 and all(len(page) <= HELP_PAGE for page in pages), [len(p) for p in pages]
    assert "👥 Members" in "\n".join(pages)


async def test_a_newcomer_reads_what_rembug_is_and_who_invites_then_who_sees_the_phone(emulator, bot):
    admin = emulator.user(ADMIN_ID, "Budi", language_code="id")
    link = await create_cluster(admin)
    siti = emulator.user(202, "Siti", last_name="Aminah", language_code="id")
    await siti.open_link(link)
    first = await siti.wait_reply()
    intro = first.text.split("\n")
    assert intro[0].startswith("👋 Rembug adalah asisten klaster (sentra) Anda")
    assert intro[1].startswith("Sentra Batik Laweyan mengundang Anda bergabung.")
    assert "Profil untuk Sentra Batik Laweyan (1/5)" in first.text
    await siti.press("✅ Pakai: Siti Aminah")
    await siti.ask("Desa Laweyan")
    await siti.ask("batik cap")
    phone = await siti.press("Perusahaan inti")
    assert "(5/5)" in phone.text and "Mau membagikan nomor HP Anda?" in phone.text
    assert "Nomor ini hanya dilihat fasilitator Sentra Batik Laweyan" in phone.text
    assert "Boleh tidak diisi: tekan Lewati" in phone.text


async def test_a_newcomer_reads_the_intro_and_the_phone_sentence_in_english(emulator, bot):
    admin = emulator.user(ADMIN_ID, "Budi", language_code="id")
    link = await create_cluster(admin)
    john = emulator.user(203, "John", language_code="en")
    await john.open_link(link)
    first = await john.wait_reply()
    intro = first.text.split("\n")
    assert intro[0].startswith("👋 Rembug is the assistant of your cluster (sentra)")
    assert intro[1].startswith("Sentra Batik Laweyan invites you to join.")
    await john.press("✅ Keep: John")
    await john.ask("Laweyan")
    await john.ask("batik")
    phone = await john.press("Core firm")
    assert "Only the facilitators of Sentra Batik Laweyan see it" in phone.text
    assert "It is optional: press Skip" in phone.text
