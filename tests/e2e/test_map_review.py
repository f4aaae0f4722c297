"""The participant map at meetings end to end: put on a meeting's agenda, sent to the invitees the
day before (once, across a restart), recorded after the meeting with what changed (the question
survives a restart) into the meeting's notes, and the map's history from one review to the next."""

from __future__ import annotations

from datetime import timedelta

from benchmarks.value_chain import add_profile, open_profile_round
from conversations.cluster_map import map_figures
from storage import meetings, memberships, reminders, supporters, users
from tests.e2e.chats import wait_for, wait_for_any
from tests.e2e.test_meetings import FACILITATOR, NORTH, SOUTH, _schedule_fgd
from tests.e2e.test_meetings import _seed as _seed_people

# Along a batik chain: batik makers in the north (and Gilang, seeded as one), a wax seller, a tailor and a
# trader in the south.
TYPES = {411: "core_firm", 412: "core_firm", 413: "leading_firm", 421: "supplier", 422: "subcontractor", 423: "trader"}
PROFILE = {"family_workers": "two", "paid_workers": "1_4", "products": "Batik", "markets": ["local"]}


async def _seed(bot, clock, emulator):
    """The meetings' cluster, its members' stakeholder types, and two sent firm profiles: a batik maker who
    buys wax from the supplier and sells to the trader, and the supplier who sells to batik makers."""
    await _seed_people(bot, clock, emulator)
    async with bot.application.services.db.transaction() as tx:
        for user_id, kind in TYPES.items():
            await memberships.update_profile(tx, 1, user_id, {"stakeholder_type": kind})
        profiles = await open_profile_round(tx, 1, FACILITATOR[0], clock.now(), -1)
        await add_profile(
            tx, profiles, 411, {**PROFILE, "buys_from": ["supplier"], "sells_to": ["trader"]}, clock.now()
        )
        await add_profile(tx, profiles, 421, {**PROFILE, "buys_from": ["none"], "sells_to": ["core"]}, clock.now())


async def _figures_line(bot) -> str:
    """The map's figures as the review shows them, read from the same figures the cluster map uses."""
    async with bot.application.services.db.read() as conn:
        figures = await map_figures(conn, 1)
    return f"{figures.firms} usaha · {figures.workers} pekerja · {figures.links} hubungan dalam rantai"


async def _schedule_regular(fac) -> None:
    """A regular meeting "Pemasaran" on Fri 27 Nov 2026 at 09.00 WIB for everyone."""
    await fac.ask("/meeting")
    await fac.press("Pertemuan rutin")
    await fac.ask("Pemasaran")
    await fac.press("27")
    await fac.press("09.00")
    await fac.ask("Balai Desa Laweyan")
    await fac.send("Lewati")
    await wait_for(fac, "agenda")
    await fac.press("Lewati")
    await fac.press("⬜ Seluruh klaster")
    await fac.press("Selesai ▶")
    await fac.press("Tanpa batas")
    await fac.press("✅ Kirim undangan")


async def _open_meeting(fac, topic: str = "Pewarna alami"):
    await fac.ask("/meetings")
    return await fac.press(next(t for t in fac.visible_buttons() if topic in t))


async def test_the_map_goes_on_the_agenda_reaches_the_invitees_once_and_its_review_is_recorded(
    emulator, clocked_bot, clock
):
    bot = clocked_bot
    await _seed(bot, clock, emulator)
    fac = emulator.user(FACILITATOR[0], FACILITATOR[1], language_code="id")
    people = {uid: emulator.user(uid, name, language_code="id") for uid, name in NORTH + SOUTH}
    await _schedule_fgd(fac)
    await wait_for(fac, "Undangan untuk", timeout=15)
    await wait_for(people[421], "Undangan dari", timeout=15)
    await people[421].press("❌ Tidak bisa hadir")

    # The facilitator puts the map on the agenda from the meeting's page.
    await _open_meeting(fac)
    screen = await fac.press("🗺 Cek peta partisipan di pertemuan ini")
    assert "🗺 Pengecekan peta partisipan" in screen.text and "Sudah masuk agenda" in screen.text
    # Seven member firms (the facilitator is none); two profiles of 2 family + 1-4 paid workers (2.5
    # each: the middle of the range) make 9; three links (supplier → core firms named twice, one more).
    assert "Peta saat ini:\n7 usaha · 9 pekerja · 3 hubungan dalam rantai · 0 pendukung" in screen.text
    assert await _figures_line(bot) in screen.text
    page = await fac.press("« Kembali ke pertemuan")
    assert "Agenda:\n1. Bahan pewarna\n2. Pemasok\n🗺 Pengecekan peta partisipan" in page.text
    assert "🗺 Peta partisipan (di agenda)" in fac.visible_buttons()

    # Before the meeting there is nothing to record yet; an old or forged 📝 says so.
    assert "📝 Catat yang berubah" not in [b["text"] for row in screen.inline_keyboard for b in row]
    await fac.tap_data(screen.message_id, "mt1:mapnote:1")
    await fac.wait_reply()
    assert fac.callback_answers[-1] == ("Pertemuan belum dimulai: catat yang berubah setelah pertemuan berjalan.", True)

    # A member pressing the facilitator's button gets the role message, and nothing changes.
    card = next(m for m in people[411].bot_messages if "Undangan dari" in m.text)
    await people[411].tap_data(card.message_id, "mt1:mapnote:1")
    await people[411].wait_reply()
    assert people[411].callback_answers[-1][0] == "Hanya ketua grup yang dapat melakukan ini."

    # Not due yet; then a restart; a day before, every invitee who has not declined gets the map once.
    bot.application.services.reminders.wake()
    await fac.ask("/menu")
    assert not any("mengecek peta partisipan" in m.text for p in people.values() for m in p.bot_messages)
    await bot.restart()
    clock.set(clock.now().replace(day=24, hour=7, minute=1))  # Tue 24 Nov 14.01 WIB
    bot.application.services.reminders.wake()
    for uid in (411, 412, 413, 422, 423):
        letter = await wait_for_any(people[uid], "akan mengecek peta partisipan", timeout=15)
    assert letter.kind == "photo" and "Pewarna alami" in letter.text and "Peta saat ini:" in letter.text
    copy = await wait_for_any(fac, "Peta ini dikirim ke 5 orang")  # six invited, Dodi declined
    assert copy.kind == "photo" and copy.photo == letter.photo  # the same picture, uploaded once
    reminder = await wait_for_any(people[411], "Pengingat: pertemuan besok", timeout=15)
    assert "2. Pemasok\n🗺 Pengecekan peta partisipan" in reminder.text  # the agenda carries it
    await bot.restart()
    bot.application.services.reminders.wake()
    await fac.ask("/menu")
    for uid, person in people.items():
        got = [m for m in person.bot_messages if "akan mengecek peta partisipan" in m.text]
        assert len(got) == (0 if uid == 421 else 1), (uid, len(got))
    async with bot.application.services.db.read() as conn:
        due = await reminders.get_by_key(conn, "meeting:1:map:before")
    assert due is not None and due.status == "sent"

    helpers = await people[412].press("🤝 Pendukung")
    assert "Butuh bantuan soal apa?" in helpers.text

    # After the meeting: the facilitator records what changed; the question outlives a restart.
    async with bot.application.services.db.read() as conn:
        meeting = (await meetings.list_meetings(conn, 1))[0]
    clock.set(meeting.starts_at + timedelta(hours=2))
    await _open_meeting(fac)
    await fac.press("🗺 Peta partisipan (di agenda)")
    await fac.tap("🔗 Rantai nilai")  # the picture, on demand
    chain = await wait_for(fac, "🔗 Rantai nilai Sentra Batik Laweyan", timeout=15)
    assert chain.kind == "photo"
    await fac.press("📝 Catat yang berubah")
    await wait_for_any(fac, "Apa yang berubah di peta partisipan?")  # the review screen, edited above the picture
    await bot.restart()
    recorded = await fac.ask("Dua usaha baru dari Kampung Batik; pembeli baru dari Solo")
    assert recorded.text.startswith("✅ Pengecekan peta dicatat")
    assert "Yang berubah: Dua usaha baru dari Kampung Batik; pembeli baru dari Solo" in recorded.text
    assert "📝 Catat yang berubah" not in fac.visible_buttons()[:3]
    async with bot.application.services.db.read() as conn:
        notes = (await meetings.get_meeting(conn, meeting.id)).notes
    assert notes == "🗺 Peta partisipan: Dua usaha baru dari Kampung Batik; pembeli baru dari Solo"

    # The history: one review, with the figures it kept.
    history = await fac.press("🕓 Riwayat peta")
    assert "Peta partisipan dari pengecekan ke pengecekan" in history.text
    assert "7 usaha · 9 pekerja · 3 hubungan" in history.text and "pembeli baru dari Solo" in history.text


async def test_the_history_shows_how_the_map_moved_between_two_reviews(emulator, clocked_bot, clock):
    bot = clocked_bot
    await _seed(bot, clock, emulator)
    fac = emulator.user(FACILITATOR[0], FACILITATOR[1], language_code="id")
    await _schedule_fgd(fac)
    await wait_for(fac, "Undangan untuk", timeout=15)
    await _open_meeting(fac)
    await fac.press("🗺 Cek peta partisipan di pertemuan ini")
    async with bot.application.services.db.read() as conn:
        meeting = (await meetings.list_meetings(conn, 1))[0]
    clock.set(meeting.starts_at + timedelta(hours=2))
    await fac.press("« Kembali ke pertemuan")
    await fac.press("🗺 Peta partisipan (di agenda)")  # after the start: 📝 is offered
    await fac.press("📝 Catat yang berubah")
    first = await fac.press("✅ Tidak ada perubahan")
    assert "Yang berubah: -" in first.text

    # A newcomer joins before the next review: the second review shows +1 firm.
    emulator.user(499, "Hana", language_code="id")
    async with bot.application.services.db.transaction() as tx:
        await users.remember_user(tx, 499, "Hana", None, None, "id", clock.now())
        await memberships.join_cluster(tx, 1, 499, {"full_name": "Hana", "stakeholder_type": "core_firm"}, clock.now())
        helper = {"name": "Rumah BUMN Surakarta", "kind": "bds_provider", "services": ["marketing"]}
        await supporters.add_supporter(tx, 1, helper, "confirmed", FACILITATOR[0], clock.now(), None)
    await _schedule_regular(fac)
    await wait_for(fac, "Undangan untuk", timeout=15)
    await _open_meeting(fac, "Pemasaran")
    screen = await fac.press("🗺 Cek peta partisipan di pertemuan ini")
    assert "8 usaha (+1)" in screen.text and "(dalam kurung: sejak pengecekan terakhir)" in screen.text
    async with bot.application.services.db.read() as conn:
        second = (await meetings.list_meetings(conn, 1))[-1]
    clock.set(second.starts_at + timedelta(hours=1))
    await fac.press("« Kembali ke pertemuan")
    await fac.press("🗺 Peta partisipan (di agenda)")  # after the start: 📝 is offered
    await fac.press("📝 Catat yang berubah")
    await fac.ask("Hana bergabung")
    history = await fac.press("🕓 Riwayat peta")
    lines = history.text.splitlines()
    newest = next(i for i, line in enumerate(lines) if "Pemasaran" in line)
    oldest = next(i for i, line in enumerate(lines) if "Pewarna alami" in line)
    assert newest < oldest  # the newest first
    assert (
        "8 usaha (+1)" in lines[newest + 1]
        and "1 pendukung (+1)" in lines[newest + 1]
        and "“Hana bergabung”" in lines[newest + 2]
    )
    assert "“tidak ada perubahan”" in lines[oldest + 2]
