"""Brainstorming end to end: a SWOT session for a meeting, cards, reveal, grouping, dot voting, shortlist, results."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile
from datetime import timedelta

from openpyxl import load_workbook
from PIL import Image

from storage import brainstorm, brainstorm_votes, meetings
from tests.e2e.chats import wait_for, wait_for_any
from tests.e2e.seed import seed_cluster

FACILITATOR = (501, "Bu Fasil")
NORTH = [(511, "Ani"), (512, "Bayu")]
SOUTH = [(521, "Citra"), (522, "Dodi")]
OUTSIDE = [(531, "Eka")]  # in the cluster, not invited to the meeting
PNG = b"\x89PNG\r\n\x1a\n" + b"paper card photo" * 20
VOICE = b"OggS" + b"voice" * 50


async def _seed(bot, clock, emulator):
    people = {
        uid: emulator.user(uid, name, language_code="id") for uid, name in [FACILITATOR, *NORTH, *SOUTH, *OUTSIDE]
    }
    db = bot.application.services.db
    seeded = await seed_cluster(
        db, clock.now(), facilitator=FACILITATOR, groups={"Grup Utara": NORTH, "Grup Selatan": SOUTH}, others=OUTSIDE
    )
    async with db.transaction() as tx:
        await meetings.create_meeting(
            tx,
            cluster_id=seeded.cluster_id,
            kind="fgd1",
            topic="FGD SWOT",
            starts_at=clock.now() + timedelta(days=1),
            place="Balai Desa",
            latitude=None,
            longitude=None,
            agenda=None,
            audience={"groups": list(seeded.group_ids.values())},
            capacity=None,
            reminders=(),
            checkin_code="swotcode",
            organiser_id=FACILITATOR[0],
            invitee_ids=[uid for uid, _n in NORTH + SOUTH],
            now=clock.now(),
            source_update_id=-77,
        )
    return people


async def _open_swot_session(fac) -> None:
    await fac.ask("/brainstorm")
    await fac.press("➕ Sesi baru")
    await fac.press(next(t for t in fac.visible_buttons() if "FGD SWOT" in t))
    await fac.press("Apa yang menghambat klaster kita?")
    await fac.press("SWOT: kekuatan, kelemahan, peluang, ancaman")
    await fac.press("Yang diundang ke pertemuan")
    await fac.press("🙈 Tanpa nama (disarankan)")
    review = await fac.press("3 ✓")
    assert "Peserta: Undangan “FGD SWOT” (4 orang)" in review.text
    assert "Titik per orang: 3" in review.text
    await fac.press("✅ Buka sesi")
    await wait_for(fac, "Tahap 1/6")


async def _card(person, column: str | None, text: str) -> str:
    if column:
        await person.press(column)
    reply = await person.ask(text)
    return reply.text


async def _document(person, suffix: str):
    for _ in range(500):
        found = [m for m in person.bot_messages if m.kind == "document" and m.filename.endswith(suffix)]
        if found:
            return found[-1]
        await asyncio.sleep(0.02)
    raise TimeoutError(f"no {suffix} file")


def _texts(person) -> str:
    return "\n".join(m.text for m in person.bot_messages)


async def test_a_swot_session_from_cards_to_shortlist(emulator, clocked_bot, clock):
    bot = clocked_bot
    people = await _seed(bot, clock, emulator)
    fac, ani, bayu, citra, dodi, eka = (people[uid] for uid in (501, 511, 512, 521, 522, 531))
    await _open_swot_session(fac)
    panel = await wait_for(fac, "Tahap 1/6")
    for person in (ani, bayu, citra, dodi):
        rules = await wait_for(person, "Aturannya", timeout=15)
        assert "Tidak ada kritik" in rules.text and "Apa yang menghambat klaster kita?" in rules.text
    assert eka.bot_messages == []

    # Cards: text, voice and photo, in the four SWOT parts.
    await ani.press("✍️ Kirim kartu")
    assert "#1 tersimpan" in await _card(ani, "Kelemahan", "Harga bahan baku kain mori terus naik")
    assert "#2 tersimpan" in await _card(ani, None, "Pemasaran masih sendiri-sendiri")
    await bayu.press("✍️ Kirim kartu")
    assert "#3 tersimpan" in await _card(bayu, "Kelemahan", "Bahan baku mahal")
    await bayu.send_voice(VOICE, duration=40)
    assert "#4 tersimpan" in (await bayu.wait_reply()).text
    await bayu.press("✏️ Ubah #3")  # Bayu edits his card
    reply = await bayu.ask("Bahan baku kain mori mahal dan sulit didapat")
    assert "Kartu #3 diubah" in reply.text
    await citra.press("✍️ Kirim kartu")
    await citra.press("Kekuatan")
    await citra.send_photo(PNG, caption="Motif batik khas Laweyan")
    assert "#5 tersimpan" in (await citra.wait_reply()).text
    assert "#6 tersimpan" in await _card(citra, "Peluang", "Pemasaran lewat toko online")
    await citra.send_sticker()
    assert "Stiker, GIF, dan berkas bukan kartu" in (await citra.wait_reply()).text
    assert "Kartunya kosong" in (await citra.ask("   ")).text
    await citra.send_voice(VOICE, duration=150)
    assert "lebih dari 2 menit" in (await citra.wait_reply()).text
    await dodi.press("✍️ Kirim kartu")
    assert "#7 tersimpan" in await _card(dodi, "Kelemahan", "Harga kain morri naik lagi")
    assert "#8 tersimpan" in await _card(dodi, "Ancaman", "Ide yang salah")
    reply = await dodi.press("🗑 Tarik #8")  # Dodi withdraws it
    assert "Kartu #8 ditarik" in reply.text
    assert "#9 tersimpan" in await _card(dodi, None, "Batik printing murah dari luar daerah")

    # Nobody sees another's card before the reveal; the facilitator's one panel counts them, edited in place.
    for person, own in ((ani, "Harga bahan baku"), (bayu, "sulit didapat"), (citra, "toko online"), (dodi, "printing")):
        others = [p for p in (ani, bayu, citra, dodi) if p is not person]
        assert all(own not in _texts(other) for other in others)
    await wait_for_any(fac, "📊 8 kartu dari 4 orang", timeout=10)
    assert sum(1 for m in fac.bot_messages if "📊 8 kartu" in m.text) == 1
    live = fac.message(panel.message_id)
    assert live.edited and "Kekuatan 1 · Kelemahan 5 · Peluang 1 · Ancaman 1" in live.text

    # A paper card from the room.
    await fac.press("📝 Ketik kartu kertas")
    assert "#10 tersimpan" in await _card(fac, "Peluang", "Pelatihan pewarna alami dari dinas")
    await fac.press("✅ Selesai")

    # A member pressing the facilitator's button, and someone who is not taking part.
    await ani.tap_data(ani.last().message_id, "bs1:adv:1:revealed")
    await ani.wait_reply()
    assert ani.callback_answers[-1][0] == "Hanya fasilitator sesi ini yang bisa melakukannya."
    await eka.send("/menu")
    menu = await eka.wait_reply()
    await eka.tap_data(menu.message_id, "bs1:c:1")
    await eka.wait_reply()
    assert eka.callback_answers[-1][0] == "Anda bukan peserta sesi ini."

    # The reveal: asked once with the count (a "Yes" without its screen changes nothing), then everyone
    # sees all cards; a late card is refused.
    await fac.tap_data(panel.message_id, "bs1:advy:1:revealed")
    await fac.wait_reply()
    assert fac.callback_answers[-1] == ("Mohon pastikan dulu di pesan yang menanyakannya. Tidak ada yang diubah.", True)
    await fac.tap_data(panel.message_id, "bs1:adv:1:revealed")
    ask = await wait_for(fac, "Tutup pengumpulan dan buka kartunya sekarang?")
    assert "Semua 4 peserta sudah mengirim kartu" in ask.text
    await fac.press("Ya, tutup")
    await wait_for_any(fac, "Tahap 2/6")
    await fac.tap_data(panel.message_id, "bs1:adv:1:revealed")  # the same button from a second phone
    await fac.wait_reply()
    assert fac.callback_answers[-1][0].startswith("Sudah dilakukan")
    assert "Pengumpulan kartu sudah ditutup" in (await bayu.ask("Ide terlambat")).text
    await wait_for(citra, "Kartu sudah dibuka", timeout=15)
    board = await citra.press("🗂 Semua kartu")
    assert "Harga bahan baku kain mori terus naik" in board.text and "Ide yang salah" not in board.text
    assert "Ide terlambat" not in board.text
    await citra.press("▶️ #4")
    assert citra.last().kind == "voice"

    # Grouping (KJ): accept a suggestion, rename it, make a theme, move cards, merge, summarise a voice card.
    await fac.tap_data(panel.message_id, "bs1:adv:1:grouping")
    await wait_for_any(fac, "Tahap 3/6")
    await fac.press("🧩 Kelompokkan kartu")
    suggestions = await fac.press("💡 Usulan kelompok")
    assert "#1 #3 #7" in suggestions.text  # the mori price cards, all three in Weaknesses
    theme = await fac.press("✅ Terima 1")
    assert "Kartu di dalamnya: 3" in theme.text
    await fac.press("✏️ Ganti nama")
    theme = await fac.ask("Bahan baku mahal")
    assert "Tema: Bahan baku mahal" in theme.text
    await fac.press("« Tema")
    await fac.press("➕ Tema baru")
    await fac.ask("Pemasaran")
    await fac.press("⬜ #2")
    await fac.press("« Tema")
    await fac.press("➕ Tema baru")
    await fac.ask("Jualan online")
    online = await fac.press("⬜ #6")
    await fac.press("🔗 Gabungkan ke…")
    merged = await fac.press("Pemasaran")
    assert "Tema: Pemasaran" in merged.text and "Kartu di dalamnya: 2" in merged.text
    await fac.tap_data(online.message_id, "bs1:t:3:0")  # "Jualan online" (theme 3), merged away
    await fac.wait_reply()
    assert fac.callback_answers[-1][0] == "Tema itu sudah digabung ke tema lain."
    await fac.tap_data(panel.message_id, "bs1:b:1:0")
    await wait_for(fac, "Semua kartu (9)")
    await fac.press("📝 Ringkasan #4")
    board = await fac.ask("Minta pelatihan pemasaran digital")
    assert "Minta pelatihan pemasaran digital" in board.text

    # Dot voting: loose cards become themes of their own.
    await fac.tap_data(panel.message_id, "bs1:adv:1:voting")
    await wait_for_any(fac, "Tahap 4/6")
    async with bot.application.services.db.read() as conn:
        themes = {t.title: t.id for t in await brainstorm_votes.themes_of(conn, 1)}
    assert set(themes) == {
        "Bahan baku mahal",
        "Pemasaran",
        "Minta pelatihan pemasaran digital",
        "Motif batik khas Laweyan",
        "Batik printing murah dari luar daerah",
        "Pelatihan pewarna alami dari dinas",
    }
    for person in (ani, bayu, citra, dodi):
        await wait_for(person, "Saatnya memberi titik", timeout=15)
        ballot = await person.press("🗳 Pilih dengan titik Anda")
        assert "Sisa titik: 3 dari 3" in ballot.text
    await ani.press("➕ Bahan baku mahal")
    stale = ani.last()
    await ani.press("➕ Bahan baku mahal")
    await ani.tap_data(stale.message_id, f"bs1:v:1:{themes['Bahan baku mahal']}:0:0")  # an old button, a second phone
    await ani.wait_reply()
    assert ani.callback_answers[-1][0].startswith("Sudah dihitung")
    ballot = await ani.press("➕ Pemasaran")
    assert "Sisa titik: 0 dari 3" in ballot.text
    await bayu.press("➕ Pemasaran")
    ballot = await bayu.press("➖ (1)")  # Bayu takes his dot back
    assert "Sisa titik: 3 dari 3" in ballot.text
    await bayu.press("➕ Bahan baku mahal")
    await bayu.press("➕ Pemasaran")
    await bayu.press("➕ Pemasaran")
    for _ in range(3):
        await citra.press("➕ Motif batik khas Laweyan")
    await citra.press("➕ Pemasaran")  # a fourth dot: refused
    assert citra.callback_answers[-1] == ("Titik Anda sudah habis. Ambil kembali satu titik dulu.", True)
    await dodi.press("➕ Pelatihan pewarna alami dari dinas")

    # The bot restarts in the middle of the voting: nothing is lost.
    await bot.restart()
    ballot = await dodi.press("➕ Pelatihan pewarna alami dari dinas")
    assert "Sisa titik: 1 dari 3" in ballot.text
    await dodi.press("➕ Pelatihan pewarna alami dari dinas")
    live = await wait_for_any(fac, "Sudah memberi titik: 4 dari 4 orang")
    assert "Ani, Bayu, Citra, Dodi" in live.text and "Pemasaran" not in live.text

    # Two dots from stickers in the room; then the voting closes and the longlist shows ties as ties.
    await fac.tap_data(panel.message_id, "bs1:rd:1:0")
    await wait_for(fac, "Titik dari ruangan")
    await fac.press("➕ Pelatihan pewarna alami dari dinas")
    room = await fac.press("➕ Pelatihan pewarna alami dari dinas")
    assert "Pelatihan pewarna alami dari dinas: 2 di ruangan" in room.text
    await fac.tap_data(panel.message_id, "bs1:adv:1:results")
    ask = await wait_for(fac, "Tutup pemberian titik sekarang?")
    assert "Semua 4 peserta sudah memberi titik" in ask.text
    await fac.press("Ya, tutup")
    longlist = await wait_for(fac, "Daftar panjang")
    assert "1. ⭐ Pelatihan pewarna alami dari dinas — 5 titik" in longlist.text
    assert "=2. ⭐ Bahan baku mahal — 3 titik" in longlist.text
    assert "=2. ⭐ Pemasaran — 3 titik" in longlist.text
    assert "=2. ⭐ Motif batik khas Laweyan — 3 titik" in longlist.text
    assert "=5. Batik printing murah dari luar daerah — 0 titik" in longlist.text
    await fac.press("⭐ =2. Motif batik khas Laweyan")  # the facilitator takes one off the shortlist
    await fac.press("📤 Kirim daftar pendek (3)")
    for person in (ani, bayu, citra, dodi):
        shortlist = await wait_for(person, "Daftar pendek", timeout=15)
        assert "1. Pelatihan pewarna alami dari dinas — 5 titik" in shortlist.text
        assert "2. Bahan baku mahal — 3 titik" in shortlist.text and "Motif" not in shortlist.text
    async with bot.application.services.db.read() as conn:
        stored = await brainstorm_votes.shortlist_of(conn, 1)
        session = await brainstorm.get_session(conn, 1)
    assert [(s.title, s.dots, s.rank) for s in stored] == [
        ("Pelatihan pewarna alami dari dinas", 5, 1),
        ("Bahan baku mahal", 3, 2),
        ("Pemasaran", 3, 2),
    ]
    assert session.phase == "closed"

    # Results: the board picture and the Excel file hold exactly the cards and the dots.
    await fac.tap_data(panel.message_id, "bs1:pic:1")
    await wait_for(fac, "Papan sesi #1")
    picture = Image.open(io.BytesIO(fac.last().photo))
    assert picture.format == "PNG" and picture.size[0] >= 900
    shown = {t["theme"]: (t["dots"], sorted(t["cards"])) for t in json.loads(picture.text["Description"])}
    assert shown == {
        "Pelatihan pewarna alami dari dinas": (5, [10]),
        "Bahan baku mahal": (3, [1, 3, 7]),
        "Pemasaran": (3, [2, 6]),
        "Motif batik khas Laweyan": (3, [5]),
        "Minta pelatihan pemasaran digital": (0, [4]),
        "Batik printing murah dari luar daerah": (0, [9]),
    }
    # With voice and photo cards the download is one ZIP: the CSV, the Excel file and the cards' files.
    await fac.tap_data(panel.message_id, "bs1:x:1")
    download = await _document(fac, ".zip")
    assert "Berisi 2 berkas foto dan pesan suara." in download.text
    archive = zipfile.ZipFile(io.BytesIO(download.document))
    names = sorted(archive.namelist())
    (xlsx_name,) = [n for n in names if n.endswith(".xlsx")]
    assert [n for n in names if not n.endswith((".csv", ".xlsx"))] == ["kartu-004-suara.ogg", "kartu-005-foto.jpg"]
    assert archive.read("kartu-004-suara.ogg") == VOICE and archive.read("kartu-005-foto.jpg") == PNG
    rows = list(load_workbook(io.BytesIO(archive.read(xlsx_name))).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Kartu", "Bagian", "Jenis", "Teks")
    cards = {row[0]: row for row in rows[1:]}
    assert sorted(cards) == ["#1", "#10", "#2", "#3", "#4", "#5", "#6", "#7", "#9"]
    assert cards["#3"][3] == "Bahan baku kain mori mahal dan sulit didapat"
    assert cards["#4"][2] == "pesan suara" and cards["#4"][5] == "kartu-004-suara.ogg"
    assert cards["#5"][2] == "foto" and cards["#5"][5] == "kartu-005-foto.jpg"
    assert cards["#10"][7:11] == ("Pelatihan pewarna alami dari dinas", "3", "2", "5")
    dots = {row[7]: int(row[10]) for row in rows[1:]}
    assert sum(dots.values()) == 4 * 3 + 2


async def test_a_group_leader_runs_a_named_session_for_their_small_group(emulator, clocked_bot, clock):
    people = await _seed(clocked_bot, clock, emulator)
    async with clocked_bot.application.services.db.transaction() as tx:
        from storage import small_groups

        groups = {g.name: g.id for g in await small_groups.list_groups(tx, 1)}
        await small_groups.set_leader(tx, groups["Grup Utara"], 511)
    ani, bayu, citra = people[511], people[512], people[521]
    menu = await citra.ask("/menu")
    await citra.tap_data(menu.message_id, "bs1:new")  # a member may not open a session
    await citra.wait_reply()
    assert citra.callback_answers[-1][0].startswith("Hanya")
    await ani.ask("/brainstorm")
    await ani.press("➕ Sesi baru")
    assert "FGD SWOT" not in " ".join(ani.visible_buttons())  # not her meeting
    await ani.press("Tanpa pertemuan")
    await ani.ask("Bagaimana menjual lebih banyak?")
    await ani.press("Satu pertanyaan bebas")
    assert "Seluruh klaster" not in ani.visible_buttons() and "Grup kecil: Grup Selatan" not in ani.visible_buttons()
    await ani.press("Grup kecil: Grup Utara")
    await ani.press("👤 Dengan nama")
    review = await ani.press("2")
    assert "Peserta: Grup Utara (2 orang)" in review.text and "Kartu: dengan nama" in review.text
    await ani.press("✅ Buka sesi")
    await wait_for(bayu, "Aturannya", timeout=15)
    await bayu.press("✍️ Kirim kartu")
    assert "#1 tersimpan" in (await bayu.ask("Ikut pameran di Solo")).text
    await bayu.press("✅ Selesai")
    assert all("Aturannya" not in m.text for m in citra.bot_messages)  # not in Ani's small group
    # Closing the collection when 1 of the 2 people has sent a card: asked first; "Batal" keeps it open.
    ask = await ani.press("👀 Tutup pengumpulan dan buka kartu")
    assert ask.text == "Baru 1 dari 2 orang mengirim kartu. Tutup pengumpulan dan buka kartunya sekarang?"
    panel = await ani.press("Batal")
    assert "Tahap 1/6" in panel.text
    await bayu.press("✍️ Kirim kartu")
    assert "#2 tersimpan" in (await bayu.ask("Ikut pameran di Jogja")).text  # still collecting
    await bayu.press("✅ Selesai")
    await ani.press("👀 Tutup pengumpulan dan buka kartu")
    await ani.press("Ya, tutup")
    await wait_for_any(ani, "Tahap 2/6")
    await wait_for(bayu, "Kartu sudah dibuka", timeout=15)
    board = await bayu.press("🗂 Semua kartu")
    assert "#1 Ikut pameran di Solo — Bayu" in board.text
