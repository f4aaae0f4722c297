"""Small groups and the member directory, through the emulator: what facilitators and members see."""

from __future__ import annotations

import csv
import io
import re
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from storage import clusters, consents, memberships, small_groups, users
from tests.e2e.menus import open_entry

FACILITATOR = 700
FACILITATOR_NAME = "Ratna Fasilitator"
FIRST_MEMBER = 2000  # members are 2001, 2002, ...
TYPES = ("core_firm", "leading_firm", "trader", "bank", None)
TYPE_LABELS_ID = {
    "core_firm": "Perusahaan inti",
    "leading_firm": "Perusahaan pemimpin",
    "trader": "Pedagang, distributor",
    "bank": "Bank",
}
REFUSAL = "Hanya fasilitator klaster ini yang dapat melakukan ini."
STALE = "Tombol ini sudah tidak berlaku. Ketik /menu untuk mulai lagi."
LINE = re.compile(r"^(\d+)\. (.+?) · (.+?) · (.+?) · (.+)$")


def _profile(number: int) -> dict[str, str | None]:
    return {
        "full_name": f"Anggota {number:02d}",
        "home_area": "Desa Laweyan" if number % 2 else "Desa Sondakan",
        "core_business": "batik tulis" if number % 3 else "pewarnaan kain",
        "stakeholder_type": TYPES[number % len(TYPES)],
        "phone": f"+62812000{number:04d}" if number % 4 else None,
    }


async def _cluster_with_members(
    bot,
    emulator,
    count: int = 25,
    *,
    facilitator_language: str = "id",
    name: str = "Sentra Batik Laweyan",
    facilitator: int = FACILITATOR,
):
    """A cluster whose facilitator is ``facilitator``, with ``count`` members joined through storage."""
    now = bot.application.services.clock.now()
    async with bot.application.services.db.transaction() as tx:
        await users.remember_user(tx, facilitator, "Ratna", None, None, facilitator_language, now)
        cluster = await clusters.create_cluster(
            tx,
            name=name,
            regency="Kota Surakarta",
            province="Jawa Tengah",
            industry="batik",
            timezone="Asia/Jakarta",
            invite_code=f"TEST{facilitator}",
            created_by=facilitator,
            full_name=FACILITATOR_NAME,
            now=now,
            source_update_id=-facilitator,
        )
        for number in range(1, count + 1):
            user_id = FIRST_MEMBER + number
            await users.remember_user(tx, user_id, f"Anggota {number:02d}", None, None, "id", now)
            await memberships.join_cluster(tx, cluster.id, user_id, _profile(number), now)
            if _profile(number)["phone"]:  # shared at the phone step, which records the consent
                await consents.give(tx, user_id, consents.PHONE, cluster.id, now)
            emulator.user(user_id, f"Anggota {number:02d}", language_code="id")
    return cluster


async def _group_of(bot, cluster_id: int, user_id: int) -> str | None:
    async with bot.application.services.db.read() as conn:
        member = await memberships.get_membership(conn, cluster_id, user_id)
    return member.small_group_name


def _labels(message) -> list[str]:
    return [text for row in message.buttons for text in row]


def _names(text: str) -> list[str]:
    return [match.group(2) for line in text.splitlines() if (match := LINE.match(line))]


async def test_facilitator_forms_two_small_groups_adds_members_and_appoints_a_leader(emulator, bot):
    cluster = await _cluster_with_members(bot, emulator, 10)
    ratna = emulator.user(FACILITATOR, "Ratna", language_code="id")
    menu = await ratna.ask("/menu")
    assert "👥 Anggota" in _labels(menu)
    reply = await open_entry(ratna, "👥 Anggota", "Atur grup kecil")
    assert "Belum ada grup kecil" in reply.text and "11 anggota belum masuk grup kecil." in reply.text

    await ratna.press("➕ Grup baru")
    reply = await ratna.ask("Laweyan Barat")
    assert "(2/2)" in reply.text and "Laweyan Barat" in reply.text
    reply = await ratna.ask("Desa Laweyan")
    assert "✅ Grup kecil Laweyan Barat sudah dibuat." in reply.text and "Daerah: Desa Laweyan" in reply.text

    await ratna.press("➕ Tambah anggota")
    reply = await ratna.press("Anggota 01")
    assert "✅ Anggota 01 sekarang di Laweyan Barat." in reply.text
    assert "Anggota 01" not in _labels(reply)
    reply = await ratna.press("Anggota 02")
    reply = await ratna.press("✅ Selesai")
    assert "2 anggota:" in reply.text and "• Anggota 01" in reply.text and "• Anggota 02" in reply.text

    await ratna.press("⭐ Tunjuk ketua grup")
    reply = await ratna.press("Anggota 01")
    assert "✅ Anggota 01 sekarang ketua grup Laweyan Barat." in reply.text
    assert "Ketua grup: Anggota 01" in reply.text and "• Anggota 01 ⭐" in reply.text
    leader = emulator.user(FIRST_MEMBER + 1)
    assert "Anda sekarang ketua grup kecil Laweyan Barat di Sentra Batik Laweyan" in leader.last_text()

    await ratna.press("« Grup kecil")
    await ratna.press("➕ Grup baru")
    await ratna.ask("Sondakan")
    reply = await ratna.press("Lewati")
    assert "✅ Grup kecil Sondakan sudah dibuat." in reply.text and "Daerah" not in reply.text

    # Anggota 01 is in Laweyan Barat and leads it: moving them asks first and says what it changes.
    await ratna.press("➕ Tambah anggota")
    reply = await ratna.press("Anggota 01 (sekarang di Laweyan Barat)")
    assert "Anggota 01 ada di grup kecil Laweyan Barat. Pindahkan ke Sondakan?" in reply.text
    assert "Laweyan Barat akan tidak punya ketua grup" in reply.text
    assert await _group_of(bot, cluster.id, FIRST_MEMBER + 1) == "Laweyan Barat"  # nothing moved yet
    reply = await ratna.press("✅ Pindahkan ke Sondakan")
    assert "✅ Anggota 01 sekarang di Sondakan." in reply.text
    await ratna.press("Anggota 03")
    await ratna.press("✅ Selesai")
    await ratna.press("⭐ Tunjuk ketua grup")
    await ratna.press("Anggota 03")
    reply = await ratna.press("« Grup kecil")
    assert "Laweyan Barat</b>" not in reply.text  # rendered, not shown as markup
    assert "1. Laweyan Barat (Desa Laweyan) · 1 anggota · Belum ada ketua grup" in reply.text
    assert "2. Sondakan · 2 anggota · Ketua grup: Anggota 03" in reply.text
    assert "8 anggota belum masuk grup kecil." in reply.text

    async with bot.application.services.db.read() as conn:
        groups = {group.name: group for group in await small_groups.list_groups(conn, cluster.id)}
    assert groups["Laweyan Barat"].leader_id is None and groups["Laweyan Barat"].member_count == 1
    assert groups["Sondakan"].leader_id == FIRST_MEMBER + 3 and groups["Sondakan"].area is None
    assert await _group_of(bot, cluster.id, FIRST_MEMBER + 1) == "Sondakan"
    assert await _group_of(bot, cluster.id, FIRST_MEMBER + 2) == "Laweyan Barat"


async def test_a_group_name_is_used_once_per_cluster(emulator, bot):
    cluster = await _cluster_with_members(bot, emulator, 2)
    async with bot.application.services.db.transaction() as tx:
        await small_groups.create_group(tx, cluster.id, "Laweyan Barat", None, bot.application.services.clock.now())
    ratna = emulator.user(FACILITATOR, "Ratna", language_code="id")
    await ratna.ask("/menu")
    await open_entry(ratna, "👥 Anggota", "Atur grup kecil")
    await ratna.press("➕ Grup baru")
    reply = await ratna.ask("laweyan  BARAT")
    assert reply.text == "Sudah ada grup kecil bernama laweyan BARAT. Silakan ketik nama lain."
    reply = await ratna.ask("x" * 41)
    assert "paling banyak 40 karakter" in reply.text
    reply = await ratna.ask("Laweyan Timur")
    assert "(2/2)" in reply.text


async def test_new_group_resumes_after_a_restart_between_name_and_area(emulator, bot):
    cluster = await _cluster_with_members(bot, emulator, 1)
    ratna = emulator.user(FACILITATOR, "Ratna", language_code="id")
    await ratna.ask("/menu")
    await open_entry(ratna, "👥 Anggota", "Atur grup kecil")
    await ratna.press("➕ Grup baru")
    await ratna.ask("Kampung Batik Kauman")
    await bot.restart()
    reply = await ratna.ask("Kelurahan Kauman")
    assert "✅ Grup kecil Kampung Batik Kauman sudah dibuat." in reply.text
    async with bot.application.services.db.read() as conn:
        [group] = await small_groups.list_groups(conn, cluster.id)
    assert (group.name, group.area) == ("Kampung Batik Kauman", "Kelurahan Kauman")


async def test_cancelling_new_group_creates_nothing(emulator, bot):
    cluster = await _cluster_with_members(bot, emulator, 1)
    ratna = emulator.user(FACILITATOR, "Ratna", language_code="id")
    await ratna.ask("/menu")
    await open_entry(ratna, "👥 Anggota", "Atur grup kecil")
    await ratna.press("➕ Grup baru")
    await ratna.ask("Kauman")
    reply = await ratna.press("Batal")
    assert "Belum ada grup kecil" in reply.text
    reply = await ratna.ask("Desa Kauman")  # no question is open any more
    assert "Saya sedang tidak bertanya apa pun" in reply.text
    async with bot.application.services.db.read() as conn:
        assert await small_groups.list_groups(conn, cluster.id) == []


async def test_member_picks_and_then_changes_their_small_group(emulator, bot):
    cluster = await _cluster_with_members(bot, emulator, 3)
    now = bot.application.services.clock.now()
    async with bot.application.services.db.transaction() as tx:
        await small_groups.create_group(tx, cluster.id, "Laweyan Barat", "Desa Laweyan", now)
        await small_groups.create_group(tx, cluster.id, "Sondakan", None, now)
    siti = emulator.user(FIRST_MEMBER + 3)
    menu = await siti.ask("/menu")
    assert "👥 Anggota" not in _labels(menu)
    reply = await open_entry(siti, "⚙️ Akun & bantuan", "Grup kecil saya")
    assert "Anda belum masuk grup kecil." in reply.text
    reply = await siti.press("Pilih grup kecil")
    assert _labels(reply)[:2] == ["Laweyan Barat · Desa Laweyan", "Sondakan"]
    reply = await siti.press("Sondakan")
    assert "✅ Anda sekarang di grup kecil Sondakan." in reply.text and "1 anggota" in reply.text
    reply = await siti.press("Ganti grup kecil")
    assert "✓ Sondakan" in _labels(reply)
    reply = await siti.press("Laweyan Barat · Desa Laweyan")
    assert "Grup kecil Anda: Laweyan Barat" in reply.text and "Daerah: Desa Laweyan" in reply.text
    assert await _group_of(bot, cluster.id, FIRST_MEMBER + 3) == "Laweyan Barat"


async def test_member_is_told_when_no_small_groups_exist_yet(emulator, bot):
    await _cluster_with_members(bot, emulator, 1)
    siti = emulator.user(FIRST_MEMBER + 1)
    await siti.ask("/menu")
    reply = await open_entry(siti, "⚙️ Akun & bantuan", "Grup kecil saya")
    assert "Fasilitator Anda belum membentuk grup kecil." in reply.text
    assert _labels(reply) == ["« Menu utama"]


async def test_member_pressing_a_facilitator_button_gets_the_refusal(emulator, bot):
    cluster = await _cluster_with_members(bot, emulator, 2)
    async with bot.application.services.db.transaction() as tx:
        group = await small_groups.create_group(tx, cluster.id, "Laweyan", None, bot.application.services.clock.now())
    siti = emulator.user(FIRST_MEMBER + 1)
    menu = await siti.ask("/menu")
    forged = [
        f"gr1:open:{group.id}",
        f"gr1:put:{group.id}:{FIRST_MEMBER + 1}:0",
        f"gr1:setl:{group.id}:{FIRST_MEMBER + 1}",
        "gr1:new",
        "dr1:p:0:a",
        "dr1:csv",
        "dr1:xlsx",
    ]
    for data in forged:
        await siti.tap_data(menu.message_id, data)
        await siti.wait_reply()
    assert siti.callback_answers[-len(forged) :] == [(REFUSAL, True)] * len(forged)
    assert not [m for m in siti.bot_messages if m.kind == "document"]
    async with bot.application.services.db.read() as conn:
        assert (await small_groups.get_group(conn, group.id)).leader_id is None
    assert await _group_of(bot, cluster.id, FIRST_MEMBER + 1) is None


async def test_facilitator_pressing_a_stale_or_foreign_button_gets_a_short_answer(emulator, bot):
    await _cluster_with_members(bot, emulator, 1)
    other = await _cluster_with_members(bot, emulator, 0, name="Sentra Bordir", facilitator=701)
    async with bot.application.services.db.transaction() as tx:
        foreign = await small_groups.create_group(tx, other.id, "Kawalu", None, bot.application.services.clock.now())
    ratna = emulator.user(FACILITATOR, "Ratna", language_code="id")
    menu = await ratna.ask("/menu")
    tapped = [f"gr1:open:{foreign.id}", "gr1:open:99999", "gr1:put:1:abc:0", f"dr1:p:0:g{foreign.id}", "dr1:p:0:sx"]
    for data in tapped:
        await ratna.tap_data(menu.message_id, data)
        await ratna.wait_reply()
    assert ratna.callback_answers[-len(tapped) :] == [(STALE, False)] * len(tapped)


async def test_directory_pages_through_every_member_with_filters(emulator, bot):
    cluster = await _cluster_with_members(bot, emulator, 25)
    async with bot.application.services.db.transaction() as tx:
        group = await small_groups.create_group(
            tx, cluster.id, "Laweyan & Co", None, bot.application.services.clock.now()
        )
        for number in (2, 4, 6):
            await small_groups.assign_member(tx, cluster.id, FIRST_MEMBER + number, group.id)
    ratna = emulator.user(FACILITATOR, "Ratna", language_code="id")
    await ratna.ask("/menu")
    # The list is one message edited in place: keep what each page said.
    pages = [(await open_entry(ratna, "👥 Anggota", "Daftar anggota")).text]
    pages.append((await ratna.press("Berikutnya ▶")).text)
    last = await ratna.press("Berikutnya ▶")
    pages.append(last.text)
    for number, text in enumerate(pages, start=1):
        assert f"Halaman {number}/3 · 26 anggota" in text
        assert len(text) < 4096
    assert "Berikutnya ▶" not in _labels(last) and "◀ Sebelumnya" in _labels(last)
    seen = [name for text in pages for name in _names(text)]
    expected = sorted([f"Anggota {n:02d}" for n in range(1, 26)] + [FACILITATOR_NAME])
    assert seen == expected  # every active member once, by name
    first_line = next(line for line in pages[0].splitlines() if line.startswith("2. "))
    assert first_line == "2. Anggota 02 · Laweyan & Co · Pedagang, distributor · Desa Sondakan"
    reply = await ratna.press("◀ Sebelumnya")
    assert "Halaman 2/3" in reply.text

    await ratna.press("👥 Per grup kecil")
    reply = await ratna.press("Laweyan & Co (3)")
    assert "Grup kecil: Laweyan & Co" in reply.text and "Halaman 1/1 · 3 anggota" in reply.text
    assert _names(reply.text) == ["Anggota 02", "Anggota 04", "Anggota 06"]
    await ratna.press("🏷 Per jenis")
    reply = await ratna.press("Bank")
    banks = [f"Anggota {n:02d}" for n in range(1, 26) if TYPES[n % len(TYPES)] == "bank"]
    assert "Jenis: Bank" in reply.text and _names(reply.text) == banks
    reply = await ratna.press("✖ Semua anggota")
    assert "Halaman 1/3 · 26 anggota" in reply.text


async def test_facilitator_downloads_exactly_the_active_members_as_csv_and_excel(emulator, bot):
    cluster = await _cluster_with_members(bot, emulator, 12)
    now = bot.application.services.clock.now()
    async with bot.application.services.db.transaction() as tx:
        group = await small_groups.create_group(tx, cluster.id, "Laweyan Barat", None, now)
        await small_groups.assign_member(tx, cluster.id, FIRST_MEMBER + 1, group.id)
        await small_groups.set_leader(tx, group.id, FIRST_MEMBER + 1)
        await memberships.leave_cluster(tx, cluster.id, FIRST_MEMBER + 12, now)  # gone: not in the files
    joined = now.astimezone(ZoneInfo("Asia/Jakarta")).date()
    expected = [["Ratna Fasilitator", "", "", "", "", "", "fasilitator", joined.isoformat()]]
    for number in range(1, 12):
        profile = _profile(number)
        expected.append(
            [
                profile["full_name"],
                "Laweyan Barat" if number == 1 else "",
                TYPE_LABELS_ID.get(profile["stakeholder_type"], ""),
                profile["home_area"],
                profile["core_business"],
                profile["phone"] or "",
                "ketua grup" if number == 1 else "anggota",
                joined.isoformat(),
            ]
        )
    expected.sort(key=lambda row: row[0].casefold())
    headers = [
        "Nama",
        "Grup kecil",
        "Jenis pemangku kepentingan",
        "Daerah asal",
        "Bisnis inti",
        "Telepon",
        "Peran",
        "Bergabung",
    ]

    ratna = emulator.user(FACILITATOR, "Ratna", language_code="id")
    await ratna.ask("/menu")
    await open_entry(ratna, "👥 Anggota", "Daftar anggota")
    document = await ratna.press("⬇️ Unduh CSV")
    assert document.kind == "document" and document.filename == "anggota-sentra-batik-laweyan.csv"
    assert "Sentra Batik Laweyan: 12 anggota aktif" in document.text
    assert document.document.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(document.document.decode("utf-8-sig"), newline="")))
    assert rows == [headers, *expected]

    document = await ratna.press("⬇️ Unduh Excel")
    assert document.filename == "anggota-sentra-batik-laweyan.xlsx"
    sheet = load_workbook(io.BytesIO(document.document)).active
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == headers
    as_text = [
        [("" if v is None else v.date().isoformat() if hasattr(v, "date") else v) for v in row] for row in cells[1:]
    ]
    assert as_text == expected


async def test_an_english_facilitator_downloads_english_headers(emulator, bot):
    await _cluster_with_members(bot, emulator, 1, facilitator_language="en")
    ratna = emulator.user(FACILITATOR, "Ratna", language_code="en")
    await ratna.ask("/menu")
    reply = await open_entry(ratna, "👥 Members", "Member list")
    assert "Page 1/1 · 2 members" in reply.text
    document = await ratna.press("⬇️ Download CSV")
    assert document.filename == "members-sentra-batik-laweyan.csv"
    header = next(csv.reader(io.StringIO(document.document.decode("utf-8-sig"))))
    assert header == [
        "Name",
        "Small group",
        "Stakeholder type",
        "Home area",
        "Core business",
        "Phone",
        "Roles",
        "Joined",
    ]
